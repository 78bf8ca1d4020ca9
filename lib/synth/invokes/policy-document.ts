import { crc32 } from "zlib";

/**
 * `aws.iam.getPolicyDocument` rendered as the AWS provider renders it. @pulumi/aws bridges the
 * Terraform AWS provider, so the JSON is that of its `aws_iam_policy_document` data source
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document):
 *
 * - document keys in the order Version, Id, Statement; statement keys Sid, Effect, Action,
 *   NotAction, Resource, NotResource, Principal, NotPrincipal, Condition; empty ones left out;
 * - `actions`, `resources` (and their `not` forms) and principal identifiers are sets: one element
 *   is written as a string, several as a list sorted in descending byte order;
 * - principals of one type are merged into one key, blocks in the set's order (below); a single
 *   `{ type: "*", identifiers: ["*"] }` is written `"*"`;
 * - condition values keep their order; one value is written as a string; blocks with the same test
 *   and variable are merged;
 * - `&{` becomes `${` in resources, principals and condition values (IAM policy variables);
 * - `sourcePolicyDocuments` first (a duplicate Sid among them is an error), then the statements,
 *   then `overridePolicyDocuments`; a statement whose Sid is already present replaces it in place;
 * - JSON as Go's `encoding/json` writes it (two-space indent, `<`, `>`, `&` escaped); `id` is the
 *   CRC-32 of the JSON, as the provider's string hash code.
 *
 * Blocks of a set (principals, conditions) come in the order of their hash codes, as the Terraform
 * plugin SDK lists a set: the decimal hash codes (CRC-32 of the block's hash serialization) sorted
 * as strings. That order decides how principals of one type are merged.
 */

export interface PolicyDocumentArgs {
    readonly statements?: readonly StatementArgs[];
    readonly sourcePolicyDocuments?: readonly (string | null | undefined)[];
    readonly overridePolicyDocuments?: readonly (string | null | undefined)[];
    readonly policyId?: string;
    readonly version?: string;
}

export interface StatementArgs {
    readonly sid?: string;
    readonly effect?: string;
    readonly actions?: readonly string[];
    readonly notActions?: readonly string[];
    readonly resources?: readonly string[];
    readonly notResources?: readonly string[];
    readonly principals?: readonly PrincipalArgs[];
    readonly notPrincipals?: readonly PrincipalArgs[];
    readonly conditions?: readonly ConditionArgs[];
}

export interface PrincipalArgs {
    readonly type: string;
    readonly identifiers: readonly string[];
}

export interface ConditionArgs {
    readonly test: string;
    readonly variable: string;
    readonly values: readonly string[];
}

export interface RenderedPolicyDocument {
    readonly json: string;
    readonly minifiedJson: string;
    readonly id: string;
}

/** A policy error the provider reports (duplicate Sid, `&{` in a 2008-10-17 document, invalid JSON). */
export class PolicyDocumentError extends Error {
    constructor(message: string) {
        super(`aws.iam.getPolicyDocument: ${message}`);
        this.name = "PolicyDocumentError";
    }
}

type StringOrList = string | readonly string[];

interface Principal {
    readonly type: string;
    readonly identifiers: StringOrList;
}

interface Condition {
    readonly test: string;
    readonly variable: string;
    readonly values: StringOrList;
}

interface Statement {
    sid: string;
    effect: string;
    actions?: unknown;
    notActions?: unknown;
    resources?: unknown;
    notResources?: unknown;
    principals?: readonly Principal[];
    notPrincipals?: readonly Principal[];
    conditions?: readonly Condition[];
}

interface Doc {
    version: string;
    id: string;
    statements: Statement[];
}

/** The provider's string hash code: CRC-32 (IEEE) of the UTF-8 bytes, as a non-negative integer. */
export function stringHashcode(s: string): number {
    return crc32(Buffer.from(s, "utf8")) >>> 0;
}

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** A set of strings as the provider writes it: the element itself, or the distinct elements in descending byte order. */
function decodeStringSet(values: readonly string[]): StringOrList {
    const distinct = [...new Set(values)];
    return distinct.length === 1 ? distinct[0] : distinct.sort(byteOrder).reverse();
}

