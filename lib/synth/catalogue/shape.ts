/**
 * The declared shape of a value an SDK hands to a program: an invoke's result, a component's output.
 * Shapes are read from the SDK's own TypeScript declarations (see `extract.ts`) and stored in the
 * checked-in catalogue, so the offline runtime answers with values of exactly that shape.
 *
 * - `"string" | "number" | "boolean" | "any"`: a scalar (or, for `any`, a value of no declared type);
 * - `{ list }`, `{ map }`: an array, or an object with string keys, of that element shape;
 * - `{ object, optional? }`: an object with those fields (names in `optional` may be absent);
 * - `{ ref }`: the named shape `ref` of the catalogue's `types` (the SDK's `outputs.<module>.<Name>`);
 * - `{ resource }`: a reference to a resource of that type token (`aws:ec2/vpc:Vpc`);
 * - `{ enum }`: one of these strings.
 */
export type Shape =
    | "string"
    | "number"
    | "boolean"
    | "any"
    | { readonly list: Shape }
    | { readonly map: Shape }
    | { readonly object: Readonly<Record<string, Shape>>; readonly optional?: readonly string[] }
    | { readonly ref: string }
    | { readonly resource: string }
    | { readonly enum: readonly string[] };

export type ObjectShape = Extract<Shape, { readonly object: unknown }>;

/** Named shapes a catalogue's shapes refer to with `{ ref }`. */
export type ShapeTypes = Readonly<Record<string, ObjectShape>>;

export function isObjectShape(s: Shape): s is ObjectShape {
    return typeof s === "object" && "object" in s;
}

/** The shape behind a `{ ref }` (or the shape itself). */
export function resolveShape(shape: Shape, types: ShapeTypes): Shape {
    if (typeof shape === "object" && "ref" in shape) {
        const target = types[shape.ref];
        if (target === undefined) {
            throw new Error(`catalogue: no type ${shape.ref}`);
        }
        return target;
    }
    return shape;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Where `value` departs from `shape`: one line per problem with its property path, empty when the
 * value has the shape. Required fields must be present; a field the shape does not declare is a
 * problem too (the SDK would never hand it to a program). Resource references are checked to be
 * the runtime's reference objects or URN strings (`checkResource` decides).
 */
export function shapeProblems(
    value: unknown,
    shape: Shape,
    types: ShapeTypes,
    path = "",
    checkResource: (value: unknown, token: string) => boolean = () => true,
): string[] {
    const at = path === "" ? "(value)" : path;
    const s = resolveShape(shape, types);
    if (s === "any") {
        return [];
    }
    if (s === "string" || s === "number" || s === "boolean") {
        return typeof value === s ? [] : [`${at}: expected ${s}, got ${describe(value)}`];
    }
    if ("enum" in s) {
        return typeof value === "string" && s.enum.includes(value) ? [] : [`${at}: expected one of ${s.enum.join(", ")}, got ${describe(value)}`];
    }
    if ("resource" in s) {
        return checkResource(value, s.resource) ? [] : [`${at}: expected a reference to a ${s.resource}, got ${describe(value)}`];
    }
    if ("list" in s) {
        if (!Array.isArray(value)) {
            return [`${at}: expected a list, got ${describe(value)}`];
        }
        return value.flatMap((v, i) => shapeProblems(v, s.list, types, `${path}[${i}]`, checkResource));
    }
    if ("map" in s) {
        if (!isRecord(value)) {
            return [`${at}: expected a map, got ${describe(value)}`];
        }
        return Object.entries(value).flatMap(([k, v]) => shapeProblems(v, s.map, types, `${path}[${JSON.stringify(k)}]`, checkResource));
    }
    if ("object" in s) {
        if (!isRecord(value)) {
            return [`${at}: expected an object, got ${describe(value)}`];
        }
        const problems: string[] = [];
        const optional = new Set(s.optional ?? []);
        for (const [k, fieldShape] of Object.entries(s.object)) {
            const sub = path === "" ? k : `${path}.${k}`;
            if (value[k] === undefined) {
                if (!optional.has(k)) problems.push(`${sub}: required, missing`);
                continue;
            }
            problems.push(...shapeProblems(value[k], fieldShape, types, sub, checkResource));
        }
        for (const k of Object.keys(value)) {
            if (!(k in s.object)) problems.push(`${path === "" ? k : `${path}.${k}`}: not declared by the SDK`);
        }
        return problems;
    }
    return [`${at}: unknown shape`];
}

function describe(v: unknown): string {
    if (v === undefined) return "nothing";
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    return typeof v === "object" ? "an object" : `${typeof v} ${JSON.stringify(v)}`;
}
