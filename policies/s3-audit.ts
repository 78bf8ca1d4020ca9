import { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";

import { identifiersOf, knownString, propsOf, read, show, TYPES } from "./common";

/*
 * Buckets that hold audit logs and how they are protected. These are stack policies because the
 * protection lives in side resources (@pulumi/aws 7: BucketPublicAccessBlock, BucketPolicy,
 * BucketVersioning). Unknown at preview: a reference that is unknown is matched through the
 * engine's property dependencies; a bucket policy document that is unknown is skipped (checked
 * again after the update, when stack policies see the final outputs).
 */

const BUCKET_TYPES: readonly string[] = [TYPES.s3Bucket, TYPES.s3BucketV2];
const ACCOUNT_PUBLIC_ACCESS_BLOCK = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";

/** Tag that marks a bucket as holding audit logs (value "true"). */
export const AUDIT_BUCKET_TAG = "orgwatch:audit-logs";

interface AuditBucketConfig {
    /** Bucket names or logical names that hold audit logs, in addition to the detected ones. */
    readonly auditBuckets: string[];
}

const auditBucketsSchema = {
    properties: {
        auditBuckets: {
            type: "array" as const,
            items: { type: "string" as const, minLength: 1 },
            uniqueItems: true,
            maxItems: 200,
            default: [],
            description: "Bucket names or logical names that hold audit logs, besides those detected from trails, load balancers, CloudFront distributions, flow logs, access logging and the orgwatch:audit-logs tag.",
        },
    },
};

/** Bucket names referenced by `resource.props[key]`, or the buckets it depends on through that property. */
function refersTo(resource: PolicyResource, key: string, bucket: PolicyResource, ids: Set<string>): boolean {
    const v = read(() => {
        const path = key.split(".");
        let cur: unknown = propsOf(resource);
        for (const p of path) {
            cur = (cur as Record<string, unknown> | undefined)?.[p];
        }
        return cur;
    });
    if (v.known && typeof v.value === "string") {
        // S3 ARN destinations (flow logs): arn:aws:s3:::bucket[/prefix]; CloudFront logging names the
        // bucket by its domain name (<bucket>.s3.amazonaws.com).
        const domain = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.exec(v.value)?.[1];
        const name = v.value.startsWith("arn:") ? v.value.split(":::")[1]?.split("/")[0] ?? v.value : domain ?? v.value;
        if (ids.has(name) || ids.has(v.value)) {
            return true;
        }
    }
    const top = key.split(".")[0];
    return (resource.propertyDependencies[top] ?? []).some((d) => d.urn === bucket.urn);
}

function bucketIds(bucket: PolicyResource): Set<string> {
    return identifiersOf(bucket, ["bucket"]);
}

/** The buckets of the stack that hold audit logs, with the reason each one was selected. */
export function auditBuckets(args: StackValidationArgs, extra: readonly string[]): Map<PolicyResource, string> {
    const out = new Map<PolicyResource, string>();
    const referrers: [string, string, string][] = [
        [TYPES.trail, "s3BucketName", "CloudTrail delivers to it"],
        [TYPES.lbLoadBalancer, "accessLogs.bucket", "a load balancer writes access logs to it"],
        [TYPES.albLoadBalancer, "accessLogs.bucket", "a load balancer writes access logs to it"],
        [TYPES.elbLoadBalancer, "accessLogs.bucket", "a load balancer writes access logs to it"],
        [TYPES.flowLog, "logDestination", "VPC flow logs are delivered to it"],
        [TYPES.cloudfrontDistribution, "loggingConfig.bucket", "CloudFront writes standard logs to it"],
        [TYPES.s3Logging, "targetBucket", "it receives S3 server access logs"],
        [TYPES.s3LoggingV2, "targetBucket", "it receives S3 server access logs"],
    ];
    for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
        const ids = bucketIds(bucket);
        if (extra.includes(bucket.name) || [...ids].some((id) => extra.includes(id))) {
            out.set(bucket, "it is listed in auditBuckets");
            continue;
        }
        const tags = read(() => propsOf(bucket)["tags"] as Record<string, unknown> | undefined);
        if (tags.known && tags.value?.[AUDIT_BUCKET_TAG] === "true") {
            out.set(bucket, `it is tagged ${AUDIT_BUCKET_TAG}=true`);
            continue;
        }
        for (const [type, key, why] of referrers) {
            if (args.resources.some((r) => r.type === type && refersTo(r, key, bucket, ids))) {
                out.set(bucket, why);
                break;
            }
        }
    }
    return out;
}

/** Side resources of `type` attached to the bucket through their `bucket` property. */
function sideResources(args: StackValidationArgs, type: readonly string[], bucket: PolicyResource): PolicyResource[] {
    const ids = bucketIds(bucket);
    return args.resources.filter((r) => type.includes(r.type) && refersTo(r, "bucket", bucket, ids));
}

function label(bucket: PolicyResource): string {
    return knownString(bucket, "bucket") ?? bucket.name;
}

