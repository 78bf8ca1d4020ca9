import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { CIS_CONTROLS } from "../lib/cis/catalogue";

import { identifiersOf, knownString, propsOf, read, Read, show, TYPES } from "./common";

/*
 * Stack-level policies. The engine runs them on the resources' outputs, after `pulumi preview`
 * (where some outputs are unknown) and again after `pulumi up` (where all are known). A value that
 * is unknown at preview is matched through the engine's property dependencies when it can be, and
 * otherwise the resource is skipped: the run after the update decides.
 */

/** A metric an alarm may watch: namespace, metric name and the dimensions it is reported under. */
interface AlarmMetric {
    readonly namespace: Read<unknown>;
    readonly metricName: Read<unknown>;
    readonly dimensions: Readonly<Record<string, Read<unknown>>>;
}

interface AlarmInfo {
    readonly resource: PolicyResource;
    readonly metrics: readonly AlarmMetric[];
    /** Known to have actions enabled and at least one alarm action (or unknown). */
    readonly hasAction: boolean;
    readonly actions: readonly Read<unknown>[];
}

function readDimensions(get: () => unknown): Record<string, Read<unknown>> {
    const dims = read(get);
    const out: Record<string, Read<unknown>> = {};
    if (!dims.known || typeof dims.value !== "object" || dims.value === null) {
        return out;
    }
    const obj = dims.value as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
        out[key] = read(() => obj[key]);
    }
    return out;
}

function alarmInfo(alarm: PolicyResource): AlarmInfo {
    const props = propsOf(alarm);
    const metrics: AlarmMetric[] = [];
    const top = read(() => props["metricName"]);
    if (!top.known || top.value !== undefined) {
        metrics.push({
            namespace: read(() => props["namespace"]),
            metricName: top,
            dimensions: readDimensions(() => props["dimensions"]),
        });
    }
    // Metric math alarms: each query may carry a metric.
    const queries = read(() => props["metricQueries"]);
    if (queries.known && Array.isArray(queries.value)) {
        for (const q of queries.value as Record<string, unknown>[]) {
            const m = read(() => q["metric"] as Record<string, unknown> | undefined);
            if (m.known && m.value) {
                const metric = m.value;
                metrics.push({
                    namespace: read(() => metric["namespace"]),
                    metricName: read(() => metric["metricName"]),
                    dimensions: readDimensions(() => metric["dimensions"]),
                });
            }
        }
    }
    const enabled = read(() => props["actionsEnabled"]);
    const actions = read(() => props["alarmActions"]);
    const list = actions.known && Array.isArray(actions.value) ? (actions.value as unknown[]) : [];
    const hasAction =
        (!enabled.known || enabled.value !== false) && (!actions.known || list.length > 0);
    return { resource: alarm, metrics, hasAction, actions: Array.from({ length: list.length }, (_, i) => read(() => list[i])) };
}

/** How a monitorable resource type is watched: its key metrics and the dimension naming it. */
export interface KeyMetricRule {
    readonly type: string;
    /** Human name used in messages. */
    readonly kind: string;
    readonly namespace: (r: PolicyResource) => string;
    readonly metrics: (r: PolicyResource) => readonly string[];
    /** Dimension whose value names the resource. */
    readonly dimension: string;
    /** Values the dimension may hold for this resource (names, ids, ARN suffix). */
    readonly identifiers: (r: PolicyResource, all: readonly PolicyResource[]) => Set<string>;
    /** Resources whose outputs feed the dimension value (for matching unknown values at preview). */
    readonly sources: (r: PolicyResource, all: readonly PolicyResource[]) => readonly PolicyResource[];
}

function lbKind(r: PolicyResource): string {
    const t = read(() => propsOf(r)["loadBalancerType"]);
    return t.known && typeof t.value === "string" ? t.value : "application";
}

