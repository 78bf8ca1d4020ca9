import { expect } from "chai";

import * as alarms from "../../policies/alarms";
import { runResourcePolicy, UNKNOWN } from "./helpers";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";

function compliantAlarm(): Record<string, unknown> {
    return {
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: "orders" },
        statistic: "Sum",
        period: 300,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        alarmActions: ["arn:aws:sns:us-east-1:111111111111:alerts"],
        actionsEnabled: true,
    };
}

describe("policies/alarms", () => {
    describe("alarm-actions-enabled", () => {
        it("passes when enabled or omitted (CloudWatch's default is enabled), fails when false", () => {
            expect(runResourcePolicy(alarms.alarmActionsEnabled, { type: ALARM, props: compliantAlarm() }).messages).to.deep.equal([]);
            const { actionsEnabled: _omit, ...props } = compliantAlarm();
            expect(runResourcePolicy(alarms.alarmActionsEnabled, { type: ALARM, props }).messages).to.deep.equal([]);
            const r = runResourcePolicy(alarms.alarmActionsEnabled, { type: ALARM, props: { ...compliantAlarm(), actionsEnabled: false } });
            expect(r.messages[0]).to.contain("actionsEnabled is false");
        });
    });

    describe("alarm-has-action", () => {
        it("fails with no alarm action", () => {
            const r = runResourcePolicy(alarms.alarmHasAction, { type: ALARM, props: { ...compliantAlarm(), alarmActions: [] } });
            expect(r.messages[0]).to.contain("alarmActions is []");
        });
        it("fails when alarmActions is omitted", () => {
            const { alarmActions: _omit, ...props } = compliantAlarm();
            expect(runResourcePolicy(alarms.alarmHasAction, { type: ALARM, props }).messages[0]).to.contain("alarmActions is unset");
        });
        it("counts an action whose topic ARN is unknown at preview", () => {
            const r = runResourcePolicy(alarms.alarmHasAction, { type: ALARM, props: { ...compliantAlarm(), alarmActions: [UNKNOWN] } });
            expect(r.messages).to.deep.equal([]);
        });
        it("passes with an action", () => {
            expect(runResourcePolicy(alarms.alarmHasAction, { type: ALARM, props: compliantAlarm() }).messages).to.deep.equal([]);
        });
    });

    describe("sns-topic-encrypted", () => {
        it("passes with a KMS key and fails without one", () => {
            expect(runResourcePolicy(alarms.snsTopicEncrypted, { type: TOPIC, props: { name: "alerts", kmsMasterKeyId: "alias/alerts" } }).messages).to.deep.equal([]);
            const r = runResourcePolicy(alarms.snsTopicEncrypted, { type: TOPIC, props: { name: "alerts" } });
            expect(r.messages[0]).to.contain("kmsMasterKeyId is unset").and.contain('"alerts"');
        });
        // CloudWatch can publish to an encrypted topic only when the key policy admits cloudwatch.amazonaws.com,
        // which the AWS managed key's fixed policy does not (SNS developer guide, "Enable compatibility between
        // event sources from AWS services and encrypted topics"). Aliases under alias/aws/ are reserved for AWS
        // managed keys (KMS developer guide, "Aliases in AWS KMS").
        for (const key of [
            "alias/aws/sns",
            "arn:aws:kms:us-east-1:111111111111:alias/aws/sns",
            "arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/aws/sns",
            "arn:aws-cn:kms:cn-north-1:111111111111:alias/aws/sns",
        ]) {
            it(`fails with the AWS managed key ${key}, which CloudWatch alarms cannot publish through`, () => {
                const r = runResourcePolicy(alarms.snsTopicEncrypted, { type: TOPIC, props: { name: "alerts", kmsMasterKeyId: key } });
                expect(r.messages).to.have.length(1);
                expect(r.messages[0]).to.contain(`kmsMasterKeyId is "${key}"`).and.contain("customer managed key").and.contain("cloudwatch.amazonaws.com");
            });
        }
        it("passes with customer managed keys given as alias, alias ARN, key ARN or key id, and with a key unknown at preview", () => {
            for (const key of [
                "alias/team-alerts",
                "alias/awsome-alerts",
                "arn:aws:kms:us-east-1:111111111111:alias/team-alerts",
                "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                UNKNOWN,
            ]) {
                expect(runResourcePolicy(alarms.snsTopicEncrypted, { type: TOPIC, props: { name: "alerts", kmsMasterKeyId: key } }).messages, key).to.deep.equal([]);
            }
        });
        it("is not applicable to alarms", () => {
            expect(runResourcePolicy(alarms.snsTopicEncrypted, { type: ALARM, props: compliantAlarm() }).notApplicable).to.be.a("string");
        });
    });
});
