import { expect } from "chai";
import { simulate } from "../helpers/iam";
import { evaluateCase, principalById, protectedResources, type MatrixOutcome, type MatrixPrincipal, type ProtectedResource } from "./matrix";
import { ACCOUNTS, NAMES, ORG_ID, PROD, prodBefore, role, synthProd, type ProdSynth } from "./prod-world";

// Each class of the security review, with requests that the documents on main allowed (fixtures/prod-before.json,
// frozen from `synth --stack prod --json` at 9237904) and the hardened documents deny. Same evaluation as the write
// matrix (Discovery mode: what the attacker chooses is assumed chosen well). "denied" is an explicit Deny,
// "implicitly denied" that nothing allows it any more.

interface Scenario {
    readonly title: string;
    readonly principal: string | MatrixPrincipal;
    readonly action: string;
    /** A protected resource of the matrix by id, or an ad-hoc one. */
    readonly resource: string | ProtectedResource;
    readonly now: Exclude<MatrixOutcome, "allowed">;
}

const A = ACCOUNTS;
const home = PROD.regions.home;

/** A principal of the management account: no SCP binds it (AWS Organizations), so only resource policies do. */
const managementAdmin: MatrixPrincipal = {
    id: "management-admin",
    description: "administrator of the management account",
    principal: role(A.management, "Admin"),
    kind: "role",
    account: A.management,
    boundByScp: false,
    context: { "aws:PrincipalArn": role(A.management, "Admin"), "aws:PrincipalAccount": A.management, "aws:PrincipalOrgID": ORG_ID, "aws:PrincipalIsAWSService": "false", "kms:CallerAccount": A.management },
};

/** A sink in an account outside the organization, whose policy admits anyone (the attacker's own). */
const outsideSink: ProtectedResource = {
    id: "sink outside the organization",
    kind: "sink",
    arn: `arn:aws:oam:${home}:${A.outsider}:sink/3c4d5e6f-1111-2222-3333-444455556666`,
    account: A.outsider,
    policy: { text: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: ["oam:CreateLink", "oam:UpdateLink"], Resource: "*" }] }) },
    facts: { "aws:ResourceOrgID": "o-zz9zz9zz9z" },
};

/** Account-wide actions (no resource type), in the monitoring account and in a delegated administrator. */
const monitoringAccountWide: ProtectedResource = { id: "monitoring account", kind: "central-log-group", arn: "*", account: A.monitoring };
const delegatedAccountWide: ProtectedResource = { id: "delegated administrator account", kind: "stackset", arn: "*", account: A.securityTooling };

/** A resource control policy a delegated administrator of Organizations policies would create (its type is a fact). */
const newRcp: ProtectedResource = {
    id: "a new resource control policy",
    kind: "guardrail-policy",
    arn: `arn:aws:organizations::${A.management}:policy/${ORG_ID}/resource_control_policy/p-evil0001`,
    account: A.management,
    facts: { "organizations:PolicyType": "RESOURCE_CONTROL_POLICY" },
    delegatedAdministrators: ["delegated-admin-admin", "delegated-admin-root"],
};

/** The StackSets service-linked role in a workload account (through which service-managed StackSets deploy there). */
const stackSetsMemberRole = "StackSets member service-linked role";

/** A governance account as Account Management names it (account:CloseAccount authorizes against it). */
const accountItself = (account: string): ProtectedResource => ({ id: `account ${account}`, kind: "organization-target", arn: `arn:aws:account::${account}:account`, account });

