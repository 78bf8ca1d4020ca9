/**
 * The CIS AWS Foundations Benchmark monitoring controls (CloudWatch Logs metric filters on the
 * CloudTrail log group), as data. One entry per control; one loop elsewhere turns them into
 * metric filters and alarms.
 *
 * Pattern texts are the product's own data, copied byte for byte from their publications:
 * - `security-hub`: the text AWS Security Hub checks for controls CloudWatch.1-14 (AWS Security Hub
 *   user guide, "Amazon CloudWatch controls",
 *   https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html). Security Hub
 *   compares the filter text exactly, so this is the default wherever it exists.
 * - `cis`: the base pattern printed by the CIS benchmark for the recommendation. For 15 (AWS
 *   Organizations changes, no Security Hub control) it is the CIS v1.5.0 text of 4.15.
 * - further variants name their source in `variantSources`.
 *
 * The fixture tests (tests/lib/cis) check these texts against an independent copy and check every
 * variant against 311 real CloudTrail records.
 *
 * The policy pack owns this module because the pack must load from its own directory (what `pulumi
 * policy publish` uploads); the program reads it through lib/cis (docs/adr/0002-policy-pack-artifact.md).
 */

/** Recommendation numbers of one control in each family of CIS benchmark versions. */
export interface CisNumbers {
    /** CIS AWS Foundations v1.2.0 / v1.3.0 (section 3). */
    readonly "v1.2-v1.3": string | null;
    /** CIS AWS Foundations v1.4.0 to v3.0.0 (section 4). */
    readonly "v1.4-v3.0": string | null;
    /** CIS AWS Foundations v4.0.x / v5.0.0 (section 4). */
    readonly "v4-v5": string | null;
}

export interface CisControl {
    /** Stable kebab-case id, used in resource names and config keys. */
    readonly id: string;
    /** Category number 1..15 (numbering of the CloudTrail fixtures). */
    readonly category: number;
    readonly title: string;
    /** Recommendation numbers per CIS version family; null where the version has no such recommendation. */
    readonly cis: CisNumbers;
    /** AWS Security Hub control id (`CloudWatch.N`), or null when Security Hub has none. */
    readonly securityHubControl: string | null;
    /** Name of the variant used when the user does not choose one. */
    readonly defaultVariant: string;
    /** Variant name → exact filter pattern text. */
    readonly variants: Readonly<Record<string, string>>;
    /** Variant name → where the text comes from and how it differs. */
    readonly variantSources: Readonly<Record<string, string>>;
    /** CloudWatch metric name (PascalCase of `id`). */
    readonly metricName: string;
    /** Why it matters. */
    readonly rationale: string;
    /** What the default pattern catches, in a few words. */
    readonly catches: string;
}

/** CloudWatch metric name for a control id: `unauthorized-api-calls` → `UnauthorizedApiCalls`. */
export function metricNameOf(id: string): string {
    return id
        .split("-")
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join("");
}

const SH = "AWS Security Hub user guide, Amazon CloudWatch controls (exact text Security Hub checks)";
const CIS_BASE = "CIS AWS Foundations Benchmark base pattern (v1.2.0 onwards)";

function numbers(n: number, since14Only = false): CisNumbers {
    return {
        "v1.2-v1.3": since14Only ? null : `3.${n}`,
        "v1.4-v3.0": `4.${n}`,
        "v4-v5": `4.${n}`,
    };
}

type ControlInput = Omit<CisControl, "metricName">;

function control(input: ControlInput): CisControl {
    return Object.freeze({
        ...input,
        variants: Object.freeze({ ...input.variants }),
        variantSources: Object.freeze({ ...input.variantSources }),
        cis: Object.freeze({ ...input.cis }),
        metricName: metricNameOf(input.id),
    });
}

/** Builds a control whose Security Hub text equals the CIS base text. */
function shared(
    category: number,
    securityHubControl: string,
    id: string,
    title: string,
    pattern: string,
    catches: string,
    rationale: string,
): CisControl {
    return control({
        id,
        category,
        title,
        cis: numbers(category),
        securityHubControl,
        defaultVariant: "security-hub",
        variants: { "security-hub": pattern, cis: pattern },
        variantSources: { "security-hub": SH, cis: CIS_BASE },
        catches,
        rationale,
    });
}

