import * as path from "path";
import { hexFrom, uuidFrom } from "./ids";
import { ShapeExtractor } from "./catalogue/extract";
import { arnFormats, fillFormat } from "./catalogue/arn-format-table";
import { arnServiceOf } from "./arn-service";
import type { PartitionInfo } from "../partition";
import { generateValue, type InvokeContext } from "./invokes/generic";
import { defaultVpc, zonesOf } from "./invokes/world";
import { checkedInCatalogue, resolveShape, type ObjectShape, type Shape, type ShapeTypes } from "./catalogue";
import { RESOURCE_SIG, SIG_KEY } from "./wire";

/**
 * Outputs of remote (multi-language) components under the mock runtime. The real component's
 * provider creates children and returns outputs; offline, the outputs get plausible values of the
 * shape the component SDK declares (`pulumi.Output<T>` properties), so the program runs on:
 * `vpc.privateSubnetIds`, `lb.loadBalancer.dnsName` and `cluster.kubeconfig` resolve. An output that
 * is a resource (`vpc.vpc`) is a resource reference to a modelled child: a resource the runtime can
 * rehydrate (`getResource` by URN) but that is not part of the synth (it is not the program's and
 * its inputs are not known offline).
 *
 * The best-known components get coherent outputs from their inputs (below); others the generic
 * values of their shape.
 */

export interface ModelledChild {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly id: string;
    readonly state: Record<string, unknown>;
}

export interface ComponentContext {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly account: string;
    readonly region: string;
    readonly partition: PartitionInfo;
    readonly types: ShapeTypes;
    /** Creates a modelled child of the component (id and state as the mocks give them) and returns it. */
    readonly child: (type: string, name: string, inputs: Record<string, unknown>) => ModelledChild;
    /**
     * The state the offline runtime gave a resource an input names: a resource object of the program
     * (`nodeRole`, `cluster`), a resource reference or a URN; undefined when it is not known.
     */
    readonly stateOf?: (ref: unknown) => Readonly<Record<string, unknown>> | undefined;
}

/**
 * An ARN in the format the Service Authorization Reference gives the resource type
 * (`lib/synth/catalogue/arn-formats.json`), its variables filled; undefined when a variable is missing.
 */
export function arnOfFormat(service: string, resourceType: string, c: Pick<ComponentContext, "account" | "region" | "partition">, vars: Readonly<Record<string, string>>): string | undefined {
    const format = arnFormats()[service]?.[resourceType];
    if (format === undefined) return undefined;
    const all: Record<string, string> = { Partition: c.partition.partition, Region: c.region, Account: c.account, ...vars };
    return fillFormat(format, (v) => all[v]);
}

