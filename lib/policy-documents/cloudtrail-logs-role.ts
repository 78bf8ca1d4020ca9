import { SERVICE_PRINCIPALS } from "./principals";
import { POLICY_VERSION, type PolicyDocument } from "./types";
import { requireAccountId, requireArn, requireLogGroupName, requireOrganizationId, requirePartition, requireRegion } from "./validate";

/** Arguments of {@link cloudTrailLogsAssumeRolePolicy}. */
export interface CloudTrailLogsAssumeRolePolicyArgs {
    readonly partition: string;
    readonly managementAccountId: string;
    /**
     * When given, the trust is limited to this trail (`aws:SourceArn`) of the management account
     * (`aws:SourceAccount`). The CloudTrail guide's role examples do not use these keys, so this is opt-in.
     * @default - no condition: trusted by the CloudTrail service principal, as the guide's default role
     */
    readonly trailArn?: string;
}

/**
 * Trust policy of the role CloudTrail assumes to deliver events to CloudWatch Logs: `CloudTrailAssumeRole`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
 */
export function cloudTrailLogsAssumeRolePolicy(a: CloudTrailLogsAssumeRolePolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireAccountId("managementAccountId", a.managementAccountId);
    if (a.trailArn !== undefined) {
        requireArn("trailArn", a.trailArn, a.partition, "cloudtrail");
        if (a.trailArn.split(":")[4] !== a.managementAccountId) {
            throw new Error(`trailArn must belong to the management account ${a.managementAccountId}; received ${JSON.stringify(a.trailArn)}`);
        }
    }
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "CloudTrailAssumeRole",
                Effect: "Allow",
                Principal: { Service: SERVICE_PRINCIPALS.cloudTrail },
                Action: "sts:AssumeRole",
                ...(a.trailArn !== undefined
                    ? { Condition: { StringEquals: { "aws:SourceArn": a.trailArn, "aws:SourceAccount": a.managementAccountId } } }
                    : {}),
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
