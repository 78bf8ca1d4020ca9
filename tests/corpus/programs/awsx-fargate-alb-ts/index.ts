import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const config = new pulumi.Config();
const containerPort = config.getNumber("containerPort") || 80;
const cpu = config.getNumber("cpu") || 512;
const memory = config.getNumber("memory") || 128;

const cluster = new aws.ecs.Cluster("cluster", {});

const loadbalancer = new awsx.lb.ApplicationLoadBalancer("loadbalancer", {});

const repo = new awsx.ecr.Repository("repo", { forceDelete: true });

const image = new awsx.ecr.Image("image", {
    repositoryUrl: repo.url,
    context: "./app",
    platform: "linux/amd64",
});

new awsx.ecs.FargateService("service", {
    cluster: cluster.arn,
    assignPublicIp: true,
    taskDefinitionArgs: {
        container: {
            name: "app",
            image: image.imageUri,
            cpu,
            memory,
            essential: true,
            portMappings: [{ containerPort, targetGroup: loadbalancer.defaultTargetGroup }],
        },
    },
});

export const url = pulumi.interpolate`http://${loadbalancer.loadBalancer.dnsName}`;
export const imageUri = image.imageUri;
export const targetGroupArn = loadbalancer.defaultTargetGroup.arn;
export const targetGroupSuffix = loadbalancer.defaultTargetGroup.arnSuffix;
export const targetGroupSuffixOfArn = pulumi.all([loadbalancer.defaultTargetGroup.arn, loadbalancer.defaultTargetGroup.arnSuffix]).apply(([arn, suffix]) => arn.endsWith(`:${suffix}`));
