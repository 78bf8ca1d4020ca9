import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const vpc = new awsx.ec2.Vpc("network", { cidrBlock: "10.30.0.0/16" });

const key = new aws.kms.Key("flow-logs", {
    description: "Encrypts the VPC flow log group",
    enableKeyRotation: true,
    policy: aws.getCallerIdentityOutput().apply((me) =>
        aws.iam.getPolicyDocumentOutput({
            statements: [
                { sid: "Account", principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${me.accountId}:root`] }], actions: ["kms:*"], resources: ["*"] },
                { sid: "Logs", principals: [{ type: "Service", identifiers: ["logs.eu-north-1.amazonaws.com"] }], actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], resources: ["*"] },
            ],
        }).json,
    ),
});

const logGroup = new aws.cloudwatch.LogGroup("flow-logs", { retentionInDays: 90, kmsKeyId: key.arn });

const role = new aws.iam.Role("flow-logs", {
    assumeRolePolicy: aws.iam.getPolicyDocumentOutput({
        statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }] }],
    }).json,
});

new aws.iam.RolePolicy("flow-logs", {
    role: role.id,
    policy: aws.iam.getPolicyDocumentOutput({
        statements: [{ actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"], resources: [logGroup.arn.apply((arn) => `${arn}:*`)] }],
    }).json,
});

new aws.ec2.FlowLog("network", {
    vpcId: vpc.vpcId,
    trafficType: "ALL",
    logDestination: logGroup.arn,
    iamRoleArn: role.arn,
});

export const vpcId = vpc.vpcId;
