import * as fs from "fs";
import { z } from "zod";
import { Problem, UserError } from "../errors";
import type { InvokeResults } from "./invokes";

/**
 * Files a user gives the offline commands for what only the cloud knows:
 *
 * - `--invoke-results <file>`: results of invokes, by token, over the generated answers (for an
 *   invoke the runtime cannot answer, or to pin a value): `{"<token>": {"<field>": <value>}}`;
 * - `--stack-references <file>`: outputs of the stacks the program reads with a StackReference:
 *   `{"<org>/<project>/<stack>": {"<output>": <value>}}`.
 */

const TOKEN = /^[A-Za-z0-9-]+:[A-Za-z0-9_./-]*:[A-Za-z0-9_]+$/;
const STACK = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

const invokeResultsSchema = z.record(z.string().regex(TOKEN, "an invoke token such as aws:ec2/getAmi:getAmi"), z.record(z.string(), z.unknown()));
const stackReferencesSchema = z.record(z.string().regex(STACK, "a stack name: <org>/<project>/<stack>, <project>/<stack> or <stack>"), z.record(z.string(), z.unknown()));

function readJsonFile(file: string, flag: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new UserError(`Cannot read the file given to ${flag}`, [{ path: flag, allowed: "a readable JSON file", received: file }]);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (err) {
        throw new UserError(`The file given to ${flag} is not valid JSON`, [{ path: "(file)", allowed: "a JSON object", received: err instanceof Error ? err.message : String(err) }], file);
    }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, file: string, flag: string, allowed: string): T {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const at = (p: readonly PropertyKey[]): unknown => p.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);
    const describe = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`);
    const problems: Problem[] = r.error.issues.map((i) => {
        const expected = "expected" in i ? String(i.expected) : undefined;
        return {
            path: i.path.length === 0 ? "(file)" : i.path.map(String).join("."),
            // zod's own message already says "expected ..., received ..."; the problem states each once.
            allowed: i.path.length === 0 ? allowed : i.code === "invalid_type" ? (expected === "record" || expected === "object" ? "a JSON object" : `a ${expected ?? "value of another type"}`) : i.message,
            received: i.code === "invalid_type" ? describe(at(i.path)) : i.code === "invalid_key" ? "an invalid key" : "an invalid value",
        };
    });
    throw new UserError(`Invalid ${flag} file`, problems, file);
}

/** Reads an `--invoke-results` file. @throws UserError naming each problem and the file */
export function readInvokeResults(file: string): InvokeResults {
    return parse(invokeResultsSchema, readJsonFile(file, "--invoke-results"), file, "--invoke-results", 'a JSON object {"<invoke token>": {"<field>": <value>}}');
}

/** Reads a `--stack-references` file. @throws UserError naming each problem and the file */
export function readStackReferences(file: string): Record<string, Record<string, unknown>> {
    return parse(stackReferencesSchema, readJsonFile(file, "--stack-references"), file, "--stack-references", 'a JSON object {"<org>/<project>/<stack>": {"<output>": <value>}}');
}