/** Elements of a set in the plugin SDK's order: by decimal hash code, compared as strings. */
function setOrder<T>(items: readonly T[], serialize: (item: T) => string): T[] {
    const byCode = new Map<string, T>();
    for (const item of items) byCode.set(String(stringHashcode(serialize(item))), item);
    return [...byCode.keys()].sort().map((k) => byCode.get(k) as T);
}

/** Hash serialization of a string set (`{a;b;};`), its elements in set order. */
function serializeStringSet(values: readonly string[]): string {
    return `{${setOrder([...new Set(values)], (v) => `${v};`).map((v) => `${v};`).join("")}};`;
}

function replaceVariables(value: StringOrList, version: string): StringOrList {
    const one = (v: string): string => {
        if (version === "2008-10-17" && v.includes("&{")) {
            throw new PolicyDocumentError(`found &{ sequence in (${v}), which is not supported in document version 2008-10-17`);
        }
        return v.split("&{").join("${");
    };
    return typeof value === "string" ? one(value) : value.map(one);
}

function principalsOf(blocks: readonly PrincipalArgs[] | undefined, version: string): Principal[] | undefined {
    if (!blocks || blocks.length === 0) return undefined;
    const ordered = setOrder(blocks, (p) => `identifiers:${serializeStringSet(p.identifiers ?? [])}type:${p.type};`);
    return ordered.map((p) => ({ type: p.type, identifiers: replaceVariables(decodeStringSet(p.identifiers ?? []), version) }));
}

function conditionsOf(blocks: readonly ConditionArgs[] | undefined, version: string): Condition[] | undefined {
    if (!blocks || blocks.length === 0) return undefined;
    const ordered = setOrder(blocks, (c) => `test:${c.test};values:(${(c.values ?? []).map((v) => `${v};`).join("")});variable:${c.variable};`);
    return ordered.map((c) => {
        const values = replaceVariables([...(c.values ?? [])], version) as string[];
        return { test: c.test, variable: c.variable, values: values.length === 1 ? values[0] : values };
    });
}

function setOrUndefined(values: readonly string[] | undefined): StringOrList | undefined {
    return values && values.length > 0 ? decodeStringSet(values) : undefined;
}

