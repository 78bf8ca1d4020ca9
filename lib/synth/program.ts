import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { UserError } from "../errors";
import type * as TS from "typescript";
import { ProgramFailure } from "./failure";

/**
 * Loading a program the way `pulumi` does, so a program that runs under `pulumi preview` runs here:
 *
 * - working directory and entry point from `Pulumi.yaml` `main` as the CLI resolves them: a
 *   directory becomes the working directory (entry "."), a file is run from the project directory;
 * - the entry "." resolved as @pulumi/pulumi's `cmd/run/run.js` does: `package.json` `exports`
 *   (string, or `"."` with `default`/`require`/`import`), then `main`, then the directory's index;
 * - TypeScript (`runtime.options.typescript`, default true) through ts-node with the program's
 *   `tsconfig.json` (`runtime.options.tsconfig`, default `tsconfig.json` in the working directory),
 *   over run.js's defaults (ES2020, `module`/`moduleResolution` `nodenext`, source maps), transpile
 *   only; ESM programs (`"type": "module"`) through run.js's own loader hooks (`cmd/run/hooks.js`);
 * - the module's export: a function is called and its result awaited; a default export is used when
 *   it is the only export (ESM), as run.js does.
 */

export interface RuntimeOptions {
    /** `runtime.options.typescript`. @default true */
    readonly typescript?: boolean;
    /** `runtime.options.tsconfig`: path of the tsconfig file, relative to the working directory. */
    readonly tsconfig?: string;
}

export interface ProgramEntry {
    /** The project directory (holding Pulumi.yaml). */
    readonly projectDir: string;
    /** Working directory of the program (the CLI's `--pwd`). */
    readonly pwd: string;
    /** Entry file or directory, absolute. */
    readonly entry: string;
    /** The nearest package.json's directory (run.js's package root). */
    readonly packageRoot: string;
    readonly isModule: boolean;
    readonly typescript: boolean;
    /** Path of the tsconfig used, when it exists. */
    readonly tsconfig: string | undefined;
}

function readJson(file: string): Record<string, unknown> {
    try {
        const v = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
        return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
    } catch {
        return {};
    }
}

function searchUpPackage(dir: string): string | undefined {
    let d = dir;
    for (;;) {
        if (fs.existsSync(path.join(d, "package.json"))) return d;
        const up = path.dirname(d);
        if (up === d) return undefined;
        d = up;
    }
}

/** Resolves working directory and entry point from the project directory and `main` (CLI and run.js rules). */
export function programEntry(projectDir: string, main: string | undefined, options: RuntimeOptions = {}): ProgramEntry {
    const projectFile = path.join(projectDir, "Pulumi.yaml");
    let pwd = projectDir;
    let entry = ".";
    if (main !== undefined && main !== "") {
        if (path.isAbsolute(main)) {
            throw new UserError(`Invalid project file ${projectFile}`, [{ path: `${projectFile}: main`, allowed: "a path relative to the project directory", received: JSON.stringify(main) }], projectFile);
        }
        const resolved = path.resolve(projectDir, main);
        if (!fs.existsSync(resolved)) {
            throw new UserError(`Invalid project file ${projectFile}`, [{ path: `${projectFile}: main`, allowed: "an existing file or directory", received: `${JSON.stringify(main)} (not found)` }], projectFile);
        }
        if (fs.statSync(resolved).isDirectory()) pwd = resolved;
        else entry = resolved;
    }
    const programPath = entry === "." ? pwd : entry;
    const packageRoot = searchUpPackage(fs.existsSync(programPath) && fs.statSync(programPath).isDirectory() ? programPath : path.dirname(programPath)) ?? pwd;
    const pkg = readJson(path.join(packageRoot, "package.json"));
    let program = entry === "." ? pwd : entry;
    if (entry === ".") {
        const exp = pkg.exports;
        const pick = (p: unknown): string | undefined => (typeof p === "string" && fs.existsSync(path.join(packageRoot, p)) ? path.join(packageRoot, p) : undefined);
        let chosen: string | undefined;
        if (typeof exp === "string") chosen = pick(exp);
        else if (typeof exp === "object" && exp !== null) {
            const dot = (exp as Record<string, unknown>)["."];
            if (typeof dot === "string") chosen = pick(dot);
            else if (typeof dot === "object" && dot !== null) {
                const d = dot as Record<string, unknown>;
                chosen = pick(d.default ?? d.require ?? d.import);
            }
        } else if (typeof pkg.main === "string") chosen = pick(pkg.main);
        if (chosen !== undefined) program = chosen;
    }
    const tsconfig = path.resolve(pwd, options.tsconfig ?? "tsconfig.json");
    return {
        projectDir,
        pwd,
        entry: program,
        packageRoot,
        isModule: pkg.type === "module",
        typescript: options.typescript ?? true,
        tsconfig: fs.existsSync(tsconfig) ? tsconfig : undefined,
    };
}

