import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { Problem, UserError } from "../lib/errors";

/** Thresholds of the standard alarms. Every field may be overridden; see `DEFAULT_THRESHOLDS`. */
export interface StackMonitoringThresholds {
    /** Lambda `Errors` (Sum over one period) at or above which the alarm fires. @default 1 */
    readonly lambdaErrors?: number;
    /** Lambda `Throttles` (Sum over one period). @default 1 */
    readonly lambdaThrottles?: number;
    /** SQS `ApproximateAgeOfOldestMessage` in seconds (Maximum). @default 900 */
    readonly queueOldestMessageAgeSeconds?: number;
    /** RDS `CPUUtilization` percent (Average over 3 periods). @default 80 */
    readonly databaseCpuPercent?: number;
    /** RDS `FreeStorageSpace` in bytes at or below which the alarm fires (Minimum). @default 10 GiB */
    readonly databaseFreeStorageBytes?: number;
    /** ALB `HTTPCode_ELB_5XX_Count` (Sum over one period). @default 5 */
    readonly loadBalancer5xxCount?: number;
    /** ALB `TargetResponseTime` p99 in seconds (over 3 periods). @default 2 */
    readonly loadBalancerP99ResponseSeconds?: number;
    /** ECS service `CPUUtilization` percent (Average over 3 periods). @default 80 */
    readonly serviceCpuPercent?: number;
    /** ECS service `MemoryUtilization` percent (Average over 3 periods). @default 80 */
    readonly serviceMemoryPercent?: number;
    /** DynamoDB `ThrottledRequests` summed over all operations (Sum over one period). @default 1 */
    readonly tableThrottledRequests?: number;
    /** API Gateway `5XXError` (Sum over one period). @default 1 */
    readonly api5xxErrors?: number;
    /** Period of every alarm, in seconds (60 or a multiple of 60). @default 300 */
    readonly periodSeconds?: number;
}

/** The thresholds used when none is given. */
export const DEFAULT_THRESHOLDS: Readonly<Required<StackMonitoringThresholds>> = Object.freeze({
    lambdaErrors: 1,
    lambdaThrottles: 1,
    queueOldestMessageAgeSeconds: 900,
    databaseCpuPercent: 80,
    databaseFreeStorageBytes: 10 * 1024 ** 3,
    loadBalancer5xxCount: 5,
    loadBalancerP99ResponseSeconds: 2,
    serviceCpuPercent: 80,
    serviceMemoryPercent: 80,
    tableThrottledRequests: 1,
    api5xxErrors: 1,
    periodSeconds: 300,
});

/** An API Gateway REST API stage; REST API metrics are reported per API name and stage. */
export interface MonitoredApiStage {
    readonly api: aws.apigateway.RestApi;
    readonly stage: aws.apigateway.Stage;
}

/**
 * The resources to watch, each map keyed by a stable name (conventionally the resource's logical
 * name); alarm names are `<component name>-<key>-<alarm>`, so renaming a key replaces its alarms.
 */
export interface MonitoredResources {
    /** @default {} */
    readonly functions?: Readonly<Record<string, aws.lambda.Function>>;
    /** @default {} */
    readonly queues?: Readonly<Record<string, aws.sqs.Queue>>;
    /** RDS DB instances. @default {} */
    readonly databases?: Readonly<Record<string, aws.rds.Instance>>;
    /** Application Load Balancers (HTTP metrics). @default {} */
    readonly loadBalancers?: Readonly<Record<string, aws.lb.LoadBalancer | aws.alb.LoadBalancer>>;
    /** ECS services. @default {} */
    readonly services?: Readonly<Record<string, aws.ecs.Service>>;
    /** DynamoDB tables. @default {} */
    readonly tables?: Readonly<Record<string, aws.dynamodb.Table>>;
    /** API Gateway REST API stages. @default {} */
    readonly apiStages?: Readonly<Record<string, MonitoredApiStage>>;
}

