import { UserError } from "../errors";
import { policyJson } from "./json";
import { POLICY_VERSION, type PolicyCondition, type PolicyDocument, type PolicyStatement } from "./types";
import {
    requireAccountId,
    requireBucketName,
    requireLogGroupName,
    requireNonEmptyList,
    requireOrganizationId,
    requirePartition,
    requireRegion,
    requireTrailName,
    unique,
} from "./validate";

/**
 * Maximum size of a service control policy. AWS Organizations quotas: "Service control policies: 5120
 * characters"; the console strips insignificant whitespace before counting, but a policy saved through an
 * SDK (which is how Pulumi saves it) is stored and counted exactly as sent. orgwatch sends compact JSON
 * and counts its UTF-8 bytes, which is never less than its characters, so the check holds under either
 * reading of the quota (one version of the page says "5120 bytes (not characters)").
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCP_MAX_SIZE = 5120;

/**
 * At most 5 SCPs can be attached to one root, OU or account, the AWS managed `FullAWSAccess` included.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const SCP_MAX_PER_TARGET = 5;

/** Config key the size error points at. */
const CONFIG_PATH = "orgwatch:guardrails";

/**
 * Read actions each protected service keeps for everyone: the guardrail statements deny every other action on
 * the protected resources (`NotAction`), so an action AWS adds to a service later is denied until it is listed
 * here. Only the Read and List actions of the protected resource types match these patterns (checked against the
 * IAM action catalogue by tests/lib/policy-documents/guardrail-scp.test.ts).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 */
export const GUARDRAIL_READ_ACTIONS = {
    cloudformation: ["cloudformation:Describe*", "cloudformation:Detect*", "cloudformation:Get*", "cloudformation:List*"],
    cloudtrail: ["cloudtrail:Get*", "cloudtrail:List*"],
    cloudwatch: ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"],
    iam: ["iam:Get*", "iam:List*"],
    logs: ["logs:Describe*", "logs:FilterLogEvents", "logs:Get*", "logs:List*", "logs:StartLiveTail", "logs:StartQuery", "logs:Unmask"],
    oam: ["oam:Get*", "oam:List*"],
    observabilityadmin: ["observabilityadmin:Get*", "observabilityadmin:List*"],
    s3: ["s3:Get*", "s3:List*"],
    sns: ["sns:Get*", "sns:List*"],
} as const satisfies Readonly<Record<string, readonly string[]>>;

/**
 * What the governance keys stay usable for: reading (decrypting CloudTrail log files with the encryption context
 * the key policy requires) and describing. Everything else on a key carrying a governance alias (disabling,
 * deletion, key policy, grants, rotation, tags, data keys, aliases) is denied.
 */
export const GUARDRAIL_KEY_READ_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:Describe*", "kms:Get*", "kms:List*", "kms:ReEncryptFrom"];

/**
 * What member principals keep on the policy carrying {@link GUARDRAIL_TAG}: reading it. Every other action on it
 * (DeletePolicy, DetachPolicy, UpdatePolicy, TagResource, UntagResource, and AttachPolicy, which `pulumi up` does
 * from the management account) is denied, including actions AWS adds later.
 */
export const GUARDRAIL_POLICY_READ_ACTIONS: readonly string[] = ["organizations:Describe*", "organizations:List*"];

/**
 * Account-wide CloudWatch Logs settings of the monitoring account: an account policy (data protection, subscription
 * filter, transformer, field index), a resource policy, a telemetry pipeline or the storage tier reaches every log
 * group of the account, the centralized copies included, so they are denied there; and an organization's telemetry
 * evaluation is not stopped from it.
 */
export const GUARDRAIL_MONITORING_ACCOUNT_ACTIONS: readonly string[] = [
    "logs:DeleteAccountPolicy",
    "logs:DeleteResourcePolicy",
    "logs:PutAccountPolicy",
    "logs:PutPipelineRule",
    "logs:PutResourcePolicy",
    "logs:PutStorageTierPolicy",
    "observabilityadmin:StopTelemetryEvaluationForOrganization",
];

