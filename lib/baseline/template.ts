/**
 * The CloudFormation template of the member baseline StackSet, built by a pure function (like the policy
 * documents in lib/policy-documents) and checked in tests against AWS's published resource schema of
 * `AWS::Oam::Link` (from @aws-cdk/aws-service-spec, generated from the CloudFormation registry).
 *
 * One stack per member account and governed Region holds one link from the account to that Region's sink in
 * the monitoring account. The sinks are in the template itself, not in a parameter: stacks that automatic
 * deployment creates for accounts joining a target OU later get the StackSet's own parameter values, never an
 * instance's overrides, so a per-Region override would send every later account's links to one Region's sink.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-oam-link.html
 *
 * A stack in a Region the template does not name (the Region was just removed from the governed ones and its
 * instances are about to be deleted) holds the placeholder and no link, and nothing in its template can fail:
 * the link's condition is false there, and its sink is chosen by `Fn::If` between literal ARNs, with no
 * `Fn::FindInMap` lookup that a missing Region would break. CloudFormation is reported to resolve
 * `Fn::FindInMap` even in the branch of `Fn::If` it does not take
 * (aws-cloudformation/aws-cloudformation-templates#271), so the template does not rely on a false condition
 * keeping a lookup from being evaluated. docs/scaling.md, "Removing a governed Region".
 */

import { BASELINE_LINK_TAG } from "../policy-documents/guardrail-scp";

/** Logical id of the link in the template (stack resources are named by it in CloudFormation events). */
export const LINK_LOGICAL_ID = "MonitoringLink";
/** Logical id of the no-op resource of stacks in excluded accounts (a stack needs at least one resource). */
export const PLACEHOLDER_LOGICAL_ID = "NoLinkInThisAccount";
/** Condition: the stack's Region is a governed one (the template names its sink). */
export const GOVERNED_REGION_CONDITION = "RegionGoverned";
/** Condition: the stack's account is excluded (it gets the placeholder only). */
export const EXCLUDED_CONDITION = "AccountExcluded";
/** Condition: the stack holds the link (governed Region, account not excluded); only when accounts are excluded, else the link's condition is {@link GOVERNED_REGION_CONDITION}. */
export const LINKS_CONDITION = "StackLinks";
/** Condition: the stack holds the placeholder only. */
export const NO_LINK_CONDITION = "StackHoldsNoLink";
/** Condition that the stack's Region is `region`: `RegionUsEast1`. */
export function regionCondition(region: string): string {
    return `Region${region.split("-").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("")}`;
}
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
    readonly Conditions: Readonly<Record<string, unknown>>;
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

/** A condition that holds when any of `conditions` holds: `Fn::Or`, nested in groups of at most ten. */
function anyOf(conditions: readonly unknown[]): unknown {
    if (conditions.length === 1) return conditions[0];
    if (conditions.length <= OR_MAX) return { "Fn::Or": [...conditions] };
    const groups: unknown[] = [];
    for (let i = 0; i < conditions.length; i += OR_MAX) groups.push(anyOf(conditions.slice(i, i + OR_MAX)));
    return anyOf(groups);
}

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

    const regionIs = (region: string) => ({ "Fn::Equals": [{ Ref: "AWS::Region" }, region] });
    const isExcluded = (id: string) => ({ "Fn::Equals": [{ Ref: "AWS::AccountId" }, id] });
    const conditions: Record<string, unknown> = {};
    if (regions.length === 1) conditions[GOVERNED_REGION_CONDITION] = regionIs(regions[0]);
    else {
        for (const region of regions) conditions[regionCondition(region)] = regionIs(region);
        conditions[GOVERNED_REGION_CONDITION] = anyOf(regions.map((r) => ({ Condition: regionCondition(r) })));
    }
    // Without excluded accounts, every stack in a governed Region links.
    let linkCondition = GOVERNED_REGION_CONDITION;
    if (excluded.length > 0) {
        conditions[EXCLUDED_CONDITION] = anyOf(excluded.map(isExcluded));
        conditions[LINKS_CONDITION] = { "Fn::And": [{ Condition: GOVERNED_REGION_CONDITION }, { "Fn::Not": [{ Condition: EXCLUDED_CONDITION }] }] };
        linkCondition = LINKS_CONDITION;
    }
    conditions[NO_LINK_CONDITION] = { "Fn::Not": [{ Condition: linkCondition }] };
    // The sink of the stack's Region: literal ARNs chosen by Region, the last one when no earlier one matched.
    // Only a stack whose Region is governed creates the link, so the last ARN is only ever used in its own Region.
    let sink: unknown = args.sinkArns[regions[regions.length - 1]];
    for (const region of regions.slice(0, -1).reverse()) sink = { "Fn::If": [regionCondition(region), args.sinkArns[region], sink] };
    const resources: Record<string, CloudFormationResource> = {
        [LINK_LOGICAL_ID]: {
            Type: "AWS::Oam::Link",
            Condition: linkCondition,
            // Stated rather than implied: removing a stack (an account leaving the target OUs) removes its link, and
            // a resource import (the move from per-account links, docs/scaling.md) requires the attribute.
            DeletionPolicy: "Delete",
            UpdateReplacePolicy: "Delete",
            Properties: {
                SinkIdentifier: sink,
                LabelTemplate: labelTemplate,
                ResourceTypes: [...new Set(args.resourceTypes)].sort(),
                // The guardrail protects the links carrying this tag, and no other link of the account.
                Tags: { [BASELINE_LINK_TAG.key]: BASELINE_LINK_TAG.value },
            },
        },
        // A stack must hold at least one resource; a wait condition handle is free and does nothing.
        [PLACEHOLDER_LOGICAL_ID]: { Type: "AWS::CloudFormation::WaitConditionHandle", Condition: NO_LINK_CONDITION },
    };
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "orgwatch member baseline: shares this account's telemetry with the organization's monitoring account in this Region (CloudWatch cross-account observability).",
        Conditions: conditions,
        Resources: resources,
        Outputs: {
            LinkArn: { Description: "ARN of the link.", Condition: linkCondition, Value: { "Fn::GetAtt": [LINK_LOGICAL_ID, "Arn"] } },
        },
    };
}

/** The template body as the StackSet receives it: compact JSON, so that identical settings give identical text. */
export function templateBody(template: CloudFormationTemplate): string {
    return JSON.stringify(template);
}
