import { expect } from "chai";

import { evaluatePack } from "../../lib/check/evaluate";
import { UserError } from "../../lib/errors";
import { SynthResult } from "../../lib/synth/types";
import { monitoringEnabled } from "../../policies/stack";
import { synthInline } from "../helpers/synth";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:team-alerts";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** A small application stack: one resource of every type StackMonitoring watches. */
async function appStack(withMonitoring: boolean, thresholds?: Record<string, number>): Promise<SynthResult> {
    return synthInline(async () => {
        const aws = await import("@pulumi/aws");
        const { StackMonitoring } = await import("../../components/stack-monitoring");
        const role = new aws.iam.Role("fn-role", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) });
        const fn = new aws.lambda.Function("orders", { role: role.arn, runtime: "nodejs20.x", handler: "index.handler", code: new (await import("@pulumi/pulumi")).asset.AssetArchive({}) });
        const queue = new aws.sqs.Queue("jobs", {});
        const db = new aws.rds.Instance("db", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, username: "app", manageMasterUserPassword: true });
        const lb = new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: ["subnet-1", "subnet-2"] });
        const cluster = new aws.ecs.Cluster("main", {});
        const service = new aws.ecs.Service("api", { cluster: cluster.arn, desiredCount: 1 });
        const table = new aws.dynamodb.Table("carts", { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" });
        const api = new aws.apigateway.RestApi("shop", {});
        const deployment = new aws.apigateway.Deployment("shop-deployment", { restApi: api.id });
        const stage = new aws.apigateway.Stage("prod", { restApi: api.id, deployment: deployment.id, stageName: "prod" });
        if (withMonitoring) {
            new StackMonitoring("app", {
                notificationTopicArn: TOPIC,
                resources: {
                    functions: { orders: fn },
                    queues: { jobs: queue },
                    databases: { db },
                    loadBalancers: { web: lb },
                    services: { api: service },
                    tables: { carts: table },
                    apiStages: { prod: { api, stage } },
                },
                thresholds,
            });
        }
    });
}

function monitoringOnly(result: SynthResult) {
    return evaluatePack(result, { policies: [monitoringEnabled], policyPackVersion: "0.0.0" });
}

