import { charsFrom, hexFrom, LOWER_ALNUM, UPPER_ALNUM, uuidFrom } from "../ids";
import { partitionInfoOf } from "../../partition";
import type { InvokeContext } from "./generic";
import { renderPolicyDocument, type PolicyDocumentArgs } from "./policy-document";
import { DEFAULT_VPC_CIDR, defaultVpc, ec2Id, hostedZoneId, OTHER_VPC_CIDR, placeSubnet, vpcSubnets, zonesOf } from "./world";
import { lookupKey } from "./generic";

/**
 * Realistic answers for the invokes application programs call most. Each returns the fields it
 * knows; the generic answer of the declared shape fills the rest (see `answerInvoke`).
 */

/** What a handler knows beyond the invoke's own context. */
export interface HandlerWorld {
    /** Organization id that `getOrganization` returns. */
    readonly organizationId: string;
    /** Role the provider assumes, if any (getCallerIdentity answers as that role). */
    readonly roleArn?: string;
    /** Called when an answer uses a placeholder the user should know about. */
    readonly note: (text: string) => void;
    /** Called when the organization placeholder is used. */
    readonly organizationUsed: () => void;
}

export type InvokeHandler = (ctx: InvokeContext, world: HandlerWorld) => Record<string, unknown>;

/** Name of the log group Control Tower creates for its organization trail. */
export const CONTROL_TOWER_TRAIL_LOG_GROUP = "aws-controltower/CloudTrailLogs";

/** Placeholder for parameter and secret values, which exist only in the real account. */
export const OFFLINE_PARAMETER_VALUE = "offline-placeholder-value";

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

interface Filter {
    readonly name: string;
    readonly values: readonly string[];
}

function filtersOf(args: Readonly<Record<string, unknown>>): Filter[] {
    const raw = Array.isArray(args.filters) ? args.filters : [];
    return raw.filter(isRecord).map((f) => ({ name: String(f.name ?? ""), values: Array.isArray(f.values) ? f.values.map(String) : [] }));
}

function filterValues(args: Readonly<Record<string, unknown>>, name: string): readonly string[] | undefined {
    const f = filtersOf(args).find((x) => x.name === name);
    return f?.values;
}

/** AMI owners by alias, as `aws ec2 describe-images --owners` resolves them. */
const AMI_OWNER_ALIASES: Readonly<Record<string, string>> = { amazon: "137112412989", "aws-marketplace": "679593333241", self: "" };

/** The AMI name a `name` filter (a glob: `*`, `?`) or a `nameRegex` selects, wildcards filled with a date-like version. */
function amiName(glob: string | undefined, regex: string | undefined, seed: string): string {
    if (glob !== undefined) return glob.replace(/\*/g, "20240101").replace(/\?/g, "0");
    if (regex !== undefined) {
        return regex
            .replace(/^\^|\$$/g, "")
            .split("\\.")
            .map((part) => part.replace(/\.\*|\.\+|\\d\+|\[[^\]]*\][*+]?/g, "20240101").replace(/[.?]/g, "0"))
            .join(".");
    }
    return `offline-ami-${hexFrom(seed, 8)}`;
}

function ami(ctx: InvokeContext): Record<string, unknown> {
    const seed = `${ctx.region}|${JSON.stringify(ctx.args)}`;
    const owners = Array.isArray(ctx.args.owners) ? ctx.args.owners.map(String) : [];
    const owner = owners.length > 0 ? (AMI_OWNER_ALIASES[owners[0]] ?? owners[0]) || ctx.account : "137112412989";
    const name = amiName(filterValues(ctx.args, "name")?.[0], str(ctx.args.nameRegex), seed);
    const architecture = filterValues(ctx.args, "architecture")?.[0] ?? (/arm64|aarch64/.test(name) ? "arm64" : "x86_64");
    const imageId = ec2Id("ami", seed);
    const snapshot = ec2Id("snap", seed);
    return {
        id: imageId,
        imageId,
        arn: `arn:${ctx.partition.partition}:ec2:${ctx.region}::image/${imageId}`,
        name,
        architecture,
        ownerId: owner,
        imageOwnerAlias: owners[0] === "amazon" ? "amazon" : "",
        imageLocation: `${owners[0] === "amazon" ? "amazon" : owner}/${name}`,
        creationDate: "2024-01-01T00:00:00.000Z",
        deprecationTime: "2026-01-01T00:00:00.000Z",
        rootDeviceName: "/dev/xvda",
        rootDeviceType: "ebs",
        rootSnapshotId: snapshot,
        virtualizationType: filterValues(ctx.args, "virtualization-type")?.[0] ?? "hvm",
        hypervisor: "xen",
        imageType: "machine",
        platformDetails: "Linux/UNIX",
        usageOperation: "RunInstances",
        bootMode: "uefi-preferred",
        enaSupport: true,
        sriovNetSupport: "simple",
        state: "available",
        public: true,
        platform: "",
        kernelId: "",
        ramdiskId: "",
        imdsSupport: "v2.0",
        tpmSupport: "",
        description: name,
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { snapshot_id: snapshot, volume_size: "8", volume_type: "gp3", delete_on_termination: "true", encrypted: "false" }, noDevice: "", virtualName: "" }],
        productCodes: [],
        stateReason: { code: "UNSET", message: "UNSET" },
        tags: {},
    };
}

