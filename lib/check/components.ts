import type { Policies, Policy } from "@pulumi/policy";
import { checkedInCatalogue, type Shape, type ShapeTypes } from "../synth/catalogue";
import type { SynthResource, SynthResult } from "../synth/types";
import type { CheckViolation, NotInspected, ReportedLevel, ResolvedPolicyConfig } from "./evaluate";

/**
 * Remote (multi-language) components judged on their inputs.
 *
 * A remote component's children (awsx's `ApplicationLoadBalancer` creates an `aws.lb.LoadBalancer`,
 * a target group, a listener and a security group) are created by the component's provider and are
 * invisible offline: under the mock runtime the component is one opaque resource. In a real
 * `pulumi preview --policy-pack policies` the children are real resources the pack's own policies
 * see. So these rules live in the offline checker, not in the pack: a pack rule on the component
 * would report every finding twice in a real preview (once on the component, once on its child).
 *
 * Each rule reports under the pack's policy of the same meaning, with the level and config the
 * policy config gives that policy, on the component's URN. What the rules cannot see (policies that
 * apply to the types of the component's children and that no rule covers) is listed as not
 * inspected, with the reason, and makes the check incomplete.
 */

/**
 * Resource types pack policies inspect that a probe with empty inputs cannot reveal (see
 * {@link policyApplies}): audit buckets are buckets something writes logs to, the CIS controls a
 * governance stack's. From policies/POLICIES.md.
 */
export const POLICY_SUBJECTS: Readonly<Record<string, readonly string[]>> = {
    "cloudtrail-logging-enabled": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-multi-region-enabled": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-global-service-events-enabled": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-log-file-validation-enabled": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-kms-encrypted": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-cloudwatch-logs-enabled": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-management-events-read-write": ["aws:cloudtrail/trail:Trail"],
    "cloudtrail-organization-trail-intact": ["aws:cloudtrail/trail:Trail"],
    "log-group-retention-within-bounds": ["aws:cloudwatch/logGroup:LogGroup"],
    "log-group-kms-encrypted": ["aws:cloudwatch/logGroup:LogGroup"],
    "lambda-log-group-retention-set": ["aws:lambda/function:Function"],
    "alarm-actions-enabled": ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    "alarm-has-action": ["aws:cloudwatch/metricAlarm:MetricAlarm"],
    "sns-topic-encrypted": ["aws:sns/topic:Topic"],
    "ec2-instance-detailed-monitoring-enabled": ["aws:ec2/instance:Instance"],
    "rds-enhanced-monitoring-enabled": ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
    "rds-log-exports-enabled": ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    "load-balancer-access-logs-enabled": ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elb/loadBalancer:LoadBalancer"],
    "apigateway-stage-access-logging-enabled": ["aws:apigateway/stage:Stage", "aws:apigatewayv2/stage:Stage"],
    "ecs-cluster-container-insights-enabled": ["aws:ecs/cluster:Cluster"],
    "eks-control-plane-logging-enabled": ["aws:eks/cluster:Cluster"],
    "vpc-flow-logs-enabled": ["aws:ec2/vpc:Vpc"],
    "audit-bucket-public-access-blocked": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    "audit-bucket-tls-only": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    "audit-bucket-versioning-enabled": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    "audit-bucket-force-destroy-disabled": ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    "monitoring-enabled": [
        "aws:lambda/function:Function",
        "aws:sqs/queue:Queue",
        "aws:rds/instance:Instance",
        "aws:rds/cluster:Cluster",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:alb/loadBalancer:LoadBalancer",
        "aws:elb/loadBalancer:LoadBalancer",
        "aws:ecs/service:Service",
        "aws:dynamodb/table:Table",
        "aws:apigateway/stage:Stage",
        "aws:apigatewayv2/stage:Stage",
    ],
    "cis-controls-alarmed": ["aws:cloudtrail/trail:Trail", "aws:cloudwatch/logMetricFilter:LogMetricFilter", "aws:cloudwatch/metricAlarm:MetricAlarm"],
};

/**
 * Children a component creates that its outputs do not name: awsx's ECS services create their task
 * definition's log group (retention and encryption set by awsx) and roles.
 */
const UNLISTED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
    "awsx:ecs:FargateService": ["aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role"],
    "awsx:ecs:EC2Service": ["aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role"],
};

interface Finding {
    readonly policy: string;
    readonly message: string;
}