function statementOf(s: StatementArgs, version: string): Statement {
    const resources = setOrUndefined(s.resources);
    const notResources = setOrUndefined(s.notResources);
    return {
        sid: s.sid ?? "",
        effect: s.effect ?? "Allow",
        actions: setOrUndefined(s.actions),
        notActions: setOrUndefined(s.notActions),
        resources: resources === undefined ? undefined : replaceVariables(resources, version),
        notResources: notResources === undefined ? undefined : replaceVariables(notResources, version),
        principals: principalsOf(s.principals, version),
        notPrincipals: principalsOf(s.notPrincipals, version),
        conditions: conditionsOf(s.conditions, version),
    };
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Go's `encoding/json` field matching is case-insensitive: the value of `key` in any case. */
function field(obj: Record<string, unknown>, key: string): unknown {
    const lower = key.toLowerCase();
    const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
    return found === undefined ? undefined : obj[found];
}

/** Principals of a JSON statement as the provider reads them back. */
function parsedPrincipals(value: unknown, where: string): Principal[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return [{ type: "*", identifiers: ["*"] }];
    if (!isRecord(value)) throw new PolicyDocumentError(`${where}: unsupported principal ${JSON.stringify(value)}`);
    return Object.entries(value).map(([type, ids]) => {
        if (typeof ids === "string") return { type, identifiers: ids };
        if (Array.isArray(ids) && ids.every((i): i is string => typeof i === "string")) return { type, identifiers: [...ids].sort(byteOrder) };
        throw new PolicyDocumentError(`${where}: principal identifiers of ${type} must be strings`);
    });
}

/** Conditions of a JSON statement as the provider reads them back: booleans become strings, numbers are dropped. */
function parsedConditions(value: unknown): Condition[] | undefined {
    if (!isRecord(value)) return undefined;
    const out: Condition[] = [];
    for (const [test, vars] of Object.entries(value)) {
        if (!isRecord(vars)) continue;
        for (const [variable, values] of Object.entries(vars)) {
            if (typeof values === "string") out.push({ test, variable, values: [values] });
            else if (typeof values === "boolean") out.push({ test, variable, values: String(values) });
            else if (Array.isArray(values)) out.push({ test, variable, values: values.map(String) });
        }
    }
    return out;
}

function parseDocument(text: string, where: string): Doc {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw new PolicyDocumentError(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!isRecord(parsed)) throw new PolicyDocumentError(`${where}: not a JSON object`);
    const rawStatements = field(parsed, "Statement");
    const list = Array.isArray(rawStatements) ? rawStatements : rawStatements === undefined || rawStatements === null ? [] : [rawStatements];
    return {
        version: typeof field(parsed, "Version") === "string" ? (field(parsed, "Version") as string) : "",
        id: typeof field(parsed, "Id") === "string" ? (field(parsed, "Id") as string) : "",
        statements: list.filter(isRecord).map((s) => ({
            sid: typeof field(s, "Sid") === "string" ? (field(s, "Sid") as string) : "",
            effect: typeof field(s, "Effect") === "string" ? (field(s, "Effect") as string) : "",
            actions: field(s, "Action") ?? undefined,
            notActions: field(s, "NotAction") ?? undefined,
            resources: field(s, "Resource") ?? undefined,
            notResources: field(s, "NotResource") ?? undefined,
            principals: parsedPrincipals(field(s, "Principal"), where),
            notPrincipals: parsedPrincipals(field(s, "NotPrincipal"), where),
            conditions: parsedConditions(field(s, "Condition")),
        })),
    };
}

function merge(into: Doc, next: Doc): void {
    if (next.id.length > 0) into.id = next.id;
    if (next.version > into.version) into.version = next.version;
    for (const st of next.statements) {
        const at = st.sid === "" ? -1 : into.statements.findIndex((e) => e.sid === st.sid);
        if (at >= 0) into.statements[at] = st;
        else into.statements.push(st);
    }
}

/** An ordered JSON object (keys in insertion order, whatever they look like). */
type Ordered = { readonly entries: ReadonlyArray<readonly [string, Json]> };
type Json = string | number | boolean | null | readonly Json[] | Ordered;

function isOrdered(v: Json): v is Ordered {
    return typeof v === "object" && v !== null && !Array.isArray(v) && "entries" in (v as object);
}

function principalJson(ps: readonly Principal[]): Json {
    if (ps.length === 1 && ps[0].type === "*") {
        const ids = ps[0].identifiers;
        if (ids === "*" || (Array.isArray(ids) && ids.length === 1 && ids[0] === "*")) return "*";
    }
    const byType = new Map<string, string | string[]>();
    for (const p of ps) {
        const prev = byType.get(p.type);
        if (typeof p.identifiers === "string") {
            byType.set(p.type, prev === undefined ? p.identifiers : typeof prev === "string" ? [prev, p.identifiers] : [...prev, p.identifiers]);
        } else {
            const ids = [...p.identifiers].sort(byteOrder).reverse();
            byType.set(p.type, prev === undefined ? ids : typeof prev === "string" ? [prev, ...ids] : [...prev, ...ids]);
        }
    }
    return { entries: [...byType.keys()].sort(byteOrder).map((k) => [k, byType.get(k) as Json] as const) };
}

function conditionJson(cs: readonly Condition[]): Json {
    const byTest = new Map<string, Map<string, string[]>>();
    for (const c of cs) {
        const vars = byTest.get(c.test) ?? new Map<string, string[]>();
        byTest.set(c.test, vars);
        const values = vars.get(c.variable) ?? [];
        vars.set(c.variable, [...values, ...(typeof c.values === "string" ? [c.values] : c.values)]);
    }
    return {
        entries: [...byTest.keys()].sort(byteOrder).map((test) => {
            const vars = byTest.get(test) as Map<string, string[]>;
            return [test, { entries: [...vars.keys()].sort(byteOrder).map((v) => [v, vars.get(v)?.length === 1 ? (vars.get(v) as string[])[0] : (vars.get(v) as string[])] as const) }] as const;
        }),
    };
}

/** A value kept as the document held it (`Action` of a source document may be a string or a list). */
function asJson(v: unknown): Json | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
    if (Array.isArray(v)) return v.length === 0 ? undefined : (v.map((x) => asJson(x) ?? null) as Json[]);
    if (isRecord(v)) return { entries: Object.keys(v).sort(byteOrder).map((k) => [k, asJson(v[k]) ?? null] as const) };
    return undefined;
}

