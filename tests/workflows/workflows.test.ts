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

interface Step {
    name?: string;
    run?: string;
    uses?: string;
    if?: string;
    with?: Record<string, unknown>;
    "working-directory"?: string;
}

interface Workflow {
    on?: { workflow_call?: { inputs?: Record<string, { default?: unknown; required?: boolean }>; secrets?: Record<string, unknown> } };
    jobs: Record<string, { steps?: Step[] }>;
}

/** `inputs.X` and `secrets.X` named in a workflow's expressions (GitHub's parser does not check them). */
function contextNames(text: string, context: "inputs" | "secrets"): string[] {
    return [...new Set([...text.matchAll(new RegExp(`\\b${context}\\.([A-Za-z_][A-Za-z0-9_-]*)`, "g"))].map((m) => m[1]))].sort();
}

/** Undeclared inputs and secrets of a reusable workflow (GITHUB_TOKEN is always there). */
function undeclared(text: string): string[] {
    const wf = parse(text) as Workflow;
    const call = wf.on?.workflow_call ?? {};
    const inputs = contextNames(text, "inputs").filter((n) => !(n in (call.inputs ?? {}))).map((n) => `inputs.${n}`);
    const secrets = contextNames(text, "secrets").filter((n) => n !== "GITHUB_TOKEN" && !(n in (call.secrets ?? {}))).map((n) => `secrets.${n}`);
    return [...inputs, ...secrets];
}

