import { expect } from "chai";

import { CheckReport } from "../../../lib/check/evaluate";
import { render, renderFailure, renderJson, renderSarif, renderTable } from "../../../lib/check/format";
import { ORGWATCH_POLICIES } from "../../../policies/pack";
import { githubCodeScanningProblems, sarifSchemaErrors } from "../../helpers/sarif";

const FN = "urn:pulumi:dev::app::aws:lambda/function:Function::orders";
const REPORT: CheckReport = {
    stack: "dev",
    policyPack: "orgwatch-monitoring",
    policyPackVersion: "0.1.0",
    violations: [
        { policy: "monitoring-enabled", enforcementLevel: "mandatory", urn: FN, type: "aws:lambda/function:Function", message: 'The Lambda function "orders" must be covered by an alarm.' },
        { policy: "log-group-kms-encrypted", enforcementLevel: "advisory", urn: FN, type: "aws:lambda/function:Function", message: "A log group must be encrypted." },
        { policy: "monitoring-enabled", enforcementLevel: "mandatory", urn: null, type: null, message: "The stack tag exempts a stack only with a reason." },
    ],
    summary: { mandatory: 2, advisory: 1 },
    complete: false,
    notInspected: [{ urn: "urn:pulumi:dev::app::awsx:lb:ApplicationLoadBalancer::web", type: "awsx:lb:ApplicationLoadBalancer", reason: "remote component", policies: ["monitoring-enabled"] }],
    notApplicable: [{ policy: "x", urn: null, reason: "y" }],
};

interface SarifNotification {
    level: string;
    message: { text: string };
    descriptor?: { id: string; index?: number };
    locations?: unknown[];
}
interface SarifLog {
    runs: Array<{ tool: { driver: { notifications?: Array<{ id: string }> } }; invocations: Array<{ toolExecutionNotifications: SarifNotification[] }> }>;
}

/** Each notification's descriptor is a reportingDescriptorReference into tool.driver.notifications (SARIF 2.1.0 §3.52.3): its index names the descriptor with its id. */
function expectDeclared(log: SarifLog): void {
    const declared = log.runs[0].tool.driver.notifications ?? [];
    for (const n of log.runs[0].invocations[0].toolExecutionNotifications) {
        if (!n.descriptor) continue;
        expect(declared.map((d) => d.id), n.descriptor.id).to.include(n.descriptor.id);
        if (n.descriptor.index !== undefined) expect(declared[n.descriptor.index].id).to.equal(n.descriptor.id);
    }
}

