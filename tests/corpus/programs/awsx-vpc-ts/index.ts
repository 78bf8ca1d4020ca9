import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";

const config = new pulumi.Config();
const cidrBlock = config.get("cidrBlock") ?? "10.0.0.0/16";

const vpc = new awsx.ec2.Vpc("vpc", {
    cidrBlock,
    numberOfAvailabilityZones: 3,
    natGateways: { strategy: awsx.ec2.NatGatewayStrategy.Single },
    subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
});

const web = new aws.ec2.SecurityGroup("web", {
    vpcId: vpc.vpcId,
    ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
});

export const vpcId = vpc.vpcId;
export const privateSubnetIds = vpc.privateSubnetIds;
export const publicSubnetIds = vpc.publicSubnetIds;
export const natGatewayCount = vpc.natGateways.apply((n) => n.length);
export const securityGroupId = web.id;
