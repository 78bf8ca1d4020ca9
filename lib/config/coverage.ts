import type { MemberAccountConfig, StackConfig } from "./schema";

/**
 * Which member baseline targets (`orgwatch:memberBaselines.targets`) cover which declared accounts. A
 * service-managed StackSet instance that targets an OU deploys to every account in that OU and in the OUs
 * below it; `Root` is the whole organization. Pure: decided from the config alone.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */

/** The target that covers an OU given by path or id, if any: the deepest one, so a report names the closest. */
export function coveringTarget(targets: readonly string[], ou: string): string | undefined {
    if (targets.includes("Root")) {
        // Every OU is below the root; a deeper path target is the closer answer.
        return deepestPathTarget(targets, ou) ?? "Root";
    }
    if (!ou.startsWith("Root")) return targets.includes(ou) ? ou : undefined;
    return deepestPathTarget(targets, ou);
}

function deepestPathTarget(targets: readonly string[], ou: string): string | undefined {
    let best: string | undefined;
    for (const t of targets) {
        if (t === "Root" || !t.startsWith("Root")) continue;
        if ((ou === t || ou.startsWith(`${t}/`)) && (best === undefined || t.length > best.length)) best = t;
    }
    return best;
}

/** How a declared account gets its baseline. */
export type AccountCoverage =
    | { readonly covered: true; readonly target: string }
    /** No target covers the account's OU. */
    | { readonly covered: false; readonly reason: "outside-targets"; readonly ou: string }
    /** An adopted account whose OU the config does not state, while the targets do not include Root. */
    | { readonly covered: false; readonly reason: "ou-unknown" };

/** The coverage of one declared account. */
export function accountCoverage(targets: readonly string[], account: Pick<MemberAccountConfig, "ou">): AccountCoverage {
    if (account.ou === undefined) {
        return targets.includes("Root") ? { covered: true, target: "Root" } : { covered: false, reason: "ou-unknown" };
    }
    const target = coveringTarget(targets, account.ou);
    return target === undefined ? { covered: false, reason: "outside-targets", ou: account.ou } : { covered: true, target };
}

/** Target → the names of the declared accounts it covers (every target listed, in config order). */
export function coverageByTarget(cfg: Pick<StackConfig, "accounts" | "memberBaselines">): Record<string, string[]> {
    const { targets } = cfg.memberBaselines;
    const out: Record<string, string[]> = Object.fromEntries(targets.map((t) => [t, [] as string[]]));
    for (const acct of cfg.accounts) {
        const c = accountCoverage(targets, acct);
        if (c.covered) out[c.target].push(acct.name);
    }
    return out;
}