describe("lib/check format", () => {
    it("json is exactly the documented shape, and says when the check was incomplete and why", () => {
        const parsed = JSON.parse(renderJson(REPORT)) as Record<string, unknown>;
        expect(Object.keys(parsed)).to.deep.equal(["stack", "policyPack", "violations", "summary", "complete", "notInspected", "notes"]);
        expect(parsed).to.deep.equal({
            notes: [],
            stack: "dev",
            policyPack: "orgwatch-monitoring",
            violations: REPORT.violations.map((v) => ({ policy: v.policy, enforcementLevel: v.enforcementLevel, urn: v.urn, type: v.type, message: v.message })),
            summary: { mandatory: 2, advisory: 1 },
            complete: false,
            notInspected: [{ urn: "urn:pulumi:dev::app::awsx:lb:ApplicationLoadBalancer::web", type: "awsx:lb:ApplicationLoadBalancer", reason: "remote component", policies: ["monitoring-enabled"] }],
        });
        expect(JSON.parse(renderJson({ ...REPORT, complete: true, notInspected: [] }))).to.deep.include({ complete: true, notInspected: [] });
        for (const v of parsed["violations"] as Record<string, unknown>[]) {
            expect(Object.keys(v)).to.deep.equal(["policy", "enforcementLevel", "urn", "type", "message"]);
        }
    });

    it("table groups violations by resource, stack-level first, then not inspected and the summary", () => {
        const text = renderTable(REPORT);
        const lines = text.split("\n");
        const stackAt = lines.indexOf("stack");
        const fnAt = lines.findIndex((l) => l.includes(FN));
        expect(stackAt).to.be.greaterThan(0);
        expect(fnAt).to.be.greaterThan(stackAt);
        expect(lines.filter((l) => l.includes(FN))).to.have.length(1);
        expect(text).to.contain("[advisory] log-group-kms-encrypted");
        expect(text).to.contain("Check incomplete: 1 component was not fully inspected offline").and.contain("awsx:lb:ApplicationLoadBalancer").and.contain("remote component");
        expect(lines.filter((l) => l.length > 0).pop()).to.equal("Summary: 2 mandatory, 1 advisory; incomplete (1 not inspected)");
        const clean = renderTable({ ...REPORT, violations: [], summary: { mandatory: 0, advisory: 0 }, complete: true, notInspected: [] });
        expect(clean).to.contain("No violations.").and.not.contain("incomplete");
        expect(clean.trim().split("\n").pop()).to.equal("Summary: 0 mandatory, 0 advisory");
    });

    it("a check without a verdict (the program failed) is a JSON document with the error added to the shape, and a SARIF run that did not succeed", () => {
        const failure = { stack: "dev", policyPackVersion: "0.1.0", message: "The program in app failed to run: boom\n  at index.ts:4:29", exitStatus: 3 };
        const doc = JSON.parse(renderFailure(failure, "json")) as Record<string, unknown>;
        expect(Object.keys(doc)).to.deep.equal(["stack", "policyPack", "violations", "summary", "complete", "notInspected", "notes", "error"]);
        expect(doc).to.deep.include({ violations: [], complete: false, error: { message: failure.message, exitStatus: 3, kind: "program-failed" } });
        const log = JSON.parse(renderFailure(failure, "sarif", { artifactUri: "app/Pulumi.dev.yaml" })) as { runs: Array<{ results: unknown[]; invocations: Array<Record<string, unknown>> }> };
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        expect(log.runs[0].results).to.deep.equal([]);
        expect(log.runs[0].invocations[0]).to.deep.include({ executionSuccessful: false, exitCode: 3 });
        expect(renderFailure(failure, "table")).to.equal("");
    });

    it("notes (what the check assumed) are in JSON's notes and SARIF's note notifications, each notification's descriptor declared by the driver", () => {
        const notes = ["no stack settings file for stack dev: /app/Pulumi.dev.yaml", "no aws:region in Pulumi.dev.yaml or Pulumi.yaml: the default provider was assumed to be in us-east-1"];
        expect((JSON.parse(render(REPORT, "json", { notes })) as { notes: string[] }).notes).to.deep.equal(notes);
        const log = JSON.parse(render(REPORT, "sarif", { artifactUri: "app/Pulumi.dev.yaml", notes })) as SarifLog;
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        const notifications = log.runs[0].invocations[0].toolExecutionNotifications;
        expect(notifications.filter((n) => n.level === "note").map((n) => n.message.text)).to.include.members(notes);
        expectDeclared(log);
    });

    it("a failure that knows its place gives it: JSON error.location, SARIF notification locations with the line and column (SARIF 2.1.0 §3.58.4, §3.30)", () => {
        const failure = { stack: "dev", policyPackVersion: "0.1.0", message: "The program in app failed to run: TS2322\n  at components/logs.ts:3:100", exitStatus: 3, location: { uri: "app/components/logs.ts", line: 3, column: 100 } };
        const doc = JSON.parse(renderFailure(failure, "json")) as { error: Record<string, unknown> };
        expect(doc.error).to.deep.equal({ message: failure.message, exitStatus: 3, kind: "program-failed", location: { uri: "app/components/logs.ts", line: 3, column: 100 } });
        const log = JSON.parse(renderFailure(failure, "sarif", { artifactUri: "app/Pulumi.dev.yaml" })) as SarifLog;
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        const n = log.runs[0].invocations[0].toolExecutionNotifications[0];
        expect(n.locations).to.deep.equal([{ physicalLocation: { artifactLocation: { uri: "app/components/logs.ts" }, region: { startLine: 3, startColumn: 100 } } }]);
        expect(n.descriptor?.id).to.equal("program-failed");
        expectDeclared(log);
        const config = JSON.parse(renderFailure({ ...failure, exitStatus: 2, location: { uri: "app/Pulumi.prod.yaml" } }, "sarif")) as SarifLog;
        expect(sarifSchemaErrors(config)).to.deep.equal([]);
        expect(config.runs[0].invocations[0].toolExecutionNotifications[0].locations).to.deep.equal([{ physicalLocation: { artifactLocation: { uri: "app/Pulumi.prod.yaml" } } }]);
        expectDeclared(config);
    });

    describe("sarif", () => {
        it("is valid against the SARIF 2.1.0 schema and meets GitHub code scanning's requirements", () => {
            for (const opts of [{ artifactUri: "stacks/Pulumi.dev.yaml" }, {}]) {
                const log = JSON.parse(renderSarif(REPORT, opts)) as Parameters<typeof githubCodeScanningProblems>[0];
                expect(sarifSchemaErrors(log)).to.deep.equal([]);
                expect(githubCodeScanningProblems(log)).to.deep.equal([]);
            }
            const empty = JSON.parse(renderSarif({ ...REPORT, violations: [], summary: { mandatory: 0, advisory: 0 }, complete: true, notInspected: [] })) as unknown;
            expect(sarifSchemaErrors(empty)).to.deep.equal([]);
        });

        it("the schema and the GitHub checks reject broken logs (a control for the validators)", () => {
            const good = JSON.parse(renderSarif(REPORT)) as { version: string; runs: Array<{ tool: { driver: Record<string, unknown> }; results: Array<Record<string, unknown>> }> };
            const broken = (edit: (log: typeof good) => void): typeof good => {
                const copy = JSON.parse(JSON.stringify(good)) as typeof good;
                edit(copy);
                return copy;
            };
            expect(sarifSchemaErrors(broken((l) => (l.version = "2.0.0")))).to.not.deep.equal([]);
            expect(sarifSchemaErrors(broken((l) => delete l.runs[0].tool.driver.name))).to.not.deep.equal([]);
            expect(sarifSchemaErrors(broken((l) => (l.runs[0].results[0].level = "fatal")))).to.not.deep.equal([]);
            expect(sarifSchemaErrors(broken((l) => (l.runs[0].results[0].message = {})))).to.not.deep.equal([]);
            expect(sarifSchemaErrors(broken((l) => (l.runs[0].results[0].unknownProperty = 1)))).to.not.deep.equal([]);
            expect(githubCodeScanningProblems(broken((l) => (l.runs[0].results[0].locations = []))), "no location").to.have.length(1);
            expect(githubCodeScanningProblems(broken((l) => delete l.runs[0].results[0].ruleId)), "no ruleId").to.have.length(1);
        });

        it("has one rule per policy and results with ruleId, level, message and both locations", () => {
            const log = JSON.parse(renderSarif(REPORT, { artifactUri: "Pulumi.dev.yaml" })) as {
                runs: { tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string } }[] } }; results: Record<string, never>[]; invocations: { toolExecutionNotifications: unknown[] }[] }[];
            };
            const run = log.runs[0];
            expect(run.tool.driver.name).to.equal("orgwatch-monitoring");
            expect(run.tool.driver.rules.map((r) => r.id)).to.deep.equal(ORGWATCH_POLICIES.map((p) => p.name));
            expect(run.tool.driver.rules.find((r) => r.id === "ec2-instance-detailed-monitoring-enabled")?.defaultConfiguration.level).to.equal("warning");
            const results = run.results as unknown as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: { fullyQualifiedName: string }[] }[] }[];
            expect(results.map((r) => [r.ruleId, r.level])).to.deep.equal([
                ["monitoring-enabled", "error"],
                ["log-group-kms-encrypted", "warning"],
                ["monitoring-enabled", "error"],
            ]);
            expect(run.tool.driver.rules[results[0].ruleIndex].id).to.equal("monitoring-enabled");
            expect(results[0].locations[0].physicalLocation.artifactLocation.uri).to.equal("Pulumi.dev.yaml");
            expect(results[0].locations[0].logicalLocations[0].fullyQualifiedName).to.equal(FN);
            expect(results[2].locations[0].logicalLocations[0].fullyQualifiedName).to.equal("stack:dev");
            // An incomplete check: a warning that says so, and a note per resource not inspected.
            expect(run.invocations[0].toolExecutionNotifications).to.have.length(2);
            expect(JSON.stringify(run.invocations[0].toolExecutionNotifications[0])).to.contain("Check incomplete");
            expect((run as unknown as { properties: unknown }).properties).to.deep.equal({ complete: false, notInspected: [{ urn: "urn:pulumi:dev::app::awsx:lb:ApplicationLoadBalancer::web", type: "awsx:lb:ApplicationLoadBalancer", reason: "remote component", policies: ["monitoring-enabled"] }] });
        });

        it("gives every result a physical location even without a stack file (GitHub requires artifactLocation.uri)", () => {
            const log = JSON.parse(renderSarif(REPORT)) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
            for (const r of log.runs[0].results) {
                expect(r.locations[0].physicalLocation.artifactLocation.uri).to.equal("Pulumi.yaml");
            }
        });
    });

    it("render dispatches on the format", () => {
        expect(render(REPORT, "json")).to.equal(renderJson(REPORT));
        expect(render(REPORT, "table")).to.equal(renderTable(REPORT));
        expect(render(REPORT, "sarif", { artifactUri: "a.yaml" })).to.equal(renderSarif(REPORT, { artifactUri: "a.yaml" }));
    });
});
