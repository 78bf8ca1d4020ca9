import { expect } from "chai";

import { Policies, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

import { isUserError, UserError } from "../../../lib/errors";
import { evaluatePack, resolvePolicyConfig } from "../../../lib/check/evaluate";
import { ORGWATCH_POLICIES } from "../../../policies/pack";
import { SynthResource, SynthResult } from "../../../lib/synth/types";

const TRAIL = "aws:cloudtrail/trail:Trail";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

function urn(type: string, name: string): string {
    return `urn:pulumi:dev::app::${type}::${name}`;
}

function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<SynthResource> & { remote?: boolean; external?: boolean } = {}): SynthResource {
    return {
        urn: urn(type, name),
        type,
        name,
        parent: null,
        custom: true,
        provider: null,
        account: "111111111111",
        region: "us-east-1",
        inputs,
        id: `${name}-id`,
        outputs: { ...inputs },
        dependsOn: [],
        protect: false,
        ...extra,
    };
}

function synth(resources: SynthResource[]): SynthResult {
    return { project: "app", stack: "dev", resources, outputs: {} };
}

/** A trail compliant with every trail policy except log file validation. */
function trailWithoutValidation(): SynthResource {
    return res(TRAIL, "trail", {
        name: "org",
        s3BucketName: "b",
        isMultiRegionTrail: true,
        kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/k",
        cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:111111111111:log-group:t:*",
        cloudWatchLogsRoleArn: "arn:aws:iam::111111111111:role/r",
    });
}

function levels(report: ReturnType<typeof evaluatePack>): Record<string, string> {
    return Object.fromEntries(report.violations.map((v) => [v.policy, v.enforcementLevel]));
}

