import * as path from "path";

type DebuggablePromise = <T>(p: Promise<T>, ctx: unknown) => Promise<T>;

interface RuntimeState {
    getStore(): { leakCandidates: Set<Promise<unknown>> };
}

/**
 * Runs `fn` with the Pulumi runtime's promise debugging reduced to what it is used for.
 *
 * The runtime passes every promise it creates through `debuggablePromise`
 * (`@pulumi/pulumi/runtime/debuggable.js`): four per output property of every resource, so about 280
 * for one AWS provider. Each call stores a debug id, a context string and `new Error().stack` on the
 * promise, and tracks it as a leak candidate until it settles. The id, context and stack are printed
 * only when `PULUMI_DEBUG_PROMISE_LEAKS` is set (the leak report says so); formatting the stacks
 * (source-mapped under ts-node) and keeping the strings were most of an offline synth's time and
 * memory at organization scale. While `fn` runs, the function keeps the leak tracking (the exit-time
 * leak report and its exit code work as before) and the promise chain of the original, and drops the
 * three debug fields. When the runtime debugs promise leaks (`PULUMI_DEBUG_PROMISE_LEAKS` was set
 * when it loaded), or with an SDK without these internals, nothing is changed.
 *
 * @param pulumiEntry the resolved entry point of the `@pulumi/pulumi` the program uses
 */
/** Replacements in place, per runtime module: the original and how many runs use the replacement. */
const installed = new Map<object, { original: DebuggablePromise; runs: number }>();

export async function withLeanPromiseTracking<T>(pulumiEntry: string, fn: () => Promise<T>): Promise<T> {
    const runtimeDir = path.join(path.dirname(pulumiEntry), "runtime");
    /* eslint-disable @typescript-eslint/no-require-imports -- the program's own copies of the runtime modules */
    const debuggable = require(path.join(runtimeDir, "debuggable.js")) as { debuggablePromise?: DebuggablePromise; debugPromiseLeaks?: boolean };
    const state = require(path.join(runtimeDir, "state.js")) as Partial<RuntimeState>;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const getStore = state.getStore;
    let entry = installed.get(debuggable);
    if (entry === undefined) {
        const original = debuggable.debuggablePromise;
        // The runtime reads PULUMI_DEBUG_PROMISE_LEAKS once, when it loads: follow its own flag.
        if (debuggable.debugPromiseLeaks !== false || typeof original !== "function" || typeof getStore !== "function") {
            return fn();
        }
        entry = { original, runs: 0 };
        installed.set(debuggable, entry);
        debuggable.debuggablePromise = leanDebuggablePromise(original, getStore);
    }
    entry.runs++;
    try {
        return await fn();
    } finally {
        if (--entry.runs === 0) {
            debuggable.debuggablePromise = entry.original;
            installed.delete(debuggable);
        }
    }
}

function leanDebuggablePromise(original: DebuggablePromise, getStore: RuntimeState["getStore"]): DebuggablePromise {
    let first = true;
    return function lean<T>(p: Promise<T>, ctx: unknown): Promise<T> {
        if (first) {
            // The original schedules the exit-time leak report on its first call.
            first = false;
            const limit = Error.stackTraceLimit;
            Error.stackTraceLimit = 0;
            try {
                return original(p, ctx);
            } finally {
                Error.stackTraceLimit = limit;
            }
        }
        const candidates = getStore().leakCandidates;
        candidates.add(p);
        return p
            .then((value) => {
                candidates.delete(p);
                return value;
            })
            .catch((err: unknown) => {
                candidates.delete(p);
                (err as { promise?: unknown }).promise = p;
                throw err;
            });
    };
}