const UNAUTHORIZED_API_CALLS = control({
    id: "unauthorized-api-calls",
    category: 1,
    title: "Unauthorized API calls",
    cis: numbers(1),
    securityHubControl: "CloudWatch.2",
    defaultVariant: "security-hub",
    variants: {
        "security-hub": '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
        cis: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
        "cis-v2-v3-exclusions":
            '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
        "cis-v4-v5-exclusions":
            '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
        "exclusions-parenthesized":
            '{(($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && (($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket"))}',
    },
    variantSources: {
        "security-hub": SH,
        cis: CIS_BASE,
        "cis-v2-v3-exclusions":
            "CIS v2.0.0/v3.0.0 4.1 text with exclusions. With precedence () > && > ||, the exclusions apply " +
            "only to AccessDenied*: every *UnauthorizedOperation error still matches.",
        "cis-v4-v5-exclusions":
            "CIS v4.0/v5.0 4.1 text as reproduced by turbot/steampipe-mod-aws-compliance " +
            "(cis_v400/docs/cis_v400_4_1.md, cis_v500/docs/cis_v500_4_1.md); same logic as the v2/v3 text, " +
            "different spacing.",
        "exclusions-parenthesized":
            "Parenthesized form applying both exclusions to both error codes (widely used, e.g. " +
            "terraform-aws-modules cis-alarms). Not confirmed as a CIS-published text; Security Hub does not " +
            "accept it for CloudWatch.2.",
    },
    catches: "API calls refused with an *UnauthorizedOperation or AccessDenied* error code",
    rationale:
        "Repeated refused calls reveal stolen or misused credentials probing for permissions, and " +
        "misconfigured automation, early.",
});

const CONSOLE_SIGNIN_WITHOUT_MFA = control({
    id: "console-signin-without-mfa",
    category: 2,
    title: "Management console sign-in without MFA",
    cis: numbers(2),
    securityHubControl: "CloudWatch.3",
    defaultVariant: "security-hub",
    variants: {
        "security-hub":
            '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
        cis: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }',
    },
    variantSources: {
        "security-hub":
            `${SH}. Also the optional CIS 3.2/4.2 pattern that reduces false positives from SSO ` +
            "(federated) sign-ins: only successful IAM-user sign-ins.",
        cis: `${CIS_BASE}; also matches root, federated and failed sign-ins without MFA.`,
    },
    catches: "successful IAM-user console sign-ins without MFA",
    rationale:
        "A console session protected by a password alone is the easiest account takeover path; each one " +
        "shows a user who still lacks MFA.",
});

// Security Hub numbers root usage CloudWatch.1 although it is CIS 3.3 / 4.3.
const ROOT_ACCOUNT_USAGE = shared(
    3,
    "CloudWatch.1",
    "root-account-usage",
    "Usage of the root user",
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    "calls made directly by the root user (not by an AWS service on its behalf)",
    "The root user cannot be restricted by IAM policies; any use of it should be rare, planned and visible.",
);

const IAM_POLICY_CHANGES = shared(
    4,
    "CloudWatch.4",
    "iam-policy-changes",
    "IAM policy changes",
    "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}",
    "creation, change, attachment and deletion of IAM policies (inline and managed)",
    "Policy changes alter who may do what; an unexpected one can grant an attacker persistence or escalate privileges.",
);

const CLOUDTRAIL_CONFIG_CHANGES = shared(
    5,
    "CloudWatch.5",
    "cloudtrail-config-changes",
    "CloudTrail configuration changes",
    "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}",
    "creating, updating or deleting a trail, and starting or stopping its logging",
    "Stopping or redirecting the audit trail is a classic first step to hide later activity.",
);

const CONSOLE_AUTH_FAILURES = shared(
    6,
    "CloudWatch.6",
    "console-auth-failures",
    "Management console authentication failures",
    '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
    "console sign-ins rejected with \"Failed authentication\"",
    "Bursts of failed sign-ins point to password guessing and give the source addresses to block.",
);

const CMK_DISABLE_OR_DELETION = shared(
    7,
    "CloudWatch.7",
    "cmk-disable-or-deletion",
    "Disabling or scheduled deletion of customer managed KMS keys",
    "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}",
    "DisableKey and ScheduleKeyDeletion calls on AWS KMS",
    "Data encrypted under a disabled or deleted key becomes unreadable; this is both a sabotage and a ransom technique.",
);

const S3_BUCKET_POLICY_CHANGES = shared(
    8,
    "CloudWatch.8",
    "s3-bucket-policy-changes",
    "S3 bucket policy changes",
    "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}",
    "changes to bucket ACLs, policies, CORS, lifecycle and replication on Amazon S3",
    "A changed bucket policy or ACL can expose data publicly or to another account within seconds.",
);

