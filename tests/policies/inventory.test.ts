import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { ORGWATCH_POLICIES, POLICY_PACK_NAME } from "../../policies/pack";

/** The pack's public list: every policy name and its default enforcement level. */
const EXPECTED: Record<string, string> = {
    "cloudtrail-logging-enabled": "mandatory",
    "cloudtrail-multi-region-enabled": "mandatory",
    "cloudtrail-global-service-events-enabled": "mandatory",
    "cloudtrail-log-file-validation-enabled": "mandatory",
    "cloudtrail-kms-encrypted": "mandatory",
    "cloudtrail-cloudwatch-logs-enabled": "mandatory",
    "cloudtrail-management-events-read-write": "mandatory",
    "cloudtrail-organization-trail-intact": "mandatory",
    "log-group-retention-within-bounds": "mandatory",
    "log-group-kms-encrypted": "mandatory",
    "lambda-log-group-retention-set": "mandatory",
    "alarm-actions-enabled": "mandatory",
    "alarm-has-action": "mandatory",
    "sns-topic-encrypted": "mandatory",
    "ec2-instance-detailed-monitoring-enabled": "advisory",
    "rds-enhanced-monitoring-enabled": "advisory",
    "rds-performance-insights-enabled": "advisory",
    "rds-log-exports-enabled": "mandatory",
    "load-balancer-access-logs-enabled": "mandatory",
    "apigateway-stage-access-logging-enabled": "mandatory",
    "ecs-cluster-container-insights-enabled": "mandatory",
    "eks-control-plane-logging-enabled": "mandatory",
    "vpc-flow-logs-enabled": "mandatory",
    "lambda-tracing-enabled": "advisory",
    "apigateway-stage-tracing-enabled": "advisory",
    "stepfunctions-logging-enabled": "advisory",
    "appsync-logging-enabled": "advisory",
    "cloudfront-logging-enabled": "advisory",
    "waf-logging-enabled": "advisory",
    "audit-bucket-public-access-blocked": "mandatory",
    "audit-bucket-tls-only": "mandatory",
    "audit-bucket-versioning-enabled": "mandatory",
    "audit-bucket-force-destroy-disabled": "mandatory",
    "monitoring-enabled": "mandatory",
    "cis-controls-alarmed": "mandatory",
};

const PACK_DIR = path.join(__dirname, "..", "..", "policies");

describe("policies inventory", () => {
    it("pins the policy names and their default enforcement levels", () => {
        const actual = Object.fromEntries(ORGWATCH_POLICIES.map((p) => [p.name, p.enforcementLevel]));
        expect(actual).to.deep.equal(EXPECTED);
        expect(ORGWATCH_POLICIES.map((p) => p.name)).to.have.length(new Set(ORGWATCH_POLICIES.map((p) => p.name)).size);
    });

    it("names are kebab-case, descriptions are one sentence", () => {
        for (const p of ORGWATCH_POLICIES) {
            expect(p.name, p.name).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(p.description.trim(), p.name).to.match(/^[A-Z][^]*\.$/);
            expect(p.description.split(/\.\s+[A-Z]/), p.name).to.have.length(1);
        }
    });

    it("config schemas give every tunable a default and never declare enforcementLevel (the engine rejects it)", () => {
        for (const p of ORGWATCH_POLICIES) {
            for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                expect(key, p.name).to.not.equal("enforcementLevel");
                expect((schema as { default?: unknown }).default, `${p.name}.${key}`).to.not.equal(undefined);
            }
        }
    });

    it("the pack directory has what `pulumi preview --policy-pack` needs", () => {
        const yaml = fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8");
        expect(yaml).to.match(/^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version?: string; dependencies?: Record<string, string> };
        expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
        expect(pkg.dependencies).to.include.keys("@pulumi/policy", "@pulumi/pulumi");
        const entry = fs.readFileSync(path.join(PACK_DIR, "index.ts"), "utf8");
        expect(entry).to.contain("new PolicyPack(POLICY_PACK_NAME");
        expect(POLICY_PACK_NAME).to.equal("orgwatch-monitoring");
    });

    it("POLICIES.md has one row per policy with its default level", () => {
        const doc = fs.readFileSync(path.join(PACK_DIR, "POLICIES.md"), "utf8");
        for (const [name, level] of Object.entries(EXPECTED)) {
            const row = doc.split("\n").find((l) => l.startsWith(`| \`${name}\``));
            expect(row, name).to.be.a("string");
            expect(row, name).to.contain(`| ${level} |`);
        }
    });

    it("the example policy config files are valid for the pack", async () => {
        const { resolvePolicyConfig } = await import("../../lib/check/evaluate");
        for (const file of ["policy-config.app.json", "policy-config.governance.json"]) {
            const parsed = JSON.parse(fs.readFileSync(path.join(PACK_DIR, file), "utf8")) as Record<string, never>;
            expect(() => resolvePolicyConfig(ORGWATCH_POLICIES, parsed, file), file).to.not.throw();
        }
    });
});
