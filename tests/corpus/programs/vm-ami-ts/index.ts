import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const instanceType = config.get("instanceType") || "t3.micro";
const vpcNetworkCidr = config.get("vpcNetworkCidr") || "10.0.0.0/16";

// The latest Amazon Linux 2023 AMI.
const ami = aws.ec2.getAmi({
    filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }],
    owners: ["amazon"],
    mostRecent: true,
}).then(result => result.id);

const vpc = new aws.ec2.Vpc("vpc", {
    cidrBlock: vpcNetworkCidr,
    enableDnsHostnames: true,
    enableDnsSupport: true,
});

const gateway = new aws.ec2.InternetGateway("gateway", { vpcId: vpc.id });

const subnet = new aws.ec2.Subnet("subnet", {
    vpcId: vpc.id,
    cidrBlock: "10.0.1.0/24",
    mapPublicIpOnLaunch: true,
});

const routeTable = new aws.ec2.RouteTable("routeTable", {
    vpcId: vpc.id,
    routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }],
});

new aws.ec2.RouteTableAssociation("routeTableAssociation", {
    subnetId: subnet.id,
    routeTableId: routeTable.id,
});

const secGroup = new aws.ec2.SecurityGroup("secGroup", {
    description: "Enable HTTP access",
    vpcId: vpc.id,
    ingress: [{ fromPort: 80, toPort: 80, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
    egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
});

const server = new aws.ec2.Instance("server", {
    instanceType,
    subnetId: subnet.id,
    vpcSecurityGroupIds: [secGroup.id],
    userData: "#!/bin/bash\necho 'Hello, World!' > index.html\nnohup python3 -m http.server 80 &\n",
    ami,
    tags: { Name: "webserver" },
});

export const ip = server.publicIp;
export const url = pulumi.interpolate`http://${server.publicDns}`;
