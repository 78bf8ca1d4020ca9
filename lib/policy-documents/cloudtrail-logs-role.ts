import { SERVICE_PRINCIPALS } from "./principals";
import { POLICY_VERSION, type PolicyDocument } from "./types";
import { requireAccountId, requireArn, requireLogGroupName, requireOrganizationId, requirePartition, requireRegion } from "./validate";

/** Arguments of {@link cloudTrailLogsAssumeRolePolicy}. */
export interface CloudTrailLogsAssumeRolePolicyArgs {
    readonly partition: string;
    readonly managementAccountId: string;
    /** The organization trail (management account) that delivers through the role. */
    readonly trailArn: string;
}

/**
 * Trust policy of the role CloudTrail assumes to deliver events to CloudWatch Logs: `CloudTrailAssumeRole`, for
 * this trail (`aws:SourceArn`) of the management account (`aws:SourceAccount`).
 *
 * The CloudTrail guide's role (CloudTrail_CloudWatchLogs_Role) has no condition; the IAM guide's confused-deputy
 * page recommends aws:SourceArn and aws:SourceAccount in every service-role trust policy, as hard conditions ("the
 * most effective way to protect against the confused deputy problem is to use aws:SourceArn with the full ARN of
 * the resource"). They are compared strictly (`ArnEquals`, `StringEquals`): a request that carries neither, or
 * names another trail, is not trusted. If CloudTrail did not send them when it assumes this role, delivery to
 * CloudWatch Logs would stop and the trail delivery heartbeat alarm fires (docs/SECURITY.md, "What only AWS shows").
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function cloudTrailLogsAssumeRolePolicy(a: CloudTrailLogsAssumeRolePolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireArn("trailArn", a.trailArn, a.partition, "cloudtrail");
    if (a.trailArn.split(":")[4] !== a.managementAccountId) {
        throw new Error(`trailArn must belong to the management account ${a.managementAccountId}; received ${JSON.stringify(a.trailArn)}`);
    }
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "CloudTrailAssumeRole",
                Effect: "Allow",
                Principal: { Service: SERVICE_PRINCIPALS.cloudTrail },
                Action: "sts:AssumeRole",
                Condition: { ArnEquals: { "aws:SourceArn": a.trailArn }, StringEquals: { "aws:SourceAccount": a.managementAccountId } },
            },
        ],
    };
}

/** Arguments of {@link cloudTrailLogsRolePolicy}. */
export interface CloudTrailLogsRolePolicyArgs {
    readonly partition: string;
    /** The trail's home Region (where the log group lives). */
    readonly region: string;
    /** The trail-owning account, which also owns the log group. */
    readonly managementAccountId: string;
    readonly organizationId: string;
    readonly logGroupName: string;
}

/**
 * Permissions of that role: `CloudTrailCreateLogStream` and `CloudTrailPutLogEvents` on the log group's
 * streams `<management-account-id>_CloudTrail_<region>*` (the account's own events) and `<org-id>_*`
 * (an organization trail writes one stream per member account under the organization id).
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
 */
export function cloudTrailLogsRolePolicy(a: CloudTrailLogsRolePolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireRegion("region", a.region);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireOrganizationId("organizationId", a.organizationId);
    requireLogGroupName("logGroupName", a.logGroupName);
    const group = `arn:${a.partition}:logs:${a.region}:${a.managementAccountId}:log-group:${a.logGroupName}`;
    const streams = [
        `${group}:log-stream:${a.managementAccountId}_CloudTrail_${a.region}*`,
        `${group}:log-stream:${a.organizationId}_*`,
    ];
    return {
        Version: POLICY_VERSION,
        Statement: [
            { Sid: "CloudTrailCreateLogStream", Effect: "Allow", Action: "logs:CreateLogStream", Resource: streams },
            { Sid: "CloudTrailPutLogEvents", Effect: "Allow", Action: "logs:PutLogEvents", Resource: streams },
        ],
    };
}
