/**
 * Containers on Fargate: a VPC with public subnets and a flow log, an ECS cluster with Container
 * Insights, an Application Load Balancer writing access logs, and a service registered with its
 * target group, with alarms on the load balancer and on the service.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { alarm, AppCase, logBucket, logGroup, platform, serviceRole, Variant, vpcFlowLog } from "./shared";

function program(variant: Variant): void {
    const { key, topic } = platform("shop", {});

    const vpc = new aws.ec2.Vpc("app-vpc", { cidrBlock: "10.10.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
    const igw = new aws.ec2.InternetGateway("app-igw", { vpcId: vpc.id });
    const routes = new aws.ec2.RouteTable("app-public", { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }] });
    const subnets = ["a", "b"].map((az, i) => {
        const subnet = new aws.ec2.Subnet(`app-public-${az}`, { vpcId: vpc.id, cidrBlock: `10.10.${i}.0/24`, availabilityZone: `eu-west-1${az}`, mapPublicIpOnLaunch: true });
        new aws.ec2.RouteTableAssociation(`app-public-${az}`, { subnetId: subnet.id, routeTableId: routes.id });
        return subnet;
    });
    if (variant !== "vpc-without-flow-log") {
        vpcFlowLog("app-vpc", vpc, key);
    }

    const albSg = new aws.ec2.SecurityGroup("web", {
        vpcId: vpc.id,
        ingress: [{ protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    // ALB access logs: the bucket must admit the Elastic Load Balancing log delivery service.
    const accessLogs = logBucket("web-access-logs", {
        skipPublicAccessBlock: variant === "access-log-bucket-public",
        skipVersioning: variant === "access-log-bucket-unversioned",
        forceDestroy: variant === "access-log-bucket-force-destroy",
        statements: (arn) => [
            { Sid: "ElbLogDelivery", Effect: "Allow", Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, Action: "s3:PutObject", Resource: pulumi.interpolate`${arn}/web/*` },
        ],
    });
    const alb = new aws.lb.LoadBalancer("web", {
        loadBalancerType: "application",
        securityGroups: [albSg.id],
        subnets: subnets.map((s) => s.id),
        ...(variant === "alb-without-access-logs" ? {} : { accessLogs: { bucket: accessLogs.bucket, prefix: "web", enabled: true } }),
    });
    const targetGroup = new aws.lb.TargetGroup("web", { port: 8080, protocol: "HTTP", targetType: "ip", vpcId: vpc.id, healthCheck: { path: "/healthz" } });
    new aws.lb.Listener("web", { loadBalancerArn: alb.arn, port: 80, defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }] });

    const cluster = new aws.ecs.Cluster("app-cluster", {
        settings: [{ name: "containerInsights", value: variant === "cluster-without-insights" ? "disabled" : "enabled" }],
    });
    const appLogs = logGroup("/ecs/shop", "shop-container-logs", key);
    const executionRole = serviceRole("shop-task-execution", "ecs-tasks.amazonaws.com", ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]);
    const taskDefinition = new aws.ecs.TaskDefinition("shop", {
        family: "shop",
        cpu: "512",
        memory: "1024",
        networkMode: "awsvpc",
        requiresCompatibilities: ["FARGATE"],
        executionRoleArn: executionRole.arn,
        containerDefinitions: pulumi.jsonStringify([
            {
                name: "app",
                image: "public.ecr.aws/nginx/nginx:1.27",
                essential: true,
                portMappings: [{ containerPort: 8080, protocol: "tcp" }],
                logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": appLogs.name, "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "app" } },
            },
        ]),
    });
    const serviceSg = new aws.ec2.SecurityGroup("app-service", {
        vpcId: vpc.id,
        ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [albSg.id] }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });
    const service = new aws.ecs.Service("app-service", {
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: { subnets: subnets.map((s) => s.id), securityGroups: [serviceSg.id], assignPublicIp: true },
        loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: "app", containerPort: 8080 }],
    });

    alarm("web-5xx", topic, { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: alb.arnSuffix } });
    if (variant !== "service-unalarmed") {
        const dimensions: Record<string, pulumi.Input<string>> =
            variant === "service-alarm-without-cluster" ? { ServiceName: service.name } : { ClusterName: cluster.name, ServiceName: service.name };
        alarm("app-service-cpu", topic, { namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions, statistic: "Average", threshold: 80 });
    }
}

export const containersOnFargate: AppCase = {
    name: "containers on Fargate (VPC, ALB, ECS service)",
    program,
    variants: {
        "vpc-without-flow-log": [{ policy: "vpc-flow-logs-enabled", resource: "app-vpc" }],
        "cluster-without-insights": [{ policy: "ecs-cluster-container-insights-enabled", resource: "app-cluster" }],
        // Without access logs the bucket no longer holds audit logs, so only the load balancer is reported.
        "alb-without-access-logs": [{ policy: "load-balancer-access-logs-enabled", resource: "web" }],
        "access-log-bucket-public": [{ policy: "audit-bucket-public-access-blocked", resource: "web-access-logs" }],
        "access-log-bucket-unversioned": [{ policy: "audit-bucket-versioning-enabled", resource: "web-access-logs" }],
        "access-log-bucket-force-destroy": [{ policy: "audit-bucket-force-destroy-disabled", resource: "web-access-logs" }],
        "service-unalarmed": [{ policy: "monitoring-enabled", resource: "app-service" }],
        // AWS/ECS publishes service metrics with ClusterName and ServiceName together: ServiceName alone matches nothing.
        "service-alarm-without-cluster": [{ policy: "monitoring-enabled", resource: "app-service" }],
    },
};
