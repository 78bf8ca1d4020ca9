import { splitToken } from "../aws-types";
import { hexFrom, uuidFrom } from "../ids";
import type { PartitionInfo } from "../../partition";
import { resolveShape, Shape, ShapeTypes } from "../catalogue/shape";
import { arnFormats, fillFormat, formatVariables, resourceTypeKeys } from "../catalogue/arn-format-table";
import { ec2Id, hostedZoneId, zonesOf } from "./world";

/**
 * A value of a declared shape for any invoke, with AWS-plausible strings chosen by the field's
 * name: ARNs built from partition, Region and account; EC2-style ids with their prefixes; Region
 * and Availability Zone names of the stack's Region; timestamps, CIDRs, host names. Arguments the
 * program passed come back where the result declares a field of the same name (the provider echoes
 * its inputs). Everything is derived from the invoke, its arguments and the field's path, so two
 * runs give the same answer.
 */

export interface InvokeContext {
    readonly token: string;
    readonly args: Readonly<Record<string, unknown>>;
    readonly account: string;
    readonly region: string;
    readonly partition: PartitionInfo;
    readonly types: ShapeTypes;
    /** ARN service namespace of the token's module (`elasticloadbalancing` for `lb`). */
    readonly service: string;
}

/** EC2-style id prefixes by the noun a field or invoke names. */
const ID_PREFIXES: Readonly<Record<string, string>> = {
    vpc: "vpc",
    subnet: "subnet",
    securityGroup: "sg",
    ami: "ami",
    image: "ami",
    instance: "i",
    routeTable: "rtb",
    mainRouteTable: "rtb",
    internetGateway: "igw",
    natGateway: "nat",
    networkInterface: "eni",
    volume: "vol",
    snapshot: "snap",
    rootSnapshot: "snap",
    allocation: "eipalloc",
    eip: "eipalloc",
    association: "eipassoc",
    keyPair: "key",
    launchTemplate: "lt",
    networkAcl: "acl",
    prefixList: "pl",
    transitGateway: "tgw",
    vpcEndpoint: "vpce",
    vpcPeeringConnection: "pcx",
    dhcpOptions: "dopt",
    customerGateway: "cgw",
    vpnGateway: "vgw",
    egressOnlyInternetGateway: "eigw",
    kernel: "aki",
    ramdisk: "ari",
    ipam: "ipam",
    ipamPool: "ipam-pool",
    placementGroup: "pg",
    capacityReservation: "cr",
    fileSystem: "fs",
    accessPoint: "fsap",
};

const TIMESTAMP = "2024-01-01T00:00:00Z";

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** The noun an invoke reads: `getSecurityGroup` → `securityGroup`, `getVpcs` → `vpc`. */
function invokeNoun(token: string): string {
    const member = splitToken(token)?.member ?? token;
    const noun = lowerFirst(member.replace(/^get/, ""));
    return noun.endsWith("s") && !noun.endsWith("ss") ? noun.slice(0, -1) : noun;
}