interface TsLike {
    parseConfigFileTextToJson(file: string, text: string): { config?: { compilerOptions?: Record<string, unknown> } };
}

/** ts-node options as run.js builds them, transpile-only and limited to the program's own files. */
function tsNodeOptions(e: ProgramEntry, ts: TsLike, esm: boolean): Record<string, unknown> {
    let fromFile: Record<string, unknown> = {};
    if (e.tsconfig) {
        fromFile = ts.parseConfigFileTextToJson(e.tsconfig, fs.readFileSync(e.tsconfig, "utf8")).config?.compilerOptions ?? {};
    }
    const defaults = esm ? { target: "ES2022", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" } : { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true" };
    return {
        transpileOnly: true,
        ...(e.tsconfig ? { project: e.tsconfig } : { skipProject: true }),
        compilerOptions: { ...defaults, ...fromFile },
        // Only the program's files: the check's own modules, loaded before, keep orgwatch's settings
        // (and orgwatch's compiler leaves the program's files alone, see child-register.cjs).
        scope: true,
        scopeDir: e.packageRoot,
    };
}

function resolveFrom(spec: string, dirs: readonly string[]): string | undefined {
    try {
        return require.resolve(spec, { paths: [...dirs] });
    } catch {
        return undefined;
    }
}

/**
 * Registers TypeScript support for the program (CommonJS through ts-node's require hook, ESM through
 * run.js's loader hooks) from the program's own `typescript` and `ts-node` when it has them.
 */
