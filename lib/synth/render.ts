import { SynthResource, SynthResult } from "./types";

/** The `synth --json` text: the result with two-space indentation and a final newline. Pure. */
export function renderJson(result: SynthResult): string {
    return `${JSON.stringify(result, null, 2)}\n`;
}

function countByType(resources: readonly SynthResource[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of resources) {
        counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function typeLines(resources: readonly SynthResource[], indent: string): string[] {
    const counts = countByType(resources);
    const width = Math.max(...counts.map(([, n]) => String(n).length));
    return counts.map(([type, n]) => `${indent}${String(n).padStart(width)}  ${type}`);
}

/**
 * Readable summary of a synth: custom resources grouped by account and Region with counts per type,
 * then components, resources only read (a StackReference), remote components that were not
 * inspected, totals and notes. Pure.
 */
export function renderTree(result: SynthResult, notes: readonly string[] = []): string {
    const custom = result.resources.filter((r) => r.custom && r.external !== true);
    const components = result.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack");
    const remote = result.resources.filter((r) => r.remote === true);
    const read = result.resources.filter((r) => r.external === true);
    const lines: string[] = [
        `${result.project} · stack ${result.stack} · ${plural(custom.length, "resource")} and ${plural(components.length, "component")}`,
        "",
    ];
    const accounts = [...new Set(custom.map((r) => r.account ?? ""))].sort((a, b) => {
        if (a === b) {
            return 0;
        }
        if (a === "") {
            return 1;
        }
        if (b === "") {
            return -1;
        }
        return a < b ? -1 : 1;
    });
    for (const account of accounts) {
        const inAccount = custom.filter((r) => (r.account ?? "") === account);
        lines.push(`account ${account === "" ? "(not pinned: ambient credentials or no aws resource)" : account} (${inAccount.length})`);
        const regions = [...new Set(inAccount.map((r) => r.region ?? ""))].sort((a, b) =>
            a === b ? 0 : a === "" ? 1 : b === "" ? -1 : a < b ? -1 : 1,
        );
        for (const region of regions) {
            const inRegion = inAccount.filter((r) => (r.region ?? "") === region);
            lines.push(`  ${region === "" ? "global / no Region" : `Region ${region}`} (${inRegion.length})`);
            lines.push(...typeLines(inRegion, "    "));
        }
        lines.push("");
    }
    if (components.length > 0) {
        lines.push(`components (${components.length})`);
        lines.push(...typeLines(components, "  "));
        lines.push("");
    }
    if (read.length > 0) {
        lines.push(`read, not managed (${read.length}):`);
        for (const r of read) {
            lines.push(`  - ${r.type} ${r.name}${r.id === null ? "" : ` (${r.id})`}`);
        }
        lines.push("");
    }
    if (remote.length > 0) {
        lines.push(`remote components not inspected offline (${remote.length}): their children are created by the component's own provider;`);
        lines.push("  check them with `pulumi preview --policy-pack`:");
        for (const r of remote) {
            lines.push(`  - ${r.type} ${r.name}`);
        }
        lines.push("");
    }
    const outputKeys = Object.keys(result.outputs);
    lines.push(`stack outputs: ${outputKeys.length === 0 ? "none" : outputKeys.join(", ")}`);
    if (notes.length > 0) {
        lines.push("", "notes:");
        for (const note of notes) {
            lines.push(`  - ${note}`);
        }
    }
    return `${lines.join("\n")}\n`;
}
