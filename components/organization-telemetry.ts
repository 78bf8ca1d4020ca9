import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TelemetryConfig } from "../lib/config/schema";
import { names } from "../lib/naming";

/** Type token of the component; keep it stable. */
export const ORGANIZATION_TELEMETRY_TYPE = "orgwatch:telemetry:OrganizationTelemetry";

/** The one destination organization telemetry rules deliver logs to. */
const CLOUDWATCH_LOGS = "cloud-watch-logs";

/** EKS control plane log types (config) → telemetry source types (CloudWatch telemetry configuration). */
export const EKS_SOURCE_TYPES: Readonly<Record<TelemetryConfig["eksControlPlaneLogs"]["logTypes"][number], string>> = {
    api: "EKS_API_LOGS",
    audit: "EKS_AUDIT_LOGS",
    authenticator: "EKS_AUTHENTICATOR_LOGS",
    controllerManager: "EKS_CONTROLLER_MANAGER_LOGS",
    scheduler: "EKS_SCHEDULER_LOGS",
};

type RuleArgs = aws.types.input.observabilityadmin.TelemetryRuleForOrganizationRule;

/** One organization telemetry rule: its name suffix and its rule (without scope and Regions). */
export interface TelemetryRuleSpec {
    /** Stable suffix of the rule name (`<namePrefix>-<suffix>`); one rule per resource type. */
    readonly suffix: string;
    readonly rule: Omit<RuleArgs, "scope" | "regions" | "allRegions">;
}

/**
 * The rules the config asks for, one per resource type (rules of one scope must differ in resource type,
 * telemetry type or destination, or AWS refuses them as conflicting; so VPC flow logs and Route 53 Resolver
 * query logs, both of `AWS::EC2::VPC`, share one rule). Pure.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/telemetry-config-rules.html
 */
