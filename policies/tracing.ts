import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { show } from "./common";

/*
 * AWS X-Ray tracing. Advisory by default: traces are billed per trace recorded and scanned, and
 * whether a service needs them is a team's judgement. Unknown at preview: a mode or switch that is
 * unknown gets the engine's default (advisory "can't run during preview").
 */

/**
 * Lambda records traces only with tracing mode Active; the default, PassThrough, traces a request only
 * when an upstream service already sampled it.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
 */
export const lambdaTracingEnabled: ResourceValidationPolicy = {
    name: "lambda-tracing-enabled",
    description: "Lambda functions must send traces to AWS X-Ray (tracingConfig.mode Active).",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(aws.lambda.Function, (fn, _args, reportViolation) => {
        const mode = fn.tracingConfig?.mode;
        if (mode !== "Active") {
            reportViolation(
                `A Lambda function must have active X-Ray tracing; tracingConfig.mode is ${show(mode)} (PassThrough when unset). ` +
                    'Set tracingConfig: { mode: "Active" } and give the function role the AWSXRayDaemonWriteAccess policy.',
            );
        }
    }),
};

/**
 * X-Ray tracing on REST API stages (Security Hub control APIGateway.3). HTTP and WebSocket APIs do not
 * support X-Ray, so only `aws.apigateway.Stage` is checked.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-3
 */
export const apiGatewayStageTracingEnabled: ResourceValidationPolicy = {
    name: "apigateway-stage-tracing-enabled",
    description: "API Gateway REST API stages must send traces to AWS X-Ray (xrayTracingEnabled true).",
    enforcementLevel: "advisory",
    validateResource: validateResourceOfType(aws.apigateway.Stage, (stage, _args, reportViolation) => {
        if (stage.xrayTracingEnabled !== true) {
            reportViolation(
                `A REST API stage must have X-Ray tracing enabled; xrayTracingEnabled is ${show(stage.xrayTracingEnabled)}. ` +
                    "Set xrayTracingEnabled: true on the aws.apigateway.Stage.",
            );
        }
    }),
};

export const tracingPolicies: ResourceValidationPolicy[] = [lambdaTracingEnabled, apiGatewayStageTracingEnabled];
