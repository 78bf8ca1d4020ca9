import { UserError } from "../errors";
import { policyJson } from "./json";
import { TRAIL_BUCKET_PROTECTED_CONFIG_ACTIONS } from "./trail-bucket";
import { POLICY_VERSION, type PolicyCondition, type PolicyDocument, type PolicyStatement } from "./types";
import {
    requireAccountId,
    requireBucketName,
    requireLogGroupName,
    requireNonEmptyList,
    requirePartition,
    requireRegion,
    requireTrailName,
    unique,
} from "./validate";

/**
 * Maximum size of a service control policy. AWS Organizations quotas: "Service control policies: 5120
 * characters"; the console strips insignificant whitespace before counting, but a policy saved through an
 * SDK (which is how Pulumi saves it) is stored and counted exactly as sent. orgwatch sends compact JSON
 * and counts its UTF-8 bytes, which is never less than its characters, so the check holds under either
 * reading of the quota (one version of the page says "5120 bytes (not characters)").
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCP_MAX_SIZE = 5120;

/**
 * At most 5 SCPs can be attached to one root, OU or account, the AWS managed `FullAWSAccess` included.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCP_MAX_PER_TARGET = 5;

/** Config key the size error points at. */
const CONFIG_PATH = "orgwatch:guardrails";

/** CloudTrail actions that stop or weaken the organization trail. */
export const GUARDRAIL_TRAIL_ACTIONS: readonly string[] = [
    "cloudtrail:DeleteTrail",
    "cloudtrail:PutEventSelectors",
    "cloudtrail:PutInsightSelectors",
    "cloudtrail:StopLogging",
    "cloudtrail:UpdateTrail",
];

/** CloudWatch Logs actions that delete, shorten, re-key or detach the governance log groups. */
export const GUARDRAIL_LOG_GROUP_ACTIONS: readonly string[] = [
    "logs:AssociateKmsKey",
    "logs:DeleteLogGroup",
    "logs:DeleteLogStream",
    "logs:DeleteMetricFilter",
    "logs:DeleteRetentionPolicy",
    "logs:DeleteSubscriptionFilter",
    "logs:DisassociateKmsKey",
    "logs:PutMetricFilter",
    "logs:PutRetentionPolicy",
    "logs:PutSubscriptionFilter",
];

/** CloudWatch actions that delete, silence or rewrite the governance alarms. */
export const GUARDRAIL_ALARM_ACTIONS: readonly string[] = ["cloudwatch:DeleteAlarms", "cloudwatch:DisableAlarmActions", "cloudwatch:PutMetricAlarm"];

/** SNS actions that delete or re-route the alarm topic and its subscriptions. */
export const GUARDRAIL_TOPIC_ACTIONS: readonly string[] = [
    "sns:AddPermission",
    "sns:DeleteTopic",
    "sns:RemovePermission",
    "sns:SetSubscriptionAttributes",
    "sns:SetTopicAttributes",
    "sns:Subscribe",
    "sns:Unsubscribe",
];

/** CloudWatch cross-account observability actions that disconnect accounts from the monitoring account. */
export const GUARDRAIL_OAM_ACTIONS: readonly string[] = ["oam:DeleteLink", "oam:DeleteSink", "oam:PutSinkPolicy", "oam:UpdateLink"];

/** KMS actions that make the governance keys unusable (and the logs they encrypt unreadable). */
export const GUARDRAIL_KEY_ACTIONS: readonly string[] = ["kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"];

/** KMS actions that move a governance alias away from its key (which would lift the key protection). */
export const GUARDRAIL_ALIAS_ACTIONS: readonly string[] = ["kms:DeleteAlias", "kms:UpdateAlias"];

/** IAM actions that would let someone take over, or remove, a role the guardrails exempt. */
export const GUARDRAIL_ROLE_ACTIONS: readonly string[] = [
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
];

