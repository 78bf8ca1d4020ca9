/**
 * The policy pack as an artifact: `policies/` alone is what `pulumi policy publish` uploads (it runs
 * `npm pack` there), what Pulumi Cloud installs for every stack of a policy group (`npm install` in
 * the unpacked tarball), and what a self-managed backend copies into CI (`--policy-pack <dir>`).
 *
 * The engine starts a Node.js policy pack with `@pulumi/pulumi/cmd/run-policy-pack <engine> .` in the
 * pack's directory (the pack's own node_modules), reads the gRPC port it prints, and talks to it with
 * the analyzer protocol (pulumi/pulumi: pkg/resource/plugin/analyzer_plugin.go; the nodejs language
 * host's RunPlugin for kind=analyzer). The end-to-end case below does exactly that from a copy of the
 * pack's published file set, installed with `npm ci` from policies/package-lock.json.
 *
 * Expectations come from the pack module (the policy list, which grows), policies/package.json (name,
 * version, pins) and npm's and Pulumi's documented behaviour, never from the code under test.
 */
import { expect } from "chai";
import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import { builtinModules, createRequire } from "module";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { parse as parseYaml } from "yaml";

import type * as grpcTypes from "@grpc/grpc-js";
import type * as emptyPbTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structPbTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as analyzerGrpcTypes from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as pluginPb from "@pulumi/pulumi/proto/plugin_pb";

import { ORGWATCH_POLICIES, POLICY_PACK_NAME } from "../../policies/pack";

const REPO = path.join(__dirname, "..", "..");
const PACK_DIR = path.join(REPO, "policies");

interface PackageJson {
    readonly name: string;
    readonly version: string;
    readonly main?: string;
    readonly files?: readonly string[];
    readonly scripts?: Readonly<Record<string, string>>;
    readonly dependencies?: Readonly<Record<string, string>>;
    readonly devDependencies?: Readonly<Record<string, string>>;
    readonly peerDependencies?: Readonly<Record<string, string>>;
    readonly optionalDependencies?: Readonly<Record<string, string>>;
}

interface LockFile {
    readonly name: string;
    readonly version: string;
    readonly lockfileVersion: number;
    readonly packages: Readonly<Record<string, { version?: string; integrity?: string; dependencies?: Record<string, string>; link?: boolean }>>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;
const PKG = readJson<PackageJson>(path.join(PACK_DIR, "package.json"));

/**
 * Semantic Versioning 2.0.0, the regular expression published at https://semver.org (section "Is
 * there a suggested regular expression (RegEx) to check a SemVer string?").
 */
const SEMVER =
    /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Packages the engine's runner needs besides what the pack's modules import (see docs/adr/0002). */
const RUNNER_PACKAGES: Readonly<Record<string, string>> = {
    // Provides cmd/run-policy-pack, which the engine starts; also @pulumi/policy's peer.
    "@pulumi/pulumi": "the engine starts its cmd/run-policy-pack",
    // run-policy-pack compiles the TypeScript pack with ts-node at load (typeCheck: true); without a
    // `typescript` package it falls back to its vendored TypeScript 3.8, which rejects es2022.
    typescript: "run-policy-pack compiles the pack's TypeScript when it loads it",
};

/** Environment for child npm processes: without the variables `npm test` sets for the root project. */
function childEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (!/^npm_(package_|lifecycle_|config_local_prefix$|command$)/i.test(k)) {
            env[k] = v;
        }
    }
    return env;
}

function run(cmd: string, args: readonly string[], cwd: string, timeoutMs: number): SpawnSyncReturns<string> {
    const out = spawnSync(cmd, args, { cwd, encoding: "utf8", env: childEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    if (out.error) {
        throw out.error;
    }
    return out;
}

function expectOk(out: SpawnSyncReturns<string>, what: string): void {
    expect(out.status, `${what} exited ${out.status}\n${out.stderr}\n${out.stdout}`).to.equal(0);
}

/** The files `npm pack` puts in the tarball (npm's own packlist: `files`, ignore rules, always-included). */
function packedFiles(dir: string): string[] {
    const out = run("npm", ["pack", "--dry-run", "--json", "--loglevel=error"], dir, 60_000);
    expectOk(out, "npm pack --dry-run");
    const [result] = JSON.parse(out.stdout) as [{ files: { path: string }[] }];
    return result.files.map((f) => f.path).sort();
}

/** Every TypeScript source of the pack directory (node_modules and build output excluded). */
function packSources(dir: string = PACK_DIR, rel = ""): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const name = path.posix.join(rel, entry.name);
        if (entry.isDirectory()) {
            if (entry.name !== "node_modules" && entry.name !== "bin") {
                out.push(...packSources(dir, name));
            }
        } else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) {
            out.push(name);
        }
    }
    return out.sort();
}

