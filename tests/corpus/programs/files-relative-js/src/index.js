"use strict";
const fs = require("fs");
const aws = require("@pulumi/aws");
const { ageAlarm } = require("./alarms");

// Read relative to the working directory, which is the project directory.
const queues = JSON.parse(fs.readFileSync("config/queues.json", "utf8"));

const key = new aws.kms.Key("queues", { enableKeyRotation: true });
const topic = new aws.sns.Topic("queue-alarms", { kmsMasterKeyId: key.id });

const urls = {};
for (const q of queues) {
    const queue = new aws.sqs.Queue(q.name, { visibilityTimeoutSeconds: q.visibilityTimeoutSeconds, kmsMasterKeyId: key.id });
    ageAlarm(q.name, queue, q.maxAgeSeconds, topic);
    urls[q.name] = queue.url;
}

module.exports = { urls, count: queues.length };
