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
    /** Dimensions a Metrics Insights query groups by: every value of them is watched (one contributor each). @default - none */
    readonly groupedBy?: ReadonlySet<string>;
    /** A Metrics Insights query orgwatch cannot read soundly: it is not judged (neither covers nor fails). @default false */
    readonly opaque?: boolean;
    /** Read from a Metrics Insights query (a missing naming dimension means an aggregate: not judged). @default false */
    readonly sql?: boolean;
    /** `SCHEMA(namespace, keys...)`: the query matches only metrics with exactly these dimension keys. @default - no SCHEMA */
    readonly schema?: ReadonlySet<string>;
}

const UNKNOWN_READ: Read<unknown> = { known: false, path: "metricQueries" };

/** `"AWS/Lambda"` or `Errors` (Metrics Insights identifiers: double-quoted, or letters, digits and underscores). */
function sqlIdentifier(text: string): string | undefined {
    const t = text.trim();
    const quoted = /^"((?:[^"\\]|\\.)+)"$/.exec(t);
    if (quoted) {
        return quoted[1].replace(/\\(.)/g, "$1");
    }
    return /^[A-Za-z0-9_]+$/.test(t) ? t : undefined;
}

/**
 * A Metrics Insights alarm query (`SELECT FUNCTION(metric) FROM namespace | SCHEMA(namespace, dims...)
 * [WHERE dim = 'value' [AND ...]] [GROUP BY dim, ...] [ORDER BY FUNCTION() [ASC|DESC]] [LIMIT n]`), read as
 * the metric it watches. Only equality filters joined by AND are read; any other filter (!=, LIKE, OR, IN,
 * ...) makes the query opaque: it is not judged. An alarm on a query that groups by a dimension watches
 * every series of that dimension (each is a contributor), unless `LIMIT` keeps only the top or bottom n
 * series: then which resources it watches changes with their values, and the query is opaque.
 * The namespace may be unquoted (`FROM AWS/EC2`, as on the alarm page's examples).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/multi-time-series-alarm.html
 */
