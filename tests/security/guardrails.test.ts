import { expect } from "chai";
import { isUserError, type UserError } from "../../lib/errors";
import type { GuardrailsArgs } from "../../components/guardrails";
import type { PolicyDocument, PolicyStatement } from "../../lib/policy-documents";
import type { SynthResult } from "../../lib/synth/types";
import { synthInline } from "../helpers/synth";

// The Guardrails component under the offline synth: one SCP in the management account, one attachment per
// target, protected, and the size limit enforced before anything is registered.
const ARGS: GuardrailsArgs = {
    partition: "aws",
    organizationId: "o-exampleorg1",
    managementAccountId: "111111111111",
    monitoringAccountId: "444444444444",
    homeRegion: "us-east-1",
    governedRegions: ["us-east-1"],
    namePrefix: "ow",
    trailName: "ow-organization-trail",
    trailLogGroupName: "ow/cloudtrail/organization",
    alarms: { namePrefix: "ow-" },
    topicName: "ow-security-alarms",
    deployRoleArns: ["arn:aws:iam::111111111111:role/orgwatch-deploy", "arn:aws:iam::444444444444:role/OrganizationAccountAccessRole"],
    baselineStackSetName: "ow-member-baseline",
    targetIds: { Root: "r-ab12", "Root/Workloads/Prod": "ou-ab12-11111111" },
};

async function synthGuardrails(args: GuardrailsArgs): Promise<SynthResult> {
    return synthInline(async () => {
        const { Guardrails } = await import("../../components/guardrails");
        new Guardrails("guardrails", args);
    });
}

const POLICY = "aws:organizations/policy:Policy";
const ATTACHMENT = "aws:organizations/policyAttachment:PolicyAttachment";

describe("components/guardrails", function () {
    this.timeout(30_000);

    it("creates one protected SCP named from the prefix, tagged for its own protection, with the deploy roles exempt", async () => {
        const result = await synthGuardrails(ARGS);
        const policies = result.resources.filter((r) => r.type === POLICY);
        expect(policies).to.have.length(1);
        const policy = policies[0];
        expect(policy.inputs.type).to.equal("SERVICE_CONTROL_POLICY");
        expect(policy.inputs.name).to.equal("ow-monitoring-guardrails");
        expect(policy.protect).to.equal(true);
        expect(policy.inputs.tags).to.deep.equal({ "orgwatch:guardrail": "protected" });
        const doc = JSON.parse(policy.inputs.content as string) as PolicyDocument;
        const main = doc.Statement.find((s) => s.Sid === "DenyMonitoringChanges") as PolicyStatement;
        expect(main.Condition).to.deep.equal({
            ArnNotLike: {
                // The management account's deploy role needs no exemption (no SCP binds it).
                "aws:PrincipalArn": ["arn:aws:iam::444444444444:role/OrganizationAccountAccessRole"],
            },
        });
        // The dashboard and the organization rules follow from the name prefix (lib/naming.ts).
        expect(doc.Statement.find((s) => s.Sid === "DenyMonitoringChanges")?.Resource).to.include.members([
            "arn:aws:cloudwatch::444444444444:dashboard/ow-security",
            "arn:aws:observabilityadmin:*:*:organization-centralization-rule/ow-*",
            "arn:aws:observabilityadmin:*:*:organization-telemetry-rule/ow-*",
        ]);
        expect(result.resources.find((r) => r.type === "orgwatch:guardrails:Guardrails")?.outputs.policySize).to.equal(Buffer.byteLength(policy.inputs.content as string));
    });

    it("attaches the policy once per target, named by the target path", async () => {
        const result = await synthGuardrails(ARGS);
        const policy = result.resources.find((r) => r.type === POLICY);
        const attachments = result.resources.filter((r) => r.type === ATTACHMENT);
        expect(attachments.map((a) => [a.name, a.inputs.targetId, a.inputs.policyId, a.protect])).to.have.deep.members([
            ["guardrails-attachment-root", "r-ab12", policy?.id, true],
            ["guardrails-attachment-root-workloads-prod", "ou-ab12-11111111", policy?.id, true],
        ]);
    });

    it("does not protect when protect is false", async () => {
        const result = await synthGuardrails({ ...ARGS, protect: false });
        expect(result.resources.filter((r) => r.type === POLICY || r.type === ATTACHMENT).map((r) => r.protect)).to.deep.equal([false, false, false]);
    });

    it("builds the document from a trail log group name that is only known later", async () => {
        const result = await synthInline(async () => {
            const pulumi = await import("@pulumi/pulumi");
            const { Guardrails } = await import("../../components/guardrails");
            new Guardrails("guardrails", { ...ARGS, trailLogGroupName: pulumi.output("aws-controltower/CloudTrailLogs") });
        });
        const content = result.resources.find((r) => r.type === POLICY)?.inputs.content as string;
        expect(content).to.contain("arn:aws:logs:us-east-1:111111111111:log-group:aws-controltower/CloudTrailLogs");
    });

    for (const [what, patch, path, received] of [
        ["no target", { targetIds: {} }, "orgwatch:guardrails.targets", "no target"],
        ["an oversize policy", { alarms: { names: Array.from({ length: 80 }, (_, i) => `ow-alarm-${i}`) } }, "orgwatch:guardrails", undefined],
    ] as const) {
        it(`refuses ${what} with a config error, before registering any resource`, async () => {
            let caught: unknown;
            // The error is caught inside the program so the synth completes and shows what was registered.
            const result = await synthInline(async () => {
                const { Guardrails } = await import("../../components/guardrails");
                try {
                    new Guardrails("guardrails", { ...ARGS, ...patch } as GuardrailsArgs);
                } catch (err) {
                    caught = err;
                }
            });
            expect(result.resources.map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
            expect(isUserError(caught), String(caught)).to.equal(true);
            const problems = (caught as UserError).problems;
            expect(problems.map((p) => p.path)).to.deep.equal([path]);
            if (received !== undefined) expect(problems[0].received).to.equal(received);
            else expect(problems[0].received).to.match(/^\d{4,} characters$/);
        });
    }
});