/** Tag the guardrail policy carries, so the policy protects itself without naming its own (generated) id. */
export const GUARDRAIL_TAG = { key: "orgwatch:guardrail", value: "protected" } as const;

/**
 * Tag every OAM link orgwatch creates carries (the member baseline StackSet's links and the direct links of the
 * management and log-archive accounts). `DenyLinkChanges` protects the links carrying it (`aws:ResourceTag`, which
 * the IAM catalogue lists for the OAM link resource type), in every Region and account, and no other link: an
 * application team's own links stay its own. A key of its own, not {@link GUARDRAIL_TAG}: `DenyGuardrailChanges`
 * exempts nobody, while the StackSets execution role must keep updating the links.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchobservabilityaccessmanager.html
 */
export const BASELINE_LINK_TAG = { key: "orgwatch:baseline", value: "link" } as const;

/**
 * Role name pattern of the execution role a service-managed StackSet creates in each target account. It is a
 * service role, not a service-linked one ("CloudFormation creates both the necessary service-linked role and a
 * service role named stacksets-exec-* in the target (member) accounts"), so SCPs bind it; the StackSets
 * service-linked role of the administrator account assumes it (`sts:AssumeRole` on
 * `arn:aws:iam::*:role/stacksets-exec-*`, CloudFormationStackSetsOrgAdminServiceRolePolicy).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/CloudFormationStackSetsOrgAdminServiceRolePolicy.html
 */
export const STACKSET_EXECUTION_ROLE_PATTERN = "stacksets-exec-*";

/**
 * Path prefix of the StackSets service-linked role in member accounts: its path is `aws-service-role/<service>/`
 * for the service principal `member.org.stacksets.cloudformation.amazonaws.com`.
 */
export const STACKSETS_MEMBER_PATH = "member.org.stacksets.";

/** Arguments of {@link guardrailScp}. Every name is the physical name orgwatch gives the resource (lib/naming.ts). */
export interface GuardrailScpArgs {
    readonly partition: string;
    /** The organization: links may only be created to sinks of its accounts (`aws:ResourceOrgID`). */
    readonly organizationId: string;
    /** Owns the organization trail, its log group, the alarms and the alarm topic. */
    readonly managementAccountId: string;
    /** Owns the OAM sinks, the centralized log groups, the dashboard and the centralization rule. */
    readonly monitoringAccountId: string;
    /**
     * Owns the archive buckets and the trail key: with the monitoring account, a policy target no member principal
     * attaches a policy to or detaches one from.
     * @default - only the monitoring account and the root are protected targets
     */
    readonly logArchiveAccountId?: string;
    /** Region of the trail, its log group, the alarms, the topic and the centralized log groups. */
    readonly homeRegion: string;
    /**
     * Regions with an OAM sink in the monitoring account and a link in every member account (checked; the document
     * names no Region: sinks and links are matched in every Region).
     */
    readonly governedRegions: readonly string[];
    /**
     * The organization trail's name.
     * @default - no CloudTrail resource: an adopted trail (e.g. Control Tower's) stays under its owner's controls
     */
    readonly trailName?: string;
    /** The trail's log group in the management account. */
    readonly trailLogGroupName: string;
    /**
     * Name prefixes of further governance log groups in the monitoring account's home Region (the
     * centralized copies, `<namePrefix>/central/`).
     * @default []
     */
    readonly centralLogGroupNamePrefixes?: readonly string[];
    /**
     * The governance alarms: exact names (one ARN each), or a name prefix (one `<prefix>*` ARN however many
     * alarms, for when the names do not fit the size limit).
     */
    readonly alarms: { readonly names: readonly string[] } | { readonly namePrefix: string };
    /** The alarm topic's name. */
    readonly topicName: string;
    /**
     * Dashboards of the monitoring account that show the governance alarms.
     * @default []
     */
    readonly dashboardNames?: readonly string[];
    /**
     * Log archive buckets whose configuration only the deploy roles may change. Closes the gap a bucket policy
     * leaves: S3 always lets the bucket owner's root user rewrite the bucket policy, but an SCP binds a member
     * account's root user.
     * @default []
     */
    readonly trailBucketNames?: readonly string[];
    /**
     * Aliases (`alias/...`) of the governance KMS keys: keys carrying one of them are only used for decryption by
     * member principals other than the deploy roles, and the aliases cannot be moved or deleted.
     * @default []
     */
    readonly kmsKeyAliases?: readonly string[];
    /**
     * Name prefix of orgwatch's organization-wide CloudWatch rules (the centralization rule and the telemetry
     * rules, `<prefix>-...`), protected in every account and Region (a delegated administrator manages them too).
     * @default - no rule protected
     */
    readonly organizationRuleNamePrefix?: string;
    /**
     * Name of the service-managed StackSet that deploys the member baseline. Its stacks in member accounts
     * (`StackSet-<name>-*`) and the OAM links are then changed only by the deploy roles and the StackSet's
     * execution role ({@link STACKSET_EXECUTION_ROLE_PATTERN}), which is itself protected like the deploy roles.
     * @default - no StackSet: links are changed only by the deploy roles
     */
    readonly baselineStackSetName?: string;
    /**
     * Roles exempt from the statements that protect what orgwatch deploys in member accounts (dashboard, sinks,
     * buckets, key aliases, rules, StackSet, links), matched with `ArnNotLike` on `aws:PrincipalArn` (`*` allowed
     * for the account, and `*`/`?` in the name). Include the role `pulumi up` assumes in each member account it
     * writes into, or `pulumi up` itself is denied there; roles of the management account need no exemption (no
     * SCP binds them) and are left out of the conditions. The same ARNs can be neither changed, assumed nor
     * passed by any member principal, so the exemption cannot be taken over. Empty: the statements deny everyone
     * in member accounts (changes then need the policy detached first).
     */
    readonly deployRoleArns: readonly string[];
}

