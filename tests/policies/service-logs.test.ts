import { expect } from "chai";

import * as sl from "../../policies/service-logs";
import { runResourcePolicy, runStackPolicy, StackResourceSpec, UNKNOWN } from "./helpers";

const LOG_GROUP_ARN = "arn:aws:logs:us-east-1:111111111111:log-group:/aws/vendedlogs/states/orders";

describe("policies/service-logs", () => {
    describe("stepfunctions-logging-enabled", () => {
        const type = "aws:sfn/stateMachine:StateMachine";
        const logging = (level: string) => ({ loggingConfiguration: { level, includeExecutionData: true, logDestination: `${LOG_GROUP_ARN}:*` } });
        // Levels ALL > ERROR > FATAL > OFF; without a logging configuration nothing is logged (Step Functions
        // developer guide, "Logging in CloudWatch Logs"; Security Hub StepFunctions.1).
        it("passes at ERROR and ALL with a log destination", () => {
            for (const level of ["ERROR", "ALL"]) {
                expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: logging(level) }).messages, level).to.deep.equal([]);
            }
        });
        it("fails without a logging configuration, at OFF and below the configured level", () => {
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: { definition: "{}" } }).messages[0]).to.contain("loggingConfiguration.level is unset");
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: logging("OFF") }).messages[0]).to.contain('level is "OFF"');
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: logging("FATAL") }).messages[0]).to.contain('"ERROR" or "ALL"');
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: logging("ERROR"), config: { minLevel: "ALL" } }).messages).to.have.length(1);
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: logging("FATAL"), config: { minLevel: "FATAL" } }).messages).to.deep.equal([]);
        });
        it("fails when logging has no destination; a destination unknown at preview counts as set", () => {
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: { loggingConfiguration: { level: "ALL" } } }).messages[0]).to.contain("logDestination is unset");
            expect(runResourcePolicy(sl.stepFunctionsLoggingEnabled, { type, props: { loggingConfiguration: { level: "ALL", logDestination: UNKNOWN } } }).messages).to.deep.equal([]);
        });
    });

    describe("appsync-logging-enabled", () => {
        const type = "aws:appsync/graphQLApi:GraphQLApi";
        const role = "arn:aws:iam::111111111111:role/appsync-logs";
        // Field log levels NONE < ERROR < INFO < DEBUG < ALL; logging needs a role AppSync assumes (AppSync
        // developer guide, "Monitoring and logging"; Security Hub AppSync.2).
        it("passes at ERROR or more verbose with a logs role", () => {
            for (const fieldLogLevel of ["ERROR", "INFO", "DEBUG", "ALL"]) {
                expect(runResourcePolicy(sl.appSyncLoggingEnabled, { type, props: { logConfig: { fieldLogLevel, cloudwatchLogsRoleArn: role } } }).messages, fieldLogLevel).to.deep.equal([]);
            }
        });
        it("fails without logConfig, at NONE, below the configured level, and without the role", () => {
            expect(runResourcePolicy(sl.appSyncLoggingEnabled, { type, props: { authenticationType: "API_KEY" } }).messages[0]).to.contain("fieldLogLevel is unset");
            expect(runResourcePolicy(sl.appSyncLoggingEnabled, { type, props: { logConfig: { fieldLogLevel: "NONE", cloudwatchLogsRoleArn: role } } }).messages[0]).to.contain('"NONE"');
            expect(runResourcePolicy(sl.appSyncLoggingEnabled, { type, props: { logConfig: { fieldLogLevel: "ERROR", cloudwatchLogsRoleArn: role } }, config: { minFieldLogLevel: "ALL" } }).messages).to.have.length(1);
            expect(runResourcePolicy(sl.appSyncLoggingEnabled, { type, props: { logConfig: { fieldLogLevel: "ALL" } } }).messages[0]).to.contain("cloudwatchLogsRoleArn is unset");
        });
    });

    describe("cloudfront-logging-enabled", () => {
        const DIST = "aws:cloudfront/distribution:Distribution";
        const distArn = "arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL";
        const dist = (props: Record<string, unknown> = {}): StackResourceSpec => ({ type: DIST, name: "cdn", props: { arn: distArn, id: "E2QWRUHAPOMQZL", enabled: true, ...props } });
        const source = (props: Record<string, unknown> = {}): StackResourceSpec => ({
            type: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
            name: "cdn-logs",
            props: { name: "cdn-access-logs", logType: "ACCESS_LOGS", resourceArn: distArn, ...props },
        });
        const delivery = (props: Record<string, unknown> = {}): StackResourceSpec => ({
            type: "aws:cloudwatch/logDelivery:LogDelivery",
            name: "cdn-delivery",
            props: { deliverySourceName: "cdn-access-logs", deliveryDestinationArn: "arn:aws:logs:us-east-1:111111111111:delivery-destination:cdn-s3", ...props },
        });
        // Standard logging: the legacy S3 loggingConfig, or v2 through CloudWatch Logs delivery of ACCESS_LOGS
        // (CloudFront developer guide, "Standard logging"; Security Hub CloudFront.5).
        it("passes with a legacy S3 loggingConfig", () => {
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [dist({ loggingConfig: { bucket: "cdn-logs.s3.amazonaws.com", includeCookies: false } })]).messages).to.deep.equal([]);
        });
        it("passes with standard logging v2 (delivery source for the distribution and a delivery)", () => {
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [dist(), source(), delivery()]).messages).to.deep.equal([]);
        });
        it("fails without logging, and with a delivery source that nothing delivers or that is for another log type", () => {
            const bare = runStackPolicy(sl.cloudFrontLoggingEnabled, [dist()]);
            expect(bare.messages[0]).to.contain("loggingConfig is unset").and.contain("ACCESS_LOGS");
            expect(bare.urns[0]).to.contain("::cdn");
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [dist(), source()]).messages).to.have.length(1);
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [dist(), source({ logType: "CONNECTION_LOGS" }), delivery()]).messages).to.have.length(1);
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [dist(), source({ resourceArn: "arn:aws:cloudfront::111111111111:distribution/OTHER" }), delivery()]).messages).to.have.length(1);
        });
        it("at preview, matches a delivery source through its property dependency on the distribution", () => {
            const src = { ...source({ resourceArn: UNKNOWN }), propertyDependencies: { resourceArn: ["cdn"] } };
            const del = { ...delivery({ deliverySourceName: UNKNOWN }), propertyDependencies: { deliverySourceName: ["cdn-logs"] } };
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [dist({ arn: UNKNOWN }), src, del]).messages).to.deep.equal([]);
        });
        it("is not applicable without distributions", () => {
            expect(runStackPolicy(sl.cloudFrontLoggingEnabled, [source()]).notApplicable).to.be.a("string");
        });
    });

    describe("waf-logging-enabled", () => {
        const aclArn = "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/api-acl/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
        const acl: StackResourceSpec = { type: "aws:wafv2/webAcl:WebAcl", name: "api-acl", props: { name: "api-acl", arn: aclArn, scope: "REGIONAL" } };
        const config = (dest: string, resourceArn = aclArn): StackResourceSpec => ({
            type: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
            name: "api-acl-logging",
            props: { resourceArn, logDestinationConfigs: [dest] },
        });
        // A logging configuration per web ACL, to a destination whose name starts with aws-waf-logs- (AWS WAF
        // developer guide, "Logging AWS WAF protection pack (web ACL) traffic"; Security Hub WAF.11).
        it("passes with a logging configuration to aws-waf-logs-* log group, bucket or Firehose stream", () => {
            for (const dest of [
                "arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-api",
                "arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-api:*",
                "arn:aws:s3:::aws-waf-logs-api",
                "arn:aws:firehose:us-east-1:111111111111:deliverystream/aws-waf-logs-api",
            ]) {
                expect(runStackPolicy(sl.wafLoggingEnabled, [acl, config(dest)]).messages, dest).to.deep.equal([]);
            }
        });
        it("fails without a logging configuration for the ACL", () => {
            const r = runStackPolicy(sl.wafLoggingEnabled, [acl, config("arn:aws:s3:::aws-waf-logs-api", "arn:aws:wafv2:us-east-1:111111111111:regional/webacl/other/x")]);
            expect(r.messages[0]).to.contain('web ACL "api-acl"').and.contain("resourceArn: webAcl.arn");
        });
        it("fails for a destination not named aws-waf-logs-*", () => {
            const r = runStackPolicy(sl.wafLoggingEnabled, [acl, config("arn:aws:logs:us-east-1:111111111111:log-group:/waf/api")]);
            expect(r.messages[0]).to.contain("aws-waf-logs-").and.contain("/waf/api");
        });
        it("passes with CloudWatch Logs delivery of WAF_LOGS", () => {
            const src: StackResourceSpec = { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", name: "waf-src", props: { name: "waf-src", logType: "WAF_LOGS", resourceArn: aclArn } };
            const del: StackResourceSpec = { type: "aws:cloudwatch/logDelivery:LogDelivery", name: "waf-del", props: { deliverySourceName: "waf-src", deliveryDestinationArn: "arn:aws:logs:us-east-1:111111111111:delivery-destination:d" } };
            expect(runStackPolicy(sl.wafLoggingEnabled, [acl, src, del]).messages).to.deep.equal([]);
        });
        it("is not applicable without web ACLs", () => {
            expect(runStackPolicy(sl.wafLoggingEnabled, []).notApplicable).to.be.a("string");
        });
    });
});
