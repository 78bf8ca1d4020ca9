/**
 * Scale benchmark of the offline synth (not a test).
 *
 * For 10, 100 and 1,000 member accounts x 4 governed Regions it synthesizes the orgwatch program
 * under the Pulumi mock runtime, each repetition in a fresh child process, and reports the median
 * wall time of the synth and the median peak RSS of the process, next to two references measured
 * the same way:
 *
 * - floor: the same harness (`synthesizeInline`, same mocks, same modules loaded) registering as many
 *   bare custom resources (`test:index:Bare`, no inputs) as the synth produced, and nothing else;
 * - mix floor: the same harness registering, per member account, what a member costs at the least
 *   (one AWS provider, one component, one `aws.oam.Link` per Region, with orgwatch's classes and
 *   constant inputs), plus bare resources up to the same total.
 *
 * With `--sharded`, 1,000 accounts are also synthesized in the sharded layout (docs/scaling.md): the
 * organization stack, then each of its 4 shard stacks, each in its own process.
 *
 *   npm run --silent bench                       # all sizes, default repetitions, and the sharded layout
 *   npm run --silent bench -- --sizes 10,100 --reps 5 --reps-large 2 --no-sharded
 *
 * Child mode (used by the parent) prints one JSON line {ms, maxRssKiB, resources, cpuMs}:
 * `--child synth --accounts N [--sharded] [--outputs-file F]`, `--child shard --accounts N --shard S --org-outputs F`,
 * `--child floor --resources N`, `--child mix --accounts N --resources R`.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_ROOT, synthesize, synthesizeInline } from "../lib/synth/synthesize";
import { ORG_STACK, REGIONS, SHARDS, generatedConfig, shardConfig } from "./config";

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
    /** CPU time (user + system) of the whole child process, ms: less sensitive to other load than wall time. */
    readonly cpuMs?: number;
}

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

