/**
 * Parser for CloudWatch Logs filter patterns (metric filters, subscription filters, FilterLogEvents).
 *
 * Follows the AWS CloudWatch Logs user guide, "Filter pattern syntax for metric filters,
 * subscription filters, filter log events, and Live Tail":
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 * (text of the guide as archived in github.com/awsdocs/amazon-cloudwatch-logs-user-guide,
 * doc_source/FilterAndPatternSyntax.md, commit 5ae5c9aeccbdc909d7549b9260291ce7ed2a92f3).
 *
 * Grammar accepted here (`lib/pattern/README.md` lists every choice made where the guide is silent):
 *
 * ```
 * pattern    := ws* ( <empty> | json | terms )
 * json       := '{' or '}'                                   -- nothing but whitespace may follow '}'
 * or         := and ( '||' and )*                            -- precedence () > && > ||
 * and        := unary ( '&&' unary )*
 * unary      := '(' or ')' | condition
 * condition  := selector ( op value | 'IS NULL' | 'IS TRUE' | 'IS FALSE' | 'NOT EXISTS' )
 * selector   := '$' '.' name ( '.' name | '[' digits ']' )*  -- name: letters, digits, '-', '_'
 * op         := '=' | '!=' | '<' | '<=' | '>' | '>='         -- '<' '<=' '>' '>=' need a NUMBER
 * value      := '"' chars '"' | bare                         -- bare: letters, digits, '_', '-', '.', '*', '+'
 * NUMBER     := [+-]? digits ( '.' digits )? ( 'e' [+-]? digits )?
 * terms      := ( ws* [?-]? ws* ( '"' chars '"' | [A-Za-z0-9_]+ ) )*
 * ```
 *
 * Space-delimited patterns (`[ip, user, ...]`) and regular expressions (`%...%`) are documented by
 * AWS but not evaluated by this engine: they are rejected with an "unsupported" PatternSyntaxError
 * rather than evaluated by guesswork.
 */
import {
    ComparisonOperator,
    JsonExpression,
    JsonPattern,
    Literal,
    Pattern,
    Selector,
    SelectorStep,
    Term,
    TermGroup,
    TermPattern,
} from "./ast";
import { PatternSyntaxError } from "./errors";

/** Number forms of the guide: integer or decimal, optional sign, optional `e` exponent. */
const NUMBER = /^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/;
const NAME_CHAR = /[A-Za-z0-9_-]/;
const BARE_VALUE_CHAR = /[A-Za-z0-9_.*+-]/;
const TERM_CHAR = /[A-Za-z0-9_]/;
const WS = /\s/;

const VALUE_EXPECTED =
    "a value: a double-quoted string, a word of letters, digits, '_', '-', '.' or '*', or a number";
const CONDITION_EXPECTED = "a property selector starting with '$', or '('";
const OPERATOR_EXPECTED = "a comparison operator (=, !=, <, <=, >, >=) or IS NULL, IS TRUE, IS FALSE, NOT EXISTS";

/** Parses a filter pattern; throws `PatternSyntaxError` with a 1-based position on invalid input. */
export function parsePattern(text: string): Pattern {
    return new Parser(text).parse();
}

/** True when `text` is written in one of the number forms the guide allows. */
export function isNumberLiteral(text: string): boolean {
    return NUMBER.test(text);
}

class Parser {
    private pos = 0;

    constructor(private readonly text: string) {}

    public parse(): Pattern {
        this.skipWs();
        if (this.atEnd()) {
            return { kind: "matchAll" };
        }
        const c = this.peek();
        if (c === "{") {
            return this.parseJson();
        }
        if (c === "[") {
            throw this.unsupported("space-delimited patterns ('[field, ...]') are not evaluated by this engine");
        }
        if (c === "%") {
            throw this.unsupported("regular expression patterns ('%...%') are not evaluated by this engine");
        }
        return this.parseTerms();
    }

    // ---------------------------------------------------------------- JSON patterns

    private parseJson(): JsonPattern {
        this.pos++; // '{'
        const expression = this.parseOr();
        this.skipWs();
        if (this.peek() !== "}") {
            throw this.fail("'&&', '||' or '}'");
        }
        this.pos++;
        this.skipWs();
        if (!this.atEnd()) {
            throw this.fail("end of pattern after the closing '}'");
        }
        return { kind: "json", expression };
    }

    private parseOr(): JsonExpression {
        this.skipWs();
        const position = this.pos + 1;
        const operands = [this.parseAnd()];
        for (;;) {
            this.skipWs();
            if (!this.text.startsWith("||", this.pos)) {
                break;
            }
            this.pos += 2;
            operands.push(this.parseAnd());
        }
        return operands.length === 1 ? operands[0] : { kind: "or", operands, position };
    }

