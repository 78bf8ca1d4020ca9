/**
 * The examples of the AWS guide "Filter pattern syntax for metric filters, subscription filters,
 * filter log events, and Live Tail"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html; text as in
 * awsdocs/amazon-cloudwatch-logs-user-guide doc_source/FilterAndPatternSyntax.md), each with the result
 * the guide states. Quoted sentences are the guide's.
 */
import { expect } from "chai";
import { compilePattern, matchesMessage, parsePattern } from "../../../lib/pattern";

const match = (pattern: string, record: unknown): boolean => compilePattern(pattern)(record);
const matchLine = (pattern: string, line: string): boolean => matchesMessage(parsePattern(pattern), line);

describe("pattern engine: AWS guide examples", () => {
    describe("matching terms in unstructured log events", () => {
        it('"The filter pattern "" matches all log events"', () => {
            for (const p of ["", '""']) {
                expect(matchLine(p, "anything at all"), p).to.equal(true);
                expect(matchLine(p, ""), p).to.equal(true);
            }
        });

        it('"ERROR" matches "[ERROR] A fatal exception has occurred" and "Exiting with ERRORCODE: -1"', () => {
            expect(matchLine("ERROR", "[ERROR] A fatal exception has occurred")).to.equal(true);
            expect(matchLine("ERROR", "Exiting with ERRORCODE: -1")).to.equal(true);
            expect(matchLine("ERROR", "[error] lower case")).to.equal(false); // "Metric filters are case sensitive"
        });

        it('"ERROR" - "Exiting": "the log event message "Exiting with ERRORCODE: -1" would be excluded"', () => {
            for (const p of ['"ERROR" - "Exiting"', "ERROR -Exiting"]) {
                expect(matchLine(p, "Exiting with ERRORCODE: -1"), p).to.equal(false);
                expect(matchLine(p, "[ERROR] A fatal exception has occurred"), p).to.equal(true);
            }
        });

        it('"ERROR Exception" matches events that contain both terms', () => {
            expect(matchLine("ERROR Exception", "[ERROR] Caught IllegalArgumentException")).to.equal(true);
            expect(matchLine("ERROR Exception", "[ERROR] Unhandled Exception")).to.equal(true);
            expect(matchLine("ERROR Exception", "[ERROR] Unhandled failure")).to.equal(false);
        });

        it('"Failed to process the request" matches events that contain all terms', () => {
            const p = "Failed to process the request";
            expect(matchLine(p, "[WARN] Failed to process the request")).to.equal(true);
            expect(matchLine(p, "[ERROR] Unable to continue: Failed to process the request")).to.equal(true);
            expect(matchLine(p, "[WARN] Failed to process")).to.equal(false);
        });

        it("OR pattern matching: ERROR, ?ERROR ?WARN, ERROR WARN, ERROR -WARN on the guide's three events", () => {
            const events = ["ERROR WARN message", "ERROR message", "WARN message"];
            const which = (p: string): number[] =>
                events.map((e, i) => (matchLine(p, e) ? i + 1 : 0)).filter((i) => i > 0);
            // "`ERROR` matches examples 1 and 2. `?ERROR ?WARN` matches examples 1, 2, and 3 ...
            //  `ERROR WARN` only matches example 1 ... ERROR -WARN matches example 2"
            expect(which("ERROR")).to.deep.equal([1, 2]);
            expect(which("?ERROR ?WARN")).to.deep.equal([1, 2, 3]);
            expect(which("ERROR WARN")).to.deep.equal([1]);
            expect(which("ERROR -WARN")).to.deep.equal([2]);
        });
    });

    describe("JSON patterns on the guide's first example event", () => {
        const event = {
            eventType: "UpdateTrail",
            sourceIPAddress: "111.111.111.111",
            arrayKey: ["value", "another value"],
            objectList: [
                { name: "a", id: 1 },
                { name: "b", id: 2 },
            ],
            SomeObject: null,
            ThisFlag: true,
        };

        it('"The following filters would match"', () => {
            for (const p of [
                '{ $.eventType = "UpdateTrail" }',
                "{ $.sourceIPAddress != 123.123.* }",
                '{ $.arrayKey[0] = "value" }',
                "{ $.objectList[1].id = 2 }",
                "{ $.SomeObject IS NULL }",
                "{ $.SomeOtherObject NOT EXISTS }",
                "{ $.ThisFlag IS TRUE }",
            ]) {
                expect(match(p, event), p).to.equal(true);
            }
        });

        it('"If arrayKey is not an array this will be false" / items without an id property', () => {
            expect(match('{ $.arrayKey[0] = "value" }', { ...event, arrayKey: "value" })).to.equal(false);
            expect(match("{ $.objectList[1].id = 2 }", { ...event, objectList: { 1: { id: 2 } } })).to.equal(false);
            expect(match("{ $.objectList[1].id = 2 }", { ...event, objectList: [{ id: 2 }, { name: "b" }] })).to.equal(
                false,
            );
        });

        it('IS NULL "will only be true is the specified object is set to null"; NOT EXISTS only when absent', () => {
            expect(match("{ $.SomeOtherObject IS NULL }", event)).to.equal(false);
            expect(match("{ $.SomeObject NOT EXISTS }", event)).to.equal(false);
            expect(match("{ $.eventType IS NULL }", event)).to.equal(false);
        });

        it('IS TRUE, and "This also works for boolean filters which check for FALSE value"', () => {
            expect(match("{ $.ThisFlag IS FALSE }", event)).to.equal(false);
            expect(match("{ $.ThisFlag IS FALSE }", { ...event, ThisFlag: false })).to.equal(true);
            expect(match("{ $.ThisFlag IS TRUE }", { ...event, ThisFlag: "true" })).to.equal(false);
        });

        it("{ $.sourceIPAddress != 123.123.* } is false for an address inside the prefix", () => {
            expect(match("{ $.sourceIPAddress != 123.123.* }", { sourceIPAddress: "123.123.4.5" })).to.equal(false);
        });
    });

    describe("OR in JSON filters", () => {
        it('"{$.foo = bar} matches pattern 1, {$.foo = baz } matches pattern 2, and {$.foo = bar || $.foo = baz } matches pattern 1 and 2"', () => {
            const one = { foo: "bar" };
            const two = { foo: "baz" };
            expect([match("{$.foo = bar}", one), match("{$.foo = bar}", two)]).to.deep.equal([true, false]);
            expect([match("{$.foo = baz }", one), match("{$.foo = baz }", two)]).to.deep.equal([false, true]);
            expect([match("{$.foo = bar || $.foo = baz }", one), match("{$.foo = bar || $.foo = baz }", two)]).to.deep.equal(
                [true, true],
            );
        });
    });

    describe("JSON compound conditions: () > && > ||", () => {
        const event = {
            user: { id: 1, email: "John.Stiles@example.com" },
            users: [
                { id: 2, email: "John.Doe@example.com" },
                { id: 3, email: "Jane.Doe@example.com" },
            ],
            actions: ["GET", "PUT", "DELETE"],
            coordinates: [
                [0, 1, 2],
                [4, 5, 6],
                [7, 8, 9],
            ],
        };
        const cases: [string, boolean][] = [
            ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
            ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
            ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
            ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
        ];
        for (const [p, expected] of cases) {
            it(`${expected ? "matches" : "does not match"}: ${p}`, () => {
                expect(match(p, event)).to.equal(expected);
            });
        }
    });

    describe("JSON special considerations", () => {
        it('"both {$.users = 1} and {$.users != 1} will fail to match a log event where users is an array"', () => {
            const event = { users: [1, 2, 3] };
            expect(match("{$.users = 1}", event)).to.equal(false);
            expect(match("{$.users != 1}", event)).to.equal(false);
        });
    });

    describe("STRING wildcards", () => {
        it('"*Event will match PutEvent and GetEvent"', () => {
            expect(match("{ $.e = *Event }", { e: "PutEvent" })).to.equal(true);
            expect(match("{ $.e = *Event }", { e: "GetEvent" })).to.equal(true);
            expect(match("{ $.e = *Event }", { e: "EventId" })).to.equal(false);
        });

        it('"Event* will match EventId and EventName"', () => {
            expect(match("{ $.e = Event* }", { e: "EventId" })).to.equal(true);
            expect(match("{ $.e = Event* }", { e: "EventName" })).to.equal(true);
            expect(match("{ $.e = Event* }", { e: "PutEvent" })).to.equal(false);
        });

        it('"Ev*ent will only match the actual string Ev*ent"', () => {
            expect(match('{ $.e = "Ev*ent" }', { e: "Ev*ent" })).to.equal(true);
            expect(match('{ $.e = "Ev*ent" }', { e: "Event" })).to.equal(false);
            expect(match('{ $.e = "Ev*ent" }', { e: "EvXent" })).to.equal(false);
            expect(match("{ $.e = Ev*ent }", { e: "Ev*ent" })).to.equal(true);
        });

        it("metricFilter { $.latency = * } matches any present value", () => {
            expect(match("{ $.latency = * }", { latency: 250 })).to.equal(true);
            expect(match("{ $.latency = * }", { latency: "slow" })).to.equal(true);
            expect(match("{ $.latency = * }", { other: 1 })).to.equal(false);
        });
    });

    describe("numeric comparisons: the guide's examples", () => {
        const cases: [string, unknown, boolean][] = [
            ["{ $.latency >= 500 }", { latency: 500 }, true],
            ["{ $.latency >= 500 }", { latency: 499.9 }, false],
            ["{ $.numbers[0] < 10e3 }", { numbers: [9999] }, true],
            ["{ $.numbers[0] < 10e3 }", { numbers: [10000] }, false],
            ["{ $.numbers[0] < 10e-3 }", { numbers: [0.009] }, true],
            ["{ $.numbers[0] < 10e-3 }", { numbers: [0.01] }, false],
            ["{ $.processes[4].averageRuntime <= 55.5 }", { processes: [{}, {}, {}, {}, { averageRuntime: 55.5 }] }, true],
            ["{ $.processes[4].averageRuntime <= 55.5 }", { processes: [{}, {}, {}, {}, { averageRuntime: 55.6 }] }, false],
            ["{ $.errorCode = 400 }", { errorCode: 400 }, true],
            ["{ $.errorCode = 400 }", { errorCode: 401 }, false],
            ["{ $.errorCode != 500 }", { errorCode: 400 }, true],
            ["{ $.errorCode != 500 }", { errorCode: 500 }, false],
            ["{ $.latency > +1000 }", { latency: 1001 }, true],
            ["{ $.latency > +1000 }", { latency: 1000 }, false],
        ];
        for (const [p, record, expected] of cases) {
            it(`${p} on ${JSON.stringify(record)} → ${expected}`, () => {
                expect(match(p, record)).to.equal(expected);
            });
        }
    });
});