export interface StackMonitoringArgs {
    /** SNS topic notified when an alarm fires and when it returns to OK (the organization's topic or a team topic). */
    readonly notificationTopicArn: pulumi.Input<string>;
    /** The stack's resources to watch. */
    readonly resources: MonitoredResources;
    /** Threshold overrides. @default DEFAULT_THRESHOLDS */
    readonly thresholds?: StackMonitoringThresholds;
    /** Create a CloudWatch dashboard with the status of every alarm. @default true */
    readonly dashboard?: boolean;
}

/** DynamoDB operations whose `ThrottledRequests` are summed (the metric has TableName and Operation dimensions). */
export const DYNAMODB_OPERATIONS: readonly string[] = [
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
];

const PERCENT_KEYS: readonly (keyof StackMonitoringThresholds)[] = ["databaseCpuPercent", "serviceCpuPercent", "serviceMemoryPercent"];

/** Merges overrides into the defaults and checks them; every problem is reported at once. */
export function resolveThresholds(overrides: StackMonitoringThresholds = {}): Required<StackMonitoringThresholds> {
    const merged = { ...DEFAULT_THRESHOLDS, ...overrides } as Required<StackMonitoringThresholds>;
    const problems: Problem[] = [];
    for (const key of Object.keys(overrides) as (keyof StackMonitoringThresholds)[]) {
        if (!(key in DEFAULT_THRESHOLDS)) {
            problems.push({ path: `thresholds.${key}`, allowed: `one of ${Object.keys(DEFAULT_THRESHOLDS).join(", ")}`, received: "an unknown key" });
            continue;
        }
        const v = merged[key];
        if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
            problems.push({ path: `thresholds.${key}`, allowed: "a finite number >= 0", received: JSON.stringify(v) ?? String(v) });
        } else if (PERCENT_KEYS.includes(key) && v > 100) {
            problems.push({ path: `thresholds.${key}`, allowed: "a percentage between 0 and 100", received: String(v) });
        } else if (key === "periodSeconds" && (v < 60 || v % 60 !== 0)) {
            problems.push({ path: `thresholds.${key}`, allowed: "60 or a multiple of 60", received: String(v) });
        }
    }
    if (problems.length > 0) {
        throw new UserError("Invalid StackMonitoring thresholds", problems);
    }
    return merged;
}

/** Last path segment of an ARN (`arn:aws:ecs:...:cluster/name` → `name`). */
function lastSegment(arn: string): string {
    return arn.split("/").pop() ?? arn;
}

interface AlarmSpec {
    readonly suffix: string;
    readonly description: string;
    readonly namespace?: string;
    readonly metricName?: string;
    readonly dimensions?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    readonly statistic?: string;
    readonly extendedStatistic?: string;
    readonly metricQueries?: aws.types.input.cloudwatch.MetricAlarmMetricQuery[];
    readonly comparisonOperator: string;
    readonly threshold: number;
    readonly evaluationPeriods: number;
    readonly treatMissingData: string;
}

/**
 * The standard CloudWatch alarms for an application stack's monitorable resources (Lambda errors and
 * throttles, SQS age of oldest message, RDS CPU and free storage, ALB 5xx and p99 latency, ECS CPU
 * and memory, DynamoDB throttled requests, API Gateway 5xx), each notifying the topic on ALARM and
 * on OK, and a dashboard with their status. A stack that passes all its monitorable resources here
 * satisfies the `monitoring-enabled` policy.
 */
export class StackMonitoring extends pulumi.ComponentResource {
    /** Alarm ARNs by alarm logical name. */
    public readonly alarmArns: Record<string, pulumi.Output<string>>;
    /** Name of the dashboard, when one is created. */
    public readonly dashboardName: pulumi.Output<string> | undefined;

    constructor(name: string, args: StackMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:monitoring:StackMonitoring", name, {}, opts);
        const t = resolveThresholds(args.thresholds);
        const r = args.resources;
        const alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};

