import * as aws from "@pulumi/aws";
import {
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";

import { isSet, knownString, propsOf, read, show, TYPES } from "./common";
import { isQuickCreateApi } from "./key-metrics";

/*
 * Monitoring switches on monitorable resources. Unknown at preview: a switch (boolean, interval,
 * list of log types) that is unknown gets the engine's default (advisory "can't run during
 * preview"); a destination ARN or bucket that is unknown counts as set.
 */

/** Runs `check` only for the given type tokens, like `validateResourceOfType` for several types. */
function forTypes(types: readonly string[], check: (props: Record<string, unknown>, args: ResourceValidationArgs, report: (m: string) => void) => void): ResourceValidation {
    return (args, reportViolation) => {
        if (!types.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of types ${types.join(", ")}`);
        }
        check(args.props as Record<string, unknown>, args, (m) => reportViolation(m));
    };
}

export const ec2InstanceDetailedMonitoringEnabled: ResourceValidationPolicy = {
    name: "ec2-instance-detailed-monitoring-enabled",
    description: "EC2 instances must have detailed (1-minute) CloudWatch monitoring enabled (monitoring true).",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(aws.ec2.Instance, (instance, _args, reportViolation) => {
        if (instance.monitoring !== true) {
            reportViolation(
                `An EC2 instance must have detailed monitoring enabled; monitoring is ${show(instance.monitoring)}. ` +
                    "Set monitoring: true (metrics every minute instead of every five).",
            );
        }
    }),
};

/** Enhanced Monitoring intervals RDS accepts (0 disables it). */
export const RDS_MONITORING_INTERVALS: readonly number[] = [1, 5, 10, 15, 30, 60];

interface EnhancedMonitoringConfig {
    readonly maxMonitoringIntervalSeconds: number;
}

/**
 * Enhanced Monitoring (OS metrics delivered to CloudWatch Logs, billed as log ingestion). Advisory by
 * default, like EC2 detailed monitoring: a pay-per-use depth of metrics whose need is a judgement call.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html
 */
export const rdsEnhancedMonitoringEnabled: ResourceValidationPolicy = {
    name: "rds-enhanced-monitoring-enabled",
    description: "RDS DB instances must have Enhanced Monitoring enabled at or below the configured interval.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            maxMonitoringIntervalSeconds: { type: "integer", enum: [...RDS_MONITORING_INTERVALS], default: 60 },
        },
    },
    validateResource: forTypes([TYPES.rdsInstance, TYPES.rdsClusterInstance], (props, args, report) => {
        const { maxMonitoringIntervalSeconds } = args.getConfig<EnhancedMonitoringConfig>();
        const interval = props["monitoringInterval"];
        if (typeof interval !== "number" || interval <= 0 || interval > maxMonitoringIntervalSeconds) {
            report(
                `A DB instance must have Enhanced Monitoring at an interval of at most ${maxMonitoringIntervalSeconds} s; ` +
                    `monitoringInterval is ${show(interval)}. Set monitoringInterval to one of ` +
                    `${RDS_MONITORING_INTERVALS.filter((i) => i <= maxMonitoringIntervalSeconds).join(", ")} and monitoringRoleArn ` +
                    "to a role with the AmazonRDSEnhancedMonitoringRole policy.",
            );
        } else if (!isSet(() => props["monitoringRoleArn"])) {
            report(
                "A DB instance with Enhanced Monitoring needs the role that publishes its metrics; monitoringRoleArn is unset. " +
                    "Set monitoringRoleArn to a role trusted by monitoring.rds.amazonaws.com.",
            );
        }
    }),
};

/** Performance Insights retention periods RDS accepts: 7 days (the free tier), 31 × 1..23 months, or 731 days. */
export const PERFORMANCE_INSIGHTS_RETENTION_DAYS: readonly number[] = [7, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1)), 731];

interface PerformanceInsightsConfig {
    readonly minRetentionDays: number;
}

/**
 * Performance Insights (Database Insights standard mode) on DB instances, Aurora cluster instances and
 * Multi-AZ DB clusters (which set it on the cluster). Advisory by default: retention past 7 days costs
 * money and some small instance classes do not support it.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.TurningOnStandard.html
 */
export const rdsPerformanceInsightsEnabled: ResourceValidationPolicy = {
    name: "rds-performance-insights-enabled",
    description: "RDS DB instances and Multi-AZ DB clusters must have Performance Insights enabled with at least the configured retention.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minRetentionDays: {
                type: "integer",
                enum: [...PERFORMANCE_INSIGHTS_RETENTION_DAYS],
                default: 7,
                description: "Least Performance Insights retention in days (7 is the free tier; 465 or more is needed for Database Insights advanced mode).",
            },
        },
    },
    validateResource: forTypes([TYPES.rdsInstance, TYPES.rdsClusterInstance, TYPES.rdsCluster], (props, args, report) => {
        if (args.type === TYPES.rdsCluster && !isSet(() => props["dbClusterInstanceClass"])) {
            args.notApplicable("an Aurora cluster: Performance Insights is set on its cluster instances");
        }
        const { minRetentionDays } = args.getConfig<PerformanceInsightsConfig>();
        const enabled = props["performanceInsightsEnabled"];
        // RDS keeps Performance Insights data 7 days unless performanceInsightsRetentionPeriod says otherwise.
        const retention = props["performanceInsightsRetentionPeriod"] ?? 7;
        const fix =
            `Set performanceInsightsEnabled: true and performanceInsightsRetentionPeriod to one of ` +
            `${PERFORMANCE_INSIGHTS_RETENTION_DAYS.filter((d) => d >= minRetentionDays).slice(0, 4).join(", ")}, ... (days).`;
        if (enabled !== true) {
            report(`A database must have Performance Insights enabled; performanceInsightsEnabled is ${show(enabled)}. ${fix}`);
        } else if (typeof retention !== "number" || retention < minRetentionDays) {
            report(
                `A database must keep Performance Insights data at least ${minRetentionDays} days; performanceInsightsRetentionPeriod is ${show(retention)}. ${fix}`,
            );
        }
    }),
};

export const rdsLogExportsEnabled: ResourceValidationPolicy = {
    name: "rds-log-exports-enabled",
    description: "RDS DB instances and clusters must export their database logs to CloudWatch Logs.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.rdsInstance, TYPES.rdsCluster], (props, _args, report) => {
        const exports = props["enabledCloudwatchLogsExports"];
        if (!Array.isArray(exports) || exports.length === 0) {
            report(
                `A database must export its logs to CloudWatch Logs; enabledCloudwatchLogsExports is ${show(exports)}. ` +
                    'Set enabledCloudwatchLogsExports to the engine\'s log types (e.g. ["postgresql", "upgrade"] or ' +
                    '["audit", "error", "general", "slowquery"]).',
            );
        }
    }),
};

export const loadBalancerAccessLogsEnabled: ResourceValidationPolicy = {
    name: "load-balancer-access-logs-enabled",
    description: "Load balancers must write access logs to S3.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.lbLoadBalancer, TYPES.albLoadBalancer, TYPES.elbLoadBalancer], (props, args, report) => {
        if (args.type !== TYPES.elbLoadBalancer && props["loadBalancerType"] === "gateway") {
            // Gateway Load Balancers have no access logs.
            args.notApplicable("Gateway Load Balancers do not write access logs");
        }
        const logs = props["accessLogs"] as Record<string, unknown> | undefined;
        // Classic Load Balancers: access_logs.enabled defaults to true; ALB/NLB: defaults to false.
        const enabledDefault = args.type === TYPES.elbLoadBalancer;
        const enabled = logs === undefined ? false : (logs["enabled"] ?? enabledDefault) === true;
        if (!enabled || !isSet(() => logs?.["bucket"])) {
            report(
                `A load balancer must write access logs; accessLogs is ${show(logs)}. ` +
                    "Set accessLogs: { bucket: <log bucket name>, enabled: true } (the bucket policy must admit the " +
                    "Elastic Load Balancing log delivery principal).",
            );
        }
    }),
};

/**
 * Access logs of REST, HTTP and WebSocket stages. An HTTP API created with `target` (quick create) gets
 * a `$default` stage from API Gateway that is not a resource of the stack and has no access logging,
 * so the API itself is checked: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop.html#http-api-examples
 * (access logging: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html).
 */
export const apiGatewayStageAccessLoggingEnabled: ResourceValidationPolicy = {
    name: "apigateway-stage-access-logging-enabled",
    description: "API Gateway stages (REST and HTTP/WebSocket, including the $default stage of a quick-create HTTP API) must write access logs to CloudWatch Logs or Firehose.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.apiGatewayStage, TYPES.apiGatewayV2Stage, TYPES.apiGatewayV2Api], (props, args, report) => {
        if (args.type === TYPES.apiGatewayV2Api) {
            if (!isQuickCreateApi(props)) {
                args.notApplicable("not a quick-create API: its stages are checked as aws.apigatewayv2.Stage resources");
            }
            const target = read(() => props["target"]);
            report(
                `An HTTP API created with target (quick create) has a $default stage without access logging; target is ${target.known ? show(target.value) : "set (a value not known until the update)"}. ` +
                    "Remove target and declare an aws.apigatewayv2.Integration, a Route (routeKey \"$default\") and an aws.apigatewayv2.Stage " +
                    'named "$default" with autoDeploy: true and accessLogSettings: { destinationArn: <log group arn>, format: <JSON format with $context.requestId> }.',
            );
            return;
        }
        const settings = props["accessLogSettings"] as Record<string, unknown> | undefined;
        if (!settings || !isSet(() => settings["destinationArn"]) || !isSet(() => settings["format"])) {
            report(
                `An API Gateway stage must have access logging; accessLogSettings is ${show(settings)}. ` +
                    "Set accessLogSettings: { destinationArn: <log group arn>, format: <JSON format with $context.requestId> }.",
            );
        }
    }),
};

export const ecsClusterContainerInsightsEnabled: ResourceValidationPolicy = {
    name: "ecs-cluster-container-insights-enabled",
    description: "ECS clusters must have Container Insights enabled.",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.ecs.Cluster, (cluster, _args, reportViolation) => {
        const settings = Array.isArray(cluster.settings) ? cluster.settings : [];
        const insights = settings.find((s) => s.name === "containerInsights");
        // "enhanced" is Container Insights with enhanced observability; both publish the metrics.
        if (!insights || (insights.value !== "enabled" && insights.value !== "enhanced")) {
            reportViolation(
                `An ECS cluster must have Container Insights enabled; containerInsights is ${show(insights?.value)}. ` +
                    'Add settings: [{ name: "containerInsights", value: "enabled" }] (or "enhanced").',
            );
        }
    }),
};

export const EKS_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

interface EksLoggingConfig {
    readonly requiredLogTypes: string[];
}

export const eksControlPlaneLoggingEnabled: ResourceValidationPolicy = {
    name: "eks-control-plane-logging-enabled",
    description: "EKS clusters must send the required control plane log types to CloudWatch Logs.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredLogTypes: {
                type: "array",
                items: { type: "string", enum: [...EKS_LOG_TYPES] },
                uniqueItems: true,
                minItems: 1,
                default: ["api", "audit", "authenticator"],
            },
        },
    },
    validateResource: validateResourceOfType(aws.eks.Cluster, (cluster, args, reportViolation) => {
        const { requiredLogTypes } = args.getConfig<EksLoggingConfig>();
        const enabled = Array.isArray(cluster.enabledClusterLogTypes) ? cluster.enabledClusterLogTypes : [];
        const missing = requiredLogTypes.filter((t) => !enabled.includes(t));
        if (missing.length > 0) {
            reportViolation(
                `An EKS cluster must log ${requiredLogTypes.join(", ")} to CloudWatch Logs; enabledClusterLogTypes is ${show(cluster.enabledClusterLogTypes)}. ` +
                    `Add ${missing.join(", ")} to enabledClusterLogTypes.`,
            );
        }
    }),
};

const VPC_TYPES: readonly string[] = [TYPES.vpc, TYPES.defaultVpc];

/**
 * Every VPC the stack manages, the default VPC it adopts with `aws.ec2.DefaultVpc` included, has a
 * flow log: an `aws.ec2.FlowLog` whose `vpcId` is the VPC's id, or (while the id is unknown or when ids
 * are not recorded) one that depends on the VPC through its `vpcId` property. VPCs the stack only reads
 * (`aws.ec2.Vpc.get`, `getVpc`) are not its to fix and are not handed to stack policies by the engine.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
 */
export const vpcFlowLogsEnabled: StackValidationPolicy = {
    name: "vpc-flow-logs-enabled",
    description: "Every VPC in the stack (including an adopted default VPC) must have a flow log.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const vpcs = args.resources.filter((r) => VPC_TYPES.includes(r.type));
        if (vpcs.length === 0) {
            args.notApplicable("no VPCs in the stack");
        }
        const flowLogs = args.resources.filter((r) => r.type === TYPES.flowLog);
        for (const vpc of vpcs) {
            const id = knownString(vpc, "id");
            const covered = flowLogs.some((f) => {
                const target = read(() => propsOf(f)["vpcId"]);
                if (target.known && id !== undefined && target.value === id) {
                    return true;
                }
                const deps = f.propertyDependencies["vpcId"] ?? [];
                return deps.some((d) => d.urn === vpc.urn);
            });
            if (!covered) {
                const what = vpc.type === TYPES.defaultVpc ? "The default VPC the stack manages (aws.ec2.DefaultVpc)" : "A VPC";
                reportViolation(
                    `${what} must have a flow log; no aws.ec2.FlowLog in the stack has vpcId ${show(id ?? "<this VPC's id>")}. ` +
                        "Add an aws.ec2.FlowLog with vpcId: vpc.id, trafficType: \"ALL\" and a CloudWatch Logs or S3 destination.",
                    vpc.urn,
                );
            }
        }
    },
};

export const monitoringPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    ec2InstanceDetailedMonitoringEnabled,
    rdsEnhancedMonitoringEnabled,
    rdsPerformanceInsightsEnabled,
    rdsLogExportsEnabled,
    loadBalancerAccessLogsEnabled,
    apiGatewayStageAccessLoggingEnabled,
    ecsClusterContainerInsightsEnabled,
    eksControlPlaneLoggingEnabled,
    vpcFlowLogsEnabled,
];
