/**
 * Argument checks for the policy builders. Bad arguments here are programmer errors (stack config is
 * validated, with user-facing messages, before any builder runs), so they throw a plain `Error` naming the
 * argument, what is allowed and the value received.
 */

/** Partitions orgwatch can build policies for. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
export type Partition = (typeof PARTITIONS)[number];

function fail(name: string, allowed: string, value: unknown): never {
    throw new Error(`${name} must be ${allowed}; received ${JSON.stringify(value)}`);
}

export function requirePartition(name: string, value: string): asserts value is Partition {
    if (!(PARTITIONS as readonly string[]).includes(value)) fail(name, `one of ${PARTITIONS.join(", ")}`, value);
}

export function requireAccountId(name: string, value: string): void {
    if (!/^\d{12}$/.test(value)) fail(name, "a 12-digit AWS account id", value);
}

/** Organization ids: `o-` followed by 10 to 32 lowercase letters or digits (AWS Organizations API). */
export function requireOrganizationId(name: string, value: string): void {
    if (!/^o-[a-z0-9]{10,32}$/.test(value)) fail(name, "an organization id of the form o-xxxxxxxxxx", value);
}

export function requireRegion(name: string, value: string): void {
    if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value)) fail(name, "an AWS Region code such as us-east-1", value);
}

export function requireNonEmpty(name: string, value: string): void {
    if (typeof value !== "string" || value.trim() === "") fail(name, "a non-empty string", value);
}

/** S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
export function requireBucketName(name: string, value: string): void {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) fail(name, "a valid S3 bucket name", value);
}

/** CloudTrail trail names: 3-128 letters, digits, '.', '_' and '-', starting and ending alphanumeric. */
export function requireTrailName(name: string, value: string): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(value)) fail(name, "a valid CloudTrail trail name", value);
}

/** A CloudWatch Logs log group name: [a-zA-Z0-9_\-/.#]{1,512} (the API's logGroupName pattern). */
export const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** CloudWatch Logs log group names: 1-512 of letters, digits, '_', '-', '/', '.', '#'. */
export function requireLogGroupName(name: string, value: string): void {
    if (!LOG_GROUP_NAME.test(value)) fail(name, "a valid CloudWatch Logs log group name", value);
}

/** An S3 key prefix given without leading or trailing slash (`cloudtrail`, `org/trail`). */
export function requireKeyPrefix(name: string, value: string | undefined): void {
    if (value === undefined) return;
    if (value === "" || value.startsWith("/") || value.endsWith("/") || value.includes("//") || value.includes("*")) {
        fail(name, "a non-empty key prefix without leading or trailing '/' (or omitted)", value);
    }
}

/** An ARN in the given partition and service (`arn:<partition>:<service>:...`). */
export function requireArn(name: string, value: string, partition: string, service: string): void {
    if (typeof value !== "string" || !value.startsWith(`arn:${partition}:${service}:`) || value.length > 2048) {
        fail(name, `an ARN of the form arn:${partition}:${service}:...`, value);
    }
}

/** An IAM principal ARN (user, role, root) in the partition; wildcards allowed only where `allowWildcards`. */
export function requireIamPrincipalArn(name: string, value: string, partition: string, allowWildcards = false): void {
    const escaped = partition.replace(/-/g, "\\-");
    const ok = new RegExp(`^arn:${escaped}:iam::\\d{12}:(root|(user|role)/[\\w+=,.@/${allowWildcards ? "*?" : ""}-]+)$`).test(value);
    if (!ok) fail(name, `an IAM principal ARN of the form arn:${partition}:iam::<account-id>:role/<name>`, value);
}

export function requireNonEmptyList(name: string, value: readonly unknown[]): void {
    if (!Array.isArray(value) || value.length === 0) fail(name, "a non-empty list", value);
}

/** Removes duplicates, keeping the first occurrence (so the output order follows the input order). */
export function unique<T>(values: readonly T[]): T[] {
    return [...new Set(values)];
}