    private parseAnd(): JsonExpression {
        this.skipWs();
        const position = this.pos + 1;
        const operands = [this.parseUnary()];
        for (;;) {
            this.skipWs();
            if (!this.text.startsWith("&&", this.pos)) {
                break;
            }
            this.pos += 2;
            operands.push(this.parseUnary());
        }
        return operands.length === 1 ? operands[0] : { kind: "and", operands, position };
    }

    private parseUnary(): JsonExpression {
        this.skipWs();
        const c = this.peek();
        if (c === "(") {
            this.pos++;
            const inner = this.parseOr();
            this.skipWs();
            if (this.peek() !== ")") {
                throw this.fail("'&&', '||' or ')'");
            }
            this.pos++;
            return inner;
        }
        if (c === "$") {
            return this.parseCondition();
        }
        throw this.fail(CONDITION_EXPECTED);
    }

    private parseCondition(): JsonExpression {
        const position = this.pos + 1;
        const selector = this.parseSelector();
        this.skipWs();
        const keyword = this.parseKeywordPredicate();
        if (keyword) {
            return { kind: keyword, selector, position };
        }
        const operator = this.parseOperator();
        this.skipWs();
        const value = this.parseValue();
        if (operator !== "=" && operator !== "!=" && value.number === undefined) {
            throw new PatternSyntaxError(
                value.position,
                `a number after '${operator}' (integer, decimal or scientific notation such as 10e3, unquoted)`,
                JSON.stringify(value.quoted ? `"${value.text}"` : value.text),
            );
        }
        return { kind: "compare", selector, operator, value, position };
    }

    private parseSelector(): Selector {
        const start = this.pos;
        this.pos++; // '$'
        const steps: SelectorStep[] = [];
        if (this.peek() !== ".") {
            throw this.fail("'.' and a property name after '$' (array indexes must follow a property)");
        }
        for (;;) {
            const c = this.peek();
            if (c === ".") {
                this.pos++;
                const nameStart = this.pos;
                while (!this.atEnd() && NAME_CHAR.test(this.peek())) {
                    this.pos++;
                }
                if (this.pos === nameStart) {
                    throw this.fail("a property name (letters, digits, '-' or '_')");
                }
                steps.push({ kind: "property", name: this.text.slice(nameStart, this.pos) });
            } else if (c === "[") {
                this.pos++;
                if (this.peek() === "*") {
                    throw this.unsupported(
                        "the array wildcard '[*]' is not part of the documented selector syntax; use an index such as [0]",
                    );
                }
                const digitsStart = this.pos;
                while (!this.atEnd() && /\d/.test(this.peek())) {
                    this.pos++;
                }
                if (this.pos === digitsStart) {
                    throw this.fail("an array index (digits) after '['");
                }
                const index = Number(this.text.slice(digitsStart, this.pos));
                if (this.peek() !== "]") {
                    throw this.fail("']' to close the array index");
                }
                this.pos++;
                steps.push({ kind: "index", index });
            } else {
                break;
            }
        }
        return { text: this.text.slice(start, this.pos), steps, position: start + 1 };
    }

    /** `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS` (upper case, as in the guide). */
    private parseKeywordPredicate(): "isNull" | "isTrue" | "isFalse" | "notExists" | undefined {
        if (this.peekWord() === "IS") {
            this.pos += 2;
            this.skipWs();
            const word = this.peekWord();
            const kind = word === "NULL" ? "isNull" : word === "TRUE" ? "isTrue" : word === "FALSE" ? "isFalse" : undefined;
            if (!kind) {
                throw this.fail("NULL, TRUE or FALSE after IS");
            }
            this.pos += word.length;
            return kind;
        }
        if (this.peekWord() === "NOT") {
            this.pos += 3;
            this.skipWs();
            if (this.peekWord() !== "EXISTS") {
                throw this.fail("EXISTS after NOT");
            }
            this.pos += "EXISTS".length;
            return "notExists";
        }
        return undefined;
    }

    private parseOperator(): ComparisonOperator {
        for (const op of ["!=", "<=", ">=", "=", "<", ">"] as const) {
            if (this.text.startsWith(op, this.pos)) {
                this.pos += op.length;
                return op;
            }
        }
        throw this.fail(OPERATOR_EXPECTED);
    }

    private parseValue(): Literal {
        const start = this.pos;
        const c = this.peek();
        if (c === '"') {
            const { text, escaped } = this.parseQuoted();
            return makeLiteral(text, true, start + 1, escaped);
        }
        if (c === "%") {
            throw this.unsupported("regular expression values ('%...%') are not evaluated by this engine");
        }
        while (!this.atEnd() && BARE_VALUE_CHAR.test(this.peek())) {
            this.pos++;
        }
        if (this.pos === start) {
            throw this.fail(VALUE_EXPECTED);
        }
        return makeLiteral(this.text.slice(start, this.pos), false, start + 1, []);
    }