/**
 * The monitoring guardrail service control policy: denies, to every principal of the member accounts, the
 * actions that would switch monitoring off, blind it, forge what it records or take over the exemptions.
 * The whole guardrail in one document, whatever its size: {@link guardrailScps} gives the SCPs to attach.
 *
 * Statements (each built from action families, `NotAction` the reads, so actions AWS adds later are denied):
 * - `DenyMonitoringChanges`: what orgwatch deploys into member accounts (dashboards, sinks, buckets, key
 *   aliases, organization rules, the StackSet); the deploy roles are exempt.
 * - `DenyLinkChanges`: the OAM links carrying {@link BASELINE_LINK_TAG} (orgwatch's, in any Region and account);
 *   the deploy roles and the StackSet execution role are exempt. Other links are not touched.
 * - `DenyBaselineChanges`: the baseline StackSet's stacks; the deploy roles and the StackSet execution role are
 *   exempt.
 * - `DenyAuditChanges`: what no member principal ever changes (trail, trail log group, centralized log groups,
 *   alarms, topic and subscriptions, and the exempt roles themselves: no change, `sts:AssumeRole` or
 *   `iam:PassRole` by anyone in a member account); nobody is exempt.
 * - `DenyGovernanceKeyChanges` (when `kmsKeyAliases` is given): keys matched by alias, not by ARN.
 * - `DenyLinksOutsideOrganization`: `oam:CreateLink` only to sinks of the organization.
 * - `DenyGuardrailChanges`: the guardrail policy (found by {@link GUARDRAIL_TAG}) cannot be detached, changed,
 *   re-tagged or deleted from a member account (where SCP management is delegated).
 * - `DenyMonitoringAccountPolicies`: account-wide log policies of the monitoring account, and stopping the
 *   organization's telemetry evaluation from it; the deploy roles are exempt.
 * - `DenyOrganizationEscape`: leaving the organization, closing an account from inside it, moving an account,
 *   disabling a policy type or StackSets' trusted access; nobody is exempt.
 *
 * Pairing every action with every resource of a statement is harmless, because each action is authorized
 * against ARNs of its own service and resource type only. SCPs take no `Principal`; who is exempt is a condition
 * on `aws:PrincipalArn`. SCPs never restrict the management account, service-linked roles or AWS service
 * principals; they do restrict delegated administrators, which are member accounts.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
export function guardrailScp(a: GuardrailScpArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireOrganizationId("organizationId", a.organizationId);
    requireAccountId("managementAccountId", a.managementAccountId);
    requireAccountId("monitoringAccountId", a.monitoringAccountId);
    if (a.logArchiveAccountId !== undefined) requireAccountId("logArchiveAccountId", a.logArchiveAccountId);
    requireRegion("homeRegion", a.homeRegion);
    requireNonEmptyList("governedRegions", a.governedRegions);
    a.governedRegions.forEach((r, i) => requireRegion(`governedRegions[${i}]`, r));
    if (a.trailName !== undefined) requireTrailName("trailName", a.trailName);
    requireLogGroupName("trailLogGroupName", a.trailLogGroupName);
    (a.centralLogGroupNamePrefixes ?? []).forEach((p, i) => requireLogGroupName(`centralLogGroupNamePrefixes[${i}]`, p));
    if ("namePrefix" in a.alarms) requireAlarmName("alarms.namePrefix", a.alarms.namePrefix);
    else a.alarms.names.forEach((n, i) => requireAlarmName(`alarms.names[${i}]`, n));
    requireTopicName("topicName", a.topicName);
    (a.dashboardNames ?? []).forEach((d, i) => requireDashboardName(`dashboardNames[${i}]`, d));
    (a.trailBucketNames ?? []).forEach((b, i) => requireBucketName(`trailBucketNames[${i}]`, b));
    (a.kmsKeyAliases ?? []).forEach((k, i) => requireAlias(`kmsKeyAliases[${i}]`, k));
    if (a.organizationRuleNamePrefix !== undefined) requireResourceName("organizationRuleNamePrefix", a.organizationRuleNamePrefix);
    if (a.baselineStackSetName !== undefined) requireStackSetName("baselineStackSetName", a.baselineStackSetName);
    a.deployRoleArns.forEach((r, i) => requireRolePattern(`deployRoleArns[${i}]`, r, a.partition));

    const p = a.partition;
    const home = a.homeRegion;
    const mgmt = a.managementAccountId;
    const mon = a.monitoringAccountId;
    const deployRoles = unique(a.deployRoleArns);
    const executionRole = a.baselineStackSetName !== undefined ? [`arn:${p}:iam::*:role/${STACKSET_EXECUTION_ROLE_PATTERN}`] : [];
    const aliases = unique(a.kmsKeyAliases ?? []);
    const reads = (...services: (keyof typeof GUARDRAIL_READ_ACTIONS)[]): string[] => services.flatMap((s) => GUARDRAIL_READ_ACTIONS[s]);
    // A role of the management account is never bound by an SCP, so it needs no exemption (it is still protected
    // as a resource: member principals neither assume nor pass it).
    const unless = (roles: readonly string[]): PolicyCondition => {
        const bound = roles.filter((r) => r.split(":")[4] !== mgmt);
        return bound.length > 0 ? { ArnNotLike: { "aws:PrincipalArn": bound } } : {};
    };
    const statements: PolicyStatement[] = [];

    // What orgwatch deploys into member accounts through the deploy roles.
    // Dashboards are global resources (no Region in the ARN); sinks have generated ids, one per Region (every
    // Region's sinks of the monitoring account are protected, so one ARN serves any number of governed Regions).
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchobservabilityaccessmanager.html
    const deployed = [
        ...unique(a.dashboardNames ?? []).map((d) => `arn:${p}:cloudwatch::${mon}:dashboard/${d}`),
        `arn:${p}:oam:*:${mon}:sink/*`,
        ...unique(a.trailBucketNames ?? []).map((b) => `arn:${p}:s3:::${b}`),
        // The aliases are protected so they cannot be moved off the keys (which would lift the key statement).
        ...aliases.map((k) => `arn:${p}:kms:*:*:${k}`),
        // organization-centralization-rule/ and organization-telemetry-rule/, in any account (the management
        // account or a delegated administrator) and Region. Each resource type is spelt out: IAM allows no wildcard
        // in the resource-type part of an ARN ("Incorrect wildcard usage").
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchobservabilityadminservice.html
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
        ...(a.organizationRuleNamePrefix !== undefined
            ? ["centralization", "telemetry"].map((t) => `arn:${p}:observabilityadmin:*:*:organization-${t}-rule/${a.organizationRuleNamePrefix}*`)
            : []),
        // The StackSet in its administrator account (management or delegated administrator): `stackset/<name>:<id>`.
        ...(a.baselineStackSetName !== undefined ? [`arn:${p}:cloudformation:*:*:stackset/${a.baselineStackSetName}:*`] : []),
        // An exemption by role name is only as strong as the member principals' inability to create, re-trust,
        // re-permission, assume or pass that role; Control Tower protects its roles the same way (CT.IAM.PV.1).
        // The exempt roles themselves may (a deploy role in a member account assumes the member roles).
        // https://docs.aws.amazon.com/controltower/latest/controlreference/ct-iam-pv-1.html
        ...deployRoles,
        ...executionRole,
        // The StackSets service-linked role in member accounts, through which service-managed StackSets deploy
        // there: deleting it (iam:DeleteServiceLinkedRole) breaks the member baseline.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
        // (`member.org.stacksets.*` is that service's path alone: no other service principal starts so.)
        ...(a.baselineStackSetName !== undefined ? [`arn:${p}:iam::*:role/aws-service-role/${STACKSETS_MEMBER_PATH}*`] : []),
    ];
    // oam:CreateLink authorizes against the sink: it stays allowed here (DenyLinksOutsideOrganization limits it).
    statements.push(denyAllBut("DenyMonitoringChanges", [...reads("cloudformation", "cloudwatch", "iam", "oam", "observabilityadmin", "s3"), "oam:CreateLink"], deployed, unless(deployRoles)));

    // orgwatch's links carry BASELINE_LINK_TAG: one ARN pattern for every Region and account, narrowed by the tag,
    // so links a team makes to a sink of its own are not touched. The tag is on the link when UpdateLink, DeleteLink,
    // TagResource or UntagResource is authorized, so removing or overwriting it is denied with the rest; adding it to
    // a link (or creating a link with it: oam:CreateLink authorizes against the sink) only gives up control of that
    // link. Every value counts (`Null`), not only orgwatch's.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
    statements.push(
        denyAllBut("DenyLinkChanges", reads("oam"), [`arn:${p}:oam:*:*:link/*`], {
            Null: { [`aws:ResourceTag/${BASELINE_LINK_TAG.key}`]: "false" },
            ...unless([...deployRoles, ...executionRole]),
        }),
    );
    // The StackSet's stacks are named StackSet-<StackSet name>-<id>, in every member account.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html
    const baseline = a.baselineStackSetName !== undefined ? [`arn:${p}:cloudformation:*:*:stack/StackSet-${a.baselineStackSetName}-*`] : [];
    statements.push(denyAllBut("DenyBaselineChanges", reads("cloudformation"), baseline, unless([...deployRoles, ...executionRole])));

    // What no member principal changes. The trail ARN names the management account even when a CloudTrail
    // delegated administrator (a member account) manages the trail. CloudWatch Logs authorizes some actions on
    // `log-group:<name>` and others on `log-group:<name>:*` (streams, filters), so both forms are listed; a
    // prefix pattern ending in `*` covers both. Unsubscribe and SetSubscriptionAttributes name the subscription,
    // `<topic ARN>:<subscription id>`.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html
    // https://docs.aws.amazon.com/sns/latest/api/API_Unsubscribe.html
    const trailGroup = `arn:${p}:logs:${home}:${mgmt}:log-group:${a.trailLogGroupName}`;
    const alarmArn = (name: string): string => `arn:${p}:cloudwatch:${home}:${mgmt}:alarm:${name}`;
    const topic = `arn:${p}:sns:${home}:${mgmt}:${a.topicName}`;
    const audit = [
        ...(a.trailName !== undefined ? [`arn:${p}:cloudtrail:${home}:${mgmt}:trail/${a.trailName}`] : []),
        // `<name>*` covers `<name>` and `<name>:*` (and longer names of the management account, which no member
        // principal reaches but a delegated administrator).
        `${trailGroup}*`,
        ...unique(a.centralLogGroupNamePrefixes ?? []).map((prefix) => `arn:${p}:logs:${home}:${mon}:log-group:${prefix}*`),
        ...("namePrefix" in a.alarms ? [alarmArn(`${a.alarms.namePrefix}*`)] : unique(a.alarms.names).map(alarmArn)),
        topic,
        `${topic}:*`,
    ];
    statements.push(denyAllBut("DenyAuditChanges", reads("cloudtrail", "cloudwatch", "logs", "sns"), audit, {}));

    if (aliases.length > 0) {
        // Key ids are generated, so the keys are matched by their aliases (kms:ResourceAliases).
        // https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
        statements.push(
            denyAllBut("DenyGovernanceKeyChanges", GUARDRAIL_KEY_READ_ACTIONS, ["*"], { "ForAnyValue:StringEquals": { "kms:ResourceAliases": aliases }, ...unless(deployRoles) }),
        );
    }
    // oam:CreateLink authorizes against the sink, so aws:ResourceOrgID is the sink owner's organization; the key is
    // absent for an account outside any organization, which StringNotEquals also denies.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
    statements.push(denyActions("DenyLinksOutsideOrganization", ["oam:CreateLink"], ["*"], { StringNotEquals: { "aws:ResourceOrgID": a.organizationId } }));
    // The policy cannot name its own id (the id exists only once the content is saved), so it carries a tag; the
    // tag itself is protected by the same statement (TagResource/UntagResource on the tagged policy).
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_tagging_abac.html
    statements.push(denyAllBut("DenyGuardrailChanges", GUARDRAIL_POLICY_READ_ACTIONS, ["*"], { StringEquals: { [`aws:ResourceTag/${GUARDRAIL_TAG.key}`]: GUARDRAIL_TAG.value } }));
    // A delegated administrator of Organizations policies (a member account) could otherwise silence what no
    // statement above names: a resource control policy binds AWS service principals (CloudTrail's delivery to the
    // archive, OAM), so no member principal creates, changes, attaches or enables one: every Organizations action
    // whose organizations:PolicyType is RESOURCE_CONTROL_POLICY is denied (CreatePolicy, UpdatePolicy, AttachPolicy,
    // EnablePolicyType carry the key; detaching or deleting an RCP is denied with them, which only the management
    // account then does; `organizations:*` keeps the statement small); nor attaches a policy to, or detaches one from,
    // the root or the governance accounts (a new SCP there, FullAWSAccess removed); nor detaches FullAWSAccess
    // anywhere (every target it leaves is denied everything, the member baseline's execution role included).
    // OUs are not named (their ids are not in the config): a policy attached to an OU above a governance account
    // is detected (CIS organizations changes), not prevented.
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
    statements.push(
        denyActions("DenyRcps", ["organizations:*"], ["*"], {
            StringEquals: { "organizations:PolicyType": "RESOURCE_CONTROL_POLICY" },
        }),
    );
    const targets = [
        `arn:${p}:organizations::*:root/*`,
        ...unique([a.logArchiveAccountId, mon].filter((x): x is string => x !== undefined)).map((id) => `arn:${p}:organizations::*:account/*/${id}`),
        `arn:${p}:organizations::aws:policy/*/p-FullAWSAccess`,
    ];
    // Every Organizations write on those targets (attaching, detaching, tagging, closing or removing the account,
    // registering it as a delegated administrator, enabling a policy type on the root); reads stay allowed.
    statements.push(denyAllBut("DenyTargetChanges", ["organizations:Describe*", "organizations:List*"], targets, {}));
    statements.push(
        // Only the deploy roles that can be principals of the monitoring account need the exemption here.
        denyActions("DenyMonitoringAccountPolicies", GUARDRAIL_MONITORING_ACCOUNT_ACTIONS, ["*"], {
            StringEquals: { "aws:PrincipalAccount": mon },
            ...unless(deployRoles.filter((r) => [mon, "*"].includes(r.split(":")[4] ?? ""))),
        }),
    );
    // Nobody, deploy roles included: an account that leaves takes itself out of every guardrail and log, one
    // moved out of the targets takes itself out of the guardrails (orgwatch moves no account; an account is
    // created in its OU by the management account), disabling the SCP policy type on the root detaches every
    // SCP at once, and deactivating StackSets' trusted access stops every service-managed StackSet.
    // Closing an account from inside it (`account:CloseAccount`, the account's root user on its Account page, or
    // Account Management's delegated administrator) has the effect of leaving: the account is suspended and its
    // resources, the archive's included, are deleted after the post-closure period; it is denied for every account
    // (Resource `*` costs less than naming the governance accounts), and the management account still closes
    // accounts through AWS Organizations (`organizations:CloseAccount`, denied to member principals on the
    // governance accounts by DenyTargetChanges). The IAM catalogue has no other account-closing action.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeactivateOrganizationsAccess.html
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_best-practices_mgmt-acct.html
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_close.html
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsaccountmanagement.html
    statements.push(
        denyActions(
            "DenyOrganizationEscape",
            ["account:CloseAccount", "cloudformation:DeactivateOrganizationsAccess", "organizations:DisablePolicyType", "organizations:LeaveOrganization", "organizations:MoveAccount"],
            ["*"],
            {},
        ),
    );

    return { Version: POLICY_VERSION, Statement: statements.filter((s) => s.Resource !== undefined && list(s.Resource).length > 0) };
}

/**
 * The guardrail as the service control policies orgwatch attaches: {@link guardrailScp}'s document when it fits
 * in {@link SCP_MAX_SIZE}, else its statements split first-fit, in their order, into as few documents as that
 * takes, at most {@link GUARDRAIL_MAX_POLICIES}. Throws a {@link UserError} naming the sizes when they do not fit.
 */
