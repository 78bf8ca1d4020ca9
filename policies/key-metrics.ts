import { PolicyResource } from "@pulumi/policy";

import { identifiersOf, knownString, propsOf, read, TYPES } from "./common";

/*
 * The catalogue behind `monitoring-enabled`: for each monitorable resource type, the CloudWatch
 * metrics that say it is unwell and the dimensions under which CloudWatch reports them, with the
 * dimension values derived from the resource's outputs the way CloudWatch names the resource.
 * Namespaces, metric names and dimensions are those of each service's "CloudWatch metrics" page
 * (cited per row).
 */

/** The values a dimension may hold for one resource. */
export interface DimensionMatch {
    /** Exact values (a name, an id, an ARN, an ARN suffix). */
    readonly values: ReadonlySet<string>;
    /** Values accepted by shape, for names CloudWatch derives (ElastiCache member clusters). @default - none */
    readonly pattern?: RegExp;
    /** What a message shows, in words, as the expected value when `values` is empty (unknown at preview). */
    readonly describe: string;
}

/** One way CloudWatch reports a resource's health: a namespace, its key metrics and the naming dimensions. */
export interface MetricWatch {
    readonly namespace: string;
    /** Key metrics; an alarm on any one of them covers the resource. */
    readonly metrics: readonly string[];
    /** Dimensions that must all be present on the alarm's metric and name this resource. */
    readonly dimensions: Readonly<Record<string, DimensionMatch>>;
    /** Dimensions that may be present; when present and known they must hold one of these values. @default - none */
    readonly narrowing?: Readonly<Record<string, ReadonlySet<string>>>;
    /**
     * Further dimensions CloudWatch documents for these metrics next to the naming ones; an alarm with any
     * other dimension watches a metric that is not reported. @default - not documented here: such alarms are not judged
     */
    readonly otherDimensions?: readonly string[];
    /** Key metrics the resource does not report as configured, with the fix in words. @default - none */
    readonly uncollected?: ReadonlyMap<string, string>;
    /** Key metrics whose collection is unknown at preview: an alarm on them is not judged. @default - none */
    readonly collectionUnknown?: readonly string[];
}

/** How a monitorable resource type is watched. */
export interface KeyMetricRule {
    readonly type: string;
    /** Human name used in messages. */
    readonly kind: string;
    /** Whether the rule applies to this resource of its type. @default - always */
    readonly applies?: (r: PolicyResource) => boolean;
    /** The ways the resource may be watched; an alarm matching any one covers it. */
    readonly watches: (r: PolicyResource, all: readonly PolicyResource[]) => readonly MetricWatch[];
    /** Resources whose outputs feed the dimension values (for matching values unknown at preview). */
    readonly sources: (r: PolicyResource, all: readonly PolicyResource[]) => readonly PolicyResource[];
}

/** The known, non-empty string values of the given output properties. */
function outputs(r: PolicyResource, keys: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const key of keys) {
        const v = knownString(r, key);
        if (v !== undefined) {
            out.add(v);
        }
    }
    return out;
}

/** ElastiCache stores cluster and replication group ids in lower case, and CloudWatch reports them so. */
function lowercase(values: Iterable<string>): Set<string> {
    return new Set([...values].map((v) => v.toLowerCase()));
}

function exact(values: Iterable<string>, describe: string): DimensionMatch {
    return { values: new Set(values), describe };
}

/** True when a dimension value names the resource. */
export function dimensionMatches(match: DimensionMatch, value: string): boolean {
    return match.values.has(value) || (match.pattern !== undefined && match.pattern.test(value));
}

const self = (r: PolicyResource): readonly PolicyResource[] => [r];

/** `app/<name>/<id>` from `arn:...:loadbalancer/app/<name>/<id>`: the LoadBalancer dimension value. */
export function loadBalancerArnSuffix(arn: string): string | undefined {
    const i = arn.indexOf(":loadbalancer/");
    return i >= 0 ? arn.slice(i + ":loadbalancer/".length) : undefined;
}

