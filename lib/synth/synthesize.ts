import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type * as pulumiType from "@pulumi/pulumi";
import { UserError, isUserError } from "../errors";
import { AwsTypeCatalog } from "./aws-types";
import { ProgramCatalogue } from "./catalogue";
import { withLeanPromiseTracking } from "./promise-stacks";
import { AwsMocks, FALLBACK_REGION, MockResourceArgsWithUrn } from "./mocks";
import { applyProjectConfig, parseProjectConfig, type ProjectConfigType } from "./project-config";
import { AwsProviderSettings, placeResource, providerRefUrn, providerSettingsFromInputs } from "./placement";
import { SynthResource, SynthResult } from "./types";
import { loadAndRun, programEntry, registerTypeScript, typeCheckProgram, type RuntimeOptions } from "./program";
import { classifyFailure } from "./failure";
import type { InvokeResults } from "./invokes";
import { sortKeysDeep, wireToPlain } from "./wire";

/**
 * Runs a Pulumi program under the mock runtime and records what `pulumi up` would create.
 *
 * The harness drives the program's own copy of `@pulumi/pulumi` (resolved from the program
 * directory), wraps the mock resource monitor to see each registration request as the engine would
 * (parent, dependencies, protect, provider), and gives the mocks the URN so ids are derived from it.
 */

type Pulumi = typeof pulumiType;

export interface SynthesizeOptions {
    /** Directory holding `Pulumi.yaml` (and the program's `package.json` / `node_modules`). */
    readonly programDir: string;
    readonly stack: string;
    /** Stack config for `setAllConfig`: keys `namespace:key`, values as text (objects as JSON). */
    readonly config: Readonly<Record<string, string>>;
    /** Config keys whose values are secret. @default [] */
    readonly secretKeys?: readonly string[];
    /** Project name. @default the `name` in `<programDir>/Pulumi.yaml` */
    readonly project?: string;
    /**
     * Organization id returned by `getOrganization`.
     * @default the id named by the config (`<project>:organizationId` or `<project>:organization.id`), else a deterministic `o-` placeholder (and a note)
     */
    readonly organizationId?: string;
    /** Run as a preview (`pulumi.runtime.isDryRun()` true). @default false */
    readonly preview?: boolean;
    /** Account used for ARNs when no provider pins one. @default "123456789012" */
    readonly fallbackAccountId?: string;
    /**
     * Called for each resource registration request as the engine receives it (also when the run
     * later fails), e.g. to prove that a config error registers nothing. @default - none
     */
    readonly onRegister?: (registration: RegistrationRequest) => void;
    /** Outputs of the stacks the program reads through a StackReference, by stack name. @default {} */
    readonly stackReferences?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
    /** Results for invokes, by token, over the generated answers (`--invoke-results`). @default {} */
    readonly invokeResults?: InvokeResults;
    /** The stack file the config came from, named in config errors. @default - "the stack file" */
    readonly stackFile?: string;
    /**
     * Run the program in a process of its own, loaded as `pulumi` loads it.
     * @default true for any program but orgwatch's own
     */
    readonly isolate?: boolean;
    /** Longest an isolated run may take, in milliseconds. @default 120000 */
    readonly timeoutMs?: number;
    /** Environment variables for the program of an isolated run, over this process's. @default {} */
    readonly env?: Readonly<Record<string, string>>;
}

/** A resource registration request as the harness sees it (see `SynthesizeOptions.onRegister`). */
export interface RegistrationRequest {
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    /** The inputs as sent on the wire, in plain form. */
    readonly inputs: Readonly<Record<string, unknown>>;
    /** The inputs exactly as sent on the wire (secrets and unknowns as the runtime's sentinel objects). */
    readonly wire: unknown;
    /** Dependencies of the resource, and per input property. */
    readonly dependencies: readonly string[];
    readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
    /** Plugin version requested for the resource's package ("" for none). */
    readonly version: string;
    readonly additionalSecretOutputs: readonly string[];
}

