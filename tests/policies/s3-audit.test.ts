import { expect } from "chai";

import * as s3 from "../../policies/s3-audit";
import { runStackPolicy, StackResourceSpec, UNKNOWN } from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const NAME = "audit-trail-111111111111-us-east-1";

/** The TLS-only statement of the AWS S3 security best practices page (aws:SecureTransport = false → Deny). */
const TLS_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [`arn:aws:s3:::${NAME}`, `arn:aws:s3:::${NAME}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
    ],
});

/** A trail bucket with every protection, as separate @pulumi/aws 7 resources. */
function compliantStack(): StackResourceSpec[] {
    return [
        { type: "aws:cloudtrail/trail:Trail", name: "trail", props: { name: "org", s3BucketName: NAME } },
        { type: BUCKET, name: "trail-bucket", props: { bucket: NAME, id: NAME, arn: `arn:aws:s3:::${NAME}` } },
        {
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            name: "trail-bucket-pab",
            props: { bucket: NAME, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        },
        { type: "aws:s3/bucketPolicy:BucketPolicy", name: "trail-bucket-policy", props: { bucket: NAME, policy: TLS_POLICY } },
        { type: "aws:s3/bucketVersioning:BucketVersioning", name: "trail-bucket-versioning", props: { bucket: NAME, versioningConfiguration: { status: "Enabled" } } },
    ];
}

function without(stack: StackResourceSpec[], name: string): StackResourceSpec[] {
    return stack.filter((r) => r.name !== name);
}

function replace(stack: StackResourceSpec[], name: string, props: Record<string, unknown>): StackResourceSpec[] {
    return stack.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...props } } : r));
}

describe("policies/s3-audit", () => {
    it("a protected trail bucket passes every audit bucket policy", () => {
        for (const p of s3.s3AuditPolicies) {
            expect(runStackPolicy(p, compliantStack()).messages, p.name).to.deep.equal([]);
        }
    });

    it("buckets that hold no audit logs are not checked", () => {
        const plain = [{ type: BUCKET, name: "assets", props: { bucket: "assets", forceDestroy: true } }];
        expect(runStackPolicy(s3.auditBucketForceDestroyDisabled, plain).notApplicable).to.equal("no bucket in the stack holds audit logs");
    });

    describe("detection of audit buckets", () => {
        const bare = (extra: StackResourceSpec[]) => [{ type: BUCKET, name: "logs", props: { bucket: "logs-bucket", forceDestroy: true } }, ...extra];
        const flagged = (stack: StackResourceSpec[], config?: Record<string, unknown>) => runStackPolicy(s3.auditBucketForceDestroyDisabled, stack, { config }).messages;
        it("by load balancer access logs", () => {
            expect(flagged(bare([{ type: "aws:lb/loadBalancer:LoadBalancer", name: "lb", props: { accessLogs: { bucket: "logs-bucket", enabled: true } } }]))[0]).to.contain("a load balancer writes access logs to it");
        });
        it("by a flow log S3 destination ARN with a prefix", () => {
            expect(flagged(bare([{ type: "aws:ec2/flowLog:FlowLog", name: "fl", props: { logDestination: "arn:aws:s3:::logs-bucket/flow/", logDestinationType: "s3" } }]))[0]).to.contain("VPC flow logs");
        });
        it("by the orgwatch:audit-logs tag", () => {
            const tagged = [{ type: BUCKET, name: "logs", props: { bucket: "logs-bucket", forceDestroy: true, tags: { "orgwatch:audit-logs": "true" } } }];
            expect(flagged(tagged)[0]).to.contain("tagged orgwatch:audit-logs=true");
        });
        it("by the auditBuckets config (logical or bucket name)", () => {
            expect(flagged(bare([]), { auditBuckets: ["logs"] })).to.have.length(1);
            expect(flagged(bare([]), { auditBuckets: ["logs-bucket"] })).to.have.length(1);
        });
        it("by a trail whose bucket name is unknown at preview, through its property dependencies", () => {
            const stack: StackResourceSpec[] = [
                { type: BUCKET, name: "logs", props: { bucket: UNKNOWN, forceDestroy: true } },
                { type: "aws:cloudtrail/trail:Trail", name: "trail", props: { s3BucketName: UNKNOWN }, propertyDependencies: { s3BucketName: ["logs"] } },
            ];
            expect(flagged(stack)[0]).to.contain("CloudTrail delivers to it");
        });
        it("also for the deprecated BucketV2 token", () => {
            const stack = [
                { type: "aws:s3/bucketV2:BucketV2", name: "v2", props: { bucket: "old-trail", forceDestroy: true } },
                { type: "aws:cloudtrail/trail:Trail", name: "trail", props: { s3BucketName: "old-trail" } },
            ];
            expect(flagged(stack)).to.have.length(1);
        });
    });

    describe("audit-bucket-public-access-blocked", () => {
        it("fails without a public access block", () => {
            const r = runStackPolicy(s3.auditBucketPublicAccessBlocked, without(compliantStack(), "trail-bucket-pab"));
            expect(r.messages[0]).to.contain(NAME).and.contain("no BucketPublicAccessBlock");
            expect(r.urns[0]).to.contain("::trail-bucket");
        });
        it("fails when one flag is false", () => {
            const r = runStackPolicy(s3.auditBucketPublicAccessBlocked, replace(compliantStack(), "trail-bucket-pab", { restrictPublicBuckets: false }));
            expect(r.messages[0]).to.contain("restrictPublicBuckets=false");
        });
        it("accepts an account-level public access block instead", () => {
            const stack = [
                ...without(compliantStack(), "trail-bucket-pab"),
                { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", name: "account", props: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } },
            ];
            expect(runStackPolicy(s3.auditBucketPublicAccessBlocked, stack).messages).to.deep.equal([]);
        });
    });

    describe("audit-bucket-tls-only", () => {
        it("fails without a bucket policy", () => {
            expect(runStackPolicy(s3.auditBucketTlsOnly, without(compliantStack(), "trail-bucket-policy")).messages[0]).to.contain("it has no BucketPolicy");
        });
        it("fails with a policy that only allows CloudTrail", () => {
            const allowOnly = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: "*" }] });
            expect(runStackPolicy(s3.auditBucketTlsOnly, replace(compliantStack(), "trail-bucket-policy", { policy: allowOnly })).messages[0]).to.contain("has no such statement");
        });
        it("skips a policy document unknown at preview", () => {
            expect(runStackPolicy(s3.auditBucketTlsOnly, replace(compliantStack(), "trail-bucket-policy", { policy: UNKNOWN })).messages).to.deep.equal([]);
        });
        it("deniesInsecureTransport accepts the boolean form and rejects an Allow", () => {
            expect(s3.deniesInsecureTransport({ Statement: { Effect: "Deny", Principal: { AWS: "*" }, Action: ["s3:*"], Condition: { Bool: { "aws:SecureTransport": false } } } })).to.equal(true);
            expect(s3.deniesInsecureTransport({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] })).to.equal(false);
        });
    });

    describe("audit-bucket-versioning-enabled", () => {
        it("fails without versioning and when suspended", () => {
            expect(runStackPolicy(s3.auditBucketVersioningEnabled, without(compliantStack(), "trail-bucket-versioning")).messages[0]).to.contain("unset (no BucketVersioning)");
            const suspended = replace(compliantStack(), "trail-bucket-versioning", { versioningConfiguration: { status: "Suspended" } });
            expect(runStackPolicy(s3.auditBucketVersioningEnabled, suspended).messages[0]).to.contain('"Suspended"');
        });
    });

    describe("audit-bucket-force-destroy-disabled", () => {
        it("fails with forceDestroy true", () => {
            const r = runStackPolicy(s3.auditBucketForceDestroyDisabled, replace(compliantStack(), "trail-bucket", { forceDestroy: true }));
            expect(r.messages[0]).to.contain("forceDestroy is true");
        });
    });
});
