import { Command, Option } from "commander";
import * as path from "path";
import { pathToFileURL } from "url";
import type { CheckFormat, CheckReport, FailureLocation } from "../check";
import { isUserError } from "../errors";
import { isProgramFailure } from "../synth/failure";
import type { SynthResult } from "../synth/types";
import type { CliSynth } from "./synth";
import { EXIT_OK, configureCommand, PROCESS_IO, reportError, runCommand, type CliIo } from "./common";

/*
 * The policy pack, the synth and the mock runtime load when a check runs, not when the command is
 * defined: `check --help` and usage errors need none of them (they take most of the start-up).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use (see above) */
const checkLib = (): typeof import("../check") => require("../check") as typeof import("../check");
const synthCli = (): typeof import("./synth") => require("./synth") as typeof import("./synth");
const baselineSummary = (): typeof import("../baseline/summary") => require("../baseline/summary") as typeof import("../baseline/summary");
/* eslint-enable @typescript-eslint/no-require-imports */

/** The orgwatch checkout (lib/cli/../..), where the orgwatch program is. */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** The output formats (CHECK_FORMATS of lib/check, which loads the policy pack). */
const FORMATS: readonly CheckFormat[] = ["table", "json", "sarif"];

/** Exit status when at least one mandatory policy is violated (the engine fails `pulumi preview` then too). */
export const EXIT_VIOLATIONS = 1;
/** Exit status under `--require-complete` when part of the stack could not be inspected offline (and nothing mandatory failed). */
export const EXIT_INCOMPLETE = 4;

/** The exit statuses of `check` and their meaning, in the words of the README's table. */
export const CHECK_EXIT_STATUSES: readonly (readonly [number, string])[] = [
    [0, "no mandatory violation (advisories may be listed; the check may be incomplete)"],
    [1, "a mandatory policy is violated (also when the check is incomplete)"],
    [2, "usage or config error: arguments, stack file, project config, policy config, a config key the program requires (named, with the stack file), StackReference outputs missing (the stack and the output named)"],
    [3, "the program failed to run: its error, the file and line in the program, the resource or function it was at"],
    [4, "with --require-complete: no mandatory violation, but part of the stack could not be inspected offline"],
    [70, "internal error of orgwatch (the stack trace is printed)"],
];

/** The exit statuses of `check`, as `--help` lists them. */
export const CHECK_EXIT_CODES = `Exit status:\n${CHECK_EXIT_STATUSES.map(([code, meaning]) => `  ${String(code).padEnd(3)} ${meaning}`).join("\n")}`;

export interface CheckCliOptions {
    readonly stack: string;
    readonly program?: string;
    readonly configFile?: string;
    readonly policyConfig?: string;
    readonly format: CheckFormat;
    /** Fail (exit 4) when part of the stack could not be inspected offline. @default false */
    readonly requireComplete?: boolean;
    readonly invokeResults?: string;
    readonly stackReferences?: string;
}

/** What a check produced, for callers that look past the exit status (tests, the benchmark). */
export interface CheckOutcome {
    readonly report: CheckReport;
    readonly synth: CliSynth;
}

/**
 * Synthesizes a Pulumi TypeScript program offline and evaluates the orgwatch policy pack against every
 * resource and the stack. Returns the exit status (see {@link CHECK_EXIT_CODES}); `observe` sees the
 * synth and the report.
 */
export async function runCheck(options: CheckCliOptions, io: CliIo = PROCESS_IO, observe?: (outcome: CheckOutcome) => void): Promise<number> {
    try {
        return await evaluate(options, io, observe);
    } catch (err) {
        if (options.format !== "table") {
            // A CI step reads or uploads the document: it must say the check gave no verdict.
            let message = "";
            const exitStatus = reportError(err, { stdout: () => undefined, stderr: (t) => (message += t) });
            message = message.replace(/^(internal )?error: /, "").trimEnd();
            const location = failureLocation(err, options);
            io.stdout(checkLib().renderFailure({ stack: options.stack, policyPackVersion: checkLib().policyPackVersion(), message, exitStatus, ...(location ? { location } : {}) }, options.format, { artifactUri: artifactUri(options) }));
        }
        throw err;
    }
}

/** Where the error is, when the error knows: the program's file and line, or the file to fix. */
function failureLocation(err: unknown, options: CheckCliOptions): FailureLocation | undefined {
    if (isProgramFailure(err) && err.context.location) {
        const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(err.context.location);
        if (!m) return undefined;
        return { uri: artifactUri(options, path.resolve(err.programDir, m[1])), line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) };
    }
    if (isUserError(err) && err.file) return { uri: artifactUri(options, path.resolve(err.file)) };
    return undefined;
}

/**
 * The value of `--format`/`-f` in argv when it is one of the formats (for a document on a usage
 * error, which commander reports before the options are parsed); table otherwise.
 */
export function formatInArgv(argv: readonly string[]): CheckFormat {
    let given: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") break;
        if (a === "--format" || a === "-f") given = argv[++i];
        else if (a.startsWith("--format=")) given = a.slice("--format=".length);
        else if (/^-f./.test(a)) given = a.slice(2);
    }
    return FORMATS.find((f) => f === given) ?? "table";
}

