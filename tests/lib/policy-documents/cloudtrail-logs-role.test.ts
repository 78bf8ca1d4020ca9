import { expect } from "chai";
import { cloudTrailLogsAssumeRolePolicy, cloudTrailLogsRolePolicy, type CloudTrailLogsRolePolicyArgs } from "../../../lib/policy-documents";

// Stream ARNs written by hand from "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"
// (AWS CloudTrail user guide): <account>_CloudTrail_<region>* and, for organization trails, <org-id>_*.
const ARGS: CloudTrailLogsRolePolicyArgs = {
    partition: "aws",
    region: "us-east-2",
    managementAccountId: "111111111111",
    organizationId: "o-exampleorgid",
    logGroupName: "log_group_name",
};
const STREAMS = [
    "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:log-stream:111111111111_CloudTrail_us-east-2*",
    "arn:aws:logs:us-east-2:111111111111:log-group:log_group_name:log-stream:o-exampleorgid_*",
];

describe("policy-documents: cloudTrailLogsRolePolicy", () => {
    const doc = cloudTrailLogsRolePolicy(ARGS);

    it("has exactly the documented statements and no Principal (identity policy)", () => {
        expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(["CloudTrailCreateLogStream", "CloudTrailPutLogEvents"]);
        for (const s of doc.Statement) expect(s).not.to.have.property("Principal");
    });

    it("CloudTrailCreateLogStream: on the account stream and the organization streams", () => {
        expect(doc.Statement[0]).to.deep.equal({ Sid: "CloudTrailCreateLogStream", Effect: "Allow", Action: "logs:CreateLogStream", Resource: STREAMS });
    });

    it("CloudTrailPutLogEvents: on the account stream and the organization streams", () => {
        expect(doc.Statement[1]).to.deep.equal({ Sid: "CloudTrailPutLogEvents", Effect: "Allow", Action: "logs:PutLogEvents", Resource: STREAMS });
    });

    it("aws-cn and aws-us-gov partitions", () => {
        expect(cloudTrailLogsRolePolicy({ ...ARGS, partition: "aws-cn", region: "cn-north-1", logGroupName: "g" }).Statement[1]?.Resource).to.deep.equal([
            "arn:aws-cn:logs:cn-north-1:111111111111:log-group:g:log-stream:111111111111_CloudTrail_cn-north-1*",
            "arn:aws-cn:logs:cn-north-1:111111111111:log-group:g:log-stream:o-exampleorgid_*",
        ]);
        expect(cloudTrailLogsRolePolicy({ ...ARGS, partition: "aws-us-gov", region: "us-gov-west-1", logGroupName: "g" }).Statement[0]?.Resource).to.deep.equal([
            "arn:aws-us-gov:logs:us-gov-west-1:111111111111:log-group:g:log-stream:111111111111_CloudTrail_us-gov-west-1*",
            "arn:aws-us-gov:logs:us-gov-west-1:111111111111:log-group:g:log-stream:o-exampleorgid_*",
        ]);
    });

    it("rejects bad input with the value", () => {
        expect(() => cloudTrailLogsRolePolicy({ ...ARGS, organizationId: "r-abcd" })).to.throw(Error, 'received "r-abcd"');
        expect(() => cloudTrailLogsRolePolicy({ ...ARGS, logGroupName: "" })).to.throw(Error, 'logGroupName must be a valid CloudWatch Logs log group name; received ""');
        expect(() => cloudTrailLogsRolePolicy({ ...ARGS, region: "mars-1" })).to.throw(Error, 'region must be an AWS Region code such as us-east-1; received "mars-1"');
    });
});

describe("policy-documents: cloudTrailLogsAssumeRolePolicy", () => {
    const trail = "arn:aws:cloudtrail:us-east-2:111111111111:trail/org-trail";

    // The CloudTrail guide, "Role policy document for CloudTrail to use CloudWatch Logs for monitoring": "The role
    // policy doesn't support the use of aws:SourceArn and aws:SourceAccount", so they are compared only where present
    // (IfExists): a request naming another trail is refused, one naming none is not.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
    it("CloudTrailAssumeRole: trusted by cloudtrail.amazonaws.com, for this trail of the management account where the request names one", () => {
        expect(cloudTrailLogsAssumeRolePolicy({ partition: "aws", managementAccountId: "111111111111", trailArn: trail })).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "CloudTrailAssumeRole",
                    Effect: "Allow",
                    Principal: { Service: "cloudtrail.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { ArnEqualsIfExists: { "aws:SourceArn": trail }, StringEqualsIfExists: { "aws:SourceAccount": "111111111111" } },
                },
            ],
        });
    });

    it("rejects a trail of another account or partition", () => {
        expect(() =>
            cloudTrailLogsAssumeRolePolicy({ partition: "aws", managementAccountId: "111111111111", trailArn: "arn:aws:cloudtrail:us-east-2:999999999999:trail/t" }),
        ).to.throw(Error, "trailArn must belong to the management account 111111111111");
        expect(() =>
            cloudTrailLogsAssumeRolePolicy({ partition: "aws-cn", managementAccountId: "111111111111", trailArn: "arn:aws:cloudtrail:us-east-2:111111111111:trail/t" }),
        ).to.throw(Error, "trailArn must be an ARN of the form arn:aws-cn:cloudtrail:...");
    });
});
