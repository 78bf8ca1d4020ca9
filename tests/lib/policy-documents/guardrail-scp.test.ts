import { getResourceSegments } from "@cloud-copilot/iam-utils";
import { expect } from "chai";
import { isUserError, UserError } from "../../../lib/errors";
import {
    BASELINE_LINK_TAG,
    GUARDRAIL_MAX_POLICIES,
    GUARDRAIL_TAG,
    guardrailScp,
    guardrailScps,
    guardrailScpSize,
    policyJson,
    SCP_MAX_SIZE,
    splitGuardrail,
    type GuardrailScpArgs,
    type PolicyDocument,
    type PolicyStatement,
} from "../../../lib/policy-documents";
import { actionsOf, isWriteLevel, matchesAction, resourceTypesOf } from "../../security/catalogue";
import { orgSimulate } from "../../security/org-simulate";

// Expected values are written by hand from the Service Authorization Reference ARN formats (trail/, log-group:,
// alarm:, dashboard/, link/, sink/, alias/, role/, stackset/, stack/, organization-centralization-rule/, organization-telemetry-rule/), the SNS API reference
// (a subscription ARN is `<topic ARN>:<id>`), the AWS Organizations SCP syntax page (no Principal element;
// NotAction only with Deny; conditions on aws:PrincipalArn) and its quotas page (5,120 characters per SCP), and
// the CloudFormation guide (service-managed StackSets create a service role `stacksets-exec-*` in target accounts).
const ORG = "o-exampleorg1";
const MGMT = "111111111111";
const MON = "444444444444";
const MEMBER = "555555555555";
const ARCHIVE = "222222222222";
const DEPLOY = `arn:aws:iam::${MGMT}:role/orgwatch-deploy`;
const MEMBER_ROLE = "arn:aws:iam::*:role/OrganizationAccountAccessRole";
const EXEC_ROLE = "arn:aws:iam::*:role/stacksets-exec-*";

const ARGS: GuardrailScpArgs = {
    partition: "aws",
    organizationId: ORG,
    managementAccountId: MGMT,
    monitoringAccountId: MON,
    logArchiveAccountId: ARCHIVE,
    homeRegion: "us-east-1",
    governedRegions: ["us-east-1", "eu-west-1"],
    trailName: "ow-organization-trail",
    trailLogGroupName: "ow/cloudtrail/organization",
    centralLogGroupNamePrefixes: ["ow/central/"],
    alarms: { names: ["ow-root-account-usage", "ow-iam-policy-changes"] },
    topicName: "ow-security-alarms",
    dashboardNames: ["ow-security"],
    trailBucketNames: ["ow-trail-222222222222-us-east-1"],
    kmsKeyAliases: ["alias/ow-trail"],
    organizationRuleNamePrefix: "ow-",
    baselineStackSetName: "ow-member-baseline",
    deployRoleArns: [DEPLOY, MEMBER_ROLE],
};

