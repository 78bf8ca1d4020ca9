import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const ami = aws.ssm.getParameterOutput({ name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });
const identity = await aws.getCallerIdentity();
const region = await aws.getRegion();
const partition = await aws.getPartition();
const zones = await aws.getAvailabilityZones({ state: "available" });

const subnet = aws.ec2.getSubnetOutput({ defaultForAz: true, availabilityZone: zones.names[0] });

const role = new aws.iam.Role("app", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${partition.dnsSuffix}` }, Action: "sts:AssumeRole" }],
    }),
});

new aws.iam.RolePolicyAttachment("ssm-core", {
    role: role.name,
    policyArn: `arn:${partition.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
});

const profile = new aws.iam.InstanceProfile("app", { role: role.name });

const server = new aws.ec2.Instance("app", {
    ami: ami.value,
    instanceType: "t3.micro",
    subnetId: subnet.id,
    iamInstanceProfile: profile.name,
    monitoring: true,
    metadataOptions: { httpTokens: "required" },
    tags: { Name: `app-${region.region}`, owner: identity.accountId },
});

export const instanceId = server.id;
export const zone = subnet.availabilityZone;
export const amiId = ami.value;
