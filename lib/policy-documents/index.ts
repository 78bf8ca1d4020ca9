/**
 * The resource policies orgwatch writes, as pure functions of plain strings (resolve Pulumi Outputs with
 * `pulumi.all(...).apply(...)` first). Each statement follows an AWS-documented rule; the page is cited above
 * each statement builder.
 */
export { accessLogBucketPolicy, type AccessLogBucketPolicyArgs } from "./access-log-bucket";
export { ALARM_TOPIC_KEY_ACTIONS, ALARM_TOPIC_OWNER_ACTIONS, alarmTopicKeyPolicy, alarmTopicPolicy } from "./alarm-topic";
export type { AlarmTopicKeyPolicyArgs, AlarmTopicPolicyArgs } from "./alarm-topic";
export { trailArn } from "./arns";
export { cloudTrailLogsAssumeRolePolicy, cloudTrailLogsRolePolicy } from "./cloudtrail-logs-role";
export type { CloudTrailLogsAssumeRolePolicyArgs, CloudTrailLogsRolePolicyArgs } from "./cloudtrail-logs-role";
export {
    BASELINE_LINK_TAG,
    GUARDRAIL_KEY_READ_ACTIONS,
    GUARDRAIL_MAX_POLICIES,
    GUARDRAIL_MONITORING_ACCOUNT_ACTIONS,
    GUARDRAIL_POLICY_READ_ACTIONS,
    GUARDRAIL_READ_ACTIONS,
    GUARDRAIL_TAG,
    guardrailScp,
    guardrailScps,
    guardrailScpSize,
    SCP_MAX_PER_TARGET,
    SCP_MAX_SIZE,
    splitGuardrail,
    STACKSET_EXECUTION_ROLE_PATTERN,
    type GuardrailScpArgs,
} from "./guardrail-scp";
export { policyJson } from "./json";
export { GOVERNANCE_KEY_SERVICE_ACTIONS, governanceKeyDenials } from "./key-admin";
export { LOGS_KEY_ACTIONS, logGroupKeyPolicy, type LogGroupKeyPolicyArgs } from "./log-group-key";
export { OAM_RESOURCE_TYPES, oamSinkPolicy, type OamSinkPolicyArgs } from "./oam-sink";
export { logsServicePrincipal, SERVICE_PRINCIPALS } from "./principals";
export {
    ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE,
    ARCHIVE_OBJECT_ACTIONS_FOR_EVERYONE,
    ARCHIVE_UNCONDITIONAL_DENY_ACTIONS,
    archiveBucketDenials,
    TRAIL_BUCKET_READ_ACTIONS,
    trailBucketPolicy,
    type TrailBucketPolicyArgs,
} from "./trail-bucket";
export { trailKeyPolicy, type TrailKeyPolicyArgs } from "./trail-key";
export { POLICY_VERSION } from "./types";
export type { ConditionValue, PolicyCondition, PolicyDocument, PolicyPrincipal, PolicyStatement } from "./types";
export { PARTITIONS, type Partition } from "./validate";