function statement(doc: PolicyDocument, sid: string): PolicyStatement {
    const found = doc.Statement.filter((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.have.length(1);
    return found[0] as PolicyStatement;
}
const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === "string" ? [v] : [...v]);

describe("policy-documents: guardrailScp", () => {
    const doc = guardrailScp(ARGS);

    it("is an SCP: deny statements without Principal, in a fixed order", () => {
        expect(doc.Version).to.equal("2012-10-17");
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal([
            "DenyMonitoringChanges",
            "DenyLinkChanges",
            "DenyBaselineChanges",
            "DenyAuditChanges",
            "DenyGovernanceKeyChanges",
            "DenyLinksOutsideOrganization",
            "DenyGuardrailChanges",
            "DenyRcps",
            "DenyTargetChanges",
            "DenyMonitoringAccountPolicies",
            "DenyOrganizationEscape",
        ]);
        for (const s of doc.Statement) {
            expect(s.Effect, s.Sid).to.equal("Deny");
            expect(s, s.Sid).to.not.have.any.keys("Principal", "NotPrincipal", "NotResource");
        }
    });

    it("names exactly orgwatch's resources, with wildcards only for Region, account, generated ids and sub-resources", () => {
        expect(list(statement(doc, "DenyMonitoringChanges").Resource)).to.have.members([
            `arn:aws:cloudwatch::${MON}:dashboard/ow-security`,
            `arn:aws:oam:*:${MON}:sink/*`,
            "arn:aws:s3:::ow-trail-222222222222-us-east-1",
            "arn:aws:kms:*:*:alias/ow-trail",
            "arn:aws:observabilityadmin:*:*:organization-centralization-rule/ow-*",
            "arn:aws:observabilityadmin:*:*:organization-telemetry-rule/ow-*",
            "arn:aws:cloudformation:*:*:stackset/ow-member-baseline:*",
            DEPLOY,
            MEMBER_ROLE,
            EXEC_ROLE,
            "arn:aws:iam::*:role/aws-service-role/member.org.stacksets.*",
        ]);
        // Links by one pattern for every Region and account, narrowed by the tag (below): no ARN per Region.
        expect(statement(doc, "DenyLinkChanges").Resource).to.equal("arn:aws:oam:*:*:link/*");
        expect(statement(doc, "DenyBaselineChanges").Resource).to.equal("arn:aws:cloudformation:*:*:stack/StackSet-ow-member-baseline-*");
        expect(list(statement(doc, "DenyAuditChanges").Resource)).to.have.members([
            `arn:aws:cloudtrail:us-east-1:${MGMT}:trail/ow-organization-trail`,
            `arn:aws:logs:us-east-1:${MGMT}:log-group:ow/cloudtrail/organization*`,
            `arn:aws:logs:us-east-1:${MON}:log-group:ow/central/*`,
            `arn:aws:cloudwatch:us-east-1:${MGMT}:alarm:ow-root-account-usage`,
            `arn:aws:cloudwatch:us-east-1:${MGMT}:alarm:ow-iam-policy-changes`,
            `arn:aws:sns:us-east-1:${MGMT}:ow-security-alarms`,
            `arn:aws:sns:us-east-1:${MGMT}:ow-security-alarms:*`,
        ]);
        // The root (any id), the governance accounts as targets, and FullAWSAccess: AWS managed, the same ARN in every
        // organization (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
        // The IAM action catalogue lists no AWS-managed-policy resource for DetachPolicy, so the simulator cannot
        // evaluate that request; the ARN is pinned here.
        expect(list(statement(doc, "DenyTargetChanges").Resource)).to.have.members([
            "arn:aws:organizations::*:root/*",
            `arn:aws:organizations::*:account/*/${ARCHIVE}`,
            `arn:aws:organizations::*:account/*/${MON}`,
            "arn:aws:organizations::aws:policy/*/p-FullAWSAccess",
        ]);
        expect(statement(doc, "DenyTargetChanges").NotAction).to.deep.equal(["organizations:Describe*", "organizations:List*"]);
        // Service Authorization Reference: CreatePolicy, UpdatePolicy, AttachPolicy and EnablePolicyType carry
        // organizations:PolicyType.
        expect(statement(doc, "DenyRcps").Condition).to.deep.equal({ StringEquals: { "organizations:PolicyType": "RESOURCE_CONTROL_POLICY" } });
        for (const sid of ["DenyGovernanceKeyChanges", "DenyLinksOutsideOrganization", "DenyGuardrailChanges", "DenyRcps", "DenyMonitoringAccountPolicies", "DenyOrganizationEscape"]) {
            expect(statement(doc, sid).Resource, sid).to.equal("*");
        }
    });

    // IAM user guide, "Incorrect wildcard usage": no wildcard in the resource-type part of an ARN (the simulator
    // matches that part literally, as AWS does). iam-utils splits an ARN's resource into type and id.
    it("puts no wildcard in the resource-type part of any ARN", () => {
        for (const st of doc.Statement) {
            for (const arn of list(st.Resource).filter((r) => r !== "*")) {
                const [, , service, region, account, ...rest] = arn.split(":");
                const [product] = getResourceSegments(service, account, region, rest.join(":"));
                expect(product, arn).to.not.contain("*");
            }
        }
    });

    // The catalogue is the oracle: for every resource of a NotAction statement, find its resource type from the ARN
    // formats, then every Read/List action of that type must stay allowed and every Write, Permissions management
    // or Tagging action must be denied, whatever AWS adds to the service later. The few exceptions are listed.
    it("denies every write action of the IAM action catalogue on each protected resource type and keeps the reads", async () => {
        const denied = new Set<string>();
        const readsDenied = new Set<string>();
        const writesKept = new Set<string>();
        for (const st of doc.Statement.filter((x) => x.NotAction !== undefined && x.Resource !== "*")) {
            const kept = list(st.NotAction);
            // A subscription ARN (`<topic ARN>:<id>`, SNS API reference) has no resource type in the catalogue.
            for (const resource of list(st.Resource).filter((r) => !r.endsWith("ow-security-alarms:*"))) {
                const types = await resourceTypesOf(resource);
                expect(types.length, `resource types of ${resource}`).to.be.greaterThan(0);
                for (const t of types) {
                    for (const a of await actionsOf(t.service)) {
                        if (!a.resourceTypes.some((r) => r.toLowerCase() === t.key.toLowerCase())) continue;
                        const keptHere = matchesAction(kept, a.action);
                        if (!isWriteLevel(a.accessLevel) && !keptHere) readsDenied.add(a.action);
                        if (isWriteLevel(a.accessLevel) && keptHere) writesKept.add(a.action);
                        if (isWriteLevel(a.accessLevel) && !keptHere) denied.add(a.action);
                    }
                }
            }
        }
        // oam:CreateLink stays allowed on the sinks: DenyLinksOutsideOrganization limits it to the organization.
        expect([...writesKept].sort()).to.deep.equal(["oam:CreateLink"]);
        // Reads outside the Get*/List*/Describe* families, denied on the protected resources (harmless; reviewed).
        expect([...readsDenied].sort()).to.deep.equal([
            "iam:GenerateServiceLastAccessedDetails",
            "iam:SimulatePrincipalPolicy",
            "s3:AllowVendedLogDeliveryForResource",
        ]);
        expect([...denied]).to.include.members([
            "cloudtrail:StopLogging",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:PutInsightSelectors",
            "logs:DeleteLogGroup",
            "logs:PutLogEvents",
            "logs:PutTransformer",
            "logs:PutDataProtectionPolicy",
            "logs:PutMetricFilter",
            "cloudwatch:DeleteAlarms",
            "cloudwatch:SetAlarmState",
            "cloudwatch:DeleteDashboards",
            "sns:Unsubscribe",
            "oam:DeleteLink",
            "oam:PutSinkPolicy",
            "s3:PutBucketRequestPayment",
            "s3:PutBucketNotification",
            "s3:PutInventoryConfiguration",
            "observabilityadmin:DeleteCentralizationRuleForOrganization",
            "observabilityadmin:UpdateTelemetryRuleForOrganization",
            "cloudformation:DeleteStack",
            "cloudformation:UpdateStackSet",
            "cloudformation:DeleteStackInstances",
            "iam:UpdateAssumeRolePolicy",
            "iam:PassRole",
            "sts:AssumeRole",
            "kms:DeleteAlias",
        ]);
    });

    it("keys: only decryption and reads stay open on keys carrying a governance alias", async () => {
        const kept = list(statement(doc, "DenyGovernanceKeyChanges").NotAction);
        const keyActions = (await actionsOf("kms")).filter((a) => a.resourceTypes.includes("key"));
        const open = keyActions.filter((a) => isWriteLevel(a.accessLevel) && matchesAction(kept, a.action));
        expect(open.map((a) => a.action).sort()).to.deep.equal(["kms:Decrypt", "kms:ReEncryptFrom"]);
        for (const a of ["CreateGrant", "PutKeyPolicy", "GenerateDataKey", "ScheduleKeyDeletion", "DisableKey", "DisableKeyRotation", "TagResource"]) {
            expect(matchesAction(kept, `kms:${a}`), a).to.equal(false);
        }
    });

    // A management-account deploy role is no principal an SCP ever evaluates ("SCPs don't affect users or roles in
    // the management account"), so only member-account roles appear in the exemptions; it stays a protected resource.
    it("exempts the member-account deploy roles from what orgwatch deploys, adds the StackSet execution role for links and stacks, exempts nobody from the audit trail", () => {
        expect(statement(doc, "DenyMonitoringChanges").Condition).to.deep.equal({ ArnNotLike: { "aws:PrincipalArn": [MEMBER_ROLE] } });
        expect(statement(doc, "DenyBaselineChanges").Condition).to.deep.equal({ ArnNotLike: { "aws:PrincipalArn": [MEMBER_ROLE, EXEC_ROLE] } });
        expect(statement(doc, "DenyLinkChanges").Condition).to.deep.equal({
            Null: { "aws:ResourceTag/orgwatch:baseline": "false" },
            ArnNotLike: { "aws:PrincipalArn": [MEMBER_ROLE, EXEC_ROLE] },
        });
        expect(statement(doc, "DenyAuditChanges")).to.not.have.property("Condition");
        expect(statement(doc, "DenyGovernanceKeyChanges").Condition).to.deep.equal({
            ArnNotLike: { "aws:PrincipalArn": [MEMBER_ROLE] },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/ow-trail"] },
        });
        expect(statement(doc, "DenyOrganizationEscape")).to.deep.equal({
            Sid: "DenyOrganizationEscape",
            Effect: "Deny",
            // account:CloseAccount: closing an account suspends it and deletes its resources after the post-closure period
            // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_close.html).
            Action: ["account:CloseAccount", "cloudformation:DeactivateOrganizationsAccess", "organizations:DisablePolicyType", "organizations:LeaveOrganization", "organizations:MoveAccount"],
            Resource: "*",
        });
    });

    it("limits oam:CreateLink to sinks of the organization (aws:ResourceOrgID), for everyone", () => {
        expect(statement(doc, "DenyLinksOutsideOrganization")).to.deep.equal({
            Sid: "DenyLinksOutsideOrganization",
            Effect: "Deny",
            Action: "oam:CreateLink",
            Resource: "*",
            Condition: { StringNotEquals: { "aws:ResourceOrgID": ORG } },
        });
    });

    // Everything but reading it: detaching, updating, deleting, re-tagging, and attaching it elsewhere (which
    // pulumi up does from the management account), and what AWS adds later.
    it("protects itself by its tag: nothing but reading it from a member account", () => {
        expect(GUARDRAIL_TAG).to.deep.equal({ key: "orgwatch:guardrail", value: "protected" });
        expect(statement(doc, "DenyGuardrailChanges")).to.deep.equal({
            Sid: "DenyGuardrailChanges",
            Effect: "Deny",
            NotAction: ["organizations:Describe*", "organizations:List*"],
            Resource: "*",
            Condition: { StringEquals: { "aws:ResourceTag/orgwatch:guardrail": "protected" } },
        });
    });

    it("keeps the monitoring account's account-wide log policies and the organization's telemetry evaluation", () => {
        expect(statement(doc, "DenyMonitoringAccountPolicies")).to.deep.equal({
            Sid: "DenyMonitoringAccountPolicies",
            Effect: "Deny",
            Action: [
                "logs:DeleteAccountPolicy",
                "logs:DeleteResourcePolicy",
                "logs:PutAccountPolicy",
                "logs:PutPipelineRule",
                "logs:PutResourcePolicy",
                "logs:PutStorageTierPolicy",
                "observabilityadmin:StopTelemetryEvaluationForOrganization",
            ],
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalAccount": MON }, ArnNotLike: { "aws:PrincipalArn": [MEMBER_ROLE] } },
        });
    });

    it("matches alarms by one prefix ARN when asked to", () => {
        const byPrefix = guardrailScp({ ...ARGS, alarms: { namePrefix: "ow-" } });
        const alarms = list(statement(byPrefix, "DenyAuditChanges").Resource).filter((r) => r.includes(":alarm:"));
        expect(alarms).to.deep.equal(["arn:aws:cloudwatch:us-east-1:111111111111:alarm:ow-*"]);
    });

    it("leaves out what is not given: trail (adopted), key aliases, buckets, dashboards, rules, StackSet", () => {
        const minimal = guardrailScp({
            ...ARGS,
            trailName: undefined,
            kmsKeyAliases: [],
            trailBucketNames: [],
            dashboardNames: [],
            organizationRuleNamePrefix: undefined,
            baselineStackSetName: undefined,
            alarms: { names: [] },
        });
        expect(minimal.Statement.map((s) => s.Sid)).to.not.include("DenyGovernanceKeyChanges");
        const all = minimal.Statement.flatMap((s) => list(s.Resource));
        expect(all.filter((r) => /:(cloudtrail|s3|cloudformation|observabilityadmin):|:dashboard\/|stacksets-exec/.test(r))).to.deep.equal([]);
        // Without a StackSet there are no stacks to protect; orgwatch's direct links stay protected.
        expect(minimal.Statement.map((s) => s.Sid)).to.not.include("DenyBaselineChanges");
        expect(statement(minimal, "DenyLinkChanges").Condition).to.have.deep.property("ArnNotLike", { "aws:PrincipalArn": [MEMBER_ROLE] });
    });

    describe("without deploy roles", () => {
        const closed = guardrailScp({ ...ARGS, deployRoleArns: [] });

        it("has no exemption condition (rather than an empty, invalid one)", () => {
            expect(statement(closed, "DenyMonitoringChanges")).to.not.have.property("Condition");
            expect(statement(closed, "DenyBaselineChanges").Condition).to.deep.equal({ ArnNotLike: { "aws:PrincipalArn": [EXEC_ROLE] } });
            expect(statement(closed, "DenyLinkChanges").Condition).to.deep.equal({ Null: { "aws:ResourceTag/orgwatch:baseline": "false" }, ArnNotLike: { "aws:PrincipalArn": [EXEC_ROLE] } });
            expect(statement(closed, "DenyGovernanceKeyChanges").Condition).to.deep.equal({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/ow-trail"] } });
            expect(statement(closed, "DenyMonitoringAccountPolicies").Condition).to.deep.equal({ StringEquals: { "aws:PrincipalAccount": MON } });
        });

        it("denies everyone in member accounts, including the role orgwatch would assume (simulated)", async () => {
            const sink = `arn:aws:oam:us-east-1:${MON}:sink/0b7c2f3e-1111-2222-3333-444455556666`;
            const role = `arn:aws:iam::${MON}:role/OrganizationAccountAccessRole`;
            expect(await orgSimulate({ scp: closed, principal: role, action: "oam:PutSinkPolicy", resource: sink })).to.equal("denied");
            expect(await orgSimulate({ scp: doc, principal: role, action: "oam:PutSinkPolicy", resource: sink })).to.equal("allowed");
        });
    });

    describe("the baseline StackSet's stacks and links, both sides (simulated)", () => {
        const stack = `arn:aws:cloudformation:eu-west-1:${MEMBER}:stack/StackSet-ow-member-baseline-1f2e3d4c/0a1b2c3d-1111-2222-3333-444455556666`;
        const link = `arn:aws:oam:eu-west-1:${MEMBER}:link/0b7c2f3e-1111-2222-3333-444455556666`;
        // A link an application team made itself, to a sink of its own in another account of the organization, in
        // a Region orgwatch governs and in one it does not: it carries no orgwatch tag.
        const teamLink = `arn:aws:oam:eu-west-1:${MEMBER}:link/7d6c5b4a-9999-8888-7777-666655554444`;
        const teamLinkElsewhere = `arn:aws:oam:ap-south-1:${MEMBER}:link/7d6c5b4a-9999-8888-7777-666655554444`;
        const teamSink = `arn:aws:oam:eu-west-1:${ARCHIVE}:sink/a1b2c3d4-0000-1111-2222-333344445555`;
        const admin = `arn:aws:iam::${MEMBER}:role/Admin`;
        const exec = `arn:aws:iam::${MEMBER}:role/stacksets-exec-3a1b2c`;
        // The tag orgwatch's links carry (the template and the direct links set it), as the request context sees it.
        const tagged = { [`aws:ResourceTag/${BASELINE_LINK_TAG.key}`]: BASELINE_LINK_TAG.value };
        const inOrg = { "aws:ResourceOrgID": ORG };
        // The team's sink admits the member account (a sink policy is what lets another account link at all).
        const teamSinkPolicy: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [{ Sid: "TeamLinks", Effect: "Allow", Principal: { AWS: MEMBER }, Action: ["oam:CreateLink", "oam:UpdateLink"], Resource: "*" }],
        };
        type Case = [string, string, string, string, string, Record<string, string | string[]>?];
        const cases: Case[] = [
            ["a member administrator deletes the StackSet's stack", admin, "cloudformation:DeleteStack", stack, "denied"],
            ["a member administrator updates the StackSet's stack", admin, "cloudformation:UpdateStack", stack, "denied"],
            ["a member administrator deletes the link the stack made", admin, "oam:DeleteLink", link, "denied", tagged],
            ["a member administrator narrows the link the stack made", admin, "oam:UpdateLink", link, "denied", tagged],
            // The tag is on the link when these are authorized: removing it or overwriting its value is denied.
            ["a member administrator removes the orgwatch tag from the link", admin, "oam:UntagResource", link, "denied", { ...tagged, "aws:TagKeys": [BASELINE_LINK_TAG.key] }],
            ["a member administrator overwrites the orgwatch tag of the link", admin, "oam:TagResource", link, "denied", { ...tagged, "aws:TagKeys": [BASELINE_LINK_TAG.key], [`aws:RequestTag/${BASELINE_LINK_TAG.key}`]: "team" }],
            ["a member administrator deletes an orgwatch-tagged link of another value", admin, "oam:DeleteLink", link, "denied", { [`aws:ResourceTag/${BASELINE_LINK_TAG.key}`]: "anything" }],
            ["a member administrator assumes the StackSet execution role", admin, "sts:AssumeRole", exec, "denied"],
            ["a member administrator re-trusts the StackSet execution role", admin, "iam:UpdateAssumeRolePolicy", exec, "denied"],
            ["the StackSet execution role updates its stack (AWS's own deployment)", exec, "cloudformation:UpdateStack", stack, "allowed"],
            ["the StackSet execution role deletes its stack (account removed from the OU)", exec, "cloudformation:DeleteStack", stack, "allowed"],
            ["the StackSet execution role creates and tags the link", exec, "oam:TagResource", link, "allowed", { ...tagged, "aws:TagKeys": [BASELINE_LINK_TAG.key], [`aws:RequestTag/${BASELINE_LINK_TAG.key}`]: BASELINE_LINK_TAG.value }],
            ["the StackSet execution role updates the link", exec, "oam:UpdateLink", link, "allowed", tagged],
            ["the StackSet execution role deleting the sink's policy", exec, "oam:PutSinkPolicy", `arn:aws:oam:eu-west-1:${MON}:sink/x`, "denied"],
            ["a member administrator's own stack", admin, "cloudformation:DeleteStack", `arn:aws:cloudformation:eu-west-1:${MEMBER}:stack/payments-api/1`, "allowed"],
            // The other side: a team's own links (untagged) are the team's, in governed Regions and elsewhere.
            ["a member administrator updates its team's own link in a governed Region", admin, "oam:UpdateLink", teamLink, "allowed"],
            ["a member administrator deletes its team's own link in a governed Region", admin, "oam:DeleteLink", teamLink, "allowed"],
            ["a member administrator deletes its team's own link in another Region", admin, "oam:DeleteLink", teamLinkElsewhere, "allowed"],
            ["a member administrator tags its team's own link", admin, "oam:TagResource", teamLink, "allowed", { "aws:TagKeys": ["team"], "aws:RequestTag/team": "payments" }],
            ["a member administrator creates its team's link to an in-organization sink", admin, "oam:CreateLink", teamSink, "allowed", inOrg],
            // Tag-on-create: a link created with the orgwatch tag is allowed (CreateLink authorizes against the sink,
            // still only in the organization), and from then on it is protected from its own creator: the trick
            // gives up control of one's own link and reaches no link of orgwatch's.
            ["a member administrator creates a link carrying the orgwatch tag (allowed; harmless)", admin, "oam:CreateLink", teamSink, "allowed", { ...inOrg, "aws:TagKeys": [BASELINE_LINK_TAG.key], [`aws:RequestTag/${BASELINE_LINK_TAG.key}`]: BASELINE_LINK_TAG.value }],
            ["... and then cannot delete it", admin, "oam:DeleteLink", teamLink, "denied", tagged],
            ["a member administrator creates a link to a sink outside the organization, tagged or not", admin, "oam:CreateLink", "arn:aws:oam:eu-west-1:999988887777:sink/x", "denied", { "aws:ResourceOrgID": "o-elsewhere1", "aws:TagKeys": [BASELINE_LINK_TAG.key], [`aws:RequestTag/${BASELINE_LINK_TAG.key}`]: BASELINE_LINK_TAG.value }],
        ];
        for (const [title, principal, action, resource, expected, context] of cases) {
            it(`${title}: ${expected}`, async () => {
                const resourcePolicy = resource === teamSink ? teamSinkPolicy : undefined;
                expect(await orgSimulate({ scp: doc, principal, action, resource, context, resourcePolicy })).to.equal(expected);
            });
        }
    });

    describe("size", () => {
        it("is the UTF-8 byte length of the compact JSON AWS receives", () => {
            expect(guardrailScpSize(doc)).to.equal(Buffer.byteLength(policyJson(doc), "utf8"));
            const ascii = guardrailScp({ ...ARGS, alarms: { names: ["ow-e"] } });
            const accented = guardrailScp({ ...ARGS, alarms: { names: ["ow-é"] } });
            expect(guardrailScpSize(accented) - guardrailScpSize(ascii)).to.equal(1);
        });

        // Reasoning, written down first: AWS Organizations counts each SCP on its own (5,120 characters), and a
        // target takes 5 SCPs, FullAWSAccess one of them, so orgwatch has at most 4. A document that fits stays one
        // document (so existing stacks see no change); one character more and its statements go, in order, each
        // into the first part it fits in; every part is an SCP document within the limit, and together they hold
        // every statement exactly once.
        it("keeps one document of exactly 5,120; splits one of 5,121 into SCPs within the limit holding every statement once", () => {
            expect(SCP_MAX_SIZE).to.equal(5120);
            expect(GUARDRAIL_MAX_POLICIES).to.equal(4);
            // Alarm names (at most 255 characters each) fill the document; each extra character of a name adds
            // exactly one character to it, so the last name's length can land the document on the limit.
            const sizeWith = (alarmNames: string[]): number => guardrailScpSize(guardrailScp({ ...ARGS, alarms: { names: alarmNames } }));
            const fill: string[] = [];
            while (sizeWith([...fill, `n${fill.length}-`.padEnd(100, "x")]) <= 5040) fill.push(`n${fill.length}-`.padEnd(100, "x"));
            const oneChar = sizeWith([...fill, "z"]);
            const length = 1 + 5120 - oneChar;
            expect(length).to.be.within(2, 255);
            const at = { ...ARGS, alarms: { names: [...fill, "z".repeat(length)] } };
            expect(guardrailScpSize(guardrailScp(at))).to.equal(5120);
            expect(guardrailScps(at)).to.deep.equal([guardrailScp(at)]);

            const over = { ...ARGS, alarms: { names: [...fill, "z".repeat(length + 1)] } };
            const whole = guardrailScp(over);
            expect(guardrailScpSize(whole)).to.equal(5121);
            const parts = guardrailScps(over);
            expect(parts).to.have.length(2);
            for (const part of parts) {
                expect(part.Version).to.equal("2012-10-17");
                expect(guardrailScpSize(part)).to.be.at.most(5120);
            }
            // Every part carries DenyGuardrailChanges (each part protects all of them: detaching one is denied by
            // every other); every other statement is in exactly one part.
            const guard = statement(whole, "DenyGuardrailChanges");
            for (const part of parts) expect(part.Statement).to.deep.include(guard);
            const rest = parts.flatMap((d) => d.Statement.filter((st) => st.Sid !== "DenyGuardrailChanges"));
            expect(rest).to.have.deep.members(whole.Statement.filter((st) => st.Sid !== "DenyGuardrailChanges"));
            // Deterministic: the same arguments give the same parts.
            expect(guardrailScps(over)).to.deep.equal(parts);
        });

        it("refuses with a config error naming the sizes when one statement alone exceeds 5,120", () => {
            const many = { ...ARGS, alarms: { names: Array.from({ length: 80 }, (_, i) => `ow-alarm-${i}`.padEnd(60, "x")) } };
            let caught: unknown;
            try {
                guardrailScps(many);
            } catch (err) {
                caught = err;
            }
            expect(isUserError(caught)).to.equal(true);
            const err = caught as UserError;
            expect(err.problems).to.have.length(1);
            expect(err.problems[0].path).to.equal("orgwatch:guardrails");
            expect(err.problems[0].allowed).to.equal("at most 4 policies of at most 5120 characters each (fewer deploy roles, or alarms matched by name prefix)");
            // Alone with DenyGuardrailChanges (every part carries it), in the document's order.
            const alone = guardrailScpSize({ Version: "2012-10-17", Statement: guardrailScp(many).Statement.filter((st) => st.Sid === "DenyAuditChanges" || st.Sid === "DenyGuardrailChanges") });
            expect(alone).to.be.above(5120);
            expect(err.problems[0].received).to.equal(`statement DenyAuditChanges of ${alone} characters on its own (${guardrailScpSize(guardrailScp(many))} in all)`);
        });

        it("refuses with a config error naming the sizes when even 4 SCPs do not hold the statements", () => {
            // Five statements of about 3,000 characters each: no two fit together, so five parts would be needed.
            const big = (i: number): PolicyStatement => ({ Sid: `Big${i}`, Effect: "Deny", Action: "s3:PutObject", Resource: Array.from({ length: 60 }, (_, j) => `arn:aws:s3:::bucket-${i}-${j}`.padEnd(45, "x")) });
            const doc5 = { Version: "2012-10-17" as const, Statement: [0, 1, 2, 3, 4].map(big) };
            const sizes = doc5.Statement.map((st) => guardrailScpSize({ Version: "2012-10-17", Statement: [st] }));
            for (const size of sizes) expect(size).to.be.within(2561, 5120);
            let caught: unknown;
            try {
                splitGuardrail(doc5);
            } catch (err) {
                caught = err;
            }
            expect(isUserError(caught)).to.equal(true);
            expect((caught as UserError).problems[0].received).to.equal(`5 policies of ${sizes.join(", ")} characters (${guardrailScpSize(doc5)} in one document)`);
            // Four of them fit: one per part, in order.
            expect(splitGuardrail({ ...doc5, Statement: doc5.Statement.slice(0, 4) }).map((d) => d.Statement.map((st) => st.Sid))).to.deep.equal([["Big0"], ["Big1"], ["Big2"], ["Big3"]]);
        });

        it("puts each statement into the first part it still fits in (first-fit, in order)", () => {
            // Sizes chosen so that first-fit differs from filling one part at a time: A (3,000), B (3,000), C (1,500)
            // -> [A, C], [B].
            const sized = (sid: string, n: number): PolicyStatement => ({ Sid: sid, Effect: "Deny", Action: "s3:PutObject", Resource: Array.from({ length: n }, (_, j) => `arn:aws:s3:::${sid.toLowerCase()}-${j}`.padEnd(45, "x")) });
            const d = { Version: "2012-10-17" as const, Statement: [sized("A", 60), sized("B", 60), sized("C", 30)] };
            expect(splitGuardrail(d).map((x) => x.Statement.map((st) => st.Sid))).to.deep.equal([["A", "C"], ["B"]]);
        });
    });

    describe("argument checks", () => {
        const cases: [string, Partial<GuardrailScpArgs>, RegExp][] = [
            ["partition", { partition: "aws-mars" }, /^partition must be one of aws, aws-cn, aws-us-gov/],
            ["organization", { organizationId: "r-abcd" }, /^organizationId must be an organization id/],
            ["monitoring account", { monitoringAccountId: "4444" }, /^monitoringAccountId must be a 12-digit/],
            ["governed Regions", { governedRegions: [] }, /^governedRegions must be a non-empty list/],
            ["deploy role", { deployRoleArns: ["arn:aws:iam::*:user/bob"] }, /^deployRoleArns\[0\] must be an IAM role ARN or pattern/],
            ["deploy role partition", { deployRoleArns: ["arn:aws-cn:iam::111111111111:role/x"] }, /^deployRoleArns\[0\] must be/],
            ["alarm wildcard", { alarms: { names: ["ow-*"] } }, /^alarms\.names\[0\] must be a CloudWatch alarm name without wildcards/],
            ["topic", { topicName: "a:b" }, /^topicName must be an SNS topic name/],
            ["dashboard", { dashboardNames: ["a b"] }, /^dashboardNames\[0\] must be a CloudWatch dashboard name/],
            ["AWS managed alias", { kmsKeyAliases: ["alias/aws/s3"] }, /^kmsKeyAliases\[0\] must be a customer managed KMS alias/],
            ["rule prefix wildcard", { organizationRuleNamePrefix: "ow-*" }, /^organizationRuleNamePrefix must be a name/],
            ["StackSet name", { baselineStackSetName: "1-baseline" }, /^baselineStackSetName must be a CloudFormation StackSet name/],
        ];
        for (const [what, patch, message] of cases) {
            it(`refuses a bad ${what}`, () => {
                expect(() => guardrailScp({ ...ARGS, ...patch })).to.throw(Error, message);
            });
        }
    });
});
