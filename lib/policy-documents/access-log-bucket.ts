import { SERVICE_PRINCIPALS } from "./principals";
import { archiveBucketDenials, denyInsecureTransport } from "./trail-bucket";
import { POLICY_VERSION, type PolicyDocument } from "./types";
import { requireAccountId, requireBucketName, requireIamPrincipalArn, requirePartition } from "./validate";

/** Arguments of {@link accessLogBucketPolicy}. */
export interface AccessLogBucketPolicyArgs {
    readonly partition: string;
    /** The bucket receiving server access logs. */
    readonly bucketName: string;
    /** The bucket whose access is logged (the trail bucket). */
    readonly sourceBucketName: string;
    /** The account owning the source bucket. */
    readonly sourceAccountId: string;
    /**
     * The target prefix configured on the source bucket's logging, used verbatim (S3 appends the key
     * directly to it, so include a trailing `/` if you want one).
     * @default - no prefix: any key in the bucket
     */
    readonly keyPrefix?: string;
    /** Principals (role ARNs, wildcards allowed) that may change the bucket's configuration; nobody else can. */
    readonly deployRoleArns: readonly string[];
}

/**
 * Bucket policy of the server access log bucket: statements `S3ServerAccessLogsPolicy`, `DenyInsecureTransport`,
 * then the archive denials (`archiveBucketDenials`): access logs are audit records of the trail bucket.
 */
export function accessLogBucketPolicy(a: AccessLogBucketPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireBucketName("bucketName", a.bucketName);
    requireBucketName("sourceBucketName", a.sourceBucketName);
    requireAccountId("sourceAccountId", a.sourceAccountId);
    a.deployRoleArns.forEach((arn, i) => requireIamPrincipalArn(`deployRoleArns[${i}]`, arn, a.partition, true));
    if (a.keyPrefix !== undefined && (a.keyPrefix === "" || a.keyPrefix.startsWith("/") || a.keyPrefix.includes("*"))) {
        throw new Error(`keyPrefix must be a non-empty prefix not starting with '/' (or omitted); received ${JSON.stringify(a.keyPrefix)}`);
    }
    if (a.bucketName === a.sourceBucketName) {
        throw new Error(`bucketName must differ from sourceBucketName (logging a bucket into itself loops); received ${JSON.stringify(a.bucketName)}`);
    }
    const bucketArn = `arn:${a.partition}:s3:::${a.bucketName}`;
    return {
        Version: POLICY_VERSION,
        Statement: [
            // S3 delivers access logs as logging.s3.amazonaws.com; aws:SourceArn (the source bucket) and
            // aws:SourceAccount (its owner) keep other buckets from writing here.
            // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
            {
                Sid: "S3ServerAccessLogsPolicy",
                Effect: "Allow",
                Principal: { Service: SERVICE_PRINCIPALS.s3Logging },
                Action: "s3:PutObject",
                Resource: `${bucketArn}/${a.keyPrefix ?? ""}*`,
                Condition: {
                    ArnLike: { "aws:SourceArn": `arn:${a.partition}:s3:::${a.sourceBucketName}` },
                    StringEquals: { "aws:SourceAccount": a.sourceAccountId },
                },
            },
            denyInsecureTransport(bucketArn),
            ...archiveBucketDenials(bucketArn, a.deployRoleArns),
        ],
    };
}