export function guardrailScps(a: GuardrailScpArgs): PolicyDocument[] {
    return splitGuardrail(guardrailScp(a));
}

/**
 * At most this many guardrail SCPs: a target takes {@link SCP_MAX_PER_TARGET}, `FullAWSAccess` is one of them.
 * (A target that carries further SCPs of its own fails at `pulumi up`, docs/SECURITY.md.)
 */
export const GUARDRAIL_MAX_POLICIES = SCP_MAX_PER_TARGET - 1;

/** The statement every part of a split guardrail carries, so that each part protects all of them. */
const SELF_PROTECTION_SID = "DenyGuardrailChanges";

/**
 * Splits a document into SCPs of at most {@link SCP_MAX_SIZE}: the document itself when it fits (so a guardrail that
 * fits keeps its one policy); else each statement, in order, goes into the first document it still fits in, or
 * starts a new one. Every document is attached where the first one is, and AWS Organizations evaluates every SCP
 * of a target (an explicit deny in any one denies), so the split changes no decision. Every document also carries
 * `DenyGuardrailChanges` (in its place in the order): each part denies detaching, changing or deleting any part,
 * so no part is left unprotected once another is detached.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export function splitGuardrail(doc: PolicyDocument): PolicyDocument[] {
    if (guardrailScpSize(doc) <= SCP_MAX_SIZE) return [doc];
    const guard = doc.Statement.find((st) => st.Sid === SELF_PROTECTION_SID);
    const order = (st: PolicyStatement): number => doc.Statement.indexOf(st);
    const withGuard = (st: readonly PolicyStatement[]): PolicyStatement[] => (guard === undefined ? [...st] : [...st, guard].sort((x, y) => order(x) - order(y)));
    const docs: PolicyStatement[][] = [];
    const sizeOf = (st: readonly PolicyStatement[]): number => guardrailScpSize({ Version: doc.Version, Statement: withGuard(st) });
    const tooLarge = (received: string): never => {
        throw new UserError("The monitoring guardrail policy is too large for the service control policies a target takes", [
            {
                path: CONFIG_PATH,
                allowed: `at most ${GUARDRAIL_MAX_POLICIES} policies of at most ${SCP_MAX_SIZE} characters each (fewer deploy roles, or alarms matched by name prefix)`,
                received,
            },
        ]);
    };
    for (const st of doc.Statement) {
        if (st === guard) continue;
        // With DenyGuardrailChanges, which every part carries.
        const alone = sizeOf([st]);
        if (alone > SCP_MAX_SIZE) tooLarge(`statement ${st.Sid} of ${alone} characters on its own (${guardrailScpSize(doc)} in all)`);
        const fits = docs.find((d) => sizeOf([...d, st]) <= SCP_MAX_SIZE);
        if (fits !== undefined) fits.push(st);
        else docs.push([st]);
    }
    if (docs.length > GUARDRAIL_MAX_POLICIES) tooLarge(`${docs.length} policies of ${docs.map(sizeOf).join(", ")} characters (${guardrailScpSize(doc)} in one document)`);
    return docs.map((d) => ({ Version: doc.Version, Statement: withGuard(d) }));
}

/** Denies every action on `resource` except `reads` (NotAction). */
function denyAllBut(sid: string, reads: readonly string[], resource: readonly string[], condition: PolicyCondition): PolicyStatement {
    return statement(sid, { NotAction: one(unique(reads).sort()) }, resource, condition);
}

