import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Problem, UserError } from "../errors";

/**
 * Reading a `Pulumi.<stack>.yaml` stack file into what `pulumi.runtime.setAllConfig` takes.
 * Format: https://www.pulumi.com/docs/iac/concepts/projects/stack-settings-file/
 */

/** Value handed to the program for each `secure:` value: stack secrets cannot be decrypted offline. */
export const OFFLINE_SECRET_PLACEHOLDER = "offline-placeholder-secret";

/** Note added when at least one secure value was replaced by the placeholder. */
export const SECRETS_NOT_DECRYPTED_NOTE =
    `secrets were not decrypted: each secure value was replaced by "${OFFLINE_SECRET_PLACEHOLDER}" (marked secret)`;

/** Note added when the stack has no settings file. */
export const NO_STACK_FILE_NOTE = "no stack settings file, so the stack ran with no stack config (as pulumi preview runs a stack without one)";

export interface StackConfig {
    /** Absolute path of the file read. */
    readonly file: string;
    /** Config map for `setAllConfig`: keys `namespace:key`; objects/arrays as JSON text, scalars as text. */
    readonly config: Readonly<Record<string, string>>;
    /** Keys whose value is (or contains) a secret, sorted. */
    readonly secretKeys: readonly string[];
    /** Things a reader of the synth output must know (e.g. secrets were not decrypted). */
    readonly notes: readonly string[];
}

export interface ParseStackFileOptions {
    /** Reject a file without a `config:` mapping (the user pointed at a file that should hold config). @default false */
    readonly requireConfig?: boolean;
}

/** `Pulumi.<stack>.yaml` in the program directory. */
export function stackFilePath(programDir: string, stack: string): string {
    return path.resolve(programDir, `Pulumi.${stack}.yaml`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSecure(v: unknown): v is { secure: string } {
    return isRecord(v) && Object.keys(v).length === 1 && typeof v.secure === "string";
}

/** Replaces every `{ secure: ... }` with the placeholder; reports whether any was found. */
function replaceSecure(v: unknown): { value: unknown; secret: boolean } {
    if (isSecure(v)) {
        return { value: OFFLINE_SECRET_PLACEHOLDER, secret: true };
    }
    if (Array.isArray(v)) {
        let secret = false;
        const value = v.map((item) => {
            const r = replaceSecure(item);
            secret ||= r.secret;
            return r.value;
        });
        return { value, secret };
    }
    if (isRecord(v)) {
        let secret = false;
        const value: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) {
            const r = replaceSecure(item);
            secret ||= r.secret;
            value[k] = r.value;
        }
        return { value, secret };
    }
    return { value: v, secret: false };
}

function describe(v: unknown): string {
    if (v === null || v === undefined) {
        return "nothing";
    }
    if (Array.isArray(v)) {
        return "a list";
    }
    return typeof v === "object" ? "a mapping" : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Parses the text of a stack file. Pure. Keys without a namespace get the project's (as Pulumi does).
 * @throws UserError naming `file` when the text is not YAML, not a mapping, or `config` is not a mapping.
 */
export function parseStackFile(text: string, file: string, project: string, options: ParseStackFileOptions = {}): StackConfig {
    const fail = (problem: Problem): never => {
        throw new UserError(`Invalid stack file ${file}`, [problem], file);
    };
    let doc: unknown;
    try {
        const parsed = YAML.parseDocument(text, { prettyErrors: false });
        if (parsed.errors.length > 0) {
            const e = parsed.errors[0];
            // linePos is only filled with prettyErrors; count lines up to the error offset instead.
            const line = e.linePos?.[0]?.line ?? (e.pos.length > 0 ? text.slice(0, e.pos[0]).split("\n").length : undefined);
            fail({ path: file, allowed: "valid YAML", received: `${e.code}${line !== undefined ? ` at line ${line}` : ""}` });
        }
        doc = parsed.toJS() as unknown;
    } catch (err) {
        if (err instanceof UserError) {
            throw err;
        }
        fail({ path: file, allowed: "valid YAML", received: err instanceof Error ? err.message.split("\n")[0] : String(err) });
    }
    if (doc === null || doc === undefined) {
        if (options.requireConfig) {
            fail({ path: `${file}: config`, allowed: "a `config:` mapping of stack settings", received: "an empty file" });
        }
        return { file, config: {}, secretKeys: [], notes: [] };
    }
    if (!isRecord(doc)) {
        return fail({ path: file, allowed: "a mapping with a `config:` key (the Pulumi.<stack>.yaml format)", received: describe(doc) });
    }
    const raw = doc.config;
    if (raw === undefined || raw === null) {
        if (options.requireConfig) {
            fail({ path: `${file}: config`, allowed: "a `config:` mapping of stack settings", received: "no `config:` key" });
        }
        return { file, config: {}, secretKeys: [], notes: [] };
    }
    if (!isRecord(raw)) {
        return fail({ path: `${file}: config`, allowed: "a mapping of `namespace:key: value`", received: describe(raw) });
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const key of Object.keys(raw).sort()) {
        const fullKey = key.includes(":") ? key : `${project}:${key}`;
        const { value, secret } = replaceSecure(raw[key]);
        if (secret) {
            secretKeys.push(fullKey);
        }
        config[fullKey] =
            value === null || value === undefined
                ? ""
                : typeof value === "object"
                  ? JSON.stringify(value)
                  : String(value);
    }
    const notes = secretKeys.length > 0 ? [`${SECRETS_NOT_DECRYPTED_NOTE}: ${secretKeys.join(", ")}`] : [];
    return { file, config, secretKeys: secretKeys.sort(), notes };
}

/**
 * Reads a stack file from disk.
 * A missing `Pulumi.<stack>.yaml` beside a project file is an empty config (with a note), as the
 * engine treats it, unless `requireConfig` (the user named the file).
 * @throws UserError when the file is unreadable (or missing and required), or as {@link parseStackFile}.
 */
export function readStackFile(file: string, project: string, options: ParseStackFileOptions = {}): StackConfig {
    const abs = path.resolve(file);
    let text: string;
    try {
        text = fs.readFileSync(abs, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // orgwatch's own program needs its stack file: for it, the error names the stacks that exist.
        const application = path.dirname(abs) !== path.resolve(__dirname, "..", "..");
        if (code === "ENOENT" && !options.requireConfig && application && fs.existsSync(path.join(path.dirname(abs), "Pulumi.yaml"))) {
            // `pulumi preview` runs a stack whose settings file does not exist with no stack config.
            return { file: abs, config: {}, secretKeys: [], notes: [`${NO_STACK_FILE_NOTE}: ${abs}`] };
        }
        const dir = path.dirname(abs);
        let stacks: string[] = [];
        try {
            stacks = fs
                .readdirSync(dir)
                .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
                .filter((s): s is string => s !== undefined)
                .sort();
        } catch {
            stacks = [];
        }
        const allowed =
            stacks.length > 0 ? `an existing stack file (stacks in ${dir}: ${stacks.join(", ")})` : "an existing, readable stack file";
        throw new UserError(`Cannot read stack file ${abs}`, [{ path: abs, allowed, received: code === "ENOENT" ? "no such file" : String(code) }], abs);
    }
    return parseStackFile(text, abs, project, options);
}