function seedOf(ctx: InvokeContext, path: readonly (string | number)[]): string {
    return `${ctx.token}|${JSON.stringify(ctx.args)}|${path.join(".")}`;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/**
 * The argument a lookup names its resource by: `name`, `<noun>Name`, `<noun>Identifier`, `<noun>Id`
 * (`getCluster({ clusterName })`, `getInstance({ dbInstanceIdentifier })`), else the one argument
 * whose name ends in `Name` or `Identifier`.
 */
export function lookupKey(ctx: InvokeContext, noun: string = invokeNoun(ctx.token)): string | undefined {
    for (const k of ["name", `${noun}Name`, `${noun}Identifier`, `${noun}Id`]) {
        const v = str(ctx.args[k]);
        if (v !== undefined && !v.startsWith("arn:")) return v;
    }
    const named = Object.keys(ctx.args).filter((k) => /(Name|Identifier)$/.test(k) && str(ctx.args[k]) !== undefined && !String(ctx.args[k]).startsWith("arn:"));
    return named.length === 1 ? String(ctx.args[named[0]]) : undefined;
}

/** Load balancer type → the type segment of its ARN (`loadbalancer/app/<name>/<id>`). */
const LB_TYPE_SEGMENTS: Readonly<Record<string, string>> = { application: "app", network: "net", gateway: "gwy" };

/**
 * The ARN of the resource a lookup reads, in its resource type's format from the Service Authorization
 * Reference, with the lookup's own name: `ecs.getCluster({ clusterName: "shared" })` →
 * `arn:aws:ecs:<region>:<account>:cluster/shared`. Undefined when no format names the noun.
 */
function arnFromFormat(ctx: InvokeContext, noun: string, path: readonly (string | number)[]): string | undefined {
    const formats = arnFormats()[ctx.service];
    if (formats === undefined) return undefined;
    const keys = resourceTypeKeys(noun);
    let key = keys.find((k) => formats[k] !== undefined);
    const module = splitToken(ctx.token)?.module;
    if (ctx.service === "elasticloadbalancing" && module !== "elb") {
        // Elastic Load Balancing v2 ARNs carry the type: loadbalancer/app/<name>/<id>.
        const segment = LB_TYPE_SEGMENTS[str(ctx.args.loadBalancerType) ?? "application"] ?? "app";
        if (key === "loadbalancer") key = `loadbalancer/${segment}/`;
    }
    if (key === undefined) return undefined;
    const seed = seedOf(ctx, path);
    const name = noun === invokeNoun(ctx.token) ? lookupKey(ctx, noun) : undefined;
    const variables = formatVariables(formats[key]);
    const named = (vs: string[]): string | undefined => vs.find((v) => /(Name|Identifier)$/.test(v)) ?? vs[vs.length - 1];
    const main = named(variables.filter((v) => v.toLowerCase().includes(noun.toLowerCase()))) ?? named(variables);
    return fillFormat(formats[key], (v) => {
        if (v === "Partition") return ctx.partition.partition;
        if (v === "Region") return ctx.region;
        if (v === "Account") return ctx.account;
        const arg = Object.keys(ctx.args).find((k) => k.toLowerCase() === v.toLowerCase());
        if (arg !== undefined && str(ctx.args[arg]) !== undefined) return String(ctx.args[arg]);
        if (v === main && name !== undefined) return name;
        // `${ClusterName}` of a service looked up by `clusterArn`: the ARN's last segment.
        const viaArn = str(ctx.args[`${lowerFirst(v.replace(/Name$/, ""))}Arn`]);
        if (viaArn !== undefined) return viaArn.slice(viaArn.lastIndexOf("/") + 1);
        if (/uuid$/i.test(v)) return uuidFrom(`${seed}|${v}`);
        if (v.endsWith("Id")) return hexFrom(`${seed}|${v}`, 16);
        return `${lowerFirst(v)}-${hexFrom(`${seed}|${v}`, 8)}`;
    });
}

function arnOf(ctx: InvokeContext, noun: string, path: readonly (string | number)[]): string {
    const p = ctx.partition.partition;
    if (path.length === 1) {
        const given = str(ctx.args[String(path[0])]);
        if (given?.startsWith("arn:")) return given;
        const formatted = arnFromFormat(ctx, noun, path);
        if (formatted !== undefined) return formatted;
    }
    const own = noun === invokeNoun(ctx.token) || path.length > 1;
    const name = (own ? lookupKey(ctx, noun) : undefined) ?? `${noun}-${hexFrom(seedOf(ctx, path), 8)}`;
    if (noun.endsWith("Role") && noun !== "role") return `arn:${p}:iam::${ctx.account}:role/${name}`;
    switch (noun) {
        case "role":
        case "executionRole":
        case "serviceRole":
            return `arn:${p}:iam::${ctx.account}:role/${name}`;
        case "policy":
            return ctx.service === "iam" ? `arn:${p}:iam::${ctx.account}:policy/${name}` : `arn:${p}:${ctx.service}:${ctx.region}:${ctx.account}:policy/${name}`;
        case "kmsKey":
        case "key":
        case "encryptionKey":
            return `arn:${p}:kms:${ctx.region}:${ctx.account}:key/${uuidFrom(seedOf(ctx, path))}`;
        case "topic":
            return `arn:${p}:sns:${ctx.region}:${ctx.account}:${name}`;
        case "queue":
            return `arn:${p}:sqs:${ctx.region}:${ctx.account}:${name}`;
        case "bucket":
            return `arn:${p}:s3:::${name}`;
        case "logGroup":
            return `arn:${p}:logs:${ctx.region}:${ctx.account}:log-group:${name}`;
        case "function":
        case "lambda":
            return `arn:${p}:lambda:${ctx.region}:${ctx.account}:function:${name}`;
        case "certificate":
            return `arn:${p}:acm:${ctx.region}:${ctx.account}:certificate/${uuidFrom(seedOf(ctx, path))}`;
        default: {
            const prefix = ID_PREFIXES[noun];
            const id = prefix === undefined ? name : ec2Id(prefix, seedOf(ctx, path));
            const global = ["iam", "organizations", "cloudfront", "route53", "s3"].includes(ctx.service);
            return `arn:${p}:${ctx.service}:${global ? "" : ctx.region}:${ctx.service === "s3" ? "" : ctx.account}:${noun.toLowerCase()}/${id}`;
        }
    }
}

/** A plausible string for the field at `path` (its last key names it). */
export function stringFor(ctx: InvokeContext, path: readonly (string | number)[]): string {
    const key = [...path].reverse().find((k): k is string => typeof k === "string") ?? "value";
    const seed = seedOf(ctx, path);
    const lower = key.toLowerCase();
    const noun = invokeNoun(ctx.token);
    if (key === "arn") return arnOf(ctx, noun, path);
    if (key === "arnSuffix" && path.length === 1) {
        // CloudWatch's LoadBalancer / TargetGroup dimension: the ARN's resource part without `loadbalancer/`.
        const resource = arnOf(ctx, noun, ["arn"]).split(":").slice(5).join(":");
        return resource.replace(/^loadbalancer\//, "");
    }
    if (key === "invokeArn" && path.length === 1 && ctx.service === "lambda") {
        // API Gateway's integration URI of a function (Lambda's `invoke_arn`).
        return `arn:${ctx.partition.partition}:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${arnOf(ctx, noun, ["arn"])}/invocations`;
    }
    if (key.endsWith("Arn")) return arnOf(ctx, key.slice(0, -3), path);
    if (key === "id") {
        // EC2 and EFS ids carry a prefix (`vpc-`, `fs-`); other services' lookups answer with their name.
        const prefix = ["ec2", "elasticfilesystem"].includes(ctx.service) ? ID_PREFIXES[noun] : undefined;
        if (prefix !== undefined) return ec2Id(prefix, seed);
        const name = lookupKey(ctx, noun);
        if (name !== undefined) return name;
        return path.length === 1 ? ctx.region : hexFrom(seed, 12);
    }
    if (lower === "accountid" || lower === "ownerid" || lower === "registryid" || lower === "owneraccountid" || lower === "awsaccountid") return ctx.account;
    if (key.endsWith("Id")) {
        const idNoun = key.slice(0, -2);
        if (idNoun === "kmsKey" || idNoun === "key") return uuidFrom(seed);
        if (idNoun === "hostedZone" || idNoun === "zone") return hostedZoneId(seed);
        if (idNoun === "availabilityZone") return zonesOf(ctx.region)[0].zoneId;
        const prefix = ID_PREFIXES[idNoun];
        return prefix !== undefined ? ec2Id(prefix, seed) : hexFrom(seed, 12);
    }
    if (lower === "region" || lower === "regionname") return ctx.region;
    if (lower === "availabilityzone" || lower === "zonename") return zonesOf(ctx.region)[0].name;
    if (lower === "partition") return ctx.partition.partition;
    if (lower === "dnssuffix") return ctx.partition.dnsSuffix;
    if (lower === "cidrblock" || lower === "cidr") return "10.0.0.0/16";
    if (lower.endsWith("ipaddress") || lower === "privateip") return "10.0.0.10";
    if (lower === "publicip") return "203.0.113.10";
    if (lower.endsWith("dnsname") || lower === "endpoint" || lower.endsWith("hostname") || lower === "domainname" || lower === "domain") {
        return `${noun.toLowerCase()}-${hexFrom(seed, 8)}.${ctx.region}.${ctx.service}.${ctx.partition.dnsSuffix}`;
    }
    if (lower.endsWith("url") || lower.endsWith("uri")) return `https://${noun.toLowerCase()}-${hexFrom(seed, 8)}.${ctx.service}.${ctx.region}.${ctx.partition.dnsSuffix}`;
    if (lower === "name" || lower.endsWith("name")) {
        const given = ctx.args[key];
        return typeof given === "string" && given !== "" ? given : `${noun}-${hexFrom(seed, 8)}`;
    }
    if (/(date|time|timestamp|^createdat$|^updatedat$|^lastmodified$)$/.test(lower)) return TIMESTAMP;
    if (lower === "state" || lower === "status") return "available";
    if (lower === "policy" || lower.endsWith("policy") || lower.endsWith("policydocument")) return '{"Version":"2012-10-17","Statement":[]}';
    if (lower === "json" || lower.endsWith("json")) return "{}";
    if (lower.endsWith("email")) return `${noun.toLowerCase()}-${hexFrom(seed, 6)}@example.com`;
    if (lower === "architecture") return "x86_64";
    if (lower === "description" || lower === "comment") return "";
    return `${lowerFirst(key)}-${hexFrom(seed, 8)}`;
}

function numberFor(path: readonly (string | number)[]): number {
    const key = String([...path].reverse().find((k) => typeof k === "string") ?? "").toLowerCase();
    if (key.endsWith("port")) return 443;
    if (/(time|date|timestamp)$/.test(key)) return 1704067200;
    return 1;
}

/** A value of `shape`; `echo` holds the arguments that answer fields of the same name. */
export function generateValue(shape: Shape, ctx: InvokeContext, path: readonly (string | number)[] = [], echo: Readonly<Record<string, unknown>> = {}): unknown {
    const s = resolveShape(shape, ctx.types);
    if (s === "string") return stringFor(ctx, path);
    if (s === "number") return numberFor(path);
    if (s === "boolean") return false;
    if (s === "any") return {};
    if ("enum" in s) return s.enum[0];
    if ("resource" in s) return undefined;
    if ("list" in s) {
        const item = generateValue(s.list, ctx, [...path, 0]);
        return item === undefined ? [] : [item];
    }
    if ("map" in s) return {};
    if (!("object" in s)) return undefined;
    const out: Record<string, unknown> = {};
    const optional = new Set(s.optional ?? []);
    for (const [key, fieldShape] of Object.entries(s.object)) {
        if (echo[key] !== undefined) {
            out[key] = echo[key];
            continue;
        }
        if (optional.has(key)) continue;
        const value = generateValue(fieldShape, ctx, [...path, key]);
        if (value !== undefined) out[key] = value;
    }
    return out;
}
