import { expect } from "chai";
import {
    logGroupKeyPolicy,
    trailKeyPolicy,
    type LogGroupKeyPolicyArgs,
    type PolicyStatement,
    type TrailKeyPolicyArgs,
} from "../../../lib/policy-documents";

// Expected values are written by hand from the AWS CloudTrail user guide ("Configure AWS KMS key policies
// for CloudTrail", "Default KMS key policy created in CloudTrail console") and the CloudWatch Logs guide
// ("Encrypt log data in CloudWatch Logs using AWS KMS").
function statement(doc: { Statement: readonly PolicyStatement[] }, sid: string): PolicyStatement {
    const found = doc.Statement.filter((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.have.length(1);
    return found[0] as PolicyStatement;
}

const TRAIL_KEY: TrailKeyPolicyArgs = {
    partition: "aws",
    keyAccountId: "333333333333",
    managementAccountId: "111111111111",
    organizationId: "o-exampleorg1",
    trailArn: "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail",
    adminPrincipalArns: ["arn:aws:iam::333333333333:role/key-admin"],
    readerAccountIds: ["444444444444", "arn:aws:iam::555555555555:role/auditor"],
};

describe("policy-documents: trailKeyPolicy", () => {
    const doc = trailKeyPolicy(TRAIL_KEY);

    it("has exactly the documented statements", () => {
        expect(doc.Version).to.equal("2012-10-17");
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal([
            "EnableKeyAdministration",
            "CloudTrailEncryptLogs",
            "CloudTrailDescribeKey",
            "DecryptCloudTrailLogs",
            "DenyGrantsExceptForAwsResources",
            "DenyDataKeysExceptAwsServices",
        ]);
    });

    it("EnableKeyAdministration: the key account root and the admins get kms:*", () => {
        expect(statement(doc, "EnableKeyAdministration")).to.deep.equal({
            Sid: "EnableKeyAdministration",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::333333333333:root", "arn:aws:iam::333333333333:role/key-admin"] },
            Action: "kms:*",
            Resource: "*",
        });
    });

    it("CloudTrailEncryptLogs: GenerateDataKey* only with the management-account trail context and our trail as source", () => {
        expect(statement(doc, "CloudTrailEncryptLogs")).to.deep.equal({
            Sid: "CloudTrailEncryptLogs",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:GenerateDataKey*",
            Resource: "*",
            Condition: {
                StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail" },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" },
            },
        });
    });

    // CloudTrail guide: "As a security best practice, add an aws:SourceArn condition key to the KMS key policy".
    it("CloudTrailDescribeKey: cloudtrail.amazonaws.com may kms:DescribeKey for our trail", () => {
        expect(statement(doc, "CloudTrailDescribeKey")).to.deep.equal({
            Sid: "CloudTrailDescribeKey",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "kms:DescribeKey",
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail" } },
        });
    });

    // KMS guide (kms:GrantIsForAWSResource) and IAM guide (aws:PrincipalIsAWSService): grants only for AWS
    // resources, data keys and encryption only by AWS service principals; both bind the key administrators too.
    it("DenyGrantsExceptForAwsResources and DenyDataKeysExceptAwsServices bind every principal", () => {
        expect(doc.Statement.slice(-2)).to.deep.equal([
            { Sid: "DenyGrantsExceptForAwsResources", Effect: "Deny", Principal: "*", Action: "kms:CreateGrant", Resource: "*", Condition: { BoolIfExists: { "kms:GrantIsForAWSResource": "false" } } },
            {
                Sid: "DenyDataKeysExceptAwsServices",
                Effect: "Deny",
                Principal: "*",
                Action: ["kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncryptTo"],
                Resource: "*",
                Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
            },
        ]);
    });

    it("DecryptCloudTrailLogs: readers (account ids as root ARNs) decrypt only with the CloudTrail context present", () => {
        expect(statement(doc, "DecryptCloudTrailLogs")).to.deep.equal({
            Sid: "DecryptCloudTrailLogs",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::444444444444:root", "arn:aws:iam::555555555555:role/auditor"] },
            Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
            Resource: "*",
            Condition: {
                Null: { "kms:EncryptionContext:aws:cloudtrail:arn": "false" },
                StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*" },
            },
        });
    });

    it("without readers there is no decrypt statement (never an empty principal list)", () => {
        const p = trailKeyPolicy({ ...TRAIL_KEY, readerAccountIds: [] });
        expect(p.Statement.map((s) => s.Sid)).to.deep.equal(["EnableKeyAdministration", "CloudTrailEncryptLogs", "CloudTrailDescribeKey", "DenyGrantsExceptForAwsResources", "DenyDataKeysExceptAwsServices"]);
    });

    it("aws-cn partition", () => {
        const p = trailKeyPolicy({
            ...TRAIL_KEY,
            partition: "aws-cn",
            trailArn: "arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/org-trail",
            adminPrincipalArns: [],
            readerAccountIds: ["444444444444"],
        });
        expect(statement(p, "EnableKeyAdministration").Principal).to.deep.equal({ AWS: ["arn:aws-cn:iam::333333333333:root"] });
        expect(statement(p, "CloudTrailEncryptLogs").Condition).to.deep.equal({
            StringEquals: { "aws:SourceArn": "arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/org-trail" },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws-cn:cloudtrail:*:111111111111:trail/*" },
        });
        expect(statement(p, "DecryptCloudTrailLogs").Principal).to.deep.equal({ AWS: ["arn:aws-cn:iam::444444444444:root"] });
    });

    it("aws-us-gov partition", () => {
        const p = trailKeyPolicy({
            ...TRAIL_KEY,
            partition: "aws-us-gov",
            trailArn: "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/org-trail",
            adminPrincipalArns: [],
            readerAccountIds: [],
        });
        expect(JSON.stringify(p)).not.to.match(/arn:aws:/);
        expect(statement(p, "CloudTrailEncryptLogs").Condition?.["StringLike"]).to.deep.equal({
            "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws-us-gov:cloudtrail:*:111111111111:trail/*",
        });
    });

    describe("input validation", () => {
        const cases: [string, Partial<TrailKeyPolicyArgs>, string][] = [
            ["key account", { keyAccountId: "3333" }, 'keyAccountId must be a 12-digit AWS account id; received "3333"'],
            ["org id", { organizationId: "o-SHOUT" }, 'organizationId must be an organization id of the form o-xxxxxxxxxx; received "o-SHOUT"'],
            ["trail owner", { trailArn: "arn:aws:cloudtrail:us-east-1:222222222222:trail/x" }, "trailArn must belong to the management account 111111111111"],
            ["reader", { readerAccountIds: ["someone"] }, 'readerAccountIds[0] must be an IAM principal ARN of the form arn:aws:iam::<account-id>:role/<name>; received "someone"'],
            ["admin", { adminPrincipalArns: ["arn:aws-cn:iam::333333333333:role/x"] }, "adminPrincipalArns[0] must be an IAM principal ARN"],
            ["partition", { partition: "AWS" }, 'partition must be one of aws, aws-cn, aws-us-gov; received "AWS"'],
        ];
        for (const [label, change, message] of cases) {
            it(`rejects a bad ${label}`, () => {
                expect(() => trailKeyPolicy({ ...TRAIL_KEY, ...change })).to.throw(Error, message);
            });
        }
    });
});

const LOG_KEY: LogGroupKeyPolicyArgs = {
    partition: "aws",
    region: "eu-west-1",
    accountId: "111111111111",
    organizationId: "o-exampleorg1",
    logGroupNames: ["/orgwatch/cloudtrail", "aws-controltower/CloudTrailLogs"],
    adminPrincipalArns: [],
};

describe("policy-documents: logGroupKeyPolicy", () => {
    const doc = logGroupKeyPolicy(LOG_KEY);

    it("has exactly the documented statements", () => {
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(["EnableKeyAdministration", "CloudWatchLogsEncryptLogGroups", "DenyGrantsExceptForAwsResources", "DenyDataKeysExceptAwsServices"]);
    });

    it("EnableKeyAdministration: the account root gets kms:*", () => {
        expect(statement(doc, "EnableKeyAdministration")).to.deep.equal({
            Sid: "EnableKeyAdministration",
            Effect: "Allow",
            Principal: { AWS: ["arn:aws:iam::111111111111:root"] },
            Action: "kms:*",
            Resource: "*",
        });
    });

    // The encryption context names the account and log group (CloudWatch Logs guide); aws:SourceOrgID, when sent,
    // must be the organization.
    it("CloudWatchLogsEncryptLogGroups: logs.<region>.amazonaws.com, ArnEquals on exactly those log groups, for the organization", () => {
        expect(statement(doc, "CloudWatchLogsEncryptLogGroups")).to.deep.equal({
            Sid: "CloudWatchLogsEncryptLogGroups",
            Effect: "Allow",
            Principal: { Service: "logs.eu-west-1.amazonaws.com" },
            Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resource: "*",
            Condition: {
                ArnEquals: {
                    "kms:EncryptionContext:aws:logs:arn": [
                        "arn:aws:logs:eu-west-1:111111111111:log-group:/orgwatch/cloudtrail",
                        "arn:aws:logs:eu-west-1:111111111111:log-group:aws-controltower/CloudTrailLogs",
                    ],
                },
                StringEqualsIfExists: { "aws:SourceOrgID": "o-exampleorg1" },
            },
        });
    });

    it("aws-us-gov partition and Region", () => {
        const p = logGroupKeyPolicy({ ...LOG_KEY, partition: "aws-us-gov", region: "us-gov-east-1", logGroupNames: ["g"] });
        expect(statement(p, "CloudWatchLogsEncryptLogGroups").Principal).to.deep.equal({ Service: "logs.us-gov-east-1.amazonaws.com" });
        expect(statement(p, "CloudWatchLogsEncryptLogGroups").Condition).to.deep.equal({
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws-us-gov:logs:us-gov-east-1:111111111111:log-group:g"] },
                StringEqualsIfExists: { "aws:SourceOrgID": "o-exampleorg1" },
        });
    });

    it("aws-cn partition", () => {
        const p = logGroupKeyPolicy({ ...LOG_KEY, partition: "aws-cn", region: "cn-northwest-1", logGroupNames: ["g"] });
        expect(statement(p, "CloudWatchLogsEncryptLogGroups").Condition).to.deep.equal({
            ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws-cn:logs:cn-northwest-1:111111111111:log-group:g"] },
                StringEqualsIfExists: { "aws:SourceOrgID": "o-exampleorg1" },
        });
    });

    it("admits log groups by name prefix with ArnLike (centralized copies)", () => {
        const p = logGroupKeyPolicy({ ...LOG_KEY, logGroupNames: [], logGroupNamePrefixes: ["orgwatch/central/"] });
        expect(statement(p, "CloudWatchLogsEncryptLogGroups").Condition).to.deep.equal({
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:eu-west-1:111111111111:log-group:orgwatch/central/*"] },
                StringEqualsIfExists: { "aws:SourceOrgID": "o-exampleorg1" },
        });
    });

    it("rejects an empty log group list, a bad name and a bad Region", () => {
        expect(() => logGroupKeyPolicy({ ...LOG_KEY, logGroupNames: [] })).to.throw(Error, "logGroupNames and logGroupNamePrefixes must be a non-empty list; received []");
        expect(() => logGroupKeyPolicy({ ...LOG_KEY, logGroupNames: ["bad name"] })).to.throw(
            Error,
            'logGroupNames[0] must be a valid CloudWatch Logs log group name; received "bad name"',
        );
        expect(() => logGroupKeyPolicy({ ...LOG_KEY, region: "EU-WEST-1" })).to.throw(Error, 'region must be an AWS Region code such as us-east-1; received "EU-WEST-1"');
    });
});