/** What a lookup says besides its id and `default` (tags, filters other than vpc-id, a CIDR), as a stable seed. */
function namingArgs(args: Readonly<Record<string, unknown>>, ignored: readonly string[]): string | undefined {
    const keys = Object.keys(args).filter((k) => !ignored.includes(k) && args[k] !== undefined && args[k] !== null).sort();
    const filters = Array.isArray(args.filters) ? args.filters.filter((f) => isRecord(f) && !ignored.includes(String(f.name))) : [];
    const named = keys.filter((k) => k !== "filters" && !(isRecord(args[k]) && Object.keys(args[k] as object).length === 0));
    if (named.length === 0 && filters.length === 0) return undefined;
    return JSON.stringify([named.map((k) => [k, args[k]]), filters]);
}

/**
 * The VPC an invoke asks for: by id; `default: true`, or no criteria at all, the default VPC (a lone
 * VPC of a fresh account); by tags, filters or a CIDR a VPC that is not the default one (the default
 * VPC carries no tags), its id derived from them, `default: false` and a 10.0.0.0/16 (the CIDR asked for, when one is).
 */
function vpcFor(ctx: InvokeContext): { id: string; cidrBlock: string; isDefault: boolean } {
    const dv = defaultVpc(ctx.account, ctx.region);
    const id = str(ctx.args.id) ?? filterValues(ctx.args, "vpc-id")?.[0];
    const cidrBlock = str(ctx.args.cidrBlock) ?? OTHER_VPC_CIDR;
    if (id !== undefined && id !== dv.id) return { id, cidrBlock, isDefault: false };
    if (id === dv.id || ctx.args.default === true) return { id: dv.id, cidrBlock: DEFAULT_VPC_CIDR, isDefault: true };
    const naming = namingArgs(ctx.args, ["id", "default", "region", "vpc-id"]);
    if (naming === undefined) return { id: dv.id, cidrBlock: DEFAULT_VPC_CIDR, isDefault: true };
    return { id: ec2Id("vpc", `${ctx.account}/${ctx.region}/vpc/${naming}`), cidrBlock, isDefault: false };
}

function subnetsOf(ctx: InvokeContext, vpcId: string): { id: string; zone: { name: string; zoneId: string }; cidrBlock: string }[] {
    const dv = defaultVpc(ctx.account, ctx.region);
    return vpcId === dv.id ? [...dv.subnets] : vpcSubnets(vpcId, ctx.region);
}

/** Every subnet these invokes know of in the account and Region (the default VPC's, plus those of the VPC named). */
function findSubnet(ctx: InvokeContext, id: string): { vpcId: string; subnet: { id: string; zone: { name: string; zoneId: string }; cidrBlock: string }; isDefault: boolean } | undefined {
    const dv = defaultVpc(ctx.account, ctx.region);
    const found = dv.subnets.find((s) => s.id === id);
    if (found) return { vpcId: dv.id, subnet: found, isDefault: true };
    const named = str(ctx.args.vpcId) ?? filterValues(ctx.args, "vpc-id")?.[0];
    if (named === dv.id) return undefined;
    return { ...placeSubnet(id, ctx.region, named), isDefault: false };
}

