/**
 * An RDS-backed web app: a REST API (API Gateway) proxying to a Lambda function that reads a
 * PostgreSQL database and caches in an ElastiCache (Valkey) replication group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { alarm, AppCase, logGroup, platform, serviceRole, Variant } from "./shared";

function program(variant: Variant): void {
    const { key, topic } = platform("catalog", {});

    const monitoringRole = serviceRole("catalog-db-monitoring", "monitoring.rds.amazonaws.com", ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"]);
    const db = new aws.rds.Instance("app-db", {
        identifier: "catalog-db",
        engine: "postgres",
        engineVersion: "16.4",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        storageEncrypted: true,
        kmsKeyId: key.arn,
        username: "catalog",
        manageMasterUserPassword: true,
        backupRetentionPeriod: 7,
        deletionProtection: true,
        ...(variant === "db-without-enhanced-monitoring" ? {} : { monitoringInterval: 60, monitoringRoleArn: monitoringRole.arn }),
        ...(variant === "db-without-performance-insights" ? {} : { performanceInsightsEnabled: true, performanceInsightsKmsKeyId: key.arn }),
        ...(variant === "db-without-log-exports" ? {} : { enabledCloudwatchLogsExports: ["postgresql", "upgrade"] }),
    });
    const cache = new aws.elasticache.ReplicationGroup("app-cache", {
        replicationGroupId: "catalog-cache",
        description: "catalog read cache",
        engine: "valkey",
        nodeType: "cache.t4g.small",
        numCacheClusters: 2,
        automaticFailoverEnabled: true,
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
    });

    const role = serviceRole("catalog-fn-role", "lambda.amazonaws.com", [
        aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
        aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess,
    ]);
    const fnLogs = logGroup("/aws/lambda/catalog-web", "catalog-fn-logs", key, variant === "function-logs-unencrypted" ? { kmsKeyId: undefined } : {});
    const fn = new aws.lambda.Function(
        "catalog-fn",
        {
            name: "catalog-web",
            runtime: aws.lambda.Runtime.NodeJS20dX,
            handler: "index.handler",
            role: role.arn,
            tracingConfig: { mode: "Active" },
            code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200, body: 'ok' });") }),
            environment: { variables: { DB_HOST: db.address, CACHE_HOST: cache.primaryEndpointAddress } },
        },
        { dependsOn: [fnLogs] },
    );

    const api = new aws.apigateway.RestApi("app-api", { description: "catalog" });
    const proxy = new aws.apigateway.Resource("app-api-proxy", { restApi: api.id, parentId: api.rootResourceId, pathPart: "{proxy+}" });
    const method = new aws.apigateway.Method("app-api-proxy", { restApi: api.id, resourceId: proxy.id, httpMethod: "ANY", authorization: "AWS_IAM" });
    const integration = new aws.apigateway.Integration("app-api-proxy", {
        restApi: api.id,
        resourceId: proxy.id,
        httpMethod: method.httpMethod,
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        uri: fn.invokeArn,
    });
    const deployment = new aws.apigateway.Deployment("app-api", { restApi: api.id, triggers: { redeployment: "1" } }, { dependsOn: [integration] });
    const accessLogs = logGroup("/aws/apigateway/catalog", "app-api-access", key);
    const stage = new aws.apigateway.Stage("app-api-stage", {
        restApi: api.id,
        deployment: deployment.id,
        stageName: "prod",
        ...(variant === "stage-untraced" ? {} : { xrayTracingEnabled: true }),
        accessLogSettings: { destinationArn: accessLogs.arn, format: JSON.stringify({ requestId: "$context.requestId", status: "$context.status" }) },
    });
    new aws.lambda.Permission("app-api", { action: "lambda:InvokeFunction", function: fn.name, principal: "apigateway.amazonaws.com", sourceArn: pulumi.interpolate`${api.executionArn}/*/*` });

    alarm(
        "app-db-cpu",
        topic,
        { namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions: { DBInstanceIdentifier: db.identifier }, statistic: "Average", threshold: 80 },
        variant === "db-alarm-without-action" ? { alarmActions: [], okActions: [] } : {},
    );
    if (variant !== "cache-unalarmed") {
        alarm("app-cache-cpu", topic, { namespace: "AWS/ElastiCache", metricName: "EngineCPUUtilization", dimensions: { CacheClusterId: pulumi.interpolate`${cache.replicationGroupId}-001` }, statistic: "Average", threshold: 80 });
    }
    alarm("catalog-fn-errors", topic, { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: fn.name } });
    alarm("app-api-5xx", topic, { namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions: { ApiName: api.name, Stage: stage.stageName } });
}

export const rdsWebApp: AppCase = {
    name: "RDS-backed web app (REST API, Lambda, PostgreSQL, ElastiCache)",
    program,
    variants: {
        "db-without-enhanced-monitoring": [{ policy: "rds-enhanced-monitoring-enabled", resource: "app-db" }],
        "db-without-performance-insights": [{ policy: "rds-performance-insights-enabled", resource: "app-db" }],
        "db-without-log-exports": [{ policy: "rds-log-exports-enabled", resource: "app-db" }],
        "stage-untraced": [{ policy: "apigateway-stage-tracing-enabled", resource: "app-api-stage" }],
        "function-logs-unencrypted": [{ policy: "log-group-kms-encrypted", resource: "catalog-fn-logs" }],
        // The replication group's nodes report under <id>-001 and <id>-002; no alarm names them.
        "cache-unalarmed": [{ policy: "monitoring-enabled", resource: "app-cache" }],
        // An alarm with no action fails its own policy and leaves the database unwatched.
        "db-alarm-without-action": [
            { policy: "alarm-has-action", resource: "app-db-cpu" },
            { policy: "monitoring-enabled", resource: "app-db" },
        ],
    },
};