/** The wire form of a reference to a resource, as the engine returns it in outputs. */
export function resourceRef(child: ModelledChild): Record<string, unknown> {
    return { [SIG_KEY]: RESOURCE_SIG, urn: child.urn, id: child.id, packageVersion: "" };
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

type Handler = (c: ComponentContext) => Record<string, unknown>;

/** awsx's default layout: a public and a private subnet in each of 3 zones, one NAT gateway per zone. */
function awsxVpc(c: ComponentContext): Record<string, unknown> {
    const cidrBlock = str(c.inputs.cidrBlock) ?? "10.0.0.0/16";
    const zones = Array.isArray(c.inputs.availabilityZoneNames)
        ? c.inputs.availabilityZoneNames.map(String)
        : zonesOf(c.region).slice(0, typeof c.inputs.numberOfAvailabilityZones === "number" ? c.inputs.numberOfAvailabilityZones : 3).map((z) => z.name);
    const vpc = c.child("aws:ec2/vpc:Vpc", c.name, { cidrBlock, enableDnsHostnames: c.inputs.enableDnsHostnames ?? true, enableDnsSupport: c.inputs.enableDnsSupport ?? true, tags: c.inputs.tags });
    const specs = Array.isArray(c.inputs.subnetSpecs) && c.inputs.subnetSpecs.length > 0 ? c.inputs.subnetSpecs.filter(isRecord).map((s) => String(s.type ?? "Private")) : ["Public", "Private"];
    const byType = new Map<string, ModelledChild[]>();
    let block = 0;
    const octets = cidrBlock.split("/")[0].split(".");
    for (const type of specs) {
        const list: ModelledChild[] = [];
        zones.forEach((zone, i) => {
            const subnetCidr = `${octets[0]}.${octets[1]}.${block * 32 + i * 8}.0/21`;
            list.push(c.child("aws:ec2/subnet:Subnet", `${c.name}-${type.toLowerCase()}-${i + 1}`, { vpcId: vpc.id, availabilityZone: zone, cidrBlock: subnetCidr, mapPublicIpOnLaunch: type === "Public" }));
        });
        byType.set(type, list);
        block++;
    }
    const natStrategy = isRecord(c.inputs.natGateways) ? String(c.inputs.natGateways.strategy ?? "OnePerAz") : "OnePerAz";
    const publics = byType.get("Public") ?? [];
    const natCount = byType.has("Private") && publics.length > 0 ? (natStrategy === "None" ? 0 : natStrategy === "Single" ? 1 : publics.length) : 0;
    const eips = Array.from({ length: natCount }, (_, i) => c.child("aws:ec2/eip:Eip", `${c.name}-${i + 1}`, { domain: "vpc" }));
    const nats = eips.map((eip, i) => c.child("aws:ec2/natGateway:NatGateway", `${c.name}-${i + 1}`, { allocationId: eip.id, subnetId: publics[i].id }));
    const igw = c.child("aws:ec2/internetGateway:InternetGateway", c.name, { vpcId: vpc.id });
    const all = [...byType.values()].flat();
    const routeTables = all.map((s) => c.child("aws:ec2/routeTable:RouteTable", s.name, { vpcId: vpc.id }));
    const ids = (t: string): string[] => (byType.get(t) ?? []).map((s) => s.id);
    return {
        vpc: resourceRef(vpc),
        vpcId: vpc.id,
        subnets: all.map(resourceRef),
        publicSubnets: (byType.get("Public") ?? []).map(resourceRef),
        privateSubnets: (byType.get("Private") ?? []).map(resourceRef),
        isolatedSubnets: (byType.get("Isolated") ?? []).map(resourceRef),
        publicSubnetIds: ids("Public"),
        privateSubnetIds: ids("Private"),
        isolatedSubnetIds: ids("Isolated"),
        eips: eips.map(resourceRef),
        natGateways: nats.map(resourceRef),
        internetGateway: resourceRef(igw),
        routeTables: routeTables.map(resourceRef),
        routeTableAssociations: [],
        routes: [],
        vpcEndpoints: [],
    };
}

function loadBalancer(kind: "application" | "network"): Handler {
    return (c) => {
        const defaultVpcOf = defaultVpc(c.account, c.region);
        const subnets = Array.isArray(c.inputs.subnetIds) ? c.inputs.subnetIds : defaultVpcOf.subnets.map((s) => s.id);
        const lb = c.child("aws:lb/loadBalancer:LoadBalancer", c.name, {
            loadBalancerType: kind,
            internal: c.inputs.internal ?? false,
            subnets,
            accessLogs: c.inputs.accessLogs,
            ...(c.inputs.name !== undefined ? { name: c.inputs.name } : {}),
        });
        // A target group's name is at most 32 characters; its ARN is targetgroup/<name>/<16 hex>, and
        // arnSuffix (the CloudWatch TargetGroup dimension) the part from targetgroup/ on.
        const tgName = `${c.name.slice(0, 24)}-${hexFrom(c.urn, 7, "tg-name")}`;
        const tgArn = arnOfFormat("elasticloadbalancing", "targetgroup", c, { TargetGroupName: tgName, TargetGroupId: hexFrom(c.urn, 16, "tg-id") });
        const targetGroup = c.child("aws:lb/targetGroup:TargetGroup", c.name, {
            name: tgName,
            port: c.inputs.defaultTargetGroupPort ?? 80,
            protocol: kind === "application" ? "HTTP" : "TCP",
            vpcId: str(c.inputs.vpcId) ?? defaultVpcOf.id,
            ...(tgArn ? { arn: tgArn, arnSuffix: tgArn.slice(tgArn.indexOf(":targetgroup/") + 1) } : {}),
        });
        const listener = c.child("aws:lb/listener:Listener", `${c.name}-0`, { loadBalancerArn: lb.id, port: kind === "application" ? 80 : 443 });
        const out: Record<string, unknown> = {
            loadBalancer: resourceRef(lb),
            defaultTargetGroup: resourceRef(targetGroup),
            listeners: [resourceRef(listener)],
            vpcId: str(c.inputs.vpcId) ?? defaultVpcOf.id,
        };
        if (kind === "application") out.defaultSecurityGroup = resourceRef(c.child("aws:ec2/securityGroup:SecurityGroup", c.name, { vpcId: out.vpcId }));
        return out;
    };
}

function service(type: "FARGATE" | "EC2"): Handler {
    return (c) => {
        const taskDefinition = c.child("aws:ecs/taskDefinition:TaskDefinition", c.name, { family: c.name, requiresCompatibilities: [type] });
        const svc = c.child("aws:ecs/service:Service", c.name, { cluster: c.inputs.cluster, launchType: type, taskDefinition: taskDefinition.id, desiredCount: c.inputs.desiredCount ?? 1 });
        return { service: resourceRef(svc), taskDefinition: resourceRef(taskDefinition) };
    };
}

/**
 * `eks.ManagedNodeGroup` (`eks.createManagedNodeGroup`): one `aws.eks.NodeGroup` of the cluster it is
 * given, with the role given (`nodeRole` or `nodeRoleArn`), the component's documented default
 * scaling (desired 2, min 1, max 2) unless `scalingConfig` is given, and an ARN of the EKS
 * `nodegroup` format.
 */
function managedNodeGroup(c: ComponentContext): Record<string, unknown> {
    const cluster = c.stateOf?.(c.inputs.cluster);
    const eksCluster = cluster ? c.stateOf?.(cluster.eksCluster) : undefined;
    const clusterName = str(c.inputs.clusterName) ?? str(eksCluster?.name) ?? str(cluster?.name) ?? `${c.name}-cluster-${hexFrom(c.urn, 7, "eks-name")}`;
    const nodeRoleArn = str(c.inputs.nodeRoleArn) ?? str(c.stateOf?.(c.inputs.nodeRole)?.arn);
    const nodeGroupName = str(c.inputs.nodeGroupName) ?? `${c.name}-${hexFrom(c.urn, 8, "ng-name")}`;
    const scalingConfig = isRecord(c.inputs.scalingConfig) ? c.inputs.scalingConfig : { desiredSize: 2, minSize: 1, maxSize: 2 };
    const ngArn = arnOfFormat("eks", "nodegroup", c, { ClusterName: clusterName, NodegroupName: nodeGroupName, UUID: uuidFrom(c.urn, "nodegroup") });
    const echoed = Object.fromEntries(["instanceTypes", "subnetIds", "amiType", "capacityType", "diskSize", "labels", "taints", "tags", "version", "releaseVersion", "launchTemplate", "updateConfig", "remoteAccess"].filter((k) => c.inputs[k] !== undefined).map((k) => [k, c.inputs[k]]));
    const nodeGroup = c.child("aws:eks/nodeGroup:NodeGroup", c.name, {
        ...echoed,
        clusterName,
        nodeGroupName,
        scalingConfig,
        ...(nodeRoleArn ? { nodeRoleArn } : {}),
        ...(ngArn ? { arn: ngArn } : {}),
    });
    return { nodeGroup: resourceRef(nodeGroup) };
}

const HANDLERS: Readonly<Record<string, Handler>> = {
    "eks:index:ManagedNodeGroup": managedNodeGroup,
    "awsx:ec2:Vpc": awsxVpc,
    "awsx:ec2:DefaultVpc": (c) => {
        const dv = defaultVpc(c.account, c.region);
        return { vpcId: dv.id, publicSubnetIds: dv.subnets.map((s) => s.id), privateSubnetIds: [] };
    },
    "awsx:lb:ApplicationLoadBalancer": loadBalancer("application"),
    "awsx:lb:NetworkLoadBalancer": loadBalancer("network"),
    "awsx:ecs:FargateService": service("FARGATE"),
    "awsx:ecs:EC2Service": service("EC2"),
    "awsx:ecr:Repository": (c) => {
        const repo = c.child("aws:ecr/repository:Repository", c.name, { name: c.inputs.name, forceDelete: c.inputs.forceDelete });
        const repoName = str(repo.state.name) ?? repo.id;
        return { repository: resourceRef(repo), url: `${c.account}.dkr.ecr.${c.region}.${c.partition.dnsSuffix}/${repoName}` };
    },
    "awsx:ecr:Image": (c) => {
        const repository = str(c.inputs.repositoryUrl) ?? `${c.account}.dkr.ecr.${c.region}.${c.partition.dnsSuffix}/${c.name}`;
        return { imageUri: `${repository}@sha256:${hexFrom(c.urn, 64, "image-digest")}` };
    },
    "eks:index:Cluster": (c) => {
        const dv = defaultVpc(c.account, c.region);
        const clusterName = str(c.inputs.name) ?? `${c.name}-eksCluster-${hexFrom(c.urn, 7, "eks-name")}`;
        const eksCluster = c.child("aws:eks/cluster:Cluster", `${c.name}-eksCluster`, {
            name: clusterName,
            enabledClusterLogTypes: c.inputs.enabledClusterLogTypes,
            version: c.inputs.version,
            vpcConfig: { subnetIds: c.inputs.subnetIds ?? c.inputs.privateSubnetIds ?? dv.subnets.map((s) => s.id) },
        });
        const endpoint = `https://${hexFrom(c.urn, 32, "eks-endpoint").toUpperCase()}.gr7.${c.region}.eks.${c.partition.dnsSuffix}`;
        const issuer = `https://oidc.eks.${c.region}.${c.partition.dnsSuffix}/id/${hexFrom(c.urn, 32, "eks-oidc").toUpperCase()}`;
        const kubeconfig = {
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ cluster: { server: endpoint, "certificate-authority-data": Buffer.from("offline-certificate-authority").toString("base64") }, name: "kubernetes" }],
            contexts: [{ context: { cluster: "kubernetes", user: "aws" }, name: "aws" }],
            "current-context": "aws",
            users: [{ name: "aws", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName] } } }],
        };
        const clusterSg = c.child("aws:ec2/securityGroup:SecurityGroup", `${c.name}-eksClusterSecurityGroup`, { vpcId: c.inputs.vpcId ?? dv.id });
        const nodeSg = c.child("aws:ec2/securityGroup:SecurityGroup", `${c.name}-nodeSecurityGroup`, { vpcId: c.inputs.vpcId ?? dv.id });
        const role = c.child("aws:iam/role:Role", `${c.name}-instanceRole`, { assumeRolePolicy: "{}" });
        return {
            eksCluster: resourceRef(eksCluster),
            kubeconfig,
            kubeconfigJson: JSON.stringify(kubeconfig),
            clusterSecurityGroup: resourceRef(clusterSg),
            clusterSecurityGroupId: clusterSg.id,
            nodeSecurityGroup: resourceRef(nodeSg),
            nodeSecurityGroupId: nodeSg.id,
            instanceRoles: [resourceRef(role)],
            oidcIssuer: issuer.replace(/^https:\/\//, ""),
            oidcProviderUrl: issuer,
            oidcProviderArn: `arn:${c.partition.partition}:iam::${c.account}:oidc-provider/${issuer.replace(/^https:\/\//, "")}`,
            defaultNodeGroupAsgName: `${c.name}-nodes-${hexFrom(c.urn, 8, "asg")}`,
            autoModeNodeRoleName: "",
            fargateProfileId: "",
            fargateProfileStatus: "",
            clusterIngressRuleId: "",
        };
    },
    "aws-apigateway:index:RestAPI": (c) => {
        const api = c.child("aws:apigateway/restApi:RestApi", c.name, { name: c.name, body: c.inputs.swaggerString });
        const deployment = c.child("aws:apigateway/deployment:Deployment", c.name, { restApi: api.id });
        const stageName = str(c.inputs.stageName) ?? "stage";
        const stage = c.child("aws:apigateway/stage:Stage", c.name, { restApi: api.id, deployment: deployment.id, stageName });
        return { api: resourceRef(api), deployment: resourceRef(deployment), stage: resourceRef(stage), url: `https://${api.id}.execute-api.${c.region}.${c.partition.dnsSuffix}/${stageName}/` };
    },
};

