/**
 * Benchmark of `check` on application programs (not a test): each program of the corpus
 * (tests/corpus/programs/<program>) is checked as the command runs it (`runCheckCli`, JSON output,
 * the application policy config), one at a time, `--reps` times; the median wall time of each check
 * is reported, with the time the program itself ran in its process (the synth), so the share of
 * process start-up is visible. The first repetition also fills the transpile cache of the check's own
 * modules; with `--cold` the cache is emptied before every repetition.
 *
 *   npm run --silent bench:check                    # every corpus program, 5 repetitions
 *   npm run --silent bench:check -- --reps 3 --only vm-ami-ts,awsx-vpc-ts --cold
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCheckCli, type CheckOutcome } from "../lib/cli/check";
import { PACKAGE_ROOT } from "../lib/synth/synthesize";

const CORPUS = path.join(PACKAGE_ROOT, "tests", "corpus", "programs");
const CACHE = path.join(PACKAGE_ROOT, "node_modules", ".cache", "orgwatch-check");

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface Expected {
    readonly args?: readonly string[];
    readonly runs?: ReadonlyArray<{ readonly args?: readonly string[]; readonly exit: number }>;
    readonly exit?: number;
}

async function main(): Promise<void> {
    const reps = Number(arg("--reps") ?? 5);
    const cold = process.argv.includes("--cold");
    const only = arg("--only")?.split(",");
    const programs = fs
        .readdirSync(CORPUS)
        .filter((p) => fs.existsSync(path.join(CORPUS, p, "expected.json")) && (only === undefined || only.includes(p)))
        .sort();
    const rows: string[] = [];
    const all: number[] = [];
    for (const program of programs) {
        const dir = path.join(CORPUS, program);
        const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as Expected;
        // The run that gets furthest: the last one listed (it carries the answers a program needs).
        const run = expected.runs ? expected.runs[expected.runs.length - 1] : { args: expected.args, exit: expected.exit ?? 0 };
        const args = (run.args ?? []).map((a) => (fs.existsSync(path.join(dir, a)) ? path.join(dir, a) : a));
        const wall: number[] = [];
        const synth: number[] = [];
        let status = -1;
        for (let i = 0; i < reps; i++) {
            if (cold) fs.rmSync(CACHE, { recursive: true, force: true });
            let outcome: CheckOutcome | undefined;
            const started = process.hrtime.bigint();
            status = await runCheckCli(
                ["--program", dir, "--stack", "dev", "--format", "json", "--policy-config", path.join(PACKAGE_ROOT, "policies", "policy-config.app.json"), ...args],
                { stdout: () => undefined, stderr: () => undefined },
                (o) => (outcome = o),
            );
            wall.push(Number(process.hrtime.bigint() - started) / 1e6);
            if (outcome) synth.push(outcome.synth.run.durationMs);
        }
        all.push(median(wall));
        rows.push(`| ${program} | ${status} | ${(median(wall) / 1000).toFixed(2)} | ${synth.length > 0 ? (median(synth) / 1000).toFixed(2) : "—"} |`);
        process.stderr.write(`${program}: ${(median(wall) / 1000).toFixed(2)} s\n`);
    }
    const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    process.stdout.write(
        [
            `reps ${reps}${cold ? ", cold transpile cache" : ""}; ${os.cpus().length} CPUs; Node.js ${process.version}; load average at the end ${load}`,
            "",
            "| program | exit | check s (median) | program run s (median) |",
            "|---|---|---|---|",
            ...rows,
            `| **median of the ${programs.length} programs** | | **${(median(all) / 1000).toFixed(2)}** | |`,
            "",
        ].join("\n"),
    );
}

main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
});
