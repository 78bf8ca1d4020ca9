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
 * Object-level deletes (objects, versions, their tags and annotations) and retention bypass are denied to every
 * principal, deploy roles and AWS services included: audit logs are removed only by the lifecycle rules S3
 * applies itself, which bucket policies do not govern.
 */
export const ARCHIVE_UNCONDITIONAL_DENY_ACTIONS: readonly string[] = ["s3:BypassGovernanceRetention", "s3:DeleteObject*"];

/**
 * What every principal keeps on the archive's objects besides AWS services' writes: reading, and restoring an
 * archived (Glacier) log file, which makes a temporary copy and leaves the object as it is. Every other object
 * action (PutObject, retention, legal hold, tags, ACLs, annotations, replication, ...) is denied unless an AWS
 * service makes it, whatever actions S3 adds later.
 */
export const ARCHIVE_OBJECT_ACTIONS_FOR_EVERYONE: readonly string[] = ["s3:Get*", "s3:List*", "s3:RestoreObject"];

/**
 * What principals other than the deploy roles keep on an archive bucket itself: reading its configuration.
 * Every bucket configuration change (policy, versioning, lifecycle, Object Lock, encryption, replication,
 * logging, notifications, Requester Pays, inventory, analytics, ACLs, public access block, tags, deletion, and
 * whatever S3 adds later) is denied.
 */
export const ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE: readonly string[] = ["s3:Get*", "s3:List*"];

/** Read actions that principals outside the organization are denied. */
export const TRAIL_BUCKET_READ_ACTIONS: readonly string[] = ["s3:GetObject*", "s3:ListBucket*"];

/**
 * Bucket policy of the organization trail's log archive bucket.
 *
 * Statements: `CloudTrailAclCheck`, `CloudTrailWriteManagementAccount`, `CloudTrailWriteOrganization`,
 * `DenyInsecureTransport`, `DenyReadOutsideOrganization`, then the archive denials (`archiveBucketDenials`).
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
            ...archiveBucketDenials(bucketArn, a.deployRoleArns),
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

/**
 * The statements that keep an archive bucket's content as the AWS services wrote it:
 * - `DenyLogDeletion`: nobody deletes objects or versions or bypasses Object Lock governance retention.
 * - `DenyObjectWritesExceptAwsServices`: only AWS service principals (CloudTrail, S3 log delivery) write
 *   objects; an administrator could otherwise overwrite the current version of a log file, change its
 *   retention or tags. Service principals carry `aws:PrincipalIsAWSService` = true; anonymous requests carry
 *   no such key, which `BoolIfExists` also denies.
 * - `DenyConfigChangesExceptDeployRoles`: only the deploy roles change the bucket (aws:PrincipalArn is the role
 *   ARN for any of its sessions); with no deploy role the deny has no condition rather than an empty one.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/best-practices-security.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function archiveBucketDenials(bucketArn: string, deployRoleArns: readonly string[]): PolicyStatement[] {
    const roles = unique(deployRoleArns);
    return [
        { Sid: "DenyLogDeletion", Effect: "Deny", Principal: "*", Action: ARCHIVE_UNCONDITIONAL_DENY_ACTIONS, Resource: `${bucketArn}/*` },
        {
            Sid: "DenyObjectWritesExceptAwsServices",
            Effect: "Deny",
            Principal: "*",
            NotAction: ARCHIVE_OBJECT_ACTIONS_FOR_EVERYONE,
            Resource: `${bucketArn}/*`,
            Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
        },
        {
            Sid: "DenyConfigChangesExceptDeployRoles",
            Effect: "Deny",
            Principal: "*",
            NotAction: ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE,
            Resource: bucketArn,
            ...(roles.length > 0 ? { Condition: { ArnNotLike: { "aws:PrincipalArn": roles } } } : {}),
        },
    ];
}