/** Generic values of a shape, with modelled children for resource-typed fields. */
function generic(shape: Shape, c: ComponentContext, path: string[]): unknown {
    const s = resolveShape(shape, c.types);
    if (typeof s === "object" && "resource" in s) return resourceRef(c.child(s.resource, `${c.name}-${path.join("-")}`, {}));
    if (typeof s === "object" && "list" in s) {
        const item = generic(s.list, c, [...path, "1"]);
        return item === undefined ? [] : [item];
    }
    if (typeof s === "object" && "object" in s) {
        const out: Record<string, unknown> = {};
        const optional = new Set(s.optional ?? []);
        for (const [k, f] of Object.entries(s.object)) {
            if (!optional.has(k)) out[k] = generic(f, c, [...path, k]);
        }
        return out;
    }
    const ctx: InvokeContext = { token: c.type, args: { name: c.name }, account: c.account, region: c.region, partition: c.partition, types: c.types, service: c.type.split(":")[0] };
    return generateValue(s, ctx, path);
}

/** Extractors of the installed resource SDKs (`@pulumi/aws`), by Pulumi package name; null when not installed. */
const RESOURCE_SDKS = new Map<string, ShapeExtractor | null>();
const RESOURCE_OUTPUTS = new Map<string, { shape: ObjectShape; types: ShapeTypes } | undefined>();