/** Module specifiers a source loads: imports, re-exports, `import x = require()`, `require()` and `import()`. */
function specifiersOf(file: string): string[] {
    const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    return info.importedFiles.map((f) => f.fileName);
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for a Node builtin. */
function packageOf(specifier: string): string | undefined {
    if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0])) {
        return undefined;
    }
    const parts = specifier.split("/");
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Resolves a relative specifier the way Node does for a TypeScript source (file, .ts, .json, index). */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
    const base = path.resolve(path.dirname(fromFile), specifier);
    for (const candidate of [base, `${base}.ts`, `${base}.json`, path.join(base, "index.ts")]) {
        if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
            return candidate;
        }
    }
    return undefined;
}

/** Files loaded from the entry file by relative imports (the pack's own module graph). */
function moduleGraph(entry: string): string[] {
    const seen = new Set<string>();
    const visit = (file: string): void => {
        if (seen.has(file)) {
            return;
        }
        seen.add(file);
        for (const s of specifiersOf(file).filter((x) => x.startsWith("."))) {
            const target = resolveRelative(file, s);
            if (target !== undefined && target.endsWith(".ts")) {
                visit(target);
            }
        }
    };
    visit(entry);
    return [...seen].map((f) => path.relative(PACK_DIR, f).split(path.sep).join("/")).sort();
}

