import { expect } from "chai";
import { isUserError, type UserError } from "../../lib/errors";
import type { GuardrailsArgs } from "../../components/guardrails";
import type { PolicyDocument, PolicyStatement } from "../../lib/policy-documents";
import type { SynthResult } from "../../lib/synth/types";
import * as nodePath from "path";
import { readStackFile } from "../../lib/synth/stack-file";
import { PACKAGE_ROOT, synthesize } from "../../lib/synth/synthesize";
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

    // Reasoning, written down first: 25 alarm names of 60 characters add some 2,800 characters to DenyAuditChanges,
    // so the statements no longer fit in one 5,120-character SCP but fit in two. Both parts are SCPs tagged for
    // their own protection, protected, and attached to every target (an SCP's denies apply only where it is
    // attached); the first keeps the single policy's name and logical name.
    const LONG_ALARMS = { alarms: { names: Array.from({ length: 25 }, (_, i) => `ow-alarm-${i}-`.padEnd(60, "x")) } };

    it("splits statements that do not fit in one SCP into numbered, tagged, protected SCPs, each attached to every target", async () => {
        const result = await synthGuardrails({ ...ARGS, ...LONG_ALARMS });
        const policies = result.resources.filter((r) => r.type === POLICY).sort((x, y) => x.name.localeCompare(y.name));
        expect(policies.map((p) => [p.name, p.inputs.name, p.inputs.tags, p.protect, p.inputs.type])).to.deep.equal([
            ["guardrails-policy", "ow-monitoring-guardrails", { "orgwatch:guardrail": "protected" }, true, "SERVICE_CONTROL_POLICY"],
            ["guardrails-policy-2", "ow-monitoring-guardrails-2", { "orgwatch:guardrail": "protected" }, true, "SERVICE_CONTROL_POLICY"],
        ]);
        const sizes = policies.map((p) => Buffer.byteLength(p.inputs.content as string));
        for (const size of sizes) expect(size).to.be.at.most(5120);
        const parts = policies.map((p) => (JSON.parse(p.inputs.content as string) as PolicyDocument).Statement.map((st) => st.Sid));
        // Every part carries DenyGuardrailChanges, so detaching one part is denied by every other; the other
        // statements are each in one part.
        for (const part of parts) expect(part).to.include("DenyGuardrailChanges");
        const sids = parts.flat().filter((sid) => sid !== "DenyGuardrailChanges");
        expect(new Set(sids).size).to.equal(sids.length);
        expect(sids).to.include.members(["DenyAuditChanges", "DenyLinkChanges"]);
        const attachments = result.resources.filter((r) => r.type === ATTACHMENT);
        expect(attachments.map((a) => [a.name, a.inputs.targetId, a.inputs.policyId, a.protect])).to.have.deep.members([
            ["guardrails-attachment-root", "r-ab12", policies[0].id, true],
            ["guardrails-attachment-root-workloads-prod", "ou-ab12-11111111", policies[0].id, true],
            ["guardrails-policy-2-attachment-root", "r-ab12", policies[1].id, true],
            ["guardrails-policy-2-attachment-root-workloads-prod", "ou-ab12-11111111", policies[1].id, true],
        ]);
        expect(result.resources.find((r) => r.type === "orgwatch:guardrails:Guardrails")?.outputs.policySizes).to.deep.equal(sizes);
        // Growing from one part to two, the first part (which loses statements) changes only after the second part
        // and its attachments exist, so no moved statement applies nowhere in between.
        const later = [policies[1].urn, ...attachments.filter((a) => a.name.startsWith("guardrails-policy-2-")).map((a) => a.urn)];
        expect([...policies[0].dependsOn].sort()).to.deep.equal([...later].sort());
        expect(policies[1].dependsOn).to.deep.equal([]);
    });

    it("with a trail log group name known only later, decides the split for the longest name and fills in the real one", async () => {
        const result = await synthInline(async () => {
            const pulumi = await import("@pulumi/pulumi");
            const { Guardrails } = await import("../../components/guardrails");
            new Guardrails("guardrails", { ...ARGS, ...LONG_ALARMS, trailLogGroupName: pulumi.output("aws-controltower/CloudTrailLogs") });
        });
        const contents = result.resources.filter((r) => r.type === POLICY).map((p) => p.inputs.content as string);
        expect(contents.length).to.be.within(2, 4);
        for (const c of contents) expect(Buffer.byteLength(c)).to.be.at.most(5120);
        expect(contents.join("\n")).to.contain("arn:aws:logs:us-east-1:111111111111:log-group:aws-controltower/CloudTrailLogs*");
        expect(contents.join("\n")).to.not.contain("xxxxxxxxxxxxxxxx/");
    });

    describe("the program with 17 governed Regions and a StackSets delegated administrator (prod's config otherwise)", () => {
        const REGIONS = [
            "eu-central-1", "eu-west-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-2", "eu-west-3", "eu-north-1",
            "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1", "ca-central-1", "sa-east-1",
        ];
        let result: SynthResult;
        before(async function () {
            this.timeout(120_000);
            const file = readStackFile(nodePath.join(PACKAGE_ROOT, "Pulumi.prod.yaml"), "orgwatch");
            const regions = { ...(JSON.parse(String(file.config["orgwatch:regions"])) as Record<string, unknown>), governed: REGIONS };
            // security-tooling, an account prod declares by id, administers the StackSet.
            const baselines = { ...(JSON.parse(String(file.config["orgwatch:memberBaselines"])) as Record<string, unknown>), delegatedAdministratorAccountId: "510987654321" };
            const config = { ...file.config, "orgwatch:regions": JSON.stringify(regions), "orgwatch:memberBaselines": JSON.stringify(baselines) };
            result = await synthesize({ programDir: PACKAGE_ROOT, stack: "prod", config, secretKeys: file.secretKeys });
        });

        it("synthesizes two guardrail SCPs within 5,120 characters each (sizes printed), both attached to every target", () => {
            const policies = result.resources.filter((r) => r.type === POLICY && r.inputs.type === "SERVICE_CONTROL_POLICY").sort((x, y) => x.name.localeCompare(y.name));
            const sizes = policies.map((p) => Buffer.byteLength(p.inputs.content as string));
            sizes.forEach((size, i) => console.log(`      guardrail SCP ${i + 1} of ${sizes.length} (17 Regions, delegated administrator): ${size} of 5120 characters`));
            expect(policies.map((p) => p.inputs.name)).to.deep.equal(["orgwatch-monitoring-guardrails", "orgwatch-monitoring-guardrails-2"]);
            for (const size of sizes) expect(size).to.be.at.most(5120);
            const attachments = result.resources.filter((r) => r.type === ATTACHMENT);
            const targetsOf = (id: string | null): string[] => attachments.filter((a) => a.inputs.policyId === id).map((a) => String(a.inputs.targetId)).sort();
            expect(targetsOf(policies[0].id)).to.have.length.greaterThan(0);
            expect(targetsOf(policies[1].id)).to.deep.equal(targetsOf(policies[0].id));
            // The delegated administrator's member role is exempt where orgwatch writes through it.
            expect(policies.map((p) => p.inputs.content as string).join("\n")).to.contain("arn:aws:iam::510987654321:role/OrganizationAccountAccessRole");
        });
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
            else expect(problems[0].received).to.match(/^statement DenyAuditChanges of \d{4,} characters on its own \(\d{4,} in all\)$/);
        });
    }
});
