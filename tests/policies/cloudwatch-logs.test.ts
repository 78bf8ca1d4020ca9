import { expect } from "chai";

import * as logs from "../../policies/cloudwatch-logs";
import { runResourcePolicy, runStackPolicy, UNKNOWN } from "./helpers";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const FUNCTION = "aws:lambda/function:Function";

function compliantGroup(): Record<string, unknown> {
    return { name: "/app/orders", retentionInDays: 365, kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/abc" };
}

describe("policies/cloudwatch-logs", () => {
    describe("log-group-retention-within-bounds", () => {
        const run = (props: Record<string, unknown>, config?: Record<string, unknown>) =>
            runResourcePolicy(logs.logGroupRetentionWithinBounds, { type: LOG_GROUP, props, config });

        it("passes at the default minimum (365 days, the AWS Config cw-loggroup-retention-period-check default)", () => {
            expect(run(compliantGroup()).messages).to.deep.equal([]);
        });
        it("fails below the minimum and lists the allowed CloudWatch Logs values", () => {
            const m = run({ ...compliantGroup(), retentionInDays: 30 }).messages[0];
            expect(m).to.contain("retentionInDays is 30").and.contain("between 365 and 3653 days");
            expect(m).to.contain("365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653");
        });
        it("fails when retention is unset (never expire) unless allowNeverExpire", () => {
            const { retentionInDays: _omit, ...props } = compliantGroup();
            expect(run(props).messages[0]).to.contain("never expire");
            expect(run(props, { allowNeverExpire: true }).messages).to.deep.equal([]);
        });
        it("honours configured bounds", () => {
            expect(run({ ...compliantGroup(), retentionInDays: 30 }, { minRetentionDays: 7, maxRetentionDays: 90 }).messages).to.deep.equal([]);
            expect(run({ ...compliantGroup(), retentionInDays: 365 }, { minRetentionDays: 7, maxRetentionDays: 90 }).messages[0]).to.contain("between 7 and 90 days");
        });
        it("skips a retention unknown at preview (not applicable, no violation)", () => {
            const r = run({ ...compliantGroup(), retentionInDays: UNKNOWN });
            expect(r.messages).to.deep.equal([]);
            expect(r.notApplicable).to.match(/can't be known during preview/);
        });
    });

    describe("log-group-kms-encrypted", () => {
        it("passes with a key, fails without one", () => {
            expect(runResourcePolicy(logs.logGroupKmsEncrypted, { type: LOG_GROUP, props: compliantGroup() }).messages).to.deep.equal([]);
            const { kmsKeyId: _omit, ...props } = compliantGroup();
            expect(runResourcePolicy(logs.logGroupKmsEncrypted, { type: LOG_GROUP, props }).messages[0]).to.contain("kmsKeyId is unset");
        });
    });

    describe("lambda-log-group-retention-set", () => {
        const fn = { type: FUNCTION, name: "orders", props: { name: "orders-fn", role: "arn:aws:iam::1:role/r" } };
        it("passes when /aws/lambda/<function name> is in the stack with retention", () => {
            const group = { type: LOG_GROUP, name: "orders-logs", props: { name: "/aws/lambda/orders-fn", retentionInDays: 30 } };
            expect(runStackPolicy(logs.lambdaLogGroupRetentionSet, [fn, group]).messages).to.deep.equal([]);
        });
        it("passes when loggingConfig.logGroup names a group in the stack with retention", () => {
            const custom = { ...fn, props: { ...fn.props, loggingConfig: { logFormat: "JSON", logGroup: "/shared/lambda" } } };
            const group = { type: LOG_GROUP, name: "shared", props: { name: "/shared/lambda", retentionInDays: 90 } };
            expect(runStackPolicy(logs.lambdaLogGroupRetentionSet, [custom, group]).messages).to.deep.equal([]);
        });
        it("fails when the function's log group is missing, naming the expected group", () => {
            const r = runStackPolicy(logs.lambdaLogGroupRetentionSet, [fn]);
            expect(r.messages[0]).to.contain('"/aws/lambda/orders-fn"');
            expect(r.urns[0]).to.contain("::orders");
        });
        it("fails when the log group never expires", () => {
            const group = { type: LOG_GROUP, name: "orders-logs", props: { name: "/aws/lambda/orders-fn" } };
            expect(runStackPolicy(logs.lambdaLogGroupRetentionSet, [fn, group]).messages[0]).to.contain("retentionInDays is unset");
        });
        it("skips a function whose name is unknown at preview", () => {
            const unknownName = { ...fn, props: { ...fn.props, name: UNKNOWN } };
            expect(runStackPolicy(logs.lambdaLogGroupRetentionSet, [unknownName]).messages).to.deep.equal([]);
        });
        it("is not applicable to a stack without functions", () => {
            expect(runStackPolicy(logs.lambdaLogGroupRetentionSet, []).notApplicable).to.equal("no Lambda functions in the stack");
        });
    });
});
