import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { isUserError } from "../../lib/errors";
import type { SynthResult } from "../../lib/synth/types";
import { minimalConfig, patched } from "../helpers/config";
import { FIXTURES_DIR } from "../lib/cis/fixtures";
import { ofType, one, policyOf, statementOf, synthConfig, synthStack } from "../helpers/program";

const FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const PROD = { org: "o-k7x2m9q4w1", mgmt: "210987654321", monitoring: "410987654321", logArchive: "310987654321" };

/** The Security Hub texts as published with the fixtures (an independent copy, not the catalogue). */
function publishedPatterns(): { securityHubDefault: Record<string, string>; alternatives: Record<string, string> } {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, "cis-patterns.json"), "utf8")) as { securityHubDefault: Record<string, string>; alternatives: Record<string, string> };
}

describe("program: CIS alarms and the central monitoring account", () => {
    let prod: SynthResult;
    before(async () => {
        prod = await synthStack("prod");
    });

    // orgwatch's two governance controls (lib/alarms/governance.ts) come on top of the 15 CIS controls.
    const GOVERNANCE = ["security-alarms-monitoring-plumbing-changes-filter", "security-alarms-trail-log-group-and-alarm-changes-filter"];
    const cisFilters = (r: SynthResult) => ofType(r, FILTER).filter((f) => !GOVERNANCE.includes(f.name));

    it("prod: 15 CIS metric filters on the trail log group with the Security Hub texts, byte for byte", () => {
        expect(ofType(prod, FILTER).map((f) => f.name)).to.include.members(GOVERNANCE);
        const filters = cisFilters(prod);
        expect(filters).to.have.length(15);
        for (const f of filters) {
            expect(f.inputs.logGroupName).to.equal("orgwatch/cloudtrail/organization");
            expect(f.account).to.equal(PROD.mgmt);
            expect(f.inputs.metricTransformation).to.deep.include({ value: "1", defaultValue: "0", namespace: "orgwatch/CISBenchmark" });
        }
        expect(filters.map((f) => f.inputs.pattern)).to.have.members(Object.values(publishedPatterns().securityHubDefault));
    });

    it("prod: 17 metric-filter alarms (15 CIS, 2 governance) with the CIS recipe, each on its filter's metric, notifying the topic (and on OK)", () => {
        const alarms = ofType(prod, ALARM).filter((a) => a.inputs.namespace === "orgwatch/CISBenchmark");
        expect(alarms).to.have.length(17);
        const topic = one(prod, "aws:sns/topic:Topic");
        const metrics = new Set(ofType(prod, FILTER).map((f) => (f.inputs.metricTransformation as { name: string }).name));
        for (const a of alarms) {
            expect(a.inputs).to.include({
                namespace: "orgwatch/CISBenchmark",
                statistic: "Sum",
                period: 300,
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                evaluationPeriods: 1,
                treatMissingData: "notBreaching",
                actionsEnabled: true,
            });
            expect(metrics.has(String(a.inputs.metricName)), String(a.inputs.metricName)).to.equal(true);
            expect(a.inputs.alarmActions).to.deep.equal([topic.outputs.arn]);
            expect(a.inputs.okActions).to.deep.equal([topic.outputs.arn]);
        }
    });

    it("prod: the topic is KMS-encrypted with a key CloudWatch may use, publishable only by this account's alarms, with subscriptions", () => {
        const topic = one(prod, "aws:sns/topic:Topic");
        const key = one(prod, "aws:kms/key:Key", "security-alarms-topic-key");
        expect(topic.inputs.kmsMasterKeyId).to.equal(key.outputs.arn);
        expect(statementOf(policyOf(key), "CloudWatchAlarmsUseKey")).to.deep.include({ Principal: { Service: "cloudwatch.amazonaws.com" } });
        const publish = statementOf(policyOf(one(prod, "aws:sns/topicPolicy:TopicPolicy")), "CloudWatchAlarmsPublish");
        expect(publish).to.deep.include({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish" });
        expect(JSON.stringify(publish.Condition)).to.contain(`"aws:SourceAccount":"${PROD.mgmt}"`);
        expect(JSON.stringify(publish.Condition)).to.contain(`arn:aws:cloudwatch:eu-central-1:${PROD.mgmt}:alarm:*`);
        const subs = ofType(prod, "aws:sns/topicSubscription:TopicSubscription");
        expect(subs.map((s) => `${String(s.inputs.protocol)} ${String(s.inputs.endpoint)}`)).to.have.members([
            "email security-alarms@example.com",
            "https https://events.pagerduty.com/integration/0123456789abcdef/enqueue",
        ]);
    });

    // CloudWatch Logs metric: IncomingLogEvents (AWS/Logs, dimension LogGroupName), published only for periods with
    // events; a heartbeat must therefore treat missing data as breaching, unlike the CIS alarms.
    it("prod: the delivery heartbeat alarms on the trail log group's IncomingLogEvents, missing data breaching, and notifies the topic", () => {
        const heartbeat = one(prod, ALARM, "security-alarms-trail-delivery-heartbeat-alarm");
        const topic = one(prod, "aws:sns/topic:Topic");
        expect(heartbeat.account).to.equal(PROD.mgmt);
        expect(heartbeat.inputs).to.deep.include({
            name: "orgwatch-trail-delivery-heartbeat",
            namespace: "AWS/Logs",
            metricName: "IncomingLogEvents",
            dimensions: { LogGroupName: "orgwatch/cloudtrail/organization" },
            comparisonOperator: "LessThanThreshold",
            threshold: 1,
            treatMissingData: "breaching",
            actionsEnabled: true,
            alarmActions: [topic.outputs.arn],
            okActions: [topic.outputs.arn],
        });
        expect(prod.outputs.alarmNames).to.deep.include({ "trail-delivery-heartbeat": "orgwatch-trail-delivery-heartbeat" });
    });

    it("prod: the plumbing controls watch the trail log group and notify the topic", () => {
        const topic = one(prod, "aws:sns/topic:Topic");
        for (const id of ["monitoring-plumbing-changes", "trail-log-group-and-alarm-changes"]) {
            const filter = one(prod, FILTER, `security-alarms-${id}-filter`);
            expect(filter.inputs.logGroupName, id).to.equal("orgwatch/cloudtrail/organization");
            const alarm = one(prod, ALARM, `security-alarms-${id}-alarm`);
            expect(alarm.inputs, id).to.deep.include({ name: `orgwatch-${id}`, treatMissingData: "notBreaching", alarmActions: [topic.outputs.arn] });
            expect(alarm.inputs.metricName).to.equal((filter.inputs.metricTransformation as { name: string }).name);
        }
    });

    it("the heartbeat and the plumbing controls follow orgwatch:alarms.controls (recipe, off)", async () => {
        const r = await synthConfig(patched(minimalConfig(), { alarms: { controls: { "trail-delivery-heartbeat": { period: 1800 }, "monitoring-plumbing-changes": { enabled: false } } } }));
        expect(one(r, ALARM, "security-alarms-trail-delivery-heartbeat-alarm").inputs).to.include({ period: 1800, treatMissingData: "breaching" });
        expect(ofType(r, FILTER).map((f) => f.name)).to.not.include("security-alarms-monitoring-plumbing-changes-filter");
        const off = await synthConfig(patched(minimalConfig(), { alarms: { controls: { "trail-delivery-heartbeat": { enabled: false } } } }), "no-heartbeat");
        expect(ofType(off, ALARM).map((a) => a.name)).to.not.include("security-alarms-trail-delivery-heartbeat-alarm");
    });

    it("disabling a control removes exactly its filter and alarm", async () => {
        const all = await synthConfig(minimalConfig());
        const less = await synthConfig(patched(minimalConfig(), { alarms: { controls: { "vpc-changes": { enabled: false } } } }));
        const before = new Set(all.resources.map((r) => r.urn));
        const after = new Set(less.resources.map((r) => r.urn));
        const removed = [...before].filter((u) => !after.has(u));
        expect([...after].filter((u) => !before.has(u))).to.deep.equal([]);
        expect(removed.map((u) => u.split("::").pop())).to.have.members(["security-alarms-vpc-changes-filter", "security-alarms-vpc-changes-alarm"]);
        // Nothing else changed its inputs, except the dashboard that lists the alarms.
        for (const r of less.resources) {
            const twin = all.resources.find((x) => x.urn === r.urn);
            if (r.type === "aws:cloudwatch/dashboard:Dashboard") continue;
            expect(r.inputs, r.urn).to.deep.equal(twin?.inputs);
        }
    });

    it("a variant, a recipe override, a custom control and break-glass users go through the same path", async () => {
        const r = await synthConfig(patched(minimalConfig(), {
            alarms: {
                controls: { "unauthorized-api-calls": { variant: "cis-v2-v3-exclusions", threshold: 5, period: 600, evaluationPeriods: 3, datapointsToAlarm: 2 } },
                custom: [{ id: "guardduty-disabled", description: "GuardDuty detector deleted", pattern: "{ ($.eventSource = guardduty.amazonaws.com) && ($.eventName = DeleteDetector) }" }],
                breakGlassUsers: ["breakglass-1"],
            },
        }));
        const unauthorized = one(r, FILTER, "security-alarms-unauthorized-api-calls-filter");
        const alternatives = publishedPatterns().alternatives;
        const published = Object.entries(alternatives).find(([name]) => name.startsWith("cis_v2_v3_unauthorized_api_with_exclusions"));
        expect(unauthorized.inputs.pattern).to.equal(published?.[1]);
        expect(one(r, ALARM, "security-alarms-unauthorized-api-calls-alarm").inputs).to.include({ threshold: 5, period: 600, evaluationPeriods: 3, datapointsToAlarm: 2 });
        expect(one(r, FILTER, "security-alarms-guardduty-disabled-filter").inputs.pattern).to.equal("{ ($.eventSource = guardduty.amazonaws.com) && ($.eventName = DeleteDetector) }");
        expect(one(r, FILTER, "security-alarms-break-glass-user-activity-filter").inputs.pattern).to.equal('{ ($.userIdentity.type = "IAMUser") && (($.userIdentity.userName = "breakglass-1")) }');
        expect(ofType(r, ALARM)).to.have.length(17 + 3);
    });

    it("per-account attribution adds a recipientAccountId-dimension filter per control and a per-account dashboard widget", async () => {
        const r = await synthConfig(patched(minimalConfig(), { alarms: { perAccountAttribution: true } }));
        const byAccount = ofType(r, FILTER).filter((f) => f.name.endsWith("-by-account-filter"));
        expect(byAccount).to.have.length(15 + 2);
        for (const f of byAccount) {
            expect((f.inputs.metricTransformation as Record<string, unknown>).dimensions).to.deep.equal({ AccountId: "$.recipientAccountId" });
            expect((f.inputs.metricTransformation as Record<string, unknown>).defaultValue).to.equal(undefined);
        }
        expect(ofType(r, ALARM)).to.have.length(15 + 3);
        expect(String(one(r, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)).to.contain("SEARCH('{orgwatch/CISBenchmark,AccountId}'");
    });

    it("an invalid custom pattern is a config error with its position, before anything is created", async () => {
        try {
            await synthConfig(patched(minimalConfig(), { alarms: { custom: [{ id: "broken", description: "x", pattern: "{ $.a = }" }] } }), "bad-pattern");
            expect.fail("should throw");
        } catch (err) {
            expect(isUserError(err), String(err)).to.equal(true);
            expect((err as Error).message).to.match(/orgwatch:alarms\.custom\[0\]\.pattern: expected a valid CloudWatch Logs filter pattern \(.*position 9.*\)/);
        }
    });

    it("an unknown control id or variant is a config error naming the allowed values", async () => {
        try {
            await synthConfig(patched(minimalConfig(), { alarms: { controls: { "root-acount-usage": { enabled: false }, "vpc-changes": { variant: "strict" } } } }), "bad-control");
            expect.fail("should throw");
        } catch (err) {
            expect(isUserError(err), String(err)).to.equal(true);
            const msg = (err as Error).message;
            expect(msg).to.contain('orgwatch:alarms.controls.root-acount-usage: expected a control id (did you mean "root-account-usage"?)');
            expect(msg).to.contain('orgwatch:alarms.controls.vpc-changes.variant: expected one of "security-hub", "cis"; received "strict"');
        }
    });

    describe("central monitoring account (prod)", () => {
        it("has an OAM sink and sink policy in every governed Region, admitting the organization", () => {
            const sinks = ofType(prod, "aws:oam/sink:Sink");
            expect(sinks.map((s) => s.region)).to.have.members(["eu-central-1", "eu-west-1", "us-east-1"]);
            for (const s of sinks) expect(s.account).to.equal(PROD.monitoring);
            for (const p of ofType(prod, "aws:oam/sinkPolicy:SinkPolicy")) {
                expect(p.account).to.equal(PROD.monitoring);
                const st = statementOf(policyOf(p), "OrganizationAccountsLink");
                expect(st).to.deep.include({ Effect: "Allow", Principal: "*", Action: ["oam:CreateLink", "oam:UpdateLink"] });
                expect(JSON.stringify(st.Condition)).to.contain(`"aws:PrincipalOrgID":"${PROD.org}"`);
                expect(JSON.stringify(st.Condition)).to.contain('"oam:ResourceTypes":["AWS::CloudWatch::Metric","AWS::Logs::LogGroup","AWS::XRay::Trace"]');
            }
            expect(Object.keys(prod.outputs.oamSinkArns as object)).to.have.members(["eu-central-1", "eu-west-1", "us-east-1"]);
        });

        it("has the organization centralization rule in the monitoring account, after the delegated administrator registration", () => {
            const rule = one(prod, "aws:observabilityadmin/centralizationRuleForOrganization:CentralizationRuleForOrganization");
            expect(rule.account).to.equal(PROD.monitoring);
            const admin = one(prod, "aws:organizations/delegatedAdministrator:DelegatedAdministrator");
            expect(admin.account).to.equal(PROD.mgmt);
            expect(admin.inputs).to.include({ accountId: PROD.monitoring, servicePrincipal: "observabilityadmin.amazonaws.com" });
            expect(rule.dependsOn).to.include(admin.urn);
            const spec = rule.inputs.rule as { source: Record<string, unknown>; destination: Record<string, unknown> };
            expect(spec.source.regions).to.deep.equal(["eu-central-1", "eu-west-1", "us-east-1"]);
            expect(spec.source.scope).to.equal(`OrganizationId = '${PROD.org}'`);
            expect(spec.source.sourceLogsConfiguration).to.deep.equal({
                encryptedLogGroupStrategy: "ALLOW",
                logGroupSelectionCriteria: "LogGroupName = 'orgwatch/cloudtrail/organization' OR LogGroupName LIKE '/aws/lambda/%' OR LogGroupName LIKE '/ecs/%'",
            });
            expect(spec.destination).to.deep.include({ account: PROD.monitoring, region: "eu-central-1" });
            expect(JSON.stringify(spec.destination)).to.contain('"encryptionStrategy":"CUSTOMER_MANAGED"');
        });

        it("has one dashboard in the monitoring account listing every security alarm", () => {
            const dash = one(prod, "aws:cloudwatch/dashboard:Dashboard");
            expect(dash.account).to.equal(PROD.monitoring);
            const body = JSON.parse(String(dash.inputs.dashboardBody)) as { widgets: Array<{ type: string; properties: { alarms?: string[] } }> };
            const alarmWidget = body.widgets.find((w) => w.type === "alarm");
            expect(alarmWidget?.properties.alarms).to.have.members(ofType(prod, ALARM).map((a) => String(a.outputs.arn)));
        });

        it("links the management and log-archive accounts to the sink in every governed Region directly (members: tests/program/member-baseline.test.ts)", () => {
            const links = ofType(prod, "aws:oam/link:Link");
            expect(links).to.have.length(2 * 3);
            expect(new Set(links.map((l) => l.account))).to.deep.equal(new Set([PROD.mgmt, PROD.logArchive]));
        });
    });
});
