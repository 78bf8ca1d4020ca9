"use strict";
const aws = require("@pulumi/aws");

/** An alarm on the age of the oldest message, notifying `topic`. */
function ageAlarm(name, queue, maxAgeSeconds, topic) {
    return new aws.cloudwatch.MetricAlarm(`${name}-age`, {
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: queue.name },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: maxAgeSeconds,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
    });
}

module.exports = { ageAlarm };