const CONFIG_CHANGES = shared(
    9,
    "CloudWatch.9",
    "config-changes",
    "AWS Config configuration changes",
    "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}",
    "stopping or changing the AWS Config recorder and delivery channel",
    "AWS Config records resource history for audits and investigations; turning it off removes that evidence.",
);

const SECURITY_GROUP_CHANGES = shared(
    10,
    "CloudWatch.10",
    "security-group-changes",
    "Security group changes",
    "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}",
    "creating, deleting and changing the rules of EC2 security groups",
    "Security groups are the instance firewall; an opened rule can expose a service to the internet.",
);

const NACL_CHANGES = shared(
    11,
    "CloudWatch.11",
    "nacl-changes",
    "Network ACL changes",
    "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}",
    "creating, deleting and changing network ACLs, their entries and associations",
    "Network ACLs filter subnet traffic; a changed entry can silently open or cut a network path.",
);

const NETWORK_GATEWAY_CHANGES = shared(
    12,
    "CloudWatch.12",
    "network-gateway-changes",
    "Network gateway changes",
    "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}",
    "creating, attaching, detaching and deleting internet and customer gateways",
    "Gateways decide which traffic can leave or enter a VPC; a new one can open an unreviewed path.",
);

const ROUTE_TABLE_CHANGES = control({
    id: "route-table-changes",
    category: 13,
    title: "Route table changes",
    cis: numbers(13),
    securityHubControl: "CloudWatch.13",
    defaultVariant: "security-hub",
    variants: {
        "security-hub":
            "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
        cis: "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}",
        "cis-v2-v3-event-source":
            "{($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }",
    },
    variantSources: {
        "security-hub": SH,
        cis: CIS_BASE,
        "cis-v2-v3-event-source":
            "CIS v2.0.0/v3.0.0 4.13 text, restricted to eventSource ec2.amazonaws.com (ignores same-named calls of other services).",
    },
    catches: "creating, changing, (dis)associating and deleting VPC route tables and routes",
    rationale: "Routes decide where VPC traffic goes; a changed route can divert traffic around inspection.",
});

const VPC_CHANGES = shared(
    14,
    "CloudWatch.14",
    "vpc-changes",
    "VPC changes",
    "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}",
    "creating, deleting and changing VPCs, peering connections and ClassicLink",
    "New VPCs and peering connections create network paths between environments that were meant to be separate.",
);

const ORGANIZATIONS_CHANGES = control({
    id: "organizations-changes",
    category: 15,
    title: "AWS Organizations changes",
    // Added in CIS v1.5.0 (v1.4.0 has no 4.15); no Security Hub control exists for it.
    cis: numbers(15, true),
    securityHubControl: null,
    defaultVariant: "cis",
    variants: {
        cis: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
    },
    variantSources: {
        cis: "CIS AWS Foundations v1.5.0 recommendation 4.15 (introduced in v1.5.0).",
    },
    catches: "changes to the organization: accounts, organizational units, policies, handshakes",
    rationale:
        "Organization changes move accounts, detach guardrail policies or remove accounts from central control.",
});

/** All CIS monitoring controls, in category order. */
export const CIS_CONTROLS: readonly CisControl[] = Object.freeze([
    UNAUTHORIZED_API_CALLS,
    CONSOLE_SIGNIN_WITHOUT_MFA,
    ROOT_ACCOUNT_USAGE,
    IAM_POLICY_CHANGES,
    CLOUDTRAIL_CONFIG_CHANGES,
    CONSOLE_AUTH_FAILURES,
    CMK_DISABLE_OR_DELETION,
    S3_BUCKET_POLICY_CHANGES,
    CONFIG_CHANGES,
    SECURITY_GROUP_CHANGES,
    NACL_CHANGES,
    NETWORK_GATEWAY_CHANGES,
    ROUTE_TABLE_CHANGES,
    VPC_CHANGES,
    ORGANIZATIONS_CHANGES,
]);

/** The pattern text of `control` for `variant` (its default variant when omitted). Throws on an unknown variant. */
export function patternOf(control: CisControl, variant?: string): string {
    const name = variant ?? control.defaultVariant;
    if (!Object.prototype.hasOwnProperty.call(control.variants, name)) {
        const allowed = Object.keys(control.variants).join(", ");
        throw new Error(`Unknown pattern variant "${name}" for CIS control ${control.id}; allowed: ${allowed}`);
    }
    return control.variants[name];
}

/** The control with this id, or undefined. */
export function findControl(id: string): CisControl | undefined {
    return CIS_CONTROLS.find((c) => c.id === id);
}
