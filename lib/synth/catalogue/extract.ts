import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";
import { ObjectShape, Shape } from "./shape";

/**
 * Reads the shapes of a Pulumi SDK package from its own declarations (`.d.ts`), with the TypeScript
 * compiler's parser (syntax only: no type checking, so a 5 MB `types/output.d.ts` parses in well
 * under a second):
 *
 * - every function (invoke): the file's `.js` calls `pulumi.runtime.invoke("<token>", ...)` and its
 *   `.d.ts` declares `function <name>(...): Promise<<Result>>`: the token's shape is `<Result>`'s;
 * - every remote component: the `.js` registers `__pulumiType = '<token>'` with `true /*remote*\/`
 *   and the `.d.ts` declares `readonly <output>: pulumi.Output<T>` properties: the token's shape is
 *   the object of those outputs.
 *
 * Named output types (`outputs.ec2.GetAmiFilter`) become `{ ref }` entries of `types`; resource
 * classes of other packages (`pulumiAws.ec2.Subnet`) become `{ resource: "aws:ec2/subnet:Subnet" }`.
 */

type Ts = typeof TS;

export interface PackageShapes {
    /** npm package name and version read. */
    readonly name: string;
    readonly version: string;
    readonly invokes: Record<string, Shape>;
    readonly components: Record<string, ObjectShape>;
    readonly types: Record<string, ObjectShape>;
}

/** Pulumi package name of an npm package (`@pulumi/aws` → `aws`), from its `pulumi.name`. */
function pulumiPackageName(pkgDir: string): { npm: string; version: string; pulumi: string } {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { name: string; version: string; pulumi?: { name?: string } };
    return { npm: pkg.name, version: pkg.version, pulumi: pkg.pulumi?.name ?? pkg.name.replace(/^@pulumi\//, "") };
}

function walk(dir: string, out: string[] = []): string[] {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name === "types") continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full, out);
        else if (entry.name.endsWith(".js")) out.push(full);
    }
    return out.sort();
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** Reads shapes from one installed package directory (`node_modules/@pulumi/aws`). */
export class ShapeExtractor {
    private readonly ts: Ts;
    private readonly pkg: { npm: string; version: string; pulumi: string };
    private readonly types: Record<string, ObjectShape> = {};
    private outputIndex: Map<string, TS.InterfaceDeclaration> | undefined;
    private readonly resourceTokens = new Map<string, string | undefined>();
    /** The package directory read. */
    public readonly packageDir: string;

    constructor(
        private readonly pkgDir: string,
        ts?: Ts,
    ) {
        this.packageDir = pkgDir;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the compiler is loaded only when shapes are extracted
        this.ts = ts ?? (require("typescript") as Ts);
        this.pkg = pulumiPackageName(pkgDir);
    }

