/**
 * The CloudFormation template of the member baseline StackSet, built by a pure function (like the policy
 * documents in lib/policy-documents) and checked in tests against AWS's published resource schema of
 * `AWS::Oam::Link` (from @aws-cdk/aws-service-spec, generated from the CloudFormation registry).
 *
 * One stack per member account and governed Region holds one link from the account to that Region's sink
 * in the monitoring account. The sink ARN is the stack's only parameter: the StackSet instance of each
 * Region overrides it with that Region's sink.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-oam-link.html
 */

/** Logical id of the link in the template (stack resources are named by it in CloudFormation events). */
export const LINK_LOGICAL_ID = "MonitoringLink";
/** The template's parameter that names the sink. */
export const SINK_PARAMETER = "SinkArn";
/** OAM link label: the account's name as AWS Organizations knows it (an OAM label variable). */
export const LINK_LABEL_TEMPLATE = "$AccountName";

export interface OamLinkTemplateArgs {
    /** What the account shares with the monitoring account (`AWS::CloudWatch::Metric`, ...). */
    readonly resourceTypes: readonly string[];
    /** @default "$AccountName" */
    readonly labelTemplate?: string;
}

/** A CloudFormation template as orgwatch writes it (JSON). */
export interface CloudFormationTemplate {
    readonly AWSTemplateFormatVersion: "2010-09-09";
    readonly Description: string;
    readonly Parameters: Readonly<Record<string, { readonly Type: "String"; readonly Description: string; readonly AllowedPattern: string; readonly ConstraintDescription: string }>>;
    readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties: Readonly<Record<string, unknown>> }>>;
    readonly Outputs: Readonly<Record<string, { readonly Description: string; readonly Value: unknown }>>;
}

/**
 * OAM sink ARNs: `arn:<partition>:oam:<region>:<account>:sink/<id>`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchobservabilityaccessmanager.html
 */
export const SINK_ARN_PATTERN = "^arn:aws[a-z-]*:oam:[a-z0-9-]+:[0-9]{12}:sink/[A-Za-z0-9-]+$";

/** The member baseline template. Throws on arguments AWS would refuse. */
export function oamLinkTemplate(args: OamLinkTemplateArgs): CloudFormationTemplate {
    if (args.resourceTypes.length === 0) throw new Error("resourceTypes must name at least one type the account shares");
    const labelTemplate = args.labelTemplate ?? LINK_LABEL_TEMPLATE;
    // CreateLink: LabelTemplate is 1-64 characters. https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html
    if (labelTemplate.length < 1 || labelTemplate.length > 64) throw new Error(`labelTemplate must be 1-64 characters; received ${labelTemplate.length}`);
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: "orgwatch member baseline: shares this account's telemetry with the organization's monitoring account in this Region (CloudWatch cross-account observability).",
        Parameters: {
            [SINK_PARAMETER]: {
                Type: "String",
                Description: "ARN of the monitoring account's OAM sink in this Region.",
                AllowedPattern: SINK_ARN_PATTERN,
                ConstraintDescription: "an OAM sink ARN (arn:<partition>:oam:<region>:<account>:sink/<id>)",
            },
        },
        Resources: {
            [LINK_LOGICAL_ID]: {
                Type: "AWS::Oam::Link",
                Properties: {
                    SinkIdentifier: { Ref: SINK_PARAMETER },
                    LabelTemplate: labelTemplate,
                    ResourceTypes: [...new Set(args.resourceTypes)].sort(),
                },
            },
        },
        Outputs: {
            LinkArn: { Description: "ARN of the link.", Value: { "Fn::GetAtt": [LINK_LOGICAL_ID, "Arn"] } },
        },
    };
}

/** The template body as the StackSet receives it: compact JSON, so that identical settings give identical text. */
export function templateBody(template: CloudFormationTemplate): string {
    return JSON.stringify(template);
}
