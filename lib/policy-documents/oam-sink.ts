import { POLICY_VERSION, type PolicyDocument } from "./types";
import { STACKSET_EXECUTION_ROLE_PATTERN } from "./guardrail-scp";
import { requireNonEmptyList, requireOrganizationId, requirePartition, unique } from "./validate";

/** Resource types a source account can share through a CloudWatch cross-account observability link. */
export const OAM_RESOURCE_TYPES = [
    "AWS::CloudWatch::Metric",
    "AWS::Logs::LogGroup",
    "AWS::XRay::Trace",
    "AWS::ApplicationInsights::Application",
    "AWS::InternetMonitor::Monitor",
    "AWS::ApplicationSignals::Service",
    "AWS::ApplicationSignals::ServiceLevelObjective",
] as const;

/** Arguments of {@link oamSinkPolicy}. */
export interface OamSinkPolicyArgs {
    readonly partition: string;
    readonly organizationId: string;
    /**
     * The roles that create orgwatch's direct links (the management account's deploy roles, the member role in the
     * log archive account): ARNs or `ArnLike` patterns. The StackSets execution role (`stacksets-exec-*`, any
     * account) is always admitted: it creates the member baseline's links.
     */
    readonly linkCreatorArns: readonly string[];
    /**
     * Accounts any principal of which may create a link: the management account, whose link orgwatch creates
     * with whatever credentials `pulumi up` runs with there (an SSO role, a deploy role, a user). No SCP binds
     * the management account, so its principals could make such a link in any case.
     * @default []
     */
    readonly linkCreatorAccountIds?: readonly string[];
    /** What linked accounts may share (subset of {@link OAM_RESOURCE_TYPES}). */
    readonly resourceTypes: readonly string[];
}

/**
 * Sink policy of the monitoring account's OAM sink: orgwatch's link creators in accounts of the organization may
 * create or update a link that shares only the listed resource types. Statement: `OrganizationAccountsLink`.
 *
 * Only orgwatch's creators (`aws:PrincipalArn`): a source account links to a monitoring account once ("Each source
 * account can be linked to as many as five monitoring accounts", CreateLink), so a link an account administrator
 * made first would hold the account's place at orgwatch's sink, sharing less (a resource type, a
 * `LinkConfiguration` filter that drops every log group) and making orgwatch's own link fail. `aws:PrincipalArn` is
 * a global condition key, "included in the request context for all signed requests", so a resource policy such as
 * a sink policy compares it like `aws:PrincipalOrgID` (the key the CloudWatch guide's sink policy uses); for a role
 * session it is the role's ARN.
 * https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 * https://docs.aws.amazon.com/OAM/latest/APIReference/API_PutSinkPolicy.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account-Setup.html
 */
export function oamSinkPolicy(a: OamSinkPolicyArgs): PolicyDocument {
    requirePartition("partition", a.partition);
    requireOrganizationId("organizationId", a.organizationId);
    requireNonEmptyList("resourceTypes", a.resourceTypes);
    a.linkCreatorArns.forEach((arn, i) => {
        if (!new RegExp(`^arn:${a.partition}:iam::(\\d{12}|\\*):role/[\\w+=,.@/*?-]{1,512}$`).test(arn)) {
            throw new Error(`linkCreatorArns[${i}] must be an IAM role ARN or pattern; received ${JSON.stringify(arn)}`);
        }
    });
    (a.linkCreatorAccountIds ?? []).forEach((id, i) => {
        if (!/^\d{12}$/.test(id)) throw new Error(`linkCreatorAccountIds[${i}] must be a 12-digit account id; received ${JSON.stringify(id)}`);
    });
    // aws:PrincipalArn of an assumed-role session is its role's ARN; `arn:<p>:iam::<account>:*` is every role, user
    // and the root user of that account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
    const creators = unique([
        `arn:${a.partition}:iam::*:role/${STACKSET_EXECUTION_ROLE_PATTERN}`,
        ...a.linkCreatorArns,
        ...(a.linkCreatorAccountIds ?? []).map((id) => `arn:${a.partition}:iam::${id}:*`),
    ]);
    a.resourceTypes.forEach((t, i) => {
        if (!(OAM_RESOURCE_TYPES as readonly string[]).includes(t)) {
            throw new Error(`resourceTypes[${i}] must be one of ${OAM_RESOURCE_TYPES.join(", ")}; received ${JSON.stringify(t)}`);
        }
    });
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "OrganizationAccountsLink",
                Effect: "Allow",
                Principal: "*",
                Action: ["oam:CreateLink", "oam:UpdateLink"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:PrincipalOrgID": a.organizationId },
                    ArnLike: { "aws:PrincipalArn": creators.length === 1 ? creators[0] : creators },
                    // ForAllValues: every type the link asks for must be in the list.
                    "ForAllValues:StringEquals": { "oam:ResourceTypes": unique(a.resourceTypes) },
                },
            },
        ],
    };
}