    /** Every invoke and remote component of the package. */
    public extractAll(): PackageShapes {
        const invokes: Record<string, Shape> = {};
        const components: Record<string, ObjectShape> = {};
        for (const js of walk(this.pkgDir)) {
            const text = fs.readFileSync(js, "utf8");
            const invoke = /runtime\.invoke\("([^"]+)"/.exec(text)?.[1];
            if (invoke !== undefined && invoke.startsWith(`${this.pkg.pulumi}:`)) {
                const shape = this.invokeResult(js.replace(/\.js$/, ".d.ts"));
                if (shape) invokes[invoke] = shape;
            }
            const component = /__pulumiType = '([^']+)'/.exec(text)?.[1];
            if (component !== undefined && text.includes("true /*remote*/")) {
                const shape = this.componentOutputs(js.replace(/\.js$/, ".d.ts"));
                if (shape) components[component] = shape;
            }
        }
        return { name: this.pkg.npm, version: this.pkg.version, invokes: sortKeys(invokes), components: sortKeys(components), types: sortKeys(this.types) };
    }

    /** The named output types read so far (what `{ ref }` shapes returned so far refer to). */
    public extractedTypes(): Record<string, ObjectShape> {
        return { ...this.types };
    }

    /** The result shape of the one invoke declared in `dts` (its `Promise<...>` function). */
    public invokeResult(dts: string): Shape | undefined {
        const ts = this.ts;
        const sf = this.parse(dts);
        if (!sf) return undefined;
        const ctx = this.fileContext(sf);
        for (const st of sf.statements) {
            if (ts.isFunctionDeclaration(st) && st.name && !st.name.text.endsWith("Output") && st.type && ts.isTypeReferenceNode(st.type)) {
                if (ts.isIdentifier(st.type.typeName) && st.type.typeName.text === "Promise" && st.type.typeArguments?.length === 1) {
                    return this.convert(st.type.typeArguments[0], ctx);
                }
            }
        }
        return undefined;
    }

    /** The outputs of the component class declared in `dts`. */
    public componentOutputs(dts: string): ObjectShape | undefined {
        const ts = this.ts;
        const sf = this.parse(dts);
        if (!sf) return undefined;
        const ctx = this.fileContext(sf);
        for (const st of sf.statements) {
            if (!ts.isClassDeclaration(st)) continue;
            const fields: Record<string, Shape> = {};
            const optional: string[] = [];
            for (const m of st.members) {
                if (!ts.isPropertyDeclaration(m) || !m.type || !ts.isIdentifier(m.name)) continue;
                if (m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) continue;
                const t = m.type;
                if (!ts.isTypeReferenceNode(t) || t.getText(sf) === "" || !/^pulumi\.Output$/.test(t.typeName.getText(sf))) continue;
                const inner = t.typeArguments?.[0];
                if (!inner) continue;
                if (this.allowsUndefined(inner)) optional.push(m.name.text);
                fields[m.name.text] = this.convert(inner, ctx);
            }
            return optional.length > 0 ? { object: sortKeys(fields), optional: optional.sort() } : { object: sortKeys(fields) };
        }
        return undefined;
    }

    private parse(file: string): TS.SourceFile | undefined {
        if (!fs.existsSync(file)) return undefined;
        return this.ts.createSourceFile(file, fs.readFileSync(file, "utf8"), this.ts.ScriptTarget.Latest, true);
    }

    /** Import aliases of a declaration file: alias → module specifier; and its local interfaces. */
    private fileContext(sf: TS.SourceFile): FileContext {
        const ts = this.ts;
        const imports = new Map<string, string>();
        const locals = new Map<string, TS.InterfaceDeclaration>();
        const visit = (statements: readonly TS.Statement[], prefix: string): void => {
            for (const st of statements) {
                if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamespaceImport(st.importClause.namedBindings) && ts.isStringLiteral(st.moduleSpecifier)) {
                    imports.set(st.importClause.namedBindings.name.text, st.moduleSpecifier.text);
                } else if (ts.isInterfaceDeclaration(st)) {
                    locals.set(prefix + st.name.text, st);
                } else if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) {
                    visit(st.body.statements, `${prefix}${st.name.getText(sf)}.`);
                }
            }
        };
        visit(sf.statements, "");
        return { sf, imports, locals, dir: path.dirname(sf.fileName) };
    }

    private allowsUndefined(node: TS.TypeNode): boolean {
        const ts = this.ts;
        return ts.isUnionTypeNode(node) && node.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword);
    }

    private convert(node: TS.TypeNode, ctx: FileContext): Shape {
        const ts = this.ts;
        switch (node.kind) {
            case ts.SyntaxKind.StringKeyword:
                return "string";
            case ts.SyntaxKind.NumberKeyword:
                return "number";
            case ts.SyntaxKind.BooleanKeyword:
                return "boolean";
            default:
                break;
        }
        if (ts.isParenthesizedTypeNode(node)) return this.convert(node.type, ctx);
        if (ts.isArrayTypeNode(node)) return { list: this.convert(node.elementType, ctx) };
        if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { enum: [node.literal.text] };
        if (ts.isUnionTypeNode(node)) {
            const parts = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
            if (parts.length > 0 && parts.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
                return { enum: parts.map((t) => ((t as TS.LiteralTypeNode).literal as TS.StringLiteral).text) };
            }
            return parts.length === 1 ? this.convert(parts[0], ctx) : "any";
        }
        if (ts.isTypeLiteralNode(node)) return this.objectOf(node.members, ctx);
        if (ts.isTypeReferenceNode(node)) {
            const name = node.typeName.getText(ctx.sf);
            const args = node.typeArguments ?? [];
            if ((name === "Array" || name === "ReadonlyArray") && args.length === 1) return { list: this.convert(args[0], ctx) };
            if ((name === "pulumi.Output" || name === "pulumi.Input" || name === "Promise") && args.length === 1) return this.convert(args[0], ctx);
            if ((name === "Record" || name === "Readonly") && args.length >= 1) return args.length === 2 ? { map: this.convert(args[1], ctx) } : this.convert(args[0], ctx);
            return this.reference(name, ctx);
        }
        return "any";
    }

    private objectOf(members: TS.NodeArray<TS.TypeElement>, ctx: FileContext): Shape {
        const ts = this.ts;
        const index = members.find((m): m is TS.IndexSignatureDeclaration => ts.isIndexSignatureDeclaration(m));
        if (index) return { map: this.convert(index.type, ctx) };
        const fields: Record<string, Shape> = {};
        const optional: string[] = [];
        for (const m of members) {
            if (!ts.isPropertySignature(m) || !m.type) continue;
            const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText(ctx.sf);
            fields[key] = this.convert(m.type, ctx);
            if (m.questionToken || this.allowsUndefined(m.type)) optional.push(key);
        }
        return optional.length > 0 ? { object: sortKeys(fields), optional: optional.sort() } : { object: sortKeys(fields) };
    }

    private reference(name: string, ctx: FileContext): Shape {
        const local = ctx.locals.get(name);
        if (local) return this.objectOf(local.members, ctx);
        const [alias, ...rest] = name.split(".");
        const spec = ctx.imports.get(alias);
        if (spec === undefined || rest.length === 0) return "any";
        if (/(^|\/)types\/output$/.test(spec)) return this.outputRef(rest.join("."));
        if (/(^|\/)types\/enums/.test(spec)) return "string";
        if (spec.startsWith("@pulumi/") || spec.startsWith(".")) {
            const token = this.resourceToken(spec.startsWith(".") ? path.resolve(ctx.dir, spec) : spec, rest, ctx.dir);
            if (token !== undefined) return { resource: token };
        }
        return "any";
    }

    private outputRef(qualified: string): Shape {
        const key = `${this.pkg.pulumi}:${qualified}`;
        if (this.types[key] !== undefined) return { ref: key };
        const decl = this.outputs().get(qualified);
        if (!decl) return "any";
        // Placeholder first: output types may refer to themselves.
        this.types[key] = { object: {} };
        const sf = decl.getSourceFile();
        const shape = this.objectOf(decl.members, { sf, imports: this.fileContext(sf).imports, locals: new Map(), dir: path.dirname(sf.fileName) });
        this.types[key] = "object" in (shape as object) ? (shape as ObjectShape) : { object: {} };
        return { ref: key };
    }

    private outputs(): Map<string, TS.InterfaceDeclaration> {
        if (this.outputIndex) return this.outputIndex;
        const ts = this.ts;
        const index = new Map<string, TS.InterfaceDeclaration>();
        const sf = this.parse(path.join(this.pkgDir, "types", "output.d.ts"));
        const visit = (statements: readonly TS.Statement[], prefix: string): void => {
            for (const st of statements) {
                if (ts.isInterfaceDeclaration(st)) index.set(prefix + st.name.text, st);
                else if (ts.isModuleDeclaration(st) && st.body && ts.isModuleBlock(st.body)) visit(st.body.statements, `${prefix}${st.name.getText(sf)}.`);
            }
        };
        if (sf) visit(sf.statements, "");
        this.outputIndex = index;
        return index;
    }

    /** `__pulumiType` of the resource class `<module path>.<Class>` of an installed package. */
    private resourceToken(spec: string, parts: readonly string[], fromDir: string): string | undefined {
        const key = `${spec}|${parts.join(".")}`;
        if (this.resourceTokens.has(key)) return this.resourceTokens.get(key);
        let token: string | undefined;
        try {
            const root = spec.startsWith("/") ? spec : path.dirname(require.resolve(`${spec}/package.json`, { paths: [fromDir, this.pkgDir] }));
            const file = path.join(root, ...parts.slice(0, -1), `${lowerFirst(parts[parts.length - 1])}.js`);
            const text = fs.readFileSync(file, "utf8");
            // A package's provider class declares only the package name; the engine's token is `pulumi:providers:<name>`.
            token = parts.length === 1 && parts[0] === "Provider" ? `pulumi:providers:${pulumiPackageName(root).pulumi}` : /__pulumiType = '([^']+)'/.exec(text)?.[1];
        } catch {
            token = undefined;
        }
        this.resourceTokens.set(key, token);
        return token;
    }
}

interface FileContext {
    readonly sf: TS.SourceFile;
    readonly imports: ReadonlyMap<string, string>;
    readonly locals: ReadonlyMap<string, TS.InterfaceDeclaration>;
    readonly dir: string;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
    const out: Record<string, T> = {};
    for (const k of Object.keys(o).sort()) out[k] = o[k];
    return out;
}
