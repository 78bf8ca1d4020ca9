import { expect } from "chai";
import * as path from "path";
import { withLeanPromiseTracking } from "../../../lib/synth/promise-stacks";
import { renderJson } from "../../../lib/synth/render";
import { readStackFile } from "../../../lib/synth/stack-file";
import { PACKAGE_ROOT, synthesize } from "../../../lib/synth/synthesize";

const ENTRY = require.resolve("@pulumi/pulumi", { paths: [PACKAGE_ROOT] });
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime module the function replaces
const debuggable = require(path.join(path.dirname(ENTRY), "runtime", "debuggable.js")) as {
    debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
    /** The runtime's own flag, set from PULUMI_DEBUG_PROMISE_LEAKS when it loads. */
    debugPromiseLeaks: boolean;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime's leak-candidate store
const state = require(path.join(path.dirname(ENTRY), "runtime", "state.js")) as { getStore(): { leakCandidates: Set<Promise<unknown>> } };

describe("synth lean promise tracking", () => {
    const saved = debuggable.debugPromiseLeaks;
    afterEach(() => {
        debuggable.debugPromiseLeaks = saved;
    });

    it("tracks leak candidates and settles like the runtime's, without debug stacks, and restores the original", async () => {
        debuggable.debugPromiseLeaks = false;
        const original = debuggable.debuggablePromise;
        await withLeanPromiseTracking(ENTRY, async () => {
            expect(debuggable.debuggablePromise).to.not.equal(original);
            await debuggable.debuggablePromise(Promise.resolve(0), "first call goes through the runtime's own");
            let resolve: (v: number) => void = () => undefined;
            const raw = new Promise<number>((r) => (resolve = r));
            const tracked = debuggable.debuggablePromise(raw, "ctx");
            expect(state.getStore().leakCandidates.has(raw)).to.equal(true);
            expect(Object.getOwnPropertyNames(raw)).to.not.include("_debugStackTrace");
            resolve(42);
            expect(await tracked).to.equal(42);
            expect(state.getStore().leakCandidates.has(raw)).to.equal(false);
            const failing = Promise.reject(new Error("boom"));
            const err = await debuggable.debuggablePromise(failing, "ctx").then(
                () => undefined,
                (e: unknown) => e as { message: string; promise: unknown },
            );
            expect(err).to.include({ message: "boom", promise: failing });
            expect(state.getStore().leakCandidates.has(failing)).to.equal(false);
        });
        expect(debuggable.debuggablePromise).to.equal(original);
    });

    it("changes nothing when the runtime debugs promise leaks (PULUMI_DEBUG_PROMISE_LEAKS)", async () => {
        debuggable.debugPromiseLeaks = true;
        const original = debuggable.debuggablePromise;
        await withLeanPromiseTracking(ENTRY, async () => {
            expect(debuggable.debuggablePromise).to.equal(original);
            const p = Promise.resolve(1);
            await debuggable.debuggablePromise(p, "ctx");
            expect(Object.getOwnPropertyNames(p)).to.include("_debugStackTrace");
        });
    });

    it("restores the original when the run throws, and overlapping runs leave the original in place", async () => {
        debuggable.debugPromiseLeaks = false;
        const original = debuggable.debuggablePromise;
        const err = await withLeanPromiseTracking(ENTRY, () => Promise.reject(new Error("program failed"))).catch((e: Error) => e);
        expect((err as Error).message).to.equal("program failed");
        expect(debuggable.debuggablePromise).to.equal(original);
        let release: () => void = () => undefined;
        // The first run ends before the second.
        const first = withLeanPromiseTracking(ENTRY, () => new Promise<void>((r) => (release = r)));
        let releaseSecond: () => void = () => undefined;
        const second = withLeanPromiseTracking(ENTRY, () => new Promise<void>((r) => (releaseSecond = r)));
        release();
        await first;
        expect(debuggable.debuggablePromise).to.not.equal(original);
        releaseSecond();
        await second;
        expect(debuggable.debuggablePromise).to.equal(original);
    });

    it("gives a byte-identical prod synth to the runtime's own promise debugging", async function () {
        this.timeout(120_000);
        const stackFile = readStackFile(path.join(PACKAGE_ROOT, "Pulumi.prod.yaml"), "orgwatch");
        const opts = { programDir: PACKAGE_ROOT, stack: "prod", config: stackFile.config, secretKeys: stackFile.secretKeys };
        debuggable.debugPromiseLeaks = false;
        const lean = renderJson(await synthesize(opts));
        debuggable.debugPromiseLeaks = true;
        const debug = renderJson(await synthesize(opts));
        expect(lean).to.equal(debug);
    });
});
