import { expect } from "chai";
import { accessLogBucketPolicy, oamSinkPolicy, type AccessLogBucketPolicyArgs } from "../../../lib/policy-documents";

// Written by hand from the Amazon S3 user guide ("Enabling Amazon S3 server access logging": ArnLike
// aws:SourceArn = source bucket, StringEquals aws:SourceAccount) and the OAM PutSinkPolicy reference /
// CloudWatch cross-account observability guide (organization-wide sink policy). The archive denials are those
// of the trail bucket (trail-bucket.test.ts): access logs are audit records too.
const ACCESS: AccessLogBucketPolicyArgs = {
    partition: "aws",
    bucketName: "org-trail-access-logs",
    sourceBucketName: "org-trail-logs",
    sourceAccountId: "222222222222",
    deployRoleArns: ["arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"],
};

describe("policy-documents: accessLogBucketPolicy", () => {
    const doc = accessLogBucketPolicy(ACCESS);

    it("has exactly the documented statements, then the archive denials", () => {
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal([
            "S3ServerAccessLogsPolicy",
            "DenyInsecureTransport",
            "DenyLogDeletion",
            "DenyObjectWritesExceptAwsServices",
            "DenyConfigChangesExceptDeployRoles",
        ]);
    });

    it("archive denials: nobody deletes access logs, only AWS services write them, only the deploy roles reconfigure the bucket", () => {
        expect(doc.Statement.slice(2)).to.deep.equal([
            { Sid: "DenyLogDeletion", Effect: "Deny", Principal: "*", Action: ["s3:BypassGovernanceRetention", "s3:DeleteObject*"], Resource: "arn:aws:s3:::org-trail-access-logs/*" },
            {
                Sid: "DenyObjectWritesExceptAwsServices",
                Effect: "Deny",
                Principal: "*",
                NotAction: ["s3:Get*", "s3:List*", "s3:RestoreObject"],
                Resource: "arn:aws:s3:::org-trail-access-logs/*",
                Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
            },
            {
                Sid: "DenyConfigChangesExceptDeployRoles",
                Effect: "Deny",
                Principal: "*",
                NotAction: ["s3:Get*", "s3:List*"],
                Resource: "arn:aws:s3:::org-trail-access-logs",
                Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"] } },
            },
        ]);
    });

    it("S3ServerAccessLogsPolicy: logging.s3.amazonaws.com PutObject from the source bucket of the source account", () => {
        expect(doc.Statement[0]).to.deep.equal({
            Sid: "S3ServerAccessLogsPolicy",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::org-trail-access-logs/*",
            Condition: {
                ArnLike: { "aws:SourceArn": "arn:aws:s3:::org-trail-logs" },
                StringEquals: { "aws:SourceAccount": "222222222222" },
            },
        });
    });

    it("DenyInsecureTransport: TLS only on bucket and objects", () => {
        expect(doc.Statement[1]).to.deep.equal({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::org-trail-access-logs", "arn:aws:s3:::org-trail-access-logs/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("with a target prefix the resource is <bucket>/<prefix>*", () => {
        expect(accessLogBucketPolicy({ ...ACCESS, keyPrefix: "s3-access/" }).Statement[0]?.Resource).to.equal("arn:aws:s3:::org-trail-access-logs/s3-access/*");
    });

    it("aws-cn and aws-us-gov partitions", () => {
        const cn = accessLogBucketPolicy({ ...ACCESS, partition: "aws-cn", deployRoleArns: [] });
        expect(cn.Statement[0]?.Condition).to.deep.equal({
            ArnLike: { "aws:SourceArn": "arn:aws-cn:s3:::org-trail-logs" },
            StringEquals: { "aws:SourceAccount": "222222222222" },
        });
        expect(JSON.stringify(accessLogBucketPolicy({ ...ACCESS, partition: "aws-us-gov", deployRoleArns: ["arn:aws-us-gov:iam::222222222222:role/d"] }))).not.to.match(/arn:aws:/);
    });

    it("rejects bad input with the value", () => {
        expect(() => accessLogBucketPolicy({ ...ACCESS, sourceAccountId: "2" })).to.throw(Error, 'sourceAccountId must be a 12-digit AWS account id; received "2"');
        expect(() => accessLogBucketPolicy({ ...ACCESS, bucketName: "org-trail-logs" })).to.throw(Error, "bucketName must differ from sourceBucketName");
        expect(() => accessLogBucketPolicy({ ...ACCESS, keyPrefix: "/x" })).to.throw(Error, 'received "/x"');
        expect(() => accessLogBucketPolicy({ ...ACCESS, sourceBucketName: "" })).to.throw(Error, 'sourceBucketName must be a valid S3 bucket name; received ""');
    });
});

describe("policy-documents: oamSinkPolicy", () => {
    const SINK = { partition: "aws", organizationId: "o-exampleorg1", linkCreatorArns: ["arn:aws:iam::111111111111:role/deploy", "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"] };
    // Only orgwatch's link creators: the StackSets execution role (stacksets-exec-*, created in each target account,
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html) and the roles given.
    it("OrganizationAccountsLink: orgwatch's link creators in the organization may create/update links sharing only the listed types", () => {
        expect(oamSinkPolicy({ ...SINK, resourceTypes: ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"] })).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "OrganizationAccountsLink",
                    Effect: "Allow",
                    Principal: "*",
                    Action: ["oam:CreateLink", "oam:UpdateLink"],
                    Resource: "*",
                    Condition: {
                        StringEquals: { "aws:PrincipalOrgID": "o-exampleorg1" },
                        ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/stacksets-exec-*", "arn:aws:iam::111111111111:role/deploy", "arn:aws:iam::333333333333:role/OrganizationAccountAccessRole"] },
                        "ForAllValues:StringEquals": { "oam:ResourceTypes": ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"] },
                    },
                },
            ],
        });
    });

    it("deduplicates resource types", () => {
        const doc = oamSinkPolicy({ ...SINK, resourceTypes: ["AWS::Logs::LogGroup", "AWS::Logs::LogGroup"] });
        expect(doc.Statement[0]?.Condition?.["ForAllValues:StringEquals"]).to.deep.equal({ "oam:ResourceTypes": ["AWS::Logs::LogGroup"] });
    });

    it("rejects unknown resource types, an empty list and a bad org id", () => {
        expect(() => oamSinkPolicy({ ...SINK, resourceTypes: ["AWS::S3::Bucket"] })).to.throw(Error, 'resourceTypes[0] must be one of AWS::CloudWatch::Metric');
        expect(() => oamSinkPolicy({ ...SINK, resourceTypes: [] })).to.throw(Error, "resourceTypes must be a non-empty list; received []");
        expect(() => oamSinkPolicy({ ...SINK, organizationId: "123456789012", resourceTypes: ["AWS::Logs::LogGroup"] })).to.throw(
            Error,
            'organizationId must be an organization id of the form o-xxxxxxxxxx; received "123456789012"',
        );
        expect(() => oamSinkPolicy({ ...SINK, linkCreatorArns: ["deploy"], resourceTypes: ["AWS::Logs::LogGroup"] })).to.throw(Error, 'linkCreatorArns[0] must be an IAM role ARN or pattern; received "deploy"');
    });
});