/** Arguments of {@link guardrailScp}. Every name is the physical name orgwatch gives the resource (lib/naming.ts). */
export interface GuardrailScpArgs {
    readonly partition: string;
    /** Owns the organization trail, its log group, the alarms and the alarm topic. */
    readonly managementAccountId: string;
    /** Owns the OAM sinks and the centralized log groups. */
    readonly monitoringAccountId: string;
    /** Region of the trail, its log group, the alarms, the topic and the centralized log groups. */
    readonly homeRegion: string;
    /** Regions with an OAM sink in the monitoring account and a link in every member account. */
    readonly governedRegions: readonly string[];
    /**
     * The organization trail's name.
     * @default - no CloudTrail statement: an adopted trail (e.g. Control Tower's) stays under its owner's controls
     */
    readonly trailName?: string;
    /** The trail's log group in the management account. */
    readonly trailLogGroupName: string;
    /**
     * Name prefixes of further governance log groups in the monitoring account's home Region (the
     * centralized copies, `<namePrefix>/central/`).
     * @default []
     */
    readonly centralLogGroupNamePrefixes?: readonly string[];
    /**
     * The governance alarms: exact names (one ARN each), or a name prefix (one `<prefix>*` ARN however many
     * alarms, for when the names do not fit the size limit).
     */
    readonly alarms: { readonly names: readonly string[] } | { readonly namePrefix: string };
    /** The alarm topic's name. */
    readonly topicName: string;
    /**
     * Log archive buckets whose configuration (policy, versioning, lifecycle, Object Lock, ...) only the deploy
     * roles may change. Closes the gap a bucket policy leaves: S3 always lets the bucket owner's root user
     * rewrite the bucket policy, but an SCP binds a member account's root user.
     * @default []
     */
    readonly trailBucketNames?: readonly string[];
    /**
     * Aliases (`alias/...`) of the governance KMS keys: keys carrying one of them cannot be disabled, scheduled
     * for deletion or re-policied, and the aliases cannot be moved or deleted, except by the deploy roles.
     * @default []
     */
    readonly kmsKeyAliases?: readonly string[];
    /**
     * Roles exempt from every statement except `DenyLeaveOrganization`, matched with `ArnNotLike` on
     * `aws:PrincipalArn` (`*` allowed for the account, and `*`/`?` in the name). Include the role orgwatch
     * assumes in member accounts (`arn:<partition>:iam::*:role/<memberRoleName>`), or `pulumi up` itself is
     * denied there. The same ARNs are protected from being created, changed or deleted by anyone else, so the
     * exemption cannot be taken over. Empty: the statements deny everyone in member accounts (changes then
     * need the policy detached first).
     */
    readonly deployRoleArns: readonly string[];
}

/**
 * The monitoring guardrail service control policy: denies, to every principal of the member accounts except
 * the deploy roles, the actions that would switch monitoring off or blind it. Throws a {@link UserError} when
 * the document exceeds {@link SCP_MAX_SIZE}.
 *
 * Statements:
 * - `DenyMonitoringChanges`: every name-scoped resource (trail, log groups, alarms, topic, OAM links and sinks,
 *   log archive buckets, key aliases, the deploy roles themselves) in one statement, so the deploy-role
 *   condition is written once: repeated per resource family it would cost the 5,120-character budget about
 *   ten times per deploy role. Pairing every action with every resource is harmless, because each action is
 *   authorized against ARNs of its own service and resource type only (a `cloudtrail:StopLogging` request never
 *   names a log group).
 * - `DenyGovernanceKeyChanges` (when `kmsKeyAliases` is given): keys matched by alias, not by ARN.
 * - `DenyLeaveOrganization`: everyone, deploy roles included.
 *
 * SCPs take no `Principal`; who is exempt is a condition on `aws:PrincipalArn`. SCPs never restrict the
 * management account, service-linked roles or AWS service principals.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 */
