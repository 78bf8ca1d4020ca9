import * as aws from "@pulumi/aws";
import {
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";

import { isSet, knownString, propsOf, read, show, TYPES } from "./common";

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

export const rdsEnhancedMonitoringEnabled: ResourceValidationPolicy = {
    name: "rds-enhanced-monitoring-enabled",
    description: "RDS DB instances must have Enhanced Monitoring enabled at or below the configured interval.",
    enforcementLevel: "mandatory",
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

export const apiGatewayStageAccessLoggingEnabled: ResourceValidationPolicy = {
    name: "apigateway-stage-access-logging-enabled",
    description: "API Gateway stages (REST and HTTP/WebSocket) must write access logs to CloudWatch Logs or Firehose.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([TYPES.apiGatewayStage, TYPES.apiGatewayV2Stage], (props, _args, report) => {
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

/**
 * Every VPC has a flow log: an `aws.ec2.FlowLog` whose `vpcId` is the VPC's id, or (while the id is
 * unknown or when ids are not recorded) one that depends on the VPC through its `vpcId` property.
 */
export const vpcFlowLogsEnabled: StackValidationPolicy = {
    name: "vpc-flow-logs-enabled",
    description: "Every VPC in the stack must have a flow log.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const vpcs = args.resources.filter((r) => r.type === TYPES.vpc);
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
                reportViolation(
                    `A VPC must have a flow log; no aws.ec2.FlowLog in the stack has vpcId ${show(id ?? "<this VPC's id>")}. ` +
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
    rdsLogExportsEnabled,
    loadBalancerAccessLogsEnabled,
    apiGatewayStageAccessLoggingEnabled,
    ecsClusterContainerInsightsEnabled,
    eksControlPlaneLoggingEnabled,
    vpcFlowLogsEnabled,
];
