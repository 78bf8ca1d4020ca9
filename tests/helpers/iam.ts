/**
 * Test helper: evaluates an IAM policy document with the `@cloud-copilot/iam-simulate` policy simulator
 * (AGPL-3.0, a development dependency used only by tests; nothing of it ships with orgwatch).
 *
 * `simulate()` answers one request: "allowed", "denied" (an explicit Deny matched) or "implicitly denied".
 * It uses the validating `runSimulation` API, so a malformed policy, an unknown action or a resource ARN of
 * the wrong type throws instead of quietly denying. That API drops context keys it does not know for the
 * action and reports them; any dropped key makes `simulate()` throw, except KMS encryption-context keys
 * (`kms:EncryptionContext:<key>`), which iam-simulate 0.1.x does not match (it only expands `/`-separated
 * variable keys such as `aws:PrincipalTag/x`). For those requests the already validated policies are
 * re-evaluated with `runUnsafeSimulation`, which keeps every context key as given.
 */
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import {
    anonymousPrincipal,
    runSimulation,
    runUnsafeSimulation,
    type EvaluationResult,
    type Simulation,
    type SimulationIdentityPolicy,
} from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../lib/policy-documents";

export type SimulationOutcome = "allowed" | "denied" | "implicitly denied";

/** A policy allowing everything: an administrator in its own account. */
export const ADMIN_IDENTITY_POLICY: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" }],
};

export interface SimulateArgs {
    /** The document under test, as an object or its JSON text (e.g. taken from `synth --json`). */
    readonly policy: PolicyDocument | string;
    /**
     * How `policy` applies: as the resource's policy (bucket, key, topic, sink, trust policy) or as the
     * identity policy of `principal` (a role's permissions).
     * @default "resource"
     */
    readonly policyType?: "resource" | "identity";
    /** `service:Action`, e.g. `s3:PutObject`. */
    readonly action: string;
    /** The resource ARN of the request. */
    readonly resource: string;
    /**
     * Account owning the resource.
     * @default - the account field of `resource` (required for ARNs without one, such as S3's)
     */
    readonly resourceAccountId?: string;
    /** IAM principal ARN, service principal (`cloudtrail.amazonaws.com`) or `"anonymous"`. */
    readonly principal: string;
    /** Request context keys (`aws:SourceArn`, `aws:PrincipalOrgID`, `aws:SecureTransport`, …). */
    readonly context?: Readonly<Record<string, string | readonly string[]>>;
    /**
     * Identity policies of the principal when `policyType` is "resource": "admin" (allow `*`) isolates the
     * resource policy as the deciding factor; "none" gives the principal no permissions of its own.
     * @default - "admin" for IAM principals, "none" for service and anonymous principals
     */
    readonly identity?: "admin" | "none" | PolicyDocument;
}

export interface SimulationReport {
    readonly outcome: SimulationOutcome;
    readonly result: EvaluationResult;
    /** Which iam-simulate entry point decided: the validating one, or the unvalidated re-run (KMS context). */
    readonly engine: "runSimulation" | "runUnsafeSimulation";
    /** Context keys the validating API dropped (only KMS encryption-context keys get this far). */
    readonly ignoredContextKeys: readonly string[];
}

const OUTCOMES: Record<EvaluationResult, SimulationOutcome> = {
    Allowed: "allowed",
    ExplicitlyDenied: "denied",
    ImplicitlyDenied: "implicitly denied",
};

function isServicePrincipal(principal: string): boolean {
    return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal);
}

function resourceAccount(args: SimulateArgs): string {
    if (args.resourceAccountId !== undefined) return args.resourceAccountId;
    const account = args.resource.split(":")[4];
    if (account === undefined || !/^\d{12}$/.test(account)) {
        throw new Error(`simulate: resourceAccountId is required for ${args.resource}`);
    }
    return account;
}

function buildSimulation(args: SimulateArgs): Simulation {
    const doc: unknown = typeof args.policy === "string" ? JSON.parse(args.policy) : args.policy;
    const policyType = args.policyType ?? "resource";
    const anonymous = args.principal === "anonymous";
    let identityPolicies: SimulationIdentityPolicy[];
    if (policyType === "identity") {
        identityPolicies = [{ name: "policy-under-test", policy: doc }];
    } else {
        const identity = args.identity ?? (anonymous || isServicePrincipal(args.principal) ? "none" : "admin");
        identityPolicies =
            identity === "none" ? [] : [{ name: "principal-identity", policy: identity === "admin" ? ADMIN_IDENTITY_POLICY : identity }];
    }
    const context: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(args.context ?? {})) context[k] = typeof v === "string" ? v : [...v];
    return {
        request: {
            principal: anonymous ? anonymousPrincipal : args.principal,
            action: args.action,
            resource: { resource: args.resource, accountId: resourceAccount(args) },
            contextVariables: context,
        },
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(policyType === "resource" ? { resourcePolicy: doc } : {}),
    };
}

/** Evaluates one request and says which engine decided; throws on invalid input or dropped context keys. */
export async function simulateReport(args: SimulateArgs): Promise<SimulationReport> {
    const simulation = buildSimulation(args);
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") {
        throw new Error(`simulate: iam-simulate rejected the request: ${JSON.stringify(response.errors)}`);
    }
    if (response.resultType !== "single") {
        throw new Error(`simulate: use a concrete resource ARN, not a pattern (${args.resource})`);
    }
    const ignored = response.result.ignoredContextKeys ?? [];
    if (ignored.length === 0) {
        return { outcome: OUTCOMES[response.overallResult], result: response.overallResult, engine: "runSimulation", ignoredContextKeys: [] };
    }
    const unsupported = ignored.filter((k) => !/^kms:EncryptionContext:.+/i.test(k) || !args.action.toLowerCase().startsWith("kms:"));
    if (unsupported.length > 0) {
        throw new Error(`simulate: context keys not applicable to ${args.action}: ${unsupported.join(", ")}`);
    }
    // The policies passed validation above; re-run without the context-key filter.
    const unsafe: Simulation = {
        ...simulation,
        ...(simulation.resourcePolicy !== undefined
            ? { resourcePolicy: createValidatedPolicy(simulation.resourcePolicy, validateResourcePolicy, { name: "resource-policy" }) }
            : {}),
    };
    const result = runUnsafeSimulation(unsafe, {});
    return { outcome: OUTCOMES[result], result, engine: "runUnsafeSimulation", ignoredContextKeys: ignored };
}

/** Evaluates one request: "allowed", "denied" (explicit Deny) or "implicitly denied". */
export async function simulate(args: SimulateArgs): Promise<SimulationOutcome> {
    return (await simulateReport(args)).outcome;
}
