import * as fs from "fs";
import * as path from "path";

/**
 * The checked-in ARN formats of AWS resource types (service prefix → resource type → format), as
 * `generate-arn-formats.ts` generates them from the Service Authorization Reference.
 */

export type ArnFormats = Readonly<Record<string, Readonly<Record<string, string>>>>;

export const ARN_FORMATS_FILE = path.join(__dirname, "arn-formats.json");

let loaded: ArnFormats | undefined;

/** The checked-in formats (read once per process). */
export function arnFormats(): ArnFormats {
    loaded ??= JSON.parse(fs.readFileSync(ARN_FORMATS_FILE, "utf8")) as ArnFormats;
    return loaded;
}


/** The variables of a format other than partition, Region and account (`${ClusterName}`, ...). */
export function formatVariables(format: string): string[] {
    return [...format.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]).filter((v) => !["Partition", "Region", "Account"].includes(v));
}

/** A format with every variable filled by `value`; undefined when it leaves one unfilled. */
export function fillFormat(format: string, value: (variable: string) => string | undefined): string | undefined {
    let missing = false;
    const arn = format.replace(/\$\{(\w+)\}/g, (_m, v: string) => value(v) ?? ((missing = true), ""));
    return missing ? undefined : arn;
}

/** Resource type keys of the Service Authorization Reference a noun may name (`targetGroup` → `targetgroup`, `target-group`). */
export function resourceTypeKeys(noun: string): string[] {
    const kebab = noun.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return [...new Set([noun.toLowerCase(), kebab, kebab.replace(/-/g, " ")])];
}