const CLASSES: Readonly<Record<string, readonly Scenario[]>> = {
    "unguarded services and actions": [
        { title: "the monitoring administrator deletes the centralization rule", principal: "monitoring-admin", action: "observabilityadmin:DeleteCentralizationRuleForOrganization", resource: "centralization rule orgwatch-central-logs", now: "denied" },
        { title: "the monitoring administrator narrows the centralization rule", principal: "monitoring-admin", action: "observabilityadmin:UpdateCentralizationRuleForOrganization", resource: "centralization rule orgwatch-central-logs", now: "denied" },
        { title: "the log archive administrator turns on Requester Pays on the trail bucket", principal: "log-archive-admin", action: "s3:PutBucketRequestPayment", resource: "trail bucket", now: "denied" },
        { title: "the log archive administrator redirects the trail bucket's notifications", principal: "log-archive-admin", action: "s3:PutBucketNotification", resource: "trail bucket", now: "denied" },
        { title: "the log archive administrator adds an inventory configuration", principal: "log-archive-admin", action: "s3:PutInventoryConfiguration", resource: "trail bucket", now: "denied" },
        { title: "the log archive administrator shortens a log file's retention", principal: "log-archive-admin", action: "s3:PutObjectRetention", resource: "trail bucket object", now: "denied" },
        { title: "the log archive administrator grants the trail key to an outside account", principal: "log-archive-admin", action: "kms:CreateGrant", resource: "trail key", now: "denied" },
        { title: "the monitoring administrator grants the central logs key", principal: "monitoring-admin", action: "kms:CreateGrant", resource: "central logs key", now: "denied" },
        { title: "the monitoring administrator writes events into a centralized copy", principal: "monitoring-admin", action: "logs:PutLogEvents", resource: "central-log-stream", now: "denied" },
        { title: "the monitoring administrator puts a transformer on a centralized copy", principal: "monitoring-admin", action: "logs:PutTransformer", resource: "central-log-group", now: "denied" },
        { title: "the monitoring administrator masks a centralized copy (data protection policy)", principal: "monitoring-admin", action: "logs:PutDataProtectionPolicy", resource: "central-log-group", now: "denied" },
        { title: "the monitoring administrator sets an account-wide log policy", principal: "monitoring-admin", action: "logs:PutAccountPolicy", resource: monitoringAccountWide, now: "denied" },
        { title: "the monitoring administrator creates a telemetry pipeline over the account's logs", principal: "monitoring-admin", action: "logs:PutPipelineRule", resource: monitoringAccountWide, now: "denied" },
        { title: "the monitoring administrator deletes the dashboard", principal: "monitoring-admin", action: "cloudwatch:DeleteDashboards", resource: "dashboard", now: "denied" },
        { title: "a member administrator deletes the baseline StackSet's stack", principal: "member-admin", action: "cloudformation:DeleteStack", resource: `stack ${home}`, now: "denied" },
        { title: "a delegated administrator deletes the baseline StackSet's instances", principal: "delegated-admin-admin", action: "cloudformation:DeleteStackInstances", resource: "stackset", now: "denied" },
        { title: "the monitoring administrator, Observability Admin's delegated administrator, deletes a telemetry rule", principal: "monitoring-admin", action: "observabilityadmin:DeleteTelemetryRuleForOrganization", resource: "telemetry rule orgwatch-vpc", now: "denied" },
    ],
    "forgery in the archive": [
        { title: "the log archive administrator overwrites the current version of a log file", principal: "log-archive-admin", action: "s3:PutObject", resource: "trail bucket object", now: "denied" },
        { title: "the role pulumi up uses in the log archive overwrites a log file", principal: "log-archive-deploy", action: "s3:PutObject", resource: "trail bucket object", now: "denied" },
        { title: "the log archive administrator generates a data key on the trail key (any encryption context, CloudTrail's included)", principal: "log-archive-admin", action: "kms:GenerateDataKey", resource: "trail key", now: "denied" },
        { title: "the role pulumi up uses in the log archive generates a data key on the trail key", principal: "log-archive-deploy", action: "kms:GenerateDataKey", resource: "trail key", now: "denied" },
        { title: "the log archive administrator writes a server access log", principal: "log-archive-admin", action: "s3:PutObject", resource: "access log bucket object", now: "denied" },
        { title: "the log archive administrator deletes a server access log", principal: "log-archive-admin", action: "s3:DeleteObject", resource: "access log bucket object", now: "denied" },
    ],
    "escaping the exemption": [
        { title: "a member administrator assumes the StackSets execution role its trust admits", principal: "member-admin", action: "sts:AssumeRole", resource: "StackSets execution role", now: "denied" },
        { title: "a member administrator passes the StackSets execution role to a service", principal: "member-admin", action: "iam:PassRole", resource: "StackSets execution role", now: "denied" },
        { title: "the log archive administrator assumes the role pulumi up uses there", principal: "log-archive-admin", action: "sts:AssumeRole", resource: "log archive deploy role", now: "denied" },
        { title: "the monitoring administrator passes the role pulumi up uses there", principal: "monitoring-admin", action: "iam:PassRole", resource: "monitoring deploy role", now: "denied" },
    ],
    "the guardrail does not protect itself": [
        { title: "a delegated administrator detaches the guardrail policy", principal: "delegated-admin-admin", action: "organizations:DetachPolicy", resource: "guardrail policy", now: "denied" },
        { title: "a delegated administrator rewrites the guardrail policy", principal: "delegated-admin-admin", action: "organizations:UpdatePolicy", resource: "guardrail policy", now: "denied" },
        { title: "a delegated administrator deletes the guardrail policy", principal: "delegated-admin-admin", action: "organizations:DeletePolicy", resource: "guardrail policy", now: "denied" },
        { title: "a delegated administrator removes the policy's protecting tag", principal: "delegated-admin-admin", action: "organizations:UntagResource", resource: "guardrail policy", now: "denied" },
        { title: "a delegated administrator disables SCPs on the root", principal: "delegated-admin-admin", action: "organizations:DisablePolicyType", resource: "organization root", now: "denied" },
        { title: "a delegated administrator moves an account out of the guardrails' targets", principal: "delegated-admin-admin", action: "organizations:MoveAccount", resource: "organization root", now: "denied" },
        { title: "a delegated administrator deactivates StackSets' trusted access (every service-managed StackSet stops)", principal: "delegated-admin-admin", action: "cloudformation:DeactivateOrganizationsAccess", resource: delegatedAccountWide, now: "denied" },
        // A resource control policy binds AWS service principals: one denying s3:PutObject to them stops CloudTrail's
        // delivery to the archive (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
        { title: "a delegated administrator creates a resource control policy", principal: "delegated-admin-admin", action: "organizations:CreatePolicy", resource: newRcp, now: "denied" },
        { title: "a delegated administrator attaches a resource control policy", principal: "delegated-admin-admin", action: "organizations:AttachPolicy", resource: newRcp, now: "denied" },
        { title: "a delegated administrator rewrites a resource control policy", principal: "delegated-admin-admin", action: "organizations:UpdatePolicy", resource: newRcp, now: "denied" },
        { title: "a delegated administrator attaches a policy to the root", principal: "delegated-admin-admin", action: "organizations:AttachPolicy", resource: "organization root", now: "denied" },
        { title: "a delegated administrator detaches a policy from the root", principal: "delegated-admin-admin", action: "organizations:DetachPolicy", resource: "organization root", now: "denied" },
        { title: "a delegated administrator enables a policy type on the root", principal: "delegated-admin-admin", action: "organizations:EnablePolicyType", resource: "organization root", now: "denied" },
        { title: "a delegated administrator attaches a policy to the log archive account", principal: "delegated-admin-admin", action: "organizations:AttachPolicy", resource: "log archive account target", now: "denied" },
        { title: "a delegated administrator detaches a policy from the monitoring account", principal: "delegated-admin-admin", action: "organizations:DetachPolicy", resource: "monitoring account target", now: "denied" },
        // Service-managed StackSets deploy through this role (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html).
        { title: "a member administrator deletes the StackSets member service-linked role", principal: "member-admin", action: "iam:DeleteServiceLinkedRole", resource: stackSetsMemberRole, now: "denied" },
        { title: "a member root user deletes the StackSets member service-linked role", principal: "member-root", action: "iam:DeleteServiceLinkedRole", resource: stackSetsMemberRole, now: "denied" },
    ],
    exfiltration: [{ title: "a member administrator links its account to a sink outside the organization", principal: "member-admin", action: "oam:CreateLink", resource: outsideSink, now: "denied" }],
    // A source account links to a monitoring account once (https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html):
    // a link made first by anyone else holds orgwatch's place at the sink.
    "taking orgwatch's place at the sink": [
        { title: "a member administrator links its account to orgwatch's sink before the baseline does", principal: "member-admin", action: "oam:CreateLink", resource: `sink ${home}`, now: "implicitly denied" },
        { title: "a member root user links its account to orgwatch's sink", principal: "member-root", action: "oam:CreateLink", resource: `sink ${home}`, now: "implicitly denied" },
        { title: "the log archive administrator links its account to orgwatch's sink", principal: "log-archive-admin", action: "oam:CreateLink", resource: `sink ${home}`, now: "implicitly denied" },
    ],
    // "You can also close an AWS account directly from the Account page ... after signing in as the root user"
    // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_close.html).
    "closing a governance account": [
        { title: "the log archive root user closes its account", principal: "log-archive-root", action: "account:CloseAccount", resource: accountItself(A.logArchive), now: "denied" },
        { title: "the monitoring administrator closes its account", principal: "monitoring-admin", action: "account:CloseAccount", resource: accountItself(A.monitoring), now: "denied" },
    ],
    "confused deputies": [
        { title: "CloudWatch, for an alarm outside the organization, uses the alarm topic key", principal: "cloudwatch.amazonaws.com@outsider", action: "kms:GenerateDataKey", resource: "alarm topic key", now: "implicitly denied" },
        { title: "CloudWatch, for a workload account's alarm, uses the alarm topic key", principal: "cloudwatch.amazonaws.com@member", action: "kms:Decrypt", resource: "alarm topic key", now: "implicitly denied" },
        { title: "CloudTrail, for a trail outside the organization, assumes the CloudTrail → CloudWatch Logs role", principal: "cloudtrail.amazonaws.com@outsider", action: "sts:AssumeRole", resource: "CloudTrail logs role", now: "implicitly denied" },
        { title: "CloudTrail, for a workload account's trail, describes the trail key", principal: "cloudtrail.amazonaws.com@member", action: "kms:DescribeKey", resource: "trail key", now: "implicitly denied" },
    ],
    // Prevention cannot bind the management account; what its key policies can still refuse a management
    // administrator is refused, the rest is detected (heartbeat alarm, governance controls; tests/program/alarms.test.ts
    // and tests/security/plumbing-control.test.ts).
    "silent breakage": [
        { title: "a management administrator generates data keys on the alarm topic key", principal: managementAdmin, action: "kms:GenerateDataKey", resource: "alarm topic key", now: "denied" },
    ],
};

