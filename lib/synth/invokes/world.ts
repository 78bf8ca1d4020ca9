import { charsFrom, hexFrom, LOWER_ALNUM } from "../ids";

/**
 * The AWS account the offline runtime pretends to read: its Availability Zones and its default VPC
 * (one per account and Region, with one default subnet per Availability Zone), derived from the
 * account and Region so that every invoke that looks at them agrees (`getVpc({ default: true })`,
 * `getSubnets` filtered on its id, `getSubnet` of one of those ids, awsx's `getDefaultVpc`).
 */

interface ZoneSpec {
    /** Letter suffixes of the zone names, in AZ-ID order. */
    readonly letters: string;
    /** AZ-ID numbers, in the same order. */
    readonly ids: readonly number[];
}

/**
 * Regions whose zones differ from the usual three (a, b, c = az1, az2, az3). From AWS's "AWS
 * Availability Zones" table (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html):
 * us-east-1 has six zones, us-west-2 and ap-northeast-2 four, us-west-1 two; in ap-northeast-1
 * the zones of new accounts are a, c and d (apne1-az4, az1, az2).
 */
const ZONES: Readonly<Record<string, ZoneSpec>> = {
    "us-east-1": { letters: "abcdef", ids: [1, 2, 3, 4, 5, 6] },
    "us-west-1": { letters: "ab", ids: [1, 3] },
    "us-west-2": { letters: "abcd", ids: [1, 2, 3, 4] },
    "ap-northeast-1": { letters: "acd", ids: [4, 1, 2] },
    "ap-northeast-2": { letters: "abcd", ids: [1, 2, 3, 4] },
};

export interface Zone {
    readonly name: string;
    readonly zoneId: string;
}

/** AZ-ID prefix: the first letters of the Region's words and its number (`eu-west-1` → `euw1`). */
function zoneIdPrefix(region: string): string {
    const parts = region.split("-");
    const number = parts[parts.length - 1];
    const words = parts.slice(0, -1);
    return `${words[0]}${words.slice(1).map((w) => w[0]).join("")}${number}`;
}

/** The Availability Zones of a Region, in name order. */
export function zonesOf(region: string): Zone[] {
    const spec = ZONES[region] ?? { letters: "abc", ids: [1, 2, 3] };
    const prefix = zoneIdPrefix(region);
    return [...spec.letters].map((l, i) => ({ name: `${region}${l}`, zoneId: `${prefix}-az${spec.ids[i]}` }));
}

/** An EC2-style id: the prefix and 17 hex characters derived from the seed. */
export function ec2Id(prefix: string, seed: string): string {
    return `${prefix}-${hexFrom(seed, 17, prefix)}`;
}

/** The CIDR of every default VPC (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). */
export const DEFAULT_VPC_CIDR = "172.31.0.0/16";

export interface DefaultVpc {
    readonly id: string;
    readonly cidrBlock: string;
    readonly mainRouteTableId: string;
    readonly dhcpOptionsId: string;
    readonly subnets: readonly { readonly id: string; readonly zone: Zone; readonly cidrBlock: string }[];
}

/** The default VPC of an account in a Region: a /20 default subnet per zone, as AWS creates them. */
export function defaultVpc(account: string, region: string): DefaultVpc {
    const seed = `${account}/${region}/default-vpc`;
    return {
        id: ec2Id("vpc", seed),
        cidrBlock: DEFAULT_VPC_CIDR,
        mainRouteTableId: ec2Id("rtb", seed),
        dhcpOptionsId: ec2Id("dopt", seed),
        subnets: zonesOf(region).map((zone, i) => ({ id: ec2Id("subnet", `${seed}/${zone.name}`), zone, cidrBlock: `172.31.${i * 16}.0/20` })),
    };
}

/** The CIDR of a VPC that is not the default one (AWS's examples use 10.0.0.0/16). */
export const OTHER_VPC_CIDR = "10.0.0.0/16";

/**
 * Subnets of a VPC that is not the default one: one per zone, /24s of its 10.0.0.0/16; a subnet
 * answered before by its id in that VPC (`getSubnet({ id })`) is the one of its zone.
 */
export function vpcSubnets(vpcId: string, region: string): { id: string; zone: Zone; cidrBlock: string }[] {
    const placed = PLACED_SUBNETS.get(`${region}/${vpcId}`) ?? [];
    const perZone = zonesOf(region).map((zone, i) => placed.find((p) => p.zone.name === zone.name) ?? { id: ec2Id("subnet", `${vpcId}/${zone.name}`), zone, cidrBlock: `10.0.${i}.0/24` });
    const subnets = [...perZone, ...placed.filter((p) => !perZone.includes(p))];
    for (const s of subnets) ANSWERED_SUBNETS.set(s.id, { vpcId, region, subnet: s });
    return subnets;
}

/** Subnets placed by their id (see {@link placeSubnet}), by `<region>/<vpc id>`. */
const PLACED_SUBNETS = new Map<string, { id: string; zone: Zone; cidrBlock: string }[]>();

/**
 * A subnet looked up by an id no answer gave before: a subnet of a non-default VPC (the default
 * VPC's subnet ids are known), `vpcId` when the lookup names it, else one derived from the subnet id;
 * its zone derived from the id, and the /24 of that zone. Later answers about that VPC include it.
 */
export function placeSubnet(id: string, region: string, vpcId?: string): { vpcId: string; subnet: { id: string; zone: Zone; cidrBlock: string } } {
    const known = answeredSubnet(id, region);
    if (known) return known;
    const vpc = vpcId ?? ec2Id("vpc", `${region}/vpc-of/${id}`);
    const zones = zonesOf(region);
    const key = `${region}/${vpc}`;
    const placed = PLACED_SUBNETS.get(key) ?? [];
    const free = zones.map((zone, i) => ({ zone, i })).filter(({ zone }) => !placed.some((p) => p.zone.name === zone.name));
    const start = parseInt(ec2Id("x", id).slice(2, 6), 16);
    const pick = free.length > 0 ? free[start % free.length] : { zone: zones[start % zones.length], i: zones.length + placed.length };
    const subnet = { id, zone: pick.zone, cidrBlock: `10.0.${pick.i}.0/24` };
    PLACED_SUBNETS.set(key, [...placed, subnet]);
    ANSWERED_SUBNETS.set(id, { vpcId: vpc, region, subnet });
    return { vpcId: vpc, subnet };
}

/**
 * Subnets of non-default VPCs already answered (by `getSubnets` filtered on a VPC id), so that a
 * later `getSubnet({ id })` of one of them answers with that VPC. The ids are derived from the VPC id
 * and zone, so the map only ever holds the same answer for an id.
 */
const ANSWERED_SUBNETS = new Map<string, { vpcId: string; region: string; subnet: { id: string; zone: Zone; cidrBlock: string } }>();

/** The VPC and details of a subnet of a non-default VPC answered before, if any. */
export function answeredSubnet(id: string, region: string): { vpcId: string; subnet: { id: string; zone: Zone; cidrBlock: string } } | undefined {
    const found = ANSWERED_SUBNETS.get(id);
    return found !== undefined && found.region === region ? found : undefined;
}

/** A Route 53 hosted zone id (`Z` and 20 upper-case letters and digits). */
export function hostedZoneId(seed: string): string {
    return `Z${charsFrom(seed, 20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "hosted-zone")}`;
}

/** A short lower-case id (API Gateway, App Runner, ...). */
export function shortId(seed: string, length = 10): string {
    return charsFrom(seed, length, LOWER_ALNUM, "short-id");
}