/**
 * The outputs a resource class declares (`readonly nodeGroupName: pulumi.Output<string>`): from the
 * checked-in catalogue for the resource types remote components declare as outputs, else read from
 * the installed SDK's declaration file when first asked for (`aws:eks/nodeGroup:NodeGroup` → `eks/nodeGroup.d.ts`).
 */
export function declaredResourceOutputs(type: string): { shape: ObjectShape; types: ShapeTypes } | undefined {
    if (RESOURCE_OUTPUTS.has(type)) return RESOURCE_OUTPUTS.get(type);
    const catalogue = checkedInCatalogue();
    const checkedIn = catalogue.resources?.[type];
    if (checkedIn !== undefined) {
        RESOURCE_OUTPUTS.set(type, { shape: checkedIn, types: catalogue.types });
        return RESOURCE_OUTPUTS.get(type);
    }
    const [pkg, modAndFile] = type.split(":");
    const mod = modAndFile?.split("/")[0];
    const file = modAndFile?.split("/")[1];
    let found: { shape: ObjectShape; types: ShapeTypes } | undefined;
    if (pkg !== undefined && mod !== undefined && file !== undefined) {
        if (!RESOURCE_SDKS.has(pkg)) {
            let extractor: ShapeExtractor | null = null;
            try {
                extractor = new ShapeExtractor(path.dirname(require.resolve(`@pulumi/${pkg}/package.json`)));
            } catch {
                extractor = null;
            }
            RESOURCE_SDKS.set(pkg, extractor);
        }
        const extractor = RESOURCE_SDKS.get(pkg);
        try {
            const shape = extractor?.componentOutputs(path.join(extractor.packageDir, mod === "index" ? "" : mod, `${file}.d.ts`));
            if (shape !== undefined && extractor) found = { shape, types: extractor.extractedTypes() };
        } catch {
            found = undefined;
        }
    }
    RESOURCE_OUTPUTS.set(type, found);
    return found;
}

