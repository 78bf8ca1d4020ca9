import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const queueName = config.require("queueName");
const retentionSeconds = config.requireNumber("messageRetentionSeconds");

const queue = new aws.sqs.Queue(queueName, { messageRetentionSeconds: retentionSeconds });

export const queueUrl = queue.url;
