/**
 * A serverless API: an HTTP API in front of a Lambda function that stores orders in DynamoDB, plus an
 * AppSync GraphQL API over the same table. Everything a platform team expects is on: access logs,
 * tracing, log groups with retention, alarms paging an encrypted topic.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { alarm, AppCase, logGroup, platform, serviceRole, Variant } from "./shared";

function program(variant: Variant): void {
    const { key, topic } = platform("orders", variant === "topic-aws-managed-key" ? { topicKey: "alias/aws/sns" } : {});

    const table = new aws.dynamodb.Table("orders", {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "orderId",
        attributes: [{ name: "orderId", type: "S" }],
        pointInTimeRecovery: { enabled: true },
    });

    const role = serviceRole("orders-fn-role", "lambda.amazonaws.com", [
        aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
        aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess,
    ]);
    const fnLogs = logGroup("/aws/lambda/orders-api", "orders-fn-logs", key, variant === "function-logs-kept-forever" ? { retentionInDays: 0 } : {});
    const fn = new aws.lambda.Function(
        "orders-fn",
        {
            name: "orders-api",
            runtime: aws.lambda.Runtime.NodeJS20dX,
            handler: "index.handler",
            role: role.arn,
            code: new pulumi.asset.AssetArchive({
                "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200, body: '[]' });"),
            }),
            environment: { variables: { TABLE: table.name } },
            ...(variant === "function-untraced" ? {} : { tracingConfig: { mode: "Active" } }),
        },
        { dependsOn: [fnLogs] },
    );

    const api = new aws.apigatewayv2.Api("orders-http", { protocolType: "HTTP" });
    const integration = new aws.apigatewayv2.Integration("orders-http", {
        apiId: api.id,
        integrationType: "AWS_PROXY",
        integrationUri: fn.invokeArn,
        payloadFormatVersion: "2.0",
    });
    new aws.apigatewayv2.Route("orders-http", { apiId: api.id, routeKey: "$default", target: pulumi.interpolate`integrations/${integration.id}` });
    const accessLogs = logGroup("/aws/apigateway/orders-http", "orders-http-access", key);
    const stage = new aws.apigatewayv2.Stage("orders-http", {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        ...(variant === "stage-without-access-logs"
            ? {}
            : {
                  accessLogSettings: {
                      destinationArn: accessLogs.arn,
                      format: JSON.stringify({ requestId: "$context.requestId", status: "$context.status", routeKey: "$context.routeKey" }),
                  },
              }),
    });
    new aws.lambda.Permission("orders-http", { action: "lambda:InvokeFunction", function: fn.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` });

    const graphqlRole = serviceRole("orders-graphql-logs", "appsync.amazonaws.com", ["arn:aws:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs"]);
    new aws.appsync.GraphQLApi("orders-graphql", {
        authenticationType: "AWS_IAM",
        schema: "type Order { orderId: ID! }\ntype Query { orders: [Order] }\nschema { query: Query }",
        xrayEnabled: true,
        logConfig:
            variant === "graphql-logging-off"
                ? { cloudwatchLogsRoleArn: graphqlRole.arn, fieldLogLevel: "NONE" }
                : { cloudwatchLogsRoleArn: graphqlRole.arn, fieldLogLevel: "ERROR" },
    });

    if (variant !== "function-unalarmed") {
        alarm("orders-fn-errors", topic, { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: fn.name } }, variant === "alarm-silenced" ? { actionsEnabled: false } : {});
    }
    alarm("orders-http-5xx", topic, { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: { ApiId: api.id, Stage: stage.name } });
    alarm("orders-table-throttles", topic, { namespace: "AWS/DynamoDB", metricName: "ThrottledRequests", dimensions: { TableName: table.name, Operation: "PutItem" } });
}

export const serverlessApi: AppCase = {
    name: "serverless API (HTTP API, Lambda, DynamoDB, AppSync)",
    program,
    variants: {
        // Lambda's default tracing mode PassThrough records no trace of its own.
        "function-untraced": [{ policy: "lambda-tracing-enabled", resource: "orders-fn" }],
        // retentionInDays 0 means never expire.
        "function-logs-kept-forever": [
            { policy: "log-group-retention-within-bounds", resource: "orders-fn-logs" },
            { policy: "lambda-log-group-retention-set", resource: "orders-fn" },
        ],
        "stage-without-access-logs": [{ policy: "apigateway-stage-access-logging-enabled", resource: "orders-http" }],
        "graphql-logging-off": [{ policy: "appsync-logging-enabled", resource: "orders-graphql" }],
        "function-unalarmed": [{ policy: "monitoring-enabled", resource: "orders-fn" }],
        // A silenced alarm fails its own policy and no longer covers the function.
        "alarm-silenced": [
            { policy: "alarm-actions-enabled", resource: "orders-fn-errors" },
            { policy: "monitoring-enabled", resource: "orders-fn" },
        ],
        // CloudWatch cannot publish to a topic encrypted with the AWS managed key.
        "topic-aws-managed-key": [{ policy: "sns-topic-encrypted", resource: "orders-alerts" }],
    },
};
