"use strict";
const aws = require("@pulumi/aws");

const queue = new aws.sqs.Queue("jobs", { visibilityTimeoutSeconds: 60 });

if (!process.env.JOBS_TARGET_ENV) {
    console.log("JOBS_TARGET_ENV is not set: nothing to deploy");
    process.exit(0);
}

exports.queueUrl = queue.url;
