import * as policySdk from "@pulumi/policy";
import { PolicyResource, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/** The error the engine's proxy throws when a policy reads a value unknown at preview. */
export interface UnknownValueErrorLike extends Error {
    /** Property path of the unknown value. */
    readonly props: readonly (string | symbol)[];
}

/**
 * `UnknownValueError` and `unknownCheckingProxy` are exported at run time by @pulumi/policy (its
 * index re-exports them from ./proxy) but its 1.21 typings drop them; this is their shape.
 */
interface ProxyExports {
    readonly UnknownValueError: abstract new (...args: never[]) => UnknownValueErrorLike;
    unknownCheckingProxy<T extends object>(value: T): T;
}

export const engineProxy: ProxyExports = policySdk as unknown as ProxyExports;

/** True for the error thrown when a value unknown at preview is read. */
export function isUnknownValueError(err: unknown): err is UnknownValueErrorLike {
    return err instanceof engineProxy.UnknownValueError;
}

/** Name of the policy pack; the entry file and the offline check both use it. */
export const POLICY_PACK_NAME = "orgwatch-monitoring";

/**
 * Result of reading a value that may be unknown during `pulumi preview` (an output of a resource
 * that is not created yet). The engine hands policies a proxy that throws `UnknownValueError` on
 * such a read; these helpers turn that into data so that each policy decides what unknown means.
 */
export type Read<T> = { readonly known: true; readonly value: T } | { readonly known: false; readonly path: string };

/** Reads a property through the engine's unknown-checking proxy without throwing. */
export function read<T>(get: () => T): Read<T> {
    try {
        return { known: true, value: get() };
    } catch (err) {
        if (isUnknownValueError(err)) {
            return { known: false, path: err.props.map(String).join(".") };
        }
        throw err;
    }
}

/**
 * True when a value is present: a non-empty string/array, any other non-null value, or a value that
 * is unknown at preview (an unknown value is one that will be set from another resource's output).
 */
export function isSet(get: () => unknown): boolean {
    const r = read(get);
    if (!r.known) {
        return true;
    }
    const v = r.value;
    if (v === undefined || v === null) {
        return false;
    }
    if (typeof v === "string" || Array.isArray(v)) {
        return v.length > 0;
    }
    return true;
}

/** Renders a received value for a violation message (short, JSON-like, `unset` for absent). */
export function show(value: unknown): string {
    if (value === undefined || value === null) {
        return "unset";
    }
    let text: string;
    try {
        text = JSON.stringify(value) ?? String(value);
    } catch (err) {
        if (isUnknownValueError(err)) {
            return "(a value not known until the update)";
        }
        throw err;
    }
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Wraps a resource validation so that a value unknown at preview makes the policy not applicable to
 * that resource (instead of the engine's default: an advisory "can't run during preview"). Used
 * where an unknown value cannot be a violation, e.g. a retention computed from another output. The
 * type filter of the wrapped validation is kept so the engine's fast path still skips other types.
 */
export function skipWhenUnknown(validation: ResourceValidation): ResourceValidation {
    const wrapped: ResourceValidation = (args: ResourceValidationArgs, report) => {
        try {
            const result = validation(args, report);
            if (result instanceof Promise) {
                throw new Error("orgwatch policies are synchronous");
            }
        } catch (err) {
            if (isUnknownValueError(err)) {
                args.notApplicable(`${err.message}; checked again when the value is known`);
            }
            throw err;
        }
    };
    const token = (validation as { __pulumiType?: string }).__pulumiType;
    if (token) {
        (wrapped as { __pulumiType?: string }).__pulumiType = token;
    }
    return wrapped;
}

/** Property bag of a stack resource (the engine hands stack policies the resources' outputs). */
export function propsOf(r: PolicyResource): Record<string, unknown> {
    return r.props as Record<string, unknown>;
}

/** Reads a string property of a stack resource; undefined when absent, not a string or unknown. */
export function knownString(r: PolicyResource, key: string): string | undefined {
    const v = read(() => propsOf(r)[key]);
    return v.known && typeof v.value === "string" && v.value.length > 0 ? v.value : undefined;
}

/**
 * Identifiers under which other resources and CloudWatch dimensions may refer to a resource:
 * its physical name properties, `id` and `arn`. Unknown values are left out.
 */
export function identifiersOf(r: PolicyResource, keys: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const key of [...keys, "id", "arn"]) {
        const v = knownString(r, key);
        if (v !== undefined) {
            out.add(v);
        }
    }
    return out;
}

/**
 * True when `resource.props[key]` names `target` (one of its identifiers: `id`, `arn` and the given
 * name properties) or, while that value is unknown at preview, is computed from `target`'s outputs.
 */
export function refersToResource(resource: PolicyResource, key: string, target: PolicyResource, names: readonly string[] = []): boolean {
    const v = read(() => propsOf(resource)[key]);
    if (v.known && typeof v.value === "string" && identifiersOf(target, names).has(v.value)) {
        return true;
    }
    return (resource.propertyDependencies[key] ?? []).some((d) => d.urn === target.urn);
}

/** Pulumi type tokens used by the pack (as registered by @pulumi/aws 7). */
export const TYPES = {
    trail: "aws:cloudtrail/trail:Trail",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    metricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
    snsTopic: "aws:sns/topic:Topic",
    snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
    lambdaFunction: "aws:lambda/function:Function",
    sqsQueue: "aws:sqs/queue:Queue",
    rdsInstance: "aws:rds/instance:Instance",
    rdsCluster: "aws:rds/cluster:Cluster",
    rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
    lbLoadBalancer: "aws:lb/loadBalancer:LoadBalancer",
    lbTargetGroup: "aws:lb/targetGroup:TargetGroup",
    albTargetGroup: "aws:alb/targetGroup:TargetGroup",
    albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
    elbLoadBalancer: "aws:elb/loadBalancer:LoadBalancer",
    ecsService: "aws:ecs/service:Service",
    ecsCluster: "aws:ecs/cluster:Cluster",
    dynamodbTable: "aws:dynamodb/table:Table",
    apiGatewayStage: "aws:apigateway/stage:Stage",
    apiGatewayRestApi: "aws:apigateway/restApi:RestApi",
    apiGatewayV2Stage: "aws:apigatewayv2/stage:Stage",
    apiGatewayV2Api: "aws:apigatewayv2/api:Api",
    appsyncGraphQLApi: "aws:appsync/graphQLApi:GraphQLApi",
    cloudfrontDistribution: "aws:cloudfront/distribution:Distribution",
    logDeliverySource: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    logDelivery: "aws:cloudwatch/logDelivery:LogDelivery",
    elasticacheCluster: "aws:elasticache/cluster:Cluster",
    elasticacheReplicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    kinesisStream: "aws:kinesis/stream:Stream",
    sfnStateMachine: "aws:sfn/stateMachine:StateMachine",
    autoscalingGroup: "aws:autoscaling/group:Group",
    wafv2WebAcl: "aws:wafv2/webAcl:WebAcl",
    wafv2LoggingConfiguration: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    eksCluster: "aws:eks/cluster:Cluster",
    ec2Instance: "aws:ec2/instance:Instance",
    vpc: "aws:ec2/vpc:Vpc",
    defaultVpc: "aws:ec2/defaultVpc:DefaultVpc",
    flowLog: "aws:ec2/flowLog:FlowLog",
    s3Bucket: "aws:s3/bucket:Bucket",
    s3BucketV2: "aws:s3/bucketV2:BucketV2",
    s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    s3Versioning: "aws:s3/bucketVersioning:BucketVersioning",
    s3VersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    s3Logging: "aws:s3/bucketLogging:BucketLogging",
    s3LoggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
} as const;
