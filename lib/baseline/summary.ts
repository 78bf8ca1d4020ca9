import { z } from "zod";

/** The `memberBaseline` stack output of the orgwatch program (index.ts). */
const memberBaselineOutput = z.object({
    stackSetName: z.string(),
    regions: z.array(z.string()),
    /** Target → the declared accounts it covers. */
    coverage: z.record(z.string(), z.array(z.string())),
});

/**
 * The lines the offline commands print about member baselines: which StackSet, in which Regions, and which
 * target covers which declared account. Empty for a program without that output (another team's program). Pure.
 */
export function baselineCoverageLines(outputs: Readonly<Record<string, unknown>>): string[] {
    const parsed = memberBaselineOutput.safeParse(outputs.memberBaseline);
    if (!parsed.success) return [];
    const { stackSetName, regions, coverage } = parsed.data;
    const lines = [`Member baselines: StackSet ${stackSetName}, an instance per target and Region (${regions.join(", ")}); declared accounts by target:`];
    for (const [target, accounts] of Object.entries(coverage)) {
        const shown = accounts.length <= 8 ? accounts.join(", ") : `${accounts.slice(0, 8).join(", ")} and ${accounts.length - 8} more`;
        lines.push(`  ${target.padEnd(24)} ${accounts.length} account${accounts.length === 1 ? "" : "s"}${accounts.length > 0 ? `: ${shown}` : ""}`);
    }
    return lines;
}