function statementJson(s: Statement): Json {
    const entries: Array<readonly [string, Json]> = [];
    const put = (k: string, v: Json | undefined): void => {
        if (v !== undefined && v !== "") entries.push([k, v]);
    };
    put("Sid", s.sid);
    put("Effect", s.effect);
    put("Action", asJson(s.actions));
    put("NotAction", asJson(s.notActions));
    put("Resource", asJson(s.resources));
    put("NotResource", asJson(s.notResources));
    if (s.principals && s.principals.length > 0) put("Principal", principalJson(s.principals));
    if (s.notPrincipals && s.notPrincipals.length > 0) put("NotPrincipal", principalJson(s.notPrincipals));
    if (s.conditions && s.conditions.length > 0) put("Condition", conditionJson(s.conditions));
    return { entries };
}

/** A string as Go's encoding/json writes it: JSON escapes plus `<`, `>`, `&`, U+2028 and U+2029 as \u escapes. */
function goString(s: string): string {
    return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Go's `json.MarshalIndent(v, "", "  ")` (indent "") or `json.Marshal(v)` (indent undefined). */
function goJson(v: Json, indent: string | undefined, level = 0): string {
    const nl = indent === undefined ? "" : `\n${indent.repeat(level + 1)}`;
    const end = indent === undefined ? "" : `\n${indent.repeat(level)}`;
    const sep = indent === undefined ? ":" : ": ";
    if (typeof v === "string") return goString(v);
    if (typeof v === "number" || typeof v === "boolean" || v === null) return JSON.stringify(v);
    if (isOrdered(v)) {
        if (v.entries.length === 0) return "{}";
        return `{${v.entries.map(([k, x]) => `${nl}${goString(k)}${sep}${goJson(x, indent, level + 1)}`).join(",")}${end}}`;
    }
    const list = v as readonly Json[];
    if (list.length === 0) return "[]";
    return `[${list.map((x) => `${nl}${goJson(x, indent, level + 1)}`).join(",")}${end}]`;
}

/** Renders the document the arguments describe, as the provider's data source does. */
export function renderPolicyDocument(args: PolicyDocumentArgs): RenderedPolicyDocument {
    const merged: Doc = { version: "", id: "", statements: [] };
    const sids = new Set<string>();
    (args.sourcePolicyDocuments ?? []).forEach((text, i) => {
        if (text === undefined || text === null || text === "") return;
        const doc = parseDocument(text, `merging source document ${i}`);
        doc.statements.forEach((st, j) => {
            if (st.sid === "") return;
            if (sids.has(st.sid)) {
                throw new PolicyDocumentError(
                    `merging source document ${i}: duplicate Sid (${st.sid}) in source_policy_documents (statement ${j}). Remove the Sid or ensure Sids are unique.`,
                );
            }
            sids.add(st.sid);
        });
        merge(merged, doc);
    });
    const version = args.version ?? "2012-10-17";
    const own: Doc = { version, id: args.policyId ?? "", statements: [] };
    const ownSids = new Set<string>();
    for (const s of args.statements ?? []) {
        const sid = s.sid ?? "";
        if (sid !== "" && ownSids.has(sid)) {
            throw new PolicyDocumentError(`duplicate Sid (${sid}). Remove the Sid or ensure the Sid is unique.`);
        }
        if (sid !== "") ownSids.add(sid);
        own.statements.push(statementOf(s, version));
    }
    merge(merged, own);
    (args.overridePolicyDocuments ?? []).forEach((text, i) => {
        if (text === undefined || text === null || text === "") return;
        merge(merged, parseDocument(text, `merging override document ${i}`));
    });
    const docEntries: Array<readonly [string, Json]> = [];
    if (merged.version !== "") docEntries.push(["Version", merged.version]);
    if (merged.id !== "") docEntries.push(["Id", merged.id]);
    if (merged.statements.length > 0) docEntries.push(["Statement", merged.statements.map(statementJson)]);
    const doc: Json = { entries: docEntries };
    const json = goJson(doc, "  ");
    return { json, minifiedJson: goJson(doc, undefined), id: String(stringHashcode(json)) };
}
