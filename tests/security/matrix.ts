/**
 * The exhaustive write matrix: for every resource orgwatch protects in `prod` (taken from one synth), every action
 * of access level Write, Permissions management or Tagging that the IAM action catalogue authorizes against the
 * resource's type, for every principal that can reach the resource, evaluated by @cloud-copilot/iam-simulate
 * (AGPL-3.0, tests only) through the synthesized documents: the resource's policy, the guardrail SCP (with
 * `FullAWSAccess` at the root and the account, as AWS Organizations attaches it) and an allow-all identity policy.
 *
 * The simulator runs in Discovery mode: a condition key is taken as the attacker's choice (an Allow condition is
 * assumed satisfiable, a Deny condition avoidable) unless it is a fact the attacker cannot choose, listed in
 * {@link KNOWN_KEYS} with its value in the request (who the principal is, which organization it and the resource
 * belong to, the key's aliases, the policy's tag, and for a service principal the resource it acts for), or a fact
 * of the resource ({@link ProtectedResource.facts}). An "allowed" case is therefore one some request of that
 * principal gets through. `kms:GrantIsForAWSResource` is the caller's choice (it makes the request through an
 * integrated service or not), so both values are explored.
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 *
 * Who can reach a resource: the principals of its own account; through a resource policy that applies to the
 * action (bucket, key, topic, sink, role trust), the principals of other accounts it can admit and the service
 * principals it names; and the delegated administrators of the services that manage it from another account (CloudTrail for the trail, StackSets for the StackSet,
 * Observability Admin for the telemetry rules, AWS Organizations for the guardrail policy and its root), which AWS
 * authorizes in the delegated administrator's own account (its identity policies and SCPs), so they are simulated
 * there. Resources of the management account without a resource policy are reachable by management principals
 * alone, whom no SCP binds: they are listed as such and covered by the detection controls instead.
 */
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy, validateServiceControlPolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, anonymousPrincipal, type DiscoveryContextKeyConstraint, type Simulation } from "@cloud-copilot/iam-simulate";
import type { SynthResource } from "../../lib/synth/types";
import { ADMIN_IDENTITY_POLICY } from "../helpers/iam";
import { resourceTypesOf, writeActionsOn, type CatalogueAction } from "./catalogue";
import { FULL_AWS_ACCESS } from "./org-simulate";
import { ACCOUNTS, NAMES, ORG_ID, PROD, role, type ProdSynth } from "./prod-world";

/** Context keys whose value is a fact of the request, not the attacker's choice. */
export const KNOWN_KEYS: readonly string[] = [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "kms:ResourceAliases",
    "kms:CallerAccount",
];
/** Resource tags are facts too (the attacker's TagResource is a case of its own). */
const KNOWN_KEY_PATTERNS: readonly string[] = ["/^aws:ResourceTag\\/.+$/"];

export type ResourceKind =
    | "trail"
    | "trail-log-group"
    | "central-log-group"
    | "alarm"
    | "topic"
    | "dashboard"
    | "sink"
    | "link"
    | "team-link"
    | "key"
    | "alias"
    | "bucket"
    | "object"
    | "centralization-rule"
    | "telemetry-rule"
    | "stackset"
    | "stack"
    | "guardrail-policy"
    | "organization-root"
    | "organization-target"
    | "role";

export interface ProtectedResource {
    readonly id: string;
    readonly kind: ResourceKind;
    readonly arn: string;
    /** Account owning the resource. */
    readonly account: string;
    /** Resource policy (JSON) and the services whose actions it governs (a role's trust governs sts only). */
    readonly policy?: { readonly text: string; readonly services?: readonly string[] };
    /** Facts of the resource, added to every request on it. */
    readonly facts?: Readonly<Record<string, string | readonly string[]>>;
    /** Principals that reach the resource as a delegated administrator of the service managing it. */
    readonly delegatedAdministrators?: readonly string[];
}

