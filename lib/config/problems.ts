import type { z } from "zod";
import type { Problem } from "../errors";

/** Renders a config path the way a user finds it in the stack file: `orgwatch:accounts[2].email`. */
export function keyPath(namespace: string, path: readonly PropertyKey[]): string {
    let out = "";
    for (const [i, seg] of path.entries()) {
        if (typeof seg === "number") out += `[${seg}]`;
        else if (i === 0) out += String(seg);
        else out += `.${String(seg)}`;
    }
    return out === "" ? namespace : `${namespace}:${out}`;
}

const SECRET_KEY = /secret|password|token|externalid|key$/i;

/** Shows the received value compactly; never echoes values under keys that may hold secrets. */
export function describeValue(value: unknown, path: readonly PropertyKey[] = []): string {
    const last = path.length > 0 ? String(path[path.length - 1]) : "";
    if (value === undefined) return "nothing (the key is missing)";
    if (SECRET_KEY.test(last)) return "a value (not shown: it may be secret)";
    if (value === null) return "null";
    if (typeof value === "string") return value.length > 80 ? JSON.stringify(`${value.slice(0, 77)}...`) : JSON.stringify(value);
    if (typeof value === "number" || typeof value === "boolean") return `${typeof value} ${String(value)}`;
    if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
    return `a mapping with keys ${Object.keys(value as object).map((k) => JSON.stringify(k)).join(", ") || "(none)"}`;
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    let cur: unknown = root;
    for (const seg of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<PropertyKey, unknown>)[seg as string];
    }
    return cur;
}

/** One Problem per zod issue, with the allowed values spelled out and the received value shown. */
export function problemsFromZod(namespace: string, error: z.ZodError, input: unknown, schemaKeys: KeyTree = {}): Problem[] {
    const problems: Problem[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            const known = knownKeysAt(schemaKeys, issue.path);
            for (const key of issue.keys) {
                const path = [...issue.path, key];
                const near = nearest(key, known);
                problems.push({
                    path: keyPath(namespace, path),
                    allowed: `no such key${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; known keys here: ${known.join(", ")}`,
                    received: describeValue(valueAt(input, path), path),
                });
            }
            continue;
        }
        if (issue.code === "invalid_key") {
            // A record key (a tag key) that its key schema refuses: the key is what was given.
            for (const inner of issue.issues) {
                problems.push({ path: keyPath(namespace, issue.path), allowed: inner.message, received: JSON.stringify(String(issue.path[issue.path.length - 1])) });
            }
            continue;
        }
        if (issue.code === "invalid_union" && issue.errors.length > 0 && !issue.message.startsWith("Invalid input")) {
            problems.push({ path: keyPath(namespace, issue.path), allowed: issue.message, received: describeValue(valueAt(input, issue.path), issue.path) });
            continue;
        }
        problems.push({
            path: keyPath(namespace, issue.path),
            allowed: allowedText(issue),
            received: describeValue(valueAt(input, issue.path), issue.path),
        });
    }
    return problems;
}

function unitOf(origin: string): string {
    return origin === "array" ? " item(s)" : origin === "string" ? " character(s)" : "";
}

function allowedText(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_type":
            // A custom message (set in the schema) already says what is allowed.
            return issue.message.startsWith("Invalid input") ? `a value of type ${issue.expected}` : issue.message;
        case "invalid_value":
            return issue.message.startsWith("Invalid") ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` : issue.message;
        case "too_small":
            return issue.message.startsWith("Too small") ? `${issue.origin === "number" ? "a value of at least" : "at least"} ${String(issue.minimum)}${unitOf(issue.origin)}` : issue.message;
        case "too_big":
            return issue.message.startsWith("Too big") ? `${issue.origin === "number" ? "a value of at most" : "at most"} ${String(issue.maximum)}${unitOf(issue.origin)}` : issue.message;
        case "invalid_format":
            return issue.message.startsWith("Invalid") ? `a valid ${issue.format}` : issue.message;
        case "not_multiple_of":
            return `a multiple of ${String(issue.divisor)}`;
        default:
            return issue.message;
    }
}

/** The key names an object schema accepts, nested: `{ trail: { mode: {}, ... }, ... }`. */
export interface KeyTree {
    readonly [key: string]: KeyTree;
}

function knownKeysAt(tree: KeyTree, path: readonly PropertyKey[]): string[] {
    let cur: KeyTree = tree;
    for (const seg of path) {
        if (typeof seg === "number") continue;
        cur = cur[String(seg)] ?? {};
    }
    return Object.keys(cur);
}

/** The known key closest to a misspelled one (edit distance at most 2), if any. */
export function nearest(key: string, known: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = 3;
    for (const k of known) {
        const d = editDistance(key.toLowerCase(), k.toLowerCase());
        if (d < bestDistance) [best, bestDistance] = [k, d];
    }
    return best;
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diag = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const next = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
            diag = row[j];
            row[j] = next;
        }
    }
    return row[b.length];
}

/** Walks a zod schema and lists the keys each object level accepts (through defaults, optionals, arrays). */
export function keyTreeOf(schema: z.core.$ZodType): KeyTree {
    const def = schema._zod.def as z.core.$ZodTypeDef & { innerType?: z.core.$ZodType; element?: z.core.$ZodType; in?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType> };
    switch (def.type) {
        case "object": {
            const out: Record<string, KeyTree> = {};
            for (const [k, v] of Object.entries(def.shape ?? {})) out[k] = keyTreeOf(v);
            return out;
        }
        case "default":
        case "optional":
        case "nullable":
        case "prefault":
            return def.innerType ? keyTreeOf(def.innerType) : {};
        case "array":
            return def.element ? keyTreeOf(def.element) : {};
        case "pipe": {
            // A preprocessed schema is a pipe from a transform to the schema proper.
            const pipe = def as unknown as { in?: z.core.$ZodType; out?: z.core.$ZodType };
            const source = pipe.in?._zod.def.type === "transform" ? pipe.out : pipe.in;
            return source ? keyTreeOf(source) : {};
        }
        default:
            return {};
    }
}
