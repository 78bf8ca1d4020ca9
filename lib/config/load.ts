import { UserError, type Problem } from "../errors";
import { crossChecks } from "./checks";
import { keyTreeOf, nearest, problemsFromZod } from "./problems";
import { KNOWN_REGIONS, shardStackConfigSchema, stackConfigSchema, type ShardStackConfig, type StackConfig } from "./schema";

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

/** Namespaces a stack file of orgwatch may use besides its own. */
const OTHER_NAMESPACES = ["aws", "pulumi"];

/**
 * Keys whose namespace is a misspelling of orgwatch's (`orgwatc:trail`): Pulumi would hand them to no
 * one, so the setting would silently not apply.
 */
export function misspelledNamespaceProblems(allConfig: Readonly<Record<string, string>>): Problem[] {
    const problems: Problem[] = [];
    for (const fullKey of Object.keys(allConfig)) {
        const sep = fullKey.indexOf(":");
        const ns = fullKey.slice(0, sep);
        // Another program's namespace that merely starts with ours (orgwatch-members, orgwatch2) is not a typo.
        if (sep < 0 || ns.startsWith(CONFIG_NAMESPACE) || OTHER_NAMESPACES.includes(ns)) continue;
        if (nearest(ns, [CONFIG_NAMESPACE]) !== undefined) {
            problems.push({ path: fullKey, allowed: `a key of the ${CONFIG_NAMESPACE} namespace (did you mean "${CONFIG_NAMESPACE}:${fullKey.slice(sep + 1)}"?)`, received: "a key no program reads" });
        }
    }
    return problems;
}

/**
 * `aws:region` (the default provider's Region) must not point elsewhere than the home Region. Checked
 * on the raw input, so that it is listed with the other problems even when the schema fails.
 */
function awsRegionProblems(allConfig: Readonly<Record<string, string>>, input: Record<string, unknown>): Problem[] {
    const region = allConfig["aws:region"];
    const regions = input.regions;
    const home = typeof regions === "object" && regions !== null ? (regions as Record<string, unknown>).home : undefined;
    // Only against a valid home Region: a misspelt one is reported on its own key.
    return region === undefined || typeof home !== "string" || !KNOWN_REGIONS.includes(home) || region === home
        ? []
        : [{ path: "aws:region", allowed: `the home Region ${JSON.stringify(home)} (orgwatch:regions.home), or no aws:region`, received: JSON.stringify(region) }];
}

/**
 * Parses and validates the whole stack configuration once. Throws one UserError listing every
 * problem (key path, what is allowed, what was given) and naming the stack file to fix.
 */
export function parseStackConfig(allConfig: Readonly<Record<string, string>>, stackFile: string, extraChecks: readonly ExtraCheck[] = []): StackConfig {
    const input = namespaceObject(allConfig);
    const parsed = stackConfigSchema.safeParse(input);
    const early = [...misspelledNamespaceProblems(allConfig), ...awsRegionProblems(allConfig, input)];
    if (!parsed.success) {
        throw new UserError("Invalid orgwatch stack configuration", [...early, ...problemsFromZod(CONFIG_NAMESPACE, parsed.error, input, SCHEMA_KEYS)], stackFile);
    }
    const problems = [...early, ...crossChecks(parsed.data), ...extraChecks.flatMap((check) => check(parsed.data))];
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
    const misspelled = misspelledNamespaceProblems(allConfig);
    if (!parsed.success || misspelled.length > 0) {
        const problems = [...misspelled, ...(parsed.success ? [] : problemsFromZod(CONFIG_NAMESPACE, parsed.error, input, SHARD_SCHEMA_KEYS))];
        throw new UserError("Invalid orgwatch shard stack configuration", problems, stackFile);
    }
    return parsed.data;
}
