import { accountRootArn } from "./arns";
import { governanceKeyDenials, keyAdministration } from "./key-admin";
import { SERVICE_PRINCIPALS } from "./principals";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "./types";
import { requireAccountId, requireArn, requireIamPrincipalArn, requireOrganizationId, requirePartition, unique } from "./validate";

/** Arguments of {@link trailKeyPolicy}. */
export interface TrailKeyPolicyArgs {
    readonly partition: string;
    /** The account that owns the KMS key. */
    readonly keyAccountId: string;
    readonly managementAccountId: string;
    /** Kept for symmetry with the bucket policy and checked; the encryption context names trails, not the org. */
    readonly organizationId: string;
    /** ARN of the organization trail (management account). */
    readonly trailArn: string;
    /** Extra key administrators besides the key account's root. */
    readonly adminPrincipalArns: readonly string[];
    /**
     * Who may decrypt log files: 12-digit account ids (their root, i.e. whoever that account's IAM allows)
     * or IAM principal ARNs. Empty: no reader statement (only key administrators can decrypt).
     */
    readonly readerAccountIds: readonly string[];
}

/**
 * Key policy of the KMS key encrypting the organization trail's log files and digests.
 *
 * Statements: `EnableKeyAdministration`, `CloudTrailEncryptLogs`, `CloudTrailDescribeKey`,
 * `DecryptCloudTrailLogs` when there are readers, then `DenyGrantsExceptForAwsResources` and
 * `DenyDataKeysExceptAwsServices` (see `governanceKeyDenials`).
 */
export function trailKeyPolicy(a: TrailKeyPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireAccountId("keyAccountId", a.keyAccountId);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireOrganizationId("organizationId", a.organizationId);
    requireArn("trailArn", a.trailArn, a.partition, "cloudtrail");
    if (a.trailArn.split(":")[4] !== a.managementAccountId) {
        throw new Error(`trailArn must belong to the management account ${a.managementAccountId}; received ${JSON.stringify(a.trailArn)}`);
    }
    const readers = unique(
        a.readerAccountIds.map((reader, i) => {
            if (/^\d{12}$/.test(reader)) return accountRootArn(a.partition, reader);
            requireIamPrincipalArn(`readerAccountIds[${i}]`, reader, a.partition);
            return reader;
        }),
    );
    const managementTrails = `arn:${a.partition}:cloudtrail:*:${a.managementAccountId}:trail/*`;
    const statements: PolicyStatement[] = [
        keyAdministration(a.partition, a.keyAccountId, a.adminPrincipalArns),
        // CloudTrail generates data keys only for trails of the management account (encryption context) and
        // only on behalf of our trail (aws:SourceArn, the guide's confused-deputy recommendation).
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
        {
            Sid: "CloudTrailEncryptLogs",
            Effect: "Allow",
            Principal: { Service: SERVICE_PRINCIPALS.cloudTrail },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: {
                StringEquals: { "aws:SourceArn": a.trailArn },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": managementTrails },
            },
        },
        // CloudTrail describes the key when the trail is created or updated. The guide's security best practice is
        // aws:SourceArn on the key policy ("The value of aws:SourceArn is always the trail ARN"); a CloudTrail
        // that did not send it would fail CreateTrail/UpdateTrail, loudly, not stop delivering.
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
        {
            Sid: "CloudTrailDescribeKey",
            Effect: "Allow",
            Principal: { Service: SERVICE_PRINCIPALS.cloudTrail },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceArn": a.trailArn } },
        },
    ];
    if (readers.length > 0) {
        // Readers decrypt only data encrypted for CloudTrail: the encryption context must be present (Null
        // = false, the guide's "Granting decrypt permissions") and name a management-account trail (the
        // console's default key policy, which also grants kms:ReEncryptFrom).
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
        // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html
        statements.push({
            Sid: "DecryptCloudTrailLogs",
            Effect: "Allow",
            Principal: { AWS: readers },
            Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
            Resource: "*",
            Condition: {
                Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": managementTrails },
            },
        });
    }
    return { Version: POLICY_VERSION, Statement: [...statements, ...governanceKeyDenials()] };
}