export function guardrailScp(a: GuardrailScpArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireAccountId("monitoringAccountId", a.monitoringAccountId);
    requireRegion("homeRegion", a.homeRegion);
    requireNonEmptyList("governedRegions", a.governedRegions);
    a.governedRegions.forEach((r, i) => requireRegion(`governedRegions[${i}]`, r));
    if (a.trailName !== undefined) requireTrailName("trailName", a.trailName);
    requireLogGroupName("trailLogGroupName", a.trailLogGroupName);
    (a.centralLogGroupNamePrefixes ?? []).forEach((p, i) => requireLogGroupName(`centralLogGroupNamePrefixes[${i}]`, p));
    if ("namePrefix" in a.alarms) requireAlarmName("alarms.namePrefix", a.alarms.namePrefix);
    else a.alarms.names.forEach((n, i) => requireAlarmName(`alarms.names[${i}]`, n));
    requireTopicName("topicName", a.topicName);
    (a.trailBucketNames ?? []).forEach((b, i) => requireBucketName(`trailBucketNames[${i}]`, b));
    (a.kmsKeyAliases ?? []).forEach((k, i) => requireAlias(`kmsKeyAliases[${i}]`, k));
    a.deployRoleArns.forEach((r, i) => requireRolePattern(`deployRoleArns[${i}]`, r, a.partition));

    const p = a.partition;
    const home = a.homeRegion;
    const mgmt = a.managementAccountId;
    const regions = unique(a.governedRegions);
    const exempt = unique(a.deployRoleArns);
    const aliases = unique(a.kmsKeyAliases ?? []);
    const buckets = unique(a.trailBucketNames ?? []);
    // With no deploy role the statements have no condition rather than an empty, invalid one.
    const unlessDeployRole: PolicyCondition = exempt.length > 0 ? { ArnNotLike: { "aws:PrincipalArn": exempt } } : {};
    const actions: string[] = [];
    const resources: string[] = [];
    const protect = (acts: readonly string[], arns: readonly string[]): void => {
        if (arns.length === 0) return;
        actions.push(...acts);
        resources.push(...arns);
    };

    // The trail ARN names the management account even when a CloudTrail delegated administrator (a member
    // account, which SCPs do bind) manages the trail.
    if (a.trailName !== undefined) protect(GUARDRAIL_TRAIL_ACTIONS, [`arn:${p}:cloudtrail:${home}:${mgmt}:trail/${a.trailName}`]);

    // CloudWatch Logs authorizes some actions on `log-group:<name>` and others on `log-group:<name>:*` (streams,
    // filters), so both forms are listed; a prefix pattern ending in `*` covers both.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html
    const trailGroup = `arn:${p}:logs:${home}:${mgmt}:log-group:${a.trailLogGroupName}`;
    const centralGroups = unique(a.centralLogGroupNamePrefixes ?? []).map((prefix) => `arn:${p}:logs:${home}:${a.monitoringAccountId}:log-group:${prefix}*`);
    protect(GUARDRAIL_LOG_GROUP_ACTIONS, [trailGroup, `${trailGroup}:*`, ...centralGroups]);

    const alarmArn = (name: string): string => `arn:${p}:cloudwatch:${home}:${mgmt}:alarm:${name}`;
    protect(GUARDRAIL_ALARM_ACTIONS, "namePrefix" in a.alarms ? [alarmArn(`${a.alarms.namePrefix}*`)] : unique(a.alarms.names).map(alarmArn));

    // Unsubscribe and SetSubscriptionAttributes name the subscription, `<topic ARN>:<subscription id>`.
    // https://docs.aws.amazon.com/sns/latest/api/API_Unsubscribe.html
    const topic = `arn:${p}:sns:${home}:${mgmt}:${a.topicName}`;
    protect(GUARDRAIL_TOPIC_ACTIONS, [topic, `${topic}:*`]);

    // Links live in every member account (account wildcard) and have generated ids; the monitoring account has
    // one sink per Region, also with a generated id.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchobservabilityaccessmanager.html
    protect(GUARDRAIL_OAM_ACTIONS, [
        ...regions.map((r) => `arn:${p}:oam:${r}:*:link/*`),
        ...regions.map((r) => `arn:${p}:oam:${r}:${a.monitoringAccountId}:sink/*`),
    ]);

    protect(TRAIL_BUCKET_PROTECTED_CONFIG_ACTIONS, buckets.map((b) => `arn:${p}:s3:::${b}`));

    // The aliases are protected so they cannot be moved off the keys before the keys are disabled.
    protect(GUARDRAIL_ALIAS_ACTIONS, aliases.map((k) => `arn:${p}:kms:*:*:${k}`));

    // An exemption by role name is only as strong as the account admins' inability to create, re-trust or
    // re-permission that role; Control Tower protects its roles with the same actions (CT.IAM.PV.1).
    // https://docs.aws.amazon.com/controltower/latest/controlreference/ct-iam-pv-1.html
    protect(GUARDRAIL_ROLE_ACTIONS, exempt);

    const statements: PolicyStatement[] = [deny("DenyMonitoringChanges", unique(actions), unique(resources), unlessDeployRole)];
    if (aliases.length > 0) {
        // Key ids are generated, so the keys are matched by their aliases (kms:ResourceAliases).
        // https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
        statements.push(deny("DenyGovernanceKeyChanges", GUARDRAIL_KEY_ACTIONS, ["*"], { "ForAnyValue:StringEquals": { "kms:ResourceAliases": aliases }, ...unlessDeployRole }));
    }
    // Nobody, deploy roles included: an account that leaves takes itself out of every guardrail and log.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html
    statements.push(deny("DenyLeaveOrganization", ["organizations:LeaveOrganization"], ["*"], {}));

    const doc: PolicyDocument = { Version: POLICY_VERSION, Statement: statements };
    const size = guardrailScpSize(doc);
    if (size > SCP_MAX_SIZE) {
        throw new UserError("The monitoring guardrail policy is too large for a service control policy", [
            {
                path: CONFIG_PATH,
                allowed: `a policy of at most ${SCP_MAX_SIZE} characters (fewer deploy roles or governed Regions, or alarms matched by name prefix)`,
                received: `${size} characters`,
            },
        ]);
    }
    return doc;
}

