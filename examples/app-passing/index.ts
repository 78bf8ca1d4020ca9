/**
 * The application stack of `examples/app-failing` (a Lambda function, an SQS queue, an RDS instance
 * and an Application Load Balancer) watched by orgwatch's `StackMonitoring` component: it creates
 * the standard alarms for each resource, notifying a KMS-encrypted SNS topic, so the offline check
 * reports no violation:
 *
 *     npm run --silent check -- --program examples/app-passing --stack dev
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StackMonitoring } from "../../components/stack-monitoring";

const config = new pulumi.Config();
const subnetIds = config.requireObject<string[]>("subnetIds");
const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();

// One customer managed key for the log group and the alarm topic: CloudWatch Logs must be allowed to
// use it, and CloudWatch can publish alarms to an encrypted topic only with a customer managed key
// that grants it kms:Decrypt and kms:GenerateDataKey*.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
const key = new aws.kms.Key("app-key", {
    description: "Encrypts the application's logs and alarm notifications",
    enableKeyRotation: true,
    policy: pulumi.all([identity.accountId, region.region]).apply(([account, r]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "CloudWatchLogs",
                    Effect: "Allow",
                    Principal: { Service: `logs.${r}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${r}:${account}:*` } },
                },
                {
                    Sid: "CloudWatchAlarms",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
                    Resource: "*",
                },
            ],
        }),
    ),
});

// Lambda function with its role and its /aws/lambda/<name> log group (retention and KMS).
const functionName = "orders-handler";
const logGroup = new aws.cloudwatch.LogGroup("orders-handler-logs", {
    name: `/aws/lambda/${functionName}`,
    retentionInDays: 365,
    kmsKeyId: key.arn,
});
const role = new aws.iam.Role("orders-handler-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("orders-handler-basic-execution", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,
});
new aws.iam.RolePolicyAttachment("orders-handler-xray", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess,
});
const queue = new aws.sqs.Queue("orders", { messageRetentionSeconds: 345600 });
const handler = new aws.lambda.Function(
    "orders-handler",
    {
        name: functionName,
        runtime: aws.lambda.Runtime.NodeJS20dX,
        handler: "index.handler",
        role: role.arn,
        tracingConfig: { mode: "Active" },
        code: new pulumi.asset.AssetArchive({
            "index.js": new pulumi.asset.StringAsset("exports.handler = async (event) => ({ received: event.Records?.length ?? 0 });"),
        }),
        environment: { variables: { QUEUE_URL: queue.url } },
    },
    { dependsOn: [logGroup] },
);

// RDS instance with Enhanced Monitoring and log exports.
const monitoringRole = new aws.iam.Role("orders-db-monitoring-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
new aws.iam.RolePolicyAttachment("orders-db-monitoring", {
    role: monitoringRole.name,
    policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
});
const database = new aws.rds.Instance("orders-db", {
    identifier: "orders-db",
    engine: "postgres",
    engineVersion: "16.4",
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    storageEncrypted: true,
    username: "orders",
    manageMasterUserPassword: true,
    skipFinalSnapshot: true,
    monitoringInterval: 60,
    performanceInsightsEnabled: true,
    monitoringRoleArn: monitoringRole.arn,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
});

// Application Load Balancer with access logs to a private, versioned, TLS-only bucket.
const accessLogs = new aws.s3.Bucket("alb-access-logs", {});
new aws.s3.BucketPublicAccessBlock("alb-access-logs", {
    bucket: accessLogs.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
});
new aws.s3.BucketVersioning("alb-access-logs", { bucket: accessLogs.id, versioningConfiguration: { status: "Enabled" } });
// ALB log delivery writes with the logdelivery.elasticloadbalancing.amazonaws.com principal in newer Regions.
// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
new aws.s3.BucketPolicy("alb-access-logs", {
    bucket: accessLogs.id,
    policy: pulumi.all([accessLogs.arn, identity.accountId]).apply(([arn, account]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "s3:*",
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                    Sid: "AlbLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `${arn}/AWSLogs/${account}/*`,
                },
            ],
        }),
    ),
});
const loadBalancer = new aws.lb.LoadBalancer("orders-alb", {
    loadBalancerType: "application",
    internal: true,
    subnets: subnetIds,
    accessLogs: { bucket: accessLogs.id, enabled: true },
});

// Alarms for every monitorable resource, notifying the team's encrypted topic (an organization topic
// ARN works the same), and a dashboard of their status.
const alarmTopic = new aws.sns.Topic("orders-alarms", { kmsMasterKeyId: key.arn });
const monitoring = new StackMonitoring("orders", {
    notificationTopicArn: alarmTopic.arn,
    resources: {
        functions: { "orders-handler": handler },
        queues: { orders: queue },
        databases: { "orders-db": database },
        loadBalancers: { "orders-alb": loadBalancer },
    },
});

export const functionArn = handler.arn;
export const queueUrl = queue.url;
export const databaseEndpoint = database.endpoint;
export const loadBalancerDnsName = loadBalancer.dnsName;
export const alarmTopicArn = alarmTopic.arn;
export const dashboardName = monitoring.dashboardName;
