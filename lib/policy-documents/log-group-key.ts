import { governanceKeyDenials, keyAdministration } from "./key-admin";
import { logsServicePrincipal } from "./principals";
import { POLICY_VERSION, type PolicyCondition, type PolicyDocument } from "./types";
import { requireAccountId, requireLogGroupName, requireNonEmptyList, requireOrganizationId, requirePartition, requireRegion, unique } from "./validate";

/** Arguments of {@link logGroupKeyPolicy}. */
export interface LogGroupKeyPolicyArgs {
    readonly partition: string;
    /** Region of the key and of the log groups (the service principal is regional). */
    readonly region: string;
    /** Account owning the key and the log groups. */
    readonly accountId: string;
    /** The organization: CloudWatch Logs uses the key only on behalf of its accounts (`aws:SourceOrgID`). */
    readonly organizationId: string;
    /** Exactly the log groups this key may encrypt. */
    readonly logGroupNames: readonly string[];
    /**
     * Name prefixes of further log groups this key may encrypt (`ArnLike` on `<prefix>*`), for log groups
     * created by a service under a known prefix, such as centralized copies. @default []
     */
    readonly logGroupNamePrefixes?: readonly string[];
    readonly adminPrincipalArns: readonly string[];
}

/** The documented actions CloudWatch Logs needs on a customer managed key. */
export const LOGS_KEY_ACTIONS: readonly string[] = [
    "kms:Encrypt*",
    "kms:Decrypt*",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Describe*",
];

/**
 * Key policy of a KMS key encrypting CloudWatch Logs log groups: `EnableKeyAdministration`,
 * `CloudWatchLogsEncryptLogGroups`, then `DenyGrantsExceptForAwsResources` and `DenyDataKeysExceptAwsServices`.
 */
export function logGroupKeyPolicy(a: LogGroupKeyPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireRegion("region", a.region);
    requireAccountId("accountId", a.accountId);
    requireOrganizationId("organizationId", a.organizationId);
    const prefixes = a.logGroupNamePrefixes ?? [];
    requireNonEmptyList("logGroupNames and logGroupNamePrefixes", [...a.logGroupNames, ...prefixes]);
    a.logGroupNames.forEach((n, i) => requireLogGroupName(`logGroupNames[${i}]`, n));
    prefixes.forEach((n, i) => requireLogGroupName(`logGroupNamePrefixes[${i}]`, n));
    const arnOf = (name: string): string => `arn:${a.partition}:logs:${a.region}:${a.accountId}:log-group:${name}`;
    const exact = unique(a.logGroupNames).map(arnOf);
    const byPrefix = unique(prefixes).map((p) => `${arnOf(p)}*`);
    const condition: PolicyCondition = {
        ...(exact.length > 0 ? { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": exact } } : {}),
        ...(byPrefix.length > 0 ? { ArnLike: { "kms:EncryptionContext:aws:logs:arn": byPrefix } } : {}),
        // The encryption context already names this account's log groups (the guide's way to restrict a key "to
        // be used with a single account and log group"). The guide documents no aws:SourceAccount for CloudWatch
        // Logs' use of a key, nor which account a centralized copy would name, so the confused-deputy condition
        // is the organization (aws:SourceOrgID), compared only when CloudWatch Logs sends it: a wrong guess
        // would stop log ingestion without an error anyone sees.
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
        StringEqualsIfExists: { "aws:SourceOrgID": a.organizationId },
    };
    return {
        Version: POLICY_VERSION,
        Statement: [
            keyAdministration(a.partition, a.accountId, a.adminPrincipalArns),
            // CloudWatch Logs passes the log group ARN as encryption context kms:EncryptionContext:aws:logs:arn;
            // ArnEquals on it limits the key to exactly these log groups.
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
            {
                Sid: "CloudWatchLogsEncryptLogGroups",
                Effect: "Allow",
                Principal: { Service: logsServicePrincipal(a.region) },
                Action: LOGS_KEY_ACTIONS,
                Resource: "*",
                Condition: condition,
            },
            ...governanceKeyDenials(),
        ],
    };
}
