import * as aws from "@pulumi/aws";

export = async () => {
    const zones = await aws.getAvailabilityZones({ state: "available" });
    const identity = await aws.getCallerIdentity();

    const vpc = new aws.ec2.Vpc("main", { cidrBlock: "10.40.0.0/16", enableDnsHostnames: true });
    const subnets = zones.names.map((zone, i) =>
        new aws.ec2.Subnet(`private-${zone}`, { vpcId: vpc.id, availabilityZone: zone, cidrBlock: `10.40.${i}.0/24` }),
    );

    const flowLogs = new aws.s3.Bucket("flow-logs", {});
    new aws.s3.BucketVersioning("flow-logs", { bucket: flowLogs.id, versioningConfiguration: { status: "Enabled" } });
    new aws.s3.BucketPublicAccessBlock("flow-logs", {
        bucket: flowLogs.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    const tlsOnly = await aws.iam.getPolicyDocument({
        statements: [{
            sid: "DenyInsecureTransport",
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["s3:*"],
            resources: ["arn:aws:s3:::flow-logs-*", "arn:aws:s3:::flow-logs-*/*"],
            conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        }],
    });
    new aws.s3.BucketPolicy("flow-logs", { bucket: flowLogs.id, policy: tlsOnly.json });

    new aws.ec2.FlowLog("main", {
        vpcId: vpc.id,
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: flowLogs.arn,
    });

    return {
        vpcId: vpc.id,
        subnetIds: subnets.map((s) => s.id),
        zones: zones.names,
        account: identity.accountId,
    };
};
