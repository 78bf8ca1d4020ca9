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
 * Trust policy of the role CloudTrail assumes to deliver events to CloudWatch Logs: `CloudTrailAssumeRole`, naming
 * this trail (`aws:SourceArn`) of the management account (`aws:SourceAccount`) only where the request carries them
 * (`ArnEqualsIfExists`, `StringEqualsIfExists`).
 *
 * Not hard conditions: the CloudTrail guide says of this role "Confused deputy prevention is not applicable to the
 * role policy for CloudWatch Logs monitoring. The role policy doesn't support the use of aws:SourceArn and
 * aws:SourceAccount", and its own role (CloudTrail_CloudWatchLogs_Role) has no condition. A hard condition would
 * refuse CloudTrail's delivery if it assumes the role without them: every CIS alarm would go blind. What binds the
 * role instead: a trail can only name it if the caller of CreateTrail/UpdateTrail may `iam:PassRole` it, and
 * PassRole never crosses accounts (only principals of the management account pass it); and the role's
 * permissions ({@link cloudTrailLogsRolePolicy}) reach only orgwatch's trail log streams.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
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
                Condition: { ArnEqualsIfExists: { "aws:SourceArn": a.trailArn }, StringEqualsIfExists: { "aws:SourceAccount": a.managementAccountId } },
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
