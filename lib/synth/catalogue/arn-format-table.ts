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