export interface InlineSynthOptions {
    /** @default "orgwatch" */
    readonly project?: string;
    /** @default "test" */
    readonly stack?: string;
    /** @default {} */
    readonly config?: Readonly<Record<string, string>>;
    /** @default [] */
    readonly secretKeys?: readonly string[];
    /** @default a deterministic `o-` placeholder */
    readonly organizationId?: string;
    /** @default false */
    readonly preview?: boolean;
    /** @default "123456789012" */
    readonly fallbackAccountId?: string;
    /** Directory from which `@pulumi/pulumi` and `@pulumi/aws` are resolved. @default the orgwatch package root */
    readonly packageDir?: string;
    /** Called with each registration request, as in {@link SynthesizeOptions}. @default - none */
    readonly onRegister?: (registration: RegistrationRequest) => void;
    /** Outputs of the stacks the program reads through a StackReference, as in {@link SynthesizeOptions}. @default {} */
    readonly stackReferences?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface SynthRun {
    readonly result: SynthResult;
    /** Things a reader must know about this synth (placeholders used, ...). */
    readonly notes: readonly string[];
    /** Wall time of the run in milliseconds (not part of any output, for measurements). */
    readonly durationMs: number;
    /** What the program printed (an isolated run), without the runtime's noise. @default "" */
    readonly output?: string;
}

/** The orgwatch package root (the directory holding its package.json). */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");

/** Minimal view of the RegisterResourceRequest protobuf the harness reads. */
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getProtect(): boolean | undefined;
    getIgnorechangesList(): string[];
    getProvider(): string;
    getDependenciesList(): string[];
    getProvidersMap(): { forEach(cb: (value: string, key: string) => void): void };
    getObject(): { toJavaScript(): unknown } | undefined;
    getVersion(): string;
    getAdditionalsecretoutputsList(): string[];
    getPropertydependenciesMap(): { forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void };
}

interface RegisterResponse {
    getUrn(): string;
    getId(): string;
    getObject(): { toJavaScript(): unknown } | undefined;
}

interface OutputsRequest {
    getUrn(): string;
    getOutputs(): { toJavaScript(): unknown } | undefined;
}

type Callback<T> = (err: unknown, resp: T | undefined) => void;

interface MonitorLike {
    mocks: pulumiType.runtime.Mocks;
    registerResource(req: RegisterRequest, cb: Callback<RegisterResponse>): Promise<void> | void;
    registerResourceOutputs(req: OutputsRequest, cb: Callback<unknown>): void;
    newUrn(parent: string, type: string, name: string): string;
    readResource(req: ReadRequest, cb: Callback<ReadResponse>): Promise<void> | void;
    /** The mock monitor's registry, which `getResource` (rehydrating a resource reference) reads. */
    resources?: Map<string, { urn: string; id: string | null; state: unknown }>;
}

interface ReadRequest {
    getId(): string;
    getType(): string;
    getName(): string;
    getParent(): string;
    getProvider(): string;
    getDependenciesList(): string[];
    getProperties(): { toJavaScript(): unknown } | undefined;
}

interface ReadResponse {
    getUrn(): string;
    getProperties(): { toJavaScript(): unknown } | undefined;
}

interface Captured {
    readonly type: string;
    readonly name: string;
    readonly parent: string;
    readonly custom: boolean;
    readonly remote: boolean;
    readonly protect: boolean;
    readonly ignoreChanges: readonly string[];
    readonly providerRef: string;
    readonly providers: Readonly<Record<string, string>>;
    readonly dependencies: readonly string[];
    readonly inputs: Record<string, unknown>;
    urn: string;
    id: string | null;
    state: Record<string, unknown> | undefined;
    registeredOutputs: Record<string, unknown> | undefined;
    done: boolean;
    /** Read (`get`, StackReference) rather than managed: the engine records it as external. */
    external?: true;
}

function propertyDependenciesOf(req: RegisterRequest): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        out[key] = [...deps.getUrnsList()].sort();
    });
    return out;
}

/** Type of the root stack resource; the engine leaves it out of its children's URNs. */
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * URN the engine gives a resource: the parent's whole qualified type (its `$`-joined chain) is
 * prefixed to the type, except for the root stack, which the engine leaves out. The SDK's mock monitor
 * differs on both counts (it keeps `pulumi:pulumi:Stack$` and only the last parent type), so the
 * harness replaces it; the SDK's own `createUrn` (used for aliases) follows the engine's rule.
 */
