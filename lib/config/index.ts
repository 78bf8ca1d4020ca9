import * as pulumi from "@pulumi/pulumi";
import { isShardStack, parseShardStackConfig, parseStackConfig, type ExtraCheck } from "./load";
import type { ShardStackConfig, StackConfig } from "./schema";

export * from "./schema";
export { parseStackConfig, parseShardStackConfig, isShardStack, namespaceObject, CONFIG_NAMESPACE, type ExtraCheck } from "./load";
export { memberShard, organizationStackFileName, shardExportsSchema, type ShardExports, type ShardMember } from "./shards";
export { partitionOf } from "../partition";

/** Environment variable naming the stack file when it is not `Pulumi.<stack>.yaml` (set by the offline commands). */
export const STACK_FILE_ENV = "ORGWATCH_STACK_FILE";

/** The stack file a user edits to fix a config problem. */
export function stackFileName(): string {
    return process.env[STACK_FILE_ENV] ?? `Pulumi.${pulumi.getStack()}.yaml`;
}

/** Reads and validates the running stack's configuration (throws a UserError listing every problem). */
export function loadStackConfig(extraChecks: readonly ExtraCheck[] = []): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), stackFileName(), extraChecks);
}

/** True when the running stack is a shard stack of member baselines. */
export function runningShardStack(): boolean {
    return isShardStack(pulumi.runtime.allConfig());
}

/** Reads and validates the running shard stack's configuration. */
export function loadShardStackConfig(): ShardStackConfig {
    return parseShardStackConfig(pulumi.runtime.allConfig(), stackFileName());
}