function deny(sid: string, action: readonly string[], resource: readonly string[], condition: PolicyCondition): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Deny",
        Action: action.length === 1 ? action[0] : action,
        Resource: resource.length === 1 ? resource[0] : resource,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
}

/** Size AWS Organizations counts for the document as orgwatch submits it: UTF-8 bytes of its compact JSON. */
export function guardrailScpSize(doc: PolicyDocument): number {
    return new TextEncoder().encode(policyJson(doc)).length;
}

function fail(name: string, allowed: string, value: unknown): never {
    throw new Error(`${name} must be ${allowed}; received ${JSON.stringify(value)}`);
}

/** CloudWatch alarm names: 1-255 characters, no control characters; `*`/`?` would widen the ARN. */
function requireAlarmName(name: string, value: string): void {
    const control = [...value].some((c) => c.charCodeAt(0) < 0x20);
    if (!/^[^*?]{1,255}$/.test(value) || control) fail(name, "a CloudWatch alarm name without wildcards", value);
}

/** SNS topic names: 1-256 letters, digits, '_' and '-' (plus `.fifo`). */
function requireTopicName(name: string, value: string): void {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value)) fail(name, "an SNS topic name", value);
}

function requireAlias(name: string, value: string): void {
    if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(value) || value.startsWith("alias/aws/")) fail(name, "a customer managed KMS alias (alias/...)", value);
}

/** A role ARN or pattern: 12-digit account or `*`, name with optional `*`/`?` wildcards. */
function requireRolePattern(name: string, value: string, partition: string): void {
    const escaped = partition.replace(/-/g, "\\-");
    if (!new RegExp(`^arn:${escaped}:iam::(\\d{12}|\\*):role/[\\w+=,.@/*?-]{1,512}$`).test(value)) {
        fail(name, `an IAM role ARN or pattern such as arn:${partition}:iam::*:role/OrganizationAccountAccessRole`, value);
    }
}
