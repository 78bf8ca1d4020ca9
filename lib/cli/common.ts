import { Command, CommanderError } from "commander";
import { isUserError } from "../errors";
import { isProgramFailure } from "../synth/failure";

/** Exit codes shared by the orgwatch commands. */
export const EXIT_OK = 0;
/** The user's input is wrong (config file, arguments, a config key the program requires): only the message is printed. */
export const EXIT_USAGE = 2;
/** The program under check failed to run (it threw, or called a function the offline runtime cannot answer). */
export const EXIT_PROGRAM_FAILED = 3;
/**
 * orgwatch itself failed (a bug, an unexpected state): the message and stack trace are printed.
 * 70 is EX_SOFTWARE of sysexits(3), apart from every outcome a command reports (0 to 4).
 */
export const EXIT_INTERNAL = 70;

/** Where a command writes; injectable for tests. */
export interface CliIo {
    readonly stdout: (text: string) => void;
    readonly stderr: (text: string) => void;
}

export const PROCESS_IO: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};

/**
 * Prints an error the way orgwatch commands do and returns the exit code: a user error (see
 * `isUserError`) prints its message only and gives 2; a program that failed to run prints its error,
 * where in the program and what it was doing, and gives 3; anything else prints the stack and gives 70.
 */
export function reportError(err: unknown, io: CliIo = PROCESS_IO): number {
    if (isUserError(err)) {
        io.stderr(`error: ${err.message}\n`);
        return EXIT_USAGE;
    }
    if (isProgramFailure(err)) {
        io.stderr(`error: ${err.message}\n`);
        return EXIT_PROGRAM_FAILED;
    }
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr(`internal error: ${text}\n`);
    return EXIT_INTERNAL;
}

/**
 * Makes every option that takes a value refuse a second occurrence (`--pattern a --pattern b`):
 * commander would silently keep the last one, so two conflicting values would go unnoticed.
 * Call after the options are declared.
 */
export function rejectRepeatedOptions(program: Command): Command {
    for (const option of program.options) {
        if ((!option.required && !option.optional) || option.variadic) continue;
        let seen = false;
        program.on(`option:${option.name()}`, () => {
            if (seen) {
                program.error(`error: option '${option.flags}' given more than once; give it once`, { exitCode: EXIT_USAGE, code: "orgwatch.repeatedOption" });
            }
            seen = true;
        });
    }
    return program;
}

/**
 * Makes a commander program exit with 2 on usage errors (commander prints the message; we add the
 * usage help) instead of calling `process.exit` itself, so `run` decides the exit code.
 */
export function configureCommand(program: Command, io: CliIo = PROCESS_IO): Command {
    rejectRepeatedOptions(program);
    return program
        .exitOverride()
        .showHelpAfterError(true)
        .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
}

/**
 * Runs a commander program on `argv` (user arguments only, without node and the script) and returns
 * the exit code: 0 for success and for `--help`/`--version`, 2 for usage errors and user errors,
 * 3 when the program under check failed to run, 70 for internal errors.
 */
export async function runCommand(
    program: Command,
    argv: readonly string[],
    io: CliIo = PROCESS_IO,
    onFailure?: (failure: { readonly message: string; readonly exitStatus: number }) => void,
): Promise<number> {
    try {
        await program.parseAsync([...argv], { from: "user" });
        return EXIT_OK;
    } catch (err) {
        if (err instanceof CommanderError) {
            const benign = ["commander.helpDisplayed", "commander.version", "commander.help"];
            if (benign.includes(err.code)) return EXIT_OK;
            onFailure?.({ message: err.message.replace(/^error: /, "").trimEnd(), exitStatus: EXIT_USAGE });
            return EXIT_USAGE;
        }
        let message = "";
        const status = reportError(err, { stdout: io.stdout, stderr: (t) => { message += t; io.stderr(t); } });
        onFailure?.({ message: message.replace(/^(internal )?error: /, "").trimEnd(), exitStatus: status });
        return status;
    }
}

/** Entry point helper: runs the command with the process arguments and sets the exit code. */
export function main(program: Command, io: CliIo = PROCESS_IO): void {
    runCommand(program, process.argv.slice(2), io).then(
        (code) => {
            process.exitCode = code;
        },
        (err: unknown) => {
            process.exitCode = reportError(err, io);
        },
    );
}
