import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "../helpers/synth";
import { ALLOW_LIST, covers } from "./allow-list";
import { runMatrix, type MatrixCase, type MatrixResult, type ResourceKind } from "./matrix";
import { prodBefore, synthProd } from "./prod-world";

// The generated write matrix (tests/security/matrix.ts): resources and documents from one prod synth, actions from
// the IAM action catalogue, outcomes from the IAM policy simulator in Discovery mode. Expectation: Deny, except the
// allow-list (tests/security/allow-list.ts).

const line = (c: MatrixCase): string => `${c.principal.id} ${c.action} on ${c.resource.id} (${c.resource.arn})${c.conditions !== undefined ? ` if ${c.conditions}` : ""}`;
const allowedOutside = (r: MatrixResult): MatrixCase[] => r.cases.filter((c) => c.outcome === "allowed" && !ALLOW_LIST.some((e) => covers(e, c)));

/** The matrix size as docs/SECURITY.md states it. */
function sizeLine(r: MatrixResult): string {
    const fmt = (n: number): string => n.toLocaleString("en-US");
    const pairs = new Set(r.cases.map((c) => `${c.resource.id} ${c.action}`)).size;
    const managementOnly = r.managementOnly.reduce((n, m) => n + m.actions, 0);
    return `${fmt(r.cases.length)} simulated cases (${fmt(pairs)} resource-action pairs), ${fmt(r.unreachable)} unreachable triples, ${fmt(managementOnly)} management-only pairs`;
}

describe("security: the write matrix on the prod synth", function () {
    this.timeout(240_000);
    let after: MatrixResult;
    let beforeHardening: MatrixResult;

    before(async () => {
        const synth = synthProd();
        after = await runMatrix(synth);
        beforeHardening = await runMatrix(synth, prodBefore());
    });

    it("covers every protected resource kind, principal class, and the service principals the policies name", () => {
        const kinds = new Set(after.cases.map((c) => c.resource.kind));
        const expected: ResourceKind[] = [
            "trail", "central-log-group", "topic", "dashboard", "sink", "link", "key", "alias", "bucket", "object",
            "centralization-rule", "telemetry-rule", "stackset", "stack", "guardrail-policy", "organization-root", "organization-target", "role",
        ];
        expect([...kinds].sort()).to.include.members(expected);
        const managementOnly = after.managementOnly.map((m) => m.resource.kind);
        expect(managementOnly).to.include.members(["trail-log-group", "alarm"]);
        const principals = new Set(after.cases.map((c) => c.principal.id));
        expect([...principals]).to.include.members([
            "member-admin", "member-root", "member-stacksets-exec", "log-archive-admin", "log-archive-root", "log-archive-deploy",
            "monitoring-admin", "monitoring-root", "monitoring-deploy", "delegated-admin-admin", "delegated-admin-root", "outsider-admin", "anonymous",
            "cloudtrail.amazonaws.com@outsider", "cloudtrail.amazonaws.com@member", "cloudwatch.amazonaws.com@outsider", "logging.s3.amazonaws.com@outsider",
            `logs.eu-central-1.amazonaws.com@outsider`,
            // Every service principal the policies name is also simulated naming no source at all.
            "cloudtrail.amazonaws.com@no-source", "cloudwatch.amazonaws.com@no-source", "logging.s3.amazonaws.com@no-source", `logs.eu-central-1.amazonaws.com@no-source`,
        ]);
    });

    it("prints its size, which docs/SECURITY.md states", () => {
        const size = sizeLine(after);
        console.log(`      write matrix: ${size}`);
        const doc = fs.readFileSync(path.join(PACKAGE_ROOT, "docs", "SECURITY.md"), "utf8");
        expect(doc, "docs/SECURITY.md states the matrix size").to.contain(size);
    });

    it("has no case where a principal other than an allow-listed one is allowed a write on a protected resource", () => {
        expect(allowedOutside(after).map(line)).to.deep.equal([]);
    });

    it("uses every allow-list entry (a stale exception is removed, not kept)", () => {
        const unused = ALLOW_LIST.filter((e) => !after.cases.some((c) => c.outcome === "allowed" && covers(e, c))).map((e) => e.id);
        expect(unused).to.deep.equal([]);
    });

    it("let writes through before the hardening (the same matrix on main's documents as frozen in fixtures/prod-before.json)", () => {
        const holes = allowedOutside(beforeHardening);
        const byClass = new Map<string, number>();
        for (const c of holes) byClass.set(`${c.principal.id} on ${c.resource.kind}`, (byClass.get(`${c.principal.id} on ${c.resource.kind}`) ?? 0) + 1);
        console.log(`      before the hardening: ${holes.length} allowed writes outside the allow-list, ${byClass.size} (principal, resource kind) classes`);
        expect(holes.length).to.be.greaterThan(0);
        // Every class the review reported (docs/SECURITY.md) is among them.
        for (const cls of [
            "monitoring-admin on centralization-rule",
            "log-archive-admin on bucket",
            "log-archive-admin on object",
            "log-archive-admin on key",
            "monitoring-admin on central-log-group",
            "monitoring-admin on dashboard",
            "member-admin on role",
            "delegated-admin-admin on guardrail-policy",
            "cloudwatch.amazonaws.com@outsider on key",
            "cloudtrail.amazonaws.com@outsider on role",
            "delegated-admin-admin on organization-root",
            "delegated-admin-admin on organization-target",
        ]) {
            expect(byClass.has(cls), cls).to.equal(true);
        }
    });
});
