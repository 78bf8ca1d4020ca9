/**
 * The corpus of application programs (tests/corpus/programs/<program>/), each checked by the real `check`
 * command as a user runs it, against the verdict written in its `expected.json` from reading the
 * program (its `why`), not from running the check. The programs resolve their packages from
 * orgwatch's node_modules (Node walks up from tests/corpus/programs/<program>), and each runs in a process of
 * its own. Runs go two at a time; the assertions read the collected outcomes.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { runCheckCli, type CheckOutcome } from "../../lib/cli/check";
import { PACKAGE_ROOT } from "../../lib/synth/synthesize";

interface ExpectedRun {
    readonly args?: readonly string[];
    readonly exit: number;
    readonly complete?: boolean;
    /** Exactly the mandatory violations, as [policy, "<type>::<name>"]. */
    readonly mandatory?: ReadonlyArray<readonly [string, string]>;
    /** Exactly the advisory violations. */
    readonly advisory?: ReadonlyArray<readonly [string, string]>;
    /** Exactly the components not fully inspected, as "<type>::<name>". */
    readonly notInspected?: readonly string[];
    readonly stderr?: readonly string[];
    readonly stderrNot?: readonly string[];
    readonly outputs?: Readonly<Record<string, unknown>>;
    readonly outputPatterns?: Readonly<Record<string, string>>;
    readonly outputLengths?: Readonly<Record<string, number>>;
    /** Resources ("<type>::<name>") that must be in the synth. */
    readonly resources?: readonly string[];
    /** Texts the notes must contain. */
    readonly notes?: readonly string[];
}

interface Expected extends ExpectedRun {
    readonly why: string;
    readonly runs?: readonly ExpectedRun[];
    /** Policy config file, relative to the orgwatch root. @default "policies/policy-config.app.json" */
    readonly policyConfig?: string | null;
}

interface Outcome {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
    readonly outcome?: CheckOutcome;
}

const CORPUS = path.join(__dirname, "programs");
const PROGRAMS = fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(CORPUS, d.name, "expected.json")))
    .map((d) => d.name)
    .sort();

function expectedOf(program: string): Expected {
    return JSON.parse(fs.readFileSync(path.join(CORPUS, program, "expected.json"), "utf8")) as Expected;
}

function runsOf(e: Expected): ExpectedRun[] {
    return e.runs ? [...e.runs] : [e];
}

/** `<type>::<name>` of a URN. */
function shortUrn(urn: string | null): string {
    if (urn === null) return "(stack)";
    const parts = urn.split("::");
    return `${(parts[2] ?? "").split("$").pop() ?? ""}::${parts[3] ?? ""}`;
}

async function check(program: string, e: Expected, run: ExpectedRun): Promise<Outcome> {
    const dir = path.join(CORPUS, program);
    const policyConfig = e.policyConfig === undefined ? "policies/policy-config.app.json" : e.policyConfig;
    const args = (run.args ?? []).map((a) => (a.endsWith(".json") && fs.existsSync(path.join(dir, a)) ? path.join(dir, a) : a));
    let stdout = "";
    let stderr = "";
    let outcome: CheckOutcome | undefined;
    const status = await runCheckCli(
        ["--program", dir, "--stack", "dev", "--format", "json", ...(policyConfig ? ["--policy-config", path.join(PACKAGE_ROOT, policyConfig)] : []), ...args],
        { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
        (o) => (outcome = o),
    );
    return { status, stdout, stderr, outcome };
}

/** Runs every job, `width` at a time. */
async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
    const results: T[] = new Array<T>(jobs.length);
    let next = 0;
    await Promise.all(
        Array.from({ length: width }, async () => {
            while (next < jobs.length) {
                const i = next++;
                results[i] = await jobs[i]();
            }
        }),
    );
    return results;
}

describe("corpus: application programs checked as a user checks them", function () {
    this.timeout(600_000);
    const outcomes = new Map<string, Outcome>();

    let transpileOnly: string | undefined;
    before(async () => {
        // Programs run transpile-only, as in a pipeline that type-checks with tsc in a step of its own
        // (see tests/lib/synth/type-check.test.ts): type-checking one costs some 5 s of CPU.
        transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        process.env.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";
        const jobs = PROGRAMS.flatMap((p) => runsOf(expectedOf(p)).map((r, i) => async () => outcomes.set(`${p}#${i}`, await check(p, expectedOf(p), r))));
        await pool(jobs, 2);
        if (transpileOnly === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    });

    it("has at least 20 programs, each with a reasoned verdict", () => {
        expect(PROGRAMS.length).to.be.at.least(20);
        for (const p of PROGRAMS) expect(expectedOf(p).why.length, p).to.be.greaterThan(80);
    });

    for (const program of PROGRAMS) {
        runsOf(expectedOf(program)).forEach((run, i) => {
            const label = `${program}${run.args?.length ? ` ${run.args.join(" ")}` : ""}: exit ${run.exit}`;
            it(label, () => {
                const o = outcomes.get(`${program}#${i}`) as Outcome;
                expect(o.status, `${o.stderr}\n${o.stdout}`).to.equal(run.exit);
                for (const text of run.stderr ?? []) expect(o.stderr).to.contain(text);
                for (const text of run.stderrNot ?? []) expect(o.stderr).to.not.contain(text);
                if (run.exit >= 2 && run.exit <= 3) {
                    // No verdict: the JSON document says so, with the error the user reads on stderr.
                    const failed = JSON.parse(o.stdout) as { violations: unknown[]; complete: boolean; error: { exitStatus: number; message: string } };
                    expect(failed).to.deep.include({ violations: [], complete: false });
                    expect(failed.error.exitStatus).to.equal(run.exit);
                    expect(o.stderr).to.contain(failed.error.message.split("\n")[0]);
                    return;
                }
                const report = JSON.parse(o.stdout) as { violations: Array<{ policy: string; enforcementLevel: string; urn: string | null }>; complete: boolean; notInspected: Array<{ urn: string }> };
                const of = (level: string): string[][] => report.violations.filter((v) => v.enforcementLevel === level).map((v) => [v.policy, shortUrn(v.urn)]);
                if (run.mandatory) expect(of("mandatory")).to.have.deep.members(run.mandatory.map((m) => [...m]));
                if (run.advisory) expect(of("advisory")).to.have.deep.members(run.advisory.map((m) => [...m]));
                if (run.complete !== undefined) expect(report.complete, JSON.stringify(report.notInspected)).to.equal(run.complete);
                if (run.notInspected) expect(report.notInspected.map((n) => shortUrn(n.urn))).to.have.members([...run.notInspected]);
                const synth = o.outcome?.synth;
                const outputs = synth?.run.result.outputs ?? {};
                for (const [k, v] of Object.entries(run.outputs ?? {})) expect(outputs[k], k).to.deep.equal(v);
                for (const [k, re] of Object.entries(run.outputPatterns ?? {})) expect(String(outputs[k]), k).to.match(new RegExp(re));
                for (const [k, n] of Object.entries(run.outputLengths ?? {})) expect(outputs[k], k).to.have.length(n);
                const resources = (synth?.run.result.resources ?? []).map((r) => `${r.type}::${r.name}`);
                for (const r of run.resources ?? []) expect(resources, r).to.include(r);
                // The notes reach the JSON document a CI step reads, and stderr.
                for (const n of run.notes ?? []) {
                    expect(((report as { notes?: string[] }).notes ?? []).join("\n")).to.contain(n);
                    expect(o.stderr).to.contain(n);
                }
            });
        });
    }
});
