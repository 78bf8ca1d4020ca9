import { expect } from "chai";
import {
    accessLogBucketPolicy,
    alarmTopicKeyPolicy,
    alarmTopicPolicy,
    cloudTrailLogsAssumeRolePolicy,
    cloudTrailLogsRolePolicy,
    logGroupKeyPolicy,
    oamSinkPolicy,
    policyJson,
    trailArn,
    trailBucketPolicy,
    trailKeyPolicy,
} from "../../../lib/policy-documents";
import { simulate, simulateReport } from "../../helpers/iam";

// Each scenario states the outcome AWS documents for the request (CloudTrail, CloudWatch Logs, SNS, OAM and
// IAM guides cited in lib/policy-documents) and asks the IAM policy simulator whether the generated document
// produces it. Accounts: 111111111111 management (trail, alarms), 222222222222 log archive (buckets),
// 333333333333 key owner, 444444444444 member, 999999999999 outside the organization.
const ORG = "o-exampleorg1";
const MGMT = "111111111111";
const ARCHIVE = "222222222222";
const KEY_ACCOUNT = "333333333333";
const MEMBER = "444444444444";
const OUTSIDER = "999999999999";
const TRAIL = trailArn({ partition: "aws", region: "us-east-1", managementAccountId: MGMT, trailName: "org-trail" });
const OTHER_TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/shadow-trail";
const DEPLOY_ROLE = `arn:aws:iam::${ARCHIVE}:role/orgwatch-deploy`;
const ARCHIVE_ADMIN = `arn:aws:iam::${ARCHIVE}:role/Admin`;
const BUCKET = "org-trail-logs";
const ORG_OBJECT = `arn:aws:s3:::${BUCKET}/AWSLogs/${ORG}/${MEMBER}/CloudTrail/us-east-1/2024/05/01/${MEMBER}_CloudTrail_us-east-1_20240501T0000Z_a.json.gz`;
const MGMT_OBJECT = `arn:aws:s3:::${BUCKET}/AWSLogs/${MGMT}/CloudTrail/us-east-1/2024/05/01/${MGMT}_CloudTrail_us-east-1_20240501T0000Z_b.json.gz`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY = `arn:aws:kms:us-east-1:${KEY_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

// The bucket policy is evaluated from its JSON text, as a component hands it to aws.s3.BucketPolicy.
const bucketPolicy = policyJson(
    trailBucketPolicy({ partition: "aws", bucketName: BUCKET, managementAccountId: MGMT, organizationId: ORG, trailArn: TRAIL, deployRoleArns: [DEPLOY_ROLE] }),
);
const cloudTrailDelivery = { "aws:SourceArn": TRAIL, "aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true" };
const withAcl = { ...cloudTrailDelivery, "s3:x-amz-acl": "bucket-owner-full-control" };
function iamContext(principalArn: string, orgId: string | undefined): Record<string, string> {
    return {
        "aws:PrincipalArn": principalArn,
        "aws:PrincipalAccount": principalArn.split(":")[4] ?? "",
        "aws:PrincipalIsAWSService": "false",
        "aws:SecureTransport": "true",
        ...(orgId !== undefined ? { "aws:PrincipalOrgID": orgId } : {}),
    };
}
const s3 = (action: string, resource: string, principal: string, context: Record<string, string>) =>
    simulate({ policy: bucketPolicy, action, resource, resourceAccountId: ARCHIVE, principal, context });

describe("policy-documents: simulated with @cloud-copilot/iam-simulate", () => {
    describe("trail bucket", () => {
        it("CloudTrail writes an organization log file with the trail ARN, the ACL and TLS: allowed", async () => {
            expect(await s3("s3:PutObject", ORG_OBJECT, "cloudtrail.amazonaws.com", withAcl)).to.equal("allowed");
        });
        it("CloudTrail writes under AWSLogs/<management account>/: allowed", async () => {
            expect(await s3("s3:PutObject", MGMT_OBJECT, "cloudtrail.amazonaws.com", withAcl)).to.equal("allowed");
        });
        it("CloudTrail checks the bucket ACL for our trail: allowed; for another trail: implicitly denied", async () => {
            expect(await s3("s3:GetBucketAcl", BUCKET_ARN, "cloudtrail.amazonaws.com", cloudTrailDelivery)).to.equal("allowed");
            expect(await s3("s3:GetBucketAcl", BUCKET_ARN, "cloudtrail.amazonaws.com", { ...cloudTrailDelivery, "aws:SourceArn": OTHER_TRAIL })).to.equal(
                "implicitly denied",
            );
        });
        it("CloudTrail writing for another trail ARN: implicitly denied", async () => {
            expect(await s3("s3:PutObject", ORG_OBJECT, "cloudtrail.amazonaws.com", { ...withAcl, "aws:SourceArn": OTHER_TRAIL })).to.equal("implicitly denied");
        });
        it("CloudTrail writing under another prefix or another organization's folder: implicitly denied", async () => {
            expect(await s3("s3:PutObject", `arn:aws:s3:::${BUCKET}/other/AWSLogs/${ORG}/${MEMBER}/x.json.gz`, "cloudtrail.amazonaws.com", withAcl)).to.equal(
                "implicitly denied",
            );
            expect(await s3("s3:PutObject", `arn:aws:s3:::${BUCKET}/AWSLogs/o-otherorg99/${MEMBER}/x.json.gz`, "cloudtrail.amazonaws.com", withAcl)).to.equal(
                "implicitly denied",
            );
        });
        it("with a configured prefix, the prefixed path is allowed and the unprefixed one is not", async () => {
            const prefixed = policyJson(
                trailBucketPolicy({ partition: "aws", bucketName: BUCKET, keyPrefix: "trail", managementAccountId: MGMT, organizationId: ORG, trailArn: TRAIL, deployRoleArns: [] }),
            );
            const run = (resource: string) => simulate({ policy: prefixed, action: "s3:PutObject", resource, resourceAccountId: ARCHIVE, principal: "cloudtrail.amazonaws.com", context: withAcl });
            expect(await run(`arn:aws:s3:::${BUCKET}/trail/AWSLogs/${ORG}/${MEMBER}/x.json.gz`)).to.equal("allowed");
            expect(await run(ORG_OBJECT)).to.equal("implicitly denied");
        });
        it("CloudTrail writing without the bucket-owner-full-control ACL: implicitly denied", async () => {
            expect(await s3("s3:PutObject", ORG_OBJECT, "cloudtrail.amazonaws.com", cloudTrailDelivery)).to.equal("implicitly denied");
            expect(await s3("s3:PutObject", ORG_OBJECT, "cloudtrail.amazonaws.com", { ...withAcl, "s3:x-amz-acl": "private" })).to.equal("implicitly denied");
        });
        it("any request without TLS, even CloudTrail's: denied", async () => {
            expect(await s3("s3:PutObject", ORG_OBJECT, "cloudtrail.amazonaws.com", { ...withAcl, "aws:SecureTransport": "false" })).to.equal("denied");
            expect(await s3("s3:GetObject", ORG_OBJECT, ARCHIVE_ADMIN, { ...iamContext(ARCHIVE_ADMIN, ORG), "aws:SecureTransport": "false" })).to.equal("denied");
        });
        it("an administrator outside the organization reading or listing logs: denied", async () => {
            const outsider = `arn:aws:iam::${OUTSIDER}:role/Admin`;
            expect(await s3("s3:GetObject", ORG_OBJECT, outsider, iamContext(outsider, "o-otherorg99"))).to.equal("denied");
            expect(await s3("s3:GetObjectVersion", ORG_OBJECT, outsider, iamContext(outsider, undefined))).to.equal("denied");
            expect(await s3("s3:ListBucket", BUCKET_ARN, outsider, iamContext(outsider, undefined))).to.equal("denied");
        });
        it("an anonymous request for a log file: denied", async () => {
            expect(await s3("s3:GetObject", ORG_OBJECT, "anonymous", { "aws:SecureTransport": "true" })).to.equal("denied");
        });
        it("an administrator of the log archive account (in the organization) reads logs: allowed", async () => {
            expect(await s3("s3:GetObject", ORG_OBJECT, ARCHIVE_ADMIN, iamContext(ARCHIVE_ADMIN, ORG))).to.equal("allowed");
        });
        it("deleting a log object or version, even as the deploy role: denied", async () => {
            expect(await s3("s3:DeleteObject", ORG_OBJECT, ARCHIVE_ADMIN, iamContext(ARCHIVE_ADMIN, ORG))).to.equal("denied");
            expect(await s3("s3:DeleteObjectVersion", ORG_OBJECT, DEPLOY_ROLE, iamContext(DEPLOY_ROLE, ORG))).to.equal("denied");
        });
        it("changing the bucket policy, versioning or lifecycle: denied to an admin, allowed to the deploy role", async () => {
            for (const action of ["s3:PutBucketPolicy", "s3:PutBucketVersioning", "s3:PutLifecycleConfiguration", "s3:DeleteBucket", "s3:PutBucketRequestPayment", "s3:PutBucketNotification", "s3:PutInventoryConfiguration"]) {
                expect(await s3(action, BUCKET_ARN, ARCHIVE_ADMIN, iamContext(ARCHIVE_ADMIN, ORG)), `${action} by admin`).to.equal("denied");
                expect(await s3(action, BUCKET_ARN, DEPLOY_ROLE, iamContext(DEPLOY_ROLE, ORG)), `${action} by deploy role`).to.equal("allowed");
            }
        });
        it("overwriting a log file, changing its retention or legal hold, even as the deploy role: denied; restoring an archived one: allowed", async () => {
            for (const action of ["s3:PutObject", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectTagging"]) {
                expect(await s3(action, ORG_OBJECT, ARCHIVE_ADMIN, iamContext(ARCHIVE_ADMIN, ORG)), `${action} by admin`).to.equal("denied");
                expect(await s3(action, ORG_OBJECT, DEPLOY_ROLE, iamContext(DEPLOY_ROLE, ORG)), `${action} by deploy role`).to.equal("denied");
            }
            expect(await s3("s3:RestoreObject", ORG_OBJECT, ARCHIVE_ADMIN, iamContext(ARCHIVE_ADMIN, ORG))).to.equal("allowed");
        });
        it("with no deploy role named, configuration changes are denied to everyone", async () => {
            const locked = trailBucketPolicy({ partition: "aws", bucketName: BUCKET, managementAccountId: MGMT, organizationId: ORG, trailArn: TRAIL, deployRoleArns: [] });
            expect(
                await simulate({ policy: locked, action: "s3:PutBucketPolicy", resource: BUCKET_ARN, resourceAccountId: ARCHIVE, principal: DEPLOY_ROLE, context: iamContext(DEPLOY_ROLE, ORG) }),
            ).to.equal("denied");
        });
    });

    describe("server access log bucket", () => {
        const policy = accessLogBucketPolicy({ partition: "aws", bucketName: "org-trail-access-logs", sourceBucketName: BUCKET, sourceAccountId: ARCHIVE, deployRoleArns: [DEPLOY_ROLE] });
        const put = (sourceArn: string, sourceAccount: string) =>
            simulate({
                policy,
                action: "s3:PutObject",
                resource: "arn:aws:s3:::org-trail-access-logs/2024-05-01-00-00-00-ABCDEF",
                resourceAccountId: ARCHIVE,
                principal: "logging.s3.amazonaws.com",
                context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceAccount, "aws:SecureTransport": "true", "aws:PrincipalIsAWSService": "true" },
            });
        it("S3 delivering logs of the trail bucket: allowed; of another bucket or account: implicitly denied", async () => {
            expect(await put(BUCKET_ARN, ARCHIVE)).to.equal("allowed");
            expect(await put("arn:aws:s3:::someone-elses-bucket", ARCHIVE)).to.equal("implicitly denied");
            expect(await put(BUCKET_ARN, OUTSIDER)).to.equal("implicitly denied");
        });
        it("the log archive administrator writing or deleting an access log: denied", async () => {
            const object = "arn:aws:s3:::org-trail-access-logs/2024-05-01-00-00-00-ABCDEF";
            for (const action of ["s3:PutObject", "s3:DeleteObject"]) {
                expect(await simulate({ policy, action, resource: object, resourceAccountId: ARCHIVE, principal: ARCHIVE_ADMIN, context: iamContext(ARCHIVE_ADMIN, ORG) }), action).to.equal("denied");
            }
        });
    });

    describe("trail KMS key", () => {
        const policy = trailKeyPolicy({
            partition: "aws",
            keyAccountId: KEY_ACCOUNT,
            managementAccountId: MGMT,
            organizationId: ORG,
            trailArn: TRAIL,
            adminPrincipalArns: [],
            readerAccountIds: [ARCHIVE],
        });
        const kms = (action: string, principal: string, context: Record<string, string>) => simulateReport({ policy, action, resource: KEY, principal, context });
        // Service principals' requests carry aws:PrincipalIsAWSService = true (IAM condition-key reference).
        const encrypt = { "aws:SourceArn": TRAIL, "aws:PrincipalIsAWSService": "true", "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL };

        it("CloudTrail generates a data key with the trail's encryption context: allowed", async () => {
            const report = await kms("kms:GenerateDataKey", "cloudtrail.amazonaws.com", encrypt);
            expect(report.outcome).to.equal("allowed");
            expect(report.engine).to.equal("runUnsafeSimulation");
            expect(report.ignoredContextKeys).to.deep.equal(["kms:EncryptionContext:aws:cloudtrail:arn"]);
        });
        it("CloudTrail without an encryption context, or with another account's trail in it: implicitly denied", async () => {
            expect((await kms("kms:GenerateDataKey", "cloudtrail.amazonaws.com", { "aws:SourceArn": TRAIL, "aws:PrincipalIsAWSService": "true" })).outcome).to.equal("implicitly denied");
            expect(
                (await kms("kms:GenerateDataKey", "cloudtrail.amazonaws.com", { ...encrypt, "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/t` }))
                    .outcome,
            ).to.equal("implicitly denied");
        });
        it("CloudTrail on behalf of another trail (aws:SourceArn): implicitly denied", async () => {
            expect((await kms("kms:GenerateDataKey", "cloudtrail.amazonaws.com", { ...encrypt, "aws:SourceArn": OTHER_TRAIL })).outcome).to.equal("implicitly denied");
        });
        it("CloudTrail describes the key for our trail: allowed; for another trail: implicitly denied", async () => {
            const report = await kms("kms:DescribeKey", "cloudtrail.amazonaws.com", { "aws:SourceArn": TRAIL });
            expect(report.outcome).to.equal("allowed");
            expect(report.engine).to.equal("runSimulation");
            expect((await kms("kms:DescribeKey", "cloudtrail.amazonaws.com", { "aws:SourceArn": OTHER_TRAIL })).outcome).to.equal("implicitly denied");
        });
        it("the key account's administrator generating a data key under the CloudTrail context: denied", async () => {
            const admin = `arn:aws:iam::${KEY_ACCOUNT}:role/Admin`;
            expect((await kms("kms:GenerateDataKey", admin, { ...iamContext(admin, ORG), "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL })).outcome).to.equal("denied");
        });
        it("a reader decrypts a CloudTrail log file: allowed; data without the CloudTrail context: implicitly denied", async () => {
            const reader = `arn:aws:iam::${ARCHIVE}:role/LogReader`;
            expect((await kms("kms:Decrypt", reader, { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL })).outcome).to.equal("allowed");
            expect((await kms("kms:Decrypt", reader, { "kms:EncryptionContext:aws:s3:arn": `${BUCKET_ARN}/secret` })).outcome).to.equal("implicitly denied");
            expect((await kms("kms:Decrypt", reader, {})).outcome).to.equal("implicitly denied");
        });
        it("an outside administrator decrypting CloudTrail logs: implicitly denied", async () => {
            expect((await kms("kms:Decrypt", `arn:aws:iam::${OUTSIDER}:role/Admin`, { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL })).outcome).to.equal(
                "implicitly denied",
            );
        });
    });

    describe("log group KMS key", () => {
        const policy = logGroupKeyPolicy({ partition: "aws", region: "us-east-1", accountId: MGMT, organizationId: ORG, logGroupNames: ["/orgwatch/trail"], adminPrincipalArns: [] });
        const logsKey = `arn:aws:kms:us-east-1:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
        const use = (principal: string, logGroupArn: string) =>
            simulate({ policy, action: "kms:GenerateDataKey", resource: logsKey, principal, context: { "aws:PrincipalIsAWSService": "true", "kms:EncryptionContext:aws:logs:arn": logGroupArn } });
        it("CloudWatch Logs uses the key for the governed log group: allowed; for another log group: implicitly denied", async () => {
            expect(await use("logs.us-east-1.amazonaws.com", `arn:aws:logs:us-east-1:${MGMT}:log-group:/orgwatch/trail`)).to.equal("allowed");
            expect(await use("logs.us-east-1.amazonaws.com", `arn:aws:logs:us-east-1:${MGMT}:log-group:/app/other`)).to.equal("implicitly denied");
        });
        it("another Region's CloudWatch Logs principal: implicitly denied", async () => {
            expect(await use("logs.eu-west-1.amazonaws.com", `arn:aws:logs:us-east-1:${MGMT}:log-group:/orgwatch/trail`)).to.equal("implicitly denied");
        });
    });

    describe("CloudTrail → CloudWatch Logs role", () => {
        const policy = cloudTrailLogsRolePolicy({ partition: "aws", region: "us-east-1", managementAccountId: MGMT, organizationId: ORG, logGroupName: "/orgwatch/trail" });
        const role = `arn:aws:iam::${MGMT}:role/orgwatch-cloudtrail-logs`;
        const group = `arn:aws:logs:us-east-1:${MGMT}:log-group:/orgwatch/trail`;
        const put = (resource: string) => simulate({ policy, policyType: "identity", action: "logs:PutLogEvents", resource, principal: role });
        it("PutLogEvents on an organization member stream and on the account stream: allowed", async () => {
            expect(await put(`${group}:log-stream:${ORG}_${MEMBER}_CloudTrail_us-east-1`)).to.equal("allowed");
            expect(await put(`${group}:log-stream:${MGMT}_CloudTrail_us-east-1_2`)).to.equal("allowed");
        });
        it("PutLogEvents on another stream or another log group: implicitly denied", async () => {
            expect(await put(`${group}:log-stream:${MEMBER}_CloudTrail_us-east-1`)).to.equal("implicitly denied");
            expect(await put(`arn:aws:logs:us-east-1:${MGMT}:log-group:/app/other:log-stream:${ORG}_${MEMBER}_CloudTrail_us-east-1`)).to.equal("implicitly denied");
        });
        it("the trust policy lets CloudTrail, not another service, assume the role, only on behalf of this trail", async () => {
            const trust = cloudTrailLogsAssumeRolePolicy({ partition: "aws", managementAccountId: MGMT, trailArn: TRAIL });
            const assume = (principal: string, context: Record<string, string>) => simulate({ policy: trust, action: "sts:AssumeRole", resource: role, principal, context });
            expect(await assume("cloudtrail.amazonaws.com", { "aws:SourceArn": TRAIL, "aws:SourceAccount": MGMT })).to.equal("allowed");
            // The CloudTrail guide: "The role policy doesn't support the use of aws:SourceArn and aws:SourceAccount", so
            // they are compared IfExists: naming none, or only this trail, is trusted; naming another trail is not.
            // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
            expect(await assume("cloudtrail.amazonaws.com", {})).to.equal("allowed");
            expect(await assume("cloudtrail.amazonaws.com", { "aws:SourceArn": TRAIL })).to.equal("allowed");
            expect(await assume("cloudtrail.amazonaws.com", { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${OUTSIDER}:trail/t`, "aws:SourceAccount": OUTSIDER })).to.equal("implicitly denied");
            expect(await assume("ec2.amazonaws.com", {})).to.equal("implicitly denied");
        });
    });

    describe("alarm topic and its key", () => {
        const topicArn = `arn:aws:sns:us-east-1:${MGMT}:orgwatch-security-alarms`;
        const policy = alarmTopicPolicy({ partition: "aws", region: "us-east-1", accountId: MGMT, topicArn });
        const publish = (principal: string, context: Record<string, string>) => simulate({ policy, action: "sns:Publish", resource: topicArn, principal, context });
        it("a CloudWatch alarm of the owning account publishes: allowed", async () => {
            expect(
                await publish("cloudwatch.amazonaws.com", { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${MGMT}:alarm:cis-root-usage`, "aws:SourceAccount": MGMT, "aws:SecureTransport": "true" }),
            ).to.equal("allowed");
        });
        it("a CloudWatch alarm of another account: implicitly denied", async () => {
            expect(
                await publish("cloudwatch.amazonaws.com", {
                    "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${OUTSIDER}:alarm:spoof`,
                    "aws:SourceAccount": OUTSIDER,
                    "aws:SecureTransport": "true",
                }),
            ).to.equal("implicitly denied");
        });
        it("another service publishing: implicitly denied", async () => {
            expect(
                await publish("events.amazonaws.com", { "aws:SourceArn": `arn:aws:events:us-east-1:${MGMT}:rule/r`, "aws:SourceAccount": MGMT, "aws:SecureTransport": "true" }),
            ).to.equal("implicitly denied");
        });
        it("publishing without TLS, even from the owning account: denied", async () => {
            const admin = `arn:aws:iam::${MGMT}:role/Admin`;
            expect(await publish(admin, { ...iamContext(admin, ORG), "aws:SecureTransport": "false" })).to.equal("denied");
        });
        it("CloudWatch may use the topic key for an alarm of the account; for another account's alarm, or another service, not", async () => {
            const key = alarmTopicKeyPolicy({ partition: "aws", region: "us-east-1", accountId: MGMT, topicArn, adminPrincipalArns: [] });
            const topicKey = `arn:aws:kms:us-east-1:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
            const use = (action: string, principal: string, alarmAccount: string) =>
                simulateReport({
                    policy: key,
                    action,
                    resource: topicKey,
                    principal,
                    context: { "aws:SourceArn": `arn:aws:cloudwatch:us-east-1:${alarmAccount}:alarm:a`, "aws:PrincipalIsAWSService": "true", "kms:EncryptionContext:aws:sns:topicArn": topicArn },
                });
            expect((await use("kms:GenerateDataKey", "cloudwatch.amazonaws.com", MGMT)).outcome).to.equal("allowed");
            expect((await use("kms:Decrypt", "cloudwatch.amazonaws.com", MGMT)).outcome).to.equal("allowed");
            expect((await use("kms:GenerateDataKey", "cloudwatch.amazonaws.com", OUTSIDER)).outcome).to.equal("implicitly denied");
            expect((await use("kms:Decrypt", "events.amazonaws.com", MGMT)).outcome).to.equal("implicitly denied");
        });
    });

    describe("OAM sink", () => {
        const policy = oamSinkPolicy({ partition: "aws", organizationId: ORG, resourceTypes: ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"], linkCreatorArns: ["arn:aws:iam::*:role/orgwatch-baseline"] });
        const sink = "arn:aws:oam:us-east-1:555555555555:sink/abcd1234-a123-456a-a12b-a123b456c789";
        const link = (account: string, orgId: string, types: string[], roleName = "orgwatch-baseline") => {
            const principal = `arn:aws:iam::${account}:role/${roleName}`;
            return simulate({ policy, action: "oam:CreateLink", resource: sink, principal, context: { ...iamContext(principal, orgId), "oam:ResourceTypes": types } });
        };
        it("a member account of the organization links metrics and log groups: allowed", async () => {
            expect(await link(MEMBER, ORG, ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup"])).to.equal("allowed");
        });
        it("an account outside the organization: implicitly denied", async () => {
            expect(await link(OUTSIDER, "o-otherorg99", ["AWS::CloudWatch::Metric"])).to.equal("implicitly denied");
        });
        // A source account links to a monitoring account once (CreateLink): a link another role of the account made
        // first would hold orgwatch's place. https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html
        it("another role of a member account (an administrator taking orgwatch's place): implicitly denied", async () => {
            expect(await link(MEMBER, ORG, ["AWS::XRay::Trace"], "Admin")).to.equal("implicitly denied");
        });
        it("the StackSets execution role of a member account: allowed", async () => {
            expect(await link(MEMBER, ORG, ["AWS::CloudWatch::Metric"], "stacksets-exec-0123456789abcdef")).to.equal("allowed");
        });
        // The management account's link is made with whatever credentials `pulumi up` has there; its principals
        // are unbound by SCPs, so admitting them all takes no member's place. Expectations: aws:PrincipalArn of a
        // session is its role's ARN, and `arn:aws:iam::<management>:*` matches only that account's principals.
        const withManagement = oamSinkPolicy({ partition: "aws", organizationId: ORG, resourceTypes: ["AWS::CloudWatch::Metric"], linkCreatorArns: [], linkCreatorAccountIds: [MGMT] });
        const linkAs = (principal: string) =>
            simulate({ policy: withManagement, action: "oam:CreateLink", resource: sink, principal, context: { ...iamContext(principal, ORG), "oam:ResourceTypes": ["AWS::CloudWatch::Metric"] } });
        it("any principal of the management account (an SSO role, a user): allowed; a member's administrator still not", async () => {
            expect(await linkAs(`arn:aws:iam::${MGMT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`)).to.equal("allowed");
            expect(await linkAs(`arn:aws:iam::${MGMT}:user/platform-admin`)).to.equal("allowed");
            expect(await linkAs(`arn:aws:iam::${MEMBER}:role/Admin`)).to.equal("implicitly denied");
            expect(() => oamSinkPolicy({ partition: "aws", organizationId: ORG, resourceTypes: ["AWS::CloudWatch::Metric"], linkCreatorArns: [], linkCreatorAccountIds: ["12345"] })).to.throw(Error, "linkCreatorAccountIds[0] must be a 12-digit account id");
        });
        it("a member sharing a resource type the sink does not admit: implicitly denied", async () => {
            expect(await link(MEMBER, ORG, ["AWS::CloudWatch::Metric", "AWS::ApplicationInsights::Application"])).to.equal("implicitly denied");
        });
    });

    describe("the simulate() helper itself", () => {
        it("refuses a context key the action does not know instead of ignoring it", async () => {
            let error: unknown;
            try {
                await simulate({ policy: bucketPolicy, action: "s3:GetBucketAcl", resource: BUCKET_ARN, resourceAccountId: ARCHIVE, principal: "cloudtrail.amazonaws.com", context: { "kms:EncryptionContext:x": "y" } });
            } catch (e) {
                error = e;
            }
            expect(String(error)).to.contain("context keys not applicable to s3:GetBucketAcl: kms:EncryptionContext:x");
        });
        it("refuses a malformed policy", async () => {
            let error: unknown;
            try {
                await simulate({ policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:*","Resource":"*","Principal":"*"}]}', action: "s3:GetObject", resource: ORG_OBJECT, resourceAccountId: ARCHIVE, principal: ARCHIVE_ADMIN });
            } catch (e) {
                error = e;
            }
            expect(String(error)).to.contain("iam-simulate rejected the request");
        });
    });
});
