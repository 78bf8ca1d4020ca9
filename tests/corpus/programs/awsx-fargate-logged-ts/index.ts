import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const elb = aws.elb.getServiceAccountOutput();

const logs = new aws.s3.Bucket("alb-logs", { tags: { "orgwatch:audit-logs": "true" } });
new aws.s3.BucketVersioning("alb-logs", { bucket: logs.id, versioningConfiguration: { status: "Enabled" } });
new aws.s3.BucketPublicAccessBlock("alb-logs", { bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
new aws.s3.BucketPolicy("alb-logs", {
    bucket: logs.id,
    policy: aws.iam.getPolicyDocumentOutput({
        statements: [
            { sid: "ElbLogDelivery", principals: [{ type: "AWS", identifiers: [elb.arn] }], actions: ["s3:PutObject"], resources: [logs.arn.apply((a) => `${a}/AWSLogs/*`)] },
            {
                sid: "TlsOnly",
                effect: "Deny",
                principals: [{ type: "*", identifiers: ["*"] }],
                actions: ["s3:*"],
                resources: [logs.arn, logs.arn.apply((a) => `${a}/*`)],
                conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
            },
        ],
    }).json,
});

const cluster = new aws.ecs.Cluster("apps", { settings: [{ name: "containerInsights", value: "enabled" }] });

const alb = new awsx.lb.ApplicationLoadBalancer("web", {
    accessLogs: { bucket: logs.bucket, enabled: true, prefix: "web" },
});

new awsx.ecs.FargateService("web", {
    cluster: cluster.arn,
    desiredCount: 2,
    taskDefinitionArgs: {
        container: {
            name: "web",
            image: "public.ecr.aws/nginx/nginx:1.27",
            cpu: 256,
            memory: 512,
            essential: true,
            portMappings: [{ containerPort: 80, targetGroup: alb.defaultTargetGroup }],
        },
    },
});

export const endpoint = alb.loadBalancer.dnsName;