export function registerTypeScript(e: ProgramEntry, fallbackDir: string): void {
    if (!e.typescript) return;
    const dirs = [e.packageRoot, fallbackDir];
    const tsPath = resolveFrom("typescript", dirs);
    const tsNodePath = resolveFrom("ts-node", dirs);
    if (tsPath === undefined || tsNodePath === undefined) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's TypeScript compiler
    const ts = require(tsPath) as TsLike;
    if (e.isModule) {
        // run.js registers ts-node's ESM hooks (cmd/run/hooks.js) here. Transpile-only ts-node is
        // TypeScript's transpileModule; these hooks (`ts-esm-hooks.mjs`) call it directly, with the
        // same compiler options, because ts-node's ESM hooks take some 3 s to start per run.
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- node:module's register (Node 20.6+)
        const nodeModule = require("module") as { register?: (specifier: string, parent: string, options: { data: unknown }) => void };
        if (typeof nodeModule.register === "function") {
            const opts = tsNodeOptions(e, ts, true) as { compilerOptions: Record<string, unknown> };
            nodeModule.register(pathToFileURL(path.join(__dirname, "ts-esm-hooks.mjs")).href, pathToFileURL(__filename).href, {
                data: { compiler: tsPath, root: e.packageRoot, compilerOptions: opts.compilerOptions },
            });
            return;
        }
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's ts-node
    const tsNode = require(tsNodePath) as { register(opts: Record<string, unknown>): unknown };
    tsNode.register({ ...tsNodeOptions(e, ts, false), compiler: tsPath });
}

/**
 * Whether ts-node type-checks the program as `pulumi` runs it (run.js): not when
 * PULUMI_NODEJS_TRANSPILE_ONLY is set to "true", nor when the tsconfig's `noCheck` is true; otherwise
 * ts-node's default, which type-checks.
 */
export function typeChecks(e: ProgramEntry, ts: TsLike, env: NodeJS.ProcessEnv = process.env): boolean {
    if (!e.typescript) return false;
    const fromEnv = env.PULUMI_NODEJS_TRANSPILE_ONLY;
    if (fromEnv) return fromEnv !== "true";
    const options = e.tsconfig ? (ts.parseConfigFileTextToJson(e.tsconfig, fs.readFileSync(e.tsconfig, "utf8")).config?.compilerOptions ?? {}) : {};
    return options.noCheck !== true;
}

interface TsCompiler extends TsLike {
    readonly sys: TS.System;
    getParsedCommandLineOfConfigFile(file: string, existing: TS.CompilerOptions | undefined, host: TS.ParseConfigFileHost): TS.ParsedCommandLine | undefined;
    createProgram(rootNames: readonly string[], options: TS.CompilerOptions): TS.Program;
    formatDiagnostics(diagnostics: readonly TS.Diagnostic[], host: TS.FormatDiagnosticsHost): string;
    getPreEmitDiagnostics(program: TS.Program, sourceFile?: TS.SourceFile): readonly TS.Diagnostic[];
}

/** ts-node's ignored diagnostics by default (`ignoreDiagnostics`: 6059, 18002, 18003). */
const TS_NODE_IGNORED = new Set([6059, 18002, 18003]);

/**
 * Type-checks a TypeScript program as ts-node does when `pulumi preview` runs it (see
 * {@link typeChecks}): the program's own files reachable from its entry, with its tsconfig's options.
 * @throws ProgramFailure naming the first error's file and line, with every error as ts-node prints them.
 */
export function typeCheckProgram(e: ProgramEntry, fallbackDir: string, programDir: string): void {
    const tsPath = resolveFrom("typescript", [e.packageRoot, fallbackDir]);
    if (tsPath === undefined) return;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's TypeScript compiler
    const ts = require(tsPath) as TsCompiler;
    if (!typeChecks(e, ts)) return;
    let entry = e.entry;
    if (fs.existsSync(entry) && fs.statSync(entry).isDirectory()) {
        const found = ["index.ts", "index.mts", "index.cts"].map((n) => path.join(entry, n)).find((f) => fs.existsSync(f));
        if (found === undefined) return;
        entry = found;
    }
    if (!/\.[cm]?ts$/.test(entry)) return;
    let options: TS.CompilerOptions = { strict: false, target: 7 /* ES2020 */, module: 1 /* CommonJS */, esModuleInterop: true, skipLibCheck: true };
    if (e.tsconfig) {
        const host: TS.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
        options = ts.getParsedCommandLineOfConfigFile(e.tsconfig, undefined, host)?.options ?? options;
    }
    const program = ts.createProgram([entry], { ...options, noEmit: true, declaration: false, composite: false, incremental: false });
    const own = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.includes("/node_modules/"));
    const diagnostics = own.flatMap((f) => ts.getPreEmitDiagnostics(program, f)).filter((d) => !TS_NODE_IGNORED.has(d.code) && d.category === 1 /* Error */);
    if (diagnostics.length === 0) return;
    const host: TS.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => programDir, getNewLine: () => "\n" };
    const first = diagnostics[0];
    const at = first.file && first.start !== undefined ? first.file.getLineAndCharacterOfPosition(first.start) : undefined;
    const location = first.file && at ? `${path.relative(programDir, first.file.fileName)}:${at.line + 1}:${at.character + 1}` : undefined;
    throw new ProgramFailure(`TypeScript type errors (pulumi preview type-checks the program unless PULUMI_NODEJS_TRANSPILE_ONLY=true or noCheck is set):\n${ts.formatDiagnostics(diagnostics, host).trim()}`, { location }, programDir);
}

// `import()` kept as a real dynamic import when this file is compiled to CommonJS (run.js does the same).
const dynamicImport = (0, eval)("u=>import(u)") as (u: string) => Promise<Record<string, unknown>>;

function indexOf(dir: string, names: readonly string[]): string {
    for (const n of names) {
        if (fs.existsSync(path.join(dir, n))) return path.join(dir, n);
    }
    throw new Error(`No entrypoint found in ${dir}`);
}

/** Loads the program's module (ESM or CommonJS) and runs its export, as run.js does; resolves to the stack outputs. */
export async function loadAndRun(e: ProgramEntry): Promise<unknown> {
    let exported: unknown;
    if (e.isModule) {
        let main = fs.realpathSync(e.entry);
        if (fs.statSync(main).isDirectory()) main = indexOf(main, ["index.js", "index.mjs", "index.ts", "index.mts"]);
        let mod = await dynamicImport(pathToFileURL(main).href);
        if (Object.getOwnPropertyDescriptor(mod, "default") !== undefined) {
            if (Object.keys(mod).length !== 1) throw new Error("expected entrypoint module to have either a default export or named exports but not both");
            mod = mod.default as Record<string, unknown>;
        }
        exported = mod;
    } else {
        const target = fs.existsSync(e.entry) && fs.statSync(e.entry).isDirectory() && !e.entry.endsWith("/") ? `${e.entry}/` : e.entry;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's entry point
        exported = require(target) as unknown;
    }
    return typeof exported === "function" ? await (exported as () => unknown)() : exported;
}
