/**
 * AWS's published CloudFormation resource schemas as an oracle: `@aws-cdk/aws-service-spec` ships the
 * CloudFormation registry schemas of every resource type (generated from AWS's registry, as AWS CDK's L1
 * constructs are). This turns one resource type's properties into a JSON Schema (property names, required
 * properties, types, allowed values, no unknown properties) and validates what orgwatch writes against it.
 * Nothing here is derived from orgwatch's own code.
 */
import { loadAwsServiceSpecSync } from "@aws-cdk/aws-service-spec";
import type { PropertyType, Resource, SpecDatabase, TypeDefinition } from "@aws-cdk/service-spec-types";
import Ajv, { type ErrorObject } from "ajv";

let db: SpecDatabase | undefined;
function spec(): SpecDatabase {
    db ??= loadAwsServiceSpecSync();
    return db;
}

/** The registry entry of a resource type (`AWS::Oam::Link`). */
export function cfnResource(cloudFormationType: string): Resource {
    return spec().lookup("resource", "cloudFormationType", "equals", cloudFormationType).only();
}

type JsonSchema = Record<string, unknown>;

/** CloudFormation intrinsic functions a property value may be instead of a literal. */
const INTRINSIC: JsonSchema = {
    type: "object",
    minProperties: 1,
    maxProperties: 1,
    patternProperties: { "^(Ref|Fn::[A-Za-z]+)$": {} },
    additionalProperties: false,
};

/**
 * How property names are matched. `exact`: as CloudFormation spells them (a template). `case-insensitive`: for
 * the Pulumi provider's camelCase inputs of the same API (`vpcFlowLogParameters` ~ `VPCFlowLogParameters`).
 */
export type NameMatching = "exact" | "case-insensitive";

function schemaOfType(t: PropertyType, names: NameMatching, seen: ReadonlySet<string>): JsonSchema {
    let literal: JsonSchema;
    switch (t.type) {
        case "string":
            literal = t.allowedValues ? { type: "string", enum: t.allowedValues } : { type: "string" };
            break;
        case "integer":
            literal = t.allowedValues ? { type: "integer", enum: t.allowedValues } : { type: "integer" };
            break;
        case "number":
            literal = { type: "number" };
            break;
        case "boolean":
            literal = { type: "boolean" };
            break;
        case "date-time":
            literal = { type: "string" };
            break;
        case "null":
            literal = { type: "null" };
            break;
        case "json":
            return {};
        case "tag":
            literal = { type: "object", required: ["Key", "Value"], properties: { Key: { type: "string" }, Value: { type: "string" } }, additionalProperties: false };
            break;
        case "array":
            literal = { type: "array", items: schemaOfType(t.element, names, seen) };
            break;
        case "map":
            literal = { type: "object", additionalProperties: schemaOfType(t.element, names, seen) };
            break;
        case "union":
            return { anyOf: t.types.map((u) => schemaOfType(u, names, seen)) };
        case "ref": {
            const def = spec().get("typeDefinition", t.reference.$ref) as TypeDefinition;
            if (seen.has(def.$id)) return {};
            literal = objectSchema(def.properties, names, new Set([...seen, def.$id]));
            break;
        }
    }
    return names === "exact" ? { anyOf: [literal, INTRINSIC] } : literal;
}

function objectSchema(properties: Record<string, { type: PropertyType; required?: boolean }>, names: NameMatching, seen: ReadonlySet<string>): JsonSchema {
    const props: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [name, p] of Object.entries(properties)) {
        const key = names === "exact" ? name : name.toLowerCase();
        props[key] = schemaOfType(p.type, names, seen);
        if (p.required === true) required.push(key);
    }
    return { type: "object", properties: props, required, additionalProperties: false };
}

/** The JSON Schema of a resource type's `Properties`. */
export function cfnPropertiesSchema(cloudFormationType: string, names: NameMatching = "exact"): JsonSchema {
    return objectSchema(cfnResource(cloudFormationType).properties, names, new Set());
}

/** Lower-cases every object key, recursively (for {@link NameMatching} `case-insensitive`). */
export function lowerKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(lowerKeys);
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), lowerKeys(v)]));
    return value;
}

const ajv = new Ajv({ allErrors: true, strict: false });

/** Validation errors of `properties` against the resource type's published schema ([] when valid). */
export function cfnPropertyErrors(cloudFormationType: string, properties: unknown, names: NameMatching = "exact"): string[] {
    const validate = ajv.compile(cfnPropertiesSchema(cloudFormationType, names));
    const value = names === "exact" ? properties : lowerKeys(properties);
    if (validate(value)) return [];
    return (validate.errors ?? []).filter((e: ErrorObject) => e.keyword !== "anyOf").map((e: ErrorObject) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}

/** The attribute names `Fn::GetAtt` may name on a resource type. */
export function cfnAttributes(cloudFormationType: string): string[] {
    return Object.keys(cfnResource(cloudFormationType).attributes);
}
