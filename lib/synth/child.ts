/**
 * Entry point of the process an isolated synth runs in (see `isolated.ts`). It receives one
 * `{ kind: "run", options }` message, runs the program as `pulumi` loads it, forwards each resource
 * registration when asked to, and answers with `{ kind: "result", run }` or `{ kind: "error", error }`.
 */
import type { RegistrationRequest, SynthRun, SynthesizeOptions } from "./synthesize";
import { isUserError, type Problem } from "../errors";
import { isProgramFailure, programLocation, PROCESS_EXIT_MARKER, type FailureContext } from "./failure";

/** Options as they cross the process boundary (no callbacks). */
export type ChildOptions = Omit<SynthesizeOptions, "onRegister" | "isolate" | "timeoutMs" | "env"> & { readonly forwardRegistrations: boolean };

export type ChildMessage =
    | { readonly kind: "result"; readonly run: SynthRun }
    | { readonly kind: "register"; readonly registration: RegistrationRequest }
    | { readonly kind: "error"; readonly error: SerializedError };

export interface SerializedError {
    readonly name: string;
    readonly message: string;
    readonly stack?: string;
    readonly problems?: readonly Problem[];
    readonly file?: string;
    readonly detail?: string;
    readonly context?: FailureContext;
}

function serializeError(err: unknown): SerializedError {
    const e = err instanceof Error ? err : new Error(String(err));
    const out: { -readonly [K in keyof SerializedError]: SerializedError[K] } = { name: e.name, message: e.message, stack: e.stack };
    if (isUserError(err)) {
        out.problems = err.problems;
        out.file = err.file;
    }
    if (isProgramFailure(err)) {
        out.detail = err.detail;
        out.context = err.context;
    }
    return out;
}

function send(message: ChildMessage): Promise<void> {
    return new Promise((resolve) => {
        if (!process.send) return resolve();
        process.send(message, undefined, {}, () => resolve());
    });
}

// A program that calls process.exit ends the run before it answers: say so (with where it was called)
// to the parent on stderr, which is written synchronously, before the process goes.
let answered = false;
const exitProcess = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
    if (!answered) {
        const location = programLocation(new Error("process.exit"), process.env.ORGWATCH_PROGRAM_DIR ?? process.cwd());
        process.stderr.write(`${PROCESS_EXIT_MARKER}${JSON.stringify({ code: code ?? 0, location: location ?? null })}\n`);
    }
    return exitProcess(code);
}) as typeof process.exit;

process.once("message", (message: { kind: "run"; options: ChildOptions }) => {
    void (async () => {
        let reply: ChildMessage;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- after the environment is set
            const { synthesizeHere } = require("./synthesize") as typeof import("./synthesize");
            const { forwardRegistrations, ...options } = message.options;
            const run = await synthesizeHere(
                { ...options, ...(forwardRegistrations ? { onRegister: (registration) => void send({ kind: "register", registration }) } : {}) },
                "pulumi",
            );
            reply = { kind: "result", run };
        } catch (err) {
            reply = { kind: "error", error: serializeError(err) };
        }
        await send(reply);
        answered = true;
        // The runtime's exit-time reports (promise leaks) are of no use once the answer is sent.
        process.exit(0);
    })();
});
