import * as fs from "fs";
import * as path from "path";
import { ShapeExtractor } from "./extract";
import { CATALOGUE_FILE, CATALOGUE_PACKAGES, type CatalogueData } from "./generate";
import type { ObjectShape, Shape, ShapeTypes } from "./shape";

export * from "./shape";
export { CATALOGUE_PACKAGES };

let loaded: CatalogueData | undefined;

/** The checked-in catalogue (read once per process). */
export function checkedInCatalogue(): CatalogueData {
    loaded ??= JSON.parse(fs.readFileSync(CATALOGUE_FILE, "utf8")) as CatalogueData;
    return loaded;
}

/** Pulumi package name of an invoke or resource token (`aws:ec2/getAmi:getAmi` → `aws`). */
export function packageOfToken(token: string): string {
    return token.split(":")[0];
}

/** npm package of a Pulumi package name (`aws` → `@pulumi/aws`). */
function npmPackageOf(pulumiPackage: string): string {
    return `@pulumi/${pulumiPackage}`;
}

/**
 * Shapes for one program: the checked-in catalogue where the program's installed packages have its
 * versions; otherwise (a program with its own, different `@pulumi/aws`) the shape is read from the
 * program's installed declarations when first asked for, so answers follow the SDK the program uses.
 */
export class ProgramCatalogue {
    private readonly data = checkedInCatalogue();
    private readonly extractors = new Map<string, ShapeExtractor | null>();
    private readonly invokeCache = new Map<string, Shape | undefined>();
    private readonly componentCache = new Map<string, ObjectShape | undefined>();
    private readonly extraTypes: Record<string, ObjectShape> = {};

    constructor(private readonly programDir: string) {}

    /** Named shapes of every shape this catalogue returned. */
    public get types(): ShapeTypes {
        return Object.keys(this.extraTypes).length === 0 ? this.data.types : { ...this.data.types, ...this.extraTypes };
    }

    /** The npm packages (and versions) whose invokes this catalogue answers. */
    public get packages(): Readonly<Record<string, string>> {
        return this.data.packages;
    }

    /** The declared result shape of an invoke; undefined when no supported SDK declares it. */
    public invoke(token: string): Shape | undefined {
        return this.lookup(this.invokeCache, token, this.data.invokes, (x, dir) => x.invokeResult(invokeDeclaration(dir, token)));
    }

    /** The declared outputs of a remote component; undefined when no supported SDK declares it. */
    public component(token: string): ObjectShape | undefined {
        return this.lookup(this.componentCache, token, this.data.components, (x, dir) => x.componentOutputs(componentDeclaration(dir, token)));
    }

    /** A token's shape: from the checked-in catalogue, or from the program's own (other) version of the SDK. */
    private lookup<T extends Shape>(cache: Map<string, T | undefined>, token: string, checkedIn: Readonly<Record<string, T>>, read: (x: ShapeExtractor, dir: string) => T | undefined): T | undefined {
        if (cache.has(token)) return cache.get(token);
        const extractor = this.extractorFor(token);
        const shape = extractor === null ? checkedIn[token] : extractor === undefined ? undefined : (this.fromExtractor(extractor, (x) => read(x, extractor.dir)) as T | undefined);
        cache.set(token, shape);
        return shape;
    }

    private fromExtractor(extractor: ProgramExtractor, read: (x: ShapeExtractor) => Shape | undefined): Shape | undefined {
        try {
            const shape = read(extractor.extractor);
            Object.assign(this.extraTypes, extractor.extractor.extractedTypes());
            return shape;
        } catch {
            return undefined;
        }
    }

    /**
     * null: the program's package is the catalogue's version (use the catalogue); an extractor: the
     * program has another version of a supported package; undefined: the package is not supported.
     */
    private extractorFor(token: string): ProgramExtractor | null | undefined {
        const npm = npmPackageOf(packageOfToken(token));
        if (!CATALOGUE_PACKAGES.includes(npm)) return undefined;
        const cached = this.extractors.get(npm);
        if (cached !== undefined) return cached === null ? null : { extractor: cached, dir: cached.packageDir };
        let result: ShapeExtractor | null = null;
        try {
            const pkgJson = require.resolve(`${npm}/package.json`, { paths: [this.programDir] });
            const version = (JSON.parse(fs.readFileSync(pkgJson, "utf8")) as { version: string }).version;
            if (version !== this.data.packages[npm]) result = new ShapeExtractor(path.dirname(pkgJson));
        } catch {
            result = null;
        }
        this.extractors.set(npm, result);
        return result === null ? null : { extractor: result, dir: result.packageDir };
    }
}

interface ProgramExtractor {
    readonly extractor: ShapeExtractor;
    readonly dir: string;
}

/** `aws:ec2/getAmi:getAmi` → `<pkg>/ec2/getAmi.d.ts`; `aws:index/getRegion:getRegion` → `<pkg>/getRegion.d.ts`. */
function invokeDeclaration(pkgDir: string, token: string): string {
    const [, mod, member] = /^[^:]+:([^/:]+)\/([^:]+):/.exec(token) ?? [];
    if (mod === undefined) {
        const [, m, name] = /^[^:]+:([^:]+):(.+)$/.exec(token) ?? [];
        return path.join(pkgDir, m === "index" ? "" : m ?? "", `${name ?? ""}.d.ts`);
    }
    return path.join(pkgDir, mod === "index" ? "" : mod, `${member}.d.ts`);
}

/** `awsx:ec2:Vpc` → `<pkg>/ec2/vpc.d.ts`; `eks:index:Cluster` → `<pkg>/cluster.d.ts`. */
function componentDeclaration(pkgDir: string, token: string): string {
    const [, mod, name] = token.split(":");
    const file = `${name.charAt(0).toLowerCase()}${name.slice(1)}.d.ts`;
    return path.join(pkgDir, mod === "index" ? "" : mod, file);
}
