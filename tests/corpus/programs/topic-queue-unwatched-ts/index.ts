import * as aws from "@pulumi/aws";

const region = aws.getRegionOutput();
const events = new aws.sns.Topic("events", {});
const queue = new aws.sqs.Queue("events", { messageRetentionSeconds: 345600 });

new aws.sqs.QueuePolicy("events", {
    queueUrl: queue.url,
    policy: aws.iam.getPolicyDocumentOutput({
        statements: [{
            principals: [{ type: "Service", identifiers: ["sns.amazonaws.com"] }],
            actions: ["sqs:SendMessage"],
            resources: [queue.arn],
            conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: [events.arn] }],
        }],
    }).json,
});

new aws.sns.TopicSubscription("events", { topic: events.arn, protocol: "sqs", endpoint: queue.arn });

export const topicArn = events.arn;
export const regionName = region.region;
