import * as fs from "fs";

import {
    EnforcementLevel,
    Policies,
    Policy,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import Ajv, { ErrorObject, ValidateFunction } from "ajv";

import { engineProxy, isUnknownValueError } from "../../policies/common";
import { ORGWATCH_POLICIES, POLICY_PACK_NAME } from "../../policies/pack";
import { Problem, UserError } from "../errors";
import { SynthResource, SynthResult } from "../synth/types";
import { evaluateComponents } from "./components";

/** The two levels a reported violation can have (disabled policies do not run; remediate reports as mandatory). */
export type ReportedLevel = "mandatory" | "advisory";

/** One violation, in the shape of the `check --format json` output. */
export interface CheckViolation {
    readonly policy: string;
    readonly enforcementLevel: ReportedLevel;
    /** The resource in violation; null for a stack-level violation reported without a resource. */
    readonly urn: string | null;
    readonly type: string | null;
    readonly message: string;
}

/** A resource whose contents the offline check cannot see (a remote component's children). */
export interface NotInspected {
    readonly urn: string;
    readonly type: string;
    readonly reason: string;
    /** The pack policies that would apply to what is not seen (empty when not known). */
    readonly policies: readonly string[];
}

/** A policy that reported itself not applicable (not printed in the report, kept for tests and debugging). */
export interface NotApplicable {
    readonly policy: string;
    readonly urn: string | null;
    readonly reason: string;
}

export interface CheckReport {
    readonly stack: string;
    readonly policyPack: typeof POLICY_PACK_NAME;
    readonly policyPackVersion: string;
    readonly violations: readonly CheckViolation[];
    readonly summary: { readonly mandatory: number; readonly advisory: number };
    /** True when every resource was inspected (`notInspected` is empty). */
    readonly complete: boolean;
    readonly notInspected: readonly NotInspected[];
    readonly notApplicable: readonly NotApplicable[];
}

/** A policy's entry in a policy config file: a level, or an object with an optional level and config values. */
export type PolicyConfigEntry = EnforcementLevel | ({ readonly enforcementLevel?: EnforcementLevel } & Readonly<Record<string, unknown>>);

/**
 * The file given to `pulumi preview --policy-pack-config` (and to the offline check):
 * `{"all": "<level>", "<policy-name>": "<level>" | {"enforcementLevel": "<level>", ...config}}`.
 */
export interface PolicyConfigFile {
    readonly [policyOrAll: string]: PolicyConfigEntry | undefined;
}

export interface EvaluateOptions {
    /** Policy config (parsed JSON). @default - every policy at its own level with the defaults of its configSchema */
    readonly policyConfig?: PolicyConfigFile;
    /** Path of the policy config file, named in error messages. @default - none */
    readonly policyConfigPath?: string;
    /** Stack tags (`pulumi stack tag ls`) seen by policies. @default - `{ "pulumi:project": <project> }` */
    readonly stackTags?: Readonly<Record<string, string>>;
    /** Policies to evaluate. @default ORGWATCH_POLICIES */
    readonly policies?: Policies;
    /** Pack version used in engine-style messages. @default - version in policies/package.json */
    readonly policyPackVersion?: string;
}

/** The enforcement level and config values a policy runs with. */
export interface ResolvedPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly config: Readonly<Record<string, unknown>>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];
/** Level of a policy that sets none (and whose pack sets none), as in @pulumi/policy. */
const DEFAULT_LEVEL: EnforcementLevel = "advisory";

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validators = new WeakMap<Policy, ValidateFunction>();

function validatorFor(policy: Policy): ValidateFunction {
    let v = validators.get(policy);
    if (!v) {
        v = ajv.compile({
            type: "object",
            properties: { ...(policy.configSchema?.properties ?? {}), enforcementLevel: { enum: [...LEVELS] } },
            required: policy.configSchema?.required ?? [],
            additionalProperties: false,
        });
        validators.set(policy, v);
    }
    return v;
}

