import * as pulumi from "@pulumi/pulumi";
import * as awsx from "@pulumi/awsx";
import * as eks from "@pulumi/eks";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const minClusterSize = config.getNumber("minClusterSize") || 3;
const maxClusterSize = config.getNumber("maxClusterSize") || 6;
const desiredClusterSize = config.getNumber("desiredClusterSize") || minClusterSize;
const eksNodeInstanceType = config.get("eksNodeInstanceType") || "t3.medium";
const vpcNetworkCidr = config.get("vpcNetworkCidr") || "10.0.0.0/16";

const eksVpc = new awsx.ec2.Vpc("eks-vpc", {
    enableDnsHostnames: true,
    cidrBlock: vpcNetworkCidr,
});

const eksCluster = new eks.Cluster("eks-cluster", {
    vpcId: eksVpc.vpcId,
    authenticationMode: eks.AuthenticationMode.Api,
    publicSubnetIds: eksVpc.publicSubnetIds,
    privateSubnetIds: eksVpc.privateSubnetIds,
    instanceType: eksNodeInstanceType,
    desiredCapacity: desiredClusterSize,
    minSize: minClusterSize,
    maxSize: maxClusterSize,
    nodeAssociatePublicIpAddress: false,
    endpointPrivateAccess: false,
    endpointPublicAccess: true,
});

export const kubeconfig = eksCluster.kubeconfig;
export const vpcId = eksVpc.vpcId;
export const clusterName = eksCluster.eksCluster.name;

// A managed node group with a role of its own and non-default scaling: the node group the component
// creates is of that cluster, with that role and those sizes.
const nodeRole = new aws.iam.Role("nodes", { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }) });
const nodeGroup = eks.createManagedNodeGroup("ng", {
    cluster: eksCluster,
    nodeRole,
    scalingConfig: { minSize: 2, maxSize: 5, desiredSize: 3 },
    instanceTypes: ["m6i.large"],
});
export const nodeGroupOfCluster = pulumi.all([nodeGroup.nodeGroup.clusterName, eksCluster.eksCluster.name]).apply(([a, b]) => a === b);
export const nodeGroupHasRole = pulumi.all([nodeGroup.nodeGroup.nodeRoleArn, nodeRole.arn]).apply(([a, b]) => a === b);
export const nodeGroupScaling = nodeGroup.nodeGroup.scalingConfig;
export const nodeGroupArn = nodeGroup.nodeGroup.arn;
