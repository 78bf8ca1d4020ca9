import { expect } from "chai";
import { guardrailScpSize, SCP_MAX_SIZE, type PolicyDocument } from "../../lib/policy-documents";
import { simulate, type SimulateArgs, type SimulationOutcome } from "../helpers/iam";
import { orgSimulate, type OrgRequest } from "./org-simulate";
import { ACCOUNTS, DEPLOY_ROLE, memberRole, NAMES, ORG_ID, PROD, role, synthProd, type ProdSynth } from "./prod-world";

// The hand-written scenarios: every resource policy orgwatch writes for the `prod` stack, taken from one
// `synth --stack prod --json` run of the real program (never rebuilt here), is evaluated by
// @cloud-copilot/iam-simulate against requests whose expected outcome is what the AWS guides document for the
// rule (pages cited in lib/policy-documents). "denied" is an explicit Deny; "implicitly denied" means nothing
// allowed the request.

let synth: ProdSynth;

const home = PROD.regions.home;
const A = ACCOUNTS;
const LOG_ARCHIVE_ADMIN = role(A.logArchive, "Admin");
const MONITORING_ADMIN = role(A.monitoring, "Admin");
const MEMBER_ADMIN = role(A.member, "Admin");
const OUTSIDER = role(A.outsider, "Admin");
const OTHER_TRAIL = `arn:aws:cloudtrail:${home}:${A.management}:trail/shadow-trail`;
const ORG_LOG = `arn:aws:s3:::${NAMES.trailBucket}/AWSLogs/${ORG_ID}/${A.member}/CloudTrail/${home}/2024/05/01/${A.member}_CloudTrail_${home}_20240501T0000Z_a.json.gz`;
const MGMT_LOG = `arn:aws:s3:::${NAMES.trailBucket}/AWSLogs/${A.management}/CloudTrail/${home}/2024/05/01/${A.management}_CloudTrail_${home}_20240501T0000Z_b.json.gz`;
const BUCKET = `arn:aws:s3:::${NAMES.trailBucket}`;

/** Request context of an IAM principal; `orgId` absent for principals outside the organization. */
function iam(principal: string, inOrg = true, extra: Record<string, string> = {}): Record<string, string> {
    return {
        "aws:PrincipalArn": principal,
        "aws:PrincipalAccount": principal.split(":")[4] ?? "",
        "aws:PrincipalIsAWSService": "false",
        "aws:SecureTransport": "true",
        ...(inOrg ? { "aws:PrincipalOrgID": ORG_ID } : {}),
        ...extra,
    };
}
/** Request context of a service principal acting for `sourceArn`. */
function service(sourceArn: string, sourceAccount: string, extra: Record<string, string> = {}): Record<string, string> {
    return { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount, "aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true", ...extra };
}
/** A request CloudWatch Logs makes to KMS for a log group (its service principal, the log group as encryption context). */
const logsService = (logGroupArn: string): Record<string, string> => ({ "aws:PrincipalIsAWSService": "true", "kms:EncryptionContext:aws:logs:arn": logGroupArn });
const cloudTrailPut = (extra: Record<string, string> = {}): Record<string, string> =>
    service(NAMES.trailArn, A.management, { "s3:x-amz-acl": "bucket-owner-full-control", ...extra });

type DocName = "trailBucketPolicy" | "trailKeyPolicy" | "logsKeyPolicy" | "centralKeyPolicy" | "topicPolicy" | "topicKeyPolicy";
interface Scenario {
    readonly title: string;
    readonly expected: SimulationOutcome;
    readonly doc: DocName;
    /** The request; a function because key ARNs are only known after the synth. */
    readonly request: (s: ProdSynth) => Omit<SimulateArgs, "policy">;
}

