import * as awsx from "@pulumi/awsx";

const vpc = new awsx.ec2.DefaultVpc("default");

const nlb = new awsx.lb.NetworkLoadBalancer("tcp", {
    subnetIds: vpc.publicSubnetIds,
    listeners: [{ port: 5432, protocol: "TCP" }],
});

export const vpcId = vpc.vpcId;
export const subnetIds = vpc.publicSubnetIds;
export const dnsName = nlb.loadBalancer.dnsName;
