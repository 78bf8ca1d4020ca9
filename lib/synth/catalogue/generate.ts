import * as fs from "fs";
import * as path from "path";
import { ShapeExtractor } from "./extract";
import type { ObjectShape, Shape } from "./shape";

/**
 * The checked-in catalogue of shapes (`catalogue.json`): every invoke and remote component of the
 * SDKs the offline runtime answers for, read from the installed packages' declarations.
 *
 *     npm run --silent catalogue          # rewrites lib/synth/catalogue/catalogue.json
 *
 * `tests/lib/synth/catalogue.test.ts` regenerates it and compares, so an SDK upgrade without a
 * regenerated catalogue fails the tests.
 */

/** The npm packages whose invokes and components the catalogue covers. */
export const CATALOGUE_PACKAGES: readonly string[] = ["@pulumi/aws", "@pulumi/awsx", "@pulumi/eks", "@pulumi/aws-apigateway"];

export const CATALOGUE_FILE = path.join(__dirname, "catalogue.json");

export interface CatalogueData {
    /** npm package → version the shapes were read from. */
    readonly packages: Readonly<Record<string, string>>;
    readonly invokes: Readonly<Record<string, Shape>>;
    readonly components: Readonly<Record<string, ObjectShape>>;
    readonly types: Readonly<Record<string, ObjectShape>>;
    /** Declared outputs of the resource classes remote components return (`nodeGroup` of eks.ManagedNodeGroup). */
    readonly resources?: Readonly<Record<string, ObjectShape>>;
}

/** Resource tokens a shape refers to (through named types). */
function resourceTokens(shape: Shape, types: Readonly<Record<string, ObjectShape>>, seen: Set<string> = new Set()): string[] {
    if (typeof shape === "string") return [];
    if ("resource" in shape) return [shape.resource];
    if ("list" in shape) return resourceTokens(shape.list, types, seen);
    if ("map" in shape) return resourceTokens(shape.map, types, seen);
    if ("ref" in shape) {
        if (seen.has(shape.ref) || types[shape.ref] === undefined) return [];
        seen.add(shape.ref);
        return resourceTokens(types[shape.ref], types, seen);
    }
    if ("object" in shape) return Object.values(shape.object).flatMap((f) => resourceTokens(f, types, seen));
    return [];
}

/** Reads the shapes from the packages installed where `fromDir` resolves them. */
export function buildCatalogue(fromDir: string): CatalogueData {
    const packages: Record<string, string> = {};
    const invokes: Record<string, Shape> = {};
    const components: Record<string, ObjectShape> = {};
    const types: Record<string, ObjectShape> = {};
    const extractors = new Map<string, ShapeExtractor>();
    for (const name of CATALOGUE_PACKAGES) {
        const dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] }));
        const extractor = new ShapeExtractor(dir);
        const shapes = extractor.extractAll();
        extractors.set(name, extractor);
        packages[shapes.name] = shapes.version;
        Object.assign(invokes, shapes.invokes);
        Object.assign(components, shapes.components);
        Object.assign(types, shapes.types);
    }
    const resources: Record<string, ObjectShape> = {};
    const wanted = [...new Set(Object.values(components).flatMap((c) => resourceTokens(c, types)))].sort();
    for (const token of wanted) {
        const [pkg, modFile] = token.split(":");
        const [mod, file] = (modFile ?? "").split("/");
        const extractor = extractors.get(`@pulumi/${pkg}`);
        if (extractor === undefined || file === undefined) continue;
        const shape = extractor.componentOutputs(path.join(extractor.packageDir, mod === "index" ? "" : mod, `${file}.d.ts`));
        if (shape !== undefined) resources[token] = shape;
        Object.assign(types, extractor.extractedTypes());
    }
    const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
    return { packages, invokes: sorted(invokes), components: sorted(components), types: sorted(types), resources: sorted(resources) };
}

/** The catalogue as the file holds it: one entry per line, so a diff shows each changed shape. */
export function renderCatalogue(data: CatalogueData): string {
    const section = (name: string, entries: Readonly<Record<string, unknown>>, last = false): string => {
        const lines = Object.entries(entries).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
        return `  ${JSON.stringify(name)}: {\n${lines.join(",\n")}\n  }${last ? "" : ","}\n`;
    };
    return `{\n${section("packages", data.packages)}${section("invokes", data.invokes)}${section("components", data.components)}${section("resources", data.resources ?? {})}${section("types", data.types, true)}}\n`;
}

if (require.main === module) {
    const root = path.resolve(__dirname, "..", "..", "..");
    const data = buildCatalogue(root);
    fs.writeFileSync(CATALOGUE_FILE, renderCatalogue(data));
    process.stdout.write(
        `wrote ${path.relative(process.cwd(), CATALOGUE_FILE)}: ${Object.keys(data.invokes).length} invokes, ${Object.keys(data.components).length} components, ${Object.keys(data.types).length} types (${Object.entries(data.packages).map(([n, v]) => `${n} ${v}`).join(", ")})\n`,
    );
}
