import { Problem, UserError } from "../errors";

/**
 * Project-level config (`config:` of `Pulumi.yaml`, Pulumi 3.44+) applied under the stack's config as
 * the engine applies it (`sdk/go/common/workspace`: `RewriteShorthandConfigValues`, `Project.Validate`,
 * `ValidateStackConfigAndApplyProjectConfig`):
 *
 * - a scalar or list short form is a `default` for a key of the project's namespace and a `value` for
 *   another namespace's (`aws:region: eu-west-1`);
 * - a key of another namespace may give only a `value` (no `type`, no `default`); no key may give both;
 * - a key the stack file lacks gets the project's `default` or `value`; a project key with neither is
 *   missing ("Stack 'dev' is missing configuration value 'x'"), all missing keys named at once;
 * - a stack value of an explicitly typed key must have that type (`string`, `integer`, `boolean`,
 *   `array` with `items`), and a `secret: true` key must be encrypted in the stack file.
 */

export interface ProjectConfigType {
    readonly type?: string;
    readonly items?: ProjectConfigItems;
    readonly default?: unknown;
    readonly value?: unknown;
    readonly secret?: boolean;
}

interface ProjectConfigItems {
    readonly type: string;
    readonly items?: ProjectConfigItems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function namespacedByProject(project: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${project}:`);
}

/** `namespace:key` of a project config key (keys without a namespace are the project's). */
export function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

function itemsOf(v: unknown): ProjectConfigItems | undefined {
    if (!isRecord(v) || typeof v.type !== "string") return undefined;
    return { type: v.type, ...(v.items !== undefined ? { items: itemsOf(v.items) } : {}) };
}

/**
 * The `config:` block of a project file, validated as `pulumi` validates it.
 * @throws UserError naming the project file and every invalid key.
 */
export function parseProjectConfig(raw: unknown, project: string, file: string): Readonly<Record<string, ProjectConfigType>> {
    if (raw === undefined || raw === null) return {};
    if (!isRecord(raw)) {
        throw new UserError(`Invalid project file ${file}`, [{ path: `${file}: config`, allowed: "a mapping of config keys", received: Array.isArray(raw) ? "a list" : JSON.stringify(raw) }], file);
    }
    const out: Record<string, ProjectConfigType> = {};
    const problems: Problem[] = [];
    for (const key of Object.keys(raw).sort()) {
        const v = raw[key];
        const own = namespacedByProject(project, key);
        const entry: ProjectConfigType = isRecord(v)
            ? {
                  ...(typeof v.type === "string" ? { type: v.type } : {}),
                  ...(v.items !== undefined ? { items: itemsOf(v.items) } : {}),
                  ...(v.default !== undefined && v.default !== null ? { default: v.default } : {}),
                  ...(v.value !== undefined && v.value !== null ? { value: v.value } : {}),
                  ...(v.secret === true ? { secret: true } : {}),
              }
            : own
              ? { default: v }
              : { value: v };
        const at = `${file}: config.${key}`;
        if (entry.default !== undefined && entry.value !== undefined) {
            problems.push({ path: at, allowed: "either `default` or `value`", received: "both (pulumi: cannot have both a 'default' and 'value' attribute)" });
        } else if (own) {
            if (entry.type === "array" && entry.items === undefined) {
                problems.push({ path: at, allowed: "an `items:` type for `type: array`", received: "no `items`" });
            } else if (entry.type !== undefined && entry.default !== undefined && !valueHasType(entry.default, entry.type, entry.items)) {
                problems.push({ path: `${at}.default`, allowed: `a value of type ${typeName(entry)}`, received: JSON.stringify(entry.default) });
            }
        } else if (entry.type !== undefined) {
            problems.push({ path: at, allowed: "only `value:` (the key is not namespaced by the project, so it declares no type)", received: `type: ${entry.type}` });
        } else if (entry.default !== undefined) {
            problems.push({ path: at, allowed: "`value:` (the key is not namespaced by the project; pulumi: use the 'value' attribute instead of 'default')", received: "`default:`" });
        } else if (entry.value === undefined) {
            problems.push({ path: at, allowed: "a `value:` (the key is namespaced)", received: "no value" });
        }
        out[key] = entry;
    }
    if (problems.length > 0) throw new UserError(`Invalid project file ${file}`, problems, file);
    return out;
}

function typeName(t: { type?: string; items?: ProjectConfigItems }): string {
    return t.items !== undefined ? `array<${typeName(t.items)}>` : (t.type ?? "string");
}

/** Whether a value (as YAML gives it, or as the stack file's text) has the declared type. */
function valueHasType(v: unknown, type: string, items: ProjectConfigItems | undefined): boolean {
    switch (type) {
        case "string":
            return typeof v === "string";
        case "integer":
            return (typeof v === "number" && Number.isInteger(v)) || (typeof v === "string" && /^[+-]?\d+$/.test(v));
        case "boolean":
            return typeof v === "boolean" || v === "true" || v === "false";
        default:
            return Array.isArray(v) && items !== undefined && v.every((x) => valueHasType(x, items.type, items.items));
    }
}

/** The text `setAllConfig` gets for a project value: scalars as text, structures as JSON. */
function configText(v: unknown): string {
    return typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

export interface AppliedConfig {
    readonly config: Readonly<Record<string, string>>;
    /** Keys whose value came from the project file. */
    readonly fromProject: readonly string[];
}

/**
 * The stack's config with the project's defaults and values under it.
 * @throws UserError naming every missing project key, a stack value of the wrong type, or a secret stored in plain text.
 */
export function applyProjectConfig(
    stackConfig: Readonly<Record<string, string>>,
    secretKeys: readonly string[],
    projectConfig: Readonly<Record<string, ProjectConfigType>>,
    where: { readonly project: string; readonly stack: string; readonly projectFile: string; readonly stackFile?: string },
): AppliedConfig {
    const config: Record<string, string> = { ...stackConfig };
    const fromProject: string[] = [];
    const missing: string[] = [];
    const problems: Problem[] = [];
    const stackFile = where.stackFile ?? `Pulumi.${where.stack}.yaml`;
    for (const [key, t] of Object.entries(projectConfig)) {
        const full = fullKey(where.project, key);
        const onStack = Object.prototype.hasOwnProperty.call(stackConfig, full);
        if (!onStack) {
            const given = t.default ?? t.value;
            if (given === undefined) {
                if (namespacedByProject(where.project, key)) missing.push(key);
                continue;
            }
            config[full] = configText(given);
            fromProject.push(full);
            continue;
        }
        if (t.secret === true && !secretKeys.includes(full)) {
            problems.push({ path: `${stackFile}: config.${full}`, allowed: `an encrypted value (the project declares it secret: pulumi config set --secret ${key} <value>)`, received: "a plain-text value" });
        }
        if (t.type !== undefined) {
            const text = stackConfig[full];
            let value: unknown = text;
            if (t.type === "array") {
                try {
                    value = JSON.parse(text) as unknown;
                } catch {
                    value = text;
                }
            }
            if (!valueHasType(value, t.type, t.items)) {
                problems.push({ path: `${stackFile}: config.${full}`, allowed: `a value of type '${typeName(t)}' (declared in ${where.projectFile})`, received: JSON.stringify(text) });
            }
        }
    }
    if (missing.length > 0) {
        missing.sort();
        const list = missing.length === 1 ? `'${missing[0]}'` : `${missing.slice(0, -1).map((k) => `'${k}'`).join(", ")} and '${missing[missing.length - 1]}'`;
        throw new UserError(
            `Stack '${where.stack}' is missing configuration value${missing.length > 1 ? "s" : ""} ${list}`,
            missing.map((k) => ({ path: `${stackFile}: config.${fullKey(where.project, k)}`, allowed: `a value (pulumi config set ${k} <value>), or a default for it in ${where.projectFile}`, received: "nothing (the project declares it without a default)" })),
            stackFile,
        );
    }
    if (problems.length > 0) throw new UserError(`Invalid configuration of stack '${where.stack}'`, problems, stackFile);
    return { config, fromProject: fromProject.sort() };
}
