// Validates GitHub Actions workflow files with GitHub's own workflow parser (@actions/workflow-parser,
// the parser of the Actions language services): schema, expressions, job graph.
// Usage: node tests/workflows/validate-workflow.mjs <file>...  Prints one JSON line per file:
// {"file": "...", "errors": ["..."], "jobs": ["id", ...]}; exits 1 if any file has errors.
import { readFileSync } from "node:fs";
import process from "node:process";
import { register } from "node:module";

// The parser imports its JSON schema without an import attribute (it is written for bundlers);
// Node requires `type: "json"`, which this loader hook adds for .json modules.
const addJsonAttribute = `export async function load(url, context, next) {
    return next(url, url.endsWith(".json") ? { ...context, importAttributes: { type: "json" } } : context);
}`;
register(`data:text/javascript,${encodeURIComponent(addJsonAttribute)}`, import.meta.url);
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import("@actions/workflow-parser");

let failed = false;
for (const name of process.argv.slice(2)) {
    const parsed = parseWorkflow({ name, content: readFileSync(name, "utf8") }, new NoOperationTraceWriter());
    const errors = parsed.context.errors.getErrors().map((e) => e.message);
    let jobs = [];
    if (parsed.value !== undefined && errors.length === 0) {
        const template = await convertWorkflowTemplate(parsed.context, parsed.value);
        errors.push(...(template.errors ?? []).map((e) => e.Message ?? String(e)));
        jobs = (template.jobs ?? []).map((j) => j.id?.value ?? String(j.id));
    }
    failed ||= errors.length > 0;
    process.stdout.write(`${JSON.stringify({ file: name, errors, jobs })}\n`);
}
process.exitCode = failed ? 1 : 0;
