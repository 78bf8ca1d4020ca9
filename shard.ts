import * as pulumi from "@pulumi/pulumi";
import { AccountBaseline } from "./components/account-baseline";
import { accountProvider } from "./components/providers";
import { type ShardStackConfig, organizationStackFileName, shardExportsSchema, stackFileName } from "./lib/config";
import { problemsFromZod } from "./lib/config/problems";
import { UserError } from "./lib/errors";
import { slug } from "./lib/naming";

/** Where to fix a problem of the organization stack's outputs: that stack's configuration. */
function organizationStackFile(organizationStack: string): string {
    return `the configuration of stack ${organizationStack} (${organizationStackFileName(organizationStack)})`;
}

/**
 * The program of a shard stack (docs/scaling.md): the baselines of the organization stack's members
 * in one shard, with the same resource names as in a single stack. Everything comes from the
 * organization stack's outputs, read through a StackReference and validated like config.
 */
export async function memberShardProgram(cfg: ShardStackConfig): Promise<Record<string, unknown>> {
    const { organizationStack, name: shard } = cfg.shard;
    const org = new pulumi.StackReference("organization", { name: organizationStack });
    const [shards, settings] = await Promise.all([org.getOutputDetails("memberBaselineShards"), org.getOutputDetails("baselineSettings")]);
    // Secret outputs stay secret: the values derived from them (account ids in the provider's
    // inputs) are marked secret again below.
    const secret = shards.secretValue !== undefined || settings.secretValue !== undefined;
    const exported = { memberBaselineShards: shards.value ?? shards.secretValue, baselineSettings: settings.value ?? settings.secretValue };
    const where = `stack ${organizationStack} output`;
    if (exported.memberBaselineShards === undefined || exported.baselineSettings === undefined) {
        throw new UserError(
            `The organization stack ${organizationStack} exports no member baseline shards`,
            [{ path: `${where}:memberBaselineShards`, allowed: "an output of the organization stack: set orgwatch:memberBaselines.shards there and run `pulumi up` on it first", received: "no such output" }],
            organizationStackFile(organizationStack),
        );
    }
    const parsed = shardExportsSchema.safeParse(exported);
    if (!parsed.success) {
        throw new UserError(`The organization stack ${organizationStack} exports malformed member baseline shards`, problemsFromZod(where, parsed.error, exported), organizationStackFile(organizationStack));
    }
    const all = parsed.data.memberBaselineShards;
    if (!Object.hasOwn(all, shard)) {
        const known = Object.keys(all).map((s) => JSON.stringify(s)).join(", ");
        throw new UserError(`Unknown shard ${JSON.stringify(shard)}`, [{ path: "orgwatch:shard.name", allowed: `a shard of ${organizationStack} (${known})`, received: JSON.stringify(shard) }], stackFileName());
    }
    const members = all[shard];
    const s = parsed.data.baselineSettings;
    const tags = { ...s.tags, "orgwatch:stack": pulumi.getStack() };
    for (const m of members) {
        const accountId = secret ? pulumi.secret(m.accountId) : m.accountId;
        const provider = accountProvider(`member-${slug(m.name)}`, { region: s.homeRegion, partition: s.partition, externalId: s.externalId, tags, accountId, roleName: m.roleName });
        new AccountBaseline(`baseline-${slug(m.name)}`, { sinkArns: s.sinkArns, resourceTypes: s.resourceTypes }, { provider });
    }
    return { organizationStack, shard, memberAccountIds: Object.fromEntries(members.map((m) => [m.name, secret ? pulumi.secret(m.accountId) : m.accountId])) };
}
