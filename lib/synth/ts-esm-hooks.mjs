// Node.js module hooks for an ECMAScript-module Pulumi program written in TypeScript: files of the
// program (under `data.root`) are transpiled with the TypeScript compiler (transpile only, the
// program's compiler options over those of @pulumi/pulumi's cmd/run), and `./x.js` imports find
// `./x.ts` as TypeScript's node16/nodenext resolution does. Everything else loads as Node loads it.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, URL } from "node:url";

let ts;
let options;
let root;

export async function initialize(data) {
    ts = createRequire(import.meta.url)(data.compiler);
    root = data.root;
    options = ts.convertCompilerOptionsFromJson(data.compilerOptions, root).options;
}

const TS = /\.(m|c)?tsx?$/;

export async function resolve(specifier, context, next) {
    try {
        return await next(specifier, context);
    } catch (err) {
        if (context.parentURL?.startsWith("file:") && (specifier.startsWith(".") || specifier.startsWith("/"))) {
            const base = new URL(specifier, context.parentURL);
            for (const candidate of [base.href.replace(/\.(m|c)?js$/, ".$1ts"), `${base.href}.ts`, `${base.href}/index.ts`]) {
                if (candidate !== base.href && existsSync(fileURLToPath(candidate))) return { url: candidate, shortCircuit: true };
            }
        }
        throw err;
    }
}

export async function load(url, context, next) {
    if (!url.startsWith("file:") || !TS.test(url)) return next(url, context);
    const file = fileURLToPath(url);
    if (!file.startsWith(root)) return next(url, context);
    const esm = !url.endsWith(".cts");
    const out = ts.transpileModule(readFileSync(file, "utf8"), {
        fileName: file,
        compilerOptions: { ...options, module: esm ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS, inlineSourceMap: true, sourceMap: false },
    });
    return { format: esm ? "module" : "commonjs", source: out.outputText, shortCircuit: true };
}