function received(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? "nothing" : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function ajvProblem(policy: string, entry: unknown, e: ErrorObject): Problem {
    const segments = e.instancePath.split("/").filter((s) => s.length > 0);
    if (e.keyword === "additionalProperty" || e.keyword === "additionalProperties") {
        const key = String((e.params as { additionalProperty?: string }).additionalProperty);
        return { path: `${policy}.${key}`, allowed: "no such key (this policy has no setting by that name)", received: received((entry as Record<string, unknown>)[key]) };
    }
    if (e.keyword === "required") {
        const key = String((e.params as { missingProperty?: string }).missingProperty);
        return { path: `${policy}.${key}`, allowed: "a value (required)", received: "nothing" };
    }
    let value: unknown = entry;
    for (const s of segments) {
        value = (value as Record<string, unknown> | undefined)?.[s];
    }
    const allowedValues = (e.params as { allowedValues?: unknown[] }).allowedValues;
    const allowed = allowedValues ? `one of ${allowedValues.map((a) => JSON.stringify(a)).join(", ")}` : (e.message ?? "a valid value").replace(/^must be /, "");
    return { path: [policy, ...segments].join("."), allowed, received: received(value) };
}

/**
 * Resolves every policy's enforcement level and config as the engine does: the level configured for
 * the policy, else `all`, else the policy's own level, else advisory; config values from the file
 * over the defaults of the policy's `configSchema`. Invalid config (unknown policy, unknown key, a
 * value outside the schema) is a UserError naming each key.
 */
export function resolvePolicyConfig(policies: Policies, file: PolicyConfigFile = {}, filePath?: string): Map<string, ResolvedPolicyConfig> {
    const problems: Problem[] = [];
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(file)) {
        if (key !== "all" && !names.has(key)) {
            problems.push({ path: key, allowed: `"all" or a policy name of ${POLICY_PACK_NAME}`, received: "an unknown policy name" });
        }
    }
    const all = file["all"];
    if (all !== undefined && (typeof all !== "string" || !LEVELS.includes(all as EnforcementLevel))) {
        problems.push({ path: "all", allowed: `one of ${LEVELS.join(", ")}`, received: received(all) });
    }
    const out = new Map<string, ResolvedPolicyConfig>();
    for (const policy of policies) {
        const entry = file[policy.name];
        let object: Record<string, unknown>;
        if (entry === undefined) {
            object = {};
        } else if (typeof entry === "string") {
            if (!LEVELS.includes(entry)) {
                problems.push({ path: policy.name, allowed: `one of ${LEVELS.join(", ")} or an object`, received: received(entry) });
                continue;
            }
            object = { enforcementLevel: entry };
        } else if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
            object = structuredClone(entry) as Record<string, unknown>;
        } else {
            problems.push({ path: policy.name, allowed: `one of ${LEVELS.join(", ")} or an object`, received: received(entry) });
            continue;
        }
        const validate = validatorFor(policy);
        if (!validate(object)) {
            for (const e of validate.errors ?? []) {
                problems.push(ajvProblem(policy.name, entry, e));
            }
            continue;
        }
        const { enforcementLevel, ...config } = object as { enforcementLevel?: EnforcementLevel } & Record<string, unknown>;
        const allLevel = typeof all === "string" && LEVELS.includes(all as EnforcementLevel) ? (all as EnforcementLevel) : undefined;
        out.set(policy.name, {
            enforcementLevel: enforcementLevel ?? allLevel ?? policy.enforcementLevel ?? DEFAULT_LEVEL,
            config,
        });
    }
    if (problems.length > 0) {
        throw new UserError("Invalid policy configuration", problems, filePath);
    }
    return out;
}

/** Reads and parses a policy config file; a missing or malformed file is a UserError. */
export function loadPolicyConfigFile(path: string): PolicyConfigFile {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch {
        throw new UserError("Cannot read the policy config file", [{ path: "--policy-config", allowed: "a readable JSON file", received: path }]);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (err) {
        throw new UserError("The policy config file is not valid JSON", [{ path: "(file)", allowed: "a JSON object", received: (err as Error).message }], path);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new UserError("The policy config file must hold a JSON object", [{ path: "(file)", allowed: "a JSON object", received: received(parsed) }], path);
    }
    return parsed as PolicyConfigFile;
}

/** Version of the pack (policies/package.json). */
export function policyPackVersion(): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("../../policies/package.json") as { version: string }).version;
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Unwraps serialized secrets as the engine's deserializer does for validation (policies see plain values). */
function plain(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (typeof value === "object" && value !== null) {
        const obj = value as Record<string, unknown>;
        if (obj[SIG_KEY] === SECRET_SIG) {
            return plain(obj["value"]);
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
            if (v !== undefined) {
                out[k] = plain(v);
            }
        }
        return out;
    }
    return value;
}

/** Props as the engine hands them to policies: plain values behind the unknown-checking proxy. */
function engineProps(bag: Readonly<Record<string, unknown>>): Record<string, unknown> {
    return engineProxy.unknownCheckingProxy(plain(bag) as Record<string, unknown>);
}