function resolve(world: ProdSynth, docs: ProdSynth, s: Scenario): { resource: ProtectedResource; principal: MatrixPrincipal } {
    const principal = typeof s.principal === "string" ? principalById(s.principal) : s.principal;
    if (typeof s.resource !== "string") return { resource: s.resource, principal };
    const found = protectedResources(world, docs).find((r) => r.id === s.resource);
    if (found === undefined) throw new Error(`no protected resource ${s.resource}`);
    return { resource: found, principal };
}

describe("security: every reviewed class, allowed before the hardening and refused now", function () {
    this.timeout(120_000);
    let world: ProdSynth;
    let frozen: ProdSynth;
    before(() => {
        world = synthProd();
        frozen = prodBefore();
    });

    it("the frozen documents are main's, not the hardened ones", () => {
        expect(frozen.scp).to.not.equal(world.scp);
        expect((JSON.parse(frozen.scp) as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid)).to.not.include("DenyLinksOutsideOrganization");
        expect(frozen.trailBucketPolicy).to.contain(`arn:aws:s3:::${NAMES.trailBucket}`);
    });

    for (const [cls, scenarios] of Object.entries(CLASSES)) {
        describe(cls, () => {
            for (const s of scenarios) {
                it(`${s.title}: allowed before, ${s.now} now`, async () => {
                    const then = resolve(world, frozen, s);
                    expect((await evaluateCase(frozen.scp, then.resource, s.action, then.principal)).outcome, "before").to.equal("allowed");
                    const now = resolve(world, world, s);
                    expect((await evaluateCase(world.scp, now.resource, s.action, now.principal)).outcome, "now").to.equal(s.now);
                });
            }
        });
    }
});