const BUCKET_SCENARIOS: readonly Scenario[] = [
    { title: "CloudTrail writes an organization log file (trail ARN, ACL, TLS)", expected: "allowed", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut() }) },
    { title: "CloudTrail writes under AWSLogs/<management account>/", expected: "allowed", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: MGMT_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut() }) },
    { title: "CloudTrail writing the organization folder for another trail", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut({ "aws:SourceArn": OTHER_TRAIL }) }) },
    { title: "CloudTrail writing the management folder for another trail", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: MGMT_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut({ "aws:SourceArn": OTHER_TRAIL }) }) },
    { title: "CloudTrail writing the organization folder without bucket-owner-full-control", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut({ "s3:x-amz-acl": "private" }) }) },
    { title: "CloudTrail writing the management folder without bucket-owner-full-control", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: MGMT_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut({ "s3:x-amz-acl": "private" }) }) },
    { title: "CloudTrail writing under another prefix", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: `${BUCKET}/other/AWSLogs/${ORG_ID}/${A.member}/x.json.gz`, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut() }) },
    { title: "CloudTrail writing another organization's folder", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: `${BUCKET}/AWSLogs/o-aaaaaaaaaa/${A.member}/x.json.gz`, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut() }) },
    { title: "CloudTrail writing without TLS", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: cloudTrailPut({ "aws:SecureTransport": "false" }) }) },
    { title: "CloudTrail checks the bucket ACL for the organization trail", expected: "allowed", doc: "trailBucketPolicy", request: () => ({ action: "s3:GetBucketAcl", resource: BUCKET, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: service(NAMES.trailArn, A.management) }) },
    { title: "CloudTrail checks the bucket ACL for another trail", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:GetBucketAcl", resource: BUCKET, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: service(OTHER_TRAIL, A.management) }) },
    { title: "an AWS service principal is outside the organization perimeter statement (nothing allows it, nothing denies it)", expected: "implicitly denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:ListBucket", resource: BUCKET, resourceAccountId: A.logArchive, principal: "cloudtrail.amazonaws.com", context: service(NAMES.trailArn, A.management) }) },
    { title: "an administrator outside the organization reads a log file", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:GetObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: OUTSIDER, context: iam(OUTSIDER, false) }) },
    { title: "an administrator outside the organization lists the bucket", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:ListBucket", resource: BUCKET, resourceAccountId: A.logArchive, principal: OUTSIDER, context: iam(OUTSIDER, false) }) },
    { title: "an anonymous request reads a log file", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:GetObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: "anonymous", context: { "aws:SecureTransport": "true" } }) },
    { title: "an auditor of the log archive account (in the organization) reads a log file", expected: "allowed", doc: "trailBucketPolicy", request: () => ({ action: "s3:GetObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: role(A.logArchive, "Auditor"), context: iam(role(A.logArchive, "Auditor")) }) },
    { title: "the log archive administrator deletes a log file", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:DeleteObject", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: LOG_ARCHIVE_ADMIN, context: iam(LOG_ARCHIVE_ADMIN) }) },
    { title: "the deploy role deletes a log file version", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:DeleteObjectVersion", resource: ORG_LOG, resourceAccountId: A.logArchive, principal: DEPLOY_ROLE, context: iam(DEPLOY_ROLE) }) },
    { title: "the log archive administrator deletes the bucket policy", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:DeleteBucketPolicy", resource: BUCKET, resourceAccountId: A.logArchive, principal: LOG_ARCHIVE_ADMIN, context: iam(LOG_ARCHIVE_ADMIN) }) },
    { title: "the log archive administrator shortens the lifecycle", expected: "denied", doc: "trailBucketPolicy", request: () => ({ action: "s3:PutLifecycleConfiguration", resource: BUCKET, resourceAccountId: A.logArchive, principal: LOG_ARCHIVE_ADMIN, context: iam(LOG_ARCHIVE_ADMIN) }) },
    // `pulumi up` reaches the log archive account through the role its provider assumes there (read from the
    // synth), so that is the principal that must be able to update the bucket configuration.
    { title: "the role pulumi up uses in the log archive account updates the bucket policy", expected: "allowed", doc: "trailBucketPolicy", request: (s) => ({ action: "s3:PutBucketPolicy", resource: BUCKET, resourceAccountId: A.logArchive, principal: s.logArchiveDeployPrincipal, context: iam(s.logArchiveDeployPrincipal) }) },
    { title: "the role pulumi up uses in the log archive account updates versioning", expected: "allowed", doc: "trailBucketPolicy", request: (s) => ({ action: "s3:PutBucketVersioning", resource: BUCKET, resourceAccountId: A.logArchive, principal: s.logArchiveDeployPrincipal, context: iam(s.logArchiveDeployPrincipal) }) },
];

const otherTrailContext = `arn:aws:cloudtrail:${home}:${A.member}:trail/member-trail`;
const trailContext = { "kms:EncryptionContext:aws:cloudtrail:arn": NAMES.trailArn };
const KEY_SCENARIOS: readonly Scenario[] = [
    { title: "CloudTrail generates a data key for the organization trail", expected: "allowed", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.trailKeyArn, principal: "cloudtrail.amazonaws.com", context: service(NAMES.trailArn, A.management, trailContext) }) },
    { title: "CloudTrail generating a data key without the CloudTrail encryption context", expected: "implicitly denied", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.trailKeyArn, principal: "cloudtrail.amazonaws.com", context: service(NAMES.trailArn, A.management) }) },
    { title: "CloudTrail generating a data key for a trail of a member account", expected: "implicitly denied", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.trailKeyArn, principal: "cloudtrail.amazonaws.com", context: service(NAMES.trailArn, A.management, { "kms:EncryptionContext:aws:cloudtrail:arn": otherTrailContext }) }) },
    { title: "CloudTrail generating a data key on behalf of another trail", expected: "implicitly denied", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.trailKeyArn, principal: "cloudtrail.amazonaws.com", context: service(OTHER_TRAIL, A.management, trailContext) }) },
    { title: "CloudTrail describes the key", expected: "allowed", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:DescribeKey", resource: s.trailKeyArn, principal: "cloudtrail.amazonaws.com", context: service(NAMES.trailArn, A.management) }) },
    { title: "the monitoring account decrypts a CloudTrail log file", expected: "allowed", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:Decrypt", resource: s.trailKeyArn, principal: MONITORING_ADMIN, context: iam(MONITORING_ADMIN, true, trailContext) }) },
    { title: "the monitoring account decrypting data without the CloudTrail encryption context", expected: "implicitly denied", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:Decrypt", resource: s.trailKeyArn, principal: MONITORING_ADMIN, context: iam(MONITORING_ADMIN) }) },
    { title: "a workload account decrypting a CloudTrail log file", expected: "implicitly denied", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:Decrypt", resource: s.trailKeyArn, principal: MEMBER_ADMIN, context: iam(MEMBER_ADMIN, true, trailContext) }) },
    { title: "an account outside the organization decrypting a CloudTrail log file", expected: "implicitly denied", doc: "trailKeyPolicy", request: (s) => ({ action: "kms:Decrypt", resource: s.trailKeyArn, principal: OUTSIDER, context: iam(OUTSIDER, false, trailContext) }) },
    { title: "CloudWatch Logs encrypts the trail log group with its key", expected: "allowed", doc: "logsKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.logsKeyArn, principal: `logs.${home}.amazonaws.com`, context: logsService(`arn:aws:logs:${home}:${A.management}:log-group:${NAMES.trailLogGroup}`) }) },
    { title: "CloudWatch Logs using the trail log group key for another log group", expected: "implicitly denied", doc: "logsKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.logsKeyArn, principal: `logs.${home}.amazonaws.com`, context: logsService(`arn:aws:logs:${home}:${A.management}:log-group:/aws/lambda/app`) }) },
    { title: "CloudWatch Logs of another Region using the trail log group key", expected: "implicitly denied", doc: "logsKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.logsKeyArn, principal: "logs.us-east-1.amazonaws.com", context: logsService(`arn:aws:logs:${home}:${A.management}:log-group:${NAMES.trailLogGroup}`) }) },
    { title: "CloudWatch Logs using the trail log group key for another organization", expected: "implicitly denied", doc: "logsKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.logsKeyArn, principal: `logs.${home}.amazonaws.com`, context: { ...logsService(`arn:aws:logs:${home}:${A.management}:log-group:${NAMES.trailLogGroup}`), "aws:SourceOrgID": "o-aaaaaaaaaa" } }) },
    { title: "CloudWatch Logs encrypts a centralized copy with the central key", expected: "allowed", doc: "centralKeyPolicy", request: (s) => ({ action: "kms:Encrypt", resource: s.centralKeyArn, principal: `logs.${home}.amazonaws.com`, context: logsService(NAMES.centralLogGroup(A.member, "eu-west-1", "/aws/lambda/app")) }) },
    { title: "CloudWatch Logs using the central key for a log group outside the central prefix", expected: "implicitly denied", doc: "centralKeyPolicy", request: (s) => ({ action: "kms:Encrypt", resource: s.centralKeyArn, principal: `logs.${home}.amazonaws.com`, context: logsService(`arn:aws:logs:${home}:${A.monitoring}:log-group:/aws/lambda/app`) }) },
    { title: "the monitoring administrator generating a data key under the central key", expected: "denied", doc: "centralKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.centralKeyArn, principal: MONITORING_ADMIN, context: iam(MONITORING_ADMIN, true, { "kms:EncryptionContext:aws:logs:arn": NAMES.centralLogGroup(A.member, "eu-west-1", "/aws/lambda/app") }) }) },
];

const alarmArn = NAMES.alarm("root-account-usage");
const memberAlarm = `arn:aws:cloudwatch:${home}:${A.member}:alarm:payments-latency`;
/** CloudWatch using the topic key through SNS: the alarm as source, the topic as encryption context. */
const topicKeyUse = (alarm: string, account: string): Record<string, string> => ({ ...service(alarm, account), "kms:EncryptionContext:aws:sns:topicArn": NAMES.topicArn });
const TOPIC_SCENARIOS: readonly Scenario[] = [
    { title: "a CloudWatch alarm of the management account publishes", expected: "allowed", doc: "topicPolicy", request: () => ({ action: "sns:Publish", resource: NAMES.topicArn, principal: "cloudwatch.amazonaws.com", context: service(alarmArn, A.management) }) },
    { title: "a CloudWatch alarm of a member account publishing", expected: "implicitly denied", doc: "topicPolicy", request: () => ({ action: "sns:Publish", resource: NAMES.topicArn, principal: "cloudwatch.amazonaws.com", context: service(memberAlarm, A.member) }) },
    { title: "another service (EventBridge) publishing", expected: "implicitly denied", doc: "topicPolicy", request: () => ({ action: "sns:Publish", resource: NAMES.topicArn, principal: "events.amazonaws.com", context: service(`arn:aws:events:${home}:${A.management}:rule/any`, A.management) }) },
    { title: "an administrator of a member account publishing", expected: "implicitly denied", doc: "topicPolicy", request: () => ({ action: "sns:Publish", resource: NAMES.topicArn, principal: MEMBER_ADMIN, context: iam(MEMBER_ADMIN) }) },
    { title: "an administrator of a member account subscribing", expected: "implicitly denied", doc: "topicPolicy", request: () => ({ action: "sns:Subscribe", resource: NAMES.topicArn, principal: MEMBER_ADMIN, context: iam(MEMBER_ADMIN) }) },
    { title: "a publish without TLS", expected: "denied", doc: "topicPolicy", request: () => ({ action: "sns:Publish", resource: NAMES.topicArn, principal: "cloudwatch.amazonaws.com", context: service(alarmArn, A.management, { "aws:SecureTransport": "false" }) }) },
    { title: "CloudWatch uses the topic key to publish to the encrypted topic", expected: "allowed", doc: "topicKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.topicKeyArn, principal: "cloudwatch.amazonaws.com", context: topicKeyUse(alarmArn, A.management) }) },
    { title: "CloudWatch using the topic key for another account's alarm", expected: "implicitly denied", doc: "topicKeyPolicy", request: (s) => ({ action: "kms:GenerateDataKey", resource: s.topicKeyArn, principal: "cloudwatch.amazonaws.com", context: topicKeyUse(memberAlarm, A.member) }) },
    { title: "an account outside the organization using the topic key", expected: "implicitly denied", doc: "topicKeyPolicy", request: (s) => ({ action: "kms:Decrypt", resource: s.topicKeyArn, principal: OUTSIDER, context: iam(OUTSIDER, false) }) },
];

async function evaluate(s: Scenario, policy: string): Promise<SimulationOutcome> {
    return simulate({ policy, ...s.request(synth) });
}

function scenarios(group: string, list: readonly Scenario[]): void {
    describe(group, () => {
        for (const s of list) {
            it(`${s.title}: ${s.expected}`, async () => {
                expect(await evaluate(s, synth[s.doc])).to.equal(s.expected);
            });
        }
    });
}

/** The request of a member account linking to the sink of `region`. */
function linkRequest(region: string, principal: string, inOrg: boolean, types: readonly string[]): Omit<SimulateArgs, "policy"> {
    return {
        action: "oam:CreateLink",
        resource: synth.sinks[region].arn,
        principal,
        context: { ...iam(principal, inOrg), "oam:ResourceTypes": types },
    };
}

const SHARED_TYPES = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"];

interface ScpScenario {
    readonly title: string;
    readonly expected: SimulationOutcome;
    readonly request: (s: ProdSynth) => Omit<OrgRequest, "scp">;
}

const trailKeyPolicyFor = (s: ProdSynth): string => s.trailKeyPolicy;
const workloadKeyPolicy: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${A.member}:root` }, Action: "kms:*", Resource: "*" }],
};
const CENTRAL_COPY = NAMES.centralLogGroup(A.member, "eu-west-1", "/aws/lambda/app");
const memberLink = (region: string): string => `arn:aws:oam:${region}:${A.member}:link/0b7c2f3e-1111-2222-3333-444455556666`;
/** A link a team made itself, to a sink of its own (no orgwatch tag). */
const teamLink = (region: string): string => `arn:aws:oam:${region}:${A.member}:link/7d6c5b4a-9999-8888-7777-666655554444`;
/** The tags the synthesized member baseline template puts on its link, as request facts (`aws:ResourceTag/<key>`). */
function linkTags(s: ProdSynth): Record<string, string> {
    const stackSet = s.result.resources.find((r) => r.type === "aws:cloudformation/stackSet:StackSet");
    const template = JSON.parse(String(stackSet?.inputs.templateBody)) as { Resources: Record<string, { Type: string; Properties?: { Tags?: Record<string, string> } }> };
    const link = Object.values(template.Resources).find((r) => r.Type === "AWS::Oam::Link");
    return Object.fromEntries(Object.entries(link?.Properties?.Tags ?? {}).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
}

/** The role service-managed StackSets deploy through in a member account (`stacksets-exec-<id>`). */
const STACKSETS_EXEC = (account: string): string => role(account, "stacksets-exec-8f14e45fceea167a5a36dedd4bea2543");

const SCP_SCENARIOS: readonly ScpScenario[] = [
    { title: "a member administrator leaves the organization", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "organizations:LeaveOrganization", resource: "*", resourceAccountId: A.member }) },
    { title: "a member account's root user leaves the organization", expected: "denied", request: () => ({ principal: `arn:aws:iam::${A.member}:root`, action: "organizations:LeaveOrganization", resource: "*", resourceAccountId: A.member }) },
    { title: "the role orgwatch assumes in members leaves the organization", expected: "denied", request: () => ({ principal: memberRole(A.member), action: "organizations:LeaveOrganization", resource: "*", resourceAccountId: A.member }) },
    { title: "a delegated administrator's admin stops logging on the organization trail", expected: "denied", request: () => ({ principal: role(A.securityTooling, "Admin"), action: "cloudtrail:StopLogging", resource: NAMES.trailArn }) },
    { title: "a delegated administrator's admin changes the trail's event selectors", expected: "denied", request: () => ({ principal: role(A.securityTooling, "Admin"), action: "cloudtrail:PutEventSelectors", resource: NAMES.trailArn }) },
    { title: "the role orgwatch assumes in a delegated administrator stops logging on the organization trail (orgwatch manages the trail from the management account)", expected: "denied", request: () => ({ principal: memberRole(A.securityTooling), action: "cloudtrail:StopLogging", resource: NAMES.trailArn }) },
    { title: "the monitoring administrator deletes a centralized log group", expected: "denied", request: () => ({ principal: MONITORING_ADMIN, action: "logs:DeleteLogGroup", resource: CENTRAL_COPY }) },
    { title: "the monitoring administrator shortens a centralized log group's retention", expected: "denied", request: () => ({ principal: MONITORING_ADMIN, action: "logs:PutRetentionPolicy", resource: CENTRAL_COPY }) },
    { title: "the monitoring administrator detaches a centralized log group's key", expected: "denied", request: () => ({ principal: MONITORING_ADMIN, action: "logs:DisassociateKmsKey", resource: CENTRAL_COPY }) },
    { title: "the role orgwatch assumes in the monitoring account deletes a centralized log group (AWS writes the copies; orgwatch never changes them)", expected: "denied", request: () => ({ principal: memberRole(A.monitoring), action: "logs:DeleteLogGroup", resource: CENTRAL_COPY }) },
    { title: "a member administrator deletes the trail log group", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "logs:DeleteLogGroup", resource: `arn:aws:logs:${home}:${A.management}:log-group:${NAMES.trailLogGroup}` }) },
    { title: "a member administrator deletes a CIS metric filter of the trail log group", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "logs:DeleteMetricFilter", resource: `arn:aws:logs:${home}:${A.management}:log-group:${NAMES.trailLogGroup}` }) },
    { title: "a member administrator deletes a governance alarm", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "cloudwatch:DeleteAlarms", resource: alarmArn }) },
    { title: "a member administrator disables a governance alarm's actions", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "cloudwatch:DisableAlarmActions", resource: NAMES.alarm("cloudtrail-config-changes") }) },
    { title: "a member administrator unsubscribes from the alarm topic", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "sns:Unsubscribe", resource: NAMES.topicArn }) },
    { title: "a member administrator changes the alarm topic's attributes", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "sns:SetTopicAttributes", resource: NAMES.topicArn }) },
    { title: "a member administrator deletes its account's OAM link", expected: "denied", request: (s) => ({ principal: MEMBER_ADMIN, action: "oam:DeleteLink", resource: memberLink("eu-west-1"), context: linkTags(s) }) },
    { title: "a member administrator narrows its account's OAM link", expected: "denied", request: (s) => ({ principal: MEMBER_ADMIN, action: "oam:UpdateLink", resource: memberLink(home), context: { ...linkTags(s), "oam:ResourceTypes": ["AWS::CloudWatch::Metric"] } }) },
    { title: "a member administrator removes the orgwatch tag from its account's OAM link", expected: "denied", request: (s) => ({ principal: MEMBER_ADMIN, action: "oam:UntagResource", resource: memberLink(home), context: { ...linkTags(s), "aws:TagKeys": Object.keys(linkTags(s)).map((k) => k.replace("aws:ResourceTag/", "")) } }) },
    { title: "a member administrator updates its team's own (untagged) link to an in-organization sink", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "oam:UpdateLink", resource: teamLink(home), context: { "oam:ResourceTypes": ["AWS::CloudWatch::Metric"] } }) },
    { title: "a member administrator deletes its team's own (untagged) link", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "oam:DeleteLink", resource: teamLink("us-east-1") }) },
    { title: "the StackSets execution role in a member updates the baseline's OAM link", expected: "allowed", request: (s) => ({ principal: STACKSETS_EXEC(A.member), action: "oam:UpdateLink", resource: memberLink(home), context: { ...linkTags(s), "oam:ResourceTypes": SHARED_TYPES } }) },
    { title: "the StackSets execution role in a member deletes the baseline's OAM link (the account left the target OUs)", expected: "allowed", request: (s) => ({ principal: STACKSETS_EXEC(A.member), action: "oam:DeleteLink", resource: memberLink(home), context: linkTags(s) }) },
    { title: "the member role (no longer used by orgwatch in members) deletes the OAM link", expected: "denied", request: (s) => ({ principal: memberRole(A.member), action: "oam:DeleteLink", resource: memberLink(home), context: linkTags(s) }) },
    { title: "the monitoring administrator deletes an OAM sink", expected: "denied", request: (s) => ({ principal: MONITORING_ADMIN, action: "oam:DeleteSink", resource: s.sinks[home].arn }) },
    { title: "the monitoring administrator rewrites an OAM sink policy", expected: "denied", request: (s) => ({ principal: MONITORING_ADMIN, action: "oam:PutSinkPolicy", resource: s.sinks["us-east-1"].arn }) },
    { title: "the log archive account's root user rewrites the trail bucket policy (S3 never locks root out; the SCP does)", expected: "denied", request: (s) => ({ principal: `arn:aws:iam::${A.logArchive}:root`, action: "s3:PutBucketPolicy", resource: BUCKET, resourceAccountId: A.logArchive, resourcePolicy: s.trailBucketPolicy }) },
    { title: "the log archive administrator schedules the trail key for deletion", expected: "denied", request: (s) => ({ principal: LOG_ARCHIVE_ADMIN, action: "kms:ScheduleKeyDeletion", resource: s.trailKeyArn, resourcePolicy: trailKeyPolicyFor(s), context: { "kms:ResourceAliases": [NAMES.trailKeyAlias] } }) },
    { title: "the log archive administrator disables the trail key", expected: "denied", request: (s) => ({ principal: LOG_ARCHIVE_ADMIN, action: "kms:DisableKey", resource: s.trailKeyArn, resourcePolicy: trailKeyPolicyFor(s), context: { "kms:ResourceAliases": [NAMES.trailKeyAlias] } }) },
    { title: "the log archive administrator deletes the trail key's alias", expected: "denied", request: () => ({ principal: LOG_ARCHIVE_ADMIN, action: "kms:DeleteAlias", resource: `arn:aws:kms:${home}:${A.logArchive}:${NAMES.trailKeyAlias}` }) },
    { title: "the monitoring administrator schedules the central logs key for deletion", expected: "denied", request: (s) => ({ principal: MONITORING_ADMIN, action: "kms:ScheduleKeyDeletion", resource: s.centralKeyArn, context: { "kms:ResourceAliases": [NAMES.centralLogsKeyAlias] } }) },
    { title: "the monitoring administrator deletes the central logs key's alias", expected: "denied", request: () => ({ principal: MONITORING_ADMIN, action: "kms:DeleteAlias", resource: `arn:aws:kms:${home}:${A.monitoring}:${NAMES.centralLogsKeyAlias}` }) },
    { title: "a member administrator re-trusts the StackSets execution role", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "iam:UpdateAssumeRolePolicy", resource: STACKSETS_EXEC(A.member) }) },
    { title: "a member administrator attaches a policy to the StackSets execution role", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "iam:AttachRolePolicy", resource: STACKSETS_EXEC(A.member) }) },
    { title: "a member administrator creates a role named like the StackSets execution role", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "iam:CreateRole", resource: role(A.member, "stacksets-exec-attacker") }) },
    // Attacks beyond the write matrix's resources (names an attacker would squat, resources AWS creates later).
    { title: "a member administrator creates a stack named like the baseline StackSet's (squatting its name)", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "cloudformation:CreateStack", resource: `arn:aws:cloudformation:${home}:${A.member}:stack/StackSet-${PROD.namePrefix}-member-baseline-evil/1` }) },
    { title: "the monitoring administrator creates a log group under the central prefix before AWS does", expected: "denied", request: () => ({ principal: MONITORING_ADMIN, action: "logs:CreateLogGroup", resource: NAMES.centralLogGroup(A.member, "us-east-1", "/aws/lambda/new") }) },
    { title: "a member administrator names an alias of its own key like a governance alias", expected: "denied", request: () => ({ principal: MEMBER_ADMIN, action: "kms:CreateAlias", resource: `arn:aws:kms:${home}:${A.member}:${NAMES.trailKeyAlias}` }) },
    { title: "the monitoring administrator creates a centralization rule named with orgwatch's prefix", expected: "denied", request: () => ({ principal: MONITORING_ADMIN, action: "observabilityadmin:CreateCentralizationRuleForOrganization", resource: `arn:aws:observabilityadmin:${home}:${A.monitoring}:organization-centralization-rule/${PROD.namePrefix}-central-logs-2` }) },
    { title: "workload: the monitoring administrator creates a centralization rule of its own", expected: "allowed", request: () => ({ principal: MONITORING_ADMIN, action: "observabilityadmin:CreateCentralizationRuleForOrganization", resource: `arn:aws:observabilityadmin:${home}:${A.monitoring}:organization-centralization-rule/team-logs` }) },
    { title: "workload: a member administrator launches an instance", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "ec2:RunInstances", resource: `arn:aws:ec2:${home}:${A.member}:instance/i-0123456789abcdef0` }) },
    { title: "workload: a member administrator writes to a workload bucket", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "s3:PutObject", resource: "arn:aws:s3:::payments-prod-data/report.csv", resourceAccountId: A.member }) },
    { title: "workload: a member administrator deletes its own Lambda log group", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "logs:DeleteLogGroup", resource: `arn:aws:logs:${home}:${A.member}:log-group:/aws/lambda/app` }) },
    { title: "workload: a member administrator deletes its own alarm", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "cloudwatch:DeleteAlarms", resource: memberAlarm }) },
    { title: "workload: a member administrator stops its own account trail", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "cloudtrail:StopLogging", resource: otherTrailContext }) },
    { title: "workload: a member administrator schedules deletion of a workload key", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "kms:ScheduleKeyDeletion", resource: `arn:aws:kms:${home}:${A.member}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, resourcePolicy: workloadKeyPolicy, context: { "kms:ResourceAliases": ["alias/payments"] } }) },
    { title: "workload: a member administrator creates its own role", expected: "allowed", request: () => ({ principal: MEMBER_ADMIN, action: "iam:CreateRole", resource: role(A.member, "payments-api") }) },
];

describe("security: IAM policy simulator on the prod synth", function () {
    before(function () {
        this.timeout(120_000);
        synth = synthProd();
    });

    // The names are literals (fixtures/prod-names.json, from Pulumi.prod.yaml), not lib/naming.ts: a naming bug the
    // guardrail policy and the synth share shows here.
    it("the synth's physical names are prod's pinned names", () => {
        const r = synth.result.resources;
        const inputsOf = (type: string, key: string): unknown[] => r.filter((x) => x.type === type).map((x) => x.inputs[key]);
        expect(synth.result.outputs.trailArn).to.equal(NAMES.trailArn);
        expect(synth.result.outputs.trailBucketName).to.equal(NAMES.trailBucket);
        expect(synth.result.outputs.trailLogGroupName).to.equal(NAMES.trailLogGroup);
        expect(synth.result.outputs.alarmTopicArn).to.equal(NAMES.topicArn);
        expect(inputsOf("aws:cloudtrail/trail:Trail", "name")).to.deep.equal([NAMES.trailName]);
        expect(inputsOf("aws:s3/bucketPolicy:BucketPolicy", "bucket").sort()).to.deep.equal([NAMES.accessLogBucket, NAMES.trailBucket].sort());
        expect(inputsOf("aws:cloudwatch/logGroup:LogGroup", "name")).to.include(NAMES.trailLogGroup);
        expect(inputsOf("aws:iam/role:Role", "name")).to.include(NAMES.trailLogsRole);
        expect(inputsOf("aws:sns/topic:Topic", "name")).to.deep.equal([NAMES.topicName]);
        expect(inputsOf("aws:kms/alias:Alias", "name").sort()).to.deep.equal([NAMES.alarmsKeyAlias, NAMES.centralLogsKeyAlias, NAMES.logsKeyAlias, NAMES.trailKeyAlias].sort());
        expect(inputsOf("aws:cloudwatch/dashboard:Dashboard", "dashboardName")).to.deep.equal([NAMES.dashboard]);
        expect(inputsOf("aws:organizations/policy:Policy", "name")).to.deep.equal([NAMES.guardrailPolicy]);
        expect(inputsOf("aws:cloudformation/stackSet:StackSet", "name")).to.deep.equal([NAMES.baselineStackSet]);
        for (const name of inputsOf("aws:cloudwatch/metricAlarm:MetricAlarm", "name")) expect(String(name)).to.match(new RegExp(`^${NAMES.alarmNamePrefix}`));
        expect(Object.keys(synth.sinks).sort()).to.deep.equal([...PROD.regions.governed].sort());
    });

    // IAM guide, "The confused deputy problem": a service principal is admitted on behalf of a source the policy names
    // (aws:SourceArn, aws:SourceAccount or aws:SourceOrgID). Every resource policy of the synth, generated, not listed.
    it("names the source of every service-principal statement in every synthesized resource policy", () => {
        const documents: [string, string][] = [
            ["trail bucket", synth.trailBucketPolicy],
            ["access log bucket", synth.accessLogBucketPolicy],
            ["trail key", synth.trailKeyPolicy],
            ["logs key", synth.logsKeyPolicy],
            ["central logs key", synth.centralKeyPolicy],
            ["topic", synth.topicPolicy],
            ["topic key", synth.topicKeyPolicy],
            ["CloudTrail logs role trust", synth.trailLogsRole.trustPolicy],
            ...Object.entries(synth.sinks).map(([r, x]): [string, string] => [`sink ${r}`, x.policy]),
        ];
        const SOURCE_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID"];
        // The documented exception: "Confused deputy prevention is not applicable to the role policy for CloudWatch
        // Logs monitoring. The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount"
        // (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
        // A trail names the role only if its caller may iam:PassRole it, which never crosses accounts, and the role
        // writes only orgwatch's trail log streams (allow-list cloudtrail-logs-role-no-source).
        const NO_SOURCE_BINDING = ["CloudTrail logs role trust: CloudTrailAssumeRole"];
        const unnamed: string[] = [];
        const unbound: string[] = [];
        const ifExists: string[] = [];
        let checked = 0;
        for (const [name, text] of documents) {
            for (const st of (JSON.parse(text) as PolicyDocument).Statement) {
                const principal = st.Principal;
                if (st.Effect !== "Allow" || typeof principal !== "object" || principal.Service === undefined) continue;
                checked++;
                const conditions = Object.entries(st.Condition ?? {});
                const keys = conditions.flatMap(([, k]) => Object.keys(k));
                if (!keys.some((k) => SOURCE_KEYS.includes(k))) unnamed.push(`${name}: ${st.Sid}`);
                // A source key compared only IfExists binds nothing when the request omits it: the statement must have
                // another hard binding (a condition that is not IfExists and not on a source key), shown here.
                const hardSource = conditions.some(([op, k]) => !op.endsWith("IfExists") && Object.keys(k).some((key) => SOURCE_KEYS.includes(key)));
                if (!hardSource) {
                    const hard = conditions.filter(([op]) => !op.endsWith("IfExists")).flatMap(([op, k]) => Object.keys(k).map((key) => `${op} ${key}`));
                    if (hard.length === 0) unbound.push(`${name}: ${st.Sid}`);
                    else ifExists.push(`${name}: ${st.Sid} (source keys IfExists; bound by ${hard.join(", ")})`);
                }
            }
        }
        console.log(`      service-principal statements with IfExists source keys: ${ifExists.length === 0 ? "none" : ""}`);
        for (const line of ifExists) console.log(`        ${line}`);
        expect(checked).to.be.greaterThan(6);
        expect(unnamed).to.deep.equal([]);
        console.log(`      service-principal statements bound by no condition when the request names no source (documented exceptions): ${unbound.join("; ") || "none"}`);
        expect(unbound).to.deep.equal(NO_SOURCE_BINDING);
    });

    scenarios("trail bucket policy", BUCKET_SCENARIOS);
    scenarios("KMS key policies", KEY_SCENARIOS);
    scenarios("alarm topic and its key", TOPIC_SCENARIOS);

    describe("OAM sink policy, in every governed Region", () => {
        for (const region of PROD.regions.governed) {
            it(`${region}: orgwatch's link creator in an account of the organization (the StackSets execution role) links, sharing configured types: allowed`, async () => {
                expect(await simulate({ policy: synth.sinks[region].policy, ...linkRequest(region, role(A.member, "stacksets-exec-0123456789abcdef"), true, SHARED_TYPES) })).to.equal("allowed");
            });
            // A source account links to a monitoring account once (https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html).
            it(`${region}: another role of an account of the organization (taking orgwatch's place at the sink): implicitly denied`, async () => {
                expect(await simulate({ policy: synth.sinks[region].policy, ...linkRequest(region, memberRole(A.member), true, SHARED_TYPES) })).to.equal("implicitly denied");
            });
            it(`${region}: an account outside the organization links: implicitly denied`, async () => {
                expect(await simulate({ policy: synth.sinks[region].policy, ...linkRequest(region, OUTSIDER, false, SHARED_TYPES) })).to.equal("implicitly denied");
            });
            it(`${region}: an account of the organization sharing a type not configured: implicitly denied`, async () => {
                const types = [...SHARED_TYPES, "AWS::ApplicationInsights::Application"];
                expect(await simulate({ policy: synth.sinks[region].policy, ...linkRequest(region, memberRole(A.member), true, types) })).to.equal("implicitly denied");
            });
        }
    });

    describe("guardrail SCP (with FullAWSAccess, allow-all identity policies, member-account principals)", () => {
        it("is one SCP within the size limit (printed; docs/SECURITY.md states it)", () => {
            const sizes = synth.scps.map((text) => guardrailScpSize(JSON.parse(text) as PolicyDocument));
            sizes.forEach((size, i) => console.log(`      guardrail SCP ${i + 1} of ${sizes.length}: ${size} of ${SCP_MAX_SIZE} characters`));
            expect(sizes).to.have.length(1);
            expect(sizes[0]).to.be.at.most(SCP_MAX_SIZE);
        });
        for (const s of SCP_SCENARIOS) {
            it(`${s.title}: ${s.expected}`, async () => {
                expect(await orgSimulate({ scp: synth.scps, ...s.request(synth) })).to.equal(s.expected);
            });
        }
    });

    describe("mutation: removing any single condition from the synthesized trail bucket policy flips a scenario", () => {
        interface Mutation {
            readonly label: string;
            readonly policy: string;
        }
        // Every (statement, operator, key) of the document, found in the synthesized text, removed one at a time.
        function mutations(policyText: string): Mutation[] {
            const doc = JSON.parse(policyText) as { Statement: { Sid: string; Condition?: Record<string, Record<string, unknown>> }[] };
            const out: Mutation[] = [];
            doc.Statement.forEach((st, i) => {
                for (const [op, keys] of Object.entries(st.Condition ?? {})) {
                    for (const key of Object.keys(keys)) {
                        const copy = JSON.parse(policyText) as typeof doc;
                        const cond = copy.Statement[i].Condition as Record<string, Record<string, unknown>>;
                        delete cond[op][key];
                        if (Object.keys(cond[op]).length === 0) delete cond[op];
                        if (Object.keys(cond).length === 0) delete copy.Statement[i].Condition;
                        out.push({ label: `${st.Sid}: ${op} ${key}`, policy: JSON.stringify(copy) });
                    }
                }
            });
            return out;
        }

        it("the bucket policy has conditions to remove", () => {
            expect(mutations(synth.trailBucketPolicy).length).to.be.at.least(6);
        });

        it("each removal changes the outcome of at least one bucket scenario", async function () {
            this.timeout(60_000);
            const survivors: string[] = [];
            for (const m of mutations(synth.trailBucketPolicy)) {
                let flipped = false;
                for (const s of BUCKET_SCENARIOS) {
                    // Compared with the unmutated document's outcome, so the test means the same thing whether
                    // or not every scenario passes.
                    if ((await evaluate(s, m.policy)) !== (await evaluate(s, synth.trailBucketPolicy))) {
                        flipped = true;
                        break;
                    }
                }
                if (!flipped) survivors.push(m.label);
            }
            expect(survivors, "conditions whose removal no scenario notices").to.deep.equal([]);
        });
    });
});
