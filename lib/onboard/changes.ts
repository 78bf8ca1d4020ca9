import { isDeepStrictEqual } from "util";
import type { SynthResource, SynthResult } from "../synth/types";

/** What one synth adds, removes and changes compared with another (by URN; inputs compared deeply). */
export interface SynthChanges {
    readonly added: readonly SynthResource[];
    readonly removed: readonly SynthResource[];
    /** Resources present in both whose inputs, provider, parent or protection differ. */
    readonly changed: readonly SynthResource[];
}

/** Compares two synth results. Pure. The stack resource is compared like any other. */
export function synthChanges(before: SynthResult, after: SynthResult): SynthChanges {
    const old = new Map(before.resources.map((r) => [r.urn, r]));
    const now = new Map(after.resources.map((r) => [r.urn, r]));
    const added = after.resources.filter((r) => !old.has(r.urn));
    const removed = before.resources.filter((r) => !now.has(r.urn));
    const changed = after.resources.filter((r) => {
        const prev = old.get(r.urn);
        return prev !== undefined && !(isDeepStrictEqual(prev.inputs, r.inputs) && prev.provider === r.provider && prev.parent === r.parent && prev.protect === r.protect);
    });
    return { added, removed, changed };
}
