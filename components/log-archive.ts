import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ARCHIVE_RETENTION_DAYS } from "../lib/config/schema";
import { names } from "../lib/naming";
import { accessLogBucketPolicy, policyJson, trailArn, trailBucketPolicy, trailKeyPolicy } from "../lib/policy-documents";

/** KMS keys wait the maximum 30 days before deletion, so a mistaken deletion can be cancelled. */
export const KEY_DELETION_WINDOW_DAYS = 30;
/** Incomplete multipart uploads are cleaned up after a week (they hold no complete log file). */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

export interface LogArchiveArgs {
    /** AWS partition (`aws`, `aws-cn`, `aws-us-gov`). */
    readonly partition: string;
    readonly organizationId: string;
    /** Owner of the organization trail; its id is in the trail ARN and in the `AWSLogs/<id>/` prefix. */
    readonly managementAccountId: string;
    /** The account this component deploys into (its provider must be pinned to it). */
    readonly logArchiveAccountId: string;
    /** Region of the buckets and the key: the trail's home Region. */
    readonly region: string;
    /** Name of the organization trail that writes here (physical name, so its ARN is known in advance). */
    readonly trailName: string;
    /** Prefix of every physical name. */
    readonly namePrefix: string;
    /** Key prefix of the trail's objects inside the bucket. @default - none */
    readonly s3KeyPrefix?: string;
    /** Days log files are kept before lifecycle expiry; noncurrent versions are kept as long. @default 2557 */
    readonly archiveDays?: number;
    /** Transition log files to S3 Glacier Flexible Retrieval after this many days. @default - no transition */
    readonly transitionToGlacierDays?: number;
    /** S3 Object Lock default retention. Only settable when the bucket is created. @default - no Object Lock */
    readonly objectLock?: { readonly mode: "GOVERNANCE" | "COMPLIANCE"; readonly days: number };
    /** Multi-Region trail key. Control Tower requires single-Region keys for its trail. @default false */
    readonly multiRegionKey?: boolean;
    /** Roles allowed to change the bucket policy and delete objects; nobody else can. @default [] */
    readonly deployRoleArns?: readonly string[];
    /** Accounts whose principals may decrypt log files (with CloudTrail's encryption context). @default [logArchiveAccountId] */
    readonly readerAccountIds?: readonly string[];
    /** Protect audit resources from `pulumi destroy` and replacement. @default true */
    readonly protect?: boolean;
}

/**
 * The log archive: the trail bucket (versioned, SSE-KMS with a bucket key, public access blocked,
 * bucket-owner-enforced, TLS-only, Requester Pays off, lifecycle, optional Object Lock), a separate
 * access-log bucket, and the KMS key CloudTrail encrypts with. Never `forceDestroy`.
 */
export class LogArchive extends pulumi.ComponentResource {
    public readonly bucketName: pulumi.Output<string>;
    public readonly bucketArn: pulumi.Output<string>;
    public readonly accessLogBucketName: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;
    /** CloudTrail checks the bucket policy when the trail is created: the trail must depend on this. */
    public readonly bucketPolicy: aws.s3.BucketPolicy;
    /** CloudTrail checks the key policy when the trail is created. */
    public readonly key: aws.kms.Key;

    constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:archive:LogArchive", name, {}, opts);
        const protect = args.protect ?? true;
        const archiveDays = args.archiveDays ?? DEFAULT_ARCHIVE_RETENTION_DAYS;
        const deployRoleArns = args.deployRoleArns ?? [];
        const region = args.region;
        const trail = trailArn({ partition: args.partition, region, managementAccountId: args.managementAccountId, trailName: args.trailName });
        const audit: pulumi.CustomResourceOptions = { parent: this, protect };

        // The trail key. CloudTrail encrypts each log file with it; the policy pins the trail ARN.
        this.key = new aws.kms.Key(
            `${name}-trail-key`,
            {
                description: `orgwatch: encrypts the organization trail ${args.trailName}`,
                enableKeyRotation: true,
                deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                multiRegion: args.multiRegionKey ?? false,
                policy: policyJson(
                    trailKeyPolicy({
                        partition: args.partition,
                        keyAccountId: args.logArchiveAccountId,
                        managementAccountId: args.managementAccountId,
                        organizationId: args.organizationId,
                        trailArn: trail,
                        adminPrincipalArns: deployRoleArns,
                        readerAccountIds: args.readerAccountIds ?? [args.logArchiveAccountId],
                    }),
                ),
            },
            audit,
        );
        new aws.kms.Alias(`${name}-trail-key-alias`, { name: names.trailKeyAlias(args.namePrefix), targetKeyId: this.key.keyId }, audit);

