/* global process, require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script preloaded with node -r */
"use strict";
// Preloaded (`node -r`) in the process an isolated synth runs in: compiles orgwatch's own TypeScript
// modules with orgwatch's tsconfig, through a cache of transpiled output shared by every run, so a
// run starts without loading the TypeScript compiler when nothing changed (a JavaScript program then
// never loads it). The program's own files are left to the program's compiler settings
// (ORGWATCH_PROGRAM_DIR): compiled twice, a file's stack traces would point into the first output.
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const programDir = process.env.ORGWATCH_PROGRAM_DIR ? path.resolve(process.env.ORGWATCH_PROGRAM_DIR) : undefined;
delete process.env.ORGWATCH_PROGRAM_DIR;
const cacheDir = path.join(root, "node_modules", ".cache", "orgwatch-check");
const outputs = new Map();
let compilerOptions;
let ts;

function isOwn(file) {
    const rel = path.relative(root, file);
    if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes("node_modules")) return false;
    if (programDir !== undefined) {
        const inProgram = path.relative(programDir, file);
        if (!inProgram.startsWith("..") && !path.isAbsolute(inProgram)) return false;
    }
    return true;
}

function options() {
    if (compilerOptions === undefined) {
        ts = require(require.resolve("typescript", { paths: [root] }));
        const configFile = path.join(root, "tsconfig.json");
        const parsed = ts.parseConfigFileTextToJson(configFile, fs.readFileSync(configFile, "utf8"));
        compilerOptions = ts.convertCompilerOptionsFromJson(parsed.config.compilerOptions, root).options;
        compilerOptions.sourceMap = false;
        compilerOptions.inlineSourceMap = true;
        compilerOptions.inlineSources = false;
    }
    return compilerOptions;
}

function compile(file, source) {
    const key = crypto.createHash("sha256").update(fs.readFileSync(path.join(root, "tsconfig.json"))).update("\0").update(file).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    try {
        return fs.readFileSync(cached, "utf8");
    } catch {
        // Not cached yet.
    }
    const compilerOpts = options();
    const out = ts.transpileModule(source, { fileName: file, compilerOptions: compilerOpts }).outputText;
    try {
        fs.mkdirSync(cacheDir, { recursive: true });
        const tmp = `${cached}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, out);
        fs.renameSync(tmp, cached);
    } catch {
        // A read-only checkout runs without the cache.
    }
    return out;
}

// Node's own loader, kept now: a TypeScript loader registered later (the program's ts-node) wraps
// the `.js` handler too, and reaching it would compile the program's file a second time.
const plainLoader = Module._extensions[".js"];
Module._extensions[".ts"] = function (module, filename) {
    if (!isOwn(filename)) {
        return plainLoader(module, filename);
    }
    const output = compile(filename, fs.readFileSync(filename, "utf8"));
    outputs.set(filename, output);
    module._compile(output, filename);
};

// Stack traces of orgwatch's own modules point at their TypeScript lines.
require(require.resolve("@cspotcode/source-map-support", { paths: [path.dirname(require.resolve("ts-node/package.json", { paths: [root] }))] })).install({
    environment: "node",
    retrieveFile: (p) => outputs.get(p) || "",
});
