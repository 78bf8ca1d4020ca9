import { createHash } from "crypto";

/**
 * Deterministic identifiers for mocked resources. Every value is derived from a seed (normally the
 * resource URN) with SHA-256, so two synths of the same program and config are byte-identical and a
 * change to one resource never changes the ids of another.
 */

/** SHA-256 of `seed` (and an optional salt that separates independent values of one resource), as hex. */
export function digest(seed: string, salt = ""): string {
    return createHash("sha256").update(salt === "" ? seed : `${salt}\u0000${seed}`).digest("hex");
}

/** `length` lowercase hex characters derived from `seed`. At most 64. */
export function hexFrom(seed: string, length: number, salt = ""): string {
    if (length > 64) {
        throw new RangeError(`hexFrom supports at most 64 characters; received ${length}`);
    }
    return digest(seed, salt).slice(0, length);
}

/** A UUID-shaped (8-4-4-4-12, version 4 layout) lowercase identifier derived from `seed`. */
export function uuidFrom(seed: string, salt = "uuid"): string {
    const h = digest(seed, salt);
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `length` characters drawn from `alphabet`, derived from `seed` (rejection-free modulo mapping). */
export function charsFrom(seed: string, length: number, alphabet: string, salt = "chars"): string {
    let out = "";
    let round = 0;
    while (out.length < length) {
        const bytes = Buffer.from(digest(seed, `${salt}:${round}`), "hex");
        for (const b of bytes) {
            if (out.length === length) {
                break;
            }
            out += alphabet[b % alphabet.length];
        }
        round += 1;
    }
    return out;
}

export const DIGITS = "0123456789";
export const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
export const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A 12-digit AWS account id derived from `seed` (never starting with 0, so it reads as an account id). */
export function accountIdFrom(seed: string): string {
    return charsFrom(seed, 1, "123456789", "account-first") + charsFrom(seed, 11, DIGITS, "account-rest");
}

/**
 * Pulumi-style auto-name: the logical name, a dash and 7 hex characters (Pulumi appends 7 random hex
 * characters; here they come from the seed). When `maxLength` is given the logical-name part is
 * truncated so the whole name fits, as Pulumi does.
 */
export function autoName(logicalName: string, seed: string, maxLength?: number): string {
    const suffix = hexFrom(seed, 7, "autoname");
    let prefix = `${logicalName}-`;
    if (maxLength !== undefined && prefix.length + suffix.length > maxLength) {
        prefix = prefix.slice(0, Math.max(0, maxLength - suffix.length));
    }
    return prefix + suffix;
}

/**
 * Terraform-style `namePrefix` expansion: the prefix followed by 26 characters (a 20-digit timestamp
 * and an 8-hex counter in Terraform's `id.PrefixedUniqueId`); here derived from the seed.
 */
export function prefixedName(prefix: string, seed: string): string {
    return prefix + charsFrom(seed, 20, DIGITS, "prefixed-ts") + hexFrom(seed, 8, "prefixed-counter");
}