function git(args: readonly string[], cwd: string): string {
    const out = spawnSync("git", ["-c", "user.name=orgwatch-test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" });
    expect(out.status, `git ${args.join(" ")}: ${out.stderr}`).to.equal(0);
    return out.stdout;
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

    it("the test job caches the pack's lock too, and the preview installs the pack from its lock (npm ci, not npm install)", () => {
        const setupNode = (pr.jobs["test"]?.steps ?? []).find((s) => s.uses?.startsWith("actions/setup-node@"));
        expect(String(setupNode?.with?.["cache-dependency-path"]).split("\n").map((l) => l.trim()).filter(Boolean)).to.deep.equal([
            "package-lock.json",
            "policies/package-lock.json",
        ]);
        const install = (pr.jobs["preview"]?.steps ?? []).filter((s) => s["working-directory"] === "policies");
        expect(install.map((s) => s.run)).to.deep.equal(["npm ci --no-audit --no-fund"]);
    });

    describe("policy-pack-preview.yml (reusable, for application repositories)", () => {
        const file = path.join(WORKFLOWS, "policy-pack-preview.yml");
        const text = fs.readFileSync(file, "utf8");
        const wf = parse(text) as Workflow;
        const steps = wf.jobs["preview"]?.steps ?? [];
        const packCheckout = steps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.["repository"] !== undefined);

        it("is called with workflow_call and names only inputs and secrets it declares", () => {
            expect(Object.keys(wf.on ?? {})).to.deep.equal(["workflow_call"]);
            expect(undeclared(text)).to.deep.equal([]);
            // A control: GitHub's parser accepts a misspelt input; this check does not.
            expect(undeclared(text.replace("inputs.policy-config }}", "inputs.policy-cfg }}"))).to.deep.equal(["inputs.policy-cfg"]);
        });

        it("checks out only orgwatch's policies/, next to the application, and installs it with npm ci from its lock", () => {
            expect(packCheckout?.with).to.deep.include({ path: "orgwatch", "sparse-checkout-cone-mode": false, "persist-credentials": false });
            const app = steps.find((s) => s.uses?.startsWith("actions/checkout@") && s !== packCheckout);
            expect(app?.with?.["path"]).to.equal("app");
            const install = steps.filter((s) => s["working-directory"] === "orgwatch/policies");
            expect(install.map((s) => s.run)).to.deep.equal(["npm ci --no-audit --no-fund"]);
            const setupNode = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
            expect(setupNode?.with?.["cache-dependency-path"]).to.equal("orgwatch/policies/package-lock.json");
        });

        it("its sparse-checkout patterns select policies/ at the root and nothing else (git, non-cone mode, on a scratch repository)", () => {
            const patterns = String(packCheckout?.with?.["sparse-checkout"]).split("\n").map((l) => l.trim()).filter(Boolean);
            const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-sparse-"));
            try {
                const origin = path.join(tmp, "origin");
                const tracked = ["policies/index.ts", "policies/cis-catalogue.ts", "policies/package-lock.json", "policies/sub/x.json", "lib/cis/index.ts", "tests/policies/stack.test.ts", "package.json", "index.ts"];
                for (const f of tracked) {
                    fs.mkdirSync(path.dirname(path.join(origin, f)), { recursive: true });
                    fs.writeFileSync(path.join(origin, f), f);
                }
                git(["init", "-q"], origin);
                git(["add", "."], origin);
                git(["commit", "-qm", "scratch"], origin);
                const clone = path.join(tmp, "orgwatch");
                git(["clone", "-q", "--no-checkout", origin, clone], tmp);
                git(["sparse-checkout", "set", "--no-cone", ...patterns], clone);
                git(["checkout", "-q", "main"], clone);
                const present = git(["ls-files", "-t"], clone).split("\n").filter((l) => l.startsWith("H ")).map((l) => l.slice(2)).sort();
                expect(present).to.deep.equal(tracked.filter((f) => f.startsWith("policies/")).sort());
            } finally {
                fs.rmSync(tmp, { recursive: true, force: true });
            }
        });

        it("runs on the Node.js major the pack's locked @pulumi/pulumi declares in engines", () => {
            const lock = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "policies", "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } }> };
            const engines = lock.packages["node_modules/@pulumi/pulumi"]?.engines?.node ?? "";
            expect(engines).to.match(/^>=\d+/);
            const setupNode = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
            expect(String(setupNode?.with?.["node-version"])).to.equal(/^>=(\d+)/.exec(engines)?.[1]);
        });

        it("takes the pack from the commit it is called at (one version, in uses:), not from a second input", () => {
            expect(packCheckout?.with?.["ref"]).to.equal("${{ steps.pack-ref.outputs.sha }}");
            const inputs = wf.on?.workflow_call?.inputs ?? {};
            expect(inputs["orgwatch-ref"]?.required ?? false).to.equal(false);
            expect(inputs["orgwatch-ref"]?.default).to.equal("");
        });

        describe("the step that reads the called commit from the OIDC token", () => {
            const step = steps.find((s) => s.name === "Find the orgwatch commit this workflow was called at");
            // Claims as GitHub documents them for a reusable workflow (job_workflow_ref: <repo>/<path>@<ref>, job_workflow_sha):
            // https://docs.github.com/en/actions/reference/security/oidc#oidc-token-claims
            const SHA = "ed01d1c4f3a3a7b6b0c9d8e7f6a5b4c3d2e1f0a9";
            const run = (orgwatchRepository: string, orgwatchRef: string, oidc = true): { status: number | null; output: string; stdout: string; stderr: string } => {
                const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-oidc-"));
                try {
                    const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString("base64url");
                    const jwt = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ repository: "acme/shop", job_workflow_ref: "Acme/orgwatch/.github/workflows/policy-pack-preview.yml@refs/tags/v0.2.0", job_workflow_sha: SHA })}.sig`;
                    fs.writeFileSync(path.join(tmp, "token.json"), JSON.stringify({ value: jwt }));
                    const out = path.join(tmp, "output");
                    fs.writeFileSync(out, "");
                    const r = spawnSync("bash", ["-c", String(step?.run)], {
                        encoding: "utf8",
                        env: {
                            PATH: process.env.PATH ?? "",
                            ...(oidc ? { ACTIONS_ID_TOKEN_REQUEST_URL: `file://${path.join(tmp, "token.json")}`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" } : {}),
                            GITHUB_OUTPUT: out,
                            ORGWATCH_REPOSITORY: orgwatchRepository,
                            ORGWATCH_REF: orgwatchRef,
                        },
                    });
                    return { status: r.status, output: fs.readFileSync(out, "utf8"), stdout: r.stdout, stderr: r.stderr };
                } finally {
                    fs.rmSync(tmp, { recursive: true, force: true });
                }
            };
            it("outputs the called commit when orgwatch-repository names the called repository (case-insensitive) and no ref is given", () => {
                expect(step?.with).to.equal(undefined);
                const r = run("acme/orgwatch", "");
                expect(r.status, r.stdout).to.equal(0);
                expect(r.output).to.equal(`sha=${SHA}\n`);
            });
            it("accepts a deprecated orgwatch-ref that names the same tag or commit, and fails on one that drifted", () => {
                expect(run("acme/orgwatch", "v0.2.0").status).to.equal(0);
                expect(run("acme/orgwatch", SHA).status).to.equal(0);
                const drifted = run("acme/orgwatch", "v0.1.0");
                expect(drifted.status).to.equal(1);
                expect(drifted.stdout).to.contain("orgwatch-ref is v0.1.0, but this workflow was called at refs/tags/v0.2.0");
                expect(drifted.output).to.equal("");
            });
            // Pull requests from forks (and Dependabot) get no id-token, so neither ACTIONS_ID_TOKEN_REQUEST_* variable:
            // https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings
            it("without an OIDC token (fork pull requests) takes the pack from orgwatch-ref with a warning, or fails saying what to set", () => {
                const withRef = run("acme/orgwatch", "v0.3.0", false);
                expect(withRef.status, withRef.stdout).to.equal(0);
                expect(withRef.stdout).to.contain("::warning::no OIDC token").and.contain("orgwatch-ref v0.3.0");
                expect(withRef.output).to.equal("sha=v0.3.0\n");
                const none = run("acme/orgwatch", "", false);
                expect(none.status).to.equal(1);
                expect(none.stdout).to.contain("::error::no OIDC token").and.contain("id-token: write").and.contain("orgwatch-ref");
                expect(none.stderr).to.not.contain("unbound variable");
                expect(none.output).to.equal("");
            });
            it("fails when orgwatch-repository is not the repository the workflow was called from", () => {
                const r = run("other/orgwatch", "");
                expect(r.status).to.equal(1);
                expect(r.stdout).to.contain("set orgwatch-repository to Acme/orgwatch");
            });
        });

        it("previews with --policy-pack and --policy-pack-config inside the checked-out pack; the default config is the application one", () => {
            const preview = steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
            expect(preview?.with).to.deep.include({
                command: "preview",
                policyPacks: "${{ github.workspace }}/orgwatch/policies",
                policyPackConfigs: "${{ github.workspace }}/orgwatch/policies/${{ inputs.policy-config }}",
                "work-dir": "app/${{ inputs.working-directory }}",
            });
            const defaultConfig = String(wf.on?.workflow_call?.inputs?.["policy-config"]?.default);
            expect(defaultConfig).to.equal("policy-config.app.json");
            expect(fs.existsSync(path.join(PACKAGE_ROOT, "policies", defaultConfig))).to.equal(true);
        });
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