        const add = (key: string, spec: AlarmSpec): void => {
            const logical = `${name}-${key}-${spec.suffix}`;
            alarms[logical] = new aws.cloudwatch.MetricAlarm(
                logical,
                {
                    alarmDescription: spec.description,
                    namespace: spec.namespace,
                    metricName: spec.metricName,
                    dimensions: spec.dimensions,
                    statistic: spec.statistic,
                    extendedStatistic: spec.extendedStatistic,
                    metricQueries: spec.metricQueries,
                    period: spec.metricQueries ? undefined : t.periodSeconds,
                    comparisonOperator: spec.comparisonOperator,
                    threshold: spec.threshold,
                    evaluationPeriods: spec.evaluationPeriods,
                    datapointsToAlarm: spec.evaluationPeriods,
                    treatMissingData: spec.treatMissingData,
                    actionsEnabled: true,
                    alarmActions: [args.notificationTopicArn],
                    okActions: [args.notificationTopicArn],
                },
                { parent: this },
            );
        };
        const gte = "GreaterThanOrEqualToThreshold";

        for (const [key, fn] of Object.entries(r.functions ?? {})) {
            const dimensions = { FunctionName: fn.name };
            add(key, { suffix: "errors", description: `Lambda function ${key} reports errors.`, namespace: "AWS/Lambda", metricName: "Errors", dimensions, statistic: "Sum", comparisonOperator: gte, threshold: t.lambdaErrors, evaluationPeriods: 1, treatMissingData: "notBreaching" });
            add(key, { suffix: "throttles", description: `Lambda function ${key} is throttled.`, namespace: "AWS/Lambda", metricName: "Throttles", dimensions, statistic: "Sum", comparisonOperator: gte, threshold: t.lambdaThrottles, evaluationPeriods: 1, treatMissingData: "notBreaching" });
        }
        for (const [key, queue] of Object.entries(r.queues ?? {})) {
            add(key, { suffix: "oldest-message-age", description: `Messages in queue ${key} wait longer than ${t.queueOldestMessageAgeSeconds} s.`, namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage", dimensions: { QueueName: queue.name }, statistic: "Maximum", comparisonOperator: gte, threshold: t.queueOldestMessageAgeSeconds, evaluationPeriods: 1, treatMissingData: "notBreaching" });
        }
        for (const [key, db] of Object.entries(r.databases ?? {})) {
            const dimensions = { DBInstanceIdentifier: db.identifier };
            add(key, { suffix: "cpu", description: `Database ${key} CPU at or above ${t.databaseCpuPercent}%.`, namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions, statistic: "Average", comparisonOperator: gte, threshold: t.databaseCpuPercent, evaluationPeriods: 3, treatMissingData: "missing" });
            add(key, { suffix: "free-storage", description: `Database ${key} has ${t.databaseFreeStorageBytes} bytes of storage left or less.`, namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimensions, statistic: "Minimum", comparisonOperator: "LessThanOrEqualToThreshold", threshold: t.databaseFreeStorageBytes, evaluationPeriods: 1, treatMissingData: "missing" });
        }
        for (const [key, lb] of Object.entries(r.loadBalancers ?? {})) {
            const dimensions = { LoadBalancer: lb.arnSuffix };
            add(key, { suffix: "elb-5xx", description: `Load balancer ${key} returns 5xx responses.`, namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions, statistic: "Sum", comparisonOperator: gte, threshold: t.loadBalancer5xxCount, evaluationPeriods: 1, treatMissingData: "notBreaching" });
            add(key, { suffix: "p99-response-time", description: `Load balancer ${key} p99 target response time at or above ${t.loadBalancerP99ResponseSeconds} s.`, namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", dimensions, extendedStatistic: "p99", comparisonOperator: gte, threshold: t.loadBalancerP99ResponseSeconds, evaluationPeriods: 3, treatMissingData: "notBreaching" });
        }
        for (const [key, svc] of Object.entries(r.services ?? {})) {
            const dimensions = { ClusterName: svc.cluster.apply(lastSegment), ServiceName: svc.name };
            add(key, { suffix: "cpu", description: `ECS service ${key} CPU at or above ${t.serviceCpuPercent}%.`, namespace: "AWS/ECS", metricName: "CPUUtilization", dimensions, statistic: "Average", comparisonOperator: gte, threshold: t.serviceCpuPercent, evaluationPeriods: 3, treatMissingData: "missing" });
            add(key, { suffix: "memory", description: `ECS service ${key} memory at or above ${t.serviceMemoryPercent}%.`, namespace: "AWS/ECS", metricName: "MemoryUtilization", dimensions, statistic: "Average", comparisonOperator: gte, threshold: t.serviceMemoryPercent, evaluationPeriods: 3, treatMissingData: "missing" });
        }
        for (const [key, table] of Object.entries(r.tables ?? {})) {
            // ThrottledRequests is published per TableName and Operation; sum the operations with metric math.
            // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
            const metricQueries: aws.types.input.cloudwatch.MetricAlarmMetricQuery[] = [
                { id: "throttled", expression: "SUM(METRICS())", label: `${key} ThrottledRequests`, returnData: true },
                ...DYNAMODB_OPERATIONS.map((op) => ({
                    id: `m${op.toLowerCase()}`,
                    returnData: false,
                    metric: { namespace: "AWS/DynamoDB", metricName: "ThrottledRequests", dimensions: { TableName: table.name, Operation: op }, stat: "Sum", period: t.periodSeconds },
                })),
            ];
            add(key, { suffix: "throttled-requests", description: `DynamoDB table ${key} throttles requests.`, metricQueries, comparisonOperator: gte, threshold: t.tableThrottledRequests, evaluationPeriods: 1, treatMissingData: "notBreaching" });
        }
        for (const [key, { api, stage }] of Object.entries(r.apiStages ?? {})) {
            add(key, { suffix: "5xx", description: `API ${key} returns 5xx errors.`, namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions: { ApiName: api.name, Stage: stage.stageName }, statistic: "Sum", comparisonOperator: gte, threshold: t.api5xxErrors, evaluationPeriods: 1, treatMissingData: "notBreaching" });
        }

        this.alarmArns = Object.fromEntries(Object.entries(alarms).map(([k, a]) => [k, a.arn]));
        const arns = Object.values(alarms).map((a) => a.arn);
        if ((args.dashboard ?? true) && arns.length > 0) {
            const dashboard = new aws.cloudwatch.Dashboard(
                `${name}-dashboard`,
                {
                    dashboardName: dashboardNameOf(name),
                    dashboardBody: pulumi.all(arns).apply((list) => JSON.stringify(dashboardBody(name, list))),
                },
                { parent: this },
            );
            this.dashboardName = dashboard.dashboardName;
        }
        this.registerOutputs({ alarmArns: this.alarmArns, dashboardName: this.dashboardName });
    }
}

/** Dashboard name from the component name (letters, digits, `-` and `_` only). */
export function dashboardNameOf(componentName: string): string {
    return `${componentName.replace(/[^A-Za-z0-9_-]+/g, "-")}-monitoring`.slice(0, 255);
}

/** Alarm status widgets (at most 100 alarms each) for the given alarm ARNs. */
export function dashboardBody(title: string, alarmArns: readonly string[]): { widgets: object[] } {
    const widgets: object[] = [];
    for (let i = 0; i < alarmArns.length; i += 100) {
        widgets.push({
            type: "alarm",
            x: 0,
            y: (i / 100) * 6,
            width: 24,
            height: 6,
            properties: { title: `${title} alarms`, alarms: alarmArns.slice(i, i + 100), sortBy: "stateUpdatedTimestamp" },
        });
    }
    return { widgets };
}