export function resourceUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    let qualified = type;
    if (parent) {
        const parentQualified = parent.split("::")[2] ?? "";
        if (parentQualified !== ROOT_STACK_TYPE) {
            qualified = `${parentQualified}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

// Runs are serialized: the Pulumi runtime state is process-wide.
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
}

/** Reads `name`, `main` and the runtime from `Pulumi.yaml`. */
export function readProjectFile(programDir: string): { readonly name: string; readonly main: string | undefined; readonly runtimeOptions: RuntimeOptions; readonly config: Readonly<Record<string, ProjectConfigType>>; readonly file: string } {
    const file = path.join(programDir, "Pulumi.yaml");
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new UserError(`No Pulumi program in ${programDir}`, [{ path: file, allowed: "a Pulumi.yaml project file", received: "no such file" }], file);
    }
    let doc: unknown;
    try {
        doc = YAML.parse(text) as unknown;
    } catch (err) {
        throw new UserError(`Invalid project file ${file}`, [{ path: file, allowed: "valid YAML", received: err instanceof Error ? err.message.split("\n")[0] : String(err) }], file);
    }
    const rec = typeof doc === "object" && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : {};
    const runtime = rec.runtime;
    const runtimeName = typeof runtime === "string" ? runtime : typeof runtime === "object" && runtime !== null ? (runtime as Record<string, unknown>).name : undefined;
    const problems = [];
    if (typeof rec.name !== "string" || rec.name === "") {
        problems.push({ path: `${file}: name`, allowed: "the project name", received: JSON.stringify(rec.name) ?? "nothing" });
    }
    if (runtimeName !== "nodejs") {
        problems.push({ path: `${file}: runtime`, allowed: "nodejs (the offline synth runs Node.js programs)", received: JSON.stringify(runtimeName) ?? "nothing" });
    }
    if (problems.length > 0) {
        throw new UserError(`Invalid project file ${file}`, problems, file);
    }
    const options = typeof runtime === "object" && runtime !== null ? (runtime as Record<string, unknown>).options : undefined;
    const opts = typeof options === "object" && options !== null ? (options as Record<string, unknown>) : {};
    const runtimeOptions: RuntimeOptions = {
        ...(typeof opts.typescript === "boolean" ? { typescript: opts.typescript } : {}),
        ...(typeof opts.tsconfig === "string" ? { tsconfig: opts.tsconfig } : {}),
    };
    const config = parseProjectConfig(rec.config, rec.name as string, file);
    return { name: rec.name as string, main: typeof rec.main === "string" ? rec.main : undefined, runtimeOptions, config, file };
}

/** True when `pkg` is installed where Node would look for it from `dir`. */
function installed(pkg: string, dir: string): boolean {
    let d = path.resolve(dir);
    for (;;) {
        if (fs.existsSync(path.join(d, "node_modules", pkg, "package.json"))) {
            return true;
        }
        const up = path.dirname(d);
        if (up === d) {
            return false;
        }
        d = up;
    }
}

function missingDependenciesError(programDir: string, missing: readonly string[]): UserError {
    return new UserError(
        `The dependencies of the program in ${programDir} are not installed; run npm install in ${programDir}`,
        missing.map((m) => ({ path: m, allowed: `installed in ${path.join(programDir, "node_modules")}`, received: "not found" })),
        path.join(programDir, "package.json"),
    );
}

/** Fails with a UserError when the program's declared dependencies (or @pulumi/pulumi) cannot be found. */
export function checkDependencies(programDir: string): void {
    const wanted = new Set<string>(["@pulumi/pulumi"]);
    const pkgFile = path.join(programDir, "package.json");
    if (fs.existsSync(pkgFile)) {
        try {
            const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { dependencies?: Record<string, string> };
            for (const dep of Object.keys(pkg.dependencies ?? {})) {
                wanted.add(dep);
            }
        } catch (err) {
            throw new UserError(`Invalid package.json in ${programDir}`, [{ path: pkgFile, allowed: "valid JSON", received: err instanceof Error ? err.message : String(err) }], pkgFile);
        }
    }
    const missing = [...wanted].filter((dep) => !installed(dep, programDir)).sort();
    if (missing.length > 0) {
        throw missingDependenciesError(programDir, missing);
    }
}

/** A module as Node compiles it (the part of `module` the TypeScript hook uses). */
interface CompilingModule {
    _compile(code: string, filename: string): unknown;
}

/** Compiled JavaScript of each TypeScript file, with the source it was compiled from. */
const compiledTypeScript = new Map<string, { readonly source: string; readonly js: string }>();
let typeScriptCacheInstalled = false;

/**
 * Program modules are loaded afresh for every in-process run (their require cache is cleared after it), which
 * made the TypeScript compiler most of a run's time. This keeps what the installed TypeScript hook (ts-node)
 * compiled, per file and source text, and hands it to Node again while the source is unchanged; a changed file
 * is compiled again.
 */
function cacheTypeScriptOutput(): void {
    const hook = require.extensions[".ts"];
    if (typeScriptCacheInstalled || hook === undefined) return;
    typeScriptCacheInstalled = true;
    require.extensions[".ts"] = (module: NodeJS.Module, filename: string): void => {
        const m = module as unknown as CompilingModule;
        const source = fs.readFileSync(filename, "utf8");
        const hit = compiledTypeScript.get(filename);
        if (hit !== undefined && hit.source === source) {
            m._compile(hit.js, filename);
            return;
        }
        // The hook wraps `_compile` and calls it with the compiled code: record that code on the way.
        const compile = m._compile;
        m._compile = function (this: CompilingModule, js: string, file: string) {
            compiledTypeScript.set(filename, { source, js });
            return compile.call(this, js, file);
        };
        hook(module, filename);
    };
}

function ensureTypeScript(programDir: string): void {
    if (require.extensions[".ts"] !== undefined) {
        cacheTypeScriptOutput();
        return;
    }
    const tsNodePath = require.resolve("ts-node", { paths: [programDir, PACKAGE_ROOT] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program (and its own packages) at run time
    const tsNode = require(tsNodePath) as { register(opts: Record<string, unknown>): unknown };
    const project = path.join(programDir, "tsconfig.json");
    tsNode.register({
        transpileOnly: true,
        ...(fs.existsSync(project) ? { project } : { skipProject: true }),
        compilerOptions: { module: "commonjs" },
    });
    cacheTypeScriptOutput();
}

function isProgramFile(file: string, programDir: string): boolean {
    const rel = path.relative(programDir, file);
    return !rel.startsWith("..") && !path.isAbsolute(rel) && !rel.split(path.sep).includes("node_modules");
}

interface RunSpec {
    /** Directory from which the program's packages resolve. */
    readonly moduleDir: string;
    readonly pulumi: Pulumi;
    /** Resolved entry point of that `@pulumi/pulumi`. */
    readonly pulumiEntry: string;
    readonly project: string;
    readonly stack: string;
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
    readonly preview: boolean;
    readonly mocks: AwsMocks;
    /** Loads and runs the program; its resolved value is the stack outputs. */
    readonly program: () => Promise<unknown>;
    readonly onRegister?: (registration: RegistrationRequest) => void;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

const loadedModules = new Set<string>();

/** Loads the SDK module that registers a resource type (`aws:ec2/vpc:Vpc` → `@pulumi/aws/ec2`), so references to it rehydrate. */
function loadResourceModule(fromDir: string, type: string): void {
    const m = /^([^:]+):([^/:]+)\//.exec(type);
    if (!m) return;
    const spec = m[2] === "index" ? `@pulumi/${m[1]}` : `@pulumi/${m[1]}/${m[2]}`;
    const key = `${fromDir}|${spec}`;
    if (loadedModules.has(key)) return;
    loadedModules.add(key);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own copy of the SDK module
        require(require.resolve(spec, { paths: [fromDir] }));
    } catch {
        // Without the module the runtime hands the program the child's id instead of the resource.
    }
}

function run(spec: RunSpec): Promise<SynthResult> {
    return withLeanPromiseTracking(spec.pulumiEntry, () => runProgram(spec));
}

async function runProgram(spec: RunSpec): Promise<SynthResult> {
    const { pulumi, mocks } = spec;
    await pulumi.runtime.setMocks(mocks, spec.project, spec.stack, spec.preview);
    pulumi.runtime.setAllConfig({ ...spec.config }, [...spec.secretKeys]);
    const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
    if (!monitor || typeof monitor.registerResource !== "function") {
        throw new Error("offline synth: the Pulumi mock monitor was not installed");
    }
    const records: Captured[] = [];
    const byUrn = new Map<string, Captured>();
    // The monitor's own implementations call `this.mocks.newResource(...)`: they get a view of the
    // monitor whose mocks know the URN, so ids, auto-names and ARNs derive from the URN.
    const urnAwareView = (urn: string): MonitorLike => {
        const urnAware: pulumiType.runtime.Mocks = {
            newResource: (args) => mocks.newResource({ ...args, urn } as MockResourceArgsWithUrn),
            call: (args) => mocks.call(args),
        };
        return Object.create(monitor, { mocks: { value: urnAware } }) as MonitorLike;
    };
    const originalRegister = monitor.registerResource;
    const originalOutputs = monitor.registerResourceOutputs;
    const originalNewUrn = monitor.newUrn;
    monitor.newUrn = (parent, type, name) => resourceUrn(spec.stack, spec.project, parent, type, name);
    monitor.registerResource = (req, cb) => {
        const parent = req.getParent();
        const providers: Record<string, string> = {};
        req.getProvidersMap().forEach((value, key) => {
            providers[key] = value;
        });
        const rec: Captured = {
            type: req.getType(),
            name: req.getName(),
            parent,
            custom: req.getCustom(),
            remote: req.getRemote(),
            protect: req.getProtect() ?? false,
            ignoreChanges: [...req.getIgnorechangesList()].sort(),
            providerRef: req.getProvider(),
            providers,
            dependencies: [...new Set(req.getDependenciesList())].sort(),
            inputs: wireToPlain(req.getObject()?.toJavaScript()),
            urn: resourceUrn(spec.stack, spec.project, parent, req.getType(), req.getName()),
            id: null,
            state: undefined,
            registeredOutputs: undefined,
            done: false,
        };
        records.push(rec);
        mocks.lastStep = `registering ${rec.type} "${rec.name}"`;
        spec.onRegister?.({
            type: rec.type,
            name: rec.name,
            custom: rec.custom,
            inputs: rec.inputs,
            wire: req.getObject()?.toJavaScript(),
            dependencies: rec.dependencies,
            propertyDependencies: propertyDependenciesOf(req),
            version: req.getVersion(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        return originalRegister.call(urnAwareView(rec.urn), req, (err, resp) => {
            for (const child of mocks.drainModelledChildren()) {
                // A remote component's outputs refer to its (modelled) children: the runtime
                // rehydrates them by URN, from the module that defines their type.
                loadResourceModule(spec.moduleDir, child.type);
                monitor.resources?.set(child.urn, { urn: child.urn, id: child.id, state: child.state });
            }
            if (!err && resp) {
                rec.urn = resp.getUrn();
                rec.id = resp.getId() || null;
                rec.state = wireToPlain(resp.getObject()?.toJavaScript());
                rec.done = true;
                byUrn.set(rec.urn, rec);
            }
            cb(err, resp);
        });
    };
    const originalRead = monitor.readResource;
    monitor.readResource = (req, cb) => {
        const parent = req.getParent();
        const rec: Captured = {
            type: req.getType(),
            name: req.getName(),
            parent,
            custom: true,
            remote: false,
            protect: false,
            ignoreChanges: [],
            providerRef: req.getProvider(),
            providers: {},
            dependencies: [...new Set(req.getDependenciesList())].sort(),
            inputs: wireToPlain(req.getProperties()?.toJavaScript()),
            urn: resourceUrn(spec.stack, spec.project, parent, req.getType(), req.getName()),
            id: req.getId() || null,
            state: undefined,
            registeredOutputs: undefined,
            done: false,
            external: true,
        };
        records.push(rec);
        return originalRead.call(urnAwareView(rec.urn), req, (err, resp) => {
            if (!err && resp) {
                rec.urn = resp.getUrn();
                rec.state = wireToPlain(resp.getProperties()?.toJavaScript());
                rec.done = true;
            }
            cb(err, resp);
        });
    };
    monitor.registerResourceOutputs = (req, cb) => {
        const rec = byUrn.get(req.getUrn());
        if (rec) {
            rec.registeredOutputs = wireToPlain(req.getOutputs()?.toJavaScript());
        }
        originalOutputs.call(monitor, req, cb);
    };

    const stray: unknown[] = [];
    const onRejection = (reason: unknown): void => {
        stray.push(reason);
    };
    process.on("unhandledRejection", onRejection);
    let failure: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(spec.program);
    } catch (err) {
        failure = err;
    }
    try {
        const settings = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
        if (settings.waitForRPCs) {
            await settings.waitForRPCs();
        }
        // Let rejections of the last turn surface before deciding.
        await new Promise((resolve) => setImmediate(resolve));
    } finally {
        process.removeListener("unhandledRejection", onRejection);
        monitor.registerResource = originalRegister;
        monitor.registerResourceOutputs = originalOutputs;
        monitor.newUrn = originalNewUrn;
        monitor.readResource = originalRead;
    }
    const error = failure === undefined && stray.length === 0 ? undefined : (mocks.userErrors[0] ?? failure ?? stray.find((e) => isUserError(e)) ?? stray[0]);
    if (error !== undefined) {
        throw error;
    }
    return buildResult(spec, records.filter((r) => r.done));
}

function buildResult(spec: RunSpec, records: readonly Captured[]): SynthResult {
    const { mocks } = spec;
    const effectiveAws = new Map<string, AwsProviderSettings>();
    const resources: SynthResource[] = [];
    let stackOutputs: Record<string, unknown> = {};
    for (const r of records) {
        let account: string | null;
        let region: string | null;
        if (r.type === "pulumi:providers:aws") {
            // A provider resource is placed where it deploys to.
            ({ account, region } = providerSettingsFromInputs(r.inputs));
        } else if (r.custom) {
            ({ account, region } = mocks.placement(r.type, r.inputs, r.providerRef || undefined));
        } else {
            // A component's aws children land where its `providers.aws` (or its parent's) points.
            const own = r.providers.aws;
            const settings = own ? mocks.providerSettings(own) : (effectiveAws.get(r.parent) ?? mocks.defaultProvider);
            effectiveAws.set(r.urn, settings);
            ({ account, region } = placeResource(settings, true, r.inputs));
        }
        const providerUrn = r.custom && r.providerRef ? providerRefUrn(r.providerRef) : null;
        const base: SynthResource = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent || null,
            custom: r.custom,
            provider: providerUrn,
            account,
            region,
            inputs: sortKeysDeep(r.inputs) as Record<string, unknown>,
            id: r.custom ? r.id : null,
            outputs: sortKeysDeep(r.custom ? (r.state ?? {}) : (r.registeredOutputs ?? {})) as Record<string, unknown>,
            dependsOn: r.dependencies,
            protect: r.protect,
            ...(r.ignoreChanges.length > 0 ? { ignoreChanges: r.ignoreChanges } : {}),
        };
        resources.push(r.remote ? { ...base, remote: true as const } : r.external ? { ...base, external: true as const } : base);
        if (r.type === "pulumi:pulumi:Stack" && !r.parent) {
            stackOutputs = (sortKeysDeep(r.registeredOutputs ?? {}) as Record<string, unknown>);
        }
    }
    return { project: spec.project, stack: spec.stack, resources, outputs: stackOutputs };
}

const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * The organization id a stack's config names, if any: `<project>:organizationId`, or the `id` of a
 * `<project>:organization` object. Pure.
 */
export function organizationIdFromConfig(config: Readonly<Record<string, string>>, project: string): string | undefined {
    const direct = config[`${project}:organizationId`];
    if (direct !== undefined && ORG_ID.test(direct)) {
        return direct;
    }
    const obj = config[`${project}:organization`];
    if (obj !== undefined) {
        try {
            const parsed = JSON.parse(obj) as unknown;
            const id = isRecord(parsed) ? parsed.id : undefined;
            if (typeof id === "string" && ORG_ID.test(id)) {
                return id;
            }
        } catch {
            return undefined;
        }
    }
    return undefined;
}

function pulumiEntry(fromDir: string): string {
    return require.resolve("@pulumi/pulumi", { paths: [fromDir] });
}

function loadPulumi(fromDir: string): Pulumi {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program (and its own packages) at run time
    return require(pulumiEntry(fromDir)) as Pulumi;
}

function organizationNote(mocks: AwsMocks): string[] {
    return mocks.organizationPlaceholderUsed
        ? [`no organization id was given: getOrganization returns the placeholder ${mocks.organizationId}`]
        : [];
}

/**
 * Runs the Pulumi program in `programDir` under the mock runtime; returns the synth result and notes.
 *
 * A program other than orgwatch's own runs in a process of its own (see `isolated.ts`), loaded as
 * `pulumi` loads it (`program.ts`), so its globals and module cache never meet another program's.
 * orgwatch's own program (and `isolate: false`) runs in this process, which its tests rely on for speed.
 * @throws UserError for problems the user can fix (no Pulumi.yaml, dependencies not installed, a
 *   required config key missing, a UserError thrown by the program); ProgramFailure when the program
 *   fails to run; other errors propagate with their stack.
 */
export async function synthesizeDetailed(given: SynthesizeOptions): Promise<SynthRun> {
    const programDir = path.resolve(given.programDir);
    const { opts, notes } = withProjectConfig(given, programDir);
    const isolate = opts.isolate ?? programDir !== PACKAGE_ROOT;
    let run: SynthRun;
    if (isolate) {
        // Loaded on demand: the child-process runner is not needed for orgwatch's own program.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { synthesizeIsolated } = require("./isolated") as typeof import("./isolated");
        run = await synthesizeIsolated(opts);
    } else {
        run = await synthesizeHere(opts, "require");
    }
    return notes.length === 0 ? run : { ...run, notes: [...notes, ...run.notes] };
}

/** A file as messages name it: relative to the working directory when inside it, else absolute. */
export function shownPath(file: string): string {
    const abs = path.resolve(file);
    const rel = path.relative(process.cwd(), abs);
    return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? abs : rel;
}

/** Region the default provider is taken to be in when no config names one. */
export const ASSUMED_REGION_NOTE = (stackFile: string): string =>
    `no aws:region in ${stackFile} or Pulumi.yaml: the default provider was assumed to be in ${FALLBACK_REGION} (pulumi preview takes AWS_REGION or AWS_DEFAULT_REGION then, and fails without one)`;

/** The options with the project file's config under the stack's (as the engine applies it), and the notes on it. */
function withProjectConfig(opts: SynthesizeOptions, programDir: string): { opts: SynthesizeOptions; notes: string[] } {
    const projectFile = readProjectFile(programDir);
    const project = opts.project ?? projectFile.name;
    const applied = applyProjectConfig(opts.config, opts.secretKeys ?? [], projectFile.config, {
        project,
        stack: opts.stack,
        projectFile: shownPath(projectFile.file),
        stackFile: opts.stackFile,
    });
    const notes: string[] = [];
    if (programDir !== PACKAGE_ROOT && applied.config["aws:region"] === undefined && installed("@pulumi/aws", programDir)) {
        const stackFile = opts.stackFile ?? `Pulumi.${opts.stack}.yaml`;
        notes.push(ASSUMED_REGION_NOTE(shownPath(stackFile)));
    }
    return { opts: { ...opts, config: applied.config }, notes };
}

/**
 * The run itself, in this process. `loader` "require" loads the entry with this process's module
 * system (orgwatch's own program, already compiled by the test runner's ts-node); "pulumi" loads it
 * as `pulumi` does (in the child process of an isolated run).
 */
export function synthesizeHere(opts: SynthesizeOptions, loader: "require" | "pulumi"): Promise<SynthRun> {
    return serialized(async () => {
        const started = process.hrtime.bigint();
        const programDir = path.resolve(opts.programDir);
        const projectFile = readProjectFile(programDir);
        const project = opts.project ?? projectFile.name;
        checkDependencies(programDir);
        const pulumi = loadPulumi(programDir);
        const mocks = new AwsMocks({
            config: opts.config,
            organizationId: opts.organizationId ?? organizationIdFromConfig(opts.config, project),
            fallbackAccountId: opts.fallbackAccountId,
            catalog: AwsTypeCatalog.forProgram(programDir),
            programCatalogue: new ProgramCatalogue(programDir),
            seed: `${project}/${opts.stack}`,
            stackReferences: opts.stackReferences,
            invokeResults: opts.invokeResults,
        });
        const before = new Set(Object.keys(require.cache));
        let program: () => Promise<unknown>;
        if (loader === "pulumi") {
            const entry = programEntry(programDir, projectFile.main, projectFile.runtimeOptions);
            registerTypeScript(entry, PACKAGE_ROOT);
            program = async () => {
                typeCheckProgram(entry, PACKAGE_ROOT, programDir);
                return loadAndRun(entry).catch((err: unknown) => rethrowMissingModule(err, programDir));
            };
        } else {
            const entry = path.resolve(programDir, projectFile.main ?? ".");
            ensureTypeScript(programDir);
            for (const key of before) {
                // A program module cached by an earlier synth (or imported by a test) must run afresh.
                if (key === entry || key.startsWith(`${entry}${path.sep}index.`)) {
                    delete require.cache[key];
                }
            }
            program = async (): Promise<unknown> => {
                let exported: unknown;
                try {
                    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the program (and its own packages) at run time
                    exported = require(entry) as unknown;
                } catch (err) {
                    rethrowMissingModule(err, programDir);
                }
                // TypeScript `export default` compiles to a `default` property; `export =` replaces the module.
                if (isRecord(exported) && Object.keys(exported).length === 1 && "default" in exported) {
                    exported = exported.default;
                }
                return typeof exported === "function" ? await (exported as () => unknown)() : exported;
            };
        }
        try {
            const result = await run({
                moduleDir: programDir,
                pulumi,
                pulumiEntry: pulumiEntry(programDir),
                project,
                stack: opts.stack,
                config: opts.config,
                secretKeys: opts.secretKeys ?? [],
                preview: opts.preview ?? false,
                mocks,
                program,
                onRegister: opts.onRegister,
            });
            const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
            return { result, notes: [...organizationNote(mocks), ...mocks.notes], durationMs };
        } catch (err) {
            const failedInvoke = mocks.invokeFailures[mocks.invokeFailures.length - 1];
            const cause = failedInvoke !== undefined && !isUserError(err) ? failedInvoke.error : err;
            throw classifyFailure(cause, programDir, { stackFile: opts.stackFile, lastStep: mocks.lastStep, invoke: failedInvoke?.token });
        } finally {
            for (const key of Object.keys(require.cache)) {
                if (!before.has(key) && isProgramFile(key, programDir)) {
                    delete require.cache[key];
                }
            }
        }
    });
}

/** A package the program imports that is not installed: ask for npm install (exit 2). */
function rethrowMissingModule(err: unknown, programDir: string): never {
    const e = err as NodeJS.ErrnoException;
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(e?.message ?? "")?.[1];
    if ((e?.code === "MODULE_NOT_FOUND" || e?.code === "ERR_MODULE_NOT_FOUND") && missing !== undefined && !missing.startsWith(".") && !path.isAbsolute(missing)) {
        throw missingDependenciesError(programDir, [missing.split("/").slice(0, missing.startsWith("@") ? 2 : 1).join("/")]);
    }
    throw err;
}

/** {@link synthesizeDetailed} without the notes: exactly the `synth --json` result. */
export async function synthesize(opts: SynthesizeOptions): Promise<SynthResult> {
    return (await synthesizeDetailed(opts)).result;
}

/**
 * Runs an inline program (a function that creates resources and returns the stack outputs) under the
 * same mocks and capture as {@link synthesize}. For tests of components.
 */
export function synthesizeInline(program: () => unknown, opts: InlineSynthOptions = {}): Promise<SynthResult> {
    return serialized(async () => {
        const packageDir = opts.packageDir ?? PACKAGE_ROOT;
        const project = opts.project ?? "orgwatch";
        const stack = opts.stack ?? "test";
        const mocks = new AwsMocks({
            config: opts.config,
            organizationId: opts.organizationId,
            fallbackAccountId: opts.fallbackAccountId,
            catalog: AwsTypeCatalog.forProgram(packageDir),
            programCatalogue: new ProgramCatalogue(packageDir),
            seed: `${project}/${stack}`,
            stackReferences: opts.stackReferences,
        });
        return run({
            moduleDir: packageDir,
            pulumi: loadPulumi(packageDir),
            pulumiEntry: pulumiEntry(packageDir),
            project,
            stack,
            config: opts.config ?? {},
            secretKeys: opts.secretKeys ?? [],
            preview: opts.preview ?? false,
            mocks,
            program: async () => await program(),
            onRegister: opts.onRegister,
        });
    });
}