describe("policy pack artifact: policies/ on its own", () => {
    it("no pack source loads anything outside policies/ (relative imports stay inside, resolve, and name no absolute path)", () => {
        const sources = packSources();
        expect(sources).to.include.members(["index.ts", "pack.ts", "cis-catalogue.ts"]);
        const outside: string[] = [];
        for (const rel of sources) {
            const file = path.join(PACK_DIR, rel);
            for (const s of specifiersOf(file)) {
                if (path.isAbsolute(s)) {
                    outside.push(`${rel}: ${s} (absolute path)`);
                } else if (s.startsWith(".")) {
                    const target = resolveRelative(file, s);
                    const inside = target !== undefined && !path.relative(PACK_DIR, target).startsWith("..");
                    if (!inside || target.split(path.sep).includes("node_modules")) {
                        outside.push(`${rel}: ${s}${target === undefined ? " (does not resolve)" : ` (${path.relative(REPO, target)})`}`);
                    }
                }
            }
        }
        expect(outside).to.deep.equal([]);
    });

    it("the scan sees an import that leaves the directory (a control: the import the issue reported)", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-pack-scan-"));
        try {
            const file = path.join(tmp, "stack.ts");
            fs.writeFileSync(file, 'import { CIS_CONTROLS } from "../lib/cis/catalogue";\nconst x = require("./y");\nexport const n = import("../z");\n');
            expect(specifiersOf(file)).to.deep.equal(["../lib/cis/catalogue", "./y", "../z"]);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("dependencies are exactly what runs: the packages the pack imports plus the runner's, pinned to the root's versions; no devDependencies", () => {
        const imported = new Set<string>();
        for (const rel of packSources()) {
            for (const s of specifiersOf(path.join(PACK_DIR, rel))) {
                const name = !s.startsWith(".") && !path.isAbsolute(s) ? packageOf(s) : undefined;
                if (name !== undefined) {
                    imported.add(name);
                }
            }
        }
        expect([...imported].sort()).to.include.members(["@pulumi/aws", "@pulumi/policy"]);
        const wanted = [...new Set([...imported, ...Object.keys(RUNNER_PACKAGES)])].sort();
        expect(Object.keys(PKG.dependencies ?? {}).sort()).to.deep.equal(wanted);
        expect(PKG.devDependencies ?? {}).to.deep.equal({});
        expect(PKG.peerDependencies ?? {}).to.deep.equal({});
        expect(PKG.optionalDependencies ?? {}).to.deep.equal({});
        // Exact versions, the same as the program's: the offline check runs these modules with the root's tree.
        const root = readJson<PackageJson>(path.join(REPO, "package.json"));
        for (const [name, version] of Object.entries(PKG.dependencies ?? {})) {
            expect(version, name).to.match(SEMVER);
            expect(version, `${name}: root package.json pins ${root.dependencies?.[name] ?? root.devDependencies?.[name]}`).to.equal(
                root.dependencies?.[name] ?? root.devDependencies?.[name],
            );
        }
    });

    it("package-lock.json pins the whole tree: same root manifest as package.json, every package with a version and an integrity hash", () => {
        const lock = readJson<LockFile>(path.join(PACK_DIR, "package-lock.json"));
        expect(lock.lockfileVersion).to.be.at.least(2);
        expect([lock.name, lock.version]).to.deep.equal([PKG.name, PKG.version]);
        const rootEntry = lock.packages[""];
        expect(rootEntry.dependencies ?? {}).to.deep.equal(PKG.dependencies ?? {});
        const entries = Object.entries(lock.packages).filter(([k]) => k !== "");
        expect(entries.length).to.be.greaterThan(50);
        const unpinned = entries.filter(([, v]) => !v.link && (!v.version || !v.integrity)).map(([k]) => k);
        expect(unpinned).to.deep.equal([]);
        for (const name of Object.keys(PKG.dependencies ?? {})) {
            expect(lock.packages[`node_modules/${name}`]?.version, name).to.equal(PKG.dependencies?.[name]);
        }
    });

    it("the published file set holds every module the entry file loads, the runtime settings, and the shrinkwrap slot; no pack lifecycle scripts", () => {
        const files = packedFiles(PACK_DIR);
        const entry = path.join(PACK_DIR, PKG.main ?? "index.js");
        expect(PKG.main).to.equal("index.ts");
        expect(files).to.include.members([...moduleGraph(entry), "PulumiPolicy.yaml", "package.json", "tsconfig.json"]);
        expect(files.filter((f) => f.startsWith("node_modules/") || f === "package-lock.json")).to.deep.equal([]);
        // `npm pack` leaves package-lock.json out of every tarball; npm-shrinkwrap.json is the lock it
        // publishes (docs.npmjs.com, configuring-npm/npm-shrinkwrap-json). POLICIES.md's publish steps create it.
        expect(PKG.files).to.include("npm-shrinkwrap.json");
        // Left behind by an interrupted publish, it would take precedence over package-lock.json in npm ci.
        expect(fs.existsSync(path.join(PACK_DIR, "npm-shrinkwrap.json")), "policies/npm-shrinkwrap.json must not exist (remove it)").to.equal(false);
        // Pulumi reads the tarball's name from the whole stdout of `npm pack` (sdk/nodejs/npm/npm.go,
        // Pack); a lifecycle script's banner on stdout breaks `pulumi policy publish`.
        const lifecycle = ["prepack", "prepare", "postpack", "prepublish", "prepublishOnly", "publish", "postpublish"];
        expect(Object.keys(PKG.scripts ?? {}).filter((s) => lifecycle.includes(s))).to.deep.equal([]);
    });
});

/**
 * Versions of the pack a document names: in `pulumi policy <verb> <org>/orgwatch-monitoring <version>`
 * commands, after `orgwatch-monitoring ` elsewhere, and in bold (`**0.1.0**`).
 */
function documentedVersions(text: string): string[] {
    const found: string[] = [];
    for (const re of [/orgwatch-monitoring[ @]v?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)/g, /\*\*v?(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)\*\*/g]) {
        for (const m of text.matchAll(re)) {
            found.push(m[1]);
        }
    }
    return found;
}

describe("policy pack version: semantic, in package.json, and the one the docs name", () => {
    const docs = { "README.md": path.join(REPO, "README.md"), "policies/POLICIES.md": path.join(PACK_DIR, "POLICIES.md") };

    it("package.json is the only place of the version: PulumiPolicy.yaml sets none (the engine would prefer it) and passes the runner no options", () => {
        // pulumi/pulumi, pkg/resource/plugin/analyzer_plugin.go: "The version from PulumiPolicy.yaml is
        // used, if set, over the version from the response"; runtime options become runner arguments.
        const project = parseYaml(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<string, unknown>;
        expect(project).to.not.have.property("version");
        expect(project["runtime"]).to.equal("nodejs");
    });

    it("policies/package.json carries a semantic version", () => {
        expect(PKG.version).to.match(SEMVER);
        // A control for the expression: versions npm would also reject.
        for (const bad of ["1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0+"]) {
            expect(bad).to.not.match(SEMVER);
        }
    });

    for (const [name, file] of Object.entries(docs)) {
        it(`${name} names the version of policies/package.json wherever it names one (publish, enable, validate-config)`, () => {
            const text = fs.readFileSync(file, "utf8");
            const versions = documentedVersions(text);
            expect(versions.length, "the document names the pack's version").to.be.greaterThan(1);
            expect([...new Set(versions)]).to.deep.equal([PKG.version]);
            expect(text).to.match(new RegExp(`pulumi policy enable <org>/orgwatch-monitoring ${PKG.version.replace(/\./g, "\\.")} `));
        });
    }

    it("the version scan sees a stale version (a control)", () => {
        expect(documentedVersions("pulumi policy enable acme/orgwatch-monitoring 0.2.0 --config x.json; version **0.1.0**")).to.deep.equal(["0.2.0", "0.1.0"]);
    });

    it("every policy config file the docs of the real path name is in the pack", () => {
        for (const file of Object.values(docs)) {
            for (const m of fs.readFileSync(file, "utf8").matchAll(/policy-config\.[a-z-]+\.json/g)) {
                expect(fs.existsSync(path.join(PACK_DIR, m[0])), `${path.basename(file)} names ${m[0]}`).to.equal(true);
            }
        }
    });
});

/** The analyzer client of the SDK's generated stubs, with the grpc-js instance those stubs use. */
function analyzerClient(address: string): analyzerGrpcTypes.AnalyzerClient {
    const stubsPath = require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb");
    const stubRequire = createRequire(stubsPath);
    const stubs = stubRequire(stubsPath) as typeof analyzerGrpcTypes;
    const grpc = stubRequire("@grpc/grpc-js") as typeof grpcTypes;
    return new stubs.AnalyzerClient(address, grpc.credentials.createInsecure());
}

/** google.protobuf.Empty and Struct from the google-protobuf instance the stubs serialize with. */
function protobufOfStubs(): { Empty: typeof emptyPbTypes.Empty; Struct: typeof structPbTypes.Struct } {
    const stubRequire = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
    return {
        Empty: (stubRequire("google-protobuf/google/protobuf/empty_pb.js") as typeof emptyPbTypes).Empty,
        Struct: (stubRequire("google-protobuf/google/protobuf/struct_pb.js") as typeof structPbTypes).Struct,
    };
}

function unary<Req, Res>(call: (req: Req, cb: (err: grpcTypes.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        call(req, (err, res) => (err ? reject(err) : resolve(res)));
    });
}

/** Level names of the analyzer protocol's EnforcementLevel enum, by value. */
const LEVEL_NAMES = new Map(Object.entries(analyzerPb.EnforcementLevel).map(([k, v]) => [v as number, k.toLowerCase()]));

interface EnginePolicyConfig {
    level: string;
    properties: Record<string, unknown>;
}

/**
 * The config the engine sends with Configure for a `--policy-pack-config` file, as pulumi/pulumi's
 * pkg/resource/analyzer/config.go (ReconcilePolicyPackConfig) builds it from the analyzer info:
 * every policy's own level and its schema's defaults, then the file's `all` level, then per policy
 * a level string or an object with `enforcementLevel` and properties.
 */
function engineConfig(policies: readonly analyzerPb.PolicyInfo[], file: Readonly<Record<string, unknown>>): Map<string, EnginePolicyConfig> {
    const result = new Map<string, EnginePolicyConfig>();
    for (const p of policies) {
        const schema = (p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, { default?: unknown }>;
        const properties = Object.fromEntries(Object.entries(schema).filter(([, v]) => v.default !== undefined).map(([k, v]) => [k, v.default]));
        result.set(p.getName(), { level: LEVEL_NAMES.get(p.getEnforcementlevel()) ?? "advisory", properties });
    }
    const all = file["all"];
    if (typeof all === "string") {
        for (const c of result.values()) {
            c.level = all;
        }
    }
    for (const [name, given] of Object.entries(file)) {
        const c = result.get(name);
        if (name === "all" || c === undefined) {
            continue;
        }
        if (typeof given === "string") {
            c.level = given;
        } else if (typeof given === "object" && given !== null) {
            const { enforcementLevel, ...props } = given as Record<string, unknown>;
            if (typeof enforcementLevel === "string") {
                c.level = enforcementLevel;
            }
            Object.assign(c.properties, props);
        }
    }
    return result;
}

/** The engine's address argument; @pulumi/policy's server never dials it (it only serves). */
const ENGINE_ADDRESS = "127.0.0.1:0";

describe("policy pack artifact: a copy of policies/ alone, installed with npm ci, under the engine's runner", function () {
    // npm ci of the pack's tree from the npm cache (~20 s), then the runner compiles and type-checks
    // the TypeScript pack (~10 s). Generous, so that a cold cache on CI still fits.
    this.timeout(240_000);

    let tmp = "";
    let copy = "";
    let runner: ChildProcess | undefined;
    let stderr = "";
    let client: analyzerGrpcTypes.AnalyzerClient | undefined;
    let info: analyzerPb.AnalyzerInfo | undefined;
    const copied: string[] = [];
    const packHadNodeModules = fs.existsSync(path.join(PACK_DIR, "node_modules"));

    before(async function () {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-pack-"));
        copy = path.join(tmp, PKG.name);
        // The copy is the published file set plus the lock file: nothing else from the repository.
        for (const rel of [...packedFiles(PACK_DIR), "package-lock.json"]) {
            fs.mkdirSync(path.dirname(path.join(copy, rel)), { recursive: true });
            fs.copyFileSync(path.join(PACK_DIR, rel), path.join(copy, rel));
            copied.push(rel);
        }
        expectOk(run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], copy, 200_000), "npm ci in the copy");

        const runPolicyPack = path.join(copy, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
        expect(fs.existsSync(path.join(runPolicyPack, "index.js")), "run-policy-pack installed in the copy").to.equal(true);
        const child = spawn(process.execPath, [runPolicyPack, ENGINE_ADDRESS, "."], { cwd: copy, env: childEnv(), stdio: ["ignore", "pipe", "pipe"] });
        runner = child;
        child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const timer = setTimeout(() => reject(new Error(`no port printed within 120 s\nstderr:\n${stderr}`)), 120_000);
            child.stdout?.on("data", (d: Buffer) => {
                stdout += d.toString();
                const line = stdout.split("\n")[0];
                if (stdout.includes("\n") && /^\d+$/.test(line.trim())) {
                    clearTimeout(timer);
                    resolve(Number(line.trim()));
                }
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`run-policy-pack exited with ${code} before printing its port\nstdout:\n${stdout}\nstderr:\n${stderr}`));
            });
        });
        client = analyzerClient(`127.0.0.1:${port}`);
        const { Empty } = protobufOfStubs();
        info = await unary<emptyPbTypes.Empty, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    });

    after(() => {
        client?.close();
        if (runner && runner.exitCode === null) {
            runner.kill("SIGKILL");
        }
        if (tmp) {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    it("copied only the published files and the lock, and installed no dependency outside the copy", () => {
        expect(copied).to.include("package-lock.json");
        expect(fs.existsSync(path.join(copy, "node_modules", "@pulumi", "policy", "package.json"))).to.equal(true);
        expect(fs.existsSync(path.join(PACK_DIR, "node_modules")), "the test must not install into policies/").to.equal(packHadNodeModules);
    });

    it("lists every policy of the pack module, in order, with its default enforcement level, description and config schema", () => {
        const listed = (info?.getPoliciesList() ?? []).map((p) => ({
            name: p.getName(),
            level: LEVEL_NAMES.get(p.getEnforcementlevel()),
            description: p.getDescription(),
            config: p.getConfigschema()?.getProperties()?.toJavaScript() ?? null,
        }));
        const expected = ORGWATCH_POLICIES.map((p) => ({
            name: p.name,
            level: p.enforcementLevel ?? "advisory",
            description: p.description,
            config: p.configSchema ? (JSON.parse(JSON.stringify(p.configSchema.properties)) as unknown) : null,
        }));
        expect(expected.length).to.be.greaterThan(20);
        expect(listed).to.deep.equal(expected);
    });

    it("names itself orgwatch-monitoring with the version of policies/package.json (what `pulumi policy publish` records)", () => {
        expect(info?.getName()).to.equal(POLICY_PACK_NAME);
        expect(info?.getVersion()).to.equal(PKG.version);
        expect(PKG.version).to.match(SEMVER);
        expect(info?.getSupportsconfig()).to.equal(true);
    });

    it("reports the @pulumi/policy version the lock pins (GetPluginInfo)", async () => {
        const { Empty } = protobufOfStubs();
        const plugin = await unary<emptyPbTypes.Empty, pluginPb.PluginInfo>(client!.getPluginInfo.bind(client!), new Empty());
        expect(plugin.getVersion()).to.equal(PKG.dependencies?.["@pulumi/policy"]);
    });

    it("configured like `--policy-pack-config policy-config.governance.json`, evaluates a resource (Configure, Analyze): a stopped trail violates cloudtrail-logging-enabled", async () => {
        const { Struct } = protobufOfStubs();
        const file = readJson<Record<string, unknown>>(path.join(copy, "policy-config.governance.json"));
        const configure = new analyzerPb.ConfigureAnalyzerRequest();
        for (const [name, c] of engineConfig(info?.getPoliciesList() ?? [], file)) {
            const level = analyzerPb.EnforcementLevel[c.level.toUpperCase() as keyof typeof analyzerPb.EnforcementLevel];
            configure.getPolicyconfigMap().set(name, new analyzerPb.PolicyConfig().setEnforcementlevel(level).setProperties(Struct.fromJavaScript(c.properties as Parameters<typeof Struct.fromJavaScript>[0])));
        }
        await unary<analyzerPb.ConfigureAnalyzerRequest, emptyPbTypes.Empty>(client!.configure.bind(client!), configure);
        const req = new analyzerPb.AnalyzeRequest()
            .setType("aws:cloudtrail/trail:Trail")
            .setName("org-trail")
            .setUrn("urn:pulumi:prod::orgwatch::aws:cloudtrail/trail:Trail::org-trail")
            .setProperties(Struct.fromJavaScript({ name: "org-trail", s3BucketName: "audit-bucket", enableLogging: false }))
            .setOptions(new analyzerPb.AnalyzerResourceOptions());
        const res = await unary<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(client!.analyze.bind(client!), req);
        const hits = res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getPolicypackname(), d.getPolicypackversion(), LEVEL_NAMES.get(d.getEnforcementlevel())]);
        expect(hits).to.deep.include(["cloudtrail-logging-enabled", POLICY_PACK_NAME, PKG.version, "mandatory"]);
    });

    it("publishes from the copy the way `pulumi policy publish` packs it: `npm pack` prints only the tarball name, the tarball carries the lock as npm-shrinkwrap.json, and npm install of it resolves the locked tree", () => {
        fs.copyFileSync(path.join(copy, "package-lock.json"), path.join(copy, "npm-shrinkwrap.json"));
        const packed = run("npm", ["pack", "--loglevel=error"], copy, 60_000);
        expectOk(packed, "npm pack");
        const tarball = packed.stdout.trim();
        expect(tarball).to.equal(`${PKG.name}-${PKG.version}.tgz`);
        const listing = run("tar", ["-tzf", tarball], copy, 60_000);
        expectOk(listing, "tar -tzf");
        const entries = listing.stdout.split("\n").filter((l) => l.length > 0).map((l) => l.replace(/^package\//, "")).sort();
        const expected = [...copied.filter((f) => f !== "package-lock.json"), "npm-shrinkwrap.json"].sort();
        expect(entries).to.deep.equal(expected);
        expect(run("tar", ["-xzOf", tarball, "package/npm-shrinkwrap.json"], copy, 60_000).stdout).to.equal(fs.readFileSync(path.join(PACK_DIR, "package-lock.json"), "utf8"));

        // Pulumi Cloud unpacks the tarball and runs `npm install` there (installRequiredPolicy): npm
        // resolves exactly the locked tree from the shrinkwrap (resolution only; the install above ran it).
        const unpacked = path.join(tmp, "installed");
        fs.mkdirSync(unpacked);
        expectOk(run("tar", ["-xzf", path.join(copy, tarball), "-C", unpacked], tmp, 60_000), "tar -xzf");
        const installDir = path.join(unpacked, "package");
        expectOk(run("npm", ["install", "--package-lock-only", "--loglevel=error", "--prefer-offline", "--no-audit", "--no-fund"], installDir, 120_000), "npm install in the unpacked tarball");
        const versions = (lock: LockFile): Record<string, string | undefined> => Object.fromEntries(Object.entries(lock.packages).map(([k, v]) => [k, v.version]));
        const resolved = readJson<LockFile>(path.join(installDir, "npm-shrinkwrap.json"));
        expect(versions(resolved)).to.deep.equal(versions(readJson<LockFile>(path.join(PACK_DIR, "package-lock.json"))));
    });
});
