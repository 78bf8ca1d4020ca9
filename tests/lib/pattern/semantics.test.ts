/**
 * Behaviour where the AWS guide is silent: the choices documented in lib/pattern/README.md, plus
 * edge cases of precedence, wildcards and numbers.
 */
import { expect } from "chai";
import * as fc from "fast-check";
import { compilePattern, matches, matchesMessage, parsePattern } from "../../../lib/pattern";

const m = (pattern: string, record: unknown): boolean => compilePattern(pattern)(record);

describe("pattern engine: semantics where the guide is silent", () => {
    describe("!= applies only to present string/number values", () => {
        // Observed with the CloudWatch console test (github.com/DataBiosphere/azul issue #5884): this
        // pattern does not match a record without userIdentity.invokedBy.
        const azul = '{($.errorCode = "AccessDenied") && ($.userIdentity.invokedBy != "cloudfront.amazonaws.com")}';

        it("missing field: no match (the azul #5884 observation)", () => {
            expect(m(azul, { errorCode: "AccessDenied", userIdentity: { accountId: "anonymous" } })).to.equal(false);
            expect(m(azul, { errorCode: "AccessDenied", userIdentity: { invokedBy: "other.amazonaws.com" } })).to.equal(true);
            expect(m(azul, { errorCode: "AccessDenied", userIdentity: { invokedBy: "cloudfront.amazonaws.com" } })).to.equal(false);
        });

        it("null, boolean, object and array values: neither = nor != matches", () => {
            for (const v of [null, true, false, { a: 1 }, [1], []]) {
                expect(m("{ $.x != 1 }", { x: v }), `!= on ${JSON.stringify(v)}`).to.equal(false);
                expect(m("{ $.x = * }", { x: v }), `= * on ${JSON.stringify(v)}`).to.equal(false);
                expect(m("{ $.x = true }", { x: v }), `= true on ${JSON.stringify(v)}`).to.equal(false);
            }
        });

        it("CIS 4.2: ConsoleLogin without additionalEventData.MFAUsed does not match MFAUsed != \"Yes\"", () => {
            const p = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';
            expect(m(p, { eventName: "ConsoleLogin" })).to.equal(false);
            expect(m(p, { eventName: "ConsoleLogin", additionalEventData: {} })).to.equal(false);
            expect(m(p, { eventName: "ConsoleLogin", additionalEventData: { MFAUsed: "No" } })).to.equal(true);
            expect(m(p, { eventName: "ConsoleLogin", additionalEventData: { MFAUsed: "Yes" } })).to.equal(false);
        });
    });

    describe("IS NULL vs NOT EXISTS", () => {
        const cases: [unknown, boolean, boolean][] = [
            // record, IS NULL, NOT EXISTS
            [{ a: { b: null } }, true, false],
            [{ a: {} }, false, true],
            [{}, false, true],
            [{ a: null }, false, true],
            [{ a: "x" }, false, true],
            [{ a: { b: 0 } }, false, false],
            [{ a: { b: "" } }, false, false],
            [{ a: [{ b: null }] }, false, true],
        ];
        for (const [record, isNull, notExists] of cases) {
            it(`$.a.b on ${JSON.stringify(record)}: IS NULL ${isNull}, NOT EXISTS ${notExists}`, () => {
                expect(m("{ $.a.b IS NULL }", record)).to.equal(isNull);
                expect(m("{ $.a.b NOT EXISTS }", record)).to.equal(notExists);
            });
        }

        it("array elements: present null, absent index", () => {
            expect(m("{ $.a[1] IS NULL }", { a: [1, null] })).to.equal(true);
            expect(m("{ $.a[2] NOT EXISTS }", { a: [1, null] })).to.equal(true);
            expect(m("{ $.a[1] NOT EXISTS }", { a: [1, null] })).to.equal(false);
        });

        it("own properties only: inherited names such as toString do not exist", () => {
            expect(m("{ $.toString NOT EXISTS }", {})).to.equal(true);
            expect(m("{ $.constructor = * }", {})).to.equal(false);
        });
    });

    describe("strings: exact, case-sensitive; wildcards at start, end, both, middle", () => {
        const cases: [string, string, boolean][] = [
            ['"AccessDenied*"', "AccessDenied", true],
            ['"AccessDenied*"', "AccessDeniedException", true],
            ['"AccessDenied*"', "VpceAccessDenied", false],
            ['"AccessDenied*"', "accessdenied", false],
            ['"*UnauthorizedOperation"', "Client.UnauthorizedOperation", true],
            ['"*UnauthorizedOperation"', "UnauthorizedOperation", true],
            ['"*UnauthorizedOperation"', "UnauthorizedOperationX", false],
            ['"*AWSReservedSSO*"', "arn:aws:sts::1:assumed-role/AWSReservedSSO_Admin/x", true],
            ['"*AWSReservedSSO*"', "arn:aws:iam::1:user/x", false],
            ["Ev*ent", "Event", false],
            ["Ev*ent", "Ev*ent", true],
            ['"Ev**ent"', "Ev**ent", true],
            ["*", "", true],
            ['"\\*x"', "*x", true],
            ['"\\*x"', "ax", false],
            ["ConsoleLogin", "ConsoleLogin ", false],
            ['""', "", true],
            ['""', "x", false],
        ];
        for (const [lit, value, expected] of cases) {
            it(`${lit} = ${JSON.stringify(value)} → ${expected}; != is the opposite`, () => {
                expect(m(`{ $.x = ${lit} }`, { x: value })).to.equal(expected);
                expect(m(`{ $.x != ${lit} }`, { x: value })).to.equal(!expected);
            });
        }
    });

    describe("numbers", () => {
        it("= on numbers is numeric: 10e3 equals 10000, 1.0 equals 1", () => {
            expect(m("{ $.n = 10e3 }", { n: 10000 })).to.equal(true);
            expect(m("{ $.n = 1.0 }", { n: 1 })).to.equal(true);
            expect(m("{ $.n != 1.0 }", { n: 1 })).to.equal(false);
        });

        it("= with a string value compares the literal text: 123456789012 matches \"123456789012\", 400 not \"400.0\"", () => {
            expect(m("{ $.recipientAccountId = 123456789012 }", { recipientAccountId: "123456789012" })).to.equal(true);
            expect(m("{ $.code = 400 }", { code: "400.0" })).to.equal(false);
            expect(m('{ $.code = "400" }', { code: 400 })).to.equal(true);
        });

        it("wildcards on numbers match the number's JSON text: 4* matches 404, not 504", () => {
            expect(m("{ $.status = 4* }", { status: 404 })).to.equal(true);
            expect(m("{ $.status = 4* }", { status: 504 })).to.equal(false);
        });

        it("ordering applies to numbers and to strings that are numbers", () => {
            expect(m("{ $.n > 5 }", { n: "6" })).to.equal(true);
            expect(m("{ $.n > 5 }", { n: "6ms" })).to.equal(false);
            expect(m("{ $.n > 5 }", { n: "" })).to.equal(false);
            expect(m("{ $.n > -5 }", { n: -4.5 })).to.equal(true);
            expect(m("{ $.n >= -5 }", { n: -5 })).to.equal(true);
            expect(m("{ $.n <= 1.5e2 }", { n: 150 })).to.equal(true);
            expect(m("{ $.n < 1.5e2 }", { n: 150 })).to.equal(false);
        });

        it("ordering on missing, null, boolean, object: false", () => {
            for (const r of [{}, { n: null }, { n: true }, { n: { v: 1 } }, { n: [1] }]) {
                expect(m("{ $.n < 10 }", r), JSON.stringify(r)).to.equal(false);
                expect(m("{ $.n >= 0 }", r), JSON.stringify(r)).to.equal(false);
            }
        });
    });

    describe("precedence () > && > ||", () => {
        it("matches the boolean algebra for every assignment (a || b && c, (a || b) && c, a && b || c && d)", () => {
            const val = (b: boolean) => (b ? "1" : "0");
            fc.assert(
                fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (a, b, c, d) => {
                    const r = { a: val(a), b: val(b), c: val(c), d: val(d) };
                    return (
                        m("{ $.a = 1 || $.b = 1 && $.c = 1 }", r) === (a || (b && c)) &&
                        m("{ ($.a = 1 || $.b = 1) && $.c = 1 }", r) === ((a || b) && c) &&
                        m("{ $.a = 1 && $.b = 1 || $.c = 1 && $.d = 1 }", r) === ((a && b) || (c && d)) &&
                        m("{ $.a = 1 && ($.b = 1 || $.c = 1) && $.d = 1 }", r) === (a && (b || c) && d) &&
                        m("{ (($.a = 1) || (($.b = 1) && ($.c = 1 || $.d = 1))) }", r) === (a || (b && (c || d)))
                    );
                }),
                { numRuns: 64, seed: 7 },
            );
        });
    });

    describe("events that are not JSON objects", () => {
        it("a JSON pattern never matches them, not even NOT EXISTS", () => {
            for (const r of [null, "text", 5, [{ a: 1 }], true]) {
                expect(m("{ $.a NOT EXISTS }", r), JSON.stringify(r)).to.equal(false);
            }
        });

        it("matchesMessage parses the raw message; non-JSON never matches a JSON pattern", () => {
            const p = parsePattern('{ $.eventName = "ConsoleLogin" }');
            expect(matchesMessage(p, '{"eventName":"ConsoleLogin"}')).to.equal(true);
            expect(matchesMessage(p, "ConsoleLogin")).to.equal(false);
            expect(matchesMessage(p, "")).to.equal(false);
        });
    });

    describe("term patterns on records", () => {
        it("search the compact JSON text of a parsed record; a string record is the message itself", () => {
            const p = parsePattern('"\\"eventName\\":\\"ConsoleLogin\\""');
            expect(matches(p, { eventName: "ConsoleLogin" })).to.equal(true);
            expect(matches(parsePattern("ConsoleLogin"), "user ConsoleLogin ok")).to.equal(true);
            expect(matches(parsePattern("-ConsoleLogin"), { eventName: "ConsoleLogin" })).to.equal(false);
        });

        it("quoted phrases are exact (spaces included); terms are substrings", () => {
            expect(matchesMessage(parsePattern('"ERROR 401"'), "[ERROR 401] UNAUTHORIZED")).to.equal(true);
            expect(matchesMessage(parsePattern('"ERROR 401"'), "ERROR: 401")).to.equal(false);
            expect(matchesMessage(parsePattern("AUTHORIZED"), "UNAUTHORIZED")).to.equal(true);
        });

        it("?a b ?c -d is (a AND b) OR (c AND NOT d)", () => {
            const p = parsePattern("?a b ?c -d");
            const cases: [string, boolean][] = [
                ["a b", true],
                ["a", false],
                ["c", true],
                ["c d", false],
                ["a b c d", true],
                ["x", false],
            ];
            for (const [msg, expected] of cases) {
                expect(matchesMessage(p, msg), msg).to.equal(expected);
            }
        });
    });

    it("compilePattern keeps the text and the AST, and agrees with matches()", () => {
        const text = "{ $.a = 1 || $.b NOT EXISTS }";
        const c = compilePattern(text);
        expect(c.text).to.equal(text);
        expect(c.pattern).to.deep.equal(parsePattern(text));
        for (const r of [{ a: 1 }, { b: 2 }, { a: 2, b: 2 }, {}]) {
            expect(c(r)).to.equal(matches(c.pattern, r));
        }
    });
});