/** `app/<name>/<id>` from `arn:...:loadbalancer/app/<name>/<id>`: the LoadBalancer dimension value. */
export function loadBalancerArnSuffix(arn: string): string | undefined {
    const i = arn.indexOf(":loadbalancer/");
    return i >= 0 ? arn.slice(i + ":loadbalancer/".length) : undefined;
}

function restApiOf(stage: PolicyResource, all: readonly PolicyResource[]): PolicyResource | undefined {
    const apiId = knownString(stage, "restApi");
    const byDependency = (stage.propertyDependencies["restApi"] ?? []).find((d) => d.type === TYPES.apiGatewayRestApi);
    return byDependency ?? all.find((r) => r.type === TYPES.apiGatewayRestApi && apiId !== undefined && identifiersOf(r, []).has(apiId));
}

const self = (r: PolicyResource): readonly PolicyResource[] => [r];

/**
 * Key metrics per monitorable type (CloudWatch namespaces, metric names and dimensions as documented
 * in each service's "CloudWatch metrics" page). An alarm on any one listed metric covers the resource.
 */
export const KEY_METRIC_RULES: readonly KeyMetricRule[] = [
    {
        type: TYPES.lambdaFunction,
        kind: "Lambda function",
        namespace: () => "AWS/Lambda",
        metrics: () => ["Errors", "Throttles"],
        dimension: "FunctionName",
        identifiers: (r) => identifiersOf(r, ["name"]),
        sources: self,
    },
    {
        type: TYPES.sqsQueue,
        kind: "SQS queue",
        namespace: () => "AWS/SQS",
        metrics: () => ["ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"],
        dimension: "QueueName",
        identifiers: (r) => {
            const ids = identifiersOf(r, ["name"]);
            // The id of a queue is its URL; the dimension holds the name (last path segment).
            for (const v of [...ids]) {
                if (v.startsWith("https://")) {
                    ids.add(v.split("/").pop() ?? v);
                }
            }
            return ids;
        },
        sources: self,
    },
    {
        type: TYPES.rdsInstance,
        kind: "RDS DB instance",
        namespace: () => "AWS/RDS",
        metrics: () => ["CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections"],
        dimension: "DBInstanceIdentifier",
        identifiers: (r) => identifiersOf(r, ["identifier"]),
        sources: self,
    },
    {
        type: TYPES.rdsCluster,
        kind: "RDS DB cluster",
        namespace: () => "AWS/RDS",
        metrics: () => ["CPUUtilization", "FreeableMemory", "DatabaseConnections", "FreeLocalStorage"],
        dimension: "DBClusterIdentifier",
        identifiers: (r) => identifiersOf(r, ["clusterIdentifier"]),
        sources: self,
    },
    ...[TYPES.lbLoadBalancer, TYPES.albLoadBalancer].map(
        (type): KeyMetricRule => ({
            type,
            kind: "load balancer",
            namespace: (r) =>
                ({ application: "AWS/ApplicationELB", network: "AWS/NetworkELB", gateway: "AWS/GatewayELB" })[lbKind(r)] ??
                "AWS/ApplicationELB",
            metrics: (r) =>
                lbKind(r) === "application"
                    ? ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"]
                    : ["UnHealthyHostCount", "HealthyHostCount"],
            dimension: "LoadBalancer",
            identifiers: (r) => {
                const ids = identifiersOf(r, ["arnSuffix"]);
                const arn = knownString(r, "arn");
                const suffix = arn ? loadBalancerArnSuffix(arn) : undefined;
                if (suffix) {
                    ids.add(suffix);
                }
                return ids;
            },
            sources: self,
        }),
    ),
    {
        type: TYPES.elbLoadBalancer,
        kind: "Classic Load Balancer",
        namespace: () => "AWS/ELB",
        metrics: () => ["HTTPCode_ELB_5XX", "HTTPCode_Backend_5XX", "Latency", "UnHealthyHostCount"],
        dimension: "LoadBalancerName",
        identifiers: (r) => identifiersOf(r, ["name"]),
        sources: self,
    },
    {
        type: TYPES.ecsService,
        kind: "ECS service",
        namespace: () => "AWS/ECS",
        metrics: () => ["CPUUtilization", "MemoryUtilization"],
        dimension: "ServiceName",
        identifiers: (r) => identifiersOf(r, ["name"]),
        sources: self,
    },
    {
        type: TYPES.dynamodbTable,
        kind: "DynamoDB table",
        namespace: () => "AWS/DynamoDB",
        metrics: () => ["ThrottledRequests", "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors"],
        dimension: "TableName",
        identifiers: (r) => identifiersOf(r, ["name"]),
        sources: self,
    },
    {
        type: TYPES.apiGatewayStage,
        kind: "API Gateway REST API stage",
        namespace: () => "AWS/ApiGateway",
        metrics: () => ["5XXError", "Latency"],
        // REST API metrics are reported per API name (ApiName) and stage (Stage).
        dimension: "ApiName",
        identifiers: (r, all) => {
            const api = restApiOf(r, all);
            const name = api ? knownString(api, "name") : undefined;
            return new Set(name ? [name] : []);
        },
        sources: (r, all) => {
            const api = restApiOf(r, all);
            return api ? [api] : [];
        },
    },
    {
        type: TYPES.apiGatewayV2Stage,
        kind: "API Gateway HTTP/WebSocket API stage",
        namespace: () => "AWS/ApiGateway",
        metrics: () => ["5xx", "Latency", "IntegrationLatency", "ExecutionError", "IntegrationError"],
        // HTTP and WebSocket API metrics are reported per ApiId (and Stage).
        dimension: "ApiId",
        identifiers: (r) => {
            const apiId = knownString(r, "apiId");
            return new Set(apiId ? [apiId] : []);
        },
        sources: (r) => r.propertyDependencies["apiId"] ?? [],
    },
];