interface ComponentRule {
    /** The pack policies whose meaning the rule covers for this component's children. */
    readonly covers: readonly string[];
    readonly check: (c: SynthResource, synth: SynthResult, config: (policy: string) => ResolvedPolicyConfig | undefined) => { findings: Finding[]; gaps: string[] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
    return v === undefined || v === null ? "unset" : JSON.stringify(v);
}

/** ALB and NLB: access logs as `load-balancer-access-logs-enabled` requires them of `aws.lb.LoadBalancer` (enabled defaults to false). */
const loadBalancerRule: ComponentRule = {
    covers: ["load-balancer-access-logs-enabled"],
    check: (c) => {
        const logs = c.inputs.accessLogs;
        const enabled = isRecord(logs) && logs.enabled === true && typeof logs.bucket === "string" && logs.bucket !== "";
        return {
            findings: enabled
                ? []
                : [
                      {
                          policy: "load-balancer-access-logs-enabled",
                          message:
                              `A load balancer must write access logs; the ${c.type.split(":")[2]}'s accessLogs is ${show(logs)}, so the load balancer it creates writes none. ` +
                              "Set accessLogs: { bucket: <log bucket name>, enabled: true } (the bucket policy must admit the Elastic Load Balancing log delivery principal).",
                      },
                  ],
            gaps: [],
        };
    },
};

/**
 * ECS services: the cluster they run on must have Container Insights. A cluster in the stack is
 * checked by the pack's own `ecs-cluster-container-insights-enabled`; a service without `cluster`
 * runs on the account's `default` cluster, which no stack configures; a cluster from elsewhere
 * (another stack's ARN) cannot be seen.
 */
const serviceRule: ComponentRule = {
    covers: ["ecs-cluster-container-insights-enabled"],
    check: (c, synth) => {
        const cluster = c.inputs.cluster;
        if (cluster === undefined || cluster === null || cluster === "") {
            return {
                findings: [
                    {
                        policy: "ecs-cluster-container-insights-enabled",
                        message:
                            "An ECS service must run on a cluster with Container Insights enabled; this service sets no cluster, so it runs on the account's default cluster, whose settings no stack manages. " +
                            'Create an aws.ecs.Cluster with settings: [{ name: "containerInsights", value: "enabled" }] and pass its arn as cluster.',
                    },
                ],
                gaps: [],
            };
        }
        const inStack = synth.resources.some((r) => r.type === "aws:ecs/cluster:Cluster" && (r.outputs.arn === cluster || r.id === cluster || r.outputs.name === cluster));
        return { findings: [], gaps: inStack ? [] : [`its cluster ${show(cluster)} is not in this stack, so its Container Insights setting cannot be seen`] };
    },
};

/** awsx Vpc: like `vpc-flow-logs-enabled`, an `aws.ec2.FlowLog` whose vpcId is the VPC's (or that depends on the component). */
const vpcRule: ComponentRule = {
    covers: ["vpc-flow-logs-enabled"],
    check: (c, synth) => {
        const vpcId = c.outputs.vpcId;
        const covered = synth.resources.some((r) => r.type === "aws:ec2/flowLog:FlowLog" && ((vpcId !== undefined && r.inputs.vpcId === vpcId) || r.dependsOn.includes(c.urn)));
        return {
            findings: covered
                ? []
                : [
                      {
                          policy: "vpc-flow-logs-enabled",
                          message:
                              "A VPC must have a flow log; no aws.ec2.FlowLog in the stack has the vpcId of this awsx Vpc (awsx creates none). " +
                              'Add an aws.ec2.FlowLog with vpcId: vpc.vpcId, trafficType: "ALL" and a CloudWatch Logs or S3 destination.',
                      },
                  ],
            gaps: [],
        };
    },
};

/** eks Cluster: `enabledClusterLogTypes` holds the types `eks-control-plane-logging-enabled` requires (its config). */
const eksRule: ComponentRule = {
    covers: ["eks-control-plane-logging-enabled"],
    check: (c, _synth, config) => {
        const required = (config("eks-control-plane-logging-enabled")?.config.requiredLogTypes as string[] | undefined) ?? ["api", "audit", "authenticator"];
        const enabled = Array.isArray(c.inputs.enabledClusterLogTypes) ? c.inputs.enabledClusterLogTypes : [];
        const missing = required.filter((t) => !enabled.includes(t));
        return {
            findings:
                missing.length === 0
                    ? []
                    : [
                          {
                              policy: "eks-control-plane-logging-enabled",
                              message: `An EKS cluster must log ${required.join(", ")} to CloudWatch Logs; enabledClusterLogTypes is ${show(c.inputs.enabledClusterLogTypes)}. Add ${missing.join(", ")} to enabledClusterLogTypes.`,
                          },
                      ],
            gaps: [],
        };
    },
};

/**
 * aws-apigateway RestAPI: its stage is created without access logging, and RestAPIArgs has no
 * setting for it (apiKeySource, binaryMediaTypes, ..., stageName, swaggerString, tags), so the
 * stage fails `apigateway-stage-access-logging-enabled` whatever the program passes.
 */
const restApiRule: ComponentRule = {
    covers: ["apigateway-stage-access-logging-enabled"],
    check: () => ({
        findings: [
            {
                policy: "apigateway-stage-access-logging-enabled",
                message:
                    "An API Gateway stage must have access logging; the stage aws-apigateway's RestAPI creates has no accessLogSettings, and RestAPI has no argument to set them. " +
                    "Build the API with aws.apigateway.RestApi, Deployment and a Stage with accessLogSettings: { destinationArn, format }.",
            },
        ],
        gaps: [],
    }),
};

/**
 * awsx cloudtrail Trail: its trail takes the switches of the same name, whose defaults the awsx
 * TrailArgs document (enableLogging true, includeGlobalServiceEvents true, isMultiRegionTrail false,
 * enableLogFileValidation false). The other trail policies (key, log group, event selectors) stay
 * uninspected.
 */
const TRAIL_SWITCHES: ReadonlyArray<{ readonly policy: string; readonly input: string; readonly byDefault: boolean; readonly fix: string }> = [
    { policy: "cloudtrail-logging-enabled", input: "enableLogging", byDefault: true, fix: "Remove enableLogging or set it to true (a stopped trail records nothing)." },
    { policy: "cloudtrail-multi-region-enabled", input: "isMultiRegionTrail", byDefault: false, fix: "Set isMultiRegionTrail: true." },
    { policy: "cloudtrail-global-service-events-enabled", input: "includeGlobalServiceEvents", byDefault: true, fix: "Remove includeGlobalServiceEvents or set it to true." },
    { policy: "cloudtrail-log-file-validation-enabled", input: "enableLogFileValidation", byDefault: false, fix: "Set enableLogFileValidation: true." },
];

const trailRule: ComponentRule = {
    covers: TRAIL_SWITCHES.map((t) => t.policy),
    check: (c) => ({
        findings: TRAIL_SWITCHES.filter((t) => (typeof c.inputs[t.input] === "boolean" ? c.inputs[t.input] : t.byDefault) !== true).map((t) => ({
            policy: t.policy,
            message: `An awsx cloudtrail Trail creates its trail with ${t.input} ${show(c.inputs[t.input])}${c.inputs[t.input] === undefined ? ` (awsx's default is ${String(t.byDefault)})` : ""}; the trail must have it true. ${t.fix}`,
        })),
        gaps: [],
    }),
};

export const COMPONENT_RULES: Readonly<Record<string, ComponentRule>> = {
    "awsx:cloudtrail:Trail": trailRule,
    "awsx:lb:ApplicationLoadBalancer": loadBalancerRule,
    "awsx:lb:NetworkLoadBalancer": loadBalancerRule,
    "awsx:ecs:FargateService": serviceRule,
    "awsx:ecs:EC2Service": serviceRule,
    "awsx:ec2:Vpc": vpcRule,
    "eks:index:Cluster": eksRule,
    "aws-apigateway:index:RestAPI": restApiRule,
};

function resourceTypes(shape: Shape, types: ShapeTypes, seen = new Set<string>()): string[] {
    if (typeof shape === "string") return [];
    if ("resource" in shape) return [shape.resource];
    if ("list" in shape) return resourceTypes(shape.list, types, seen);
    if ("map" in shape) return resourceTypes(shape.map, types, seen);
    if ("ref" in shape) {
        if (seen.has(shape.ref)) return [];
        seen.add(shape.ref);
        const t = types[shape.ref];
        return t ? resourceTypes(t, types, seen) : [];
    }
    if ("object" in shape) return Object.values(shape.object).flatMap((s) => resourceTypes(s, types, seen));
    return [];
}

/** The resource types a remote component creates, as far as its SDK's outputs (and the table above) tell. */
export function childTypesOf(type: string): string[] | undefined {
    const catalogue = checkedInCatalogue();
    const shape = catalogue.components[type];
    if (shape === undefined) return undefined;
    return [...new Set([...resourceTypes(shape, catalogue.types), ...(UNLISTED_CHILDREN[type] ?? [])])].sort();
}

/** Probe results: policy → resource type → applies. */
const probes = new WeakMap<Policy, Map<string, boolean>>();

function probeResource(type: string): SynthResource {
    return { urn: `urn:pulumi:probe::probe::${type}::probe`, type, name: "probe", parent: null, custom: true, provider: null, account: "111111111111", region: "us-east-1", inputs: {}, id: "probe-id", outputs: {}, dependsOn: [], protect: false };
}

/**
 * Whether a pack policy inspects resources of a type, asked of the policy itself: a resource
 * policy applies unless it reports itself not applicable to an empty resource of the type; a stack
 * policy applies when a stack of that one resource violates it. The pack's own tables stay the
 * authority, so a policy added to the pack is covered without a list to keep here.
 */
function policyApplies(policy: Policy, type: string, evaluate: Evaluate): boolean {
    let byType = probes.get(policy);
    if (byType === undefined) {
        byType = new Map();
        probes.set(policy, byType);
    }
    const cached = byType.get(type);
    if (cached !== undefined) return cached;
    let applies = (POLICY_SUBJECTS[policy.name] ?? []).includes(type);
    if (!applies) {
        try {
            const report = evaluate({ project: "probe", stack: "probe", resources: [probeResource(type)], outputs: {} }, { policies: [policy], policyConfig: { all: "mandatory" }, policyPackVersion: "0.0.0" });
            const isStack = typeof (policy as { validateStack?: unknown }).validateStack === "function";
            applies = isStack ? report.violations.length > 0 : !report.notApplicable.some((n) => n.urn !== null && n.policy === policy.name);
        } catch {
            // A policy that cannot run on an empty resource inspects it.
            applies = true;
        }
    }
    byType.set(type, applies);
    return applies;
}

type Evaluate = (synth: SynthResult, opts: { policies: Policies; policyConfig: { all: "mandatory" }; policyPackVersion: string }) => { violations: readonly unknown[]; notApplicable: ReadonlyArray<{ policy: string; urn: string | null }> };

export interface ComponentEvaluation {
    readonly violations: CheckViolation[];
    readonly notInspected: NotInspected[];
}

/** Runs the component rules on every remote component of the synth and lists what stays uninspected. */
export function evaluateComponents(synth: SynthResult, resolved: ReadonlyMap<string, ResolvedPolicyConfig>, policies: Policies, evaluate: Evaluate): ComponentEvaluation {
    const violations: CheckViolation[] = [];
    const notInspected: NotInspected[] = [];
    const enabled = (p: string): boolean => {
        const level = resolved.get(p)?.enforcementLevel;
        return level !== undefined && level !== "disabled";
    };
    const levelOf = (p: string): ReportedLevel => (resolved.get(p)?.enforcementLevel === "advisory" ? "advisory" : "mandatory");
    for (const c of synth.resources.filter((r) => r.remote === true)) {
        const rule = COMPONENT_RULES[c.type];
        const gaps: string[] = [];
        if (rule) {
            const { findings, gaps: ruleGaps } = rule.check(c, synth, (p) => resolved.get(p));
            for (const f of findings.filter((x) => enabled(x.policy))) {
                violations.push({ policy: f.policy, enforcementLevel: levelOf(f.policy), urn: c.urn, type: c.type, message: f.message });
            }
            gaps.push(...ruleGaps);
        }
        const children = childTypesOf(c.type);
        if (children === undefined) {
            notInspected.push({
                urn: c.urn,
                type: c.type,
                reason: "remote component the offline check has no description of: its children are created by its provider and are not visible offline; `pulumi preview --policy-pack policies` checks them",
                policies: [],
            });
            continue;
        }
        const applying = policies
            .filter((p) => enabled(p.name) && !(rule?.covers ?? []).includes(p.name))
            .map((p) => ({ name: p.name, on: children.filter((t) => policyApplies(p, t, evaluate)) }))
            .filter((p) => p.on.length > 0);
        const uncovered = applying.map((p) => p.name);
        if (uncovered.length > 0) {
            const on = [...new Set(applying.flatMap((p) => p.on))].sort();
            gaps.push(`${uncovered.join(", ")} on the ${on.join(", ")} it creates (its children are not visible offline)`);
        }
        if (gaps.length > 0) {
            notInspected.push({
                urn: c.urn,
                type: c.type,
                reason: `remote component, ${rule ? "judged on its inputs, " : ""}but ${gaps.join("; ")}; \`pulumi preview --policy-pack policies\` checks them`,
                policies: uncovered,
            });
        }
    }
    return { violations, notInspected };
}
