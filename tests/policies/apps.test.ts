/**
 * False-positive guard: every policy of the pack runs, offline and with the engine's semantics, on
 * compliant application programs written the way teams write them, and reports nothing; each variant
 * changes one thing and must report exactly the violations listed with it (policy and resource),
 * which were reasoned from the AWS documentation each policy cites, not from running the policies.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

import { CheckReport, evaluatePack, loadPolicyConfigFile } from "../../lib/check/evaluate";
import { synthesizeInline } from "../../lib/synth/synthesize";
import { SynthResult } from "../../lib/synth/types";
import { ORGWATCH_POLICIES } from "../../policies/pack";
import { containersOnFargate } from "./apps/containers-fargate";
import { dataPipeline } from "./apps/data-pipeline";
import { ec2WebServer, NETWORK_STACK } from "./apps/ec2-web-server";
import { rdsWebApp } from "./apps/rds-web-app";
import { serverlessApi } from "./apps/serverless-api";
import { AppCase, Expected } from "./apps/shared";
import { staticSite } from "./apps/static-site";

const APPS: readonly AppCase[] = [serverlessApi, containersOnFargate, rdsWebApp, dataPipeline, staticSite, ec2WebServer];

/**
 * Policies no application program here exercises, with the rule test that has their passing and
 * failing cases: the organization's own trail and CIS alarms live in governance stacks, and no
 * program here runs EKS.
 */
const RULE_TESTS_ONLY: Readonly<Record<string, string>> = {
    "cloudtrail-logging-enabled": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-multi-region-enabled": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-global-service-events-enabled": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-log-file-validation-enabled": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-kms-encrypted": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-cloudwatch-logs-enabled": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-management-events-read-write": "tests/policies/cloudtrail.test.ts",
    "cloudtrail-organization-trail-intact": "tests/policies/cloudtrail.test.ts",
    "cis-controls-alarmed": "tests/policies/stack.test.ts",
    "eks-control-plane-logging-enabled": "tests/policies/monitoring.test.ts",
};

const APP_CONFIG = loadPolicyConfigFile(path.join(__dirname, "..", "..", "policies", "policy-config.app.json"));

function synth(app: AppCase, variant: string | undefined): Promise<SynthResult> {
    return synthesizeInline(() => app.program(variant), {
        project: "app",
        stack: "dev",
        config: { "aws:region": "eu-west-1" },
        stackReferences: { [NETWORK_STACK.name]: NETWORK_STACK.outputs },
    });
}

function found(report: CheckReport, result: SynthResult): Expected[] {
    const names = new Map(result.resources.map((r) => [r.urn, r.name]));
    return report.violations.map((v) => ({ policy: v.policy, resource: v.urn === null ? null : (names.get(v.urn) ?? v.urn) }));
}

describe("policy pack on application programs (false-positive guard)", function () {
    this.timeout(120000);

    for (const app of APPS) {
        describe(app.name, () => {
            it("the compliant program reports nothing at the pack's default levels, nor with policy-config.app.json", async () => {
                const result = await synth(app, undefined);
                const report = evaluatePack(result, { policyPackVersion: "0.0.0" });
                expect(report.violations.map((v) => `${v.policy}: ${v.message}`)).to.deep.equal([]);
                expect(report.notInspected).to.deep.equal([]);
                expect(evaluatePack(result, { policyPackVersion: "0.0.0", policyConfig: APP_CONFIG }).violations).to.deep.equal([]);
            });
            for (const [variant, expected] of Object.entries(app.variants)) {
                it(`${variant}: reports exactly ${expected.map((e) => `${e.policy} on ${e.resource ?? "the stack"}`).join(", ")}`, async () => {
                    const result = await synth(app, variant);
                    const report = evaluatePack(result, { policyPackVersion: "0.0.0" });
                    expect(found(report, result)).to.have.deep.members([...expected]);
                    expect(report.violations).to.have.length(expected.length);
                });
            }
        });
    }

    it("every policy of the pack fails on some application variant, or has its rule test named here", () => {
        const exercised = new Set(APPS.flatMap((a) => Object.values(a.variants).flatMap((v) => v.map((e) => e.policy))));
        for (const p of ORGWATCH_POLICIES) {
            const ruleTest = RULE_TESTS_ONLY[p.name];
            expect(exercised.has(p.name) || ruleTest !== undefined, p.name).to.equal(true);
            if (ruleTest !== undefined) {
                expect(exercised.has(p.name), `${p.name} is exercised by an application; drop it from RULE_TESTS_ONLY`).to.equal(false);
                expect(fs.readFileSync(path.join(__dirname, "..", "..", ruleTest), "utf8"), p.name).to.contain(`describe("${p.name}"`);
            }
        }
    });
});