type Coverage = "covered" | "no-action" | "uncovered" | "undecided";

function coverage(rule: KeyMetricRule, r: PolicyResource, all: readonly PolicyResource[], alarms: readonly AlarmInfo[]): Coverage {
    const namespace = rule.namespace(r);
    const metrics = rule.metrics(r);
    const ids = rule.identifiers(r, all);
    const sources = new Set(rule.sources(r, all).map((s) => s.urn));
    const stageName = knownString(r, rule.type === TYPES.apiGatewayV2Stage ? "name" : "stageName");
    let best: Coverage = ids.size === 0 && sources.size === 0 ? "undecided" : "uncovered";
    for (const alarm of alarms) {
        for (const m of alarm.metrics) {
            if ((m.namespace.known && m.namespace.value !== namespace) || (m.metricName.known && !metrics.includes(String(m.metricName.value)))) {
                continue;
            }
            const dim = m.dimensions[rule.dimension];
            if (dim === undefined) {
                continue;
            }
            const stage = m.dimensions["Stage"];
            if (stage?.known && stageName !== undefined && stage.value !== stageName) {
                continue;
            }
            let hit: boolean;
            if (dim.known && m.namespace.known && m.metricName.known) {
                hit = typeof dim.value === "string" && ids.has(dim.value);
            } else {
                // Unknown at preview: the dimension is fed by this resource's outputs?
                const deps = [...(alarm.resource.propertyDependencies["dimensions"] ?? []), ...(alarm.resource.propertyDependencies["metricQueries"] ?? [])];
                if (deps.some((d) => sources.has(d.urn))) {
                    hit = true;
                } else {
                    best = best === "uncovered" ? "undecided" : best;
                    continue;
                }
            }
            if (hit) {
                if (alarm.hasAction) {
                    return "covered";
                }
                best = "no-action";
            }
        }
    }
    return best;
}

interface MonitoringEnabledConfig {
    readonly exemptionTag: string;
}

/** Stack tag that exempts a stack from monitoring-enabled; its value must state the reason. */
export const DEFAULT_MONITORING_EXEMPTION_TAG = "orgwatch:monitoring-exempt";