describe("lib/check evaluatePack", () => {
    describe("enforcement levels (policy default, then `all`, then the policy's own entry, as the Pulumi policy config docs describe)", () => {
        it("does not run resource policies on resources the stack only reads (external), as the engine does not", () => {
            const managed = evaluatePack(synth([trailWithoutValidation()]));
            expect(managed.violations).to.have.length(1);
            const read = evaluatePack(synth([{ ...trailWithoutValidation(), external: true }]));
            expect(read.violations).to.deep.equal([]);
        });

        it("reports a violation at the policy's default level", () => {
            const report = evaluatePack(synth([trailWithoutValidation()]));
            expect(report.violations).to.have.length(1);
            expect(report.violations[0]).to.deep.include({
                policy: "cloudtrail-log-file-validation-enabled",
                enforcementLevel: "mandatory",
                urn: urn(TRAIL, "trail"),
                type: TRAIL,
            });
            expect(report.summary).to.deep.equal({ mandatory: 1, advisory: 0 });
            expect(report.policyPack).to.equal("orgwatch-monitoring");
            expect(report.stack).to.equal("dev");
        });
        it("a per-policy level overrides the default", () => {
            const report = evaluatePack(synth([trailWithoutValidation()]), { policyConfig: { "cloudtrail-log-file-validation-enabled": "advisory" } });
            expect(levels(report)).to.deep.equal({ "cloudtrail-log-file-validation-enabled": "advisory" });
            expect(report.summary).to.deep.equal({ mandatory: 0, advisory: 1 });
        });
        it("`all` overrides every policy's default, and a policy's own entry overrides `all`", () => {
            const group = res(LOG_GROUP, "g", { name: "/app", retentionInDays: 30 });
            const all = evaluatePack(synth([trailWithoutValidation(), group]), { policyConfig: { all: "advisory" } });
            expect(levels(all)).to.deep.equal({
                "cloudtrail-log-file-validation-enabled": "advisory",
                "log-group-retention-within-bounds": "advisory",
                "log-group-kms-encrypted": "advisory",
            });
            const mixed = evaluatePack(synth([trailWithoutValidation(), group]), {
                policyConfig: { all: "advisory", "log-group-kms-encrypted": { enforcementLevel: "mandatory" } },
            });
            expect(levels(mixed)["log-group-kms-encrypted"]).to.equal("mandatory");
            expect(levels(mixed)["log-group-retention-within-bounds"]).to.equal("advisory");
        });
        it("a disabled policy does not run, through its own entry or `all`", () => {
            expect(evaluatePack(synth([trailWithoutValidation()]), { policyConfig: { "cloudtrail-log-file-validation-enabled": "disabled" } }).violations).to.deep.equal([]);
            expect(evaluatePack(synth([trailWithoutValidation()]), { policyConfig: { all: "disabled" } }).violations).to.deep.equal([]);
        });
        it("remediate reports as mandatory (the server downgrades remediate to mandatory for violations)", () => {
            const report = evaluatePack(synth([trailWithoutValidation()]), { policyConfig: { "cloudtrail-log-file-validation-enabled": "remediate" } });
            expect(levels(report)).to.deep.equal({ "cloudtrail-log-file-validation-enabled": "mandatory" });
        });
        it("a policy without a level runs as advisory (the @pulumi/policy default)", () => {
            const policies: Policies = [{ name: "always", description: "Always reports.", validateResource: (_a, report) => report("x") }];
            const report = evaluatePack(synth([res("aws:sns/topic:Topic", "t", {})]), { policies, policyPackVersion: "0.0.0" });
            expect(report.violations[0].enforcementLevel).to.equal("advisory");
        });
    });

    describe("config", () => {
        const group = () => res(LOG_GROUP, "g", { name: "/app", retentionInDays: 30, kmsKeyId: "arn:aws:kms:us-east-1:1:key/k" });
        it("applies configSchema defaults when the file sets nothing (365-day minimum)", () => {
            const report = evaluatePack(synth([group()]));
            expect(report.violations.map((v) => v.policy)).to.deep.equal(["log-group-retention-within-bounds"]);
            expect(report.violations[0].message).to.contain("between 365 and 3653 days");
        });
        it("passes configured values to the policy, next to a level", () => {
            const report = evaluatePack(synth([group()]), { policyConfig: { "log-group-retention-within-bounds": { enforcementLevel: "mandatory", minRetentionDays: 30 } } });
            expect(report.violations).to.deep.equal([]);
        });
        it("keeps defaults for keys the file does not set", () => {
            const seen: unknown[] = [];
            const policies: Policies = [
                {
                    name: "cfg",
                    description: "Records its config.",
                    enforcementLevel: "mandatory",
                    configSchema: { properties: { a: { type: "integer", default: 1 }, b: { type: "string", default: "x" } } },
                    validateResource: (args) => {
                        seen.push(args.getConfig());
                    },
                },
            ];
            evaluatePack(synth([res("aws:sns/topic:Topic", "t", {})]), { policies, policyPackVersion: "0.0.0", policyConfig: { cfg: { a: 5 } } });
            expect(seen).to.deep.equal([{ a: 5, b: "x" }]);
        });
        it("rejects invalid config with a usage error naming each key", () => {
            let err: unknown;
            try {
                evaluatePack(synth([group()]), {
                    policyConfig: {
                        "log-group-retention-within-bounds": { minRetentionDays: 0, retention: 5 },
                        "no-such-policy": "mandatory",
                        "alarm-has-action": "strict" as never,
                        all: "loud" as never,
                    },
                    policyConfigPath: "policy-config.json",
                });
            } catch (e) {
                err = e;
            }
            expect(isUserError(err)).to.equal(true);
            const problems = (err as UserError).problems.map((p) => p.path).sort();
            expect(problems).to.deep.equal([
                "alarm-has-action",
                "all",
                "log-group-retention-within-bounds.minRetentionDays",
                "log-group-retention-within-bounds.retention",
                "no-such-policy",
            ]);
            expect((err as UserError).message).to.contain("fix in policy-config.json");
            const min = (err as UserError).problems.find((p) => p.path.endsWith("minRetentionDays"));
            expect(min?.allowed).to.equal(">= 1");
            expect(min?.received).to.equal("0");
        });
        it("rejects an enum value outside the allowed list, listing them", () => {
            expect(() => resolvePolicyConfig(ORGWATCH_POLICIES, { "rds-enhanced-monitoring-enabled": { maxMonitoringIntervalSeconds: 45 } })).to.throw(UserError, /one of 1, 5, 10, 15, 30, 60/);
        });
    });

    describe("engine semantics", () => {
        it("does not report not-applicable results, but records them", () => {
            const report = evaluatePack(synth([res("aws:s3/bucket:Bucket", "assets", { bucket: "assets" })]));
            expect(report.violations).to.deep.equal([]);
            expect(report.notApplicable.some((n) => n.policy === "cloudtrail-logging-enabled" && /only applies to resources of type 'aws:cloudtrail\/trail:Trail'/.test(n.reason))).to.equal(true);
            expect(report.notApplicable.some((n) => n.policy === "monitoring-enabled" && n.urn === null)).to.equal(true);
        });
        it("resource policies see inputs; stack policies see outputs with every resource", () => {
            // The function's name is auto-generated: absent from its inputs, present in its outputs.
            const fn = res("aws:lambda/function:Function", "orders", { role: "arn:aws:iam::1:role/r", tracingConfig: { mode: "Active" } }, { outputs: { role: "arn:aws:iam::1:role/r", name: "orders-1a2b3c" } });
            const group = res(LOG_GROUP, "orders-logs", { name: "/aws/lambda/orders-1a2b3c", retentionInDays: 365, kmsKeyId: "k" });
            const alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", "orders-errors", {
                namespace: "AWS/Lambda",
                metricName: "Errors",
                dimensions: { FunctionName: "orders-1a2b3c" },
                alarmActions: ["arn:aws:sns:us-east-1:1:t"],
            });
            expect(evaluatePack(synth([fn, group, alarm])).violations).to.deep.equal([]);
            const report = evaluatePack(synth([fn, group]));
            expect(report.violations.map((v) => [v.policy, v.urn, v.type])).to.deep.equal([["monitoring-enabled", fn.urn, fn.type]]);
        });
        it("a stack violation reported without a resource has urn and type null", () => {
            const fn = res("aws:lambda/function:Function", "fn", { name: "f" });
            const group = res(LOG_GROUP, "g", { name: "/aws/lambda/f", retentionInDays: 365, kmsKeyId: "k" });
            const report = evaluatePack(synth([fn, group]), { stackTags: { "orgwatch:monitoring-exempt": "" } });
            const stackLevel = report.violations.find((v) => v.urn === null);
            expect(stackLevel).to.deep.include({ policy: "monitoring-enabled", type: null, enforcementLevel: "mandatory" });
        });
        it("stack tags reach policies (a reasoned exemption makes monitoring-enabled not applicable)", () => {
            const fn = res("aws:lambda/function:Function", "fn", { name: "f", tracingConfig: { mode: "Active" } });
            const group = res(LOG_GROUP, "g", { name: "/aws/lambda/f", retentionInDays: 365, kmsKeyId: "k" });
            const report = evaluatePack(synth([fn, group]), { stackTags: { "orgwatch:monitoring-exempt": "prototype until 2026-12" } });
            expect(report.violations).to.deep.equal([]);
        });
        it("a value unknown at preview becomes the engine's advisory \"can't run ... during preview\"", () => {
            const trail = trailWithoutValidation();
            const unknown = { ...trail, inputs: { ...trail.inputs, enableLogFileValidation: rpc.unknownValue } };
            const report = evaluatePack(synth([unknown]), { policyPackVersion: "0.1.0" });
            expect(report.violations).to.have.length(1);
            expect(report.violations[0].enforcementLevel).to.equal("advisory");
            expect(report.violations[0].message).to.equal(
                "can't run policy 'cloudtrail-log-file-validation-enabled' from policy pack 'orgwatch-monitoring@v0.1.0' during preview: string value at .enableLogFileValidation can't be known during preview",
            );
        });
        it("a retention unknown at preview is neither a violation nor an advisory (the policy skips it)", () => {
            const group = res(LOG_GROUP, "g", { name: "/app", retentionInDays: rpc.unknownValue, kmsKeyId: "k" });
            expect(evaluatePack(synth([group])).violations).to.deep.equal([]);
        });
        it("unwraps serialized secrets before policies see them", () => {
            const trail = trailWithoutValidation();
            const secret = { ...trail, inputs: { ...trail.inputs, enableLogFileValidation: { [rpc.specialSigKey]: rpc.specialSecretSig, value: true } } };
            expect(evaluatePack(synth([secret])).violations).to.deep.equal([]);
        });
        it("hands resource policies the provider, options and type helpers like the analyzer server", () => {
            const seen: ResourceValidationArgs[] = [];
            const policies: Policies = [{ name: "spy", description: "Records its args.", enforcementLevel: "mandatory", validateResource: (args) => void seen.push(args) }];
            const provider = res("pulumi:providers:aws", "member", { region: "eu-west-1" }, { custom: true });
            const topic = res("aws:sns/topic:Topic", "t", {}, { provider: `${provider.urn}::prov-id`, parent: "urn:pulumi:dev::app::pulumi:pulumi:Stack::app-dev", protect: true });
            evaluatePack(synth([provider, topic]), { policies, policyPackVersion: "0.0.0" });
            const args = seen.find((a) => a.name === "t") as ResourceValidationArgs;
            expect(args.provider).to.deep.include({ type: "pulumi:providers:aws", urn: provider.urn, name: "member" });
            expect(args.provider?.props["region"]).to.equal("eu-west-1");
            expect(args.opts.protect).to.equal(true);
            expect(args.opts.parent).to.equal("urn:pulumi:dev::app::pulumi:pulumi:Stack::app-dev");
            expect(args.stackTags.get("pulumi:project")).to.equal("app");
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const aws = require("@pulumi/aws") as typeof import("@pulumi/aws");
            expect(args.isType(aws.sns.Topic)).to.equal(true);
            expect(args.isType(aws.sqs.Queue)).to.equal(false);
            expect(() => args.notApplicable("why")).to.throw("why");
        });
        it("hands stack policies every resource with parents and dependencies resolved", () => {
            let seen: StackValidationArgs | undefined;
            const policies: Policies = [{ name: "spy", description: "Records its args.", enforcementLevel: "mandatory", validateStack: (args) => void (seen = args) }];
            const parent = res("orgwatch:monitoring:StackMonitoring", "mon", {}, { custom: false, id: null });
            const child = res("aws:cloudwatch/metricAlarm:MetricAlarm", "a", { metricName: "Errors" }, { parent: parent.urn, dependsOn: [parent.urn] });
            evaluatePack(synth([parent, child]), { policies, policyPackVersion: "0.0.0" });
            const resources = seen?.resources ?? [];
            expect(resources.map((r) => r.name)).to.deep.equal(["mon", "a"]);
            expect(resources[1].parent?.urn).to.equal(parent.urn);
            expect(resources[1].dependencies.map((d) => d.urn)).to.deep.equal([parent.urn]);
            expect(resources[1].props["id"]).to.equal("a-id");
        });
        it("lists what remote components leave uninspected, judges them on their inputs, and still evaluates the rest", () => {
            const remote = res("awsx:lb:ApplicationLoadBalancer", "web", {}, { custom: false, id: null, remote: true });
            const report = evaluatePack(synth([remote, trailWithoutValidation()]));
            expect(report.complete).to.equal(false);
            expect(report.notInspected).to.have.length(1);
            expect(report.notInspected[0].urn).to.equal(remote.urn);
            expect(report.notInspected[0].reason).to.contain("pulumi preview --policy-pack");
            expect(report.notInspected[0].policies).to.deep.equal(["monitoring-enabled"]);
            expect(report.violations.map((v) => [v.policy, v.urn])).to.deep.equal([
                ["cloudtrail-log-file-validation-enabled", trailWithoutValidation().urn],
                ["load-balancer-access-logs-enabled", remote.urn],
            ]);
            expect(evaluatePack(synth([trailWithoutValidation()])).complete).to.equal(true);
        });
        it("surfaces a policy that throws as an error naming the policy and resource", () => {
            const policies: Policies = [{ name: "boom", description: "Throws.", validateResource: () => { throw new Error("bad"); } }];
            expect(() => evaluatePack(synth([res("aws:sns/topic:Topic", "t", {})]), { policies, policyPackVersion: "0.0.0" })).to.throw(/policy 'boom'.*bad/);
        });
    });
});
