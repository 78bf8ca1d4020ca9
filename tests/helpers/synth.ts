/**
 * Helpers for tests that synthesize programs offline.
 *
 * - `synthInline(() => { new MyComponent(...) }, { config })`: run an inline program under the synth
 *   mocks and get the exact `synth --json` result.
 * - `makeProgramDir({ "index.ts": "..." })`: a throw-away Pulumi program directory whose
 *   `node_modules` links to orgwatch's, for `synthesize({ programDir })` and CLI tests.
 * - `runSynthCli([...args])`: spawn the real command and collect exit code, stdout and stderr.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InlineSynthOptions, PACKAGE_ROOT, synthesizeInline } from "../../lib/synth/synthesize";
import { SynthResource, SynthResult } from "../../lib/synth/types";

export { PACKAGE_ROOT };

/** Runs `program` under the offline synth mocks (see `synthesizeInline`). */
export function synthInline(program: () => unknown, options: InlineSynthOptions = {}): Promise<SynthResult> {
    return synthesizeInline(program, options);
}

export interface ProgramDirOptions {
    /** Project name written to Pulumi.yaml. @default "testprog" */
    readonly project?: string;
    /** Link `node_modules` to orgwatch's so the program's packages resolve. @default true */
    readonly linkNodeModules?: boolean;
    /** Write Pulumi.yaml. @default true */
    readonly pulumiYaml?: boolean;
}

/**
 * Creates a temporary Pulumi program directory holding `files` (relative path → content), plus
 * `Pulumi.yaml` (main `index.ts`) unless `files` has one. Returns its absolute path.
 */
export function makeProgramDir(files: Readonly<Record<string, string>>, options: ProgramDirOptions = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-synth-"));
    if (options.pulumiYaml ?? true) {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${options.project ?? "testprog"}\nruntime: nodejs\nmain: index.ts\n`);
    }
    if (options.linkNodeModules ?? true) {
        fs.symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    }
    for (const [rel, content] of Object.entries(files)) {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content);
    }
    return dir;
}

/** Removes a directory made by {@link makeProgramDir}. */
export function removeProgramDir(dir: string): void {
    fs.rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Spawns `ts-node --transpile-only lib/cli/synth.ts <args>` from the orgwatch root. */
export function runSynthCli(args: readonly string[]): CliRun {
    const tsNode = path.join(PACKAGE_ROOT, "node_modules", "ts-node", "dist", "bin.js");
    const r = spawnSync(process.execPath, [tsNode, "--transpile-only", path.join("lib", "cli", "synth.ts"), ...args], {
        cwd: PACKAGE_ROOT,
        encoding: "utf8",
        timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The resources of a synth with the given type (and logical name, when given). */
export function resourcesOf(result: SynthResult, type: string, name?: string): SynthResource[] {
    return result.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
}

/** The one resource with that type and name; throws when there is not exactly one. */
export function resourceOf(result: SynthResult, type: string, name: string): SynthResource {
    const found = resourcesOf(result, type, name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}`);
    }
    return found[0];
}
