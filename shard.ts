import * as pulumi from "@pulumi/pulumi";
import { AccountBaseline } from "./components/account-baseline";
import { accountProvider } from "./components/providers";
import { type ShardStackConfig, shardExportsSchema, stackFileName } from "./lib/config";
import { problemsFromZod } from "./lib/config/problems";
import { UserError } from "./lib/errors";
import { slug } from "./lib/naming";

/**
 * The program of a shard stack (docs/scaling.md): the baselines of the organization stack's members
 * in one shard, with the same resource names as in a single stack. Everything comes from the
 * organization stack's outputs, read through a StackReference and validated like config.
 */
export async function memberShardProgram(cfg: ShardStackConfig): Promise<Record<string, unknown>> {
    const { organizationStack, name: shard } = cfg.shard;
    const org = new pulumi.StackReference("organization", { name: organizationStack });
    const [shards, settings] = await Promise.all([org.getOutputDetails("memberBaselineShards"), org.getOutputDetails("baselineSettings")]);
    const exported = { memberBaselineShards: shards.value ?? shards.secretValue, baselineSettings: settings.value ?? settings.secretValue };
    const parsed = shardExportsSchema.safeParse(exported);
    if (!parsed.success) {
        const problems = problemsFromZod(`stack ${organizationStack} output`, parsed.error, exported).map((p) => ({
            ...p,
            allowed: `${p.allowed} (set orgwatch:memberBaselines.shards in the organization stack and run pulumi up there first)`,
        }));
        throw new UserError(`The organization stack ${organizationStack} exports no member baseline shards`, problems, stackFileName());
    }
    const members = parsed.data.memberBaselineShards[shard];
    if (members === undefined) {
        const known = Object.keys(parsed.data.memberBaselineShards).map((s) => JSON.stringify(s)).join(", ");
        throw new UserError(`Unknown shard ${JSON.stringify(shard)}`, [{ path: "orgwatch:shard.name", allowed: `a shard of ${organizationStack} (${known})`, received: JSON.stringify(shard) }], stackFileName());
    }
    const s = parsed.data.baselineSettings;
    const tags = { ...s.tags, "orgwatch:stack": pulumi.getStack() };
    for (const m of members) {
        const provider = accountProvider(`member-${slug(m.name)}`, { region: s.homeRegion, partition: s.partition, externalId: s.externalId, tags, accountId: m.accountId, roleName: m.roleName });
        new AccountBaseline(`baseline-${slug(m.name)}`, { sinkArns: s.sinkArns, resourceTypes: s.resourceTypes }, { provider });
    }
    return { organizationStack, shard, memberAccountIds: Object.fromEntries(members.map((m) => [m.name, m.accountId])) };
}
