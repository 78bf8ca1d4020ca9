import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const retentionInDays = config.requireNumber("retentionDays");
const prefix = config.require("logGroupPrefix");

const caller = aws.getCallerIdentityOutput();
const current = aws.getRegionOutput();

// CloudWatch Logs may use the key only when the key policy lets the service principal of this Region do so.
const keyPolicy = aws.iam.getPolicyDocumentOutput({
    statements: [
        {
            sid: "AccountAdmin",
            principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:aws:iam::${caller.accountId}:root`] }],
            actions: ["kms:*"],
            resources: ["*"],
        },
        {
            sid: "CloudWatchLogs",
            principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${current.region}.amazonaws.com`] }],
            actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources: ["*"],
        },
    ],
});

const key = new aws.kms.Key("logs", { description: "application logs", enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy.json });

const logs = new aws.cloudwatch.LogGroup("app", {
    name: `${prefix}/app`,
    retentionInDays,
    kmsKeyId: key.arn,
});

export const logGroupName = logs.name;
export const retention = retentionInDays;
export const region = current.region;
export const keyArn = key.arn;
