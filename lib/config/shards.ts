import { z } from "zod";
import type { MemberAccountConfig, StackConfig } from "./schema";

/**
 * The shard stack that holds a member's baseline: the shard the account names, else the shard
 * listing the deepest OU that contains the account's OU path. Undefined without
 * `memberBaselines.shards`, or when neither applies (a config error, see crossChecks).
 */
export function memberShard(cfg: Pick<StackConfig, "memberBaselines">, acct: Pick<MemberAccountConfig, "shard" | "ou">): string | undefined {
    const shards = cfg.memberBaselines?.shards;
    if (shards === undefined) return undefined;
    if (acct.shard !== undefined) return Object.hasOwn(shards, acct.shard) ? acct.shard : undefined;
    const ou = acct.ou;
    if (ou === undefined) return undefined;
    let best: { shard: string; depth: number } | undefined;
    for (const [shard, { ous }] of Object.entries(shards)) {
        for (const path of ous) {
            if (ou === path || ou.startsWith(`${path}/`)) {
                const depth = path.split("/").length;
                if (best === undefined || depth > best.depth) best = { shard, depth };
            }
        }
    }
    return best?.shard;
}

/**
 * The stack file of a shard's organization stack, as the CLIs find it offline: the last segment of
 * `org/project/stack` names `Pulumi.<stack>.yaml`.
 */
export function organizationStackFileName(organizationStack: string): string {
    return `Pulumi.${organizationStack.split("/").pop() ?? organizationStack}.yaml`;
}

/** A member as the organization stack exports it to its shard. */
export const shardMemberSchema = z.strictObject({
    name: z.string().min(1),
    accountId: z.string().regex(/^\d{12}$/, { error: "a 12-digit account id" }),
    roleName: z.string().min(1),
});

/**
 * What the organization stack exports for its shard stacks (with `memberBaselines.shards`), read
 * by each shard through a StackReference and validated there like config.
 */
export const shardExportsSchema = z.object({
    /** Shard name → the members whose baselines it holds. */
    memberBaselineShards: z.record(z.string(), z.array(shardMemberSchema)),
    /** What every baseline and its provider need. */
    baselineSettings: z.strictObject({
        homeRegion: z.string().min(1),
        partition: z.string().min(1),
        externalId: z.string().optional(),
        tags: z.record(z.string(), z.string()),
        resourceTypes: z.array(z.string()).min(1),
        sinkArns: z.record(z.string(), z.string().startsWith("arn:")),
    }),
});

export type ShardMember = z.output<typeof shardMemberSchema>;
export type ShardExports = z.output<typeof shardExportsSchema>;
