/**
 * Evaluator for parsed CloudWatch Logs filter patterns. Pure functions, no I/O.
 *
 * Semantics follow the AWS guide
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html); where it is
 * silent, the choices below are made and pinned by tests (see `lib/pattern/README.md`):
 *
 * - A comparison (`=`, `!=`, `<`, ...) applies only when the selector reaches a value node, a JSON
 *   string or number. On a missing field, `null`, a boolean, an object or an array it is false,
 *   for `!=` too. The guide states this for objects and arrays ("both {$.users = 1} and
 *   {$.users != 1} will fail to match a log event where users is an array"); for a missing field it
 *   was observed with the CloudWatch console's pattern test (github.com/DataBiosphere/azul issue
 *   #5884: `$.userIdentity.invokedBy != "cloudfront.amazonaws.com"` does not match a record without
 *   `invokedBy`).
 * - `=` / `!=` on a string: exact, case-sensitive comparison with the literal text; `*` as the first
 *   and/or last character of the literal is a wildcard, anywhere else it is a literal asterisk.
 * - `=` / `!=` on a number: numeric equality when the literal is a number without wildcards,
 *   otherwise the literal is matched against the number's JSON text (`4*` matches 404).
 * - `<`, `<=`, `>`, `>=`: on a JSON number, or on a string whose whole text is a number in the
 *   guide's forms; false otherwise.
 * - `IS NULL`: the field is present and `null`. `NOT EXISTS`: the field is absent (also when a parent
 *   on the path is absent or is not an object/array). `IS TRUE` / `IS FALSE`: the JSON boolean.
 * - A JSON pattern does not match an event that is not a JSON object.
 * - Term patterns search the event message as a case-sensitive substring; for a parsed record the
 *   message is its compact JSON text (`JSON.stringify`), the form CloudTrail delivers to
 *   CloudWatch Logs. `matchesMessage` takes the raw message instead.
 */
import { Comparison, JsonExpression, Literal, Pattern, SelectorStep, TermGroup } from "./ast";
import { isNumberLiteral, parsePattern } from "./parser";

/** A compiled pattern: call it with a parsed JSON record. */
export interface CompiledPattern {
    (record: unknown): boolean;
    /** The pattern text it was compiled from. */
    readonly text: string;
    /** The parsed pattern. */
    readonly pattern: Pattern;
    /** Evaluates against a raw event message (JSON patterns parse it; non-JSON never matches them). */
    matchesMessage(message: string): boolean;
}

type Predicate = (root: unknown) => boolean;

const compiled = new WeakMap<Pattern, { onRecord: Predicate; onMessage: (m: string) => boolean }>();

/** True when the parsed JSON `record` matches `pattern` (see the module comment for the semantics). */
export function matches(pattern: Pattern, record: unknown): boolean {
    return compileAst(pattern).onRecord(record);
}

/** True when the raw event `message` matches `pattern`, as CloudWatch Logs evaluates an ingested event. */
export function matchesMessage(pattern: Pattern, message: string): boolean {
    return compileAst(pattern).onMessage(message);
}

/** Parses `text` (throwing `PatternSyntaxError` when invalid) and returns a fast predicate. */
export function compilePattern(text: string): CompiledPattern {
    const pattern = parsePattern(text);
    const { onRecord, onMessage } = compileAst(pattern);
    const fn = (record: unknown): boolean => onRecord(record);
    return Object.assign(fn, { text, pattern, matchesMessage: onMessage });
}

function compileAst(pattern: Pattern): { onRecord: Predicate; onMessage: (m: string) => boolean } {
    const cached = compiled.get(pattern);
    if (cached) {
        return cached;
    }
    let result: { onRecord: Predicate; onMessage: (m: string) => boolean };
    switch (pattern.kind) {
        case "matchAll":
            result = { onRecord: () => true, onMessage: () => true };
            break;
        case "terms": {
            const onMessage = compileTerms(pattern.groups);
            result = { onRecord: (record) => onMessage(messageOf(record)), onMessage };
            break;
        }
        case "json": {
            const expr = compileExpression(pattern.expression);
            const onRecord: Predicate = (record) => isObject(record) && expr(record);
            const onMessage = (message: string): boolean => {
                let parsed: unknown;
                try {
                    parsed = JSON.parse(message);
                } catch {
                    return false;
                }
                return onRecord(parsed);
            };
            result = { onRecord, onMessage };
            break;
        }
    }
    compiled.set(pattern, result);
    return result;
}

