/**
 * Acceptance: every catalogue pattern against every labelled real CloudTrail record of
 * tests/fixtures/cloudtrail (or $ORGWATCH_FIXTURES). The labels were computed by others from the
 * published patterns; a disagreement is a bug here or a wrong label, to be investigated.
 */
import { expect } from "chai";
import { CIS_CONTROLS, CisControl, patternOf } from "../../../lib/cis";
import { compilePattern, CompiledPattern } from "../../../lib/pattern";
import {
    ALTERNATIVE_TO_VARIANT,
    FIXTURE_FILES,
    FixtureFileName,
    LabelledEvent,
    README_COUNTS,
    README_TOTALS,
    labelledMatches,
    loadEvents,
} from "./fixtures";

const byCategory = (c: CisControl, variant: string): CompiledPattern => compilePattern(patternOf(c, variant));
const LABEL = CIS_CONTROLS.map((c) => byCategory(c, "cis"));
const DEFAULT = CIS_CONTROLS.map((c) => byCategory(c, c.defaultVariant));

const describeRecord = (file: string, i: number, e: LabelledEvent): string =>
    `${file}#${i} (category ${e.category}, expect_match ${e.expect_match}): ${e.note}`;

describe("CIS catalogue against the labelled CloudTrail fixtures", () => {
    const files = FIXTURE_FILES.map((file) => ({ file, events: loadEvents(file) }));

    it("the fixture files hold 311 records (151 + 28 + 132) as the README says", () => {
        expect(files.map((f) => f.events.length)).to.deep.equal(FIXTURE_FILES.map((f) => README_TOTALS.perFile[f]));
        expect(files.reduce((n, f) => n + f.events.length, 0)).to.equal(README_TOTALS.total);
    });

    for (const file of FIXTURE_FILES) {
        describe(file, () => {
            const events = loadEvents(file);

            it("for every record, the controls whose label (cis) pattern matches are exactly its labels", () => {
                const disagreements: string[] = [];
                events.forEach((e, i) => {
                    const got = CIS_CONTROLS.filter((_, k) => LABEL[k](e.record)).map((c) => c.category);
                    const want = labelledMatches(e);
                    if (JSON.stringify(got) !== JSON.stringify(want)) {
                        disagreements.push(`${describeRecord(file, i, e)} → matched [${got}], labelled [${want}]`);
                    }
                });
                expect(disagreements, disagreements.join("\n")).to.deep.equal([]);
            });

            it("every variant_expectations entry holds for the named alternative; elsewhere it agrees with the label", () => {
                const failures: string[] = [];
                let checked = 0;
                events.forEach((e, i) => {
                    for (const [alt, [category, variant]] of Object.entries(ALTERNATIVE_TO_VARIANT)) {
                        const control = CIS_CONTROLS[category - 1];
                        const got = byCategory(control, variant)(e.record);
                        const stated = e.variant_expectations?.[alt];
                        const want = stated ?? labelledMatches(e).includes(category);
                        if (stated !== undefined) {
                            checked++;
                        }
                        if (got !== want) {
                            failures.push(`${describeRecord(file, i, e)}: ${alt} gave ${got}, expected ${want}`);
                        }
                    }
                    for (const alt of Object.keys(e.variant_expectations ?? {})) {
                        if (!(alt in ALTERNATIVE_TO_VARIANT)) {
                            failures.push(`${describeRecord(file, i, e)}: unknown alternative ${alt}`);
                        }
                    }
                });
                expect(failures, failures.join("\n")).to.deep.equal([]);
                expect(checked).to.equal(file === "panther-labs_panther-analysis.json" ? 4 : 0);
            });

            it("per category, the engine's matches and near misses equal the README counts (pos/any/near)", () => {
                const table = README_COUNTS[file as FixtureFileName];
                CIS_CONTROLS.forEach((c, k) => {
                    const [pos, anyCount, near] = table[k];
                    const labelledPos = events.filter((e) => e.expect_match && e.category === c.category).length;
                    const engineAny = events.filter((e) => LABEL[k](e.record)).length;
                    const nearMisses = events.filter((e) => !e.expect_match && e.category === c.category);
                    expect(labelledPos, `${c.id} pos`).to.equal(pos);
                    expect(engineAny, `${c.id} any`).to.equal(anyCount);
                    expect(nearMisses.length, `${c.id} near`).to.equal(near);
                    for (const e of nearMisses) {
                        expect(LABEL[k](e.record), `${c.id} near miss ${e.note}`).to.equal(false);
                        expect(DEFAULT[k](e.record), `${c.id} near miss (default) ${e.note}`).to.equal(false);
                    }
                });
            });

            it("benign records match no control, with any variant", () => {
                const benign = events.filter((e) => e.category === "benign");
                expect(benign.every((e) => !e.expect_match)).to.equal(true);
                for (const e of benign) {
                    for (const c of CIS_CONTROLS) {
                        for (const v of Object.keys(c.variants)) {
                            expect(byCategory(c, v)(e.record), `${c.id}/${v}: ${e.note}`).to.equal(false);
                        }
                    }
                }
            });
        });
    }

    it("over all files: any/near per category and the benign count equal the README's all-files row", () => {
        const all = files.flatMap((f) => f.events);
        CIS_CONTROLS.forEach((c, k) => {
            const [pos, anyCount, near] = README_TOTALS.perCategory[k];
            expect(all.filter((e) => e.expect_match && e.category === c.category).length, `${c.id} pos`).to.equal(pos);
            expect(all.filter((e) => LABEL[k](e.record)).length, `${c.id} any`).to.equal(anyCount);
            expect(all.filter((e) => !e.expect_match && e.category === c.category).length, `${c.id} near`).to.equal(near);
        });
        expect(all.filter((e) => e.category === "benign").length).to.equal(README_TOTALS.benign);
    });

    it("every control has at least one real positive; every control but AWS Config (9) a real near miss", () => {
        const all = files.flatMap((f) => f.events);
        for (const [k, c] of CIS_CONTROLS.entries()) {
            expect(all.some((e) => LABEL[k](e.record) && labelledMatches(e).includes(c.category)), c.id).to.equal(true);
            const hasNear = all.some((e) => !e.expect_match && e.category === c.category);
            expect(hasNear, c.id).to.equal(c.category !== 9);
        }
    });

    it("default variants: equal to the label pattern except sign-in without MFA, which drops 4 non-IAM-user logins", () => {
        const all = files.flatMap((f) => f.events);
        CIS_CONTROLS.forEach((c, k) => {
            const diff = all.filter((e) => DEFAULT[k](e.record) !== LABEL[k](e.record));
            if (c.category === 2) {
                expect(diff.length).to.equal(4);
                expect(diff.every((e) => LABEL[k](e.record) && !DEFAULT[k](e.record))).to.equal(true);
            } else {
                expect(diff, c.id).to.deep.equal([]);
            }
        });
    });

    it("the comparison is not vacuous: weakened patterns disagree with the labels", () => {
        const all = files.flatMap((f) => f.events);
        // CIS 6 without its errorMessage condition matches the near-miss failed login that lacks it.
        const loginOnly = compilePattern("{($.eventName=ConsoleLogin)}");
        expect(all.filter((e) => !e.expect_match && e.category === 6 && loginOnly(e.record)).length).to.equal(1);
        // CIS 1 without the leading wildcard misses Client.UnauthorizedOperation (EC2 error codes).
        const exact = compilePattern('{($.errorCode="UnauthorizedOperation") || ($.errorCode="AccessDenied*")}');
        expect(all.filter((e) => labelledMatches(e).includes(1) && !exact(e.record)).length).to.be.greaterThan(0);
    });

    it("unauthorized API calls, parenthesized exclusions: equals label AND sourceIPAddress/eventName not excluded, per record", () => {
        const paren = byCategory(CIS_CONTROLS[0], "exclusions-parenthesized");
        const v45 = byCategory(CIS_CONTROLS[0], "cis-v4-v5-exclusions");
        const v23 = byCategory(CIS_CONTROLS[0], "cis-v2-v3-exclusions");
        for (const { file, events } of files) {
            events.forEach((e, i) => {
                const r = e.record as { sourceIPAddress?: unknown; eventName?: unknown };
                const isStr = (v: unknown): v is string => typeof v === "string";
                const oracle =
                    labelledMatches(e).includes(1) &&
                    isStr(r.sourceIPAddress) &&
                    r.sourceIPAddress !== "delivery.logs.amazonaws.com" &&
                    isStr(r.eventName) &&
                    r.eventName !== "HeadBucket";
                expect(paren(e.record), describeRecord(file, i, e)).to.equal(oracle);
                expect(v45(e.record), describeRecord(file, i, e)).to.equal(v23(e.record));
            });
        }
    });
});
