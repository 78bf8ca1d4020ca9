import * as path from "path";
import { isUserError, UserError } from "../errors";

/**
 * Why an offline run of a program failed, in terms a user can act on:
 *
 * - the program's configuration is wrong (a required key missing, a value of the wrong type): a
 *   UserError naming the key and the stack file, as for any config error (exit 2);
 * - the program failed to run (it threw, a module failed to compile, it called a function the
 *   offline runtime cannot answer): a {@link ProgramFailure} with the error, the file and line in
 *   the program, and the invoke or resource it was at (exit 3).
 */

/** Where in the program a failure happened, and what the program was doing. */
export interface FailureContext {
    /** The program's file and line (`index.ts:12:5`, relative to the program directory). */
    readonly location?: string;
    /** The last resource the program registered or invoke it called before the failure. */
    readonly lastStep?: string;
    /** The invoke the failure came from, when it did. */
    readonly invoke?: string;
}

/** The program failed to run offline. */
export class ProgramFailure extends Error {
    public readonly detail: string;
    public readonly context: FailureContext;
    /** The directory `context.location` is relative to. */
    public readonly programDir: string;

    constructor(detail: string, context: FailureContext, programDir: string) {
        const lines = [`The program in ${programDir} failed to run: ${detail}`];
        if (context.location) lines.push(`  at ${context.location}`);
        if (context.invoke) lines.push(`  in the function ${context.invoke}`);
        else if (context.lastStep) lines.push(`  after ${context.lastStep}`);
        super(lines.join("\n"));
        this.name = "ProgramFailure";
        this.detail = detail;
        this.context = context;
        this.programDir = programDir;
    }
}

export function isProgramFailure(err: unknown): err is ProgramFailure {
    return err instanceof ProgramFailure || (err instanceof Error && err.name === "ProgramFailure");
}

/** The Pulumi SDK's config errors (`@pulumi/pulumi/config.js`), by class name. */
const CONFIG_ERRORS = new Set(["ConfigMissingError", "ConfigTypeError", "ConfigEnumError", "ConfigRangeError", "ConfigPatternError"]);

function configKeyOf(message: string): string | undefined {
    return /configuration variable '([^']+)'/.exec(message)?.[1] ?? /Configuration '([^']+)'/.exec(message)?.[1];
}

/** The first stack frame inside the program (not in node_modules), relative to the program directory. */
export function programLocation(err: unknown, programDir: string): string | undefined {
    const stack = err instanceof Error ? (err.stack ?? "") : "";
    for (const line of stack.split("\n")) {
        const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
        if (!m) continue;
        const file = m[1].replace(/^file:\/\//, "");
        const rel = path.relative(programDir, file);
        if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes("node_modules")) continue;
        return `${rel}:${m[2]}:${m[3]}`;
    }
    // ts-node's compile errors name the file in the message: "index.ts(3,7): error TS...".
    const tsError = err instanceof Error ? /^([^\s(]+\.[cm]?[tj]sx?)\((\d+),(\d+)\)/m.exec(err.message) : null;
    return tsError ? `${tsError[1]}:${tsError[2]}:${tsError[3]}` : undefined;
}

/**
 * The user-facing error for a failed run. A config error of the SDK becomes a UserError naming the
 * key and `stackFile`; a UserError stays one; anything else is a ProgramFailure with its location.
 */
export function classifyFailure(err: unknown, programDir: string, ctx: { readonly stackFile?: string; readonly lastStep?: string; readonly invoke?: string }): Error {
    if (isUserError(err) || isProgramFailure(err)) return err as Error;
    const e = err instanceof Error ? err : new Error(String(err));
    const ctor = (err as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? "";
    if (CONFIG_ERRORS.has(ctor) || configKeyOf(e.message) !== undefined) {
        const key = (err as { key?: string }).key ?? configKeyOf(e.message) ?? "(unknown key)";
        const missing = ctor === "ConfigMissingError" || /Missing required configuration/.test(e.message);
        const where = ctx.stackFile ?? "the stack file";
        return new UserError(
            missing ? `The program requires configuration it was not given` : `The program's configuration is invalid`,
            [{ path: key, allowed: missing ? `a value in ${where} (pulumi config set ${key} <value>)` : e.message.split("\n")[0], received: missing ? "nothing" : "an invalid value" }],
            ctx.stackFile,
        );
    }
    // StackReference.requireOutput of an output the --stack-references file does not give.
    const required = /Required output '([^']+)' does not exist on stack '([^']+)'/.exec(e.message);
    if (required) {
        return new UserError("The program requires a StackReference output it was not given", [
            { path: `${required[2]}: ${required[1]}`, allowed: `the output in the file given to --stack-references ({"${required[2]}": {"${required[1]}": <value>}})`, received: "nothing" },
        ]);
    }
    const detail = e.name === "TSError" ? e.message.replace(/^⨯ Unable to compile TypeScript:\n/, "").trim() : `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}`;
    const failure = new ProgramFailure(detail, { location: programLocation(e, programDir), lastStep: ctx.lastStep, invoke: ctx.invoke }, programDir);
    failure.stack = `${failure.message}\n${(e.stack ?? "").split("\n").slice(1).join("\n")}`;
    return failure;
}

/**
 * Lines the Pulumi runtime prints that are noise to a user of the offline check: the promise-leak
 * report (the run is already over when it prints) and the stack-output warnings.
 */
const NOISE: readonly RegExp[] = [
    /will not show as a stack output/,
    /The Pulumi runtime detected that \d+ promises were still active/,
    /This is normally a bug in the Pulumi runtime/,
    /Set the env var PULUMI_DEBUG_PROMISE_LEAKS=true/,
    /^\s*$/,
    /^warning: Undefined value/,
];

/** Marker line the run's process writes (synchronously, to stderr) when the program calls `process.exit`. */
export const PROCESS_EXIT_MARKER = "\u0000orgwatch:process.exit ";

/**
 * The runtime's report when a program ends its process with registrations pending ("The Pulumi
 * runtime detected that the program exited before ... leaked promises."), which explains nothing
 * once the failure names the program's `process.exit` call.
 */
export function withoutExitReport(text: string): string {
    return text.replace(/The Pulumi runtime detected that the program exited before[\s\S]*?leaked promises\.\n?/g, "").trim();
}

/** The program's own output, without the runtime's noise. */
export function withoutNoise(text: string): string {
    return text
        .split("\n")
        .filter((line) => !NOISE.some((re) => re.test(line)))
        .join("\n");
}
