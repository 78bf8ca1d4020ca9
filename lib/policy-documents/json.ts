import type { PolicyDocument } from "./types";

const DOCUMENT_KEYS = ["Version", "Id", "Statement"];
const STATEMENT_KEYS = ["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

function ordered(value: unknown, keyOrder?: readonly string[]): unknown {
    if (Array.isArray(value)) return value.map((v) => ordered(v));
    if (value === null || typeof value !== "object") return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    const rank = (k: string): number => (keyOrder?.includes(k) ? keyOrder.indexOf(k) : Number.MAX_SAFE_INTEGER);
    keys.sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = ordered(record[k]);
    return out;
}

/**
 * Serializes a policy document deterministically: document and statement keys in IAM's conventional order
 * (Version, Id, Statement; Sid, Effect, Principal, Action, Resource, Condition, …), every other object's keys
 * sorted, lists kept in order, `undefined` fields dropped. The same document always yields the same string,
 * so synthesized stacks diff cleanly. Compact unless `indent` is given.
 */
export function policyJson(doc: PolicyDocument, indent?: number): string {
    const normalized = ordered({ ...doc, Statement: undefined }, DOCUMENT_KEYS) as Record<string, unknown>;
    const statements = doc.Statement.map((s) => ordered(s, STATEMENT_KEYS));
    const withStatements: Record<string, unknown> = {};
    for (const k of DOCUMENT_KEYS) {
        if (k === "Statement") withStatements[k] = statements;
        else if (normalized[k] !== undefined) withStatements[k] = normalized[k];
    }
    return JSON.stringify(withStatements, null, indent);
}
