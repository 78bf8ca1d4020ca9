import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const names = config.requireObject<string[]>("buckets");
const account = aws.getCallerIdentityOutput().accountId;

export const buckets = names.map((name) => {
    const bucket = new aws.s3.Bucket(name, {
        bucket: account.apply((id) => {
            if (name !== name.toLowerCase()) {
                throw new Error(`bucket name ${name} must be lower case`);
            }
            return `${name}-${id}`;
        }),
    });
    return bucket.bucket;
});
