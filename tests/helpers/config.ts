/**
 * Valid stack configurations for tests, as the `orgwatch:` objects a stack file holds, plus the
 * conversion to the flat `ns:key → string` map the Pulumi runtime hands a program.
 */
export type ConfigObject = Record<string, unknown>;

/** A minimal valid configuration (only the required keys). */
export function minimalConfig(): ConfigObject {
    return {
        organization: { id: "o-abcdef1234", managementAccountId: "111111111111", logArchiveAccountId: "222222222222", monitoringAccountId: "333333333333" },
        regions: { home: "eu-west-1", governed: ["eu-west-1", "eu-central-1"] },
    };
}

/** Flat Pulumi config map: objects and lists as JSON text, scalars as strings. */
export function toPulumiConfig(obj: ConfigObject, extra: Record<string, string> = {}): Record<string, string> {
    // The default provider's Region follows the home Region, as in a real stack file.
    const home = (obj.regions as { home?: unknown } | undefined)?.home;
    const out: Record<string, string> = { "aws:region": typeof home === "string" ? home : "eu-west-1", ...extra };
    for (const [key, value] of Object.entries(obj)) out[`orgwatch:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
    return out;
}

/** Deep-merges `patch` onto `base`; a `undefined` value deletes the key; lists are replaced. */
export function patched(base: ConfigObject, patch: ConfigObject): ConfigObject {
    const out: ConfigObject = { ...base };
    for (const [key, value] of Object.entries(patch)) {
        const cur = out[key];
        if (value === undefined) delete out[key];
        else if (isPlainObject(value) && isPlainObject(cur)) out[key] = patched(cur, value);
        else out[key] = value;
    }
    return out;
}

function isPlainObject(v: unknown): v is ConfigObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
