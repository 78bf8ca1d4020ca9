import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CHECK_FORMATS } from "../../../lib/check";
import { runCheckCli } from "../../../lib/cli/check";
import type { CliIo } from "../../../lib/cli/common";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";
import { githubCodeScanningProblems, sarifSchemaErrors } from "../../helpers/sarif";

function captured(): { io: CliIo; out: () => string; err: () => string } {
    let out = "";
    let err = "";
    return { io: { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) }, out: () => out, err: () => err };
}

describe("check command", () => {
    let tmp: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-check-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("exits 0 on the dev stack and prints the synth summary and the policy summary (npm start)", async () => {
        const c = captured();
        expect(await runCheckCli(["--stack", "dev"], c.io)).to.equal(0);
        expect(c.out()).to.match(/^Synthesized stack dev offline: \d+ resources and \d+ components\n/);
        expect(c.out()).to.contain("account 100000000002  eu-west-1");
        expect(c.out()).to.contain("Summary: 0 mandatory, 0 advisory");
    });

    it("prints exactly the JSON contract for prod, with zero mandatory violations", async () => {
        const c = captured();
        expect(await runCheckCli(["--stack", "prod", "--format", "json"], c.io)).to.equal(0);
        const doc = JSON.parse(c.out()) as Record<string, unknown>;
        expect(Object.keys(doc)).to.deep.equal(["stack", "policyPack", "violations", "summary", "complete", "notInspected", "notes"]);
        expect(doc).to.deep.include({ stack: "prod", policyPack: "orgwatch-monitoring", summary: { mandatory: 0, advisory: 0 }, complete: true, notInspected: [] });
    });

    it("exits 1 with a mandatory violation, naming the resource, in JSON and SARIF", async () => {
        const file = path.join(tmp, "Pulumi.short.yaml");
        fs.writeFileSync(file, fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.dev.yaml"), "utf8").replace("logGroupDays: 365", "logGroupDays: 30"));
        const json = captured();
        expect(await runCheckCli(["--stack", "dev", "--config-file", file, "--format", "json"], json.io)).to.equal(1);
        const doc = JSON.parse(json.out()) as { violations: Array<Record<string, unknown>>; summary: { mandatory: number } };
        expect(doc.summary.mandatory).to.equal(1);
        expect(doc.violations[0]).to.deep.include({
            policy: "log-group-retention-within-bounds",
            enforcementLevel: "mandatory",
            type: "aws:cloudwatch/logGroup:LogGroup",
            urn: "urn:pulumi:dev::orgwatch::orgwatch:trail:OrganizationTrail$aws:cloudwatch/logGroup:LogGroup::organization-trail-log-group",
        });
        const sarif = captured();
        expect(await runCheckCli(["--stack", "dev", "--config-file", file, "--format", "sarif"], sarif.io)).to.equal(1);
        const log = JSON.parse(sarif.out()) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string }> }> };
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        expect(githubCodeScanningProblems(log)).to.deep.equal([]);
        expect(log.version).to.equal("2.1.0");
        expect(log.runs[0].results.map((r) => [r.ruleId, r.level])).to.deep.equal([["log-group-retention-within-bounds", "error"]]);
    });

    it("an advisory override turns the violation into a warning and exit 0", async () => {
        const file = path.join(tmp, "Pulumi.short.yaml");
        const policyConfig = path.join(tmp, "advisory.json");
        fs.writeFileSync(policyConfig, JSON.stringify({ "log-group-retention-within-bounds": "advisory" }));
        const c = captured();
        expect(await runCheckCli(["--stack", "dev", "--config-file", file, "--policy-config", policyConfig, "--format", "json"], c.io)).to.equal(0);
        expect((JSON.parse(c.out()) as { summary: unknown }).summary).to.deep.equal({ mandatory: 0, advisory: 1 });
    });

    it("--help lists the exit statuses with the README's words", async () => {
        const c = captured();
        expect(await runCheckCli(["--help"], c.io)).to.equal(0);
        const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Checking application programs offline"));
        const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((m) => [Number(m[1]), m[2].replace(/`/g, "")] as const);
        expect(rows.map((r) => r[0])).to.deep.equal([0, 1, 2, 3, 4, 70]);
        for (const [code, meaning] of rows) expect(c.out().replace(/\s+/g, " ")).to.contain(`${code} ${meaning}`.replace(/\s+/g, " "));
    });

    for (const [what, args] of [
        ["a missing --stack", ["--format", "FORMAT"]],
        ["an invalid stack name", ["--stack", "bad/na me", "--format", "FORMAT"]],
        ["an unknown flag", ["--stack", "dev", "--format=FORMAT", "--bogus"]],
        ["an unknown flag before -f", ["--bogus", "-f", "FORMAT", "--stack", "dev"]],
    ] as const) {
        it(`on ${what}, --format json and sarif still write the failure document (exit 2), as the README says`, async () => {
            for (const format of ["json", "sarif"]) {
                const c = captured();
                expect(await runCheckCli(args.map((a) => a.replace("FORMAT", format)), c.io)).to.equal(2);
                expect(c.err()).to.contain("error: ");
                if (format === "json") {
                    const doc = JSON.parse(c.out()) as { complete: boolean; violations: unknown[]; error: { exitStatus: number; kind: string; message: string } };
                    expect(doc).to.deep.include({ complete: false, violations: [] });
                    expect(doc.error).to.deep.include({ exitStatus: 2, kind: "usage-or-config" });
                    expect(c.err()).to.contain(doc.error.message);
                } else {
                    const log = JSON.parse(c.out()) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean; exitCode: number }> }> };
                    expect(sarifSchemaErrors(log)).to.deep.equal([]);
                    expect(log.runs[0].results).to.deep.equal([]);
                    expect(log.runs[0].invocations[0]).to.deep.include({ executionSuccessful: false, exitCode: 2 });
                }
            }
        });
    }

    it("the notes (no stack file, the Region assumed) are in JSON's notes, SARIF's note notifications and on stderr", async function () {
        this.timeout(120_000);
        // A JavaScript program that creates nothing, without a Pulumi.qa.yaml and without aws:region.
        const program = path.join(tmp, "no-stack-file");
        fs.mkdirSync(program);
        fs.writeFileSync(path.join(program, "Pulumi.yaml"), "name: no-stack-file\nruntime: nodejs\n");
        fs.writeFileSync(path.join(program, "package.json"), JSON.stringify({ name: "no-stack-file", main: "index.js" }));
        fs.writeFileSync(path.join(program, "index.js"), 'require("@pulumi/pulumi");\nexports.ok = true;\n');
        fs.symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(program, "node_modules"), "dir");
        const json = captured();
        expect(await runCheckCli(["--program", program, "--stack", "qa", "--format", "json"], json.io)).to.equal(0);
        const notes = (JSON.parse(json.out()) as { notes: string[] }).notes;
        expect(notes.some((n) => n.includes("Pulumi.qa.yaml")), notes.join("\n")).to.equal(true);
        expect(notes.some((n) => n.includes("no aws:region") && n.includes("us-east-1")), notes.join("\n")).to.equal(true);
        for (const n of notes) expect(json.err()).to.contain(`note: ${n}`);
        const sarif = captured();
        expect(await runCheckCli(["--program", program, "--stack", "qa", "--format", "sarif"], sarif.io)).to.equal(0);
        const log = JSON.parse(sarif.out()) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> };
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        const texts = log.runs[0].invocations[0].toolExecutionNotifications.filter((n) => n.level === "note").map((n) => n.message.text);
        expect(texts).to.include.members(notes);
    });

    it("--help lists every exit status", async () => {
        const c = captured();
        expect(await runCheckCli(["--help"], c.io)).to.equal(0);
        for (const line of ["0   no mandatory violation", "1   a mandatory policy is violated", "2   usage or config error", "3   the program failed to run", "4   with --require-complete", "70  internal error"]) {
            expect(c.out()).to.contain(line);
        }
        // The formats offered are the ones the report renders.
        expect(c.out()).to.contain(`(choices: ${CHECK_FORMATS.map((f) => `"${f}"`).join(", ")}`);
    });

    it("an incomplete check says so in the table and in SARIF valid against the 2.1.0 schema, and --require-complete exits 4", async () => {
        const program = path.join(PACKAGE_ROOT, "tests", "corpus", "programs", "awsx-fargate-logged-ts");
        const config = path.join(PACKAGE_ROOT, "policies", "policy-config.app.json");
        const table = captured();
        expect(await runCheckCli(["--program", program, "--stack", "dev", "--policy-config", config], table.io)).to.equal(0);
        expect(table.out()).to.contain("Check incomplete: 2 components were not fully inspected offline").and.contain("monitoring-enabled");
        const sarif = captured();
        expect(await runCheckCli(["--program", program, "--stack", "dev", "--policy-config", config, "--format", "sarif", "--require-complete"], sarif.io)).to.equal(4);
        const log = JSON.parse(sarif.out()) as { runs: Array<{ properties: { complete: boolean; notInspected: unknown[] }; invocations: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> };
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        expect(log.runs[0].properties.complete).to.equal(false);
        expect(log.runs[0].properties.notInspected).to.have.length(2);
        expect(log.runs[0].invocations[0].toolExecutionNotifications[0]).to.deep.include({ level: "warning" });
        expect(sarif.err()).to.contain("--require-complete");
    });

    it("on a config error, --format json and sarif still write a document that says the check gave no verdict", async () => {
        const missing = path.join(tmp, "no-such-policy-config.json");
        const json = captured();
        expect(await runCheckCli(["--stack", "dev", "--format", "json", "--policy-config", missing], json.io)).to.equal(2);
        const doc = JSON.parse(json.out()) as { complete: boolean; violations: unknown[]; error: { message: string; exitStatus: number } };
        expect(doc).to.deep.include({ complete: false, violations: [] });
        expect(doc.error.exitStatus).to.equal(2);
        expect(doc.error.message).to.contain(missing);
        const sarif = captured();
        expect(await runCheckCli(["--stack", "dev", "--format", "sarif", "--policy-config", missing], sarif.io)).to.equal(2);
        const log = JSON.parse(sarif.out()) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: Array<{ level: string; message: { text: string } }> }> }> };
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        expect(log.runs[0].results).to.deep.equal([]);
        expect(log.runs[0].invocations[0]).to.deep.include({ executionSuccessful: false, exitCode: 2 });
        expect(log.runs[0].invocations[0].toolExecutionNotifications[0].level).to.equal("error");
        expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).to.contain(missing);
        // A file that exists but is wrong is the one to fix: the notification's location (a file:// URI outside the working directory).
        const broken = path.join(tmp, "broken-policy-config.json");
        fs.writeFileSync(broken, "{ not json");
        const brokenJson = captured();
        expect(await runCheckCli(["--stack", "dev", "--format", "json", "--policy-config", broken], brokenJson.io)).to.equal(2);
        expect((JSON.parse(brokenJson.out()) as { error: unknown }).error).to.have.property("location").that.deep.equals({ uri: `file://${broken}` });
        const brokenSarif = captured();
        expect(await runCheckCli(["--stack", "dev", "--format", "sarif", "--policy-config", broken], brokenSarif.io)).to.equal(2);
        const brokenLog = JSON.parse(brokenSarif.out()) as { runs: Array<{ tool: { driver: { notifications: Array<{ id: string }> } }; invocations: Array<{ toolExecutionNotifications: Array<{ descriptor: { id: string; index: number }; locations: unknown }> }> }> };
        expect(sarifSchemaErrors(brokenLog)).to.deep.equal([]);
        const notification = brokenLog.runs[0].invocations[0].toolExecutionNotifications[0];
        expect(notification.locations).to.deep.equal([{ physicalLocation: { artifactLocation: { uri: `file://${broken}` } } }]);
        expect(brokenLog.runs[0].tool.driver.notifications[notification.descriptor.index].id).to.equal(notification.descriptor.id);
        // The user still reads the error on stderr.
        expect(sarif.err()).to.contain("error: ").and.contain(missing);
    });

    for (const [what, args] of [
        ["an unknown format", ["--stack", "dev", "--format", "xml"]],
        ["a missing --stack", ["--format", "json"]],
        ["an unknown flag", ["--stack", "dev", "--verbose"]],
        ["a stack without a stack file", ["--stack", "missing"]],
    ] as const) {
        it(`exits 2 on ${what}, without a stack trace`, async () => {
            const c = captured();
            expect(await runCheckCli([...args], c.io)).to.equal(2);
            expect(c.err()).not.to.match(/\n\s+at /);
            expect(c.err().length).to.be.greaterThan(0);
        });
    }
});