export const monitoringEnabled: StackValidationPolicy = {
    name: "monitoring-enabled",
    description:
        "Every monitorable resource (Lambda, SQS, RDS, load balancers, ECS services, DynamoDB, API Gateway stages) must be covered by a CloudWatch alarm with an action on one of its key metrics.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            exemptionTag: {
                type: "string",
                minLength: 1,
                maxLength: 128,
                default: DEFAULT_MONITORING_EXEMPTION_TAG,
                description: "Stack tag whose non-empty value (the reason) exempts the stack.",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const { exemptionTag } = args.getConfig<MonitoringEnabledConfig>();
        const reason = args.stackTags.get(exemptionTag);
        if (reason !== undefined && reason.trim().length > 0) {
            args.notApplicable(`stack exempted by tag ${exemptionTag}: ${reason.trim()}`);
        }
        if (reason !== undefined) {
            reportViolation(
                `The stack tag ${exemptionTag} exempts a stack only with a reason; its value is empty. ` +
                    `Set it to the reason (pulumi stack tag set ${exemptionTag} "<why this stack needs no alarms>") or remove it.`,
            );
        }
        const alarms = args.resources.filter((r) => r.type === TYPES.metricAlarm).map(alarmInfo);
        let monitorable = 0;
        for (const rule of KEY_METRIC_RULES) {
            for (const r of args.resources.filter((x) => x.type === rule.type)) {
                monitorable++;
                const result = coverage(rule, r, args.resources, alarms);
                const wanted =
                    `a ${rule.namespace(r)} alarm on ${rule.metrics(r).join(" or ")} with dimension ${rule.dimension} = ` +
                    `${show([...rule.identifiers(r, args.resources)][0] ?? "<its identifier>")}`;
                if (result === "uncovered") {
                    reportViolation(
                        `The ${rule.kind} "${r.name}" must be covered by ${wanted} and at least one alarm action; no such alarm is in the stack. ` +
                            "Add one (orgwatch's StackMonitoring component creates the standard alarms) or exempt the stack with the " +
                            `${exemptionTag} stack tag and a reason.`,
                        r.urn,
                    );
                } else if (result === "no-action") {
                    reportViolation(
                        `The ${rule.kind} "${r.name}" has an alarm on its key metric but no alarm action is enabled; it must have ${wanted} ` +
                            "that notifies someone. Add an SNS topic ARN to alarmActions and keep actionsEnabled true.",
                        r.urn,
                    );
                }
            }
        }
        if (monitorable === 0) {
            args.notApplicable("no monitorable resources in the stack");
        }
    },
};

/** CIS controls required in governance stacks unless configured otherwise: every control of the catalogue. */
export const DEFAULT_REQUIRED_CIS_CONTROLS: readonly string[] = CIS_CONTROLS.map((c) => c.id);

/** Stack tag marking a governance stack (value "governance"). */
export const STACK_ROLE_TAG = "orgwatch:stack-role";

interface CisControlsConfig {
    readonly requiredControls: string[];
    readonly governanceStack: boolean;
    readonly acceptExternalTopics: boolean;
}

