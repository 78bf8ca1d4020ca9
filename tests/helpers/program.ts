/**
 * Synthesizes the orgwatch program itself (index.ts) offline, from a stack file or a config object.
 * Results are cached per input within one test process: a synth is deterministic, and tests only read it.
 */
import * as path from "path";
import { readStackFile } from "../../lib/synth/stack-file";
import { PACKAGE_ROOT, synthesize } from "../../lib/synth/synthesize";
import type { SynthResource, SynthResult } from "../../lib/synth/types";
import { toPulumiConfig, type ConfigObject } from "./config";

const cache = new Map<string, Promise<SynthResult>>();

/** The synth of `Pulumi.<stack>.yaml` of this repository. */
export function synthStack(stack: string): Promise<SynthResult> {
    const key = `stack:${stack}`;
    if (!cache.has(key)) {
        const file = readStackFile(path.join(PACKAGE_ROOT, `Pulumi.${stack}.yaml`), "orgwatch");
        cache.set(key, synthesize({ programDir: PACKAGE_ROOT, stack, config: file.config, secretKeys: file.secretKeys }));
    }
    return cache.get(key) as Promise<SynthResult>;
}

/** The synth of a config object (the `orgwatch:` keys of a stack file). */
export function synthConfig(config: ConfigObject, stack = "test"): Promise<SynthResult> {
    const key = `config:${stack}:${JSON.stringify(config)}`;
    if (!cache.has(key)) cache.set(key, synthesize({ programDir: PACKAGE_ROOT, stack, config: toPulumiConfig(config) }));
    return cache.get(key) as Promise<SynthResult>;
}

/** Resources of a type. */
export function ofType(result: SynthResult, type: string): SynthResource[] {
    return result.resources.filter((r) => r.type === type);
}

/** The single resource of a type whose logical name ends with `suffix`; throws unless exactly one. */
export function one(result: SynthResult, type: string, suffix = ""): SynthResource {
    const found = ofType(result, type).filter((r) => r.name.endsWith(suffix));
    if (found.length !== 1) throw new Error(`expected one ${type}${suffix ? ` named *${suffix}` : ""}, found ${found.length}`);
    return found[0];
}

/** The bucket-scoped resource (`aws:s3/bucketX:BucketX`) whose `bucket` input is `bucketName`. */
export function forBucket(result: SynthResult, type: string, bucketName: string): SynthResource {
    const found = ofType(result, type).filter((r) => r.inputs.bucket === bucketName);
    if (found.length !== 1) throw new Error(`expected one ${type} for bucket ${bucketName}, found ${found.length}`);
    return found[0];
}

/** A policy document input (JSON text) parsed. */
export function policyOf(resource: SynthResource, key = "policy"): { Statement: Array<Record<string, unknown>> } {
    const text = resource.inputs[key];
    if (typeof text !== "string") throw new Error(`${resource.urn} has no ${key} text`);
    return JSON.parse(text) as { Statement: Array<Record<string, unknown>> };
}

/** The statement with this Sid. */
export function statementOf(doc: { Statement: Array<Record<string, unknown>> }, sid: string): Record<string, unknown> {
    const s = doc.Statement.find((st) => st.Sid === sid);
    if (s === undefined) throw new Error(`no statement ${sid}; have ${doc.Statement.map((st) => String(st.Sid)).join(", ")}`);
    return s;
}
