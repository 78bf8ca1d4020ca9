import { Command, Option } from "commander";
import * as path from "path";
import { CHECK_FORMATS, evaluatePack, loadPolicyConfigFile, render, type CheckFormat } from "../check";
import { baselineCoverageLines } from "../baseline/summary";
import type { SynthResult } from "../synth/types";
import { stackName, synthesizeStack } from "./synth";
import { EXIT_OK, configureCommand, PROCESS_IO, reportError, runCommand, type CliIo } from "./common";

/** Exit status when at least one mandatory policy is violated (the engine fails `pulumi preview` then too). */
export const EXIT_VIOLATIONS = 1;

export interface CheckCliOptions {
    readonly stack: string;
    readonly program?: string;
    readonly configFile?: string;
    readonly policyConfig?: string;
    readonly format: CheckFormat;
}

/**
 * Synthesizes a Pulumi TypeScript program offline and evaluates the orgwatch policy pack against every
 * resource and the stack. Returns the exit status: 0 without mandatory violations, 1 with any.
 */
export async function runCheck(options: CheckCliOptions, io: CliIo = PROCESS_IO): Promise<number> {
    const policyConfig = options.policyConfig ? loadPolicyConfigFile(options.policyConfig) : undefined;
    const { run, file, notes } = await synthesizeStack(options);
    const report = evaluatePack(run.result, { policyConfig, policyConfigPath: options.policyConfig });
    if (options.format === "table") io.stdout(synthSummary(run.result));
    io.stdout(render(report, options.format, { artifactUri: path.relative(process.cwd(), file) || file }));
    if (options.format === "table") for (const note of notes) io.stderr(`note: ${note}\n`);
    return report.summary.mandatory > 0 ? EXIT_VIOLATIONS : EXIT_OK;
}

/** One line per account and Region: what `pulumi up` would create there (the synth's tree, in brief). */
export function synthSummary(result: SynthResult): string {
    const counts = new Map<string, number>();
    let components = 0;
    let read = 0;
    for (const r of result.resources) {
        if (!r.custom) {
            components++;
            continue;
        }
        if (r.external === true) {
            read++;
            continue;
        }
        const key = `account ${r.account ?? "(default provider)"}  ${r.region ?? "global"}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const custom = result.resources.length - components - read;
    const lines = [`Synthesized stack ${result.stack} offline: ${custom} resources and ${components} components${read > 0 ? ` (and ${read} read, not managed)` : ""}`];
    for (const [key, n] of [...counts.entries()].sort()) lines.push(`  ${key.padEnd(40)} ${n}`);
    const coverage = baselineCoverageLines(result.outputs);
    if (coverage.length > 0) lines.push("", ...coverage);
    return `${lines.join("\n")}\n\n`;
}

/** The `check` command (commander); `onResult` receives the check's exit status. */
export function checkCommand(io: CliIo = PROCESS_IO, onResult: (status: number) => void = () => undefined): Command {
    const program = new Command("check")
        .description("Evaluate the orgwatch-monitoring policy pack offline against a Pulumi TypeScript program's stack.")
        .requiredOption("-s, --stack <name>", "stack name; its config is read from Pulumi.<name>.yaml", stackName)
        .option("-p, --program <dir>", "directory of the Pulumi program (default: the orgwatch program)")
        .option("-c, --config-file <path>", "read stack config from this file (Pulumi.<stack>.yaml format)")
        .option("--policy-config <file>", "policy config JSON, as for `pulumi preview --policy-pack-config`")
        .addOption(new Option("-f, --format <format>", "output format").choices(CHECK_FORMATS).default("table"))
        .action(async (opts: CheckCliOptions) => {
            onResult(await runCheck(opts, io));
        });
    return configureCommand(program, io);
}

/** Runs the command on `argv`: 0 clean, 1 mandatory violations, 2 usage or config error. */
export async function runCheckCli(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
    let status = EXIT_OK;
    const code = await runCommand(checkCommand(io, (s) => (status = s)), argv, io);
    return code !== EXIT_OK ? code : status;
}

if (require.main === module) {
    runCheckCli(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err: unknown) => (process.exitCode = reportError(err, PROCESS_IO)),
    );
}