async function child(kind: string): Promise<void> {
    // Every mode loads the same modules before the clock starts.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded for an equal process setup
    const aws = require("@pulumi/aws") as typeof import("@pulumi/aws");
    // The mix floor uses orgwatch's provider class; loaded before the clock, and only there (the synth
    // loads it as part of the program).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded before the clock
    const providers = kind === "mix" ? (require("../components/providers") as typeof import("../components/providers")) : undefined;
    const accounts = Number(arg("--accounts") ?? 0);
    const start = process.hrtime.bigint();
    let resources: number;
    if (kind === "synth") {
        const result = await synthesize({ programDir: PACKAGE_ROOT, stack: "bench", config: generatedConfig(accounts, process.argv.includes("--sharded")) });
        resources = result.resources.length;
        const outputsFile = arg("--outputs-file");
        if (outputsFile !== undefined) fs.writeFileSync(outputsFile, JSON.stringify(result.outputs));
    } else if (kind === "shard") {
        const outputs = JSON.parse(fs.readFileSync(arg("--org-outputs") ?? "", "utf8")) as Record<string, unknown>;
        const result = await synthesize({ programDir: PACKAGE_ROOT, stack: `bench-${arg("--shard")}`, config: shardConfig(arg("--shard") ?? ""), stackReferences: { [ORG_STACK]: outputs } });
        resources = result.resources.length;
    } else if (kind === "mix" && providers !== undefined) {
        const { AwsProvider } = providers;
        const total = Number(arg("--resources"));
        const result = await synthesizeInline(() => {
            let n = 1;
            for (let i = 0; i < accounts; i++) {
                const accountId = String(500000000000 + i);
                const provider = new AwsProvider(`member-${i}`, {
                    region: REGIONS[0],
                    allowedAccountIds: [accountId],
                    assumeRoles: [{ roleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`, sessionName: "orgwatch" }],
                    defaultTags: { tags: { ManagedBy: "orgwatch" } },
                });
                const component = new pulumi.ComponentResource("test:index:Baseline", `baseline-${i}`, {}, { provider });
                for (const region of REGIONS) {
                    new aws.oam.Link(`baseline-${i}-link-${region}`, { region, sinkIdentifier: `arn:aws:oam:${region}:333333333333:sink/x`, labelTemplate: "$AccountName", resourceTypes: ["AWS::CloudWatch::Metric"] }, { parent: component });
                }
                n += 2 + REGIONS.length;
            }
            for (; n < total; n++) new Bare(`bare-${n}`);
        }, { stack: "bench" });
        resources = result.resources.length;
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
    const sample: Sample = { ms, maxRssKiB: usage.maxRSS, resources, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 };
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

interface Row {
    readonly label: string;
    readonly synth: Sample[];
    readonly floor: Sample[];
    readonly mix?: Sample[];
}

const secs = (xs: Sample[]) => median(xs.map((s) => s.ms)) / 1000;
const mib = (xs: Sample[]) => median(xs.map((s) => s.maxRssKiB)) / 1024;

function printRow(r: Row): void {
    const [st, ft, sm, fm] = [secs(r.synth), secs(r.floor), mib(r.synth), mib(r.floor)];
    const mix = r.mix && r.mix.length > 0 ? r.mix : undefined;
    const mixCols = mix ? `${secs(mix).toFixed(2)} | ${(st / secs(mix)).toFixed(2)} | ${mib(mix).toFixed(0)} | ${(sm / mib(mix)).toFixed(2)}` : "- | - | - | -";
    process.stdout.write(
        `| ${r.label} | ${r.synth[0].resources} | ${r.synth.length} | ${st.toFixed(2)} | ${ft.toFixed(2)} | ${(st / ft).toFixed(2)} | ${sm.toFixed(0)} | ${fm.toFixed(0)} | ${(sm / fm).toFixed(2)} | ${mixCols} |\n`,
    );
    process.stderr.write(`raw ${r.label}: ${JSON.stringify(r)}\n`);
}

async function parent(): Promise<void> {
    const sizes = (arg("--sizes") ?? "10,100,1000").split(",").map(Number);
    const reps = Number(arg("--reps") ?? 5);
    const repsLarge = Number(arg("--reps-large") ?? 3);
    process.stdout.write(
        `machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? "?"}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`,
    );
    process.stdout.write(
        "| stack (accounts x Regions) | resources | reps | synth median s | floor median s | time / floor | synth peak RSS MiB | floor peak RSS MiB | RSS / floor | mix floor s | time / mix floor | mix floor RSS MiB | RSS / mix floor |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (const size of sizes) {
        const n = size >= 1000 ? repsLarge : reps;
        const row: Row = { label: `${size} x ${REGIONS.length}`, synth: [], floor: [], mix: [] };
        for (let i = 0; i < n; i++) {
            const s = runChild("synth", ["--accounts", String(size)]);
            row.synth.push(s);
            row.floor.push(runChild("floor", ["--resources", String(s.resources)]));
            row.mix?.push(runChild("mix", ["--accounts", String(size), "--resources", String(s.resources)]));
        }
        printRow(row);
    }
    if (!process.argv.includes("--no-sharded")) {
        const size = Math.max(...sizes);
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-bench-"));
        const outputs = path.join(tmp, "org-outputs.json");
        const org: Row = { label: `${size} x ${REGIONS.length}, sharded: organization stack`, synth: [], floor: [] };
        const shards = new Map<string, Row>(SHARDS.map((s) => [s, { label: `${size} x ${REGIONS.length}, sharded: shard ${s}`, synth: [], floor: [] }]));
        try {
            for (let i = 0; i < repsLarge; i++) {
                const o = runChild("synth", ["--accounts", String(size), "--sharded", "--outputs-file", outputs]);
                org.synth.push(o);
                org.floor.push(runChild("floor", ["--resources", String(o.resources)]));
                for (const [shard, row] of shards) {
                    const s = runChild("shard", ["--accounts", String(size), "--shard", shard, "--org-outputs", outputs]);
                    row.synth.push(s);
                    row.floor.push(runChild("floor", ["--resources", String(s.resources)]));
                }
            }
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
        printRow(org);
        for (const row of shards.values()) printRow(row);
    }
}

const kind = arg("--child");
(kind ? child(kind) : parent()).catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
});
