import { expect } from "chai";
import * as fc from "fast-check";
import { isPatternSyntaxError, parsePattern, PatternSyntaxError } from "../../../lib/pattern";

/** Asserts that `text` is rejected at `position` (1-based) with a message naming `expected`. */
function rejects(text: string, position: number, expected: string | RegExp, unsupported = false): PatternSyntaxError {
    let caught: unknown;
    try {
        parsePattern(text);
    } catch (err) {
        caught = err;
    }
    expect(isPatternSyntaxError(caught), `${text} should be rejected`).to.equal(true);
    const err = caught as PatternSyntaxError;
    expect(err.position, `position for ${text}: ${err.message}`).to.equal(position);
    expect(err.message).to.contain(`position ${position}`);
    if (typeof expected === "string") {
        expect(err.expected).to.contain(expected);
    } else {
        expect(err.expected).to.match(expected);
    }
    expect(err.unsupported).to.equal(unsupported);
    return err;
}

describe("pattern engine: parser", () => {
    describe("accepted shapes", () => {
        it("the empty pattern and whitespace are match-all", () => {
            expect(parsePattern("")).to.deep.equal({ kind: "matchAll" });
            expect(parsePattern("  \t ")).to.deep.equal({ kind: "matchAll" });
        });

        it("&& binds tighter than ||: a || b && c parses as a || (b && c)", () => {
            const p = parsePattern("{ $.a = 1 || $.b = 2 && $.c = 3 }");
            expect(p.kind).to.equal("json");
            if (p.kind !== "json") return;
            const e = p.expression;
            expect(e.kind).to.equal("or");
            if (e.kind !== "or") return;
            expect(e.operands.map((o) => o.kind)).to.deep.equal(["compare", "and"]);
        });

        it("parentheses override precedence and nest", () => {
            const p = parsePattern("{ ((($.a = 1 || $.b = 2))) && (($.c = 3)) }");
            if (p.kind !== "json") throw new Error("not json");
            expect(p.expression.kind).to.equal("and");
        });

        it("selectors: properties with '-' and '_', nested indexes like $.coordinates[0][1]", () => {
            const p = parsePattern("{ $.a-b_c.d[0][12].e = x }");
            if (p.kind !== "json" || p.expression.kind !== "compare") throw new Error("not a comparison");
            expect(p.expression.selector.text).to.equal("$.a-b_c.d[0][12].e");
            expect(p.expression.selector.steps).to.deep.equal([
                { kind: "property", name: "a-b_c" },
                { kind: "property", name: "d" },
                { kind: "index", index: 0 },
                { kind: "index", index: 12 },
                { kind: "property", name: "e" },
            ]);
        });

        it("operators need no surrounding spaces ($.eventType !=\"AwsServiceEvent\", $.x!=\"y\")", () => {
            for (const p of ['{$.eventType !="AwsServiceEvent"}', '{$.sourceIPAddress!="delivery.logs.amazonaws.com"}', "{$.a>=1}", "{$.a<=1}", "{$.a<1}", "{$.a>1}"]) {
                expect(parsePattern(p).kind, p).to.equal("json");
            }
        });

        it("number forms of the guide: integer, decimal, sign, e-notation", () => {
            for (const n of ["0", "500", "+1000", "-7", "55.5", "-0.25", "10e3", "10e-3", "1.5e+2", "-2e10"]) {
                const p = parsePattern(`{ $.n < ${n} }`);
                if (p.kind !== "json" || p.expression.kind !== "compare") throw new Error(n);
                expect(p.expression.value.number, n).to.equal(Number(n));
            }
        });

        it("wildcard shape: only the first and last '*' are wildcards; escaped '*' is literal", () => {
            const lit = (v: string) => {
                const p = parsePattern(`{ $.x = ${v} }`);
                if (p.kind !== "json" || p.expression.kind !== "compare") throw new Error(v);
                const { leadingWildcard, trailingWildcard, core } = p.expression.value;
                return { leadingWildcard, trailingWildcard, core };
            };
            expect(lit('"*Unauthorized"')).to.deep.equal({ leadingWildcard: true, trailingWildcard: false, core: "Unauthorized" });
            expect(lit('"AccessDenied*"')).to.deep.equal({ leadingWildcard: false, trailingWildcard: true, core: "AccessDenied" });
            expect(lit('"*SSO*"')).to.deep.equal({ leadingWildcard: true, trailingWildcard: true, core: "SSO" });
            expect(lit("Ev*ent")).to.deep.equal({ leadingWildcard: false, trailingWildcard: false, core: "Ev*ent" });
            expect(lit("*")).to.deep.equal({ leadingWildcard: true, trailingWildcard: false, core: "" });
            expect(lit('"\\*x"')).to.deep.equal({ leadingWildcard: false, trailingWildcard: false, core: "*x" });
        });

        it('quoted strings: \\" and \\\\ escapes (the quoting AWS CDK emits)', () => {
            const p = parsePattern('{ $.x = "say \\"hi\\" \\\\ bye" }');
            if (p.kind !== "json" || p.expression.kind !== "compare") throw new Error("x");
            expect(p.expression.value.text).to.equal('say "hi" \\ bye');
        });

        it("term groups: ?a b ?c -d is (a AND b) OR (c AND NOT d); leading terms form their own group", () => {
            const p = parsePattern('?a b ?"c c" -d');
            if (p.kind !== "terms") throw new Error("terms");
            expect(p.groups.map((g) => [g.include.map((t) => t.text), g.exclude.map((t) => t.text)])).to.deep.equal([
                [["a", "b"], []],
                [["c c"], ["d"]],
            ]);
            const q = parsePattern("x ?y");
            if (q.kind !== "terms") throw new Error("terms");
            expect(q.groups.map((g) => g.include.map((t) => t.text))).to.deep.equal([["x"], ["y"]]);
        });
    });

    describe("syntax errors name what was expected at a 1-based position", () => {
        it("missing value after '='", () => rejects("{ $.a = }", 9, "a value"));
        it("missing closing brace", () => {
            const err = rejects("{ $.a = 1 ", 11, "'}'");
            expect(err.found).to.equal("end of pattern");
        });
        it("unbalanced parenthesis", () => rejects("{ ($.a = 1 }", 12, "')'"));
        it("extra closing parenthesis", () => rejects("{ $.a = 1) }", 10, "'}'"));
        it("'==' is not an operator", () => rejects("{ $.a == 1 }", 8, "a value"));
        it("selector without '.' after '$'", () => rejects("{ $a = 1 }", 4, "'.' and a property name"));
        it("array index must follow a property", () => rejects("{ $[0] = 1 }", 4, "'.' and a property name"));
        it("non-numeric array index", () => rejects("{ $.a[x] = 1 }", 7, "an array index"));
        it("unclosed array index", () => rejects("{ $.a[1 = 1 }", 8, "']'"));
        it("empty property name", () => rejects("{ $.a. = 1 }", 7, "a property name"));
        it("ordering operator needs a number", () => {
            rejects("{ $.a < abc }", 9, "a number after '<'");
            rejects('{ $.a >= "5" }', 10, "a number after '>='");
            rejects("{ $.a > 10E3 }", 9, "a number after '>'");
        });
        it("unknown comparison operator", () => rejects("{ $.a ~ 1 }", 7, "a comparison operator"));
        it("IS must be followed by NULL, TRUE or FALSE (upper case)", () => {
            rejects("{ $.a IS MISSING }", 10, "NULL, TRUE or FALSE");
            rejects("{ $.a IS null }", 10, "NULL, TRUE or FALSE");
        });
        it("NOT must be followed by EXISTS", () => rejects("{ $.a NOT EXIST }", 11, "EXISTS"));
        it("unterminated string names where it was opened", () => {
            const err = rejects('{ $.a = "abc }', 15, "'\"' to close the string opened at position 9");
            expect(err.found).to.equal("end of pattern");
        });
        it("text after the closing brace", () => rejects("{ $.a = 1 } x", 13, "end of pattern after the closing '}'"));
        it("single '&' or '|'", () => {
            rejects("{ $.a = 1 & $.b = 2 }", 11, "'&&', '||' or '}'");
            rejects("{ $.a = 1 | $.b = 2 }", 11, "'&&', '||' or '}'");
        });
        it("empty braces and dangling operators", () => {
            rejects("{}", 2, "a property selector starting with '$'");
            rejects("{ $.a = 1 && }", 14, "a property selector starting with '$'");
            rejects("{ || $.a = 1 }", 3, "a property selector starting with '$'");
            rejects("{ () }", 4, "a property selector starting with '$'");
        });
        it("characters that must be quoted in a value", () => rejects("{ $.a = x@y }", 10, "'&&', '||' or '}'"));
        it("term with characters other than letters, digits and '_' outside quotes", () => {
            rejects("ERROR foo:bar", 10, "whitespace between terms");
            rejects("ERROR @x", 7, "a term");
        });
        it("prefix without a term", () => {
            rejects("ERROR -", 8, "a term after '-'");
            rejects("?", 2, "a term after '?'");
        });
        it("unterminated quoted term", () => rejects('"ERROR 401', 11, "'\"' to close the string opened at position 1"));
    });

    describe("documented syntax this engine rejects as unsupported (never guessed)", () => {
        it("space-delimited patterns", () => rejects("[ip, user, username, timestamp, request, status_code, bytes > 1000]", 1, /space-delimited/, true));
        it("regular expressions", () => {
            rejects("%AUTHORIZED%", 1, /regular expression/, true);
            rejects("{ $.a = %abc% }", 9, /regular expression/, true);
            rejects("ERROR %x%", 7, /regular expression/, true);
        });
        it("array wildcard [*]", () => rejects("{ $.a[*] = 1 }", 7, /\[\*\]/, true));
    });

    it("never throws anything but PatternSyntaxError, with a position inside the text (+1 at the end)", () => {
        const alphabet = fc.constantFrom(..."{}()[]$.=!<>&|\"\\*?-% aZ09_IS NULL NOT EXISTS TRUE".split(""));
        fc.assert(
            fc.property(fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join("")), (text) => {
                try {
                    parsePattern(text);
                } catch (err) {
                    if (!isPatternSyntaxError(err)) return false;
                    return err.position >= 1 && err.position <= text.length + 1;
                }
                return true;
            }),
            { numRuns: 2000, seed: 42 },
        );
    });
});
