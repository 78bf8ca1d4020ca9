import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { runCheckCli } from "../../lib/cli/check";
import { PACKAGE_ROOT } from "../../lib/synth/synthesize";
import { githubCodeScanningProblems, sarifSchemaErrors } from "../helpers/sarif";

const WORKFLOWS = path.join(PACKAGE_ROOT, ".github", "workflows");
const VALIDATOR = path.join(__dirname, "validate-workflow.mjs");

interface Validation {
    readonly file: string;
    readonly errors: readonly string[];
    readonly jobs: readonly string[];
}

/** Runs GitHub's workflow parser (in a child: it is an ES module) on the files. */
function validate(files: readonly string[]): { status: number | null; results: Validation[] } {
    const out = spawnSync(process.execPath, [VALIDATOR, ...files], { cwd: PACKAGE_ROOT, encoding: "utf8" });
    expect(out.stderr, "validator stderr").to.equal("");
    return { status: out.status, results: out.stdout.trim().split("\n").map((l) => JSON.parse(l) as Validation) };
}

interface Workflow {
    jobs: Record<string, { steps?: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }>;
}

describe("GitHub Actions workflows", function () {
    this.timeout(60_000);
    const files = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(WORKFLOWS, f));
    const pr = parse(fs.readFileSync(path.join(WORKFLOWS, "pull-request.yml"), "utf8")) as Workflow;

    it("every workflow is valid for GitHub's workflow parser (schema, expressions, job graph)", () => {
        expect(files.map((f) => path.basename(f))).to.include("pull-request.yml");
        const { status, results } = validate(files);
        expect(results.map((r) => [path.basename(r.file), r.errors])).to.deep.equal(files.map((f) => [path.basename(f), []]));
        expect(status).to.equal(0);
        expect(results.find((r) => r.file.endsWith("pull-request.yml"))?.jobs).to.deep.equal(["test", "offline-check", "preview-enabled", "preview"]);
    });

    it("the parser rejects a broken copy (a control for the validator)", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-wf-"));
        try {
            const text = fs.readFileSync(path.join(WORKFLOWS, "pull-request.yml"), "utf8");
            const badExpression = path.join(tmp, "bad-expression.yml");
            fs.writeFileSync(badExpression, text.replace("${{ secrets.AWS_ROLE_ARN }}", "${{ secret.AWS_ROLE_ARN }}"));
            const badNeeds = path.join(tmp, "bad-needs.yml");
            fs.writeFileSync(badNeeds, text.replace("needs: [test, preview-enabled]", "needs: [test, preview-gate]"));
            const { status, results } = validate([badExpression, badNeeds]);
            expect(status).to.equal(1);
            expect(results[0].errors.join("\n")).to.contain("Unrecognized named-value: 'secret'");
            expect(results[1].errors.join("\n")).to.contain("depends on unknown job 'preview-gate'");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("runs the tests, uploads the offline check's SARIF, and previews with the policy pack", () => {
        const runs = (job: string) => (pr.jobs[job]?.steps ?? []).map((s) => s.run ?? "").join("\n");
        const uses = (job: string) => (pr.jobs[job]?.steps ?? []).map((s) => s.uses ?? "");
        expect(runs("test")).to.contain("npm test");
        expect(uses("offline-check").some((u) => u.startsWith("github/codeql-action/upload-sarif@"))).to.equal(true);
        const preview = (pr.jobs["preview"]?.steps ?? []).find((s) => s.uses?.startsWith("pulumi/actions@"));
        expect(preview?.with).to.deep.include({ command: "preview", policyPacks: "policies", "stack-name": "prod" });
    });

    it("the offline check step, with its exact arguments, exits 0 on prod and writes SARIF GitHub accepts", async () => {
        const step = (pr.jobs["offline-check"]?.steps ?? []).map((s) => s.run ?? "").find((r) => r.includes("npm run --silent check --"));
        const line = step?.split("\n").find((l) => l.includes("npm run --silent check --")) ?? "";
        const args = line.split("npm run --silent check --")[1].split(">")[0].trim().split(/\s+/);
        expect(args).to.include("--format").and.include("sarif");
        let out = "";
        const status = await runCheckCli(args, { stdout: (s) => (out += s), stderr: () => undefined });
        expect(status).to.equal(0);
        const log = JSON.parse(out) as Parameters<typeof githubCodeScanningProblems>[0];
        expect(sarifSchemaErrors(log)).to.deep.equal([]);
        expect(githubCodeScanningProblems(log)).to.deep.equal([]);
    });
});
