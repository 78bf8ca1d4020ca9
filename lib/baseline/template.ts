/**
 * The CloudFormation template of the member baseline StackSet, built by a pure function (like the policy
 * documents in lib/policy-documents) and checked in tests against AWS's published resource schema of
 * `AWS::Oam::Link` (from @aws-cdk/aws-service-spec, generated from the CloudFormation registry).
 *
 * One stack per member account and governed Region holds one link from the account to that Region's sink in
 * the monitoring account. The sinks are in the template itself (a mapping from Region to sink ARN), not in a
 * parameter: stacks that automatic deployment creates for accounts joining a target OU later get the
 * StackSet's own parameter values, never an instance's overrides, so a per-Region override would send every
 * later account's links to one Region's sink.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-oam-link.html
 */

/** Logical id of the link in the template (stack resources are named by it in CloudFormation events). */
export const LINK_LOGICAL_ID = "MonitoringLink";
/** Logical id of the no-op resource of stacks in excluded accounts (a stack needs at least one resource). */
export const PLACEHOLDER_LOGICAL_ID = "NoLinkInThisAccount";
/** The mapping from Region to sink ARN. */
export const SINK_MAPPING = "SinkByRegion";
/** The second-level key of {@link SINK_MAPPING}. */
export const SINK_KEY = "SinkArn";
/** Condition: the stack's account is one that links (not an excluded account). */
export const LINKS_CONDITION = "AccountLinks";
/** Condition: the stack's account is excluded (it gets the placeholder only). */
export const EXCLUDED_CONDITION = "AccountExcluded";
/** OAM link label: the account's name as AWS Organizations knows it (an OAM label variable). */
export const LINK_LABEL_TEMPLATE = "$AccountName";

export interface OamLinkTemplateArgs {
    /** Sink ARN per governed Region (the monitoring account's sinks). */
    readonly sinkArns: Readonly<Record<string, string>>;
    /** What the account shares with the monitoring account (`AWS::CloudWatch::Metric`, ...). */
    readonly resourceTypes: readonly string[];
    /**
     * Accounts that get no link even when a stack reaches them (the monitoring account, which owns the sinks,
     * and accounts linked otherwise). Automatic deployment ignores a StackSet instance's account filters, so
     * the template itself must leave them out.
     * @default []
     */
    readonly excludedAccountIds?: readonly string[];
    /** @default "$AccountName" */
    readonly labelTemplate?: string;
}

/** A CloudFormation template as orgwatch writes it (JSON). */
export interface CloudFormationTemplate {
    readonly AWSTemplateFormatVersion: "2010-09-09";
    readonly Description: string;
    readonly Mappings: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;
    /** Absent when no account is excluded (CloudFormation sections are left out rather than empty). */
    readonly Conditions?: Readonly<Record<string, unknown>>;
    readonly Resources: Readonly<Record<string, CloudFormationResource>>;
    readonly Outputs: Readonly<Record<string, { readonly Description: string; readonly Condition?: string; readonly Value: unknown }>>;
}

export interface CloudFormationResource {
    readonly Type: string;
    readonly Condition?: string;
    readonly DeletionPolicy?: "Delete" | "Retain" | "RetainExceptOnCreate" | "Snapshot";
    readonly UpdateReplacePolicy?: "Delete" | "Retain" | "Snapshot";
    readonly Properties?: Readonly<Record<string, unknown>>;
}

/**
 * OAM sink ARNs: `arn:<partition>:oam:<region>:<account>:sink/<id>`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchobservabilityaccessmanager.html
 */
export const SINK_ARN_PATTERN = /^arn:aws[a-z-]*:oam:([a-z0-9-]+):[0-9]{12}:sink\/[A-Za-z0-9-]+$/;

/** `Fn::Or` takes 2 to 10 conditions. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html */
const OR_MAX = 10;