describe("components/stack-monitoring", function () {
    this.timeout(60_000);
    let monitored: SynthResult;
    let bare: SynthResult;

    before(async () => {
        monitored = await appStack(true);
        bare = await appStack(false);
    });

    it("without it, monitoring-enabled names each of the 7 monitorable resources", () => {
        const report = monitoringOnly(bare);
        expect(report.violations.map((v) => v.urn?.split("::").pop()).sort()).to.deep.equal(["api", "carts", "db", "jobs", "orders", "prod", "web"]);
        expect(report.summary.mandatory).to.equal(7);
    });

    it("a stack that uses it passes monitoring-enabled", () => {
        expect(monitoringOnly(monitored).violations).to.deep.equal([]);
    });

    it("its own alarms and dashboard pass every policy of the pack", () => {
        const component = monitored.resources.find((r) => r.type === "orgwatch:monitoring:StackMonitoring");
        const children = new Set(monitored.resources.filter((r) => r.parent === component?.urn).map((r) => r.urn));
        const report = evaluatePack(monitored, { policyPackVersion: "0.0.0" });
        expect(report.violations.filter((v) => v.urn !== null && (children.has(v.urn) || v.urn === component?.urn))).to.deep.equal([]);
    });

    it("creates the standard alarms as children named after the component and the resource key", () => {
        const alarms = monitored.resources.filter((r) => r.type === ALARM);
        expect(alarms.map((a) => a.name).sort()).to.deep.equal(
            [
                "app-api-cpu",
                "app-api-memory",
                "app-carts-throttled-requests",
                "app-db-cpu",
                "app-db-free-storage",
                "app-jobs-oldest-message-age",
                "app-orders-errors",
                "app-orders-throttles",
                "app-prod-5xx",
                "app-web-elb-5xx",
                "app-web-p99-response-time",
            ].sort(),
        );
        const component = monitored.resources.find((r) => r.type === "orgwatch:monitoring:StackMonitoring");
        expect(component).to.not.equal(undefined);
        for (const a of alarms) {
            expect(a.parent, a.name).to.equal(component?.urn);
            expect(a.inputs["alarmActions"], a.name).to.deep.equal([TOPIC]);
            expect(a.inputs["okActions"], a.name).to.deep.equal([TOPIC]);
        }
    });

    it("uses the CloudWatch metric names and dimensions AWS documents", () => {
        const byName = (n: string) => monitored.resources.find((r) => r.name === n)?.inputs as Record<string, unknown>;
        expect(byName("app-orders-errors")).to.include({ namespace: "AWS/Lambda", metricName: "Errors", statistic: "Sum" });
        expect(byName("app-jobs-oldest-message-age")).to.include({ namespace: "AWS/SQS", metricName: "ApproximateAgeOfOldestMessage" });
        expect(byName("app-db-free-storage")).to.include({ metricName: "FreeStorageSpace", comparisonOperator: "LessThanOrEqualToThreshold" });
        expect(byName("app-web-p99-response-time")).to.include({ namespace: "AWS/ApplicationELB", metricName: "TargetResponseTime", extendedStatistic: "p99" });
        expect(Object.keys(byName("app-api-cpu")["dimensions"] as object).sort()).to.deep.equal(["ClusterName", "ServiceName"]);
        const throttles = byName("app-carts-throttled-requests")["metricQueries"] as { metric?: { dimensions: Record<string, string> } }[];
        const ops = throttles.filter((q) => q.metric).map((q) => q.metric?.dimensions["Operation"]);
        expect(ops).to.include.members(["GetItem", "PutItem", "Query", "Scan"]);
        expect(byName("app-prod-5xx")).to.include({ namespace: "AWS/ApiGateway", metricName: "5XXError" });
        expect(Object.keys(byName("app-prod-5xx")["dimensions"] as object).sort()).to.deep.equal(["ApiName", "Stage"]);
    });

    it("creates a dashboard listing every alarm", () => {
        const dash = monitored.resources.find((r) => r.type === "aws:cloudwatch/dashboard:Dashboard");
        const body = JSON.parse(String(dash?.inputs["dashboardBody"])) as { widgets: { properties: { alarms: string[] } }[] };
        expect(body.widgets.flatMap((w) => w.properties.alarms)).to.have.length(11);
        expect(dash?.inputs["dashboardName"]).to.equal("app-monitoring");
    });

    it("applies threshold overrides and keeps the other defaults", async () => {
        const { DEFAULT_THRESHOLDS, resolveThresholds } = await import("../../components/stack-monitoring");
        const t = resolveThresholds({ databaseCpuPercent: 90 });
        expect(t.databaseCpuPercent).to.equal(90);
        expect(t.lambdaErrors).to.equal(DEFAULT_THRESHOLDS.lambdaErrors);
    });

    it("pins the default thresholds", async () => {
        const { DEFAULT_THRESHOLDS } = await import("../../components/stack-monitoring");
        expect(DEFAULT_THRESHOLDS).to.deep.equal({
            lambdaErrors: 1,
            lambdaThrottles: 1,
            queueOldestMessageAgeSeconds: 900,
            databaseCpuPercent: 80,
            databaseFreeStorageBytes: 10737418240,
            loadBalancer5xxCount: 5,
            loadBalancerP99ResponseSeconds: 2,
            serviceCpuPercent: 80,
            serviceMemoryPercent: 80,
            tableThrottledRequests: 1,
            api5xxErrors: 1,
            periodSeconds: 300,
        });
    });

    it("rejects invalid thresholds, naming every problem", async () => {
        const { resolveThresholds } = await import("../../components/stack-monitoring");
        let err: unknown;
        try {
            resolveThresholds({ databaseCpuPercent: 150, periodSeconds: 90, lambdaErrors: -1 });
        } catch (e) {
            err = e;
        }
        expect(err).to.be.instanceOf(UserError);
        expect((err as UserError).problems.map((p) => p.path).sort()).to.deep.equal(["thresholds.databaseCpuPercent", "thresholds.lambdaErrors", "thresholds.periodSeconds"]);
    });
});