function auditBucketPolicy(
    name: string,
    description: string,
    check: (bucket: PolicyResource, why: string, args: StackValidationArgs, report: ReportViolation) => void,
): StackValidationPolicy {
    return {
        name,
        description,
        enforcementLevel: "mandatory",
        configSchema: auditBucketsSchema,
        validateStack: (args, reportViolation) => {
            const buckets = auditBuckets(args, args.getConfig<AuditBucketConfig>().auditBuckets);
            if (buckets.size === 0) {
                args.notApplicable("no bucket in the stack holds audit logs");
            }
            for (const [bucket, why] of buckets) {
                check(bucket, why, args, reportViolation);
            }
        },
    };
}

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const auditBucketPublicAccessBlocked = auditBucketPolicy(
    "audit-bucket-public-access-blocked",
    "Buckets holding audit logs must block all public access.",
    (bucket, why, args, report) => {
        const allTrue = (r: PolicyResource) => PUBLIC_ACCESS_FLAGS.every((f) => read(() => propsOf(r)[f]).known === false || propsOf(r)[f] === true);
        const account = args.resources.filter((r) => r.type === ACCOUNT_PUBLIC_ACCESS_BLOCK);
        if (account.some(allTrue)) {
            return;
        }
        const blocks = sideResources(args, [TYPES.s3PublicAccessBlock], bucket);
        if (!blocks.some(allTrue)) {
            const got = blocks.length === 0 ? "no BucketPublicAccessBlock" : `BucketPublicAccessBlock ${show(PUBLIC_ACCESS_FLAGS.map((f) => `${f}=${show(propsOf(blocks[0])[f])}`))}`;
            report(
                `Bucket ${label(bucket)} holds audit logs (${why}) and must block all public access; it has ${got}. ` +
                    `Add an aws.s3.BucketPublicAccessBlock for it with ${PUBLIC_ACCESS_FLAGS.join(", ")} all true.`,
                bucket.urn,
            );
        }
    },
);

/** True when a bucket policy document denies every request made without TLS. */
export function deniesInsecureTransport(doc: unknown): boolean {
    const parsed = typeof doc === "string" ? safeParse(doc) : doc;
    const statements = (parsed as { Statement?: unknown } | undefined)?.Statement;
    const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
    return list.some((s: Record<string, unknown>) => {
        if (s["Effect"] !== "Deny") {
            return false;
        }
        const principal = s["Principal"];
        const everyone = principal === "*" || (typeof principal === "object" && principal !== null && ([] as unknown[]).concat((principal as Record<string, unknown>)["AWS"]).includes("*"));
        const actions = ([] as unknown[]).concat(s["Action"]);
        const allActions = actions.includes("*") || actions.includes("s3:*");
        const cond = (s["Condition"] as Record<string, Record<string, unknown>> | undefined)?.["Bool"]?.["aws:SecureTransport"];
        const insecure = ([] as unknown[]).concat(cond).some((v) => v === false || v === "false");
        return everyone && allActions && insecure;
    });
}

function safeParse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

export const auditBucketTlsOnly = auditBucketPolicy(
    "audit-bucket-tls-only",
    "Buckets holding audit logs must deny every request made without TLS.",
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html (aws:SecureTransport)
    (bucket, why, args, report) => {
        const policies = sideResources(args, [TYPES.s3BucketPolicy], bucket);
        let unknown = false;
        const ok = policies.some((p) => {
            const doc = read(() => propsOf(p)["policy"]);
            if (!doc.known) {
                unknown = true;
                return false;
            }
            return deniesInsecureTransport(doc.value);
        });
        if (!ok && !unknown) {
            report(
                `Bucket ${label(bucket)} holds audit logs (${why}) and must deny requests without TLS; ` +
                    `${policies.length === 0 ? "it has no BucketPolicy" : "its BucketPolicy has no such statement"}. ` +
                    'Add a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucket ARN, bucket ARN + "/*"], ' +
                    'Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
                bucket.urn,
            );
        }
    },
);

export const auditBucketVersioningEnabled = auditBucketPolicy(
    "audit-bucket-versioning-enabled",
    "Buckets holding audit logs must have versioning enabled.",
    (bucket, why, args, report) => {
        const inline = read(() => (propsOf(bucket)["versioning"] as Record<string, unknown> | undefined)?.["enabled"]);
        if (!inline.known || inline.value === true) {
            return;
        }
        const versionings = sideResources(args, [TYPES.s3Versioning, TYPES.s3VersioningV2], bucket);
        const status = versionings.map((v) => read(() => (propsOf(v)["versioningConfiguration"] as Record<string, unknown> | undefined)?.["status"]));
        if (!status.some((s) => !s.known || s.value === "Enabled")) {
            report(
                `Bucket ${label(bucket)} holds audit logs (${why}) and must be versioned; versioning status is ` +
                    `${status.length === 0 ? "unset (no BucketVersioning)" : show(status.map((s) => (s.known ? s.value : "unknown")))}. ` +
                    'Add an aws.s3.BucketVersioning for it with versioningConfiguration: { status: "Enabled" }.',
                bucket.urn,
            );
        }
    },
);

export const auditBucketForceDestroyDisabled = auditBucketPolicy(
    "audit-bucket-force-destroy-disabled",
    "Buckets holding audit logs must not set forceDestroy, so that deleting the stack cannot delete the logs.",
    (bucket, why, _args, report) => {
        const force = read(() => propsOf(bucket)["forceDestroy"]);
        if (force.known && force.value === true) {
            report(
                `Bucket ${label(bucket)} holds audit logs (${why}) and must keep its objects when the stack is destroyed; forceDestroy is true. ` +
                    "Remove forceDestroy (and consider protect: true on the bucket).",
                bucket.urn,
            );
        }
    },
);

export const s3AuditPolicies: StackValidationPolicy[] = [
    auditBucketPublicAccessBlocked,
    auditBucketTlsOnly,
    auditBucketVersioningEnabled,
    auditBucketForceDestroyDisabled,
];