/** Denies exactly `actions` on `resource`. */
function denyActions(sid: string, actions: readonly string[], resource: readonly string[], condition: PolicyCondition): PolicyStatement {
    return statement(sid, { Action: one(unique(actions).sort()) }, resource, condition);
}

function statement(sid: string, actions: Pick<PolicyStatement, "Action" | "NotAction">, resource: readonly string[], condition: PolicyCondition): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Deny",
        ...actions,
        ...(resource.length > 0 ? { Resource: one(unique(resource)) } : {}),
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
    };
}

function one(v: readonly string[]): string | readonly string[] {
    return v.length === 1 ? v[0] : [...v];
}

function list(v: string | readonly string[]): readonly string[] {
    return typeof v === "string" ? [v] : v;
}

/** Size AWS Organizations counts for the document as orgwatch submits it: UTF-8 bytes of its compact JSON. */
export function guardrailScpSize(doc: PolicyDocument): number {
    return new TextEncoder().encode(policyJson(doc)).length;
}

function fail(name: string, allowed: string, value: unknown): never {
    throw new Error(`${name} must be ${allowed}; received ${JSON.stringify(value)}`);
}

/** CloudWatch alarm names: 1-255 characters, no control characters; `*`/`?` would widen the ARN. */
function requireAlarmName(name: string, value: string): void {
    const control = [...value].some((c) => c.charCodeAt(0) < 0x20);
    if (!/^[^*?]{1,255}$/.test(value) || control) fail(name, "a CloudWatch alarm name without wildcards", value);
}

