import { expect } from "chai";
import { isUserError } from "../../lib/errors";
import type { SynthResult } from "../../lib/synth/types";
import { minimalConfig, patched, type ConfigObject } from "../helpers/config";
import { forBucket, ofType, one, policyOf, statementOf, synthConfig, synthStack } from "../helpers/program";

// Account ids of Pulumi.prod.yaml.
const PROD = { org: "o-k7x2m9q4w1", mgmt: "210987654321", archive: "310987654321", monitoring: "410987654321", region: "eu-central-1" };
const PROD_TRAIL_ARN = "arn:aws:cloudtrail:eu-central-1:210987654321:trail/orgwatch-organization-trail";
const PROD_BUCKET = "orgwatch-trail-310987654321-eu-central-1";
const PROD_ACCESS_LOGS = "orgwatch-access-logs-310987654321-eu-central-1";

const TRAIL = "aws:cloudtrail/trail:Trail";
const BUCKET = "aws:s3/bucket:Bucket";

describe("program: organization trail and log archive", () => {
    for (const stack of ["dev", "prod"]) {
        describe(`Pulumi.${stack}.yaml`, () => {
            let r: SynthResult;
            before(async () => {
                r = await synthStack(stack);
            });

            it("has exactly one organization trail, in the management account, with every audit setting", () => {
                const trails = ofType(r, TRAIL);
                expect(trails).to.have.length(1);
                const t = trails[0];
                const mgmt = stack === "prod" ? PROD.mgmt : "100000000001";
                expect(t.account).to.equal(mgmt);
                expect(t.inputs).to.include({
                    isOrganizationTrail: true,
                    isMultiRegionTrail: true,
                    includeGlobalServiceEvents: true,
                    enableLogFileValidation: true,
                    enableLogging: true,
                });
                expect(t.inputs.kmsKeyId).to.match(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/);
                expect(t.inputs.cloudWatchLogsGroupArn).to.match(new RegExp(`^arn:aws:logs:[a-z0-9-]+:${mgmt}:log-group:.+:\\*$`));
                expect(t.inputs.cloudWatchLogsRoleArn).to.match(new RegExp(`^arn:aws:iam::${mgmt}:role/`));
                const selectors = t.inputs.advancedEventSelectors as Array<{ fieldSelectors: Array<{ field: string; equals?: string[] }> }>;
                // Management events, read and write: an eventCategory=Management selector without a readOnly field.
                const mgmtSel = selectors.find((s) => s.fieldSelectors.some((f) => f.field === "eventCategory" && f.equals?.includes("Management")));
                expect(mgmtSel, "management event selector").to.not.equal(undefined);
                expect(mgmtSel?.fieldSelectors.map((f) => f.field)).to.deep.equal(["eventCategory"]);
            });

            it("puts the trail bucket and its side resources in the log-archive account", () => {
                const archive = stack === "prod" ? PROD.archive : "100000000002";
                const buckets = ofType(r, BUCKET);
                expect(buckets.map((b) => b.account)).to.deep.equal([archive, archive]);
                const trailBucket = String(one(r, TRAIL).inputs.s3BucketName);
                for (const type of [
                    "aws:s3/bucketPolicy:BucketPolicy",
                    "aws:s3/bucketVersioning:BucketVersioning",
                    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                    "aws:s3/bucketLogging:BucketLogging",
                    "aws:s3/bucketRequestPaymentConfiguration:BucketRequestPaymentConfiguration",
                    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
                ]) {
                    expect(forBucket(r, type, trailBucket).account, type).to.equal(archive);
                }
            });

            it("never sets forceDestroy on a bucket", () => {
                for (const b of ofType(r, BUCKET)) expect(b.inputs.forceDestroy).to.equal(false);
            });

            it("makes the trail depend on the bucket policy, the key and the role policy (AWS checks them at CreateTrail)", () => {
                const t = one(r, TRAIL);
                const policy = ofType(r, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === t.inputs.s3BucketName);
                const rolePolicy = one(r, "aws:iam/rolePolicy:RolePolicy");
                expect(t.dependsOn).to.include.members([policy?.urn, rolePolicy.urn]);
                expect(t.dependsOn.some((u) => u.includes("aws:kms/key:Key::log-archive-trail-key"))).to.equal(true);
            });
        });
    }

    describe("prod policy texts (design brief, 'Required policy texts')", () => {
        let r: SynthResult;
        before(async () => {
            r = await synthStack("prod");
        });

        it("bucket policy: CloudTrail reads the ACL only for our trail", () => {
            const doc = policyOf(forBucket(r, "aws:s3/bucketPolicy:BucketPolicy", PROD_BUCKET));
            expect(statementOf(doc, "CloudTrailAclCheck")).to.deep.include({
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "s3:GetBucketAcl",
                Resource: `arn:aws:s3:::${PROD_BUCKET}`,
                Condition: { StringEquals: { "aws:SourceArn": PROD_TRAIL_ARN } },
            });
        });

        it("bucket policy: CloudTrail writes under AWSLogs/<management-account>/ and AWSLogs/<org-id>/ with the owner ACL and our trail ARN", () => {
            const doc = policyOf(forBucket(r, "aws:s3/bucketPolicy:BucketPolicy", PROD_BUCKET));
            const writes = doc.Statement.filter((s) => s.Action === "s3:PutObject" && s.Effect === "Allow");
            expect(writes.map((s) => s.Resource)).to.have.members([
                `arn:aws:s3:::${PROD_BUCKET}/AWSLogs/${PROD.mgmt}/*`,
                `arn:aws:s3:::${PROD_BUCKET}/AWSLogs/${PROD.org}/*`,
            ]);
            for (const s of writes) {
                expect(s.Principal).to.deep.equal({ Service: "cloudtrail.amazonaws.com" });
                expect(s.Condition).to.deep.equal({ StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": PROD_TRAIL_ARN } });
            }
        });

        it("bucket policy: denies every request without TLS, reads from outside the organization, and deletions", () => {
            const doc = policyOf(forBucket(r, "aws:s3/bucketPolicy:BucketPolicy", PROD_BUCKET));
            expect(statementOf(doc, "DenyInsecureTransport")).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            const outside = statementOf(doc, "DenyReadOutsideOrganization");
            expect(outside.Effect).to.equal("Deny");
            expect(JSON.stringify(outside.Condition)).to.contain(`"aws:PrincipalOrgID":"${PROD.org}"`);
            const del = statementOf(doc, "DenyLogDeletion");
            expect(del.Effect).to.equal("Deny");
            expect(del.Action).to.include("s3:DeleteObject*");
        });

        it("trail key: CloudTrail may GenerateDataKey* only for the management account's trails and our trail ARN; DescribeKey allowed", () => {
            const key = ofType(r, "aws:kms/key:Key").find((k) => k.name === "log-archive-trail-key");
            expect(key?.account).to.equal(PROD.archive);
            const doc = policyOf(key as NonNullable<typeof key>);
            expect(statementOf(doc, "CloudTrailEncryptLogs")).to.deep.include({
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:GenerateDataKey*",
                Condition: {
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${PROD.mgmt}:trail/*` },
                    StringEquals: { "aws:SourceArn": PROD_TRAIL_ARN },
                },
            });
            expect(statementOf(doc, "CloudTrailDescribeKey")).to.deep.include({ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey" });
            const readers = statementOf(doc, "DecryptCloudTrailLogs");
            expect(readers.Condition).to.deep.include({ Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" } });
        });

        it("trail key: rotation on, single-Region, 30-day deletion window", () => {
            const key = one(r, "aws:kms/key:Key", "log-archive-trail-key");
            expect(key.inputs).to.include({ enableKeyRotation: true, multiRegion: false, deletionWindowInDays: 30 });
        });

        it("log group key admits logs.<region>.amazonaws.com for exactly the trail log group", () => {
            const key = one(r, "aws:kms/key:Key", "organization-trail-logs-key");
            expect(key.account).to.equal(PROD.mgmt);
            expect(statementOf(policyOf(key), "CloudWatchLogsEncryptLogGroups")).to.deep.include({
                Principal: { Service: "logs.eu-central-1.amazonaws.com" },
                Condition: {
                    ArnEquals: { "kms:EncryptionContext:aws:logs:arn": [`arn:aws:logs:eu-central-1:${PROD.mgmt}:log-group:orgwatch/cloudtrail/organization`] },
                    StringEqualsIfExists: { "aws:SourceOrgID": PROD.org },
                },
            });
        });

        it("CloudTrail→Logs role: trusted by CloudTrail, writes the account's and the organization's streams", () => {
            const role = one(r, "aws:iam/role:Role");
            const trust = policyOf(role, "assumeRolePolicy");
            expect(trust.Statement[0]).to.deep.include({ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" });
            const doc = policyOf(one(r, "aws:iam/rolePolicy:RolePolicy"));
            const group = `arn:aws:logs:eu-central-1:${PROD.mgmt}:log-group:orgwatch/cloudtrail/organization`;
            const streams = [`${group}:log-stream:${PROD.mgmt}_CloudTrail_eu-central-1*`, `${group}:log-stream:${PROD.org}_*`];
            expect(statementOf(doc, "CloudTrailCreateLogStream")).to.deep.include({ Action: "logs:CreateLogStream", Resource: streams });
            expect(statementOf(doc, "CloudTrailPutLogEvents")).to.deep.include({ Action: "logs:PutLogEvents", Resource: streams });
        });

        it("trail bucket: versioned, SSE-KMS with bucket key, fully private, owner-enforced, Requester Pays off, Object Lock", () => {
            expect(forBucket(r, "aws:s3/bucketVersioning:BucketVersioning", PROD_BUCKET).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
            const sse = forBucket(r, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", PROD_BUCKET).inputs.rules as Array<Record<string, unknown>>;
            expect(sse[0].bucketKeyEnabled).to.equal(true);
            expect((sse[0].applyServerSideEncryptionByDefault as Record<string, string>).sseAlgorithm).to.equal("aws:kms");
            expect(forBucket(r, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", PROD_BUCKET).inputs).to.include({
                blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
            });
            expect(forBucket(r, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", PROD_BUCKET).inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
            expect(forBucket(r, "aws:s3/bucketRequestPaymentConfiguration:BucketRequestPaymentConfiguration", PROD_BUCKET).inputs.payer).to.equal("BucketOwner");
            expect(forBucket(r, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", PROD_BUCKET).inputs.rule).to.deep.equal({ defaultRetention: { mode: "COMPLIANCE", days: 2557 } });
            expect(one(r, BUCKET, "log-archive-trail-bucket").inputs.objectLockEnabled).to.equal(true);
        });

        it("trail bucket: server access logs go to the separate access-log bucket (SSE-S3, as S3 requires)", () => {
            expect(forBucket(r, "aws:s3/bucketLogging:BucketLogging", PROD_BUCKET).inputs).to.include({ targetBucket: PROD_ACCESS_LOGS, targetPrefix: `${PROD_BUCKET}/` });
            const sse = forBucket(r, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", PROD_ACCESS_LOGS).inputs.rules as Array<Record<string, Record<string, string>>>;
            expect(sse[0].applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("AES256");
            const doc = policyOf(forBucket(r, "aws:s3/bucketPolicy:BucketPolicy", PROD_ACCESS_LOGS));
            expect(statementOf(doc, "S3ServerAccessLogsPolicy")).to.deep.include({ Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" });
        });

        it("trail bucket lifecycle keeps logs the archive retention (3653 days), moves them to Glacier after 365", () => {
            const rules = forBucket(r, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", PROD_BUCKET).inputs.rules as Array<Record<string, unknown>>;
            expect(rules[0]).to.deep.include({ status: "Enabled", expiration: { days: 3653 }, noncurrentVersionExpiration: { noncurrentDays: 3653 }, transitions: [{ days: 365, storageClass: "GLACIER" }] });
        });

        it("S3 data events exclude the trail bucket; Lambda data events and both Insights types are on", () => {
            const t = one(r, TRAIL);
            const selectors = t.inputs.advancedEventSelectors as Array<{ fieldSelectors: Array<Record<string, unknown>> }>;
            const s3 = selectors.find((s) => JSON.stringify(s).includes("AWS::S3::Object"));
            expect(s3?.fieldSelectors).to.deep.include({ field: "resources.ARN", notStartsWiths: [`arn:aws:s3:::${PROD_BUCKET}/`] });
            expect(JSON.stringify(selectors)).to.contain("AWS::Lambda::Function");
            expect(JSON.stringify(selectors)).not.to.contain("AWS::DynamoDB::Table");
            expect(t.inputs.insightSelectors).to.deep.equal([{ insightType: "ApiCallRateInsight" }, { insightType: "ApiErrorRateInsight" }]);
        });

        it("protects every audit resource in prod", () => {
            const audit = [TRAIL, BUCKET, "aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:sns/topic:Topic", "aws:oam/sink:Sink", "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"];
            for (const type of audit) for (const res of ofType(r, type)) expect(res.protect, res.urn).to.equal(true);
        });

        it("pins every explicit provider to one account and assumes the member role outside the management account", () => {
            const providers = ofType(r, "pulumi:providers:aws");
            for (const p of providers) {
                const allowed = JSON.parse(String(p.inputs.allowedAccountIds)) as string[];
                expect(allowed, p.name).to.have.length(1);
                expect(p.account).to.equal(allowed[0]);
                if (p.name === "management") expect(p.inputs.assumeRoles).to.equal(undefined);
                else expect(String(p.inputs.assumeRoles)).to.contain(`:role/OrganizationAccountAccessRole`);
                expect(JSON.parse(String(p.inputs.defaultTags)).tags).to.deep.include({ ManagedBy: "orgwatch", environment: "prod", "orgwatch:stack": "prod" });
            }
        });
    });

    describe("defaults and options (from a minimal config)", () => {
        let base: SynthResult;
        before(async () => {
            base = await synthConfig(minimalConfig());
        });

        it("defaults: log group 365 days, archive 2557 days, protected, no data events, no Insights, no Object Lock", () => {
            expect(one(base, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).to.equal(365);
            const lifecycle = ofType(base, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
            for (const l of lifecycle) expect((l.inputs.rules as Array<Record<string, unknown>>)[0].expiration).to.deep.equal({ days: 2557 });
            expect(one(base, TRAIL).protect).to.equal(true);
            expect((one(base, TRAIL).inputs.advancedEventSelectors as unknown[]).length).to.equal(1);
            expect(one(base, TRAIL).inputs.insightSelectors).to.equal(undefined);
            expect(ofType(base, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).to.have.length(0);
            expect(one(base, BUCKET, "log-archive-trail-bucket").inputs.objectLockEnabled).to.equal(undefined);
        });

        it("defaults: the log group and every key are KMS-encrypted with rotation", () => {
            expect(one(base, "aws:cloudwatch/logGroup:LogGroup").inputs.kmsKeyId).to.match(/^arn:aws:kms:/);
            for (const k of ofType(base, "aws:kms/key:Key")) expect(k.inputs, k.name).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        });

        const options: Array<{ what: string; patch: ConfigObject; check: (r: SynthResult) => void }> = [
            {
                what: "protect: false leaves audit resources unprotected (sandbox stacks)",
                patch: { protect: false },
                check: (r) => {
                    for (const res of [...ofType(r, TRAIL), ...ofType(r, BUCKET)]) expect(res.protect).to.equal(false);
                },
            },
            {
                what: "s3KeyPrefix moves the write statements and the trail prefix",
                patch: { trail: { s3KeyPrefix: "org/trail" } },
                check: (r) => {
                    expect(one(r, TRAIL).inputs.s3KeyPrefix).to.equal("org/trail");
                    const doc = policyOf(ofType(r, "aws:s3/bucketPolicy:BucketPolicy").find((p) => String(p.inputs.bucket).includes("-trail-")) as never);
                    const writes = doc.Statement.filter((s) => s.Action === "s3:PutObject" && s.Effect === "Allow").map((s) => s.Resource);
                    expect(writes).to.have.members([
                        "arn:aws:s3:::orgwatch-trail-222222222222-eu-west-1/org/trail/AWSLogs/111111111111/*",
                        "arn:aws:s3:::orgwatch-trail-222222222222-eu-west-1/org/trail/AWSLogs/o-abcdef1234/*",
                    ]);
                },
            },
            {
                what: "DynamoDB data events add their selector",
                patch: { trail: { dataEvents: { dynamodb: true } } },
                check: (r) => expect(JSON.stringify(one(r, TRAIL).inputs.advancedEventSelectors)).to.contain("AWS::DynamoDB::Table"),
            },
            {
                what: "multiRegionKey makes the trail key multi-Region",
                patch: { trail: { multiRegionKey: true } },
                check: (r) => expect(one(r, "aws:kms/key:Key", "log-archive-trail-key").inputs.multiRegion).to.equal(true),
            },
            {
                what: "a custom trail name is used in the trail and in every policy ARN",
                patch: { trail: { name: "corp-trail" } },
                check: (r) => {
                    expect(one(r, TRAIL).inputs.name).to.equal("corp-trail");
                    expect(String(ofType(r, "aws:s3/bucketPolicy:BucketPolicy").map((p) => p.inputs.policy).join())).to.contain("trail/corp-trail");
                },
            },
            {
                what: "managementRoleArn and externalId are used when assuming roles",
                patch: { access: { managementRoleArn: "arn:aws:iam::111111111111:role/Admin", externalId: "ext-1234" } },
                check: (r) => {
                    const mgmt = ofType(r, "pulumi:providers:aws").find((p) => p.name === "management");
                    expect(JSON.parse(String(mgmt?.inputs.assumeRoles))).to.deep.equal([{ roleArn: "arn:aws:iam::111111111111:role/Admin", sessionName: "orgwatch", externalId: "ext-1234" }]);
                },
            },
            {
                what: "a custom member role name is assumed in the log-archive account",
                patch: { access: { memberRoleName: "PlatformDeploy" } },
                check: (r) => {
                    const p = ofType(r, "pulumi:providers:aws").find((x) => x.name === "log-archive");
                    expect(String(p?.inputs.assumeRoles)).to.contain("arn:aws:iam::222222222222:role/PlatformDeploy");
                },
            },
            {
                what: "a name prefix renames buckets, log group and role",
                patch: { namePrefix: "acme" },
                check: (r) => {
                    expect(ofType(r, BUCKET).map((b) => b.inputs.bucket)).to.have.members(["acme-trail-222222222222-eu-west-1", "acme-access-logs-222222222222-eu-west-1"]);
                    expect(one(r, "aws:cloudwatch/logGroup:LogGroup").inputs.name).to.equal("acme/cloudtrail/organization");
                },
            },
        ];
        for (const o of options) {
            it(o.what, async () => o.check(await synthConfig(patched(minimalConfig(), o.patch))));
        }
    });

    describe("adopt mode (Control Tower)", () => {
        let r: SynthResult;
        before(async () => {
            r = await synthConfig(patched(minimalConfig(), { trail: { mode: "adopt", adopt: { logGroupNamePrefix: "aws-controltower/CloudTrailLogs" } } }));
        });

        it("creates no trail, no bucket and no trail log group", () => {
            expect(ofType(r, TRAIL)).to.have.length(0);
            expect(ofType(r, BUCKET)).to.have.length(0);
            expect(ofType(r, "aws:cloudwatch/logGroup:LogGroup")).to.have.length(0);
        });

        it("attaches the CIS filters to the adopted log group found by prefix", () => {
            const filters = ofType(r, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
            // The 15 CIS controls and orgwatch's two governance controls (lib/alarms/governance.ts).
            expect(filters.length).to.equal(17);
            for (const f of filters) expect(String(f.inputs.logGroupName)).to.match(/^aws-controltower\/CloudTrailLogs/);
            expect(String(r.outputs.trailLogGroupName)).to.match(/^aws-controltower\/CloudTrailLogs/);
        });
    });

    it("rejects an invalid config before registering any resource, with a UserError", async () => {
        try {
            await synthConfig(patched(minimalConfig(), { retention: { logGroupDays: 7 * 52 } }), "bad");
            expect.fail("should throw");
        } catch (err) {
            expect(isUserError(err), String(err)).to.equal(true);
            expect((err as Error).message).to.contain("orgwatch:retention.logGroupDays");
        }
    });
});
