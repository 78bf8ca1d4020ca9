import { z } from "zod";

/** The `memberBaseline` stack output of the orgwatch program (index.ts). */
const memberBaselineOutput = z.object({
    stackSetName: z.string(),
    /** The account that administers the StackSet: the management account (`SELF`) or the delegated administrator. */
    administrator: z.object({ accountId: z.string(), callAs: z.enum(["SELF", "DELEGATED_ADMIN"]) }).optional(),
    regions: z.array(z.string()),
    /** Target → the declared accounts it covers. */
    coverage: z.record(z.string(), z.array(z.string())),
});

/**
 * The lines the offline commands print about member baselines: which StackSet, administered from which
 * account, in which Regions, and which target covers which declared account. Empty for a program without that output (another team's program). Pure.
 */
export function baselineCoverageLines(outputs: Readonly<Record<string, unknown>>): string[] {
    const parsed = memberBaselineOutput.safeParse(outputs.memberBaseline);
    if (!parsed.success) return [];
    const { stackSetName, administrator, regions, coverage } = parsed.data;
    const admin =
        administrator === undefined
            ? ""
            : administrator.callAs === "SELF"
              ? ` administered from the management account ${administrator.accountId}`
              : ` administered from the delegated administrator ${administrator.accountId} (callAs DELEGATED_ADMIN)`;
    const lines = [`Member baselines: StackSet ${stackSetName}${admin}, an instance per target and Region (${regions.join(", ")}); declared accounts by target:`];
    for (const [target, accounts] of Object.entries(coverage)) {
        const shown = accounts.length <= 8 ? accounts.join(", ") : `${accounts.slice(0, 8).join(", ")} and ${accounts.length - 8} more`;
        lines.push(`  ${target.padEnd(24)} ${accounts.length} account${accounts.length === 1 ? "" : "s"}${accounts.length > 0 ? `: ${shown}` : ""}`);
    }
    return lines;
}
