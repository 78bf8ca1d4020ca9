import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";

import { CIS_CONTROLS } from "./cis-catalogue";

import { identifiersOf, propsOf, read, Read, show, TYPES } from "./common";
import { dimensionMatches, KEY_METRIC_RULES, MetricWatch } from "./key-metrics";

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

export { KEY_METRIC_RULES, loadBalancerArnSuffix } from "./key-metrics";

type Coverage = "covered" | "no-action" | "uncovered" | "undecided";

/** Whether one metric of an alarm is a key metric of the resource under the naming dimensions of `watch`. */
function watchHit(watch: MetricWatch, m: AlarmMetric, alarm: AlarmInfo, sources: ReadonlySet<string>): "hit" | "miss" | "undecided" {
    if ((m.namespace.known && m.namespace.value !== watch.namespace) || (m.metricName.known && !watch.metrics.includes(String(m.metricName.value)))) {
        return "miss";
    }
    const names = Object.keys(watch.dimensions);
    const dims = names.map((n) => m.dimensions[n]);
    if (dims.some((d) => d === undefined)) {
        return "miss";
    }
    for (const [name, allowed] of Object.entries(watch.narrowing ?? {})) {
        const v = m.dimensions[name];
        if (v?.known && !allowed.has(String(v.value))) {
            return "miss";
        }
    }
    const allKnown = m.namespace.known && m.metricName.known && dims.every((d) => d?.known);
    if (allKnown) {
        return names.every((n, i) => {
            const v = (dims[i] as { value: unknown }).value;
            return typeof v === "string" && dimensionMatches(watch.dimensions[n], v);
        })
            ? "hit"
            : "miss";
    }
    // Unknown at preview: the alarm's dimensions are fed by this resource's outputs?
    const deps = [...(alarm.resource.propertyDependencies["dimensions"] ?? []), ...(alarm.resource.propertyDependencies["metricQueries"] ?? [])];
    return deps.some((d) => sources.has(d.urn)) ? "hit" : "undecided";
}

function coverage(watches: readonly MetricWatch[], sourceList: readonly PolicyResource[], alarms: readonly AlarmInfo[]): Coverage {
    const sources = new Set(sourceList.map((s) => s.urn));
    const identifiable = watches.some((w) => Object.values(w.dimensions).every((d) => d.values.size > 0 || d.pattern !== undefined));
    let best: Coverage = !identifiable && sources.size === 0 ? "undecided" : "uncovered";
    for (const alarm of alarms) {
        for (const m of alarm.metrics) {
            for (const watch of watches) {
                const hit = watchHit(watch, m, alarm, sources);
                if (hit === "undecided") {
                    best = best === "uncovered" ? "undecided" : best;
                } else if (hit === "hit") {
                    if (alarm.hasAction) {
                        return "covered";
                    }
                    best = "no-action";
                }
            }
        }
    }
    return best;
}

function article(word: string): string {
    return /^[AEIOU]/i.test(word) ? "an" : "a";
}

/** The alarm a resource needs, in words: `an AWS/ECS alarm on CPUUtilization or ... with dimensions ClusterName = "main" and ...`. */
export function wantedAlarm(watches: readonly MetricWatch[]): string {
    return watches
        .map((w) => {
            const dims = Object.entries(w.dimensions).map(([name, d]) => `${name} = ${show([...d.values][0] ?? d.placeholder ?? "<its identifier>")}`);
            return `${article(w.namespace)} ${w.namespace} alarm on ${w.metrics.join(" or ")} with dimension${dims.length > 1 ? "s" : ""} ${dims.join(" and ")}`;
        })
        .join("; or ");
}

interface MonitoringEnabledConfig {
    readonly exemptionTag: string;
}

/** Stack tag that exempts a stack from monitoring-enabled; its value must state the reason. */
export const DEFAULT_MONITORING_EXEMPTION_TAG = "orgwatch:monitoring-exempt";

export const monitoringEnabled: StackValidationPolicy = {
    name: "monitoring-enabled",
    description:
        "Every monitorable resource (Lambda, SQS, RDS, load balancers, ECS services, DynamoDB, API Gateway, EC2, ElastiCache, Kinesis, Step Functions, EKS) must be covered by a CloudWatch alarm with an action on one of its key metrics.",
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
            for (const r of args.resources.filter((x) => x.type === rule.type && (rule.applies?.(x) ?? true))) {
                monitorable++;
                const watches = rule.watches(r, args.resources);
                const result = coverage(watches, rule.sources(r, args.resources), alarms);
                const wanted = wantedAlarm(watches);
                if (result === "uncovered") {
                    reportViolation(
                        `The ${rule.kind} "${r.name}" must be covered by ${wanted}, with at least one alarm action; no such alarm is in the stack. ` +
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