export interface MatrixPrincipal {
    readonly id: string;
    readonly description: string;
    /** IAM principal ARN, service principal name, or "anonymous". */
    readonly principal: string;
    readonly kind: "role" | "root" | "anonymous" | "service";
    /** The principal's account (for a service principal: the account of the resource it acts for). */
    readonly account?: string;
    /** Member account of the organization: the guardrail SCP applies. */
    readonly boundByScp: boolean;
    readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export type MatrixOutcome = "allowed" | "denied" | "implicitly denied";

export interface MatrixCase {
    readonly resource: ProtectedResource;
    readonly action: string;
    readonly accessLevel: string;
    readonly principal: MatrixPrincipal;
    readonly outcome: MatrixOutcome;
    /** For an allowed case: the conditions the request must meet (Discovery mode), as iam-simulate reports them. */
    readonly conditions?: string;
}

export interface MatrixResult {
    readonly cases: readonly MatrixCase[];
    /**
     * (resource, action, principal) triples not simulated because the principal cannot reach the resource: another
     * account, no resource policy that could admit it, not a delegated administrator of the service.
     */
    readonly unreachable: number;
    /** (resource, action) pairs no member principal can reach: management-account resources without a policy. */
    readonly managementOnly: readonly { readonly resource: ProtectedResource; readonly actions: number }[];
}

const iamPrincipal = (id: string, description: string, account: string, name: string, inOrg: boolean): MatrixPrincipal => {
    const arn = name === "root" ? `arn:aws:iam::${account}:root` : role(account, name);
    return {
        id,
        description,
        principal: arn,
        kind: name === "root" ? "root" : "role",
        account,
        boundByScp: inOrg,
        context: {
            "aws:PrincipalArn": arn,
            "aws:PrincipalAccount": account,
            "aws:PrincipalIsAWSService": "false",
            "kms:CallerAccount": account,
            ...(inOrg ? { "aws:PrincipalOrgID": ORG_ID } : {}),
        },
    };
};

/** The StackSets execution role in a member account (a service role named `stacksets-exec-<id>`). */
export const STACKSETS_EXEC_ROLE_NAME = "stacksets-exec-8f14e45fceea167a5a36dedd4bea2543";

/** The IAM principals of the matrix: every kind of account, its administrators and root user, and the exempt roles. */
export function iamPrincipals(): MatrixPrincipal[] {
    const A = ACCOUNTS;
    const memberRole = PROD.access.memberRoleName;
    return [
        iamPrincipal("member-admin", "administrator of a workload account", A.member, "Admin", true),
        iamPrincipal("member-root", "root user of a workload account", A.member, "root", true),
        iamPrincipal("member-stacksets-exec", "StackSets execution role in a workload account", A.member, STACKSETS_EXEC_ROLE_NAME, true),
        iamPrincipal("log-archive-admin", "administrator of the log archive account", A.logArchive, "Admin", true),
        iamPrincipal("log-archive-root", "root user of the log archive account", A.logArchive, "root", true),
        iamPrincipal("log-archive-deploy", "the role pulumi up assumes in the log archive account", A.logArchive, memberRole, true),
        iamPrincipal("monitoring-admin", "administrator of the monitoring account", A.monitoring, "Admin", true),
        iamPrincipal("monitoring-root", "root user of the monitoring account", A.monitoring, "root", true),
        iamPrincipal("monitoring-deploy", "the role pulumi up assumes in the monitoring account", A.monitoring, memberRole, true),
        iamPrincipal("delegated-admin-admin", "administrator of a delegated administrator account (CloudTrail, StackSets, Organizations policies)", A.securityTooling, "Admin", true),
        iamPrincipal("delegated-admin-root", "root user of a delegated administrator account", A.securityTooling, "root", true),
        iamPrincipal("outsider-admin", "administrator of an account outside the organization", A.outsider, "Admin", false),
        { id: "anonymous", description: "an unsigned request", principal: "anonymous", kind: "anonymous", boundByScp: false, context: {} },
    ];
}

/** Where a service principal's request comes from: a foreign resource it names, or no source named at all. */
export type ServiceOrigin = "outsider" | "member" | "no-source";
const SERVICE_ORIGINS: readonly ServiceOrigin[] = ["outsider", "member", "no-source"];

/**
 * A service principal on behalf of a resource that is not ours: in an account outside the organization, or in a
 * workload account of the organization. The service names the resource it acts for (aws:SourceArn,
 * aws:SourceAccount, aws:SourceOrgID) and, for KMS, the encryption context of that resource. `no-source`: the same
 * request from outside the organization with no source key at all, so that a statement comparing them `IfExists`
 * (or not at all) is seen; only a statement with another hard binding (an encryption context) still refuses it.
 */
function foreignService(servicePrincipal: string, where: ServiceOrigin): MatrixPrincipal {
    const account = where === "member" ? ACCOUNTS.member : ACCOUNTS.outsider;
    const home = PROD.regions.home;
    const service = servicePrincipal.split(".")[0] ?? "";
    const source: Record<string, { arn: string; context?: Record<string, string> }> = {
        cloudtrail: { arn: `arn:aws:cloudtrail:${home}:${account}:trail/foreign-trail`, context: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:${home}:${account}:trail/foreign-trail` } },
        cloudwatch: { arn: `arn:aws:cloudwatch:${home}:${account}:alarm:foreign-alarm`, context: { "kms:EncryptionContext:aws:sns:topicArn": NAMES.topicArn } },
        logging: { arn: "arn:aws:s3:::foreign-bucket" },
        logs: { arn: `arn:aws:logs:${home}:${account}:log-group:foreign`, context: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${home}:${account}:log-group:foreign` } },
    };
    const s = source[service];
    if (s === undefined) throw new Error(`matrix: no foreign resource known for the service principal ${servicePrincipal}; add one`);
    return {
        id: `${servicePrincipal}@${where}`,
        description:
            where === "no-source"
                ? `${servicePrincipal} naming no source resource (no aws:SourceArn, aws:SourceAccount, aws:SourceOrgID)`
                : `${servicePrincipal} on behalf of a resource ${where === "outsider" ? "outside the organization" : "of a workload account"}`,
        principal: servicePrincipal,
        kind: "service",
        account,
        boundByScp: false,
        context: {
            "aws:PrincipalIsAWSService": "true",
            "aws:PrincipalServiceName": servicePrincipal,
            ...(where === "no-source" ? {} : { "aws:SourceArn": s.arn, "aws:SourceAccount": account }),
            ...(where === "member" ? { "aws:SourceOrgID": ORG_ID } : {}),
            ...s.context,
        },
    };
}

