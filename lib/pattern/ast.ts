/**
 * Abstract syntax of CloudWatch Logs filter patterns, as produced by `parsePattern`.
 *
 * Every node carries `position`: the 1-based character offset of its first character in the
 * pattern text, so later checks (for example the catalogue tests) can point at the source.
 */

/** The empty pattern (or only whitespace): matches every log event. */
export interface MatchAllPattern {
    readonly kind: "matchAll";
}

/** One term of an unstructured (text) pattern. */
export interface Term {
    /** The text searched for (quotes removed, escapes resolved). Case-sensitive substring. */
    readonly text: string;
    /** True when the term was written in double quotes (an exact phrase). */
    readonly quoted: boolean;
    /** 1-based offset of the term (of its `?`/`-` prefix when there is one). */
    readonly position: number;
}

/**
 * A group of terms that must all be present (`include`) and all be absent (`exclude`).
 */
export interface TermGroup {
    readonly include: readonly Term[];
    readonly exclude: readonly Term[];
}

/**
 * Unstructured pattern: `ERROR Exception`, `"ERROR 401" -Exiting`, `?ERROR ?WARN`.
 * The event matches when at least one group matches. Without any `?` there is exactly one group.
 */
export interface TermPattern {
    readonly kind: "terms";
    readonly groups: readonly TermGroup[];
}

/** One step of a property selector: `.name` or `[index]`. */
export type SelectorStep =
    | { readonly kind: "property"; readonly name: string }
    | { readonly kind: "index"; readonly index: number };

/** A property selector such as `$.users[0].email`. */
export interface Selector {
    /** The selector as written, e.g. `$.users[0].email`. */
    readonly text: string;
    readonly steps: readonly SelectorStep[];
    readonly position: number;
}

/** The right-hand side of a comparison. */
export interface Literal {
    /** The value as it reads after quote removal (`"AccessDenied*"` → `AccessDenied*`). */
    readonly text: string;
    readonly quoted: boolean;
    /**
     * The numeric value when the literal is written in one of the number forms of the guide
     * (integer, decimal, scientific notation with `e`, optional sign); otherwise undefined.
     */
    readonly number: number | undefined;
    /** Wildcard shape: `*` is only a wildcard as the first and/or last character. */
    readonly leadingWildcard: boolean;
    readonly trailingWildcard: boolean;
    /** The literal text between the wildcards (the whole text when there is none). */
    readonly core: string;
    readonly position: number;
}

export type ComparisonOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

export interface Comparison {
    readonly kind: "compare";
    readonly selector: Selector;
    readonly operator: ComparisonOperator;
    readonly value: Literal;
    readonly position: number;
}

/** `IS NULL`, `NOT EXISTS`, `IS TRUE`, `IS FALSE`. */
export interface Predicate {
    readonly kind: "isNull" | "notExists" | "isTrue" | "isFalse";
    readonly selector: Selector;
    readonly position: number;
}

export interface Conjunction {
    readonly kind: "and";
    readonly operands: readonly JsonExpression[];
    readonly position: number;
}

export interface Disjunction {
    readonly kind: "or";
    readonly operands: readonly JsonExpression[];
    readonly position: number;
}

export type JsonExpression = Comparison | Predicate | Conjunction | Disjunction;

/** A JSON pattern: `{ <expression> }`. */
export interface JsonPattern {
    readonly kind: "json";
    readonly expression: JsonExpression;
}

export type Pattern = MatchAllPattern | TermPattern | JsonPattern;