        // Access-log bucket: receives the trail bucket's server access logs. S3 server access logging
        // delivers only to buckets with SSE-S3 default encryption (SSE-KMS is not supported there):
        // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
        const accessLogBucketName = names.accessLogBucket(args.namePrefix, args.logArchiveAccountId, region);
        const trailBucketName = names.trailBucket(args.namePrefix, args.logArchiveAccountId, region);
        const accessLogs = new aws.s3.Bucket(`${name}-access-logs`, { bucket: accessLogBucketName, forceDestroy: false }, audit);
        this.hardenBucket(`${name}-access-logs`, accessLogs, { sseAlgorithm: "AES256" }, archiveDays, undefined, protect);
        const accessLogsPolicy = new aws.s3.BucketPolicy(
            `${name}-access-logs-policy`,
            {
                bucket: accessLogs.bucket,
                policy: policyJson(
                    accessLogBucketPolicy({
                        partition: args.partition,
                        bucketName: accessLogBucketName,
                        sourceBucketName: trailBucketName,
                        sourceAccountId: args.logArchiveAccountId,
                        deployRoleArns,
                    }),
                ),
            },
            audit,
        );

        // Trail bucket.
        const bucket = new aws.s3.Bucket(
            `${name}-trail-bucket`,
            { bucket: trailBucketName, forceDestroy: false, objectLockEnabled: args.objectLock !== undefined ? true : undefined },
            audit,
        );
        this.hardenBucket(`${name}-trail-bucket`, bucket, { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, archiveDays, args.transitionToGlacierDays, protect);
        new aws.s3.BucketLogging(
            `${name}-trail-bucket-logging`,
            { bucket: bucket.bucket, targetBucket: accessLogs.bucket, targetPrefix: `${trailBucketName}/` },
            { parent: this, dependsOn: [accessLogsPolicy] },
        );
        if (args.objectLock !== undefined) {
            new aws.s3.BucketObjectLockConfiguration(
                `${name}-trail-bucket-object-lock`,
                { bucket: bucket.bucket, rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } } },
                audit,
            );
        }
        this.bucketPolicy = new aws.s3.BucketPolicy(
            `${name}-trail-bucket-policy`,
            {
                bucket: bucket.bucket,
                policy: policyJson(
                    trailBucketPolicy({
                        partition: args.partition,
                        bucketName: trailBucketName,
                        keyPrefix: args.s3KeyPrefix,
                        managementAccountId: args.managementAccountId,
                        organizationId: args.organizationId,
                        trailArn: trail,
                        deployRoleArns,
                    }),
                ),
            },
            audit,
        );

        this.bucketName = bucket.bucket;
        this.bucketArn = bucket.arn;
        this.accessLogBucketName = accessLogs.bucket;
        this.keyArn = this.key.arn;
        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, accessLogBucketName: this.accessLogBucketName, keyArn: this.keyArn });
    }

    /** Versioning, default encryption, public access block, owner-enforced ownership, Requester Pays off, lifecycle. */
    private hardenBucket(
        name: string,
        bucket: aws.s3.Bucket,
        encryption: { sseAlgorithm: "AES256" } | { sseAlgorithm: "aws:kms"; kmsMasterKeyId: pulumi.Input<string> },
        archiveDays: number,
        transitionToGlacierDays: number | undefined,
        protect: boolean,
    ): void {
        const audit: pulumi.CustomResourceOptions = { parent: this, protect };
        new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } }, audit);
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: encryption, bucketKeyEnabled: encryption.sseAlgorithm === "aws:kms" }] },
            audit,
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            audit,
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, audit);
        // Requester Pays would let CloudTrail's writes fail and readers pay; pinned off explicitly.
        new aws.s3.BucketRequestPaymentConfiguration(`${name}-request-payment`, { bucket: bucket.bucket, payer: "BucketOwner" }, audit);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: bucket.bucket,
                rules: [
                    {
                        id: "retain-then-expire",
                        status: "Enabled",
                        filter: {},
                        transitions: transitionToGlacierDays === undefined ? undefined : [{ days: transitionToGlacierDays, storageClass: "GLACIER" }],
                        expiration: { days: archiveDays },
                        noncurrentVersionExpiration: { noncurrentDays: archiveDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
                    },
                ],
            },
            audit,
        );
    }
}