function caller(ctx: InvokeContext, world: HandlerWorld): Record<string, unknown> {
    const p = ctx.partition.partition;
    if (world.roleArn) {
        const roleName = world.roleArn.slice(world.roleArn.lastIndexOf("/") + 1);
        const session = "orgwatch-offline-synth";
        return {
            accountId: ctx.account,
            arn: `arn:${p}:sts::${ctx.account}:assumed-role/${roleName}/${session}`,
            userId: `AROA${charsFrom(world.roleArn, 17, UPPER_ALNUM, "role-unique-id")}:${session}`,
            id: ctx.account,
        };
    }
    return { accountId: ctx.account, arn: `arn:${p}:iam::${ctx.account}:user/offline-synth`, userId: `AIDA${charsFrom(ctx.account, 17, UPPER_ALNUM, "user-id")}`, id: ctx.account };
}

/**
 * The account Elastic Load Balancing writes access logs from, per Region (the bucket policy of
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
 */
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "eu-south-1": "635631232127",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
};

/** Public SSM parameters AWS publishes (AMI ids) get an AMI id; others the placeholder value. */
function ssmParameter(ctx: InvokeContext, world: HandlerWorld): Record<string, unknown> {
    const name = str(ctx.args.name) ?? "/offline/parameter";
    const publicAmi = /^\/aws\/service\/.*(ami|image)/i.test(name);
    const json = /\/recommended$/.test(name) && /ecs\/optimized-ami/.test(name);
    let value: string;
    if (json) {
        value = JSON.stringify({ image_id: ec2Id("ami", `${ctx.region}|${name}`), image_name: `amzn2-ami-ecs-hvm-2.0.20240101-x86_64-ebs`, os: "Amazon Linux 2" });
    } else if (publicAmi) {
        value = ec2Id("ami", `${ctx.region}|${name}`);
    } else {
        value = OFFLINE_PARAMETER_VALUE;
        world.note(`ssm.getParameter(${name}) returned "${OFFLINE_PARAMETER_VALUE}": parameter values exist only in the account`);
    }
    const arn = `arn:${ctx.partition.partition}:ssm:${ctx.region}:${ctx.account}:parameter${name.startsWith("/") ? "" : "/"}${name}`;
    return { id: name, name, arn, value, insecureValue: value, type: publicAmi || json ? "String" : "String", version: 1 };
}

function policyDocument(ctx: InvokeContext): Record<string, unknown> {
    const rendered = renderPolicyDocument(ctx.args as PolicyDocumentArgs);
    return { ...rendered };
}