/** `targetgroup/<name>/<id>` from a target group ARN: the TargetGroup dimension value. */
export function targetGroupArnSuffix(arn: string): string | undefined {
    const i = arn.indexOf(":targetgroup/");
    return i >= 0 ? arn.slice(i + 1) : undefined;
}

/** The cluster name in an ECS cluster reference (`arn:...:cluster/<name>` or the bare name). */
export function ecsClusterName(ref: string): string {
    const i = ref.indexOf(":cluster/");
    return i >= 0 ? ref.slice(i + ":cluster/".length) : ref;
}

function lbKind(r: PolicyResource): string {
    const t = read(() => propsOf(r)["loadBalancerType"]);
    return t.known && typeof t.value === "string" ? t.value : "application";
}

const LB_NAMESPACES: Readonly<Record<string, string>> = { application: "AWS/ApplicationELB", network: "AWS/NetworkELB", gateway: "AWS/GatewayELB" };

/** Key metrics of load balancers and target groups per namespace (Elastic Load Balancing CloudWatch metrics pages). */
const LB_METRICS: Readonly<Record<string, readonly string[]>> = {
    "AWS/ApplicationELB": ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"],
    "AWS/NetworkELB": ["UnHealthyHostCount", "HealthyHostCount"],
    "AWS/GatewayELB": ["UnHealthyHostCount", "HealthyHostCount"],
};

/** Target group key metrics: the subset of the load balancer's metrics reported per TargetGroup. */
const TARGET_GROUP_METRICS: Readonly<Record<string, readonly string[]>> = {
    "AWS/ApplicationELB": ["HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount", "HealthyHostCount"],
    "AWS/NetworkELB": ["UnHealthyHostCount", "HealthyHostCount"],
    "AWS/GatewayELB": ["UnHealthyHostCount", "HealthyHostCount"],
};

const TARGET_GROUP_TYPES: readonly string[] = [TYPES.lbTargetGroup, TYPES.albTargetGroup];

/** Namespaces a target group reports under, from its protocol (unknown: either ALB or NLB). */
function targetGroupNamespaces(tg: PolicyResource | undefined): string[] {
    const protocol = tg ? read(() => propsOf(tg)["protocol"]) : undefined;
    const targetType = tg ? read(() => propsOf(tg)["targetType"]) : undefined;
    if (targetType?.known && targetType.value === "lambda") {
        return ["AWS/ApplicationELB"];
    }
    if (!protocol?.known || typeof protocol.value !== "string") {
        return ["AWS/ApplicationELB", "AWS/NetworkELB"];
    }
    if (protocol.value === "HTTP" || protocol.value === "HTTPS") {
        return ["AWS/ApplicationELB"];
    }
    return protocol.value === "GENEVE" ? ["AWS/GatewayELB"] : ["AWS/NetworkELB"];
}

/** The target groups an ECS service registers its tasks with (`loadBalancers[].targetGroupArn`). */
interface ServiceTargetGroup {
    readonly resource: PolicyResource | undefined;
    readonly suffixes: Set<string>;
}

function serviceTargetGroups(svc: PolicyResource, all: readonly PolicyResource[]): ServiceTargetGroup[] {
    const lbs = read(() => propsOf(svc)["loadBalancers"]);
    const out: ServiceTargetGroup[] = [];
    const byDependency = (svc.propertyDependencies["loadBalancers"] ?? []).filter((d) => TARGET_GROUP_TYPES.includes(d.type));
    const entries = lbs.known && Array.isArray(lbs.value) ? (lbs.value as Record<string, unknown>[]) : [];
    for (const entry of entries) {
        const arn = read(() => entry["targetGroupArn"]);
        const arnValue = arn.known && typeof arn.value === "string" ? arn.value : undefined;
        const tg = all.find((r) => TARGET_GROUP_TYPES.includes(r.type) && arnValue !== undefined && identifiersOf(r, []).has(arnValue));
        const suffixes = new Set<string>();
        const tgSuffix = tg ? knownString(tg, "arnSuffix") : undefined;
        for (const s of [tgSuffix, arnValue ? targetGroupArnSuffix(arnValue) : undefined]) {
            if (s) {
                suffixes.add(s);
            }
        }
        if (tg || suffixes.size > 0 || !arn.known) {
            out.push({ resource: tg ?? (byDependency.length === 1 ? byDependency[0] : undefined), suffixes });
        }
    }
    return out;
}

