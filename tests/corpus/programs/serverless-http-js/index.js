"use strict";
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

const config = new pulumi.Config();
const alarmEmail = config.require("alarmEmail");

const assumeRole = aws.iam.getPolicyDocument({
    statements: [{
        effect: "Allow",
        principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        actions: ["sts:AssumeRole"],
    }],
});

const role = new aws.iam.Role("handler-role", {
    assumeRolePolicy: assumeRole.then((doc) => doc.json),
});

new aws.iam.RolePolicyAttachment("handler-logs", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
});

const handler = new aws.lambda.Function("handler", {
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200, body: 'hello' });"),
    }),
});

// Lambda writes to /aws/lambda/<function name>; creating it here sets the retention.
new aws.cloudwatch.LogGroup("handler-logs", {
    name: pulumi.interpolate`/aws/lambda/${handler.name}`,
    retentionInDays: 30,
});

const api = new aws.apigatewayv2.Api("api", { protocolType: "HTTP" });

const integration = new aws.apigatewayv2.Integration("lambda", {
    apiId: api.id,
    integrationType: "AWS_PROXY",
    integrationUri: handler.invokeArn,
    payloadFormatVersion: "2.0",
});

new aws.apigatewayv2.Route("route", {
    apiId: api.id,
    routeKey: "GET /",
    target: pulumi.interpolate`integrations/${integration.id}`,
});

const accessLogs = new aws.cloudwatch.LogGroup("api-access-logs", { retentionInDays: 30 });

const stage = new aws.apigatewayv2.Stage("default", {
    apiId: api.id,
    name: "$default",
    autoDeploy: true,
    accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: JSON.stringify({ requestId: "$context.requestId", status: "$context.status", path: "$context.path" }),
    },
});

new aws.lambda.Permission("api-invoke", {
    action: "lambda:InvokeFunction",
    function: handler.name,
    principal: "apigateway.amazonaws.com",
    sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
});

const key = new aws.kms.Key("alarms-key", { enableKeyRotation: true, description: "Encrypts alarm notifications" });
const alarms = new aws.sns.Topic("alarms", { kmsMasterKeyId: key.arn });
new aws.sns.TopicSubscription("oncall", { topic: alarms.arn, protocol: "email", endpoint: alarmEmail });

new aws.cloudwatch.MetricAlarm("handler-errors", {
    namespace: "AWS/Lambda",
    metricName: "Errors",
    dimensions: { FunctionName: handler.name },
    statistic: "Sum",
    period: 60,
    evaluationPeriods: 5,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    alarmActions: [alarms.arn],
});

new aws.cloudwatch.MetricAlarm("api-5xx", {
    namespace: "AWS/ApiGateway",
    metricName: "5xx",
    dimensions: { ApiId: api.id, Stage: stage.name },
    statistic: "Sum",
    period: 60,
    evaluationPeriods: 5,
    threshold: 5,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    alarmActions: [alarms.arn],
});

exports.url = stage.invokeUrl;
exports.policy = assumeRole.then((doc) => doc.json);