function messageOf(record: unknown): string {
    if (typeof record === "string") {
        return record;
    }
    return JSON.stringify(record) ?? "";
}

function compileTerms(groups: readonly TermGroup[]): (message: string) => boolean {
    return (message) =>
        groups.some(
            (g) => g.include.every((t) => message.includes(t.text)) && !g.exclude.some((t) => message.includes(t.text)),
        );
}

function compileExpression(expr: JsonExpression): Predicate {
    switch (expr.kind) {
        case "and": {
            const parts = expr.operands.map(compileExpression);
            return (root) => parts.every((p) => p(root));
        }
        case "or": {
            const parts = expr.operands.map(compileExpression);
            return (root) => parts.some((p) => p(root));
        }
        case "isNull": {
            const get = compileSelector(expr.selector.steps);
            return (root) => {
                const r = get(root);
                return r.found && r.value === null;
            };
        }
        case "notExists": {
            const get = compileSelector(expr.selector.steps);
            return (root) => !get(root).found;
        }
        case "isTrue": {
            const get = compileSelector(expr.selector.steps);
            return (root) => {
                const r = get(root);
                return r.found && r.value === true;
            };
        }
        case "isFalse": {
            const get = compileSelector(expr.selector.steps);
            return (root) => {
                const r = get(root);
                return r.found && r.value === false;
            };
        }
        case "compare":
            return compileComparison(expr);
    }
}

type Lookup = { readonly found: false } | { readonly found: true; readonly value: unknown };
const MISSING: Lookup = { found: false };

function compileSelector(steps: readonly SelectorStep[]): (root: unknown) => Lookup {
    return (root) => {
        let current: unknown = root;
        for (const step of steps) {
            if (step.kind === "property") {
                if (!isObject(current) || !Object.prototype.hasOwnProperty.call(current, step.name)) {
                    return MISSING;
                }
                current = current[step.name];
            } else {
                if (!Array.isArray(current) || step.index >= current.length) {
                    return MISSING;
                }
                current = current[step.index];
            }
        }
        return { found: true, value: current };
    };
}

function compileComparison(expr: Comparison): Predicate {
    const get = compileSelector(expr.selector.steps);
    const { operator, value: literal } = expr;
    const textMatches = wildcardMatcher(literal);
    const equals = (v: string | number): boolean => {
        if (typeof v === "string") {
            return textMatches(v);
        }
        if (literal.number !== undefined && !literal.leadingWildcard && !literal.trailingWildcard) {
            return v === literal.number;
        }
        return textMatches(JSON.stringify(v));
    };
    const order = orderingTest(operator, literal.number);
    return (root) => {
        const r = get(root);
        if (!r.found) {
            return false;
        }
        const v = r.value;
        if (typeof v !== "string" && !(typeof v === "number" && Number.isFinite(v))) {
            return false;
        }
        switch (operator) {
            case "=":
                return equals(v);
            case "!=":
                return !equals(v);
            default: {
                const n = typeof v === "number" ? v : isNumberLiteral(v) ? Number(v) : undefined;
                return n !== undefined && order(n);
            }
        }
    };
}

function orderingTest(operator: Comparison["operator"], bound: number | undefined): (n: number) => boolean {
    if (bound === undefined) {
        return () => false;
    }
    switch (operator) {
        case "<":
            return (n) => n < bound;
        case "<=":
            return (n) => n <= bound;
        case ">":
            return (n) => n > bound;
        case ">=":
            return (n) => n >= bound;
        default:
            return () => false;
    }
}

function wildcardMatcher(literal: Literal): (s: string) => boolean {
    const { core, leadingWildcard, trailingWildcard } = literal;
    if (leadingWildcard && trailingWildcard) {
        return (s) => s.includes(core);
    }
    if (leadingWildcard) {
        return (s) => s.endsWith(core);
    }
    if (trailingWildcard) {
        return (s) => s.startsWith(core);
    }
    return (s) => s === core;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
