import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CIS_CONTROLS, findControl, metricNameOf, patternOf } from "../../../lib/cis";
import { compilePattern, parsePattern } from "../../../lib/pattern";
import { ALTERNATIVE_TO_VARIANT, FIXTURES_DIR, loadCisPatterns } from "./fixtures";

describe("CIS catalogue", () => {
    const json = loadCisPatterns();

    it(`fixture directory is reachable (${FIXTURES_DIR}; override with ORGWATCH_FIXTURES)`, () => {
        expect(fs.existsSync(path.join(FIXTURES_DIR, "cis-patterns.json"))).to.equal(true);
    });

    it("pins the exact list of control ids, in category order 1..15", () => {
        expect(CIS_CONTROLS.map((c) => [c.category, c.id])).to.deep.equal([
            [1, "unauthorized-api-calls"],
            [2, "console-signin-without-mfa"],
            [3, "root-account-usage"],
            [4, "iam-policy-changes"],
            [5, "cloudtrail-config-changes"],
            [6, "console-auth-failures"],
            [7, "cmk-disable-or-deletion"],
            [8, "s3-bucket-policy-changes"],
            [9, "config-changes"],
            [10, "security-group-changes"],
            [11, "nacl-changes"],
            [12, "network-gateway-changes"],
            [13, "route-table-changes"],
            [14, "vpc-changes"],
            [15, "organizations-changes"],
        ]);
    });

    it("ids are unique kebab-case; metric names are PascalCase of the id and unique", () => {
        const ids = new Set(CIS_CONTROLS.map((c) => c.id));
        expect(ids.size).to.equal(15);
        for (const c of CIS_CONTROLS) {
            expect(c.id).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
            expect(c.metricName).to.equal(metricNameOf(c.id));
            expect(c.metricName).to.match(/^[A-Z][A-Za-z0-9]{0,254}$/);
        }
        expect(metricNameOf("unauthorized-api-calls")).to.equal("UnauthorizedApiCalls");
        expect(new Set(CIS_CONTROLS.map((c) => c.metricName)).size).to.equal(15);
    });

    it("CIS numbers and Security Hub ids follow the fixtures README table", () => {
        // README: CIS v1.2/1.3 3.N, v1.4+ 4.N; Security Hub CloudWatch.2 for 1, .3 for 2, .1 for 3, .N for 4-14; none for 15.
        const sh: Record<number, string | null> = { 1: "CloudWatch.2", 2: "CloudWatch.3", 3: "CloudWatch.1", 15: null };
        for (const c of CIS_CONTROLS) {
            const n = c.category;
            expect(c.cis["v1.2-v1.3"], c.id).to.equal(n === 15 ? null : `3.${n}`);
            expect(c.cis["v1.4-v3.0"], c.id).to.equal(`4.${n}`);
            expect(c.cis["v4-v5"], c.id).to.equal(`4.${n}`);
            expect(c.securityHubControl, c.id).to.equal(n in sh ? sh[n] : `CloudWatch.${n}`);
        }
    });

    it("every default pattern equals cis-patterns.json securityHubDefault byte for byte", () => {
        expect(Object.keys(json.securityHubDefault).sort((a, b) => Number(a) - Number(b))).to.deep.equal(
            CIS_CONTROLS.map((c) => String(c.category)),
        );
        for (const c of CIS_CONTROLS) {
            const expected = json.securityHubDefault[String(c.category)];
            expect(Buffer.from(patternOf(c)).equals(Buffer.from(expected)), `${c.id}: ${patternOf(c)}`).to.equal(true);
        }
    });

    it("the cis variant of every control equals its labelPatterns text byte for byte", () => {
        for (const c of CIS_CONTROLS) {
            expect(patternOf(c, "cis"), c.id).to.equal(json.labelPatterns[String(c.category)]);
        }
    });

    it("every alternative of cis-patterns.json is a variant of its control, byte for byte", () => {
        expect(Object.keys(json.alternatives).sort()).to.deep.equal(Object.keys(ALTERNATIVE_TO_VARIANT).sort());
        for (const [alt, [category, variant]] of Object.entries(ALTERNATIVE_TO_VARIANT)) {
            const c = CIS_CONTROLS[category - 1];
            expect(patternOf(c, variant), alt).to.equal(json.alternatives[alt]);
        }
    });

    it("Security Hub default of 'sign-in without MFA' is the IAM-user/success form, not the CIS base form", () => {
        const c = CIS_CONTROLS[1];
        expect(c.defaultVariant).to.equal("security-hub");
        expect(patternOf(c)).to.contain('($.userIdentity.type = "IAMUser")');
        expect(patternOf(c)).to.contain('($.responseElements.ConsoleLogin = "Success")');
        expect(patternOf(c, "cis")).not.to.contain("IAMUser");
    });

    it("every pattern of every variant parses, and each control documents every variant's source", () => {
        let count = 0;
        for (const c of CIS_CONTROLS) {
            expect(Object.keys(c.variants), c.id).to.include(c.defaultVariant);
            expect(Object.keys(c.variantSources).sort(), c.id).to.deep.equal(Object.keys(c.variants).sort());
            for (const [name, text] of Object.entries(c.variants)) {
                expect(() => parsePattern(text), `${c.id}/${name}`).not.to.throw();
                expect(parsePattern(text).kind, `${c.id}/${name}`).to.equal("json");
                expect(text.length, `${c.id}/${name}: metric filter patterns are at most 1024 characters`).to.be.at.most(1024);
                count++;
            }
        }
        expect(count).to.equal(33); // 14 controls x (security-hub, cis) + 15 x cis + 3 more for 1 + 1 more for 13
    });

    it("catalogue is frozen data", () => {
        expect(Object.isFrozen(CIS_CONTROLS)).to.equal(true);
        for (const c of CIS_CONTROLS) {
            expect(Object.isFrozen(c) && Object.isFrozen(c.variants) && Object.isFrozen(c.cis), c.id).to.equal(true);
            expect(c.title.length, c.id).to.be.greaterThan(5);
            expect(c.rationale.length, c.id).to.be.greaterThan(20);
        }
    });

    it("patternOf throws on an unknown variant, listing the allowed ones", () => {
        const c = CIS_CONTROLS[0];
        expect(() => patternOf(c, "nope")).to.throw(/Unknown pattern variant "nope" for CIS control unauthorized-api-calls; allowed: security-hub, cis/);
        expect(() => patternOf(c, "toString")).to.throw(/Unknown pattern variant/);
        expect(findControl("vpc-changes")?.category).to.equal(14);
        expect(findControl("nope")).to.equal(undefined);
    });

    describe("unauthorized API calls: exclusion variants and precedence", () => {
        const c = CIS_CONTROLS[0];
        const v23 = compilePattern(patternOf(c, "cis-v2-v3-exclusions"));
        const v45 = compilePattern(patternOf(c, "cis-v4-v5-exclusions"));
        const paren = compilePattern(patternOf(c, "exclusions-parenthesized"));
        const base = compilePattern(patternOf(c));
        // With () > && > ||, the published v2-v5 text is A || (B && C && D): the exclusions do not apply
        // to *UnauthorizedOperation. The parenthesized form applies them to both error codes.
        const cases: [Record<string, string>, boolean, boolean, boolean][] = [
            // record, base, v2/v3 = v4/v5, parenthesized
            [{ errorCode: "Client.UnauthorizedOperation", eventName: "RunInstances", sourceIPAddress: "1.2.3.4" }, true, true, true],
            [{ errorCode: "Client.UnauthorizedOperation", eventName: "HeadBucket", sourceIPAddress: "1.2.3.4" }, true, true, false],
            [{ errorCode: "Client.UnauthorizedOperation", eventName: "RunInstances" }, true, true, false],
            [{ errorCode: "UnauthorizedOperation", sourceIPAddress: "delivery.logs.amazonaws.com", eventName: "X" }, true, true, false],
            [{ errorCode: "AccessDenied", eventName: "HeadBucket", sourceIPAddress: "1.2.3.4" }, true, false, false],
            [{ errorCode: "AccessDenied", eventName: "GetObject", sourceIPAddress: "delivery.logs.amazonaws.com" }, true, false, false],
            [{ errorCode: "AccessDenied", eventName: "GetObject", sourceIPAddress: "1.2.3.4" }, true, true, true],
            // != on a missing field is false (lib/pattern/README.md), so the exclusions also drop AccessDenied
            // records without sourceIPAddress.
            [{ errorCode: "AccessDenied", eventName: "GetObject" }, true, false, false],
            [{ errorCode: "VpceAccessDenied", eventName: "GetObject", sourceIPAddress: "1.2.3.4" }, false, false, false],
        ];
        for (const [record, b, v, p] of cases) {
            it(`${JSON.stringify(record)}: base ${b}, published exclusions ${v}, parenthesized ${p}`, () => {
                expect(base(record)).to.equal(b);
                expect(v23(record)).to.equal(v);
                expect(v45(record)).to.equal(v);
                expect(paren(record)).to.equal(p);
            });
        }
    });

    describe("AWS Config changes (no near miss in the fixtures): hand-made records from the pattern text", () => {
        const p = compilePattern(patternOf(CIS_CONTROLS[8]));
        it("matches StopConfigurationRecorder on config.amazonaws.com; not a read call nor the wrong source", () => {
            expect(p({ eventSource: "config.amazonaws.com", eventName: "StopConfigurationRecorder" })).to.equal(true);
            expect(p({ eventSource: "config.amazonaws.com", eventName: "DescribeConfigurationRecorders" })).to.equal(false);
            expect(p({ eventSource: "ec2.amazonaws.com", eventName: "StopConfigurationRecorder" })).to.equal(false);
            expect(p({ eventName: "StopConfigurationRecorder" })).to.equal(false);
        });
    });
});
