/**
 * Turning the Pulumi wire form of property values (what the SDK sends to the resource monitor) into
 * plain JSON, as the provider would receive it.
 */

/** Signature key and values of special objects in the wire form (`@pulumi/pulumi/runtime/rpc`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
/** Sentinel for a value that is not known yet (during a preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const DROP = Symbol("drop");

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function convert(v: unknown): unknown {
    if (v === UNKNOWN_VALUE) {
        return DROP;
    }
    if (Array.isArray(v)) {
        return v.map((item) => {
            const c = convert(item);
            return c === DROP ? null : c;
        });
    }
    if (!isRecord(v)) {
        return v;
    }
    const sig = v[SIG_KEY];
    if (sig === SECRET_SIG) {
        return convert(v.value);
    }
    if (sig === OUTPUT_VALUE_SIG) {
        return "value" in v ? convert(v.value) : DROP;
    }
    if (sig === RESOURCE_SIG) {
        // The engine hands providers the id of a custom resource and the URN of a component.
        return typeof v.id === "string" && v.id !== "" ? v.id : v.urn;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) {
        if (key === SIG_KEY && (sig === ASSET_SIG || sig === ARCHIVE_SIG)) {
            continue;
        }
        const c = convert(v[key]);
        if (c !== DROP && c !== undefined) {
            out[key] = c;
        }
    }
    return out;
}

/**
 * Plain JSON from a wire-form property map: secrets unwrapped, resource references replaced by the id
 * (custom resources) or URN (components), unknown values dropped, object keys sorted. Pure.
 */
export function wireToPlain(props: unknown): Record<string, unknown> {
    const c = convert(props);
    return isRecord(c) ? c : {};
}

/** Deep copy with object keys sorted (arrays keep their order). Pure. */
export function sortKeysDeep(v: unknown): unknown {
    if (Array.isArray(v)) {
        return v.map(sortKeysDeep);
    }
    if (isRecord(v)) {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(v).sort()) {
            if (v[key] !== undefined) {
                out[key] = sortKeysDeep(v[key]);
            }
        }
        return out;
    }
    return v;
}
