/**
 * Benchmark of `check` on application programs (not a test): each program of the corpus
 * (tests/corpus/programs/<program>) is checked by the command a user runs, end to end: a child
 * process `ts-node --transpile-only lib/cli/check.ts ...` (what `npm run check` runs, without npm's own
 * start-up), JSON output, the application policy config, one at a time, `--reps` times; the median
 * wall time of each is reported, and the median of `check --help` (the command's start-up alone).
 * Programs are type-checked as `pulumi preview` does unless `--transpile-only` is given (which sets
 * PULUMI_NODEJS_TRANSPILE_ONLY=true, as a pipeline with its own `tsc` step does).
 *
 *   npm run --silent bench:check                    # every corpus program, 5 repetitions
 *   npm run --silent bench:check -- --reps 3 --only vm-ami-ts,awsx-vpc-ts --transpile-only
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../lib/synth/synthesize";

const CORPUS = path.join(PACKAGE_ROOT, "tests", "corpus", "programs");
const TS_NODE = path.join(PACKAGE_ROOT, "node_modules", ".bin", "ts-node");
const CLI = path.join(PACKAGE_ROOT, "lib", "cli", "check.ts");

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

/** Runs the command once; its exit status and wall time in ms. */
function timed(args: readonly string[], env: NodeJS.ProcessEnv): { status: number; ms: number } {
    const started = process.hrtime.bigint();
    const r = spawnSync(TS_NODE, ["--transpile-only", CLI, ...args], { cwd: PACKAGE_ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status ?? -1, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function main(): void {
    const reps = Number(arg("--reps") ?? 5);
    const transpileOnly = process.argv.includes("--transpile-only");
    const only = arg("--only")?.split(",");
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (transpileOnly) env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
    else delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const programs = fs
        .readdirSync(CORPUS)
        .filter((p) => fs.existsSync(path.join(CORPUS, p, "expected.json")) && (only === undefined || only.includes(p)))
        .sort();
    const help = Array.from({ length: reps }, () => timed(["--help"], env).ms);
    process.stderr.write(`--help: ${(median(help) / 1000).toFixed(2)} s\n`);
    const rows: string[] = [];
    const all: number[] = [];
    for (const program of programs) {
        const dir = path.join(CORPUS, program);
        const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8")) as Expected;
        // The run that gets furthest: the last one listed (it carries the answers a program needs).
        const run = expected.runs ? expected.runs[expected.runs.length - 1] : { args: expected.args, exit: expected.exit ?? 0 };
        const args = (run.args ?? []).map((a) => (fs.existsSync(path.join(dir, a)) ? path.join(dir, a) : a));
        const wall: number[] = [];
        let status = -1;
        for (let i = 0; i < reps; i++) {
            const r = timed(["--program", dir, "--stack", "dev", "--format", "json", "--policy-config", path.join(PACKAGE_ROOT, "policies", "policy-config.app.json"), ...args], env);
            wall.push(r.ms);
            status = r.status;
        }
        all.push(median(wall));
        rows.push(`| ${program} | ${status} | ${(median(wall) / 1000).toFixed(2)} |`);
        process.stderr.write(`${program}: ${(median(wall) / 1000).toFixed(2)} s\n`);
    }
    const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    process.stdout.write(
        [
            `reps ${reps}; ${transpileOnly ? "transpile-only (PULUMI_NODEJS_TRANSPILE_ONLY=true)" : "type-checked (pulumi preview's default)"}; ${os.cpus().length} CPUs; Node.js ${process.version}; load average at the end ${load}`,
            "",
            `\`check --help\`: ${(median(help) / 1000).toFixed(2)} s (median)`,
            "",
            "| program | exit | check s (median, end to end) |",
            "|---|---|---|",
            ...rows,
            `| **median of the ${programs.length} programs** | | **${(median(all) / 1000).toFixed(2)}** |`,
            "",
        ].join("\n"),
    );
}

main();