function ecsClusterOf(svc: PolicyResource, all: readonly PolicyResource[]): PolicyResource | undefined {
    const ref = knownString(svc, "cluster");
    const byDependency = (svc.propertyDependencies["cluster"] ?? []).find((d) => d.type === TYPES.ecsCluster);
    return byDependency ?? all.find((r) => r.type === TYPES.ecsCluster && ref !== undefined && identifiersOf(r, ["name"]).has(ref));
}

function ecsClusterNames(svc: PolicyResource, all: readonly PolicyResource[]): Set<string> {
    const names = new Set<string>();
    const cluster = read(() => propsOf(svc)["cluster"]);
    if (cluster.known && (cluster.value === undefined || cluster.value === null || cluster.value === "")) {
        // A service created without a cluster runs in the cluster named "default" (CreateService).
        names.add("default");
    } else if (cluster.known && typeof cluster.value === "string") {
        names.add(ecsClusterName(cluster.value));
    }
    const resource = ecsClusterOf(svc, all);
    const name = resource ? knownString(resource, "name") : undefined;
    if (name) {
        names.add(name);
    }
    return names;
}

function restApiOf(stage: PolicyResource, all: readonly PolicyResource[]): PolicyResource | undefined {
    const apiId = knownString(stage, "restApi");
    const byDependency = (stage.propertyDependencies["restApi"] ?? []).find((d) => d.type === TYPES.apiGatewayRestApi);
    return byDependency ?? all.find((r) => r.type === TYPES.apiGatewayRestApi && apiId !== undefined && identifiersOf(r, []).has(apiId));
}

/** True for HTTP API inputs or outputs with `target` set (quick create): AWS creates its `$default` stage. */
export function isQuickCreateApi(props: Record<string, unknown>): boolean {
    const target = read(() => props["target"]);
    return !target.known || (typeof target.value === "string" && target.value.length > 0);
}

function single(namespace: string, metrics: readonly string[], dimension: string, match: DimensionMatch, otherDimensions?: readonly string[]): MetricWatch[] {
    return [{ namespace, metrics, dimensions: { [dimension]: match }, ...(otherDimensions !== undefined ? { otherDimensions } : {}) }];
}