    /**
     * A double-quoted string. A backslash makes the next character literal (`\"`, `\\`, `\*`), the
     * quoting AWS CDK's `FilterPattern` applies. Returns the text and which characters were escaped.
     */
    private parseQuoted(): { text: string; escaped: boolean[] } {
        const open = this.pos;
        this.pos++;
        let text = "";
        const escaped: boolean[] = [];
        for (;;) {
            if (this.atEnd()) {
                throw this.fail(`'"' to close the string opened at position ${open + 1}`);
            }
            const c = this.peek();
            if (c === '"') {
                this.pos++;
                return { text, escaped };
            }
            if (c === "\\") {
                this.pos++;
                if (this.atEnd()) {
                    throw this.fail("a character after '\\'");
                }
                text += this.peek();
                escaped.push(true);
            } else {
                text += c;
                escaped.push(false);
            }
            this.pos++;
        }
    }

    // ---------------------------------------------------------------- term patterns

    private parseTerms(): TermPattern {
        const groups: TermGroup[] = [];
        let include: Term[] = [];
        let exclude: Term[] = [];
        const flush = (): void => {
            if (include.length > 0 || exclude.length > 0) {
                groups.push({ include, exclude });
            }
            include = [];
            exclude = [];
        };
        for (;;) {
            this.skipWs();
            if (this.atEnd()) {
                break;
            }
            const position = this.pos + 1;
            let prefix: "?" | "-" | undefined;
            if (this.peek() === "?" || this.peek() === "-") {
                prefix = this.peek() as "?" | "-";
                this.pos++;
                // The guide writes `"ERROR" - "Exiting"`: whitespace may separate the prefix from its term.
                this.skipWs();
                if (this.atEnd()) {
                    throw this.fail(`a term after '${prefix}'`);
                }
            }
            const term = this.parseTerm(position);
            if (prefix === "?") {
                flush();
                include.push(term);
            } else if (prefix === "-") {
                exclude.push(term);
            } else {
                include.push(term);
            }
            if (!this.atEnd() && !WS.test(this.peek())) {
                throw this.fail("whitespace between terms");
            }
        }
        flush();
        return { kind: "terms", groups };
    }

    private parseTerm(position: number): Term {
        const c = this.peek();
        if (c === '"') {
            return { text: this.parseQuoted().text, quoted: true, position };
        }
        if (c === "%") {
            throw this.unsupported("regular expression terms ('%...%') are not evaluated by this engine");
        }
        const start = this.pos;
        while (!this.atEnd() && TERM_CHAR.test(this.peek())) {
            this.pos++;
        }
        if (this.pos === start) {
            throw this.fail(
                "a term: letters, digits or '_' (terms with other characters must be inside double quotes; " +
                    "'{' and '[' only open a JSON or space-delimited pattern at the start)",
            );
        }
        return { text: this.text.slice(start, this.pos), quoted: false, position };
    }

    // ---------------------------------------------------------------- helpers

    private atEnd(): boolean {
        return this.pos >= this.text.length;
    }

    private peek(): string {
        return this.text.charAt(this.pos);
    }

    /** The run of ASCII letters at the cursor. */
    private peekWord(): string {
        const m = /^[A-Za-z]+/.exec(this.text.slice(this.pos, this.pos + 16));
        return m ? m[0] : "";
    }

    private skipWs(): void {
        while (!this.atEnd() && WS.test(this.peek())) {
            this.pos++;
        }
    }

    private found(): string {
        if (this.atEnd()) {
            return "end of pattern";
        }
        const rest = this.text.slice(this.pos);
        const word = /^[A-Za-z0-9_]+/.exec(rest);
        const shown = word ? word[0] : rest.charAt(0);
        return JSON.stringify(shown.length > 20 ? `${shown.slice(0, 20)}…` : shown);
    }

    private fail(expected: string): PatternSyntaxError {
        return new PatternSyntaxError(this.pos + 1, expected, this.found());
    }

    private unsupported(what: string): PatternSyntaxError {
        return new PatternSyntaxError(this.pos + 1, what, this.found(), true);
    }
}

function makeLiteral(text: string, quoted: boolean, position: number, escaped: readonly boolean[]): Literal {
    // The guide: "*Event will match PutEvent ... Event* will match EventId ... Ev*ent will only match
    // the actual string Ev*ent": '*' is a wildcard only as the first or last character.
    const leadingWildcard = text.startsWith("*") && escaped[0] !== true;
    const trailingWildcard =
        text.length > (leadingWildcard ? 1 : 0) && text.endsWith("*") && escaped[text.length - 1] !== true;
    const core = text.slice(leadingWildcard ? 1 : 0, trailingWildcard ? text.length - 1 : text.length);
    const number = !quoted && NUMBER.test(text) ? Number(text) : undefined;
    return { text, quoted, number, leadingWildcard, trailingWildcard, core, position };
}