/** The member baseline template. Throws on arguments AWS would refuse. */
export function oamLinkTemplate(args: OamLinkTemplateArgs): CloudFormationTemplate {
    if (args.resourceTypes.length === 0) throw new Error("resourceTypes must name at least one type the account shares");
    const regions = Object.keys(args.sinkArns).sort();
    if (regions.length === 0) throw new Error("sinkArns must name the sink of at least one Region");
    for (const region of regions) {
        const m = SINK_ARN_PATTERN.exec(args.sinkArns[region]);
        // OAM is regional: a link goes to a sink of its own Region.
        if (m === null || m[1] !== region) throw new Error(`sinkArns.${region} must be an OAM sink ARN in ${region}; received ${JSON.stringify(args.sinkArns[region])}`);
    }
    const labelTemplate = args.labelTemplate ?? LINK_LABEL_TEMPLATE;
    // CreateLink: LabelTemplate is 1-64 characters. https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html
    if (labelTemplate.length < 1 || labelTemplate.length > 64) throw new Error(`labelTemplate must be 1-64 characters; received ${labelTemplate.length}`);
    const excluded = [...new Set(args.excludedAccountIds ?? [])].sort();
    for (const id of excluded) if (!/^\d{12}$/.test(id)) throw new Error(`excludedAccountIds must be 12-digit account ids; received ${JSON.stringify(id)}`);
    if (excluded.length > OR_MAX) throw new Error(`at most ${OR_MAX} excluded accounts; received ${excluded.length}`);

    const isExcluded = (id: string) => ({ "Fn::Equals": [{ Ref: "AWS::AccountId" }, id] });
    const conditions: Record<string, unknown> =
        excluded.length === 0
            ? {}
            : {
                  [EXCLUDED_CONDITION]: excluded.length === 1 ? isExcluded(excluded[0]) : { "Fn::Or": excluded.map(isExcluded) },
                  [LINKS_CONDITION]: { "Fn::Not": [{ Condition: EXCLUDED_CONDITION }] },
              };
    const linkCondition = excluded.length === 0 ? {} : { Condition: LINKS_CONDITION };
    const resources: Record<string, CloudFormationResource> = {
        [LINK_LOGICAL_ID]: {
            Type: "AWS::Oam::Link",
            ...linkCondition,
            // Stated rather than implied: removing a stack (an account leaving the target OUs) removes its link, and
            // a resource import (the move from per-account links, docs/scaling.md) requires the attribute.
            DeletionPolicy: "Delete",
            UpdateReplacePolicy: "Delete",
            Properties: {
                SinkIdentifier: { "Fn::FindInMap": [SINK_MAPPING, { Ref: "AWS::Region" }, SINK_KEY] },
                LabelTemplate: labelTemplate,
                ResourceTypes: [...new Set(args.resourceTypes)].sort(),
            },
        },
    };
    if (excluded.length > 0) {
        // A stack must hold at least one resource; a wait condition handle is free and does nothing.
        resources[PLACEHOLDER_LOGICAL_ID] = { Type: "AWS::CloudFormation::WaitConditionHandle", Condition: EXCLUDED_CONDITION };
    }
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "orgwatch member baseline: shares this account's telemetry with the organization's monitoring account in this Region (CloudWatch cross-account observability).",
        Mappings: { [SINK_MAPPING]: Object.fromEntries(regions.map((r) => [r, { [SINK_KEY]: args.sinkArns[r] }])) },
        ...(excluded.length === 0 ? {} : { Conditions: conditions }),
        Resources: resources,
        Outputs: {
            LinkArn: { Description: "ARN of the link.", ...linkCondition, Value: { "Fn::GetAtt": [LINK_LOGICAL_ID, "Arn"] } },
        },
    };
}

/** The template body as the StackSet receives it: compact JSON, so that identical settings give identical text. */
export function templateBody(template: CloudFormationTemplate): string {
    return JSON.stringify(template);
}