const ELASTICACHE_METRICS: readonly string[] = [
    "CPUUtilization",
    "EngineCPUUtilization",
    "DatabaseMemoryUsagePercentage",
    "Evictions",
    "CurrConnections",
    "FreeableMemory",
    "SwapUsage",
];

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Known non-negative integer input or output of a resource. */
function knownCount(r: PolicyResource, key: string): number | undefined {
    const v = read(() => propsOf(r)[key]);
    return v.known && typeof v.value === "number" && Number.isInteger(v.value) && v.value >= 0 ? v.value : undefined;
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Maximum nodes of one node group: a primary and 5 replicas (CreateReplicationGroup, ReplicasPerNodeGroup 0..5). */
const MAX_NODES_PER_NODE_GROUP = 6;

/**
 * The CacheClusterId values of a replication group's members. Known members (`memberClusters`, after
 * the update) are taken as they are; otherwise the ids are derived from the node counts of the inputs:
 * `numCacheClusters` (default 1) for cluster mode disabled, `numNodeGroups` x (`replicasPerNodeGroup` + 1)
 * for cluster mode enabled. When the group's id is unknown nothing can be derived.
 */
export function replicationGroupMembers(r: PolicyResource): DimensionMatch {
    // Lower case: ElastiCache stores identifiers in lower case (CreateReplicationGroup, ReplicationGroupId),
    // so CloudWatch reports the members as <id in lower case>-001.
    const id = (knownString(r, "replicationGroupId") ?? knownString(r, "id"))?.toLowerCase();
    const members = read(() => propsOf(r)["memberClusters"]);
    const known = members.known && Array.isArray(members.value) ? members.value.filter((m): m is string => typeof m === "string").map((m) => m.toLowerCase()) : [];
    if (known.length > 0 || id === undefined) {
        return { values: new Set(known), describe: "the id of one of its member clusters (<replication group id>-001, ...)" };
    }
    const groupsRead = read(() => propsOf(r)["numNodeGroups"]);
    const clustersRead = read(() => propsOf(r)["numCacheClusters"]);
    const groups = knownCount(r, "numNodeGroups");
    const clusters = knownCount(r, "numCacheClusters");
    if (!groupsRead.known || !clustersRead.known) {
        // The node counts are computed at preview: the member numbers cannot be derived yet.
        return {
            values: new Set(),
            pattern: new RegExp(`^${escapeRegExp(id)}-(\\d{3}|\\d{4}-\\d{3})$`),
            describe: `the id of one of its member clusters (${id}-001, ...; its node count is unknown until the update)`,
        };
    }
    const values = new Set<string>();
    if (groups !== undefined && groups > 0) {
        const replicas = knownCount(r, "replicasPerNodeGroup");
        // Unknown replica count: any member a node group can have (a primary and up to 5 replicas).
        const perGroup = replicas !== undefined ? replicas + 1 : MAX_NODES_PER_NODE_GROUP;
        for (let g = 1; g <= groups; g++) {
            for (let m = 1; m <= perGroup; m++) {
                values.add(`${id}-${pad(g, 4)}-${pad(m, 3)}`);
            }
        }
    }
    if (groups === undefined || clusters !== undefined) {
        // Cluster mode disabled: numCacheClusters nodes, 1 when not set.
        for (let m = 1; m <= (clusters ?? 1); m++) {
            values.add(`${id}-${pad(m, 3)}`);
        }
    }
    return { values, describe: `the id of one of its member clusters (${id}-001, ...)` };
}

/** The StateMachineArn of a state machine: its ARN, or while that is unknown an ARN built from its name. */
export function stateMachineArn(r: PolicyResource): DimensionMatch {
    const arns = [...outputs(r, ["arn", "id"])].filter((v) => /^arn:aws[a-z-]*:states:/.test(v));
    const name = knownString(r, "name");
    if (arns.length > 0 || name === undefined) {
        return { values: new Set(arns), describe: "the state machine's ARN (arn:<partition>:states:<region>:<account>:stateMachine:<name>)" };
    }
    return {
        values: new Set(),
        pattern: new RegExp(`^arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:${escapeRegExp(name)}$`),
        describe: `the state machine's ARN (arn:<partition>:states:<region>:<account>:stateMachine:${name})`,
    };
}

/**
 * Key metrics per monitorable type. An alarm on any one listed metric (directly, or as a metric of a
 * metric-math or anomaly-detection alarm) whose dimensions name the resource covers it.
 */
export const KEY_METRIC_RULES: readonly KeyMetricRule[] = [
    {
        // https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
        type: TYPES.lambdaFunction,
        kind: "Lambda function",
        watches: (r) => single("AWS/Lambda", ["Errors", "Throttles"], "FunctionName", exact(outputs(r, ["name"]), "the function's name"), ["Resource", "ExecutedVersion"]),
        sources: self,
    },
    {
        // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
        type: TYPES.sqsQueue,
        kind: "SQS queue",
        watches: (r) => {
            const ids = outputs(r, ["name", "id"]);
            // The id of a queue is its URL; the dimension holds the name (last path segment).
            for (const v of [...ids]) {
                if (v.startsWith("https://")) {
                    ids.add(v.split("/").pop() ?? v);
                }
            }
            return single("AWS/SQS", ["ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesVisible"], "QueueName", exact(ids, "the queue's name"), []);
        },
        sources: self,
    },
    {
        // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html
        type: TYPES.rdsInstance,
        kind: "RDS DB instance",
        watches: (r) =>
            single("AWS/RDS", ["CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections"], "DBInstanceIdentifier", exact(outputs(r, ["identifier"]), "the DB instance identifier"), []),
        sources: self,
    },
    {
        type: TYPES.rdsCluster,
        kind: "RDS DB cluster",
        watches: (r) =>
            single("AWS/RDS", ["CPUUtilization", "FreeableMemory", "DatabaseConnections", "FreeLocalStorage"], "DBClusterIdentifier", exact(outputs(r, ["clusterIdentifier"]), "the DB cluster identifier")),
        sources: self,
    },
    ...[TYPES.lbLoadBalancer, TYPES.albLoadBalancer].map(
        (type): KeyMetricRule => ({
            // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
            type,
            kind: "load balancer",
            watches: (r) => {
                const namespace = LB_NAMESPACES[lbKind(r)] ?? "AWS/ApplicationELB";
                const ids = outputs(r, ["arnSuffix"]);
                const arn = knownString(r, "arn");
                const suffix = arn ? loadBalancerArnSuffix(arn) : undefined;
                if (suffix) {
                    ids.add(suffix);
                }
                return single(namespace, LB_METRICS[namespace] ?? [], "LoadBalancer", exact(ids, "the load balancer's arnSuffix"), ["AvailabilityZone", "TargetGroup"]);
            },
            sources: self,
        }),
    ),
    {
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-cloudwatch-metrics.html
        type: TYPES.elbLoadBalancer,
        kind: "Classic Load Balancer",
        watches: (r) => single("AWS/ELB", ["HTTPCode_ELB_5XX", "HTTPCode_Backend_5XX", "Latency", "UnHealthyHostCount"], "LoadBalancerName", exact(outputs(r, ["name"]), "the load balancer's name"), ["AvailabilityZone"]),
        sources: self,
    },
    {
        // Service metrics carry ClusterName and ServiceName together:
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html
        // A service behind a load balancer is also watched through its target group (TargetGroup dimension):
        // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
        type: TYPES.ecsService,
        kind: "ECS service",
        watches: (r, all) => {
            const service = exact(outputs(r, ["name"]), "the service's name");
            const cluster = exact(ecsClusterNames(r, all), "its cluster's name");
            const watches: MetricWatch[] = [
                { namespace: "AWS/ECS", metrics: ["CPUUtilization", "MemoryUtilization"], dimensions: { ClusterName: cluster, ServiceName: service }, otherDimensions: [] },
                { namespace: "ECS/ContainerInsights", metrics: ["RunningTaskCount", "CpuUtilized", "MemoryUtilized"], dimensions: { ClusterName: cluster, ServiceName: service } },
            ];
            for (const tg of serviceTargetGroups(r, all)) {
                for (const namespace of targetGroupNamespaces(tg.resource)) {
                    watches.push({ namespace, metrics: TARGET_GROUP_METRICS[namespace] ?? [], dimensions: { TargetGroup: exact(tg.suffixes, "its target group's arnSuffix") }, otherDimensions: ["LoadBalancer", "AvailabilityZone"] });
                }
            }
            return watches;
        },
        sources: (r, all) => [
            r,
            ...[ecsClusterOf(r, all)].filter((c): c is PolicyResource => c !== undefined),
            ...serviceTargetGroups(r, all)
                .map((t) => t.resource)
                .filter((t): t is PolicyResource => t !== undefined),
        ],
    },
    {
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html
        type: TYPES.dynamodbTable,
        kind: "DynamoDB table",
        watches: (r) => single("AWS/DynamoDB", ["ThrottledRequests", "ReadThrottleEvents", "WriteThrottleEvents", "SystemErrors"], "TableName", exact(outputs(r, ["name"]), "the table's name"), ["Operation", "GlobalSecondaryIndexName"]),
        sources: self,
    },
    {
        // REST API metrics are reported per API name (ApiName) and stage (Stage):
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
        type: TYPES.apiGatewayStage,
        kind: "API Gateway REST API stage",
        watches: (r, all) => {
            const api = restApiOf(r, all);
            const name = api ? knownString(api, "name") : undefined;
            const stage = knownString(r, "stageName");
            return [
                {
                    namespace: "AWS/ApiGateway",
                    metrics: ["5XXError", "Latency"],
                    dimensions: { ApiName: exact(name ? [name] : [], "the REST API's name") },
                    otherDimensions: ["Method", "Resource"],
                    ...(stage ? { narrowing: { Stage: new Set([stage]) } } : {}),
                },
            ];
        },
        sources: (r, all) => {
            const api = restApiOf(r, all);
            return api ? [api] : [];
        },
    },
    {
        // HTTP and WebSocket API metrics are reported per ApiId (and Stage):
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
        type: TYPES.apiGatewayV2Stage,
        kind: "API Gateway HTTP/WebSocket API stage",
        watches: (r) => {
            const apiId = knownString(r, "apiId");
            const stage = knownString(r, "name");
            return [
                {
                    namespace: "AWS/ApiGateway",
                    metrics: ["5xx", "Latency", "IntegrationLatency", "ExecutionError", "IntegrationError"],
                    dimensions: { ApiId: exact(apiId ? [apiId] : [], "the API's id") },
                    otherDimensions: ["Route"],
                    ...(stage ? { narrowing: { Stage: new Set([stage]) } } : {}),
                },
            ];
        },
        sources: (r) => r.propertyDependencies["apiId"] ?? [],
    },
    {
        // A quick-create HTTP API (`target` set) has a `$default` stage that is not a resource of the stack:
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop.html#http-api-examples
        type: TYPES.apiGatewayV2Api,
        kind: "API Gateway HTTP API (quick create, $default stage)",
        applies: (r) => isQuickCreateApi(propsOf(r)),
        watches: (r) => [
            {
                namespace: "AWS/ApiGateway",
                metrics: ["5xx", "Latency", "IntegrationLatency"],
                dimensions: { ApiId: exact(outputs(r, ["id"]), "the API's id") },
                otherDimensions: ["Route"],
                narrowing: { Stage: new Set(["$default"]) },
            },
        ],
        sources: self,
    },
    {
        // Instance metrics are reported per InstanceId (the instance's id):
        // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
        type: TYPES.ec2Instance,
        kind: "EC2 instance",
        watches: (r) =>
            single(
                "AWS/EC2",
                ["StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System", "CPUUtilization"],
                "InstanceId",
                exact(outputs(r, ["id"]), "the instance id (i-...)"),
                // Per-instance metrics carry InstanceId alone; InstanceType and ImageId are separate
                // aggregates (viewing_metrics_with_cloudwatch.html, "EC2 metric dimensions").
                [],
            ),
        sources: self,
    },
    {
        // Host and engine metrics are reported per CacheClusterId (and CacheNodeId):
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.HostLevel.html
        type: TYPES.elasticacheCluster,
        kind: "ElastiCache cluster",
        watches: (r) => single("AWS/ElastiCache", ELASTICACHE_METRICS, "CacheClusterId", exact(lowercase(outputs(r, ["clusterId"])), "the cluster id"), ["CacheNodeId"]),
        sources: self,
    },
    {
        // A replication group's nodes report under their member cluster ids, which ElastiCache names
        // <replication group id>-<NNN> (cluster mode disabled: one node group, NNN = 001 .. numCacheClusters)
        // or <id>-<GGGG>-<NNN> (cluster mode enabled: node groups 0001 .. numNodeGroups, members 001 ..
        // replicasPerNodeGroup + 1):
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_NodeGroup.html (node group ids 0001 .. 0090)
        type: TYPES.elasticacheReplicationGroup,
        kind: "ElastiCache replication group",
        watches: (r) => single("AWS/ElastiCache", ELASTICACHE_METRICS, "CacheClusterId", replicationGroupMembers(r), ["CacheNodeId"]),
        sources: self,
    },
    {
        // https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html
        type: TYPES.kinesisStream,
        kind: "Kinesis data stream",
        watches: (r) =>
            single(
                "AWS/Kinesis",
                ["GetRecords.IteratorAgeMilliseconds", "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "PutRecords.FailedRecords"],
                "StreamName",
                exact(outputs(r, ["name"]), "the stream's name"),
                // Enhanced (shard-level) metrics add ShardId.
                ["ShardId"],
            ),
        sources: self,
    },
    {
        // Execution metrics are reported per StateMachineArn:
        // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
        // The ARN is arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}
        // (Service Authorization Reference, "Resource types defined by AWS Step Functions"), so an alarm may
        // build it from the machine's name; while the machine's ARN is unknown (first preview) that is accepted.
        // Versions and aliases: an execution started through a qualified ARN (<arn>:<version> or <arn>:<alias>)
        // is associated with that version or alias (execution-alias-version-associate.html); whether
        // CloudWatch also reports execution metrics under the qualified ARN is not stated in the pages at
        // hand, so an alarm on a qualified ARN does not count (it is shown as a near miss) and the base ARN
        // is the one to alarm on.
        type: TYPES.sfnStateMachine,
        kind: "Step Functions state machine",
        watches: (r) => single("AWS/States", ["ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted", "ExecutionThrottled"], "StateMachineArn", stateMachineArn(r), []),
        sources: self,
    },
    {
        // Instances of an Auto Scaling group are reported in aggregate under AWS/EC2 with the
        // AutoScalingGroupName dimension:
        // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
        // and the group's own metrics (when metrics collection is enabled) under AWS/AutoScaling:
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html
        type: TYPES.autoscalingGroup,
        kind: "Auto Scaling group",
        watches: (r) => {
            const name = exact(outputs(r, ["name", "id"]), "the group's name");
            const groupMetrics = ["GroupInServiceInstances", "GroupInServiceCapacity"];
            // Group metrics are sent only for the metrics the group enables (enabledMetrics); an alarm on
            // one it does not enable stays INSUFFICIENT_DATA. Unknown at preview: not judged.
            const enabled = read(() => propsOf(r)["enabledMetrics"]);
            const list = enabled.known && Array.isArray(enabled.value) ? enabled.value.filter((m): m is string => typeof m === "string") : [];
            const uncollected = new Map(
                enabled.known
                    ? groupMetrics.filter((m) => !list.includes(m)).map((m) => [m, `which the group does not report: add "${m}" to its enabledMetrics`] as const)
                    : [],
            );
            return [
                { namespace: "AWS/EC2", metrics: ["StatusCheckFailed", "StatusCheckFailed_Instance", "StatusCheckFailed_System", "CPUUtilization"], dimensions: { AutoScalingGroupName: name }, otherDimensions: [] },
                {
                    namespace: "AWS/AutoScaling",
                    metrics: groupMetrics,
                    dimensions: { AutoScalingGroupName: name },
                    otherDimensions: [],
                    uncollected,
                    ...(enabled.known ? {} : { collectionUnknown: groupMetrics }),
                },
            ];
        },
        sources: self,
    },
    {
        // Vended control plane metrics (AWS/EKS) and Container Insights metrics, both per ClusterName:
        // https://docs.aws.amazon.com/eks/latest/userguide/cloudwatch.html
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html
        type: TYPES.eksCluster,
        kind: "EKS cluster",
        watches: (r) => {
            const name = exact(outputs(r, ["name"]), "the cluster's name");
            return [
                { namespace: "AWS/EKS", metrics: ["apiserver_request_total_5XX", "scheduler_pending_pods"], dimensions: { ClusterName: name } },
                {
                    namespace: "ContainerInsights",
                    metrics: ["cluster_failed_node_count", "node_cpu_utilization", "node_memory_utilization", "pod_cpu_utilization", "pod_memory_utilization"],
                    dimensions: { ClusterName: name },
                },
            ];
        },
        sources: self,
    },
];
