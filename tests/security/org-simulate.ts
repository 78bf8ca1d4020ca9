/**
 * Test helper: evaluates a request made inside the organization with `@cloud-copilot/iam-simulate` (AGPL-3.0,
 * development dependency, tests only), with service control policies applied as AWS Organizations applies
 * them: every level from the root down to the account must allow the action, and the AWS managed
 * `FullAWSAccess` SCP is attached to each level (an SCP only limits; it never grants). The principal gets an
 * allow-all identity policy, so the outcome shows what the SCPs (and the resource policy, when given) leave.
 *
 * Like tests/helpers/iam.ts it uses the validating `runSimulation` API: a malformed policy, an unknown action or
 * a resource ARN of the wrong type throws, and so does a context key the simulator would silently drop.
 * What the simulator does not model: SCPs never apply to the management account, to service-linked roles or
 * to AWS service principals. Scenarios therefore use principals of member accounts only.
 */
import { anonymousPrincipal, runSimulation, type EvaluationResult, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../lib/policy-documents";
import { ADMIN_IDENTITY_POLICY, type SimulationOutcome } from "../helpers/iam";

/** The AWS managed SCP attached to every root, OU and account by default. */
export const FULL_AWS_ACCESS: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

export interface OrgRequest {
    /**
     * The SCP under test (object or JSON text), or the guardrail's SCPs when it is split, each attached to the root
     * next to FullAWSAccess.
     */
    readonly scp: PolicyDocument | string | readonly (PolicyDocument | string)[];
    /** IAM principal ARN of a member account (role, user or `arn:<p>:iam::<account>:root`). */
    readonly principal: string;
    readonly action: string;
    readonly resource: string;
    /** @default - the account field of `resource` */
    readonly resourceAccountId?: string;
    /**
     * Resource policy of the target, when it has one that matters (e.g. a bucket policy).
     * @default - none: a cross-account request is then implicitly denied unless an SCP denies it explicitly
     */
    readonly resourcePolicy?: PolicyDocument | string;
    /** Extra request context; `aws:PrincipalArn`, `aws:PrincipalAccount` and TLS are filled in. */
    readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

const OUTCOMES: Record<EvaluationResult, SimulationOutcome> = {
    Allowed: "allowed",
    ExplicitlyDenied: "denied",
    ImplicitlyDenied: "implicitly denied",
};

function parse(doc: PolicyDocument | string): unknown {
    return typeof doc === "string" ? JSON.parse(doc) : doc;
}

function accountOf(arn: string): string {
    const account = arn.split(":")[4];
    if (account === undefined || !/^\d{12}$/.test(account)) throw new Error(`orgSimulate: no account in ${arn}; pass resourceAccountId`);
    return account;
}

/**
 * The guardrail's SCPs as separate policies of the root, as AWS Organizations evaluates them: at each level some
 * SCP must allow the action (FullAWSAccess does; the guardrails only deny), and an explicit deny in any SCP of any
 * level denies it.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export function guardrailPolicies(scp: OrgRequest["scp"]): { name: string; policy: unknown }[] {
    const docs = typeof scp === "string" || !Array.isArray(scp) ? [scp as PolicyDocument | string] : (scp as readonly (PolicyDocument | string)[]);
    return docs.map((d, i) => ({ name: i === 0 ? "guardrails" : `guardrails-${i + 1}`, policy: parse(d) }));
}

/** Evaluates one request under root SCPs (FullAWSAccess + `scp`) and the account's FullAWSAccess. */
export async function orgSimulate(r: OrgRequest): Promise<SimulationOutcome> {
    const principalAccount = accountOf(r.principal);
    const context: Record<string, string | string[]> = {
        "aws:PrincipalArn": r.principal,
        "aws:PrincipalAccount": principalAccount,
        "aws:SecureTransport": "true",
    };
    for (const [k, v] of Object.entries(r.context ?? {})) context[k] = typeof v === "string" ? v : [...v];
    const simulation: Simulation = {
        request: {
            principal: r.principal === "anonymous" ? anonymousPrincipal : r.principal,
            action: r.action,
            resource: { resource: r.resource, accountId: r.resourceAccountId ?? accountOf(r.resource) },
            contextVariables: context,
        },
        identityPolicies: [{ name: "administrator", policy: ADMIN_IDENTITY_POLICY }],
        serviceControlPolicies: [
            { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }, ...guardrailPolicies(r.scp)] },
            { orgIdentifier: principalAccount, policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }] },
        ],
        resourceControlPolicies: [],
        ...(r.resourcePolicy !== undefined ? { resourcePolicy: parse(r.resourcePolicy) } : {}),
    };
    const response = await runSimulation(simulation, {});
    if (response.resultType === "error") throw new Error(`orgSimulate: iam-simulate rejected the request: ${JSON.stringify(response.errors)}`);
    if (response.resultType !== "single") throw new Error(`orgSimulate: use a concrete resource ARN (${r.resource})`);
    const ignored = response.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) throw new Error(`orgSimulate: context keys not applicable to ${r.action}: ${ignored.join(", ")}`);
    return OUTCOMES[response.overallResult];
}
