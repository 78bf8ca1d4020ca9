import * as path from "path";
import { UserError, type Problem } from "../errors";
import { crossChecks } from "./checks";
import { keyTreeOf, nearest, problemsFromZod, valueAt } from "./problems";
import { KNOWN_REGIONS, stackConfigSchema, type StackConfig } from "./schema";

/** The Pulumi config namespace of orgwatch (the project name). */
export const CONFIG_NAMESPACE = "orgwatch";

const SCHEMA_KEYS = keyTreeOf(stackConfigSchema);

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
 * Keys of designs orgwatch no longer has, each with what replaced it: the schema alone would only say
 * "no such key", which leaves the user to find out why.
 */
const REMOVED_KEYS: readonly { readonly path: readonly string[]; readonly key: string; readonly instead: string }[] = [
    {
        path: ["shard"],
        key: "shard",
        instead: "no shard stacks: member baselines are deployed by one StackSet from the organization stack (docs/scaling.md, \"Moving from per-account links\"); remove this stack",
    },
    {
        path: ["memberBaselines", "shards"],
        key: "memberBaselines.shards",
        instead: "no shards: member baselines are deployed by one StackSet; use memberBaselines.targets (the OUs it deploys to, default [\"Root\"]) and see docs/scaling.md",
    },
];

function removedKeyProblems(input: Record<string, unknown>): Problem[] {
    const problems: Problem[] = [];
    for (const { path, key, instead } of REMOVED_KEYS) {
        if (valueAt(input, path) !== undefined) problems.push({ path: `${CONFIG_NAMESPACE}:${key}`, allowed: instead, received: "a setting of a removed design" });
    }
    for (const [i, acct] of (Array.isArray(input.accounts) ? input.accounts : []).entries()) {
        if (typeof acct === "object" && acct !== null && "shard" in acct) {
            problems.push({ path: `${CONFIG_NAMESPACE}:accounts[${i}].shard`, allowed: "no shard: every member's baseline comes from the member baseline StackSet (docs/scaling.md)", received: "a setting of a removed design" });
        }
    }
    return problems;
}

/** The input without the removed keys, so that the schema reports only the other problems. */
function withoutRemovedKeys(input: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...input };
    delete out.shard;
    if (typeof out.memberBaselines === "object" && out.memberBaselines !== null) {
        const { shards: _shards, ...rest } = out.memberBaselines as Record<string, unknown>;
        out.memberBaselines = rest;
    }
    if (Array.isArray(out.accounts)) {
        out.accounts = out.accounts.map((a: unknown) => {
            if (typeof a !== "object" || a === null) return a;
            const { shard: _shard, ...rest } = a as Record<string, unknown>;
            return rest;
        });
    }
    return out;
}

/**
 * How messages name a stack file: relative to `cwd` when it lies inside it (`Pulumi.prod.yaml`,
 * `stacks/Pulumi.prod.yaml`), else its absolute path (never `../../tmp/x.yaml`). Pure.
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
    const absolute = path.resolve(cwd, file);
    const relative = path.relative(cwd, absolute);
    return relative === "" || relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? absolute : relative;
}

/**
 * Parses and validates the whole stack configuration once. Throws one UserError listing every
 * problem (key path, what is allowed, what was given) and naming the stack file to fix.
 */
export function parseStackConfig(allConfig: Readonly<Record<string, string>>, stackFile: string, extraChecks: readonly ExtraCheck[] = []): StackConfig {
    const input = namespaceObject(allConfig);
    const removed = removedKeyProblems(input);
    const parsed = stackConfigSchema.safeParse(withoutRemovedKeys(input));
    const early = [...misspelledNamespaceProblems(allConfig), ...awsRegionProblems(allConfig, input), ...removed];
    if (!parsed.success) {
        throw new UserError("Invalid orgwatch stack configuration", [...early, ...problemsFromZod(CONFIG_NAMESPACE, parsed.error, input, SCHEMA_KEYS)], stackFile);
    }
    // Cross-key checks only make sense on a configuration that is whole.
    if (removed.length > 0) throw new UserError("Invalid orgwatch stack configuration", early, stackFile);
    const problems = [...early, ...crossChecks(parsed.data), ...extraChecks.flatMap((check) => check(parsed.data))];
    if (problems.length > 0) throw new UserError("Invalid orgwatch stack configuration", problems, stackFile);
    return parsed.data;
}
