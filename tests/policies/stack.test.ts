import { expect } from "chai";

import { CIS_CONTROLS } from "../../policies/cis-catalogue";
import * as st from "../../policies/stack";
import { runStackPolicy, StackResourceSpec, UNKNOWN } from "./helpers";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC_ARN = "arn:aws:sns:us-east-1:111111111111:team-alerts";

function alarm(name: string, namespace: string, metricName: string, dimensions: Record<string, string>, extra: Record<string, unknown> = {}): StackResourceSpec {
    return { type: ALARM, name, props: { namespace, metricName, dimensions, alarmActions: [TOPIC_ARN], ...extra } };
}

/**
 * One resource per monitorable type, each with an alarm on a key metric whose dimension names it
 * (namespaces, metric names and dimensions from the AWS "CloudWatch metrics" page of each service).
 */
function monitoredStack(): StackResourceSpec[] {
    return [
        { type: "aws:lambda/function:Function", name: "orders", props: { name: "orders-fn" } },
        alarm("orders-errors", "AWS/Lambda", "Errors", { FunctionName: "orders-fn" }),
        { type: "aws:sqs/queue:Queue", name: "jobs", props: { name: "jobs-q", id: "https://sqs.us-east-1.amazonaws.com/111111111111/jobs-q" } },
        alarm("jobs-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "jobs-q" }),
        { type: "aws:rds/instance:Instance", name: "db", props: { identifier: "orders-db" } },
        alarm("db-cpu", "AWS/RDS", "CPUUtilization", { DBInstanceIdentifier: "orders-db" }),
        { type: "aws:lb/loadBalancer:LoadBalancer", name: "web", props: { loadBalancerType: "application", arn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/web/50dc6c495c0c9188" } },
        alarm("web-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", { LoadBalancer: "app/web/50dc6c495c0c9188" }),
        { type: "aws:ecs/service:Service", name: "api", props: { name: "api-svc", cluster: "arn:aws:ecs:us-east-1:111111111111:cluster/main" } },
        alarm("api-cpu", "AWS/ECS", "CPUUtilization", { ClusterName: "main", ServiceName: "api-svc" }),
        { type: "aws:dynamodb/table:Table", name: "carts", props: { name: "carts-t" } },
        {
            type: ALARM,
            name: "carts-throttles",
            props: {
                metricQueries: [
                    { id: "e", expression: "SUM(METRICS())", returnData: true },
                    { id: "m1", metric: { namespace: "AWS/DynamoDB", metricName: "ThrottledRequests", dimensions: { TableName: "carts-t", Operation: "GetItem" }, stat: "Sum", period: 300 } },
                ],
                alarmActions: [TOPIC_ARN],
            },
        },
        { type: "aws:apigateway/restApi:RestApi", name: "rest", props: { name: "shop-api", id: "a1b2c3" } },
        { type: "aws:apigateway/stage:Stage", name: "prod", props: { restApi: "a1b2c3", stageName: "prod" } },
        alarm("prod-5xx", "AWS/ApiGateway", "5XXError", { ApiName: "shop-api", Stage: "prod" }),
        // EC2 reports instance metrics per InstanceId, the instance's id.
        { type: "aws:ec2/instance:Instance", name: "web-server", props: { id: "i-0abc1234def567890", arn: "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc1234def567890" } },
        alarm("web-server-status", "AWS/EC2", "StatusCheckFailed", { InstanceId: "i-0abc1234def567890" }),
        // ElastiCache reports per CacheClusterId: a cluster's clusterId, or a replication group's member clusters <id>-NNN.
        { type: "aws:elasticache/cluster:Cluster", name: "sessions", props: { clusterId: "sessions-mc", id: "sessions-mc" } },
        alarm("sessions-evictions", "AWS/ElastiCache", "Evictions", { CacheClusterId: "sessions-mc" }),
        { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { replicationGroupId: "carts-cache", id: "carts-cache" } },
        alarm("cache-cpu", "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: "carts-cache-001" }),
        // Kinesis reports per StreamName, Step Functions per StateMachineArn, EKS per ClusterName.
        { type: "aws:kinesis/stream:Stream", name: "clicks", props: { name: "clicks-stream", id: "arn:aws:kinesis:us-east-1:111111111111:stream/clicks-stream" } },
        alarm("clicks-age", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", { StreamName: "clicks-stream" }),
        { type: "aws:sfn/stateMachine:StateMachine", name: "etl", props: { name: "etl-sm", arn: "arn:aws:states:us-east-1:111111111111:stateMachine:etl-sm" } },
        alarm("etl-failed", "AWS/States", "ExecutionsFailed", { StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:etl-sm" }),
        { type: "aws:eks/cluster:Cluster", name: "k8s", props: { name: "platform-eks", id: "platform-eks" } },
        alarm("k8s-failed-nodes", "ContainerInsights", "cluster_failed_node_count", { ClusterName: "platform-eks" }),
        // The $default stage of a quick-create HTTP API reports per ApiId.
        { type: "aws:apigatewayv2/api:Api", name: "quick", props: { id: "q1w2e3", protocolType: "HTTP", target: "arn:aws:lambda:us-east-1:111111111111:function:orders-fn" } },
        alarm("quick-5xx", "AWS/ApiGateway", "5xx", { ApiId: "q1w2e3", Stage: "$default" }),
        // EC2 reports the instances of an Auto Scaling group in aggregate per AutoScalingGroupName
        // (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html).
        { type: "aws:autoscaling/group:Group", name: "fleet", props: { name: "web-fleet", id: "web-fleet" } },
        alarm("fleet-status", "AWS/EC2", "StatusCheckFailed", { AutoScalingGroupName: "web-fleet" }),
    ];
}

describe("policies/stack", () => {
    describe("monitoring-enabled", () => {
        it("passes when every monitorable resource has an alarm with an action on a key metric", () => {
            expect(runStackPolicy(st.monitoringEnabled, monitoredStack()).messages).to.deep.equal([]);
        });

        for (const [resource, alarmName] of [
            ["orders", "orders-errors"],
            ["jobs", "jobs-age"],
            ["db", "db-cpu"],
            ["web", "web-5xx"],
            ["api", "api-cpu"],
            ["carts", "carts-throttles"],
            ["prod", "prod-5xx"],
            ["web-server", "web-server-status"],
            ["sessions", "sessions-evictions"],
            ["cache", "cache-cpu"],
            ["clicks", "clicks-age"],
            ["etl", "etl-failed"],
            ["k8s", "k8s-failed-nodes"],
            ["quick", "quick-5xx"],
            ["fleet", "fleet-status"],
        ]) {
            it(`fails for ${resource} when its alarm is removed, naming the resource`, () => {
                const r = runStackPolicy(st.monitoringEnabled, monitoredStack().filter((x) => x.name !== alarmName));
                expect(r.messages).to.have.length(1);
                expect(r.messages[0]).to.contain(`"${resource}"`);
                expect(r.urns[0]).to.match(new RegExp(`::${resource}$`));
            });
        }

        const replace = (name: string, by: StackResourceSpec): StackResourceSpec[] => monitoredStack().map((x) => (x.name === name ? by : x));

        it("says which alarm is wanted, with the dimension derived from the resource's outputs and the right article", () => {
            const m = runStackPolicy(st.monitoringEnabled, monitoredStack().filter((x) => x.name !== "web-server-status")).messages[0];
            expect(m).to.contain('an AWS/EC2 alarm on StatusCheckFailed or StatusCheckFailed_Instance or StatusCheckFailed_System or CPUUtilization with dimension InstanceId = "i-0abc1234def567890"');
            expect(m).to.not.match(/\ba AWS\//);
            const ecs = runStackPolicy(st.monitoringEnabled, monitoredStack().filter((x) => x.name !== "api-cpu")).messages[0];
            expect(ecs).to.contain('with dimensions ClusterName = "main" and ServiceName = "api-svc"').and.contain("an ECS/ContainerInsights alarm");
            const k8s = runStackPolicy(st.monitoringEnabled, monitoredStack().filter((x) => x.name !== "k8s-failed-nodes")).messages[0];
            expect(k8s).to.contain("an AWS/EKS alarm").and.contain("; or a ContainerInsights alarm");
        });
        it("an EC2 alarm on the instance's ARN instead of its id does not cover it (CloudWatch reports InstanceId)", () => {
            const stack = replace("web-server-status", alarm("web-server-status", "AWS/EC2", "StatusCheckFailed", { InstanceId: "arn:aws:ec2:us-east-1:111111111111:instance/i-0abc1234def567890" }));
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.have.length(1);
        });
        it("an ECS alarm must name the cluster too: ServiceName alone matches no CloudWatch metric", () => {
            const stack = replace("api-cpu", alarm("api-cpu", "AWS/ECS", "CPUUtilization", { ServiceName: "api-svc" }));
            expect(runStackPolicy(st.monitoringEnabled, stack).messages[0]).to.contain('"api"');
            const otherCluster = replace("api-cpu", alarm("api-cpu", "AWS/ECS", "CPUUtilization", { ClusterName: "other", ServiceName: "api-svc" }));
            expect(runStackPolicy(st.monitoringEnabled, otherCluster).messages).to.have.length(1);
        });
        it("an ECS service without cluster runs in the cluster named default", () => {
            const stack: StackResourceSpec[] = [
                { type: "aws:ecs/service:Service", name: "svc", props: { name: "svc-1" } },
                alarm("svc-cpu", "AWS/ECS", "MemoryUtilization", { ClusterName: "default", ServiceName: "svc-1" }),
            ];
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.deep.equal([]);
        });
        it("an ECS service behind a load balancer is covered by an alarm on its target group (TargetGroup = arnSuffix)", () => {
            const tgArn = "arn:aws:elasticloadbalancing:us-east-1:111111111111:targetgroup/api-tg/73e2d6bc24d8a067";
            const base: StackResourceSpec[] = [
                { type: "aws:lb/targetGroup:TargetGroup", name: "api-tg", props: { arn: tgArn, id: tgArn, arnSuffix: "targetgroup/api-tg/73e2d6bc24d8a067", protocol: "HTTP", port: 80 } },
                { type: "aws:ecs/service:Service", name: "api", props: { name: "api-svc", cluster: "arn:aws:ecs:us-east-1:111111111111:cluster/main", loadBalancers: [{ targetGroupArn: tgArn, containerName: "app", containerPort: 80 }] } },
            ];
            const unhealthy = alarm("api-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", { TargetGroup: "targetgroup/api-tg/73e2d6bc24d8a067", LoadBalancer: "app/web/50dc6c495c0c9188" });
            expect(runStackPolicy(st.monitoringEnabled, [...base, unhealthy]).messages).to.deep.equal([]);
            // An HTTP target group reports under AWS/ApplicationELB, not AWS/NetworkELB.
            const wrongNs = alarm("api-unhealthy", "AWS/NetworkELB", "UnHealthyHostCount", { TargetGroup: "targetgroup/api-tg/73e2d6bc24d8a067" });
            expect(runStackPolicy(st.monitoringEnabled, [...base, wrongNs]).messages).to.have.length(1);
            // The target group's suffix is derived from the service's targetGroupArn when the group is not in the stack.
            expect(runStackPolicy(st.monitoringEnabled, [base[1], unhealthy]).messages).to.deep.equal([]);
        });
        it("a replication group is not covered by an alarm on another group's member cluster", () => {
            const stack = replace("cache-cpu", alarm("cache-cpu", "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: "carts-cache-old-001" }));
            expect(runStackPolicy(st.monitoringEnabled, stack).messages[0]).to.contain('"cache"').and.contain('CacheClusterId = "carts-cache-001"');
        });
        // Member cluster ids: <group id>-001 .. -<numCacheClusters> (cluster mode disabled; numCacheClusters
        // defaults to 1), <group id>-<0001 .. numNodeGroups>-<001 .. replicasPerNodeGroup + 1> (cluster mode enabled):
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html
        // https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_NodeGroup.html
        const group = (props: Record<string, unknown>, member: string): StackResourceSpec[] => [
            { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { replicationGroupId: "carts-cache", id: "carts-cache", ...props } },
            alarm("cache-cpu", "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: member }),
        ];
        const cacheVerdict = (props: Record<string, unknown>, member: string): number => runStackPolicy(st.monitoringEnabled, group(props, member)).messages.length;
        it("a replication group alarm must name a member that exists for the group's node count", () => {
            expect(cacheVerdict({ numCacheClusters: 2 }, "carts-cache-002")).to.equal(0);
            expect(cacheVerdict({ numCacheClusters: 2 }, "carts-cache-003")).to.equal(1);
            expect(cacheVerdict({ numCacheClusters: 2 }, "carts-cache-999")).to.equal(1);
            // Neither count set: one cache cluster.
            expect(cacheVerdict({}, "carts-cache-001")).to.equal(0);
            expect(cacheVerdict({}, "carts-cache-002")).to.equal(1);
            expect(cacheVerdict({}, "carts-cache-0002-001")).to.equal(1);
            // Cluster mode enabled: 2 shards with 1 replica each.
            expect(cacheVerdict({ numNodeGroups: 2, replicasPerNodeGroup: 1 }, "carts-cache-0002-002")).to.equal(0);
            expect(cacheVerdict({ numNodeGroups: 2, replicasPerNodeGroup: 1 }, "carts-cache-0003-001")).to.equal(1);
            expect(cacheVerdict({ numNodeGroups: 2, replicasPerNodeGroup: 1 }, "carts-cache-0001-003")).to.equal(1);
            // After the update the member list is known and decides.
            expect(cacheVerdict({ numCacheClusters: 2, memberClusters: ["carts-cache-001", "carts-cache-004"] }, "carts-cache-004")).to.equal(0);
            expect(cacheVerdict({ numCacheClusters: 2, memberClusters: ["carts-cache-001", "carts-cache-004"] }, "carts-cache-002")).to.equal(1);
        });
        it("at preview, a replication group whose node count is unknown accepts any member id of the group's shape", () => {
            expect(cacheVerdict({ numCacheClusters: UNKNOWN, numNodeGroups: UNKNOWN }, "carts-cache-003")).to.equal(0);
            expect(cacheVerdict({ numCacheClusters: UNKNOWN, numNodeGroups: UNKNOWN }, "orders-cache-001")).to.equal(1);
        });
        // The state machine ARN is arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName}
        // (Service Authorization Reference, "Resource types defined by AWS Step Functions"); metrics per StateMachineArn:
        // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-cw-metrics.html
        const machine = (props: Record<string, unknown>, arn: string): StackResourceSpec[] => [
            { type: "aws:sfn/stateMachine:StateMachine", name: "orders", props },
            alarm("orders-failed", "AWS/States", "ExecutionsFailed", { StateMachineArn: arn }),
        ];
        it("at preview, a state machine alarm whose StateMachineArn is built from the machine's name covers it", () => {
            const unknownArn = { name: "orders", arn: UNKNOWN, id: UNKNOWN };
            expect(runStackPolicy(st.monitoringEnabled, machine(unknownArn, "arn:aws:states:eu-west-1:111122223333:stateMachine:orders")).messages).to.deep.equal([]);
            expect(runStackPolicy(st.monitoringEnabled, machine(unknownArn, "arn:aws-us-gov:states:us-gov-west-1:111122223333:stateMachine:orders")).messages).to.deep.equal([]);
            const other = runStackPolicy(st.monitoringEnabled, machine(unknownArn, "arn:aws:states:eu-west-1:111122223333:stateMachine:orders-v2")).messages;
            expect(other).to.have.length(1);
            expect(other[0]).to.contain("arn:<partition>:states:<region>:<account>:stateMachine:orders)").and.not.contain("<its identifier>");
            // The name alone is not an ARN: CloudWatch reports the ARN.
            expect(runStackPolicy(st.monitoringEnabled, machine(unknownArn, "orders")).messages).to.have.length(1);
        });
        it("once the state machine's ARN is known, only that ARN covers it (not one of another Region)", () => {
            const known = { name: "orders", arn: "arn:aws:states:eu-west-1:111122223333:stateMachine:orders", id: "arn:aws:states:eu-west-1:111122223333:stateMachine:orders" };
            expect(runStackPolicy(st.monitoringEnabled, machine(known, "arn:aws:states:eu-west-1:111122223333:stateMachine:orders")).messages).to.deep.equal([]);
            expect(runStackPolicy(st.monitoringEnabled, machine(known, "arn:aws:states:us-east-1:111122223333:stateMachine:orders")).messages).to.have.length(1);
        });
        it("names the alarm that watches the key metric under a wrong dimension value, and the value it holds", () => {
            // Kinesis reports per StreamName, the stream's name, not its ARN
            // (https://docs.aws.amazon.com/streams/latest/dev/monitoring-with-cloudwatch.html).
            const byArn = replace("clicks-age", alarm("clicks-age", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", { StreamName: "arn:aws:kinesis:us-east-1:111111111111:stream/clicks-stream" }));
            const m = runStackPolicy(st.monitoringEnabled, byArn).messages;
            expect(m).to.have.length(1);
            expect(m[0])
                .to.contain('StreamName = "clicks-stream"')
                .and.contain('alarm "clicks-age" watches AWS/Kinesis GetRecords.IteratorAgeMilliseconds with StreamName = "arn:aws:kinesis:us-east-1:111111111111:stream/clicks-stream"')
                .and.not.contain("no such alarm");
            // An alarm that names another resource of the stack correctly is not a near miss of this one.
            expect(m[0]).to.not.contain("sessions-evictions");
            const ecsNoCluster = replace("api-cpu", alarm("api-cpu", "AWS/ECS", "CPUUtilization", { ServiceName: "api-svc" }));
            expect(runStackPolicy(st.monitoringEnabled, ecsNoCluster).messages[0]).to.contain('alarm "api-cpu" watches AWS/ECS CPUUtilization with no ClusterName dimension and ServiceName = "api-svc"');
        });
        // Metrics Insights alarms: SELECT FUNCTION(metric) FROM SCHEMA("namespace", dims) WHERE dim = 'value' [GROUP BY dim]
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
        const insights = (query: string): StackResourceSpec[] =>
            replace("orders-errors", {
                type: ALARM,
                name: "orders-errors",
                props: { metricQueries: [{ id: "q", expression: query, period: 60, returnData: true }], comparisonOperator: "GreaterThanThreshold", threshold: 0, evaluationPeriods: 1, alarmActions: [TOPIC_ARN] },
            });
        it("reads a Metrics Insights alarm that filters the resource by equality", () => {
            expect(runStackPolicy(st.monitoringEnabled, insights(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'orders-fn'`)).messages).to.deep.equal([]);
            expect(runStackPolicy(st.monitoringEnabled, insights(`select max("Throttles") from "AWS/Lambda" where FunctionName = 'orders-fn' AND Resource = 'orders-fn'`)).messages).to.deep.equal([]);
            // One contributor per function: every function is watched.
            expect(runStackPolicy(st.monitoringEnabled, insights(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) GROUP BY FunctionName`)).messages).to.deep.equal([]);
            const other = runStackPolicy(st.monitoringEnabled, insights(`SELECT SUM(Errors) FROM SCHEMA("AWS/Lambda", FunctionName) WHERE FunctionName = 'billing-fn'`)).messages;
            expect(other).to.have.length(1);
            expect(other[0]).to.contain('alarm "orders-errors" watches AWS/Lambda Errors with FunctionName = "billing-fn"');
            // A query over another namespace or a metric that is not a key metric does not cover it.
            expect(runStackPolicy(st.monitoringEnabled, insights(`SELECT SUM(Invocations) FROM "AWS/Lambda" WHERE FunctionName = 'orders-fn'`)).messages).to.have.length(1);
        });
        it("does not judge a Metrics Insights alarm with a filter it cannot read soundly (no false 'no such alarm')", () => {
            expect(runStackPolicy(st.monitoringEnabled, insights(`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName != 'billing-fn'`)).messages).to.deep.equal([]);
            expect(runStackPolicy(st.monitoringEnabled, insights(`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName = 'a' OR FunctionName = 'orders-fn'`)).messages).to.deep.equal([]);
            expect(st.metricsInsightsMetric(`SELECT SUM(Errors) FROM "AWS/Lambda" WHERE FunctionName LIKE 'orders%'`)).to.include({ opaque: true, namespace: "AWS/Lambda", metricName: "Errors" });
            expect(st.metricsInsightsMetric("100 * errors / invocations")).to.equal(undefined);
        });
        // Auto Scaling groups: AWS/EC2 per AutoScalingGroupName, or the group metrics in AWS/AutoScaling
        // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html).
        // Group metrics are sent only for the metrics the group enables (enabledMetrics); the AWS/EC2
        // AutoScalingGroupName aggregate needs nothing enabled:
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html
        // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html
        it("an Auto Scaling group is covered by an EC2 alarm per AutoScalingGroupName, or a group metric alarm only when the group enables that metric", () => {
            const group = (enabledMetrics?: unknown): StackResourceSpec => ({ type: "aws:autoscaling/group:Group", name: "fleet", props: { name: "web-fleet", id: "web-fleet", ...(enabledMetrics !== undefined ? { enabledMetrics } : {}) } });
            const groupMetric = (enabledMetrics?: unknown): StackResourceSpec[] =>
                replace("fleet", group(enabledMetrics)).map((x) => (x.name === "fleet-status" ? alarm("fleet-status", "AWS/AutoScaling", "GroupInServiceInstances", { AutoScalingGroupName: "web-fleet" }) : x));
            expect(runStackPolicy(st.monitoringEnabled, groupMetric(["GroupInServiceInstances", "GroupDesiredCapacity"])).messages).to.deep.equal([]);
            const notEnabled = runStackPolicy(st.monitoringEnabled, groupMetric()).messages;
            expect(notEnabled).to.have.length(1);
            expect(notEnabled[0]).to.contain('"fleet"').and.contain('add "GroupInServiceInstances" to its enabledMetrics');
            expect(runStackPolicy(st.monitoringEnabled, groupMetric(["GroupInServiceCapacity"])).messages).to.have.length(1);
            // enabledMetrics unknown at preview: not judged.
            expect(runStackPolicy(st.monitoringEnabled, groupMetric(UNKNOWN)).messages).to.deep.equal([]);
            // The AWS/EC2 form needs no enabledMetrics (the base stack's group sets none).
            expect(runStackPolicy(st.monitoringEnabled, monitoredStack()).messages).to.deep.equal([]);
            const otherGroup = replace("fleet-status", alarm("fleet-status", "AWS/EC2", "CPUUtilization", { AutoScalingGroupName: "api-fleet" }));
            expect(runStackPolicy(st.monitoringEnabled, otherGroup).messages[0]).to.contain('"fleet"').and.contain('AutoScalingGroupName = "web-fleet"');
            const notAKeyMetric = replace("fleet-status", alarm("fleet-status", "AWS/AutoScaling", "GroupMaxSize", { AutoScalingGroupName: "web-fleet" }));
            expect(runStackPolicy(st.monitoringEnabled, notAKeyMetric).messages).to.have.length(1);
        });
        // Metrics Insights grammar: FROM namespace | SCHEMA(...); a namespace with "/" is quoted in the
        // grammar page, but the alarm page writes `FROM AWS/RDS`; SCHEMA matches only metrics with exactly
        // its keys; GROUP BY makes one contributor per series, LIMIT keeps only n of them; an aggregate
        // (no naming filter, no GROUP BY) is one series over the fleet.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/multi-time-series-alarm.html
        const ec2Insights = (query: string): StackResourceSpec[] =>
            replace("web-server-status", {
                type: ALARM,
                name: "web-server-status",
                props: { metricQueries: [{ id: "q", expression: query, period: 60, returnData: true }], comparisonOperator: "GreaterThanThreshold", threshold: 80, evaluationPeriods: 1, alarmActions: [TOPIC_ARN] },
            });
        const ec2Verdict = (query: string): string[] => runStackPolicy(st.monitoringEnabled, ec2Insights(query)).messages;
        it("reads an unquoted namespace (FROM AWS/EC2, SCHEMA(AWS/EC2, InstanceId)) as the alarm page writes it", () => {
            expect(st.metricsInsightsMetric("SELECT AVG(CPUUtilization) FROM AWS/EC2 WHERE InstanceId = 'i-1'")).to.include({ namespace: "AWS/EC2", metricName: "CPUUtilization", opaque: false });
            expect(ec2Verdict("SELECT AVG(CPUUtilization) FROM AWS/EC2 WHERE InstanceId = 'i-0abc1234def567890' GROUP BY InstanceId ORDER BY AVG() DESC")).to.deep.equal([]);
            expect(ec2Verdict("SELECT MAX(CPUUtilization) FROM SCHEMA(AWS/EC2, InstanceId) WHERE InstanceId = 'i-0abc1234def567890'")).to.deep.equal([]);
            const other = ec2Verdict("SELECT MAX(CPUUtilization) FROM AWS/EC2 WHERE InstanceId = 'i-999'");
            expect(other).to.have.length(1);
            expect(other[0]).to.contain('InstanceId = "i-999"');
            // A FROM it cannot read is not judged, never "no such alarm".
            expect(ec2Verdict("SELECT AVG(CPUUtilization) FROM AWS/EC2(x) WHERE InstanceId = 'i-0abc1234def567890'")).to.deep.equal([]);
        });
        it("GROUP BY watches every instance with or without ORDER BY; with LIMIT only the top n, so it is not judged", () => {
            expect(ec2Verdict(`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId`)).to.deep.equal([]);
            expect(ec2Verdict(`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY MAX() DESC`)).to.deep.equal([]);
            expect(st.metricsInsightsMetric(`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY MAX() ASC LIMIT 1`)).to.include({ opaque: true });
            // Not judged: neither covered nor reported (which instances it watches changes with their values).
            const limited = ec2Insights(`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId) GROUP BY InstanceId ORDER BY MAX() ASC LIMIT 1`);
            expect(runStackPolicy(st.monitoringEnabled, limited).messages).to.deep.equal([]);
        });
        it("a filter or dimension CloudWatch does not report the metric with watches nothing", () => {
            const filtered = ec2Verdict(`SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId, InstanceType) WHERE InstanceType = 'm5.large' GROUP BY InstanceId`);
            expect(filtered).to.have.length(1);
            expect(filtered[0]).to.contain("InstanceType, a dimension CloudWatch does not report it with");
            const outside = ec2Verdict(`SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", AutoScalingGroupName) WHERE InstanceId = 'i-0abc1234def567890'`);
            expect(outside).to.have.length(1);
            expect(outside[0]).to.contain("InstanceId outside its SCHEMA(AutoScalingGroupName), so it matches no metric");
            const plain = runStackPolicy(st.monitoringEnabled, replace("web-server-status", alarm("web-server-status", "AWS/EC2", "StatusCheckFailed", { InstanceId: "i-0abc1234def567890", InstanceType: "t3.micro" }))).messages;
            expect(plain).to.have.length(1);
            expect(plain[0]).to.contain('InstanceId = "i-0abc1234def567890" and InstanceType, a dimension CloudWatch does not report it with');
            // Documented extra dimensions keep counting (DynamoDB Operation, in the base stack; Lambda Resource).
            expect(runStackPolicy(st.monitoringEnabled, replace("orders-errors", alarm("orders-errors", "AWS/Lambda", "Errors", { FunctionName: "orders-fn", Resource: "orders-fn" }))).messages).to.deep.equal([]);
        });
        it("an aggregate query (no naming filter, no GROUP BY) or a SCHEMA without the naming dimension is not judged", () => {
            expect(ec2Verdict(`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId)`)).to.deep.equal([]);
            expect(ec2Verdict(`SELECT MAX(CPUUtilization) FROM "AWS/EC2"`)).to.deep.equal([]);
            expect(ec2Verdict(`SELECT MAX(CPUUtilization) FROM SCHEMA("AWS/EC2", AutoScalingGroupName)`)).to.deep.equal([]);
            const ecs = replace("api-cpu", {
                type: ALARM,
                name: "api-cpu",
                props: { metricQueries: [{ id: "q", expression: `SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/ECS", ClusterName, ServiceName) WHERE ServiceName = 'api-svc'`, period: 60, returnData: true }], alarmActions: [TOPIC_ARN] },
            });
            expect(runStackPolicy(st.monitoringEnabled, ecs).messages).to.deep.equal([]);
        });
        it("a metric-math alarm counts only through metrics its returned expression uses", () => {
            const math = (expression: string): StackResourceSpec[] =>
                replace("web-server-status", {
                    type: ALARM,
                    name: "web-server-status",
                    props: {
                        metricQueries: [
                            { id: "m1", metric: { namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: { InstanceId: "i-0abc1234def567890" }, stat: "Average", period: 60 }, returnData: false },
                            { id: "m2", metric: { namespace: "AWS/EC2", metricName: "NetworkIn", dimensions: { InstanceId: "i-0abc1234def567890" }, stat: "Sum", period: 60 }, returnData: false },
                            { id: "e1", expression, returnData: true },
                        ],
                        alarmActions: [TOPIC_ARN],
                    },
                });
            expect(runStackPolicy(st.monitoringEnabled, math("m2 * 2")).messages).to.have.length(1);
            expect(runStackPolicy(st.monitoringEnabled, math("m1 + m2")).messages).to.deep.equal([]);
        });
        it("ElastiCache ids are compared in lower case, as ElastiCache stores them and CloudWatch reports them", () => {
            const upper = replace("cache", { type: "aws:elasticache/replicationGroup:ReplicationGroup", name: "cache", props: { replicationGroupId: "Carts-Cache", id: "Carts-Cache" } });
            expect(runStackPolicy(st.monitoringEnabled, upper).messages).to.deep.equal([]);
            const alarmUpper = replace("cache-cpu", alarm("cache-cpu", "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: "Carts-Cache-001" }));
            expect(runStackPolicy(st.monitoringEnabled, alarmUpper).messages[0]).to.contain('CacheClusterId = "carts-cache-001"');
        });
        it("an HTTP API without target is not itself monitorable (its Stage resources are)", () => {
            const stack = replace("quick", { type: "aws:apigatewayv2/api:Api", name: "quick", props: { id: "q1w2e3", protocolType: "HTTP" } }).filter((x) => x.name !== "quick-5xx");
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.deep.equal([]);
        });
        it("an alarm on a metric-math expression over a key metric counts", () => {
            const expression: StackResourceSpec = {
                type: ALARM,
                name: "orders-errors",
                props: {
                    metricQueries: [
                        { id: "rate", expression: "100 * errors / MAX([errors, invocations])", label: "error rate", returnData: true },
                        { id: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "orders-fn" }, stat: "Sum", period: 60 }, returnData: false },
                        { id: "invocations", metric: { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: { FunctionName: "orders-fn" }, stat: "Sum", period: 60 }, returnData: false },
                    ],
                    comparisonOperator: "GreaterThanThreshold",
                    threshold: 5,
                    evaluationPeriods: 3,
                    alarmActions: [TOPIC_ARN],
                },
            };
            expect(runStackPolicy(st.monitoringEnabled, replace("orders-errors", expression)).messages).to.deep.equal([]);
        });
        it("an anomaly-detection alarm (band over a key metric, thresholdMetricId) counts", () => {
            const band: StackResourceSpec = {
                type: ALARM,
                name: "clicks-age",
                props: {
                    comparisonOperator: "GreaterThanUpperThreshold",
                    evaluationPeriods: 2,
                    thresholdMetricId: "band",
                    metricQueries: [
                        { id: "band", expression: "ANOMALY_DETECTION_BAND(age, 2)", label: "expected", returnData: true },
                        { id: "age", metric: { namespace: "AWS/Kinesis", metricName: "GetRecords.IteratorAgeMilliseconds", dimensions: { StreamName: "clicks-stream" }, stat: "Maximum", period: 60 }, returnData: true },
                    ],
                    alarmActions: [TOPIC_ARN],
                },
            };
            expect(runStackPolicy(st.monitoringEnabled, replace("clicks-age", band)).messages).to.deep.equal([]);
        });
        it("fails when the alarm watches another resource's dimension value", () => {
            const stack = monitoredStack().map((x) => (x.name === "orders-errors" ? alarm("orders-errors", "AWS/Lambda", "Errors", { FunctionName: "other-fn" }) : x));
            expect(runStackPolicy(st.monitoringEnabled, stack).messages[0]).to.contain('"orders"');
        });
        it("fails when the alarm is on a metric that is not a key metric (Invocations)", () => {
            const stack = monitoredStack().map((x) => (x.name === "orders-errors" ? alarm("orders-errors", "AWS/Lambda", "Invocations", { FunctionName: "orders-fn" }) : x));
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.have.length(1);
        });
        it("reports an alarm without action, or with actions disabled, as not notifying", () => {
            const noAction = monitoredStack().map((x) => (x.name === "jobs-age" ? alarm("jobs-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "jobs-q" }, { alarmActions: [] }) : x));
            expect(runStackPolicy(st.monitoringEnabled, noAction).messages[0]).to.contain("no alarm action is enabled");
            const disabled = monitoredStack().map((x) => (x.name === "jobs-age" ? alarm("jobs-age", "AWS/SQS", "ApproximateAgeOfOldestMessage", { QueueName: "jobs-q" }, { actionsEnabled: false }) : x));
            expect(runStackPolicy(st.monitoringEnabled, disabled).messages[0]).to.contain("no alarm action is enabled");
        });
        it("matches an NLB under AWS/NetworkELB using the ARN suffix", () => {
            const stack: StackResourceSpec[] = [
                { type: "aws:lb/loadBalancer:LoadBalancer", name: "nlb", props: { loadBalancerType: "network", arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/nlb/abc" } },
                alarm("nlb-unhealthy", "AWS/NetworkELB", "UnHealthyHostCount", { LoadBalancer: "net/nlb/abc" }),
            ];
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.deep.equal([]);
            const wrongNs = [stack[0], alarm("nlb-unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", { LoadBalancer: "net/nlb/abc" })];
            expect(runStackPolicy(st.monitoringEnabled, wrongNs).messages).to.have.length(1);
        });
        it("at preview, covers a resource whose alarm dimension is unknown but computed from it", () => {
            const stack: StackResourceSpec[] = [
                { type: "aws:lambda/function:Function", name: "fn", props: { name: UNKNOWN } },
                { type: ALARM, name: "fn-errors", props: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: UNKNOWN }, alarmActions: [UNKNOWN] }, propertyDependencies: { dimensions: ["fn"] } },
            ];
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.deep.equal([]);
        });
        it("at preview, skips a resource it cannot decide (unknown dimension, no dependency information)", () => {
            const stack: StackResourceSpec[] = [
                { type: "aws:lambda/function:Function", name: "fn", props: { name: "fn-1" } },
                { type: ALARM, name: "fn-errors", props: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: UNKNOWN }, alarmActions: [TOPIC_ARN] } },
            ];
            expect(runStackPolicy(st.monitoringEnabled, stack).messages).to.deep.equal([]);
        });
        it("exempts a stack only through the exemption tag with a reason", () => {
            const bare = [{ type: "aws:lambda/function:Function", name: "fn", props: { name: "fn-1" } }];
            const exempt = runStackPolicy(st.monitoringEnabled, bare, { stackTags: { "orgwatch:monitoring-exempt": "sandbox, deleted nightly" } });
            expect(exempt.messages).to.deep.equal([]);
            expect(exempt.notApplicable).to.contain("sandbox, deleted nightly");
            const empty = runStackPolicy(st.monitoringEnabled, bare, { stackTags: { "orgwatch:monitoring-exempt": "  " } });
            expect(empty.messages[0]).to.contain("only with a reason");
            expect(empty.messages).to.have.length(2);
        });
        it("uses the configured exemption tag", () => {
            const bare = [{ type: "aws:lambda/function:Function", name: "fn", props: { name: "fn-1" } }];
            const r = runStackPolicy(st.monitoringEnabled, bare, { stackTags: { "team:no-alarms": "load test" }, config: { exemptionTag: "team:no-alarms" } });
            expect(r.notApplicable).to.contain("load test");
        });
        it("is not applicable to a stack without monitorable resources", () => {
            expect(runStackPolicy(st.monitoringEnabled, [{ type: "aws:s3/bucket:Bucket", name: "b", props: {} }]).notApplicable).to.equal("no monitorable resources in the stack");
        });
        it("loadBalancerArnSuffix extracts the LoadBalancer dimension value", () => {
            expect(st.loadBalancerArnSuffix("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188")).to.equal("app/my-alb/50dc6c495c0c9188");
        });
    });

    describe("cis-controls-alarmed", () => {
        const ns = "orgwatch/CISBenchmark";
        const TOPIC = "arn:aws:sns:us-east-1:111111111111:orgwatch-security-alarms";
        function governanceStack(): StackResourceSpec[] {
            const out: StackResourceSpec[] = [
                { type: "aws:cloudtrail/trail:Trail", name: "trail", props: { isOrganizationTrail: true } },
                { type: "aws:sns/topic:Topic", name: "alarms", props: { arn: TOPIC, id: TOPIC } },
                { type: "aws:sns/topicSubscription:TopicSubscription", name: "alarms-email", props: { topic: TOPIC, protocol: "email", endpoint: "sec@example.com" } },
            ];
            for (const c of CIS_CONTROLS) {
                out.push({ type: "aws:cloudwatch/logMetricFilter:LogMetricFilter", name: `f-${c.id}`, props: { metricTransformation: { name: c.metricName, namespace: ns, value: "1" } } });
                out.push({ type: ALARM, name: `a-${c.id}`, props: { namespace: ns, metricName: c.metricName, alarmActions: [TOPIC] } });
            }
            return out;
        }
        const first = CIS_CONTROLS[0];

        it("passes when every CIS control has a filter and an alarm on a subscribed topic", () => {
            expect(runStackPolicy(st.cisControlsAlarmed, governanceStack()).messages).to.deep.equal([]);
        });
        it("is not applicable to an application stack", () => {
            const app = [{ type: "aws:lambda/function:Function", name: "fn", props: {} }];
            expect(runStackPolicy(st.cisControlsAlarmed, app).notApplicable).to.equal("not a governance stack");
        });
        it("applies through the stack-role tag or config even without an organization trail", () => {
            const stack = governanceStack().filter((r) => r.name !== "trail" && r.name !== `f-${first.id}`);
            expect(runStackPolicy(st.cisControlsAlarmed, stack, { stackTags: { "orgwatch:stack-role": "governance" } }).messages).to.have.length(1);
            expect(runStackPolicy(st.cisControlsAlarmed, stack, { config: { governanceStack: true } }).messages).to.have.length(1);
        });
        it("fails for a missing metric filter, naming the control", () => {
            const r = runStackPolicy(st.cisControlsAlarmed, governanceStack().filter((x) => x.name !== `f-${first.id}`));
            expect(r.messages).to.have.length(1);
            expect(r.messages[0]).to.contain(first.id).and.contain(first.metricName);
        });
        it("fails for a missing alarm", () => {
            const r = runStackPolicy(st.cisControlsAlarmed, governanceStack().filter((x) => x.name !== `a-${first.id}`));
            expect(r.messages[0]).to.contain("must have an alarm");
        });
        it("fails when the alarm's topic has no subscription", () => {
            const r = runStackPolicy(st.cisControlsAlarmed, governanceStack().filter((x) => x.name !== "alarms-email"));
            expect(r.messages).to.have.length(CIS_CONTROLS.length);
            expect(r.messages[0]).to.contain("with no subscription");
        });
        it("fails when the alarm has no action", () => {
            const stack = governanceStack().map((x) => (x.name === `a-${first.id}` ? { ...x, props: { ...x.props, alarmActions: [] } } : x));
            expect(runStackPolicy(st.cisControlsAlarmed, stack).messages[0]).to.contain("no enabled alarm action");
        });
        it("accepts an external topic unless acceptExternalTopics is false", () => {
            const external = "arn:aws:sns:us-east-1:222222222222:central";
            const stack = governanceStack().map((x) => (x.type === ALARM ? { ...x, props: { ...x.props, alarmActions: [external] } } : x));
            expect(runStackPolicy(st.cisControlsAlarmed, stack).messages).to.deep.equal([]);
            expect(runStackPolicy(st.cisControlsAlarmed, stack, { config: { acceptExternalTopics: false } }).messages).to.have.length(CIS_CONTROLS.length);
        });
        it("checks only the configured controls", () => {
            const stack = governanceStack().filter((x) => x.name !== `f-${first.id}`);
            const others = CIS_CONTROLS.slice(1).map((c) => c.id);
            expect(runStackPolicy(st.cisControlsAlarmed, stack, { config: { requiredControls: others } }).messages).to.deep.equal([]);
        });
    });
});