/** SNS topic names: 1-256 letters, digits, '_' and '-' (plus `.fifo`). */
function requireTopicName(name: string, value: string): void {
    if (!/^[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value)) fail(name, "an SNS topic name", value);
}

function requireAlias(name: string, value: string): void {
    if (!/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(value) || value.startsWith("alias/aws/")) fail(name, "a customer managed KMS alias (alias/...)", value);
}

/** A role ARN or pattern: 12-digit account or `*`, name with optional `*`/`?` wildcards. */
function requireRolePattern(name: string, value: string, partition: string): void {
    const escaped = partition.replace(/-/g, "\\-");
    if (!new RegExp(`^arn:${escaped}:iam::(\\d{12}|\\*):role/[\\w+=,.@/*?-]{1,512}$`).test(value)) {
        fail(name, `an IAM role ARN or pattern such as arn:${partition}:iam::*:role/OrganizationAccountAccessRole`, value);
    }
}

/** CloudWatch dashboard names: up to 255 letters, digits, '-' and '_'. */
function requireDashboardName(name: string, value: string): void {
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(value)) fail(name, "a CloudWatch dashboard name", value);
}

/** A resource name or name prefix used in an ARN pattern: letters, digits, '-', '_', '.', no wildcards. */
function requireResourceName(name: string, value: string): void {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(value)) fail(name, "a name of letters, digits, '.', '_' and '-' without wildcards", value);
}

/** CloudFormation StackSet names: a letter, then up to 127 letters, digits and '-'. */
function requireStackSetName(name: string, value: string): void {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value)) fail(name, "a CloudFormation StackSet name", value);
}
