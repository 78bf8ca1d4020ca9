/**
 * Property: random mutations of the valid dev and prod stack files (delete a key, replace a value by
 * another type, garbage, a number, null or a huge string, rename a key, duplicate or drop list items)
 * either synthesize, or fail with a UserError whose message has no stack trace — never another error —
 * and a failing run registers no resource (besides the stack itself, which the engine registers before
 * the program runs). Each case goes through the stack-file reader and the real program.
 */
import { expect } from "chai";
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { isUserError } from "../../lib/errors";
import { parseStackFile } from "../../lib/synth/stack-file";
import { PACKAGE_ROOT, RegistrationRequest, synthesizeDetailed } from "../../lib/synth/synthesize";
// Loaded once here so each synth reuses them (the harness reloads only modules it loaded itself):
// pure, stateless code; the program entry and its components still load afresh for every run.
import "../../lib/alarms/resolve";
import "../../lib/config";
import "../../lib/naming";
import "../../lib/policy-documents";

const STACK_TRACE = /\n\s+at /;
const STACK_FILE_ENV = "ORGWATCH_STACK_FILE";
const STACKS = ["dev", "prod"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

const OPS = ["delete", "replace", "rename", "duplicate", "drop"] as const;
type Op = (typeof OPS)[number];

interface Mutation {
    /** Index (modulo the number of candidate nodes) of the node to change. */
    readonly target: number;
    readonly op: Op;
    /** Replacement value for `replace`. */
    readonly value: Json;
    /** New key name for `rename`. */
    readonly newKey: string;
}

const garbage: fc.Arbitrary<Json> = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.string(),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.constantFrom("", " ", "null", "true", "0", "-1", "1e309", "o-", "arn:aws:iam::", "Root//x", "${x}", "{", "[", "*"),
    fc.nat({ max: 50_000 }).map((n) => "x".repeat(n)),
    fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean()), { maxKeys: 3 }),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
    target: fc.nat(),
    op: fc.constantFrom(...OPS),
    value: garbage,
    newKey: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom("Id", "nmae", "governd", "mode ", "ID", "days")),
});

/** Every node under `config` (mapping entries and list items), depth first. */
function nodes(root: Json, prefix: Path = []): Path[] {
    const out: Path[] = [];
    if (Array.isArray(root)) {
        root.forEach((item, i) => out.push([...prefix, i], ...nodes(item, [...prefix, i])));
    } else if (root !== null && typeof root === "object") {
        for (const [k, v] of Object.entries(root)) out.push([...prefix, k], ...nodes(v, [...prefix, k]));
    }
    return out;
}

function parentOf(root: Json, p: Path): Json {
    let cur = root;
    for (const seg of p.slice(0, -1)) cur = (cur as Record<string | number, Json>)[seg];
    return cur;
}

/** Applies `m` to a copy-free `root` (mutated in place). */
function apply(root: Json, m: Mutation): void {
    const all = nodes(root);
    if (all.length === 0) return;
    const p = all[m.target % all.length];
    const parent = parentOf(root, p);
    const last = p[p.length - 1];
    if (Array.isArray(parent)) {
        const i = last as number;
        if (m.op === "delete" || m.op === "drop") parent.splice(i, 1);
        else if (m.op === "duplicate" || m.op === "rename") parent.splice(i, 0, structuredClone(parent[i]));
        else parent[i] = m.value;
        return;
    }
    const obj = parent as Record<string, Json>;
    const key = last as string;
    if (m.op === "delete" || m.op === "drop") delete obj[key];
    else if (m.op === "rename") {
        const v = obj[key];
        delete obj[key];
        obj[m.newKey] = v;
    } else if (m.op === "duplicate") {
        const v = obj[key];
        obj[key] = Array.isArray(v) ? [...v, ...structuredClone(v)] : [v, structuredClone(v)];
    } else obj[key] = m.value;
}

const bases = new Map<string, Json>(
    STACKS.map((s) => [s, YAML.parse(fs.readFileSync(path.join(PACKAGE_ROOT, `Pulumi.${s}.yaml`), "utf8")) as Json]),
);

describe("security: mutated stack configs never crash and never register before failing", function () {
    this.timeout(120_000);
    let previousEnv: string | undefined;
    before(() => {
        previousEnv = process.env[STACK_FILE_ENV];
    });
    after(() => {
        if (previousEnv === undefined) delete process.env[STACK_FILE_ENV];
        else process.env[STACK_FILE_ENV] = previousEnv;
    });

    it("~100 random mutations of dev and prod: success, or a UserError without a stack trace and with nothing registered", async () => {
        let failures = 0;
        let successes = 0;
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...STACKS), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (stack, mutations) => {
                const doc = structuredClone(bases.get(stack)) as Json;
                const config = (doc as { config: Json }).config;
                for (const m of mutations) apply(config, m);
                const file = `Pulumi.${stack}.fuzz.yaml`;
                process.env[STACK_FILE_ENV] = file;
                const registered: RegistrationRequest[] = [];
                let outcome: unknown;
                try {
                    const stackFile = parseStackFile(YAML.stringify(doc), file, "orgwatch", { requireConfig: true });
                    await synthesizeDetailed({
                        programDir: PACKAGE_ROOT,
                        stack,
                        config: stackFile.config,
                        secretKeys: stackFile.secretKeys,
                        onRegister: (r) => registered.push(r),
                    });
                    successes++;
                    // The observer sees what a successful run registers, so an empty list on failure means something.
                    expect(registered.filter((r) => r.type !== "pulumi:pulumi:Stack")).to.have.length.greaterThan(0);
                    return;
                } catch (err) {
                    outcome = err;
                }
                failures++;
                const detail = `mutations ${JSON.stringify(mutations).slice(0, 400)}: ${outcome instanceof Error ? (outcome.stack ?? outcome.message) : String(outcome)}`;
                expect(isUserError(outcome), detail).to.equal(true);
                const message = (outcome as Error).message;
                expect(message, detail).to.not.match(STACK_TRACE);
                expect(message, detail).to.contain(file);
                const resources = registered.filter((r) => r.type !== "pulumi:pulumi:Stack");
                expect(resources.map((r) => `${r.type}::${r.name}`), detail).to.deep.equal([]);
            }),
            { numRuns: 50 },
        );
        // Both outcomes are exercised (most mutations are mistakes; some are harmless).
        expect(failures, `failures ${failures}, successes ${successes}`).to.be.greaterThan(0);
        expect(successes, `failures ${failures}, successes ${successes}`).to.be.greaterThan(0);
    });
});
