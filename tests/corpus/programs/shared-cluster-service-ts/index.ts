import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

// The platform team owns the cluster; this stack only runs a service on it.
const config = new pulumi.Config();
const clusterName = config.require("clusterName");
const cluster = aws.ecs.getClusterOutput({ clusterName });

const vpc = aws.ec2.getVpcOutput({ default: true });
const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] });

const alertsKey = new aws.kms.Key("orders-alerts", { description: "orders alert topic", enableKeyRotation: true });
const alerts = new aws.sns.Topic("orders-alerts", { kmsMasterKeyId: alertsKey.id });

const task = new aws.ecs.TaskDefinition("orders", {
    family: "orders",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    containerDefinitions: JSON.stringify([
        { name: "orders", image: "public.ecr.aws/docker/library/httpd:2.4", essential: true, portMappings: [{ containerPort: 80, protocol: "tcp" }] },
    ]),
});

const service = new aws.ecs.Service("orders", {
    cluster: cluster.arn,
    taskDefinition: task.arn,
    desiredCount: 2,
    launchType: "FARGATE",
    networkConfiguration: { subnets: subnets.ids, assignPublicIp: true },
});

// Alarms name the cluster as the console shows it, not by its ARN.
const thresholds: Record<string, number> = { CPUUtilization: 75, MemoryUtilization: 85 };
for (const [metricName, threshold] of Object.entries(thresholds)) {
    new aws.cloudwatch.MetricAlarm(`orders-${metricName.toLowerCase()}`, {
        namespace: "AWS/ECS",
        metricName,
        dimensions: { ClusterName: clusterName, ServiceName: service.name },
        statistic: "Average",
        period: 60,
        evaluationPeriods: 5,
        threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: [alerts.arn],
        okActions: [alerts.arn],
    });
}

export const clusterArn = cluster.arn;
export const serviceName = service.name;