function optionsOf(r: SynthResource): PolicyResourceOptions {
    const opts: PolicyResourceOptions = {
        protect: r.protect,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
    };
    if (r.parent) {
        opts.parent = r.parent;
    }
    return opts;
}

function providerOf(r: SynthResource, byUrn: ReadonlyMap<string, SynthResource>, all: readonly SynthResource[]): PolicyProviderResource | undefined {
    if (!r.provider) {
        return undefined;
    }
    // A provider reference may be "<urn>" or "<urn>::<id>".
    const ref = r.provider;
    const p = byUrn.get(ref) ?? all.find((x) => ref.startsWith(`${x.urn}::`));
    if (!p) {
        return undefined;
    }
    return { type: p.type, props: engineProps(p.inputs), urn: p.urn, name: p.name };
}

function pulumiTypeOf(fn: unknown): string | undefined {
    return (fn as { __pulumiType?: string } | undefined)?.__pulumiType;
}

function isResourcePolicy(p: Policy): p is ResourceValidationPolicy {
    return typeof (p as ResourceValidationPolicy).validateResource === "function" || Array.isArray((p as ResourceValidationPolicy).validateResource);
}

function isStackPolicy(p: Policy): p is StackValidationPolicy {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

class NotApplicableSignal extends Error {
    constructor(public readonly reason: string) {
        super(reason);
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableSignal(reason ?? "Policy does not apply");
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const token = pulumiTypeOf(resourceClass);
    if (token) {
        return type === token;
    }
    const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Runs a validation synchronously; orgwatch policies are synchronous, and the offline check requires it. */
function runSync(policy: Policy, call: () => unknown): void {
    const result = call();
    if (result instanceof Promise) {
        throw new Error(`policy '${policy.name}' is asynchronous; the offline check runs synchronous policies only`);
    }
}

/**
 * Evaluates every policy against every resource and the stack, with the engine's semantics
 * (@pulumi/policy `server.js`): disabled policies are skipped, `remediate` reports as mandatory,
 * resource policies see inputs and stack policies see outputs, not-applicable results are not
 * reported, and a value unknown at preview turns the policy's result into an advisory
 * "can't run ... during preview" unless the policy handles it. Remote components are evaluated as
 * one resource, judged on their inputs by the component rules (`components.ts`), and what those
 * cannot see is listed as not inspected (the report is then not complete).
 */
export function evaluatePack(synth: SynthResult, opts: EvaluateOptions = {}): CheckReport {
    const policies = opts.policies ?? ORGWATCH_POLICIES;
    const resolved = resolvePolicyConfig(policies, opts.policyConfig ?? {}, opts.policyConfigPath);
    const version = opts.policyPackVersion ?? policyPackVersion();
    const tags = new Map<string, string>([["pulumi:project", synth.project], ...Object.entries(opts.stackTags ?? {})]);
    const stackTags: ReadonlyMap<string, string> = tags;
    const byUrn = new Map(synth.resources.map((r) => [r.urn, r]));

    const violations: CheckViolation[] = [];
    const notApplicable: NotApplicable[] = [];
    const reporter =
        (policy: Policy, level: ReportedLevel, fallback: SynthResource | null): ReportViolation =>
        (message: string, urn?: string) => {
            const target = urn ? byUrn.get(urn) : fallback;
            violations.push({
                policy: policy.name,
                enforcementLevel: level,
                urn: urn ?? fallback?.urn ?? null,
                type: target?.type ?? null,
                message,
            });
        };
    const onError = (policy: Policy, err: unknown, subject: SynthResource | null): void => {
        if (err instanceof NotApplicableSignal) {
            notApplicable.push({ policy: policy.name, urn: subject?.urn ?? null, reason: err.reason });
            return;
        }
        const from = `policy '${policy.name}' from policy pack '${POLICY_PACK_NAME}@v${version}'`;
        if (isUnknownValueError(err)) {
            violations.push({
                policy: policy.name,
                enforcementLevel: "advisory",
                urn: subject?.urn ?? null,
                type: subject?.type ?? null,
                message: `can't run ${from} during preview: ${err.message}`,
            });
            return;
        }
        const detail = err instanceof Error ? err.message : String(err);
        throw new Error(`Error validating ${subject ? `resource ${subject.urn}` : "stack"} with ${from}: ${detail}`);
    };
    const levelOf = (p: Policy): EnforcementLevel => resolved.get(p.name)?.enforcementLevel ?? DEFAULT_LEVEL;
    const reportedLevel = (level: EnforcementLevel): ReportedLevel => (level === "advisory" ? "advisory" : "mandatory");
    const configOf = (p: Policy) => () => ({ ...(resolved.get(p.name)?.config ?? {}) }) as never;

    // Resource policies: one Analyze call per resource the stack manages, with its inputs (the engine
    // does not analyze resources a program only reads).
    for (const r of synth.resources.filter((x) => x.external !== true)) {
        for (const p of policies) {
            const level = levelOf(p);
            if (level === "disabled" || !isResourcePolicy(p) || !p.validateResource) {
                continue;
            }
            const validations: ResourceValidation[] = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            const token = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
            if (token && token !== r.type) {
                notApplicable.push({ policy: p.name, urn: r.urn, reason: `Policy only applies to resources of type '${token}'` });
                continue;
            }
            for (const validation of validations) {
                try {
                    const props = engineProps(r.inputs);
                    const args: ResourceValidationArgs = {
                        type: r.type,
                        props,
                        urn: r.urn,
                        name: r.name,
                        opts: optionsOf(r),
                        stackTags,
                        isType: (cls) => isTypeOf(r.type, cls),
                        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
                        getConfig: configOf(p),
                        notApplicable: throwNotApplicable,
                    };
                    const provider = providerOf(r, byUrn, synth.resources);
                    if (provider) {
                        args.provider = provider;
                    }
                    runSync(p, () => validation(args, reporter(p, reportedLevel(level), r)));
                } catch (err) {
                    onError(p, err, r);
                }
            }
        }
    }

    // Stack policies: one AnalyzeStack call with every resource's outputs.
    const stackResources = buildStackResources(synth);
    for (const p of policies) {
        const level = levelOf(p);
        if (level === "disabled" || !isStackPolicy(p)) {
            continue;
        }
        const token = pulumiTypeOf(p.validateStack);
        if (token && !synth.resources.some((r) => r.type === token)) {
            notApplicable.push({ policy: p.name, urn: null, reason: `Policy only applies to resources of type '${token}'` });
            continue;
        }
        try {
            const args: StackValidationArgs = {
                resources: stackResources,
                getConfig: configOf(p),
                stackTags,
                notApplicable: throwNotApplicable,
            };
            runSync(p, () => p.validateStack(args, reporter(p, reportedLevel(level), null)));
        } catch (err) {
            onError(p, err, null);
        }
    }

    // Remote components: typed rules on their inputs, and what stays uninspected.
    const components = evaluateComponents(synth, resolved, policies, evaluatePack);
    violations.push(...components.violations);
    const notInspected = components.notInspected;

    return {
        stack: synth.stack,
        policyPack: POLICY_PACK_NAME,
        policyPackVersion: version,
        violations,
        summary: {
            mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
        },
        complete: notInspected.length === 0,
        notInspected,
        notApplicable,
    };
}

/**
 * The resources as the engine hands them to stack policies: outputs (plus `id`, which the AWS
 * provider's state carries), parent and dependency links. Only resources the stack manages: the
 * engine's AnalyzeStack list holds the resources with a registration goal, so reads (a resource's
 * static `get`, a StackReference) are left out, and links to them dropped (pulumi/pulumi
 * pkg/resource/deploy/step_executor.go: "If this is not a resource that is managed by Pulumi, then we
 * can ignore it"). The synth harness records explicit dependencies only, so `propertyDependencies` is
 * empty offline.
 */
function buildStackResources(synth: SynthResult): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const synthByUrn = new Map(synth.resources.map((x) => [x.urn, x]));
    const list: PolicyResource[] = [];
    const managed = synth.resources.filter((r) => r.external !== true);
    for (const r of managed) {
        const state: Record<string, unknown> = { ...r.outputs };
        if (state["id"] === undefined && r.id !== null) {
            state["id"] = r.id;
        }
        const props = engineProps(state);
        const resource: PolicyResource = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => isTypeOf(r.type, cls),
            asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
        const provider = providerOf(r, synthByUrn, synth.resources);
        if (provider) {
            resource.provider = provider;
        }
        byUrn.set(r.urn, resource);
        list.push(resource);
    }
    for (const r of managed) {
        const resource = byUrn.get(r.urn) as PolicyResource;
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        if (parent) {
            resource.parent = parent;
        }
        resource.dependencies = r.dependsOn.map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
    }
    return list;
}