/** The value given for an option in argv (the last one), if any. */
function optionInArgv(argv: readonly string[], long: string, short: string): string | undefined {
    let given: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") break;
        if (a === long || a === short) given = argv[++i];
        else if (a.startsWith(`${long}=`)) given = a.slice(long.length + 1);
    }
    return given;
}

/** The stack file as SARIF names it: relative to the working directory (the repository root in CI). */
function artifactUri(options: Pick<CheckCliOptions, "program" | "configFile" | "stack">, file?: string): string {
    const abs = file ?? (options.configFile ? path.resolve(options.configFile) : path.resolve(options.program ?? PACKAGE_ROOT, `Pulumi.${options.stack}.yaml`));
    const rel = path.relative(process.cwd(), abs);
    return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? pathToFileURL(abs).href : rel.split(path.sep).join("/");
}

async function evaluate(options: CheckCliOptions, io: CliIo, observe?: (outcome: CheckOutcome) => void): Promise<number> {
    const { evaluatePack, loadPolicyConfigFile, render } = checkLib();
    const { programOutputBlock, synthesizeStack } = synthCli();
    const policyConfig = options.policyConfig ? loadPolicyConfigFile(options.policyConfig) : undefined;
    const synth = await synthesizeStack(options);
    const { run, file, notes } = synth;
    const report = evaluatePack(run.result, { policyConfig, policyConfigPath: options.policyConfig });
    observe?.({ report, synth });
    if (run.output) io.stderr(programOutputBlock(run.output));
    if (options.format === "table") io.stdout(synthSummary(run.result));
    io.stdout(render(report, options.format, { artifactUri: artifactUri(options, file), notes }));
    for (const note of notes) io.stderr(`note: ${note}\n`);
    if (report.summary.mandatory > 0) return EXIT_VIOLATIONS;
    if (options.requireComplete && !report.complete) {
        io.stderr(`error: the check is incomplete (${report.notInspected.length} not inspected) and --require-complete was given; \`pulumi preview --policy-pack policies\` checks what the offline check cannot see\n`);
        return EXIT_INCOMPLETE;
    }
    return EXIT_OK;
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
    const coverage = baselineSummary().baselineCoverageLines(result.outputs);
    if (coverage.length > 0) lines.push("", ...coverage);
    return `${lines.join("\n")}\n\n`;
}

/** The `check` command (commander); `onResult` receives the check's exit status. */
export function checkCommand(io: CliIo = PROCESS_IO, onResult: (status: number) => void = () => undefined, observe?: (outcome: CheckOutcome) => void, onStart: () => void = () => undefined): Command {
    const program = new Command("check")
        .description("Evaluate the orgwatch-monitoring policy pack offline against a Pulumi TypeScript program's stack.")
        .requiredOption("-s, --stack <name>", "stack name; its config is read from Pulumi.<name>.yaml", (v: string) => synthCli().stackName(v))
        .option("-p, --program <dir>", "directory of the Pulumi program (default: the orgwatch program)")
        .option("-c, --config-file <path>", "read stack config from this file (Pulumi.<stack>.yaml format)")
        .option("--policy-config <file>", "policy config JSON, as for `pulumi preview --policy-pack-config`")
        .addOption(new Option("-f, --format <format>", "output format").choices(FORMATS).default("table"))
        .option("--require-complete", "fail (exit 4) when part of the stack cannot be inspected offline (remote components' children)", false)
        .option("--invoke-results <file>", 'JSON {"<invoke token>": {<fields>}}: results of invokes over the generated answers (or for one the check cannot answer)')
        .option("--stack-references <file>", 'JSON {"<org>/<project>/<stack>": {<outputs>}}: outputs of the stacks the program reads')
        .addHelpText("after", `\n${CHECK_EXIT_CODES}`)
        .action(async (opts: CheckCliOptions) => {
            onStart();
            onResult(await runCheck(opts, io, observe));
        });
    return configureCommand(program, io);
}

/** Runs the command on `argv`; the exit statuses are {@link CHECK_EXIT_CODES}. */
export async function runCheckCli(argv: readonly string[], io: CliIo = PROCESS_IO, observe?: (outcome: CheckOutcome) => void): Promise<number> {
    let status = EXIT_OK;
    let started = false;
    const code = await runCommand(
        checkCommand(io, (s) => (status = s), observe, () => (started = true)),
        argv,
        io,
        (failure) => {
            // The arguments were refused before the check began (runCheck writes the document from then on).
            const format = formatInArgv(argv);
            if (started || format === "table") return;
            const stack = optionInArgv(argv, "--stack", "-s") ?? "";
            const program = optionInArgv(argv, "--program", "-p");
            const file = program ? path.resolve(program, "Pulumi.yaml") : undefined;
            const uri = artifactUri({ stack, program, configFile: optionInArgv(argv, "--config-file", "-c") }, file);
            io.stdout(checkLib().renderFailure({ stack, policyPackVersion: checkLib().policyPackVersion(), ...failure }, format, { artifactUri: uri }));
        },
    );
    return code !== EXIT_OK ? code : status;
}

if (require.main === module) {
    runCheckCli(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err: unknown) => (process.exitCode = reportError(err, PROCESS_IO)),
    );
}
