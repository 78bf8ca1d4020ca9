import { expect } from "chai";

import { CIS_CONTROLS } from "../../lib/cis/catalogue";
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
        ]) {
            it(`fails for ${resource} when its alarm is removed, naming the resource`, () => {
                const r = runStackPolicy(st.monitoringEnabled, monitoredStack().filter((x) => x.name !== alarmName));
                expect(r.messages).to.have.length(1);
                expect(r.messages[0]).to.contain(`"${resource}"`);
                expect(r.urns[0]).to.match(new RegExp(`::${resource}$`));
            });
        }

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
