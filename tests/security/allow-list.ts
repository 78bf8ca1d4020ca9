/**
 * The intended exceptions of the write matrix: every allowed (resource, action, principal) case must match one of
 * these, and every entry must match at least one case (a stale entry fails the test). Reviewed in
 * docs/SECURITY.md, "The write matrix".
 */
import { actionMatchesPattern } from "@cloud-copilot/iam-utils";
import type { MatrixCase, ResourceKind } from "./matrix";

export interface AllowListEntry {
    readonly id: string;
    /** One line: why this write is intended. */
    readonly reason: string;
    /** Principal ids of the matrix; `*` for any. */
    readonly principals: readonly string[];
    readonly kinds: readonly ResourceKind[];
    /** Only these resources of the kinds (matrix resource ids); every resource of the kinds when absent. */
    readonly resources?: readonly string[];
    /** Action patterns (IAM wildcards); every action of the kinds when absent. */
    readonly actions?: readonly string[];
    /** Actions this entry never covers, so the matrix still shows them denied (e.g. data keys for a key administrator). */
    readonly exceptActions?: readonly string[];
    /** Only resources of the principal's own account (or reached as that account's delegated administrator). */
    readonly ownAccount?: boolean;
    /**
     * Only cases that the simulator allows on a condition naming each of these keys (Discovery mode's conditions):
     * the exception holds for requests that meet them, not for every request of the principal.
     */
    readonly onlyIfConditionOn?: readonly string[];
}

/** The principals a governance key policy admits as readers: the key's account and the accounts reading the logs. */
const READERS = ["log-archive-admin", "log-archive-root", "log-archive-deploy", "monitoring-admin", "monitoring-root", "monitoring-deploy"];

export const ALLOW_LIST: readonly AllowListEntry[] = [
    {
        id: "deploy-path",
        reason: "pulumi up manages what it deploys in the log archive and monitoring accounts through the member role it assumes there (exempt from the guardrails, protected from everyone else); the key denials still bind it",
        principals: ["log-archive-deploy", "monitoring-deploy"],
        kinds: ["bucket", "sink", "dashboard", "key", "alias", "link", "centralization-rule", "telemetry-rule", "role"],
        exceptActions: ["kms:CreateGrant", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncryptTo"],
        ownAccount: true,
    },
    {
        id: "deploy-grants-for-aws-resources",
        reason: "the member role pulumi up uses may create a grant on its account's governance key only through an AWS service integrated with KMS (kms:GrantIsForAWSResource true, which KMS sets itself); every other grant is denied to it by the key policy",
        principals: ["log-archive-deploy", "monitoring-deploy"],
        kinds: ["key"],
        actions: ["kms:CreateGrant"],
        ownAccount: true,
        onlyIfConditionOn: ["kms:GrantIsForAWSResource"],
    },
    {
        id: "stacksets-deployment",
        reason: "AWS deploys the member baseline: the StackSets execution role creates, updates and deletes the StackSet's stack and the link it holds",
        principals: ["member-stacksets-exec"],
        kinds: ["stack", "link"],
        ownAccount: true,
    },
    {
        id: "team-links",
        reason: "a link an application team makes itself, to a sink of its own, carries no orgwatch tag and stays the team's (update, delete, tag); orgwatch's links carry orgwatch:baseline and are denied; new links go only to sinks of the organization, and orgwatch's sinks admit only orgwatch's link creators (link-to-sinks)",
        principals: ["*"],
        kinds: ["team-link"],
        ownAccount: true,
    },
    {
        id: "readers-decrypt",
        reason: "decrypting is reading (the catalogue files kms:Decrypt and kms:ReEncryptFrom under Write): the key policies admit their own account and, for CloudTrail log files with CloudTrail's encryption context, the log archive and monitoring accounts; an outsider, an anonymous request or a service principal is never a reader",
        principals: READERS,
        kinds: ["key"],
        actions: ["kms:Decrypt", "kms:ReEncryptFrom"],
    },
    {
        id: "other-services-name-the-key",
        reason: "another service's configuration of the caller's own resource (an EventBridge archive, a Kinesis stream) that names the key; every use of the key is a KMS request the key policy refuses (no grant to those services, data keys only for AWS service principals)",
        principals: ["*"],
        kinds: ["key", "alias"],
        actions: ["events:CreateArchive", "events:UpdateArchive", "kinesis:StartStreamEncryption", "kinesis:StopStreamEncryption"],
        ownAccount: true,
    },
    {
        id: "link-to-sinks",
        reason: "orgwatch's link creators (the StackSets execution role, the log archive's member role; the management deploy roles are outside the matrix) link their accounts to the monitoring account's sinks, sharing only the configured resource types; no other principal takes an account's place at the sink",
        principals: ["member-stacksets-exec", "log-archive-deploy"],
        kinds: ["sink"],
        actions: ["oam:CreateLink"],
    },
    {
        id: "monitoring-account-own-sink",
        reason: "the monitoring account's own principals reach its sinks without the sink policy (same account); a link from the monitoring account to its own sink shares nothing it does not already hold, and takes no other account's place",
        principals: ["monitoring-admin", "monitoring-root"],
        kinds: ["sink"],
        actions: ["oam:CreateLink"],
        ownAccount: true,
    },
    {
        id: "cloudtrail-logs-role-no-source",
        reason: "CloudTrail assumes its CloudWatch Logs role without aws:SourceArn/aws:SourceAccount (the CloudTrail guide: the role policy does not support them), so the trust compares them only IfExists; a trail names the role only if its caller may iam:PassRole it, which no other account can, and the role writes only orgwatch's trail log streams",
        principals: ["cloudtrail.amazonaws.com@no-source"],
        kinds: ["role"],
        resources: ["CloudTrail logs role"],
        actions: ["sts:AssumeRole"],
    },
    {
        id: "restore-archived-logs",
        reason: "restoring an archived (Glacier) log file makes a temporary copy and leaves the object as it is; needed to read logs older than the Glacier transition",
        principals: ["log-archive-admin", "log-archive-root", "log-archive-deploy"],
        kinds: ["object"],
        actions: ["s3:RestoreObject"],
    },
];

const matchesAny = (patterns: readonly string[], action: string): boolean => patterns.some((p) => actionMatchesPattern(action, p));

/** Whether the entry covers the case. A resource reached through delegation counts as the principal's own. */
export function covers(entry: AllowListEntry, c: MatrixCase): boolean {
    if (!entry.principals.includes("*") && !entry.principals.includes(c.principal.id)) return false;
    if (!entry.kinds.includes(c.resource.kind)) return false;
    if (entry.resources !== undefined && !entry.resources.includes(c.resource.id)) return false;
    if (entry.actions !== undefined && !matchesAny(entry.actions, c.action)) return false;
    if (entry.exceptActions !== undefined && matchesAny(entry.exceptActions, c.action)) return false;
    if (entry.onlyIfConditionOn !== undefined && !entry.onlyIfConditionOn.every((k) => c.conditions?.includes(`"key":"${k}"`) === true)) return false;
    if (entry.ownAccount === true) {
        const delegated = (c.resource.delegatedAdministrators ?? []).includes(c.principal.id);
        if (c.principal.account !== c.resource.account && !delegated) return false;
    }
    return true;
}
