import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const role = new aws.iam.Role("cleanup", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
});
new aws.iam.RolePolicyAttachment("cleanup", { role: role.name, policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole });

const fn = new aws.lambda.Function("cleanup", {
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.FileArchive("./handler"),
    timeout: 60,
});

const schedule = new aws.cloudwatch.EventRule("nightly", { scheduleExpression: "cron(0 3 * * ? *)" });
new aws.cloudwatch.EventTarget("nightly", { rule: schedule.name, arn: fn.arn });
new aws.lambda.Permission("nightly", { action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: schedule.arn });

const topic = new aws.sns.Topic("cleanup-alarms", { kmsMasterKeyId: "alias/aws/sns" });
new aws.cloudwatch.MetricAlarm("cleanup-errors", {
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: fn.name },
    statistic: "Sum",
    period: 3600,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    alarmActions: [topic.arn],
});

export const functionName = fn.name;
