import { SERVICE_PRINCIPALS } from "./principals";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "./types";
import {
    requireAccountId,
    requireArn,
    requireBucketName,
    requireIamPrincipalArn,
    requireKeyPrefix,
    requireOrganizationId,
    requirePartition,
    unique,
} from "./validate";

/** Arguments of {@link trailBucketPolicy}. */
export interface TrailBucketPolicyArgs {
    readonly partition: string;
    /** The log archive bucket the organization trail delivers to. */
    readonly bucketName: string;
    /**
     * The trail's S3 key prefix, without leading or trailing slash.
     * @default - no prefix: logs land under `AWSLogs/`
     */
    readonly keyPrefix?: string;
    readonly managementAccountId: string;
    readonly organizationId: string;
    /** ARN of the organization trail (see `trailArn`); always in the management account. */
    readonly trailArn: string;
    /**
     * Principals (role ARNs, wildcards allowed) that may change the bucket's policy, lifecycle, versioning,
     * Object Lock, encryption, public access block, ownership, logging and replication, and delete the
     * (empty) bucket. Empty: nobody may; only the bucket-owning account's root user can then still change
     * the bucket policy (S3 never locks the root user out of it).
     */
    readonly deployRoleArns: readonly string[];
}

/**
 * Object-level deletes and retention bypass are denied to every principal, deploy roles included: audit
 * logs are removed only by the lifecycle rules S3 applies itself, which bucket policies do not govern.
 */
export const TRAIL_BUCKET_UNCONDITIONAL_DENY_ACTIONS: readonly string[] = [
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:BypassGovernanceRetention",
];

/**
 * Bucket configuration changes that would weaken the archive (drop versioning, shorten retention, open
 * access, replicate logs elsewhere, remove the policy itself). The deploy roles must keep them, because
 * the stack creates and updates exactly this configuration.
 */
export const TRAIL_BUCKET_PROTECTED_CONFIG_ACTIONS: readonly string[] = [
    "s3:DeleteBucket",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketLogging",
    "s3:PutBucketObjectLockConfiguration",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutBucketVersioning",
    "s3:PutEncryptionConfiguration",
    "s3:PutLifecycleConfiguration",
    "s3:PutReplicationConfiguration",
];

/** Read actions that principals outside the organization are denied. */
export const TRAIL_BUCKET_READ_ACTIONS: readonly string[] = ["s3:GetObject*", "s3:ListBucket*"];

/**
 * Bucket policy of the organization trail's log archive bucket.
 *
 * Statements: `CloudTrailAclCheck`, `CloudTrailWriteManagementAccount`, `CloudTrailWriteOrganization`,
 * `DenyInsecureTransport`, `DenyReadOutsideOrganization`, `DenyLogDeletion`, `DenyConfigChangesExceptDeployRoles`.
 */
export function trailBucketPolicy(a: TrailBucketPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireBucketName("bucketName", a.bucketName);
    requireKeyPrefix("keyPrefix", a.keyPrefix);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireOrganizationId("organizationId", a.organizationId);
    requireArn("trailArn", a.trailArn, a.partition, "cloudtrail");
    if (a.trailArn.split(":")[4] !== a.managementAccountId) {
        throw new Error(`trailArn must belong to the management account ${a.managementAccountId}; received ${JSON.stringify(a.trailArn)}`);
    }
    a.deployRoleArns.forEach((arn, i) => requireIamPrincipalArn(`deployRoleArns[${i}]`, arn, a.partition, true));

    const bucketArn = `arn:${a.partition}:s3:::${a.bucketName}`;
    const logsRoot = `${bucketArn}/${a.keyPrefix === undefined ? "" : `${a.keyPrefix}/`}AWSLogs`;
    return {
        Version: POLICY_VERSION,
        Statement: [
            aclCheck(bucketArn, a.trailArn),
            cloudTrailWrite("CloudTrailWriteManagementAccount", `${logsRoot}/${a.managementAccountId}/*`, a.trailArn),
            cloudTrailWrite("CloudTrailWriteOrganization", `${logsRoot}/${a.organizationId}/*`, a.trailArn),
            denyInsecureTransport(bucketArn),
            denyReadOutsideOrganization(bucketArn, a.organizationId),
            denyLogDeletion(bucketArn),
            denyConfigChanges(bucketArn, unique(a.deployRoleArns)),
        ],
    };
}

// CloudTrail checks the bucket ACL before delivering; aws:SourceArn pins the check to our trail.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
function aclCheck(bucketArn: string, trail: string): PolicyStatement {
    return {
        Sid: "CloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: SERVICE_PRINCIPALS.cloudTrail },
        Action: "s3:GetBucketAcl",
        Resource: bucketArn,
        Condition: { StringEquals: { "aws:SourceArn": trail } },
    };
}

// An organization trail writes under AWSLogs/<management-account-id>/ (if it is ever turned into a
// single-account trail) and AWSLogs/<org-id>/; aws:SourceArn is the management account's trail ARN.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html
function cloudTrailWrite(sid: string, resource: string, trail: string): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { Service: SERVICE_PRINCIPALS.cloudTrail },
        Action: "s3:PutObject",
        Resource: resource,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trail } },
    };
}

/** TLS-only access to a bucket and its objects (`aws:SecureTransport` is `false` on plain HTTP requests). */
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

// Data-perimeter pattern: deny principals whose aws:PrincipalOrgID is not ours (or absent: anonymous),
// but never AWS service principals acting with their own credentials (aws:PrincipalIsAWSService).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
function denyReadOutsideOrganization(bucketArn: string, organizationId: string): PolicyStatement {
    return {
        Sid: "DenyReadOutsideOrganization",
        Effect: "Deny",
        Principal: "*",
        Action: TRAIL_BUCKET_READ_ACTIONS,
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: {
            StringNotEqualsIfExists: { "aws:PrincipalOrgID": organizationId },
            BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
    };
}

// Nobody deletes log objects or versions, nor bypasses Object Lock governance retention.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
function denyLogDeletion(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyLogDeletion",
        Effect: "Deny",
        Principal: "*",
        Action: TRAIL_BUCKET_UNCONDITIONAL_DENY_ACTIONS,
        Resource: `${bucketArn}/*`,
    };
}

// Configuration changes only by the deploy roles (aws:PrincipalArn is the role ARN for any of its
// sessions). With no deploy role, the deny has no condition rather than an empty, invalid one.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
function denyConfigChanges(bucketArn: string, deployRoleArns: readonly string[]): PolicyStatement {
    return {
        Sid: "DenyConfigChangesExceptDeployRoles",
        Effect: "Deny",
        Principal: "*",
        Action: TRAIL_BUCKET_PROTECTED_CONFIG_ACTIONS,
        Resource: bucketArn,
        ...(deployRoleArns.length > 0 ? { Condition: { ArnNotLike: { "aws:PrincipalArn": deployRoleArns } } } : {}),
    };
}
