/**
 * An EC2 web server in its own VPC (in the style of the vm-aws-typescript template), with detailed
 * monitoring, a flow log and status-check and CPU alarms; and the same server placed on a shared VPC
 * that the stack only reads (`Vpc.get`, a StackReference to the network stack).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { alarm, AppCase, platform, Variant, vpcFlowLog } from "./shared";

/** Outputs of the network team's stack, as the tests hand them to the StackReference. */
export const NETWORK_STACK = { name: "acme/network/prod", outputs: { vpcId: "vpc-0123456789abcdef0", publicSubnetId: "subnet-0123456789abcdef0" } };

function program(variant: Variant): void {
    const { key, topic } = platform("web", {});
    const config = new pulumi.Config();
    const instanceType = config.get("instanceType") ?? "t3.micro";

    let vpcId: pulumi.Input<string>;
    let subnetId: pulumi.Input<string>;
    if (variant === "on-shared-vpc") {
        // The VPC belongs to the network stack; organization telemetry rules cover its flow logs.
        const network = new pulumi.StackReference(NETWORK_STACK.name);
        const shared = aws.ec2.Vpc.get("shared", network.requireOutput("vpcId").apply(String));
        vpcId = shared.id;
        subnetId = network.requireOutput("publicSubnetId").apply(String);
    } else {
        const vpc = new aws.ec2.Vpc("web-vpc", { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true, enableDnsSupport: true });
        const gateway = new aws.ec2.InternetGateway("web-gateway", { vpcId: vpc.id });
        const subnet = new aws.ec2.Subnet("web-subnet", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: true });
        const routeTable = new aws.ec2.RouteTable("web-routes", { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }] });
        new aws.ec2.RouteTableAssociation("web-routes", { subnetId: subnet.id, routeTableId: routeTable.id });
        vpcFlowLog("web-vpc", vpc, key);
        vpcId = vpc.id;
        subnetId = subnet.id;
    }
    if (variant === "adopts-default-vpc") {
        // Managing the default VPC (to tag it, or to stop it being deleted) makes it the stack's to log.
        new aws.ec2.DefaultVpc("default", { tags: { Name: "default (unused)" } });
    }

    const secGroup = new aws.ec2.SecurityGroup("web-sg", {
        description: "Enable HTTP access",
        vpcId,
        ingress: [{ fromPort: 80, toPort: 80, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
        egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
    });
    const server = new aws.ec2.Instance("web-server", {
        instanceType,
        subnetId,
        vpcSecurityGroupIds: [secGroup.id],
        ami: "ami-0c1c30571d2dae5c9",
        userData: "#!/bin/bash\necho 'Hello, World!' > index.html\nnohup python3 -m http.server 80 &\n",
        metadataOptions: { httpTokens: "required" },
        ...(variant === "basic-monitoring" ? {} : { monitoring: true }),
        tags: { Name: "webserver" },
    });
    if (variant !== "server-unalarmed") {
        alarm("web-server-status", topic, { namespace: "AWS/EC2", metricName: "StatusCheckFailed", dimensions: { InstanceId: server.id }, statistic: "Maximum" });
        alarm("web-server-cpu", topic, { namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: { InstanceId: server.id }, statistic: "Average", threshold: 90 });
    }
}

export const ec2WebServer: AppCase = {
    name: "EC2 web server (own VPC, or a shared VPC read from the network stack)",
    program,
    variants: {
        // Basic monitoring (5-minute metrics) is the EC2 default.
        "basic-monitoring": [{ policy: "ec2-instance-detailed-monitoring-enabled", resource: "web-server" }],
        // EC2 instances are monitorable: no alarm on InstanceId leaves the server unwatched.
        "server-unalarmed": [{ policy: "monitoring-enabled", resource: "web-server" }],
        "adopts-default-vpc": [{ policy: "vpc-flow-logs-enabled", resource: "default" }],
        // A read VPC is not the stack's: nothing to report.
        "on-shared-vpc": [],
    },
};
