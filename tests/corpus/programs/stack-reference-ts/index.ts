import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const network = new pulumi.StackReference(config.require("networkStack"));

const vpcId = network.requireOutput("vpcId");
const alarmTopicArn = network.requireOutput("alarmTopicArn");

const deadLetters = new aws.sqs.Queue("jobs-dlq", { messageRetentionSeconds: 1209600 });
const jobs = new aws.sqs.Queue("jobs", {
    redrivePolicy: deadLetters.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 })),
});

for (const [name, queue] of [["jobs", jobs], ["jobs-dlq", deadLetters]] as const) {
    new aws.cloudwatch.MetricAlarm(`${name}-age`, {
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: queue.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 900,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: [alarmTopicArn],
    });
}

const workers = new aws.ec2.SecurityGroup("workers", { vpcId, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });

export const queueUrl = jobs.url;
export const securityGroupId = workers.id;
