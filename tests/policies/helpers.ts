/**
 * Policy test helpers in the style of pulumi-policy-aws (awsguard): build the validation args by
 * hand, as @pulumi/policy's analyzer server does (props behind the unknown-checking proxy,
 * notApplicable throwing, getConfig returning the configSchema defaults merged with the given
 * config), run one policy, and collect what it reported.
 */
import {
    Policy,
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
} from "@pulumi/policy";
import * as runtime from "@pulumi/pulumi/runtime/rpc";

import { engineProxy } from "../../policies/common";

/** The wire value of an unknown output (what the engine sends during preview). */
export const UNKNOWN: string = runtime.unknownValue;

export interface Reported {
    readonly messages: string[];
    readonly urns: (string | undefined)[];
    /** Reason given to notApplicable, when the policy called it. */
    readonly notApplicable?: string;
}

class NotApplicable extends Error {
    constructor(readonly reason: string) {
        super(reason);
    }
}

function defaults(policy: Policy): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (typeof schema === "object" && schema.default !== undefined) {
            out[k] = structuredClone(schema.default);
        }
    }
    return out;
}

export interface ResourceCase {
    readonly type: string;
    readonly props: Record<string, unknown>;
    /** @default "res" */
    readonly name?: string;
    readonly config?: Record<string, unknown>;
    readonly stackTags?: Record<string, string>;
}

export function urnOf(type: string, name: string): string {
    return `urn:pulumi:test::app::${type}::${name}`;
}

/** Runs a resource policy's validateResource on one resource. */
export function runResourcePolicy(policy: ResourceValidationPolicy, c: ResourceCase): Reported {
    const name = c.name ?? "res";
    const props = engineProxy.unknownCheckingProxy(structuredClone(c.props));
    const messages: string[] = [];
    const urns: (string | undefined)[] = [];
    const args: ResourceValidationArgs = {
        type: c.type,
        props,
        urn: urnOf(c.type, name),
        name,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(Object.entries(c.stackTags ?? {})),
        isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === c.type,
        asType: ((cls: unknown) => ((cls as { __pulumiType?: string }).__pulumiType === c.type ? props : undefined)) as ResourceValidationArgs["asType"],
        getConfig: () => ({ ...defaults(policy), ...(c.config ?? {}) }) as never,
        notApplicable: (reason?: string) => {
            throw new NotApplicable(reason ?? "not applicable");
        },
    };
    const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
    try {
        for (const v of validations) {
            void v(args, (message, urn) => {
                messages.push(message);
                urns.push(urn);
            });
        }
    } catch (err) {
        if (err instanceof NotApplicable) {
            return { messages, urns, notApplicable: err.reason };
        }
        throw err;
    }
    return { messages, urns };
}

export interface StackResourceSpec {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    /** Property name → logical names of the resources it was computed from. */
    readonly propertyDependencies?: Record<string, string[]>;
}

/** Runs a stack policy's validateStack on the given resources (their outputs). */
export function runStackPolicy(
    policy: StackValidationPolicy,
    resources: readonly StackResourceSpec[],
    options: { config?: Record<string, unknown>; stackTags?: Record<string, string> } = {},
): Reported {
    const built: PolicyResource[] = resources.map((r) => {
        const props = engineProxy.unknownCheckingProxy(structuredClone(r.props));
        return {
            type: r.type,
            props,
            urn: urnOf(r.type, r.name),
            name: r.name,
            opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
            dependencies: [],
            propertyDependencies: {},
            isType: (cls) => (cls as unknown as { __pulumiType?: string }).__pulumiType === r.type,
            asType: (() => undefined) as PolicyResource["asType"],
        };
    });
    resources.forEach((r, i) => {
        for (const [prop, names] of Object.entries(r.propertyDependencies ?? {})) {
            built[i].propertyDependencies[prop] = names.map((n) => {
                const dep = built.find((b) => b.name === n);
                if (!dep) {
                    throw new Error(`no resource named ${n}`);
                }
                return dep;
            });
        }
    });
    const messages: string[] = [];
    const urns: (string | undefined)[] = [];
    try {
        void policy.validateStack(
            {
                resources: built,
                stackTags: new Map(Object.entries(options.stackTags ?? {})),
                getConfig: () => ({ ...defaults(policy), ...(options.config ?? {}) }) as never,
                notApplicable: (reason?: string) => {
                    throw new NotApplicable(reason ?? "not applicable");
                },
            },
            (message, urn) => {
                messages.push(message);
                urns.push(urn);
            },
        );
    } catch (err) {
        if (err instanceof NotApplicable) {
            return { messages, urns, notApplicable: err.reason };
        }
        throw err;
    }
    return { messages, urns };
}