/** An IAM role of a workload account, bound by the guardrails (as the matrix's member principals are). */
function memberRolePrincipal(name: string): MatrixPrincipal {
    const arn = role(A.member, name);
    return {
        id: `member role ${name}`,
        description: `role ${name} of a workload account`,
        principal: arn,
        kind: "role",
        account: A.member,
        boundByScp: true,
        context: { "aws:PrincipalArn": arn, "aws:PrincipalAccount": A.member, "aws:PrincipalOrgID": ORG_ID, "aws:PrincipalIsAWSService": "false", "kms:CallerAccount": A.member },
    };
}

describe("security: pinned edges of the exemptions and conditions", function () {
    this.timeout(120_000);
    let world: ProdSynth;
    const resource = (id: string): ProtectedResource => {
        const found = protectedResources(world).find((r) => r.id === id);
        if (found === undefined) throw new Error(`no protected resource ${id}`);
        return found;
    };
    before(() => {
        world = synthProd();
    });

    // The exemption is ArnNotLike arn:aws:iam::*:role/stacksets-exec-*. ARN matching is case-sensitive and the
    // role's path is part of the ARN (role/<path>/<name>), so neither variant below is the execution role.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
    for (const name of ["STACKSETS-EXEC-x", "p/stacksets-exec-x", "Stacksets-exec-x"]) {
        it(`a workload role ${name} is not the StackSets execution role: its link and stack changes are denied`, async () => {
            const p = memberRolePrincipal(name);
            expect((await evaluateCase(world.scp, resource(`link ${A.member} ${home}`), "oam:DeleteLink", p)).outcome).to.equal("denied");
            expect((await evaluateCase(world.scp, resource(`stack ${home}`), "cloudformation:DeleteStack", p)).outcome).to.equal("denied");
        });
    }
    it("the StackSets execution role itself changes them (the exemption the variants do not get)", async () => {
        expect((await evaluateCase(world.scp, resource(`link ${A.member} ${home}`), "oam:DeleteLink", principalById("member-stacksets-exec"))).outcome).to.equal("allowed");
    });

    // The CloudTrail → CloudWatch Logs role: "The role policy doesn't support the use of aws:SourceArn and
    // aws:SourceAccount" (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html),
    // so CloudTrail may assume it naming no source (allow-list cloudtrail-logs-role-no-source), never naming another trail.
    it("CloudTrail assumes its CloudWatch Logs role naming no source, or the organization trail; never for another trail", async () => {
        const trust = resource("CloudTrail logs role");
        expect((await evaluateCase(world.scps, trust, "sts:AssumeRole", principalById("cloudtrail.amazonaws.com@no-source"))).outcome).to.equal("allowed");
        expect((await evaluateCase(world.scps, trust, "sts:AssumeRole", principalById("cloudtrail.amazonaws.com@outsider"))).outcome).to.equal("implicitly denied");
        expect((await evaluateCase(world.scps, trust, "sts:AssumeRole", principalById("cloudtrail.amazonaws.com@member"))).outcome).to.equal("implicitly denied");
        const ours: MatrixPrincipal = { ...principalById("cloudtrail.amazonaws.com@no-source"), id: "cloudtrail.amazonaws.com@trail", context: { "aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": "cloudtrail.amazonaws.com", "aws:SourceArn": NAMES.trailArn, "aws:SourceAccount": A.management } };
        expect((await evaluateCase(world.scps, trust, "sts:AssumeRole", ours)).outcome).to.equal("allowed");
    });

    // The log-group keys compare aws:SourceOrgID IfExists: CloudWatch Logs' requests for a log group are bound by the
    // encryption context instead (kms:EncryptionContext:aws:logs:arn, which CloudWatch Logs sets to the log group).
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    // The simulator's validated mode ignores encryption-context keys, so this runs through tests/helpers/iam's
    // simulate (which re-runs such a request with them), as tests/lib/policy-documents/simulate.test.ts does.
    it("CloudWatch Logs naming no source: refused for another log group, allowed only for the trail log group", async () => {
        const noSource = { "aws:PrincipalIsAWSService": "true" };
        const request = (group: string) => ({
            policy: world.logsKeyPolicy,
            action: "kms:GenerateDataKey",
            resource: world.logsKeyArn,
            principal: `logs.${home}.amazonaws.com`,
            context: { ...noSource, "kms:EncryptionContext:aws:logs:arn": group },
        });
        expect(await simulate(request(`arn:aws:logs:${home}:${A.outsider}:log-group:foreign`))).to.equal("implicitly denied");
        expect(await simulate(request(`arn:aws:logs:${home}:${A.management}:log-group:${NAMES.trailLogGroup}`))).to.equal("allowed");
    });

    // kms:GrantIsForAWSResource is the caller's choice (it calls through an integrated service or not): the matrix
    // explores both values, so the log archive administrator's grant is denied either way.
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
    it("a management administrator's grant on the trail log group's key: allowed before, now only through an AWS service integrated with KMS", async () => {
        const frozen = prodBefore();
        const then = protectedResources(world, frozen).find((r) => r.id === "logs key");
        if (then === undefined) throw new Error("no logs key");
        expect((await evaluateCase(frozen.scp, then, "kms:CreateGrant", managementAdmin)).outcome, "before").to.equal("allowed");
        const now = await evaluateCase(world.scp, resource("logs key"), "kms:CreateGrant", managementAdmin);
        expect(now.outcome).to.equal("allowed");
        expect(now.conditions, "only with kms:GrantIsForAWSResource (the plumbing control reports it)").to.contain('"key":"kms:GrantIsForAWSResource"');
    });
    it("a grant on the trail key is refused to the log archive administrator whatever kms:GrantIsForAWSResource is", async () => {
        expect((await evaluateCase(world.scp, resource("trail key"), "kms:CreateGrant", principalById("log-archive-admin"))).outcome).to.equal("denied");
        const r = await evaluateCase(world.scp, resource("trail key"), "kms:CreateGrant", principalById("log-archive-deploy"));
        expect(r.outcome).to.equal("allowed");
        expect(r.conditions, "the deploy role only through an integrated service").to.contain('"key":"kms:GrantIsForAWSResource"');
    });
});
