import { governanceKeyDenials, keyAdministration } from "./key-admin";
import { accountRootArn } from "./arns";
import { SERVICE_PRINCIPALS } from "./principals";
import { POLICY_VERSION, type PolicyDocument } from "./types";
import { requireAccountId, requirePartition, requireRegion } from "./validate";

/** Arguments of {@link alarmTopicKeyPolicy}. */
export interface AlarmTopicKeyPolicyArgs {
    readonly partition: string;
    /** Region of the topic and the alarms. */
    readonly region: string;
    /** Account owning the key, the topic and the alarms. */
    readonly accountId: string;
    /** The topic the key encrypts. */
    readonly topicArn: string;
    readonly adminPrincipalArns: readonly string[];
}

/** What CloudWatch alarms need on the topic's key to publish to an encrypted topic. */
export const ALARM_TOPIC_KEY_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:GenerateDataKey*"];

/**
 * Key policy of the KMS key encrypting the alarm topic: `EnableKeyAdministration`, `CloudWatchAlarmsUseKey`,
 * `DenyGrantsExceptForAwsResources`, `DenyDataKeysExceptAwsServices`. The AWS managed key `alias/aws/sns` cannot
 * be used: its policy does not admit CloudWatch.
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 */
export function alarmTopicKeyPolicy(a: AlarmTopicKeyPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireRegion("region", a.region);
    requireAccountId("accountId", a.accountId);
    requireTopicArn("topicArn", a.topicArn, a.partition, a.region, a.accountId);
    return {
        Version: POLICY_VERSION,
        Statement: [
            keyAdministration(a.partition, a.accountId, a.adminPrincipalArns),
            // CloudWatch uses the key only for alarms of this account (aws:SourceArn) and only through this topic
            // (SNS passes the topic ARN as encryption context), the SNS guide's policy for AWS services publishing
            // to an encrypted topic.
            // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
            {
                Sid: "CloudWatchAlarmsUseKey",
                Effect: "Allow",
                Principal: { Service: SERVICE_PRINCIPALS.cloudWatch },
                Action: ALARM_TOPIC_KEY_ACTIONS,
                Resource: "*",
                Condition: {
                    ArnLike: { "aws:SourceArn": `arn:${a.partition}:cloudwatch:${a.region}:${a.accountId}:alarm:*` },
                    StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": a.topicArn },
                },
            },
            ...governanceKeyDenials(),
        ],
    };
}

/** Arguments of {@link alarmTopicPolicy}. */
export interface AlarmTopicPolicyArgs {
    readonly partition: string;
    readonly region: string;
    /** Account owning the topic and the alarms. */
    readonly accountId: string;
    readonly topicArn: string;
}

/** Topic management the owning account keeps (the SNS default policy's actions, minus Publish). */
export const ALARM_TOPIC_OWNER_ACTIONS: readonly string[] = [
    "sns:AddPermission",
    "sns:DeleteTopic",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "sns:RemovePermission",
    "sns:SetTopicAttributes",
    "sns:Subscribe",
];

/**
 * Topic policy of the alarm topic: `CloudWatchAlarmsPublish`, `OwnerAccountManagement`, `DenyInsecureTransport`.
 */
export function alarmTopicPolicy(a: AlarmTopicPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireRegion("region", a.region);
    requireAccountId("accountId", a.accountId);
    requireTopicArn("topicArn", a.topicArn, a.partition, a.region, a.accountId);
    return {
        Version: POLICY_VERSION,
        Statement: [
            // Only alarms of the owning account, in the topic's Region, may publish (aws:SourceArn is the alarm).
            // https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
            // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: SERVICE_PRINCIPALS.cloudWatch },
                Action: "sns:Publish",
                Resource: a.topicArn,
                Condition: {
                    ArnLike: { "aws:SourceArn": `arn:${a.partition}:cloudwatch:${a.region}:${a.accountId}:alarm:*` },
                    StringEquals: { "aws:SourceAccount": a.accountId },
                },
            },
            // The owning account keeps managing the topic, as in the SNS default topic policy.
            // https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
            {
                Sid: "OwnerAccountManagement",
                Effect: "Allow",
                Principal: { AWS: accountRootArn(a.partition, a.accountId) },
                Action: ALARM_TOPIC_OWNER_ACTIONS,
                Resource: a.topicArn,
            },
            // https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: a.topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

function requireTopicArn(name: string, topicArn: string, partition: string, region: string, accountId: string): void {
    const topicPrefix = `arn:${partition}:sns:${region}:${accountId}:`;
    if (!topicArn.startsWith(topicPrefix) || !/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(topicArn.slice(topicPrefix.length))) {
        throw new Error(`${name} must be a topic ARN of the form ${topicPrefix}<name>; received ${JSON.stringify(topicArn)}`);
    }
}
