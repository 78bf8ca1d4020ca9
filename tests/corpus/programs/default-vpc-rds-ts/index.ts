import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const dbName = config.require("dbName");
const dbPassword = config.requireSecret("dbPassword");

// Place the database in the account's default VPC, in every zone the Region has.
const vpc = aws.ec2.getVpcOutput({ default: true });
const zones = aws.getAvailabilityZonesOutput({ state: "available" });
const subnetIds = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] }).ids;

// Guard against a lookup that returns subnets of another VPC.
const checkedSubnetIds = pulumi.all([vpc.id, subnetIds]).apply(async ([vpcId, ids]) => {
    for (const id of ids) {
        const subnet = await aws.ec2.getSubnet({ id });
        if (subnet.vpcId !== vpcId) {
            throw new Error(`subnet ${id} is in ${subnet.vpcId}, not in the default VPC ${vpcId}`);
        }
    }
    return ids;
});

const subnetGroup = new aws.rds.SubnetGroup("db-subnets", { subnetIds: checkedSubnetIds });

const dbSecurityGroup = new aws.ec2.SecurityGroup("db-sg", {
    vpcId: vpc.id,
    ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [vpc.cidrBlock] }],
});

const db = new aws.rds.Instance("db", {
    engine: "postgres",
    engineVersion: "16.3",
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    dbName,
    username: "app",
    password: dbPassword,
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [dbSecurityGroup.id],
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    storageEncrypted: true,
    skipFinalSnapshot: true,
});

export const endpoint = db.endpoint;
export const zoneNames = zones.names;
export const subnetCount = checkedSubnetIds.apply((ids) => ids.length);