/** Service principals an Allow statement of the policy names (Principal.Service). */
function servicePrincipalsOf(policy: string): string[] {
    const doc = JSON.parse(policy) as { Statement: { Effect: string; Principal?: unknown }[] };
    const out = new Set<string>();
    for (const st of doc.Statement) {
        if (st.Effect !== "Allow" || typeof st.Principal !== "object" || st.Principal === null) continue;
        const svc = (st.Principal as { Service?: string | string[] }).Service;
        for (const s of svc === undefined ? [] : typeof svc === "string" ? [svc] : svc) out.add(s);
    }
    return [...out];
}

function byType(s: ProdSynth, type: string): SynthResource[] {
    return s.result.resources.filter((r) => r.type === type);
}

function str(v: unknown, what: string): string {
    if (typeof v !== "string") throw new Error(`matrix: ${what} is not a string`);
    return v;
}

/**
 * The protected resources of prod, from the synth (`s`), with the documents of `docs` (the same synth, or the
 * frozen documents from before the hardening). Uuids are made up where AWS generates the ARN's tail.
 */
export function protectedResources(s: ProdSynth, docs: ProdSynth = s): ProtectedResource[] {
    const A = ACCOUNTS;
    const home = PROD.regions.home;
    const out: ProtectedResource[] = [];
    const delegatedAdmins = ["delegated-admin-admin", "delegated-admin-root"];
    const monitoringPrincipals = ["monitoring-admin", "monitoring-root", "monitoring-deploy"];

    const trail = byType(s, "aws:cloudtrail/trail:Trail")[0];
    out.push({ id: "trail", kind: "trail", arn: str(trail.outputs.arn, "trail ARN"), account: A.management, delegatedAdministrators: delegatedAdmins });
    const group = str(byType(s, "aws:cloudwatch/logGroup:LogGroup")[0].outputs.arn, "trail log group ARN");
    out.push({ id: "trail-log-group", kind: "trail-log-group", arn: group, account: A.management });
    out.push({ id: "trail-log-stream", kind: "trail-log-group", arn: `${group}:log-stream:${ORG_ID}_${A.member}_CloudTrail_${home}`, account: A.management });
    for (const alarm of byType(s, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
        out.push({ id: `alarm ${str(alarm.inputs.name, "alarm name")}`, kind: "alarm", arn: str(alarm.outputs.arn, "alarm ARN"), account: A.management });
    }
    out.push({ id: "topic", kind: "topic", arn: NAMES.topicArn, account: A.management, policy: { text: docs.topicPolicy } });

    const central = NAMES.centralLogGroup(A.member, "eu-west-1", "/aws/lambda/app");
    out.push({ id: "central-log-group", kind: "central-log-group", arn: central, account: A.monitoring });
    out.push({ id: "central-log-stream", kind: "central-log-group", arn: `${central}:log-stream:2024/05/01/[$LATEST]0123`, account: A.monitoring });
    out.push({ id: "dashboard", kind: "dashboard", arn: str(byType(s, "aws:cloudwatch/dashboard:Dashboard")[0].outputs.dashboardArn, "dashboard ARN"), account: A.monitoring });
    for (const [region, sink] of Object.entries(s.sinks)) {
        out.push({ id: `sink ${region}`, kind: "sink", arn: sink.arn, account: A.monitoring, policy: { text: docs.sinks[region].policy } });
    }
    // A resource's tags as request facts (aws:ResourceTag/<key>).
    const tagFacts = (tags: unknown): Record<string, string> => Object.fromEntries(Object.entries((tags ?? {}) as Record<string, string>).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    for (const link of byType(s, "aws:oam/link:Link")) {
        out.push({ id: `link ${String(link.account)} ${String(link.region)}`, kind: "link", arn: str(link.outputs.arn, "link ARN"), account: str(link.account, "link account"), facts: tagFacts(link.inputs.tags) });
    }
    // The StackSet's stack in a workload account, and the link it creates, per governed Region, tagged as the
    // synthesized template tags it.
    const stackSetName = NAMES.baselineStackSet;
    const template = JSON.parse(str(byType(s, "aws:cloudformation/stackSet:StackSet")[0]?.inputs.templateBody, "StackSet template")) as { Resources: Record<string, { Type: string; Properties?: { Tags?: unknown } }> };
    const templateLink = Object.values(template.Resources).find((r) => r.Type === "AWS::Oam::Link");
    for (const region of PROD.regions.governed) {
        out.push({ id: `link ${A.member} ${region}`, kind: "link", arn: `arn:aws:oam:${region}:${A.member}:link/0b7c2f3e-1111-2222-3333-444455556666`, account: A.member, facts: tagFacts(templateLink?.Properties?.Tags) });
        out.push({ id: `stack ${region}`, kind: "stack", arn: `arn:aws:cloudformation:${region}:${A.member}:stack/StackSet-${stackSetName}-1f2e3d4c/0a1b2c3d-1111-2222-3333-444455556666`, account: A.member });
    }

    // A link an application team made itself in a workload account, to a sink of its own in the organization: it
    // carries no orgwatch tag. Not orgwatch's: modelled to show the guardrail leaves it to the team (allow-list).
    out.push({ id: "team link", kind: "team-link", arn: `arn:aws:oam:${home}:${A.member}:link/7d6c5b4a-9999-8888-7777-666655554444`, account: A.member });

    const keys: [string, string, string, string][] = [
        ["trail key", s.trailKeyArn, docs.trailKeyPolicy, NAMES.trailKeyAlias],
        ["logs key", s.logsKeyArn, docs.logsKeyPolicy, NAMES.logsKeyAlias],
        ["alarm topic key", s.topicKeyArn, docs.topicKeyPolicy, NAMES.alarmsKeyAlias],
        ["central logs key", s.centralKeyArn, docs.centralKeyPolicy, NAMES.centralLogsKeyAlias],
    ];
    for (const [id, arn, policy, alias] of keys) {
        out.push({ id, kind: "key", arn, account: arn.split(":")[4] ?? "", policy: { text: policy }, facts: { "kms:ResourceAliases": [alias] } });
    }
    for (const alias of byType(s, "aws:kms/alias:Alias")) {
        out.push({ id: `alias ${str(alias.inputs.name, "alias name")}`, kind: "alias", arn: str(alias.outputs.arn, "alias ARN"), account: str(alias.account, "alias account") });
    }

    const buckets: [string, string, string, string][] = [
        ["trail bucket", NAMES.trailBucket, docs.trailBucketPolicy, `AWSLogs/${ORG_ID}/${A.member}/CloudTrail/${home}/2024/05/01/${A.member}_CloudTrail_${home}_20240501T0000Z_a.json.gz`],
        ["access log bucket", NAMES.accessLogBucket, docs.accessLogBucketPolicy, `${NAMES.trailBucket}/2024-05-01-00-00-00-ABCDEF0123456789`],
    ];
    for (const [id, bucket, policy, key] of buckets) {
        out.push({ id, kind: "bucket", arn: `arn:aws:s3:::${bucket}`, account: A.logArchive, policy: { text: policy } });
        out.push({ id: `${id} object`, kind: "object", arn: `arn:aws:s3:::${bucket}/${key}`, account: A.logArchive, policy: { text: policy } });
    }

    // Organization rules: the centralization rule lives in the monitoring account; the telemetry rules in the
    // management account, managed also by the Observability Admin delegated administrator.
    const observabilityAdmin = byType(s, "aws:organizations/delegatedAdministrator:DelegatedAdministrator").find((d) => d.inputs.servicePrincipal === "observabilityadmin.amazonaws.com");
    if (observabilityAdmin?.inputs.accountId !== A.monitoring) throw new Error("matrix: the Observability Admin delegated administrator is expected to be the monitoring account");
    for (const rule of byType(s, "aws:observabilityadmin/centralizationRuleForOrganization:CentralizationRuleForOrganization")) {
        const name = str(rule.inputs.ruleName, "centralization rule name");
        out.push({ id: `centralization rule ${name}`, kind: "centralization-rule", arn: `arn:aws:observabilityadmin:${home}:${str(rule.account, "rule account")}:organization-centralization-rule/${name}`, account: str(rule.account, "rule account") });
    }
    for (const rule of byType(s, "aws:observabilityadmin/telemetryRuleForOrganization:TelemetryRuleForOrganization")) {
        const name = str(rule.inputs.ruleName, "telemetry rule name");
        out.push({ id: `telemetry rule ${name}`, kind: "telemetry-rule", arn: `arn:aws:observabilityadmin:${home}:${A.management}:organization-telemetry-rule/${name}`, account: A.management, delegatedAdministrators: monitoringPrincipals });
    }
    for (const ss of byType(s, "aws:cloudformation/stackSet:StackSet")) {
        const name = str(ss.inputs.name, "StackSet name");
        out.push({ id: "stackset", kind: "stackset", arn: `arn:aws:cloudformation:${home}:${str(ss.account, "StackSet account")}:stackset/${name}:9c3a2b1d-1111-2222-3333-444455556666`, account: str(ss.account, "StackSet account"), delegatedAdministrators: delegatedAdmins });
    }

    const scps = byType(s, "aws:organizations/policy:Policy").filter((p) => p.inputs.type === "SERVICE_CONTROL_POLICY");
    if (scps.length === 0) throw new Error("matrix: no guardrail SCP in the synth");
    scps.forEach((scp, i) => {
        out.push({
            id: i === 0 ? "guardrail policy" : `guardrail policy ${i + 1}`,
            kind: "guardrail-policy",
            arn: str(scp.outputs.arn, "SCP ARN"),
            account: A.management,
            facts: { ...tagFacts(scp.inputs.tags), "organizations:PolicyType": "SERVICE_CONTROL_POLICY" },
            delegatedAdministrators: delegatedAdmins,
        });
    });
    // The governance accounts as policy targets (a policy attached to them, or FullAWSAccess detached).
    for (const [id, account] of [["log archive account target", A.logArchive], ["monitoring account target", A.monitoring]] as const) {
        out.push({ id, kind: "organization-target", arn: `arn:aws:organizations::${A.management}:account/${ORG_ID}/${account}`, account: A.management, delegatedAdministrators: delegatedAdmins });
    }
    for (const attachment of byType(s, "aws:organizations/policyAttachment:PolicyAttachment")) {
        const target = str(attachment.inputs.targetId, "attachment target");
        if (!target.startsWith("r-")) continue;
        out.push({ id: "organization root", kind: "organization-root", arn: `arn:aws:organizations::${A.management}:root/${ORG_ID}/${target}`, account: A.management, delegatedAdministrators: delegatedAdmins });
    }

    // The exempt roles and the CloudTrail → CloudWatch Logs role. A role's trust policy governs sts actions only.
    // The exempt roles' trust policies are not orgwatch's: each is given the widest plausible one, trusting the
    // management account and its own account (as a hand-made role in an invited account may).
    const worstTrust = (account: string): string =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${A.management}:root`, `arn:aws:iam::${account}:root`] }, Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"] }] });
    const exempt: [string, string][] = [
        ["log archive deploy role", role(A.logArchive, PROD.access.memberRoleName)],
        ["monitoring deploy role", role(A.monitoring, PROD.access.memberRoleName)],
        ["StackSets execution role", role(A.member, STACKSETS_EXEC_ROLE_NAME)],
        ...PROD.access.deployRoleArns.map((arn): [string, string] => [`deploy role ${arn}`, arn]),
    ];
    for (const [id, arn] of exempt) {
        const account = arn.split(":")[4] ?? "";
        out.push({ id, kind: "role", arn, account, policy: { text: worstTrust(account), services: ["sts"] } });
    }
    // The StackSets service-linked role in a workload account (AWS creates it when trusted access is enabled; its
    // trust admits only the StackSets service, so only the account's own principals reach it).
    out.push({
        id: "StackSets member service-linked role",
        kind: "role",
        arn: role(A.member, "aws-service-role/member.org.stacksets.cloudformation.amazonaws.com/AWSServiceRoleForCloudFormationStackSetsOrgMember"),
        account: A.member,
    });
    out.push({ id: "CloudTrail logs role", kind: "role", arn: s.trailLogsRole.arn, account: A.management, policy: { text: docs.trailLogsRole.trustPolicy, services: ["sts"] } });
    return out;
}

/**
 * Whether an Allow statement of the policy can match an IAM or anonymous principal of another account: AWS grants
 * a cross-account request only through such a statement. Conservative: `*`, the principal's ARN, its account
 * (root ARN or id), any wildcard pattern, or a NotPrincipal all count as a match; only a policy that names other
 * principals alone (a key policy naming its readers, a trust policy naming its accounts) keeps a principal out.
 */
function admits(policy: string, p: MatrixPrincipal): boolean {
    const doc = JSON.parse(policy) as { Statement: { Effect: string; Principal?: unknown; NotPrincipal?: unknown }[] };
    return doc.Statement.some((st) => {
        if (st.Effect !== "Allow") return false;
        if (st.NotPrincipal !== undefined || st.Principal === "*") return true;
        const aws = (st.Principal as { AWS?: string | string[] } | undefined)?.AWS;
        const named = aws === undefined ? [] : typeof aws === "string" ? [aws] : aws;
        return named.some((n) => n === "*" || n.includes("*") || n === p.principal || (p.account !== undefined && (n === p.account || n === `arn:aws:iam::${p.account}:root`)));
    });
}

/**
 * The principals that can reach `resource` for `action`: its account's principals, the delegated administrators of
 * the service managing it, and, through a resource policy that applies to the action, the principals the policy
 * can admit and the service principals it names (each on behalf of foreign resources).
 */
function reachers(resource: ProtectedResource, action: CatalogueAction, all: readonly MatrixPrincipal[]): { readonly reach: MatrixPrincipal[]; readonly kept: number } {
    const service = action.action.split(":")[0] ?? "";
    const policy = resource.policy !== undefined && (resource.policy.services === undefined || resource.policy.services.includes(service)) ? resource.policy.text : undefined;
    const services = policy !== undefined ? servicePrincipalsOf(policy).flatMap((sp) => SERVICE_ORIGINS.map((o) => foreignService(sp, o))) : [];
    const reach = all.filter((p) => p.account === resource.account || (resource.delegatedAdministrators ?? []).includes(p.id) || (policy !== undefined && admits(policy, p)));
    return { reach: [...reach, ...services], kept: all.length - reach.length };
}

/**
 * Policies validated once (iam-policy's validated form, which runSimulation reuses instead of validating each
 * request again): a malformed document still fails, at its first use.
 */
export class Validated {
    private readonly cache = new Map<string, unknown>();
    private get(kind: "resource" | "scp" | "identity", text: string): unknown {
        const key = `${kind}:${text}`;
        let v = this.cache.get(key);
        if (v === undefined) {
            const doc: unknown = JSON.parse(text);
            const validate = kind === "resource" ? validateResourcePolicy : kind === "scp" ? validateServiceControlPolicy : validateIdentityPolicy;
            v = createValidatedPolicy(doc, validate, { name: kind });
            this.cache.set(key, v);
        }
        return v;
    }
    resource(text: string): unknown {
        return this.get("resource", text);
    }
    scp(text: string): unknown {
        return this.get("scp", text);
    }
    identity(text: string): unknown {
        return this.get("identity", text);
    }
}

/** The guardrail's SCP text, or its SCPs when it is split (each a policy of the root, as AWS attaches them). */
export type GuardrailScps = string | readonly string[];

function simulation(v: Validated, scp: GuardrailScps, resource: ProtectedResource, action: string, p: MatrixPrincipal): Simulation {
    const service = action.split(":")[0] ?? "";
    const policy = resource.policy !== undefined && (resource.policy.services === undefined || resource.policy.services.includes(service)) ? v.resource(resource.policy.text) : undefined;
    // A delegated administrator's request is authorized in its own account (identity policies and SCPs).
    const viaDelegation = (resource.delegatedAdministrators ?? []).includes(p.id) && p.account !== resource.account && policy === undefined;
    const resourceAccount = viaDelegation ? (p.account ?? resource.account) : resource.account;
    const facts: Record<string, string | string[]> = { "aws:ResourceAccount": resourceAccount, "aws:ResourceOrgID": ORG_ID };
    for (const [k, v] of Object.entries(resource.facts ?? {})) facts[k] = typeof v === "string" ? v : [...v];
    const context: Record<string, string | string[]> = { ...facts };
    for (const [k, v] of Object.entries(p.context)) context[k] = typeof v === "string" ? v : [...v];
    const member = p.boundByScp && p.account !== undefined;
    return {
        request: {
            principal: p.kind === "anonymous" ? anonymousPrincipal : p.principal,
            action,
            resource: { resource: resource.arn, accountId: resourceAccount },
            contextVariables: context,
        },
        identityPolicies: p.kind === "role" || p.kind === "root" ? [{ name: "administrator", policy: v.identity(JSON.stringify(ADMIN_IDENTITY_POLICY)) }] : [],
        serviceControlPolicies: member
            ? [
                  { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: v.scp(JSON.stringify(FULL_AWS_ACCESS)) }, ...(typeof scp === "string" ? [scp] : scp).map((text, i) => ({ name: i === 0 ? "guardrails" : `guardrails-${i + 1}`, policy: v.scp(text) }))] },
                  { orgIdentifier: p.account ?? "", policies: [{ name: "FullAWSAccess", policy: v.scp(JSON.stringify(FULL_AWS_ACCESS)) }] },
              ]
            : [],
        resourceControlPolicies: [],
        ...(policy !== undefined ? { resourcePolicy: policy } : {}),
    };
}

/** Discovery constraints: the facts are known (present with their value, or known absent). */
function constraints(keys: readonly string[] = [...KNOWN_KEYS, ...KNOWN_KEY_PATTERNS]): DiscoveryContextKeyConstraint[] {
    return keys.map((keyName) => ({ keyName, presenceIsKnown: true, valueIsKnown: true }));
}

/** The resource's facts are known; for a service principal, the encryption context it sends is a fact as well. */
function constraintsFor(p: MatrixPrincipal, resource: ProtectedResource): DiscoveryContextKeyConstraint[] {
    const known = new Set([...KNOWN_KEYS, ...KNOWN_KEY_PATTERNS]);
    const base = constraints([...known, ...Object.keys(resource.facts ?? {}).filter((k) => !known.has(k))]);
    if (p.kind !== "service") return base;
    return [...base, ...constraints(["/^kms:EncryptionContext:.+$/"])];
}

/** Evaluates one request of the matrix's kind (Discovery mode, the same facts) with the given SCP. */
export async function evaluateCase(scp: GuardrailScps, resource: ProtectedResource, action: string, p: MatrixPrincipal, validated: Validated = new Validated()): Promise<{ outcome: MatrixOutcome; conditions?: string }> {
    const response = await runSimulation(simulation(validated, scp, resource, action, p), { simulationMode: "Discovery", discoveryContextKeyConstraints: constraintsFor(p, resource) });
    if (response.resultType === "error") throw new Error(`matrix: iam-simulate rejected ${action} on ${resource.arn} by ${p.id}: ${JSON.stringify(response.errors)}`);
    if (response.resultType !== "single") throw new Error(`matrix: ${resource.arn} is not a concrete ARN`);
    const outcome: MatrixOutcome = response.overallResult === "Allowed" ? "allowed" : response.overallResult === "ExplicitlyDenied" ? "denied" : "implicitly denied";
    const conditions = outcome === "allowed" && response.result.analysis?.conditions !== undefined ? JSON.stringify(response.result.analysis.conditions) : undefined;
    return { outcome, ...(conditions !== undefined ? { conditions } : {}) };
}

/** A principal of the matrix by id, service principals included (`<service principal>@outsider|member`). */
export function principalById(id: string): MatrixPrincipal {
    const at = id.indexOf("@");
    if (at > 0) {
        const origin = SERVICE_ORIGINS.find((o) => o === id.slice(at + 1));
        if (origin === undefined) throw new Error(`matrix: no service origin ${id.slice(at + 1)} (one of ${SERVICE_ORIGINS.join(", ")})`);
        return foreignService(id.slice(0, at), origin);
    }
    const found = iamPrincipals().find((p) => p.id === id);
    if (found === undefined) throw new Error(`matrix: no principal ${id}`);
    return found;
}

/**
 * Runs the matrix over the resources of one synth (`s`) and the documents of `docs`: the same synth, or the frozen
 * documents from before the hardening (its SCP, bucket, key, topic, sink and trust policies).
 */
export async function runMatrix(s: ProdSynth, docs: ProdSynth = s): Promise<MatrixResult> {
    const principals = iamPrincipals();
    const validated = new Validated();
    const cases: MatrixCase[] = [];
    const managementOnly: { resource: ProtectedResource; actions: number }[] = [];
    let unreachableTriples = 0;
    for (const resource of protectedResources(s, docs)) {
        const types = await resourceTypesOf(resource.arn);
        if (types.length === 0) throw new Error(`matrix: the IAM action catalogue has no resource type for ${resource.arn}`);
        const actions = await writeActionsOn(types);
        let unreachable = 0;
        for (const action of actions) {
            const { reach: who, kept } = reachers(resource, action, principals);
            unreachableTriples += kept;
            if (who.length === 0) unreachable++;
            for (const p of who) {
                const { outcome, conditions } = await evaluateCase(docs.scps, resource, action.action, p, validated);
                cases.push({ resource, action: action.action, accessLevel: action.accessLevel, principal: p, outcome, ...(conditions !== undefined ? { conditions } : {}) });
            }
        }
        if (unreachable > 0) managementOnly.push({ resource, actions: unreachable });
    }
    return { cases, unreachable: unreachableTriples, managementOnly };
}
