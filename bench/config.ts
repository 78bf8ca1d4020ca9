/** Generated stack configs for the scale benchmark. */

export const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2"];
const OUS = ["Root/Workloads", "Root/Workloads/Prod", "Root/Workloads/NonProd", "Root/Sandbox"];
/** Shards of the sharded layout: one per OU. */
export const SHARDS = ["workloads", "prod", "nonprod", "sandbox"];
/** Name of the organization stack the generated shard stacks reference. */
export const ORG_STACK = "acme/orgwatch/bench";

/**
 * A valid stack config with `accounts` members (every tenth created in an OU, the rest adopted).
 * `sharded`: member baselines in one shard stack per OU (docs/scaling.md); adopted accounts name
 * their shard round-robin, created accounts fall into the shard of their OU.
 */
export function generatedConfig(accounts: number, sharded = false): Record<string, string> {
    const members = Array.from({ length: accounts }, (_, i) => {
        const name = `member-${String(i).padStart(4, "0")}`;
        if (i % 10 === 9) return { name, email: `aws+${name}@example.com`, ou: OUS[i % OUS.length] };
        return sharded ? { name, id: String(500000000000 + i), shard: SHARDS[i % SHARDS.length] } : { name, id: String(500000000000 + i) };
    });
    return {
        "aws:region": REGIONS[0],
        "orgwatch:organization": JSON.stringify({ id: "o-abcdef1234", managementAccountId: "111111111111", logArchiveAccountId: "222222222222", monitoringAccountId: "333333333333" }),
        "orgwatch:regions": JSON.stringify({ home: REGIONS[0], governed: REGIONS }),
        "orgwatch:organizationalUnits": JSON.stringify(OUS),
        "orgwatch:accounts": JSON.stringify(members),
        ...(sharded ? { "orgwatch:memberBaselines": JSON.stringify({ shards: Object.fromEntries(SHARDS.map((s, k) => [s, { ous: [OUS[k]] }])) }) } : {}),
    };
}

/** The config of the shard stack `shard` of {@link ORG_STACK}. */
export function shardConfig(shard: string): Record<string, string> {
    return { "aws:region": REGIONS[0], "orgwatch:shard": JSON.stringify({ organizationStack: ORG_STACK, name: shard }) };
}
