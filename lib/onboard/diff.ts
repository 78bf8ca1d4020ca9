/**
 * A unified-diff-like view of a text edit: the changed lines with a few lines of context,
 * `-` for removed and `+` for added lines. Pure; enough for the small edits `onboard` makes.
 */
export function unifiedDiff(before: string, after: string, file: string, context = 3): string {
    const a = before.split("\n");
    const b = after.split("\n");
    let start = 0;
    while (start < a.length && start < b.length && a[start] === b[start]) start++;
    let endA = a.length;
    let endB = b.length;
    while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
        endA--;
        endB--;
    }
    if (start === endA && start === endB) return "";
    const from = Math.max(0, start - context);
    const toA = Math.min(a.length, endA + context);
    const toB = Math.min(b.length, endB + context);
    const lines = [
        `--- ${file}`,
        `+++ ${file}`,
        `@@ -${from + 1},${toA - from} +${from + 1},${toB - from} @@`,
        ...a.slice(from, start).map((l) => ` ${l}`),
        ...a.slice(start, endA).map((l) => `-${l}`),
        ...b.slice(start, endB).map((l) => `+${l}`),
        ...a.slice(endA, toA).map((l) => ` ${l}`),
    ];
    return `${lines.join("\n")}\n`;
}