export const cisControlsAlarmed: StackValidationPolicy = {
    name: "cis-controls-alarmed",
    description:
        "Governance stacks must have a metric filter and an alarm with a subscribed action for every required CIS monitoring control.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            requiredControls: {
                type: "array",
                items: { type: "string", enum: CIS_CONTROLS.map((c) => c.id) },
                uniqueItems: true,
                default: [...DEFAULT_REQUIRED_CIS_CONTROLS],
                description: "Ids of the required CIS controls (orgwatch CIS catalogue); each must have a metric filter and an alarm.",
            },
            governanceStack: {
                type: "boolean",
                default: false,
                description: `Treat the stack as a governance stack (also: stack tag ${STACK_ROLE_TAG}=governance, or an organization trail in the stack).`,
            },
            acceptExternalTopics: {
                type: "boolean",
                default: true,
                description: "Accept alarm actions on SNS topics managed outside the stack (their subscriptions cannot be checked).",
            },
        },
    },
    validateStack: (args, reportViolation) => {
        const cfg = args.getConfig<CisControlsConfig>();
        const orgTrail = args.resources.some((r) => r.type === TYPES.trail && read(() => propsOf(r)["isOrganizationTrail"]).known && propsOf(r)["isOrganizationTrail"] === true);
        const governance = cfg.governanceStack || args.stackTags.get(STACK_ROLE_TAG) === "governance" || orgTrail;
        if (!governance) {
            args.notApplicable("not a governance stack");
        }
        const filters = args.resources.filter((r) => r.type === TYPES.metricFilter);
        const alarms = args.resources.filter((r) => r.type === TYPES.metricAlarm).map(alarmInfo);
        const topics = args.resources.filter((r) => r.type === TYPES.snsTopic);
        const subscriptions = args.resources.filter((r) => r.type === TYPES.snsSubscription);
        const subscribed = (topic: PolicyResource): boolean => {
            const ids = identifiersOf(topic, []);
            return subscriptions.some((s) => {
                const t = read(() => propsOf(s)["topic"]);
                return (t.known && typeof t.value === "string" && ids.has(t.value)) || (s.propertyDependencies["topic"] ?? []).some((d) => d.urn === topic.urn);
            });
        };
        for (const id of cfg.requiredControls) {
            const control = CIS_CONTROLS.find((c) => c.id === id);
            if (!control) {
                continue; // excluded by the config schema
            }
            const metric = control.metricName;
            const what = `CIS control ${control.id} (${control.title}, metric ${metric})`;
            const filter = filters.find((f) => {
                const t = read(() => (propsOf(f)["metricTransformation"] as Record<string, unknown> | undefined)?.["name"]);
                return !t.known || t.value === metric;
            });
            if (!filter) {
                reportViolation(
                    `The ${what} must have a CloudWatch Logs metric filter on the trail log group; none publishes ${metric}. ` +
                        `Enable the control (orgwatch config alarms.controls.${control.id}.enabled) or add an aws.cloudwatch.LogMetricFilter ` +
                        `with metricTransformation.name "${metric}", or remove it from requiredControls.`,
                );
                continue;
            }
            const ns = read(() => (propsOf(filter)["metricTransformation"] as Record<string, unknown>)["namespace"]);
            const matching = alarms.filter((a) =>
                a.metrics.some((m) => (!m.metricName.known || m.metricName.value === metric) && (!m.namespace.known || !ns.known || m.namespace.value === ns.value)),
            );
            if (matching.length === 0) {
                reportViolation(
                    `The ${what} must have an alarm; no aws.cloudwatch.MetricAlarm watches ${metric} in namespace ${show(ns.known ? ns.value : "unknown")}. ` +
                        "Add an alarm (Sum, period 300, threshold 1, GreaterThanOrEqualToThreshold) with an SNS action.",
                    filter.urn,
                );
                continue;
            }
            const withSubscribedAction = matching.some((a) => {
                if (!a.hasAction) {
                    return false;
                }
                if (a.actions.length === 0) {
                    return true; // action list unknown at preview
                }
                return a.actions.some((action) => {
                    if (!action.known) {
                        return true;
                    }
                    const topic = topics.find((t) => identifiersOf(t, []).has(String(action.value)));
                    return topic ? subscribed(topic) : cfg.acceptExternalTopics;
                });
            });
            if (!withSubscribedAction) {
                const alarm = matching[0];
                reportViolation(
                    `The alarm of ${what} must notify a subscribed target; alarm "${alarm.resource.name}" has ` +
                        `${alarm.hasAction ? `actions ${show(alarm.actions.map((x) => (x.known ? x.value : "unknown")))} with no subscription` : "no enabled alarm action"}. ` +
                        "Point alarmActions at an SNS topic that has at least one aws.sns.TopicSubscription and keep actionsEnabled true.",
                    alarm.resource.urn,
                );
            }
        }
    },
};

export const stackPolicies: StackValidationPolicy[] = [monitoringEnabled, cisControlsAlarmed];
