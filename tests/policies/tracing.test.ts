import { expect } from "chai";

import * as tr from "../../policies/tracing";
import { runResourcePolicy, UNKNOWN } from "./helpers";

describe("policies/tracing", () => {
    describe("lambda-tracing-enabled", () => {
        const type = "aws:lambda/function:Function";
        // Lambda records traces with mode Active; PassThrough (the default) only continues traces sampled upstream
        // (Lambda developer guide, "Visualize Lambda function invocations using AWS X-Ray").
        it("passes with tracingConfig.mode Active", () => {
            expect(runResourcePolicy(tr.lambdaTracingEnabled, { type, props: { tracingConfig: { mode: "Active" } } }).messages).to.deep.equal([]);
        });
        it("fails when unset (PassThrough) or PassThrough", () => {
            expect(runResourcePolicy(tr.lambdaTracingEnabled, { type, props: { runtime: "nodejs20.x" } }).messages[0]).to.contain("tracingConfig.mode is unset");
            expect(runResourcePolicy(tr.lambdaTracingEnabled, { type, props: { tracingConfig: { mode: "PassThrough" } } }).messages[0]).to.contain('"PassThrough"');
        });
        it("leaves a mode unknown at preview to the engine (advisory can't-run)", () => {
            expect(() => runResourcePolicy(tr.lambdaTracingEnabled, { type, props: { tracingConfig: { mode: UNKNOWN } } })).to.throw(/can't be known during preview/);
        });
        it("is not applicable to other types", () => {
            expect(runResourcePolicy(tr.lambdaTracingEnabled, { type: "aws:sqs/queue:Queue", props: {} }).notApplicable).to.be.a("string");
        });
    });

    describe("apigateway-stage-tracing-enabled", () => {
        // REST API stages only: HTTP APIs do not support X-Ray (API Gateway developer guide, "Tracing user requests
        // to REST APIs using X-Ray"; Security Hub control APIGateway.3).
        it("passes with xrayTracingEnabled true, fails when omitted", () => {
            const type = "aws:apigateway/stage:Stage";
            expect(runResourcePolicy(tr.apiGatewayStageTracingEnabled, { type, props: { stageName: "prod", xrayTracingEnabled: true } }).messages).to.deep.equal([]);
            expect(runResourcePolicy(tr.apiGatewayStageTracingEnabled, { type, props: { stageName: "prod" } }).messages[0]).to.contain("xrayTracingEnabled is unset");
        });
        it("is not applicable to HTTP API stages", () => {
            expect(runResourcePolicy(tr.apiGatewayStageTracingEnabled, { type: "aws:apigatewayv2/stage:Stage", props: { name: "$default" } }).notApplicable).to.be.a("string");
        });
    });
});
