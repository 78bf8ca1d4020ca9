import { fork } from "child_process";
import * as path from "path";
import { UserError } from "../errors";
import type { ChildMessage, ChildOptions, SerializedError } from "./child";
import { PROCESS_EXIT_MARKER, ProgramFailure, withoutExitReport, withoutNoise } from "./failure";
import { programEntry } from "./program";
import { readProjectFile, type SynthRun, type SynthesizeOptions } from "./synthesize";

/**
 * Runs a program in a process of its own, with the program's working directory as `pulumi` sets it,
 * so one program's globals, module cache and loader hooks never leak into another's run. The child
 * (`child.ts`) compiles the check's own modules with orgwatch's tsconfig (`child-register.cjs`) and
 * the program's files with the program's; what the program prints is collected, without the
 * runtime's noise.
 */

const DEFAULT_TIMEOUT_MS = 120_000;

function revive(e: SerializedError, programDir: string): Error {
    let err: Error;
    if (e.name === "UserError") {
        err = new UserError(e.message.split(":\n")[0].replace(/ \(fix in [^)]*\)$/, ""), e.problems ?? [], e.file);
    } else if (e.name === "ProgramFailure") {
        err = new ProgramFailure(e.detail ?? e.message, e.context ?? {}, programDir);
    } else {
        err = new Error(e.message);
        err.name = e.name;
    }
    if (e.stack) err.stack = e.stack;
    return err;
}

export function synthesizeIsolated(opts: SynthesizeOptions): Promise<SynthRun> {
    const programDir = path.resolve(opts.programDir);
    const projectFile = readProjectFile(programDir);
    const entry = programEntry(programDir, projectFile.main, projectFile.runtimeOptions);
    const { onRegister, isolate: _isolate, timeoutMs, env, ...rest } = opts;
    const options: ChildOptions = { ...rest, programDir, forwardRegistrations: onRegister !== undefined };
    return new Promise<SynthRun>((resolve, reject) => {
        const child = fork(path.join(__dirname, "child.ts"), [], {
            cwd: entry.pwd,
            // The check's own modules compile through a cache shared by all runs (child-register.cjs).
            execArgv: ["-r", path.join(__dirname, "child-register.cjs")],
            env: { ...process.env, ...env, ORGWATCH_PROGRAM_DIR: programDir },
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        let output = "";
        child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
        child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
        let settled = false;
        const finish = (fn: () => void): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            fn();
        };
        const limit = timeoutMs ?? DEFAULT_TIMEOUT_MS;
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            finish(() => reject(new ProgramFailure(`it did not finish within ${Math.round(limit / 1000)} s (a promise that never settles?)`, {}, programDir)));
        }, limit);
        child.on("message", (m: ChildMessage) => {
            if (m.kind === "register") onRegister?.(m.registration);
            else if (m.kind === "result") finish(() => resolve({ ...m.run, output: withoutNoise(output).trim() }));
            else if (m.kind === "error") finish(() => reject(revive(m.error, programDir)));
        });
        child.on("exit", (code, signal) => {
            // Exited without an answer: the program (or the runtime) ended the process itself.
            const at = output.indexOf(PROCESS_EXIT_MARKER);
            const line = at >= 0 ? output.slice(at + PROCESS_EXIT_MARKER.length).split("\n")[0] : "";
            if (at >= 0) output = output.slice(0, at) + output.slice(at + PROCESS_EXIT_MARKER.length + line.length + 1);
            const called = at >= 0 ? (JSON.parse(line) as { code: number | string; location: string | null }) : undefined;
            if (called?.location) {
                // Called from the program's own code (not the runtime's).
                const printed = withoutExitReport(withoutNoise(output));
                const detail = `the program called process.exit(${String(called.code)}) before its resources finished registering, so the run ended with nothing to check (pulumi preview fails on it too)${printed ? `; it printed:\n${printed}` : ""}`;
                finish(() => reject(new ProgramFailure(detail, { location: called.location ?? undefined }, programDir)));
                return;
            }
            finish(() => reject(new ProgramFailure(`the process exited (${signal ?? `code ${code}`}) before the run finished${output.trim() ? `; it printed:\n${output.trim()}` : ""}`, {}, programDir)));
        });
        child.send({ kind: "run", options });
    });
}
