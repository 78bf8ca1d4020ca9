import * as aws from "@pulumi/aws";
import * as apigateway from "@pulumi/aws-apigateway";

const role = new aws.iam.Role("hello", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
    managedPolicyArns: [aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole],
});

const hello = new aws.lambda.CallbackFunction("hello", {
    role,
    callback: async () => ({ statusCode: 200, body: JSON.stringify({ message: "hello" }) }),
});

const api = new apigateway.RestAPI("api", {
    stageName: "v1",
    routes: [{ path: "/", method: "GET", eventHandler: hello }],
});

export const url = api.url;
