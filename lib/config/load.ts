import { UserError, type Problem } from "../errors";
import { crossChecks } from "./checks";
import { keyTreeOf, problemsFromZod } from "./problems";
import { shardStackConfigSchema, stackConfigSchema, type ShardStackConfig, type StackConfig } from "./schema";

/** The Pulumi config namespace of orgwatch (the project name). */
export const CONFIG_NAMESPACE = "orgwatch";

const SCHEMA_KEYS = keyTreeOf(stackConfigSchema);
const SHARD_SCHEMA_KEYS = keyTreeOf(shardStackConfigSchema);

/** Further checks a caller adds (e.g. CIS control ids and patterns), run after the structural parse. */
export type ExtraCheck = (cfg: StackConfig) => Problem[];

/**
 * Turns the flat Pulumi config map (`{"orgwatch:trail": "{...json...}", "aws:region": "eu-west-1"}`)
 * into the `orgwatch:` object: structured values arrive as JSON text, scalars as plain strings.
 */
export function namespaceObject(allConfig: Readonly<Record<string, string>>, namespace = CONFIG_NAMESPACE): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [fullKey, text] of Object.entries(allConfig)) {
        const sep = fullKey.indexOf(":");
        if (sep < 0 || fullKey.slice(0, sep) !== namespace) continue;
        out[fullKey.slice(sep + 1)] = decodeValue(text);
    }
    return out;
}

function decodeValue(text: string): unknown {
    const t = text.trim();
    if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false") {
        try {
            return JSON.parse(t);
        } catch {
            return text;
        }
    }
    return text;
}

/**
 * Parses and validates the whole stack configuration once. Throws one UserError listing every
 * problem (key path, what is allowed, what was given) and naming the stack file to fix.
 */
export function parseStackConfig(allConfig: Readonly<Record<string, string>>, stackFile: string, extraChecks: readonly ExtraCheck[] = []): StackConfig {
    const input = namespaceObject(allConfig);
    const parsed = stackConfigSchema.safeParse(input);
    if (!parsed.success) {
        throw new UserError("Invalid orgwatch stack configuration", problemsFromZod(CONFIG_NAMESPACE, parsed.error, input, SCHEMA_KEYS), stackFile);
    }
    const problems = [...crossChecks(parsed.data), ...extraChecks.flatMap((check) => check(parsed.data))];
    if (problems.length > 0) throw new UserError("Invalid orgwatch stack configuration", problems, stackFile);
    return parsed.data;
}

/** True for a shard stack of member baselines: its `orgwatch:` namespace has `shard` (docs/scaling.md). */
export function isShardStack(allConfig: Readonly<Record<string, string>>): boolean {
    return "shard" in namespaceObject(allConfig);
}

/** Parses and validates a shard stack's configuration, like {@link parseStackConfig}. */
export function parseShardStackConfig(allConfig: Readonly<Record<string, string>>, stackFile: string): ShardStackConfig {
    const input = namespaceObject(allConfig);
    const parsed = shardStackConfigSchema.safeParse(input);
    if (!parsed.success) {
        throw new UserError("Invalid orgwatch shard stack configuration", problemsFromZod(CONFIG_NAMESPACE, parsed.error, input, SHARD_SCHEMA_KEYS), stackFile);
    }
    return parsed.data;
}
