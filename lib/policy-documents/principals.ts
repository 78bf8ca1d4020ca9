import { requireRegion } from "./validate";

/**
 * Service principals orgwatch's policies name. Global service principals are the same string in every
 * partition (the CloudTrail guide's aws-cn and aws-us-gov policy examples use `cloudtrail.amazonaws.com`).
 */
export const SERVICE_PRINCIPALS = {
    /** CloudTrail delivering log files and encrypting them. */
    cloudTrail: "cloudtrail.amazonaws.com",
    /** CloudWatch alarms publishing to SNS and using the topic's KMS key. */
    cloudWatch: "cloudwatch.amazonaws.com",
    /** Amazon S3 server access log delivery. */
    s3Logging: "logging.s3.amazonaws.com",
} as const;

/**
 * The regional CloudWatch Logs service principal (`logs.<region>.amazonaws.com`) that must be admitted
 * by the key policy of a KMS key encrypting a log group in that Region.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logsServicePrincipal(region: string): string {
    requireRegion("region", region);
    return `logs.${region}.amazonaws.com`;
}
