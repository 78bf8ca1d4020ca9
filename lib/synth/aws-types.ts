import * as fs from "fs";
import * as path from "path";

/**
 * What the installed `@pulumi/aws` package says about a resource type: which inputs it accepts and
 * which output-only properties it has. Read from the generated resource class (each constructor
 * assigns `resourceInputs["x"] = args?.x` for inputs and `resourceInputs["y"] = undefined /*out*\/`
 * for computed outputs), so it follows the provider version the program really uses.
 */
export interface AwsTypeInfo {
    readonly token: string;
    /** True when the resource class was found and read. */
    readonly known: boolean;
    readonly inputs: ReadonlySet<string>;
    readonly outputs: ReadonlySet<string>;
    /**
     * True when the type lands in a Region. In @pulumi/aws 7 every regional resource accepts a
     * per-resource `region` input; global ones (IAM, Organizations, CloudFront, Route 53 zones, ...) do not.
     */
    readonly regional: boolean;
}

/**
 * Modules whose resources are global, used only when the resource class cannot be read.
 * Confirmed against @pulumi/aws 7.48: none of their resource classes accept `region`.
 */
export const GLOBAL_MODULES: ReadonlySet<string> = new Set([
    "account",
    "budgets",
    "cloudfront",
    "costexplorer",
    "globalaccelerator",
    "iam",
    "networkmanager",
    "organizations",
    "route53domains",
    "route53recoverycontrol",
    "route53recoveryreadiness",
    "shield",
    "waf",
]);

const INPUT_RE = /resourceInputs\["([A-Za-z0-9_]+)"\] = args\?\./g;
const OUTPUT_RE = /resourceInputs\["([A-Za-z0-9_]+)"\] = undefined \/\*out\*\//g;

/** Splits `aws:iam/role:Role` into `{ module: "iam", member: "role" }`; undefined for other shapes. */
export function splitToken(token: string): { readonly pkg: string; readonly module: string; readonly member: string } | undefined {
    const m = /^([^:]+):([^/:]+)\/([^:]+):([^:]+)$/.exec(token);
    if (!m) {
        return undefined;
    }
    return { pkg: m[1], module: m[2], member: m[3] };
}

/** Parses the text of a generated @pulumi/aws resource class. Pure. */
export function parseResourceClass(token: string, source: string): AwsTypeInfo {
    const inputs = new Set<string>();
    const outputs = new Set<string>();
    for (const m of source.matchAll(INPUT_RE)) {
        inputs.add(m[1]);
    }
    for (const m of source.matchAll(OUTPUT_RE)) {
        outputs.add(m[1]);
    }
    return { token, known: true, inputs, outputs, regional: inputs.has("region") };
}

/** Lazily reads resource classes from one installed @pulumi/aws package and caches the result. */
export class AwsTypeCatalog {
    private readonly cache = new Map<string, AwsTypeInfo>();

    /** @param awsPackageDir directory of the @pulumi/aws package; undefined when it is not installed. */
    constructor(private readonly awsPackageDir: string | undefined) {}

    /** Finds the @pulumi/aws package the program in `programDir` would load. */
    public static forProgram(programDir: string): AwsTypeCatalog {
        try {
            const pkgJson = require.resolve("@pulumi/aws/package.json", { paths: [programDir] });
            return new AwsTypeCatalog(path.dirname(pkgJson));
        } catch {
            return new AwsTypeCatalog(undefined);
        }
    }

    public info(token: string): AwsTypeInfo {
        const cached = this.cache.get(token);
        if (cached) {
            return cached;
        }
        const info = this.read(token);
        this.cache.set(token, info);
        return info;
    }

    private read(token: string): AwsTypeInfo {
        const parts = splitToken(token);
        const unknown: AwsTypeInfo = {
            token,
            known: false,
            inputs: new Set(),
            outputs: new Set(),
            regional: parts === undefined ? false : !GLOBAL_MODULES.has(parts.module),
        };
        if (!parts || parts.pkg !== "aws" || !this.awsPackageDir) {
            return unknown;
        }
        const file =
            parts.module === "index"
                ? path.join(this.awsPackageDir, `${parts.member}.js`)
                : path.join(this.awsPackageDir, parts.module, `${parts.member}.js`);
        let source: string;
        try {
            source = fs.readFileSync(file, "utf8");
        } catch {
            return unknown;
        }
        if (!source.includes(`'${token}'`) && !source.includes(`"${token}"`)) {
            return unknown;
        }
        return parseResourceClass(token, source);
    }
}
