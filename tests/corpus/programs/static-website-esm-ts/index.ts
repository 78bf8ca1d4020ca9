import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { siteFiles } from "./site.js";

const config = new pulumi.Config();
const indexDocument = config.get("indexDocument") || "index.html";
const errorDocument = config.get("errorDocument") || "error.html";

const identity = await aws.getCallerIdentity();

const bucket = new aws.s3.Bucket("bucket", {
    tags: { owner: identity.accountId },
});

const website = new aws.s3.BucketWebsiteConfiguration("website", {
    bucket: bucket.bucket,
    indexDocument: { suffix: indexDocument },
    errorDocument: { key: errorDocument },
});

const ownershipControls = new aws.s3.BucketOwnershipControls("ownership-controls", {
    bucket: bucket.bucket,
    rule: { objectOwnership: "ObjectWriter" },
});

const publicAccessBlock = new aws.s3.BucketPublicAccessBlock("public-access-block", {
    bucket: bucket.bucket,
    blockPublicAcls: false,
});

for (const file of siteFiles("./www")) {
    new aws.s3.BucketObject(file.key, {
        bucket: bucket.bucket,
        key: file.key,
        content: file.content,
        contentType: file.contentType,
        acl: "public-read",
    }, { dependsOn: [ownershipControls, publicAccessBlock] });
}

export const originURL = pulumi.interpolate`http://${website.websiteEndpoint}`;
export const files = siteFiles("./www").map((f) => f.key);
