import * as path from "path";
import { Command, InvalidArgumentError } from "commander";
import { STACK_FILE_ENV } from "../config";
import { displayPath } from "../config/load";
import { readStackFile, stackFilePath } from "../synth/stack-file";
import { PACKAGE_ROOT, readProjectFile, synthesizeDetailed, type SynthRun } from "../synth/synthesize";
import { renderJson, renderTree } from "../synth/render";
import { readInvokeResults, readStackReferences } from "../synth/inputs";
import { baselineCoverageLines } from "../baseline/summary";
import { CliIo, PROCESS_IO, configureCommand, main } from "./common";

/**
 * `npm run --silent synth -- --stack <name> [--config-file <path>] [--program <dir>] [--json]`
 *
 * Runs the program under the Pulumi mock runtime with the stack's config and prints what
 * `pulumi up` would create: a tree by account and Region, or (`--json`) exactly the SynthResult.
 */

export interface SynthCliOptions {
    readonly stack: string;
    readonly configFile?: string;
    readonly program?: string;
    readonly json?: boolean;
    readonly organizationId?: string;
    /** `--invoke-results <file>`: results of invokes over the generated answers. */
    readonly invokeResults?: string;
    /** `--stack-references <file>`: outputs of the stacks the program reads. */
    readonly stackReferences?: string;
}

export function stackName(value: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(value)) {
        throw new InvalidArgumentError("a stack name has only letters, digits, '-', '_' and '.'");
    }
    return value;
}

function organizationId(value: string): string {
    if (!/^o-[a-z0-9]{10,32}$/.test(value)) {
        throw new InvalidArgumentError("an organization id looks like o-a1b2c3d4e5 (o- and 10 to 32 lowercase letters or digits)");
    }
    return value;
}

/** A synth of a program's stack as the offline commands run it. */
export interface CliSynth {
    readonly run: SynthRun;
    /** The stack file read (absolute path). */
    readonly file: string;
    /** Notes for the reader: the stack file's (secrets not decrypted) and the synth's. */
    readonly notes: readonly string[];
}

/**
 * Reads the stack file (`--config-file` or `Pulumi.<stack>.yaml` of the program) and synthesizes the
 * program offline. Config errors name that file (the orgwatch program reads STACK_FILE_ENV).
 */
export async function synthesizeStack(options: Pick<SynthCliOptions, "stack" | "program" | "configFile" | "organizationId" | "invokeResults" | "stackReferences">): Promise<CliSynth> {
    const programDir = path.resolve(options.program ?? PACKAGE_ROOT);
    const project = readProjectFile(programDir).name;
    const file = options.configFile ? path.resolve(options.configFile) : stackFilePath(programDir, options.stack);
    const stackConfig = readStackFile(file, project, { requireConfig: options.configFile !== undefined });
    const notes = [...stackConfig.notes];
    const invokeResults = options.invokeResults ? readInvokeResults(options.invokeResults) : undefined;
    const stackReferences = options.stackReferences ? readStackReferences(options.stackReferences) : {};
    const stackFile = displayPath(file);
    const synthOptions = {
        programDir,
        stack: options.stack,
        project,
        config: stackConfig.config,
        secretKeys: stackConfig.secretKeys,
        organizationId: options.organizationId,
        stackReferences,
        invokeResults,
        stackFile,
    };
    if (programDir !== PACKAGE_ROOT) {
        // A program of its own process gets the stack file's name in its environment.
        const run = await synthesizeDetailed({ ...synthOptions, env: { [STACK_FILE_ENV]: stackFile } });
        return { run, file, notes: [...notes, ...run.notes] };
    }
    const previous = process.env[STACK_FILE_ENV];
    process.env[STACK_FILE_ENV] = stackFile;
    try {
        const run = await synthesizeDetailed(synthOptions);
        return { run, file, notes: [...notes, ...run.notes] };
    } finally {
        if (previous === undefined) delete process.env[STACK_FILE_ENV];
        else process.env[STACK_FILE_ENV] = previous;
    }
}

/** Runs one synth as the command does and writes its output. */
export async function runSynth(options: SynthCliOptions, io: CliIo = PROCESS_IO): Promise<void> {
    const { run, notes } = await synthesizeStack(options);
    if (run.output) io.stderr(programOutputBlock(run.output));
    if (options.json) {
        io.stdout(renderJson(run.result));
        return;
    }
    const coverage = baselineCoverageLines(run.result.outputs);
    io.stdout(`${renderTree(run.result, notes)}${coverage.length > 0 ? `\n${coverage.join("\n")}\n` : ""}`);
}

/** What the program printed, for stderr: indented under a header so it is not taken for orgwatch's own output. */
export function programOutputBlock(output: string): string {
    return `program output:\n${output.split("\n").map((l) => `  | ${l}`).join("\n")}\n`;
}

/** The `synth` command (commander), writing to `io`. */
export function synthCommand(io: CliIo = PROCESS_IO): Command {
    const program = new Command("synth")
        .description("Show what `pulumi up` would create for a stack, offline (Pulumi mock runtime, no AWS).")
        .requiredOption("-s, --stack <name>", "stack name; its config is read from Pulumi.<name>.yaml", stackName)
        .option("-c, --config-file <path>", "read stack config from this file (Pulumi.<stack>.yaml format)")
        .option("-p, --program <dir>", "directory of the Pulumi program (default: the orgwatch program)")
        .option("--organization-id <id>", "organization id that getOrganization returns (default: a placeholder)", organizationId)
        .option("--invoke-results <file>", 'JSON {"<invoke token>": {<fields>}}: results of invokes over the generated answers')
        .option("--stack-references <file>", 'JSON {"<org>/<project>/<stack>": {<outputs>}}: outputs of the stacks the program reads')
        .option("--json", "print the synth result as JSON", false)
        .addHelpText("after", "\nExit status: 0 printed; 2 usage or config error (a config key the program requires included); 3 the program failed to run; 70 internal error.")
        .action(async (opts: SynthCliOptions) => {
            await runSynth(opts, io);
        });
    return configureCommand(program, io);
}

if (require.main === module) {
    main(synthCommand());
}