/** A regular expression of an ARN format (`arn:${Partition}:eks:...:nodegroup/${ClusterName}/...`). */
function formatPattern(format: string): RegExp {
    const parts = format.split(/\$\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return new RegExp(`^${parts.join(".+")}$`);
}

/**
 * Fills the outputs a modelled child's resource class declares and its state lacks (a remote component's
 * `nodeGroup.nodeGroupName`), echoing the component's inputs of the same name (`subnetIds`,
 * `scalingConfig`), and gives it the ARN of its resource type's documented format when its ARN has
 * another. The child's state is the one the runtime rehydrates the resource from.
 */
function fillDeclaredOutputs(child: ModelledChild, c: ComponentContext): void {
    const declared = declaredResourceOutputs(child.type);
    if (declared === undefined) return;
    const types: ShapeTypes = { ...c.types, ...declared.types };
    const optional = new Set(declared.shape.optional ?? []);
    const service = arnServiceOf(child.type);
    const args: Record<string, unknown> = { ...child.state };
    const ctx = (a: Record<string, unknown>): InvokeContext => ({ token: child.type, args: a, account: c.account, region: c.region, partition: c.partition, types, service });
    const keys = Object.keys(declared.shape.object).filter((k) => !optional.has(k) && (child.state[k] === undefined || child.state[k] === null));
    // Names and other fields first, ARNs after them (an ARN is built from the names).
    for (const key of keys.filter((k) => !/Arn$|^arn$/.test(k))) {
        const given = c.inputs[key];
        const value = given !== undefined && typeof given !== "object" ? given : Array.isArray(given) && given.every((x) => typeof x === "string") ? given : generateValue(declared.shape.object[key], ctx(args), [key], {});
        if (value !== undefined) child.state[key] = args[key] = value;
    }
    for (const key of keys.filter((k) => /Arn$|^arn$/.test(k))) {
        const value = generateValue(declared.shape.object[key], ctx(args), [key], {});
        if (value !== undefined) child.state[key] = value;
    }
    const formats = arnFormats()[service];
    const arn = child.state.arn;
    if (formats !== undefined && typeof arn === "string") {
        const own = Object.values(formats).filter((f) => f.includes(`:${child.type.split(":")[2]?.toLowerCase() ?? ""}`) || formatPattern(f).test(arn));
        if (own.length > 0 && !own.some((f) => formatPattern(f).test(arn))) {
            const rebuilt = generateValue("string", ctx(args), ["arn"], {});
            if (typeof rebuilt === "string" && own.some((f) => formatPattern(f).test(rebuilt))) child.state.arn = rebuilt;
        }
    }
}

/** The context with every modelled child's declared outputs filled. */
function withDeclaredOutputs(c: ComponentContext): ComponentContext {
    return {
        ...c,
        child: (type, name, inputs) => {
            const child = c.child(type, name, inputs);
            fillDeclaredOutputs(child, c);
            return child;
        },
    };
}

/**
 * The outputs a remote component returns offline: its handler's coherent values where it has one,
 * the generic value of each declared output otherwise. Inputs the component echoes as outputs keep
 * the program's values.
 */
export function remoteComponentOutputs(shape: ObjectShape, given: ComponentContext): Record<string, unknown> {
    const c = withDeclaredOutputs(given);
    const fromHandler = HANDLERS[c.type]?.(c) ?? {};
    const out: Record<string, unknown> = {};
    const optional = new Set(shape.optional ?? []);
    for (const [key, fieldShape] of Object.entries(shape.object)) {
        if (fromHandler[key] !== undefined) out[key] = fromHandler[key];
        else if (c.inputs[key] !== undefined && typeof fieldShape === "string") out[key] = c.inputs[key];
        else if (!optional.has(key) || HANDLERS[c.type] === undefined) out[key] = generic(fieldShape, c, [key]);
    }
    return out;
}