export const INVOKE_HANDLERS: Readonly<Record<string, InvokeHandler>> = {
    "aws:index/getCallerIdentity:getCallerIdentity": caller,
    "aws:index/getPartition:getPartition": (ctx) => ({ partition: ctx.partition.partition, dnsSuffix: ctx.partition.dnsSuffix, reverseDnsPrefix: ctx.partition.reverseDnsPrefix, id: ctx.partition.partition }),
    "aws:index/getRegion:getRegion": (ctx) => {
        const name = str(ctx.args.region) ?? str(ctx.args.name) ?? ctx.region;
        return { region: name, name, endpoint: `ec2.${name}.${partitionInfoOf(name).dnsSuffix}`, description: name, id: name };
    },
    "aws:index/getRegions:getRegions": (ctx) => ({ id: ctx.partition.partition, names: [ctx.region] }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (ctx) => {
        const excludeNames = new Set(Array.isArray(ctx.args.excludeNames) ? ctx.args.excludeNames.map(String) : []);
        const excludeIds = new Set(Array.isArray(ctx.args.excludeZoneIds) ? ctx.args.excludeZoneIds.map(String) : []);
        const zones = zonesOf(ctx.region).filter((z) => !excludeNames.has(z.name) && !excludeIds.has(z.zoneId));
        return { id: ctx.region, region: ctx.region, names: zones.map((z) => z.name), zoneIds: zones.map((z) => z.zoneId), groupNames: zones.map(() => ctx.region) };
    },
    "aws:index/getAvailabilityZone:getAvailabilityZone": (ctx) => {
        const zones = zonesOf(ctx.region);
        const zone = zones.find((z) => z.name === ctx.args.name || z.zoneId === ctx.args.zoneId) ?? zones[0];
        return { name: zone.name, zoneId: zone.zoneId, region: ctx.region, groupName: ctx.region, nameSuffix: zone.name.slice(ctx.region.length), state: "available", zoneType: "availability-zone", networkBorderGroup: ctx.region, id: zone.name };
    },
    "aws:ec2/getAmi:getAmi": ami,
    "aws:ec2/getAmiIds:getAmiIds": (ctx) => ({ id: ctx.region, ids: [ami(ctx).imageId] }),
    "aws:ec2/getVpc:getVpc": (ctx) => {
        const v = vpcFor(ctx);
        const dv = defaultVpc(ctx.account, ctx.region);
        return {
            id: v.id,
            arn: `arn:${ctx.partition.partition}:ec2:${ctx.region}:${ctx.account}:vpc/${v.id}`,
            cidrBlock: v.cidrBlock,
            default: v.isDefault,
            ownerId: ctx.account,
            state: "available",
            instanceTenancy: "default",
            enableDnsHostnames: v.isDefault,
            enableDnsSupport: true,
            mainRouteTableId: v.isDefault ? dv.mainRouteTableId : ec2Id("rtb", v.id),
            dhcpOptionsId: dv.dhcpOptionsId,
            cidrBlockAssociations: [{ associationId: ec2Id("vpc-cidr-assoc", v.id), cidrBlock: v.cidrBlock, state: "associated" }],
            ipv6CidrBlockAssociations: [],
            ipv6AssociationId: "",
            ipv6CidrBlock: "",
            tags: isRecord(ctx.args.tags) ? ctx.args.tags : {},
        };
    },
    "aws:ec2/getVpcs:getVpcs": (ctx) => ({ id: ctx.region, ids: [defaultVpc(ctx.account, ctx.region).id] }),
    "aws:ec2/getSubnets:getSubnets": (ctx) => {
        // Subnets named by tags or other filters without a VPC are not the default VPC's (they carry no tags).
        const naming = namingArgs(ctx.args, ["region", "vpc-id", "availability-zone", "default-for-az"]);
        const vpcIds = filterValues(ctx.args, "vpc-id") ?? [naming === undefined ? defaultVpc(ctx.account, ctx.region).id : ec2Id("vpc", `${ctx.account}/${ctx.region}/subnets/${naming}`)];
        const zones = filterValues(ctx.args, "availability-zone");
        const ids = vpcIds.flatMap((v) => subnetsOf(ctx, v)).filter((s) => zones === undefined || zones.includes(s.zone.name)).map((s) => s.id);
        return { id: ctx.region, ids };
    },
    "aws:ec2/getSubnet:getSubnet": (ctx) => {
        const id = str(ctx.args.id) ?? filterValues(ctx.args, "subnet-id")?.[0];
        const known = id === undefined ? undefined : findSubnet(ctx, id);
        const vpcId = known?.vpcId ?? str(ctx.args.vpcId) ?? filterValues(ctx.args, "vpc-id")?.[0] ?? defaultVpc(ctx.account, ctx.region).id;
        const zoneName = str(ctx.args.availabilityZone) ?? filterValues(ctx.args, "availability-zone")?.[0];
        const subnet = known?.subnet ?? subnetsOf(ctx, vpcId).find((s) => zoneName === undefined || s.zone.name === zoneName) ?? subnetsOf(ctx, vpcId)[0];
        const subnetId = id ?? subnet.id;
        return {
            id: subnetId,
            arn: `arn:${ctx.partition.partition}:ec2:${ctx.region}:${ctx.account}:subnet/${subnetId}`,
            vpcId,
            availabilityZone: subnet.zone.name,
            availabilityZoneId: subnet.zone.zoneId,
            cidrBlock: subnet.cidrBlock,
            defaultForAz: known?.isDefault ?? false,
            mapPublicIpOnLaunch: known?.isDefault ?? false,
            ownerId: ctx.account,
            state: "available",
            availableIpAddressCount: 4091,
            ipv6CidrBlock: "",
            ipv6CidrBlockAssociationId: "",
            customerOwnedIpv4Pool: "",
            outpostArn: "",
            privateDnsHostnameTypeOnLaunch: "ip-name",
            tags: {},
        };
    },
    "aws:ec2/getSecurityGroup:getSecurityGroup": (ctx) => {
        const vpcId = str(ctx.args.vpcId) ?? filterValues(ctx.args, "vpc-id")?.[0] ?? defaultVpc(ctx.account, ctx.region).id;
        const name = str(ctx.args.name) ?? filterValues(ctx.args, "group-name")?.[0] ?? "default";
        const id = str(ctx.args.id) ?? ec2Id("sg", `${vpcId}/${name}`);
        return { id, name, vpcId, arn: `arn:${ctx.partition.partition}:ec2:${ctx.region}:${ctx.account}:security-group/${id}`, description: name === "default" ? "default VPC security group" : name, tags: {} };
    },
    "aws:ec2/getInternetGateway:getInternetGateway": (ctx) => {
        const vpcId = filterValues(ctx.args, "attachment.vpc-id")?.[0] ?? defaultVpc(ctx.account, ctx.region).id;
        const id = ec2Id("igw", vpcId);
        return { id, internetGatewayId: id, arn: `arn:${ctx.partition.partition}:ec2:${ctx.region}:${ctx.account}:internet-gateway/${id}`, ownerId: ctx.account, attachments: [{ state: "available", vpcId }], tags: {} };
    },
    "aws:ssm/getParameter:getParameter": ssmParameter,
    "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument,
    "aws:iam/getRole:getRole": (ctx) => {
        const name = str(ctx.args.name) ?? "role";
        return {
            id: name,
            name,
            arn: `arn:${ctx.partition.partition}:iam::${ctx.account}:role/${name}`,
            uniqueId: `AROA${charsFrom(name, 17, UPPER_ALNUM, "role-unique-id")}`,
            path: "/",
            assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
            createDate: "2024-01-01T00:00:00Z",
            maxSessionDuration: 3600,
            description: "",
            permissionsBoundary: "",
            roleLastUseds: [],
            tags: {},
        };
    },
    "aws:iam/getPolicy:getPolicy": (ctx) => {
        const arn = str(ctx.args.arn) ?? `arn:${ctx.partition.partition}:iam::${ctx.account}:policy/${str(ctx.args.name) ?? "policy"}`;
        const name = arn.slice(arn.lastIndexOf("/") + 1);
        return { id: arn, arn, name, path: "/", policy: '{"Version":"2012-10-17","Statement":[]}', policyId: `ANPA${charsFrom(arn, 17, UPPER_ALNUM, "policy-id")}`, attachmentCount: 0, description: "", tags: {} };
    },
    "aws:route53/getZone:getZone": (ctx) => {
        const name = (str(ctx.args.name) ?? "example.com").replace(/\.$/, "");
        const zoneId = str(ctx.args.zoneId) ?? hostedZoneId(`${ctx.account}/${name}`);
        const servers = [0, 1, 2, 3].map((i) => `ns-${100 + i * 500}.awsdns-${10 + i}.${["com", "net", "org", "co.uk"][i]}`);
        return {
            id: zoneId,
            zoneId,
            name,
            arn: `arn:${ctx.partition.partition}:route53:::hostedzone/${zoneId}`,
            nameServers: servers,
            primaryNameServer: servers[0],
            callerReference: uuidFrom(zoneId),
            comment: "",
            linkedServiceDescription: "",
            linkedServicePrincipal: "",
            resourceRecordSetCount: 2,
            tags: {},
        };
    },
    "aws:acm/getCertificate:getCertificate": (ctx) => {
        const domain = str(ctx.args.domain) ?? "example.com";
        const arn = `arn:${ctx.partition.partition}:acm:${ctx.region}:${ctx.account}:certificate/${uuidFrom(`${ctx.account}/${ctx.region}/${domain}`)}`;
        return { id: arn, arn, domain, status: "ISSUED", type: "AMAZON_ISSUED", keyType: "RSA_2048", certificate: "", certificateChain: "", tags: {} };
    },
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": (ctx) => {
        const password = `offline-${hexFrom(ctx.account + ctx.region, 24, "ecr-password")}`;
        return {
            id: ctx.region,
            userName: "AWS",
            password,
            authorizationToken: Buffer.from(`AWS:${password}`).toString("base64"),
            proxyEndpoint: `https://${ctx.account}.dkr.ecr.${ctx.region}.${ctx.partition.dnsSuffix}`,
            expiresAt: "2024-01-01T12:00:00Z",
        };
    },
    "aws:elb/getServiceAccount:getServiceAccount": (ctx) => {
        const account = ELB_ACCOUNTS[ctx.region] ?? "127311923021";
        return { id: account, arn: `arn:${ctx.partition.partition}:iam::${account}:root` };
    },
    "aws:kms/getKey:getKey": (ctx) => {
        const given = str(ctx.args.keyId) ?? "";
        const keyId = /^[0-9a-f-]{36}$/.test(given) ? given : uuidFrom(`${ctx.account}/${ctx.region}/${given}`);
        return { id: keyId, arn: `arn:${ctx.partition.partition}:kms:${ctx.region}:${ctx.account}:key/${keyId}`, keyState: "Enabled", enabled: true, keyManager: "CUSTOMER", keyUsage: "ENCRYPT_DECRYPT", customerMasterKeySpec: "SYMMETRIC_DEFAULT", keySpec: "SYMMETRIC_DEFAULT", origin: "AWS_KMS", awsAccountId: ctx.account };
    },
    "aws:kms/getAlias:getAlias": (ctx) => {
        const name = str(ctx.args.name) ?? "alias/offline";
        const keyId = uuidFrom(`${ctx.account}/${ctx.region}/${name}`);
        return { id: name, name, arn: `arn:${ctx.partition.partition}:kms:${ctx.region}:${ctx.account}:${name}`, targetKeyId: keyId, targetKeyArn: `arn:${ctx.partition.partition}:kms:${ctx.region}:${ctx.account}:key/${keyId}` };
    },
    "aws:secretsmanager/getSecret:getSecret": (ctx) => {
        const name = str(ctx.args.name) ?? str(ctx.args.arn)?.split(":").pop() ?? "secret";
        const arn = str(ctx.args.arn) ?? `arn:${ctx.partition.partition}:secretsmanager:${ctx.region}:${ctx.account}:secret:${name}-${charsFrom(name, 6, LOWER_ALNUM + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "secret-suffix")}`;
        return { id: arn, arn, name };
    },
    "aws:secretsmanager/getSecretVersion:getSecretVersion": (ctx, world) => {
        const id = str(ctx.args.secretId) ?? "secret";
        world.note(`secretsmanager.getSecretVersion(${id}) returned "${OFFLINE_PARAMETER_VALUE}": secret values exist only in the account`);
        return { id: `${id}|AWSCURRENT`, secretId: id, secretString: OFFLINE_PARAMETER_VALUE, versionId: uuidFrom(id), versionStage: "AWSCURRENT", versionStages: ["AWSCURRENT"] };
    },
    "aws:lambda/getFunction:getFunction": (ctx) => {
        const name = str(ctx.args.functionName)?.split(":").pop() ?? "function";
        const arn = `arn:${ctx.partition.partition}:lambda:${ctx.region}:${ctx.account}:function:${name}`;
        const version = str(ctx.args.qualifier) ?? "$LATEST";
        // Lambda's invoke ARN is API Gateway's integration URI of the function.
        const invoke = (a: string): string => `arn:${ctx.partition.partition}:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${a}/invocations`;
        return { id: name, functionName: name, arn, version, qualifiedArn: `${arn}:${version}`, invokeArn: invoke(arn), qualifiedInvokeArn: invoke(`${arn}:${version}`) };
    },
    "aws:rds/getInstance:getInstance": (ctx) => {
        const id = str(ctx.args.dbInstanceIdentifier) ?? "database-1";
        // Endpoints are <identifier>.<12 characters of the account and Region>.<region>.rds.amazonaws.com.
        const address = `${id}.${charsFrom(`${ctx.account}/${ctx.region}`, 12, LOWER_ALNUM, "rds-endpoint")}.${ctx.region}.rds.${ctx.partition.dnsSuffix}`;
        return { id, dbInstanceIdentifier: id, dbInstanceArn: `arn:${ctx.partition.partition}:rds:${ctx.region}:${ctx.account}:db:${id}`, address, endpoint: `${address}:5432`, port: 5432, dbInstancePort: 5432, engine: "postgres" };
    },
    "aws:lb/getLoadBalancer:getLoadBalancer": (ctx) => {
        const type = str(ctx.args.loadBalancerType) ?? "application";
        const name = lookupKey(ctx, "loadBalancer") ?? str(ctx.args.arn)?.split("/")[2] ?? "load-balancer";
        // DNS names are <name>-<digits>.<region>.elb.amazonaws.com.
        return { loadBalancerType: type, ipAddressType: "ipv4", internal: false, dnsName: `${name}-${charsFrom(`${ctx.account}/${ctx.region}/${name}`, 10, "0123456789", "elb-dns")}.${ctx.region}.elb.${ctx.partition.dnsSuffix}` };
    },
    "aws:lb/getTargetGroup:getTargetGroup": () => ({ targetType: "instance", protocol: "HTTP", loadBalancingAlgorithmType: "round_robin" }),
    "aws:sqs/getQueue:getQueue": (ctx) => {
        const name = str(ctx.args.name) ?? "queue";
        // Queue URLs are https://sqs.<region>.amazonaws.com/<account>/<name>.
        return { id: `https://sqs.${ctx.region}.${ctx.partition.dnsSuffix}/${ctx.account}/${name}`, url: `https://sqs.${ctx.region}.${ctx.partition.dnsSuffix}/${ctx.account}/${name}`, name };
    },
    "aws:ecr/getRepository:getRepository": (ctx) => {
        const name = str(ctx.args.name) ?? "repository";
        // Repository URIs have no scheme: <registry>.dkr.ecr.<region>.amazonaws.com/<name>.
        const registryId = str(ctx.args.registryId) ?? ctx.account;
        return { id: name, name, registryId, repositoryUrl: `${registryId}.dkr.ecr.${ctx.region}.${ctx.partition.dnsSuffix}/${name}` };
    },
    "aws:s3/getBucket:getBucket": (ctx) => {
        const bucket = str(ctx.args.bucket) ?? "bucket";
        return { id: bucket, bucket, arn: `arn:${ctx.partition.partition}:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.${ctx.partition.dnsSuffix}`, bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.${ctx.partition.dnsSuffix}`, region: ctx.region, hostedZoneId: hostedZoneId(`s3/${ctx.region}`) };
    },
    "aws:organizations/getOrganization:getOrganization": (ctx, world) => {
        world.organizationUsed();
        const org = world.organizationId;
        const p = ctx.partition.partition;
        const account = ctx.account;
        const rootId = `r-${charsFrom(org, 4, LOWER_ALNUM, "org-root")}`;
        const mgmtArn = `arn:${p}:organizations::${account}:account/${org}/${account}`;
        return {
            id: org,
            arn: `arn:${p}:organizations::${account}:organization/${org}`,
            featureSet: "ALL",
            masterAccountId: account,
            masterAccountArn: mgmtArn,
            masterAccountEmail: `management-${account}@example.com`,
            masterAccountName: "management",
            awsServiceAccessPrincipals: [],
            enabledPolicyTypes: [],
            accounts: [{ id: account, arn: mgmtArn, email: `management-${account}@example.com`, name: "management", status: "ACTIVE", state: "ACTIVE", joinedMethod: "CREATED", joinedTimestamp: "2024-01-01T00:00:00Z" }],
            nonMasterAccounts: [],
            roots: [{ id: rootId, arn: `arn:${p}:organizations::${account}:root/${org}/${rootId}`, name: "Root", policyTypes: [] }],
        };
    },
    "aws:cloudwatch/getLogGroup:getLogGroup": (ctx) => {
        const name = str(ctx.args.name) ?? "log-group";
        return { id: name, name, arn: `arn:${ctx.partition.partition}:logs:${ctx.region}:${ctx.account}:log-group:${name}`, creationTime: 0, kmsKeyId: "", logGroupClass: "STANDARD", retentionInDays: 0, tags: {}, region: ctx.region };
    },
    "aws:cloudwatch/getLogGroups:getLogGroups": (ctx) => {
        const prefix = str(ctx.args.logGroupNamePrefix) ?? "";
        const names = CONTROL_TOWER_TRAIL_LOG_GROUP.startsWith(prefix)
            ? [CONTROL_TOWER_TRAIL_LOG_GROUP]
            : prefix.startsWith(CONTROL_TOWER_TRAIL_LOG_GROUP)
              ? [`${prefix}${charsFrom(prefix, 6, LOWER_ALNUM, "ct-suffix")}`]
              : [];
        return { id: ctx.region, logGroupNamePrefix: prefix, logGroupNames: names, arns: names.map((n) => `arn:${ctx.partition.partition}:logs:${ctx.region}:${ctx.account}:log-group:${n}`), region: ctx.region };
    },
    "aws:eks/getClusterAuth:getClusterAuth": (ctx) => ({ id: str(ctx.args.name) ?? "cluster", name: str(ctx.args.name) ?? "cluster", token: `k8s-aws-v1.offline-${hexFrom(String(ctx.args.name), 16)}` }),
    "awsx:ec2:getDefaultVpc": (ctx) => {
        const dv = defaultVpc(ctx.account, ctx.region);
        // The default VPC has public subnets only (each default subnet maps public IPs).
        return { vpcId: dv.id, publicSubnetIds: dv.subnets.map((s) => s.id), privateSubnetIds: [] };
    },
};
