/**
 * Scale benchmark of the offline synth (not a test).
 *
 * For 10, 100, 1,000 and 10,000 member accounts x 4 governed Regions it synthesizes the orgwatch program
 * under the Pulumi mock runtime, each repetition in a fresh child process, and reports the median wall time
 * of the synth, the median peak RSS of the process, the resources and the explicit AWS providers (each one
 * AWS plugin process in a real `pulumi up`), next to a floor measured the same way: the same harness
 * (`synthesizeInline`, same mocks, same modules loaded) registering as many bare custom resources
 * (`test:index:Bare`, no inputs) as the synth produced, and nothing else.
 *
 *   npm run --silent bench                               # all sizes, default repetitions
 *   npm run --silent bench -- --sizes 10,100 --reps 5 --reps-large 2
 *
 * Child mode (used by the parent) prints one JSON line {ms, maxRssKiB, resources, providers, cpuMs}:
 * `--child synth --accounts N`, `--child floor --resources N`.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_ROOT, synthesize, synthesizeInline } from "../lib/synth/synthesize";
import { REGIONS, generatedConfig } from "./config";

/** A custom resource with no inputs: the least the mock runtime can register. */
class Bare extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Bare", name, {});
    }
}

interface Sample {
    readonly ms: number;
    readonly maxRssKiB: number;
    readonly resources: number;
    /** Explicit AWS providers (`pulumi:providers:aws` resources) of the synth. */
    readonly providers: number;
    /** CPU time (user + system) of the whole child process, ms: less sensitive to other load than wall time. */
    readonly cpuMs: number;
}

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

async function child(kind: string): Promise<void> {
    // Both modes load the same modules before the clock starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for an equal process setup
    require("@pulumi/aws");
    const start = process.hrtime.bigint();
    let resources: number;
    let providers = 0;
    if (kind === "synth") {
        const result = await synthesize({ programDir: PACKAGE_ROOT, stack: "bench", config: generatedConfig(Number(arg("--accounts"))) });
        resources = result.resources.length;
        providers = result.resources.filter((r) => r.type === "pulumi:providers:aws").length;
    } else {
        const n = Number(arg("--resources"));
        const result = await synthesizeInline(() => {
            for (let i = 0; i < n; i++) new Bare(`bare-${i}`);
        }, { stack: "bench" });
        resources = result.resources.length;
    }
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    // maxRSS is in kibibytes (Node docs: process.resourceUsage()).
    const usage = process.resourceUsage();
    const sample: Sample = { ms, maxRssKiB: usage.maxRSS, resources, providers, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
    process.stdout.write(`${JSON.stringify(sample)}\n`);
}

function runChild(kind: string, args: readonly string[]): Sample {
    const out = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, "--child", kind, ...args], {
        cwd: PACKAGE_ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    const line = out.stdout.trim().split("\n").pop() ?? "";
    if (out.status !== 0 || !line.startsWith("{")) throw new Error(`child ${kind} ${args.join(" ")} failed (${out.status}): ${out.stderr.slice(-2000)}`);
    return JSON.parse(line) as Sample;
}

const median = (xs: readonly number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function parent(): void {
    const sizes = (arg("--sizes") ?? "10,100,1000,10000").split(",").map(Number);
    const reps = Number(arg("--reps") ?? 5);
    const repsLarge = Number(arg("--reps-large") ?? 3);
    process.stdout.write(
        `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`,
    );
    process.stdout.write(
        "| members x Regions | resources | explicit AWS providers | reps | synth median s | floor median s | time / floor | synth peak RSS MiB | floor peak RSS MiB | RSS / floor |\n|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (const size of sizes) {
        const n = size >= 1000 ? repsLarge : reps;
        const synth: Sample[] = [];
        const floor: Sample[] = [];
        for (let i = 0; i < n; i++) {
            const s = runChild("synth", ["--accounts", String(size)]);
            synth.push(s);
            floor.push(runChild("floor", ["--resources", String(s.resources)]));
        }
        const [st, ft] = [median(synth.map((s) => s.ms)) / 1000, median(floor.map((s) => s.ms)) / 1000];
        const [sm, fm] = [median(synth.map((s) => s.maxRssKiB)) / 1024, median(floor.map((s) => s.maxRssKiB)) / 1024];
        process.stdout.write(
            `| ${size.toLocaleString("en")} x ${REGIONS.length} | ${synth[0].resources} | ${synth[0].providers} | ${n} | ${st.toFixed(2)} | ${ft.toFixed(2)} | ${(st / ft).toFixed(2)} | ${sm.toFixed(0)} | ${fm.toFixed(0)} | ${(sm / fm).toFixed(2)} |\n`,
        );
        process.stderr.write(`raw ${size}: ${JSON.stringify({ synth, floor })}\n`);
    }
}

const kind = arg("--child");
if (kind) {
    child(kind).catch((err: unknown) => {
        process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
        process.exitCode = 1;
    });
} else {
    parent();
}