export function metricsInsightsMetric(query: string): {
    namespace: string | undefined;
    metricName: string | undefined;
    dimensions: Record<string, string>;
    groupedBy: Set<string>;
    schema: Set<string> | undefined;
    opaque: boolean;
} | undefined {
    const m = /^\s*SELECT\s+(?:AVG|COUNT|MAX|MIN|SUM)\s*\(\s*("(?:[^"\\]|\\.)+"|[A-Za-z0-9_]+)\s*\)\s+FROM\s+(SCHEMA\s*\(([^)]*)\)|"(?:[^"\\]|\\.)+"|[A-Za-z0-9_/.#:-]+)(?=\s|;|$)([\s\S]*)$/i.exec(query);
    if (!m) {
        return /^\s*SELECT\b/i.test(query) ? { namespace: undefined, metricName: undefined, dimensions: {}, groupedBy: new Set(), schema: undefined, opaque: true } : undefined;
    }
    const metricName = sqlIdentifier(m[1]);
    const schemaArgs = m[3] !== undefined ? m[3].split(",") : undefined;
    const namespace = schemaArgs !== undefined ? namespaceIdentifier(schemaArgs[0]) : namespaceIdentifier(m[2]);
    const rest = m[4];
    const clauses = /^\s*(?:WHERE\s+([\s\S]*?))?\s*(?:GROUP\s+BY\s+([\s\S]*?))?\s*(ORDER\s+BY\s+[\s\S]*?)?\s*(LIMIT\s+\d+)?\s*;?\s*$/i.exec(rest);
    const opaque = { namespace, metricName, dimensions: {}, groupedBy: new Set<string>(), schema: undefined, opaque: true };
    if (!clauses || metricName === undefined || namespace === undefined) {
        return opaque;
    }
    let schema: Set<string> | undefined;
    if (schemaArgs !== undefined) {
        schema = new Set<string>();
        for (const a of schemaArgs.slice(1)) {
            const key = sqlIdentifier(a);
            if (key === undefined) {
                return opaque;
            }
            schema.add(key);
        }
    }
    const dimensions: Record<string, string> = {};
    if (clauses[1] !== undefined) {
        const condition = /^\s*("(?:[^"\\]|\\.)+"|[A-Za-z0-9_]+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*(?:AND\s+|$)/i;
        let where = clauses[1];
        while (where.trim().length > 0) {
            const c = condition.exec(where);
            const key = c ? sqlIdentifier(c[1]) : undefined;
            if (!c || key === undefined) {
                return opaque;
            }
            dimensions[key] = c[2].replace(/\\(.)/g, "$1");
            where = where.slice(c[0].length);
        }
    }
    const groupedBy = new Set<string>();
    for (const g of clauses[2] !== undefined ? clauses[2].split(",") : []) {
        const key = sqlIdentifier(g);
        if (key === undefined) {
            return opaque;
        }
        groupedBy.add(key);
    }
    if (groupedBy.size > 0 && clauses[4] !== undefined) {
        // Only the top (or bottom) n series by the ORDER BY value are contributors: not every resource.
        return { ...opaque, schema };
    }
    return { namespace, metricName, dimensions, groupedBy, schema, opaque: false };
}

/** A namespace in FROM or SCHEMA: double-quoted, or unquoted as the alarm page writes it (`AWS/EC2`). */
function namespaceIdentifier(text: string): string | undefined {
    const t = text.trim();
    return sqlIdentifier(t) ?? (/^[A-Za-z0-9_/.#:-]+$/.test(t) ? t : undefined);
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

/**
 * The indexes of the metric queries the alarm's returned expression uses: the one query with
 * `returnData: true` and every query whose `id` it names, transitively. Undefined when that cannot be
 * told (no known single returned query, or an id or expression unknown at preview): all are kept.
 */
function usedQueries(list: readonly Record<string, unknown>[]): Set<number> | undefined {
    const ids = list.map((q) => read(() => q["id"]));
    const returned = list.map((q) => read(() => q["returnData"]));
    if (ids.some((id) => !id.known || typeof id.value !== "string") || returned.some((r) => !r.known)) {
        return undefined;
    }
    const roots = returned.flatMap((r, i) => (r.known && r.value === true ? [i] : []));
    if (roots.length !== 1) {
        return undefined;
    }
    const used = new Set<number>();
    const todo = [...roots];
    while (todo.length > 0) {
        const i = todo.pop() as number;
        if (used.has(i)) {
            continue;
        }
        used.add(i);
        const expression = read(() => list[i]["expression"]);
        if (!expression.known) {
            return undefined;
        }
        if (typeof expression.value === "string" && /\bMETRICS\s*\(/i.test(expression.value)) {
            return undefined; // METRICS() takes every metric of the alarm (or those whose id contains a string)
        }
        if (typeof expression.value === "string" && !/^\s*SELECT\b/i.test(expression.value)) {
            const names = new Set(expression.value.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
            ids.forEach((id, j) => {
                if (id.known && names.has(String(id.value))) {
                    todo.push(j);
                }
            });
        }
    }
    return used;
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
    // Metric math alarms: each query may carry a metric. Only the queries the returned expression
    // (returnData: true) uses, directly or through other expressions, are what the alarm watches:
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html
    const queries = read(() => props["metricQueries"]);
    if (queries.known && Array.isArray(queries.value)) {
        const list = queries.value as Record<string, unknown>[];
        const used = usedQueries(list);
        for (const [i, q] of list.entries()) {
            if (used !== undefined && !used.has(i)) {
                continue;
            }
            const m = read(() => q["metric"] as Record<string, unknown> | undefined);
            const expression = read(() => q["expression"]);
            if (!expression.known && (!m.known || !m.value)) {
                metrics.push({ namespace: UNKNOWN_READ, metricName: UNKNOWN_READ, dimensions: {}, opaque: true });
            } else if (expression.known && typeof expression.value === "string") {
                const sql = metricsInsightsMetric(expression.value);
                if (sql) {
                    const dimensions: Record<string, Read<unknown>> = {};
                    for (const [k, v] of Object.entries(sql.dimensions)) {
                        dimensions[k] = { known: true, value: v };
                    }
                    metrics.push({
                        namespace: sql.namespace !== undefined ? { known: true, value: sql.namespace } : UNKNOWN_READ,
                        metricName: sql.metricName !== undefined ? { known: true, value: sql.metricName } : UNKNOWN_READ,
                        dimensions,
                        groupedBy: sql.groupedBy,
                        opaque: sql.opaque,
                        sql: true,
                        ...(sql.schema !== undefined ? { schema: sql.schema } : {}),
                    });
                }
            }
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

interface WatchResult {
    readonly hit: "hit" | "miss" | "undecided";

    /** For an alarm on a key metric whose dimensions do not name the resource: what they hold instead. */
    readonly near?: { readonly namespace: string; readonly metricName: string; readonly held: string };
}

/** Whether one metric of an alarm is a key metric of the resource under the naming dimensions of `watch`. */
function watchHit(watch: MetricWatch, m: AlarmMetric, alarm: AlarmInfo, sources: ReadonlySet<string>): WatchResult {
    if ((m.namespace.known && m.namespace.value !== watch.namespace) || (m.metricName.known && !watch.metrics.includes(String(m.metricName.value)))) {
        return { hit: "miss" };
    }
    if (m.opaque) {
        return { hit: "undecided" };
    }
    const names = Object.keys(watch.dimensions);
    const grouped = m.groupedBy ?? new Set<string>();
    const held = (): string =>
        names
            .map((n) => {
                const d = m.dimensions[n];
                return d === undefined ? `no ${n} dimension` : `${n} = ${d.known ? show(d.value) : "a value unknown at preview"}`;
            })
            .join(" and ");
    const nearWith = (what: string): WatchResult =>
        m.namespace.known && m.metricName.known
            ? { hit: "miss", near: { namespace: String(m.namespace.value), metricName: String(m.metricName.value), held: what } }
            : { hit: "miss" };
    const near = (): WatchResult => nearWith(held());
    const keys = [...new Set([...Object.keys(m.dimensions), ...grouped])];
    if (m.schema !== undefined) {
        // SCHEMA limits the query to metrics with exactly its keys: a filter or group on another key matches nothing.
        const outside = keys.filter((k) => !m.schema?.has(k));
        if (outside.length > 0) {
            return nearWith(`${outside.join(" and ")} outside its SCHEMA(${[...m.schema].join(", ")}), so it matches no metric`);
        }
    }
    if (m.sql && names.some((n) => m.dimensions[n] === undefined && !grouped.has(n))) {
        // An aggregate across resources (no naming filter, no GROUP BY): not judged.
        return { hit: "undecided" };
    }
    if (names.some((n) => m.dimensions[n] === undefined && !grouped.has(n))) {
        return near();
    }
    // A dimension CloudWatch does not report this metric with narrows it to nothing; where the row
    // lists no documented dimension sets, such an alarm is not judged.
    const allowedKeys = new Set([...names, ...Object.keys(watch.narrowing ?? {}), ...(watch.otherDimensions ?? [])]);
    const extra = [...keys, ...(m.schema ?? [])].filter((k) => !allowedKeys.has(k));
    if (extra.length > 0) {
        if (watch.otherDimensions === undefined) {
            return { hit: "undecided" };
        }
        return nearWith(`${held()} and ${[...new Set(extra)].join(" and ")}, a dimension CloudWatch does not report it with`);
    }
    const metricName = m.metricName.known ? String(m.metricName.value) : undefined;
    const uncollected = metricName !== undefined ? watch.uncollected?.get(metricName) : undefined;
    if (uncollected !== undefined) {
        return nearWith(`${held()}, ${uncollected}`);
    }
    if (metricName !== undefined && watch.collectionUnknown?.includes(metricName)) {
        return { hit: "undecided" };
    }
    for (const [name, allowed] of Object.entries(watch.narrowing ?? {})) {
        const v = m.dimensions[name];
        if (v?.known && !allowed.has(String(v.value))) {
            return near();
        }
    }
    const dims = names.filter((n) => m.dimensions[n] !== undefined).map((n) => [n, m.dimensions[n]] as const);
    const allKnown = m.namespace.known && m.metricName.known && dims.every(([, d]) => d.known);
    if (allKnown) {
        return dims.every(([n, d]) => d.known && typeof d.value === "string" && dimensionMatches(watch.dimensions[n], d.value)) ? { hit: "hit" } : near();
    }
    // Unknown at preview: the alarm's dimensions are fed by this resource's outputs?
    const deps = [...(alarm.resource.propertyDependencies["dimensions"] ?? []), ...(alarm.resource.propertyDependencies["metricQueries"] ?? [])];
    return { hit: deps.some((d) => sources.has(d.urn)) ? "hit" : "undecided" };
}

/** An alarm metric on a key metric whose dimensions name no resource: what it holds, keyed by the metric. */
interface NearMiss {
    readonly metric: AlarmMetric;
    readonly alarm: string;
    readonly namespace: string;
    readonly metricName: string;
    readonly held: string;
}

/** `alarm "a" watches AWS/EC2 X and Y with InstanceId = "..."`, one phrase per alarm, namespace and dimension values. */
function describeNearMisses(misses: readonly NearMiss[]): string[] {
    const groups = new Map<string, { head: NearMiss; metrics: string[] }>();
    for (const n of misses) {
        const key = JSON.stringify([n.alarm, n.namespace, n.held]);
        const g = groups.get(key) ?? { head: n, metrics: [] };
        if (!g.metrics.includes(n.metricName)) {
            g.metrics.push(n.metricName);
        }
        groups.set(key, g);
    }
    return [...groups.values()].map((g) => `alarm "${g.head.alarm}" watches ${g.head.namespace} ${g.metrics.join(" and ")} with ${g.head.held}`);
}

function coverage(
    watches: readonly MetricWatch[],
    sourceList: readonly PolicyResource[],
    alarms: readonly AlarmInfo[],
    hits: Set<AlarmMetric>,
): { result: Coverage; near: NearMiss[] } {
    const sources = new Set(sourceList.map((s) => s.urn));
    const identifiable = watches.some((w) => Object.values(w.dimensions).every((d) => d.values.size > 0 || d.pattern !== undefined));
    let best: Coverage = !identifiable && sources.size === 0 ? "undecided" : "uncovered";
    const near: NearMiss[] = [];
    let covered = false;
    for (const alarm of alarms) {
        for (const m of alarm.metrics) {
            for (const watch of watches) {
                const r = watchHit(watch, m, alarm, sources);
                if (r.near !== undefined) {
                    near.push({ metric: m, alarm: alarm.resource.name, ...r.near });
                }
                if (r.hit === "undecided") {
                    best = best === "uncovered" ? "undecided" : best;
                } else if (r.hit === "hit") {
                    hits.add(m);
                    if (alarm.hasAction) {
                        covered = true;
                    } else {
                        best = "no-action";
                    }
                }
            }
        }
    }
    return { result: covered ? "covered" : best, near };
}

function article(word: string): string {
    return /^[AEIOU]/i.test(word) ? "an" : "a";
}

/** The alarm a resource needs, in words: `an AWS/ECS alarm on CPUUtilization or ... with dimensions ClusterName = "main" and ...`. */
export function wantedAlarm(watches: readonly MetricWatch[]): string {
    return watches
        .map((w) => {
            const dims = Object.entries(w.dimensions).map(([name, d]) => {
                const value = [...d.values][0];
                return `${name} = ${value !== undefined ? show(value) : d.describe}`;
            });
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
        "Every monitorable resource (Lambda, SQS, RDS, load balancers, ECS services, DynamoDB, API Gateway, EC2 instances and Auto Scaling groups, ElastiCache, Kinesis, Step Functions, EKS) must be covered by a CloudWatch alarm with an action on one of its key metrics.",
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
        // First every resource's coverage, then the messages: an alarm that names another resource of
        // the stack is not shown as a near miss of this one.
        const hits = new Set<AlarmMetric>();
        const results: { rule: (typeof KEY_METRIC_RULES)[number]; r: PolicyResource; watches: readonly MetricWatch[]; result: Coverage; near: NearMiss[] }[] = [];
        for (const rule of KEY_METRIC_RULES) {
            for (const r of args.resources.filter((x) => x.type === rule.type && (rule.applies?.(x) ?? true))) {
                const watches = rule.watches(r, args.resources);
                results.push({ rule, r, watches, ...coverage(watches, rule.sources(r, args.resources), alarms, hits) });
            }
        }
        const monitorable = results.length;
        for (const { rule, r, watches, result, near } of results) {
            const wanted = wantedAlarm(watches);
            const misses = describeNearMisses(near.filter((n) => !hits.has(n.metric)));
            if (result === "uncovered") {
                const found =
                    misses.length > 0
                        ? `${misses.join("; ")}, ${misses.length > 1 ? "none of which names" : "which does not name"} it. Set the alarm's dimensions to the values above`
                        : "no such alarm is in the stack. Add one (orgwatch's StackMonitoring component creates the standard alarms)";
                reportViolation(
                    `The ${rule.kind} "${r.name}" must be covered by ${wanted}, with at least one alarm action; ${found} or exempt the stack with the ` +
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
