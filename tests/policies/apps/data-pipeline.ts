/**
 * A data pipeline: a Kinesis data stream consumed by a Lambda function, a dead-letter queue, and a
 * Step Functions state machine that runs the nightly compaction with execution logs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { alarm, AppCase, logGroup, platform, serviceRole, Variant } from "./shared";

function program(variant: Variant): void {
    const { key, topic } = platform("clicks", {});

    const stream = new aws.kinesis.Stream("clicks", {
        name: "clicks",
        streamModeDetails: { streamMode: "ON_DEMAND" },
        encryptionType: "KMS",
        kmsKeyId: "alias/aws/kinesis",
        retentionPeriod: 48,
    });
    const dlq = new aws.sqs.Queue("clicks-dlq", { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true });

    const role = serviceRole("clicks-consumer-role", "lambda.amazonaws.com", [
        "arn:aws:iam::aws:policy/service-role/AWSLambdaKinesisExecutionRole",
        aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess,
    ]);
    if (variant !== "consumer-log-group-missing") {
        logGroup("/aws/lambda/clicks-consumer", "clicks-consumer-logs", key);
    }
    const consumer = new aws.lambda.Function("clicks-consumer", {
        name: "clicks-consumer",
        runtime: aws.lambda.Runtime.NodeJS20dX,
        handler: "index.handler",
        role: role.arn,
        tracingConfig: { mode: "Active" },
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handler = async (e) => e.Records.length;") }),
    });
    new aws.lambda.EventSourceMapping("clicks-consumer", {
        eventSourceArn: stream.arn,
        functionName: consumer.arn,
        startingPosition: "LATEST",
        batchSize: 500,
        destinationConfig: { onFailure: { destinationArn: dlq.arn } },
    });

    const sfnLogs = logGroup("/aws/vendedlogs/states/clicks-compaction", "clicks-compaction-logs", key);
    const sfnRole = serviceRole("clicks-compaction-role", "states.amazonaws.com", ["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"]);
    const machine = new aws.sfn.StateMachine("clicks-compaction", {
        roleArn: sfnRole.arn,
        definition: pulumi.jsonStringify({
            Comment: "Nightly compaction",
            StartAt: "Compact",
            States: { Compact: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: consumer.arn }, End: true } },
        }),
        ...(variant === "state-machine-without-logging"
            ? {}
            : { loggingConfiguration: { level: "ERROR", includeExecutionData: true, logDestination: pulumi.interpolate`${sfnLogs.arn}:*` } }),
        tracingConfiguration: { enabled: true },
    });

    if (variant === "stream-alarm-as-anomaly-band") {
        // An anomaly-detection alarm over the iterator age: the band is an expression, the metric a query.
        new aws.cloudwatch.MetricAlarm("clicks-iterator-age", {
            comparisonOperator: "GreaterThanUpperThreshold",
            evaluationPeriods: 3,
            thresholdMetricId: "band",
            alarmActions: [topic.arn],
            metricQueries: [
                { id: "band", expression: "ANOMALY_DETECTION_BAND(age, 3)", label: "expected iterator age", returnData: true },
                { id: "age", returnData: true, metric: { namespace: "AWS/Kinesis", metricName: "GetRecords.IteratorAgeMilliseconds", dimensions: { StreamName: stream.name }, stat: "Maximum", period: 60 } },
            ],
        });
    } else if (variant !== "stream-unalarmed") {
        alarm("clicks-iterator-age", topic, { namespace: "AWS/Kinesis", metricName: "GetRecords.IteratorAgeMilliseconds", dimensions: { StreamName: stream.name }, statistic: "Maximum", threshold: 60000 });
    }
    alarm("clicks-consumer-errors", topic, { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: consumer.name } });
    alarm("clicks-dlq-depth", topic, { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: dlq.name }, statistic: "Maximum" });
    alarm("clicks-compaction-failed", topic, {
        namespace: "AWS/States",
        metricName: "ExecutionsFailed",
        // CloudWatch names state machines by ARN; its name is not a StateMachineArn.
        dimensions: { StateMachineArn: variant === "state-machine-alarm-on-name" ? machine.name : machine.arn },
    });
}

export const dataPipeline: AppCase = {
    name: "data pipeline (Kinesis, Lambda consumer, SQS dead-letter queue, Step Functions)",
    program,
    variants: {
        "state-machine-without-logging": [{ policy: "stepfunctions-logging-enabled", resource: "clicks-compaction" }],
        "state-machine-alarm-on-name": [{ policy: "monitoring-enabled", resource: "clicks-compaction" }],
        "stream-unalarmed": [{ policy: "monitoring-enabled", resource: "clicks" }],
        // An anomaly band over a key metric is an alarm on that metric.
        "stream-alarm-as-anomaly-band": [],
        // Lambda would create /aws/lambda/clicks-consumer itself on first run, with no retention.
        "consumer-log-group-missing": [{ policy: "lambda-log-group-retention-set", resource: "clicks-consumer" }],
    },
};