export function telemetryRules(cfg: TelemetryConfig, retentionInDays: number): TelemetryRuleSpec[] {
    const rules: TelemetryRuleSpec[] = [];
    const logs = (extra: Partial<NonNullable<RuleArgs["destinationConfiguration"]>> = {}) => ({ destinationType: CLOUDWATCH_LOGS, retentionInDays, ...extra });
    const criteria = (s: { readonly selectionCriteria?: string }) => (s.selectionCriteria === undefined ? {} : { selectionCriteria: s.selectionCriteria });

    const { vpcFlowLogs: flow, route53ResolverQueryLogs: resolver } = cfg;
    if (flow.enabled || resolver.enabled) {
        if (flow.enabled && resolver.enabled && flow.selectionCriteria !== resolver.selectionCriteria) {
            throw new Error("VPC flow logs and Route 53 Resolver query logs share one rule and so one selectionCriteria");
        }
        rules.push({
            suffix: "vpc",
            rule: {
                resourceType: "AWS::EC2::VPC",
                telemetryType: "Logs",
                telemetrySourceTypes: [...(flow.enabled ? ["VPC_FLOW_LOGS"] : []), ...(resolver.enabled ? ["ROUTE53_RESOLVER_QUERY_LOGS"] : [])],
                destinationConfiguration: logs(
                    flow.enabled ? { destinationPattern: "/aws/vpc-flow-logs/<resourceId>", vpcFlowLogParameters: { trafficType: flow.trafficType, maxAggregationInterval: flow.maxAggregationInterval } } : {},
                ),
                // A flow log someone changes by hand is put back.
                ...(flow.enabled ? { allowFieldUpdates: true } : {}),
                ...criteria(flow.enabled ? flow : resolver),
            },
        });
    }
    const eks = cfg.eksControlPlaneLogs;
    if (eks.enabled) {
        rules.push({
            suffix: "eks",
            rule: { resourceType: "AWS::EKS::Cluster", telemetryType: "Logs", telemetrySourceTypes: [...new Set(eks.logTypes)].map((t) => EKS_SOURCE_TYPES[t]).sort(), destinationConfiguration: logs(), ...criteria(eks) },
        });
    }
    if (cfg.wafLogs.enabled) {
        rules.push({
            suffix: "waf",
            rule: { resourceType: "AWS::WAFv2::WebACL", telemetryType: "Logs", destinationConfiguration: logs({ wafLoggingParameters: { logType: "WAF_LOGS" } }), ...criteria(cfg.wafLogs) },
        });
    }
    const elb = cfg.elbAccessLogs;
    if (elb.enabled) {
        rules.push({
            suffix: "elb",
            rule: { resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer", telemetryType: "Logs", destinationConfiguration: logs({ elbLoadBalancerLoggingParameters: { outputFormat: elb.outputFormat } }), ...criteria(elb) },
        });
    }
    if (cfg.ec2DetailedMetrics.enabled) {
        rules.push({ suffix: "ec2", rule: { resourceType: "AWS::EC2::Instance", telemetryType: "Metrics", ...criteria(cfg.ec2DetailedMetrics) } });
    }
    const msk = cfg.mskEnhancedMonitoring;
    if (msk.enabled) {
        rules.push({
            suffix: "msk",
            rule: { resourceType: "AWS::MSK::Cluster", telemetryType: "Metrics", destinationConfiguration: { mskMonitoringParameters: { enhancedMonitoring: msk.level } }, ...criteria(msk) },
        });
    }
    return rules;
}

/**
 * Scope of a rule: the whole organization, or the target OUs (the OUs the member baseline targets). Pure.
 * The organization form is the one AWS and the provider document (`OrganizationId = '<id>'`, as for
 * centralization rules); the OU form follows the same grammar with the OU key the telemetry APIs use
 * (`SourceOrganizationUnitIds` of ListTelemetryRulesForOrganization). AWS's registry schema documents `Scope`
 * only as "the organizational scope to which the rule applies, specified using accounts or organizational
 * units", with no grammar or example, so the OU form, and whether it covers child OUs, is among what only a
 * real deployment confirms (README, "Scope of the rules", says what to check after the first `pulumi up`).
 */
export function telemetryScope(organizationId: string, targetIds: readonly string[]): string {
    if (targetIds.length === 0 || targetIds.some((id) => id.startsWith("r-"))) return `OrganizationId = '${organizationId}'`;
    return [...targetIds].sort().map((id) => `OrganizationUnitId = '${id}'`).join(" OR ");
}

export interface OrganizationTelemetryArgs {
    readonly organizationId: string;
    readonly namePrefix: string;
    readonly homeRegion: string;
    readonly governedRegions: readonly string[];
    /** Root or OU ids the rules apply to (the member baseline targets). */
    readonly targetIds: readonly pulumi.Input<string>[];
    readonly telemetry: TelemetryConfig;
    /** Retention of the log groups the rules create (`orgwatch:retention.logGroupDays`). */
    readonly retentionInDays: number;
    /** Protect the evaluation and the rules from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * CloudWatch telemetry configuration for the organization: telemetry evaluation in the governed Regions, and
 * one organization telemetry rule per resource type the config turns on, so that AWS itself switches
 * telemetry on for matching resources in every account of the governed OUs, whoever created them. Deployed
 * from the management account (the provider's documented place for these resources).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/telemetry-config-organization.html
 */
export class OrganizationTelemetry extends pulumi.ComponentResource {
    /** Rule name → ARN. */
    public readonly ruleArns: Record<string, pulumi.Output<string>>;

    constructor(name: string, args: OrganizationTelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
        super(ORGANIZATION_TELEMETRY_TYPE, name, {}, opts);
        const protect = args.protect ?? true;
        // The home Region is always included (it is the resource's own Region).
        const others = args.governedRegions.filter((r) => r !== args.homeRegion);
        const evaluation = new aws.observabilityadmin.TelemetryEvaluationForOrganization(
            `${name}-evaluation`,
            { region: args.homeRegion, ...(others.length > 0 ? { regions: others } : {}) },
            { parent: this, protect },
        );
        const scope = pulumi.all(args.targetIds.map((t) => pulumi.output(t))).apply((ids) => telemetryScope(args.organizationId, ids));
        this.ruleArns = {};
        for (const spec of telemetryRules(args.telemetry, args.retentionInDays)) {
            const ruleName = names.telemetryRule(args.namePrefix, spec.suffix);
            const rule = new aws.observabilityadmin.TelemetryRuleForOrganization(
                `${name}-${spec.suffix}`,
                { ruleName, region: args.homeRegion, rule: { ...spec.rule, scope, regions: [...args.governedRegions] } },
                { parent: this, protect, dependsOn: [evaluation] },
            );
            this.ruleArns[ruleName] = rule.ruleArn;
        }
        this.registerOutputs({ ruleArns: this.ruleArns });
    }
}
