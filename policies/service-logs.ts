import * as aws from "@pulumi/aws";
import { PolicyResource, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { isSet, knownString, propsOf, read, refersToResource, show, TYPES } from "./common";

/*
 * Service logs that application teams forget: Step Functions execution logs, AppSync request logs,
 * CloudFront standard (access) logs and AWS WAF web ACL logs.
 *
 * Default level: advisory, for all four. Each is a pay-per-use feature a team turns on per resource
 * (CloudWatch Logs ingestion and storage, or vended-log delivery to S3, CloudWatch Logs or Firehose:
 * https://aws.amazon.com/cloudwatch/pricing/), and how much of it a workload needs (which level, which
 * distributions) is a judgement call: the rule the pack applies to every such policy (X-Ray tracing,
 * Performance Insights, EC2 detailed monitoring, RDS Enhanced Monitoring). The governance policy config
 * makes them mandatory.
 *
 * Unknown at preview: a level that is
 * unknown gets the engine's default (advisory); a destination that is unknown counts as set; the stack
 * policies match a delivery resource unknown at preview through property dependencies, else skip the
 * resource until the run after the update.
 */

/** The levels of `levels` (least to most verbose) at `min` or more verbose. */
function atLeast(levels: readonly string[], min: string): string[] {
    return levels.slice(levels.indexOf(min));
}

/** `"A" or "B"`, for a fix that names the accepted values. */
function either(values: readonly string[]): string {
    return values.map((v) => `"${v}"`).join(" or ");
}

/** Step Functions log levels from least to most verbose (LoggingConfiguration.level). */
export const STEP_FUNCTIONS_LOG_LEVELS: readonly string[] = ["OFF", "FATAL", "ERROR", "ALL"];

interface StepFunctionsLoggingConfig {
    readonly minLevel: string;
}

/**
 * Step Functions execution logging (Security Hub control StepFunctions.1). Express workflows keep no
 * execution history: their logs are the only record of what ran.
 * https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/stepfunctions-controls.html#stepfunctions-1
 */
export const stepFunctionsLoggingEnabled: ResourceValidationPolicy = {
    name: "stepfunctions-logging-enabled",
    description: "Step Functions state machines must log executions to CloudWatch Logs at the configured level or more verbose.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minLevel: { type: "string", enum: ["FATAL", "ERROR", "ALL"], default: "ERROR", description: "Least verbose level accepted (FATAL < ERROR < ALL)." },
        },
    },
    validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
        const { minLevel } = args.getConfig<StepFunctionsLoggingConfig>();
        const logging = machine.loggingConfiguration;
        // Without a logging configuration Step Functions logs nothing (level OFF).
        const level = logging?.level ?? "OFF";
        const accepted = atLeast(STEP_FUNCTIONS_LOG_LEVELS, minLevel);
        const fix = `Set loggingConfiguration: { level: ${either(accepted)}, logDestination: \`\${logGroup.arn}:*\` }.`;
        if (!accepted.includes(level)) {
            reportViolation(`A state machine must log executions at level ${minLevel} or more verbose; loggingConfiguration.level is ${show(logging?.level)}. ${fix}`);
        } else if (!isSet(() => logging?.logDestination)) {
            reportViolation(`A state machine that logs needs a log group; loggingConfiguration.logDestination is unset. ${fix}`);
        }
    }),
};

/** AppSync field log levels from least to most verbose (LogConfig.fieldLogLevel). */
export const APPSYNC_FIELD_LOG_LEVELS: readonly string[] = ["NONE", "ERROR", "INFO", "DEBUG", "ALL"];

interface AppSyncLoggingConfig {
    readonly minFieldLogLevel: string;
}

/**
 * AppSync GraphQL API logging to CloudWatch Logs (Security Hub control AppSync.2: field-level logging).
 * https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/appsync-controls.html#appsync-2
 */
export const appSyncLoggingEnabled: ResourceValidationPolicy = {
    name: "appsync-logging-enabled",
    description: "AppSync GraphQL APIs must log to CloudWatch Logs at the configured field log level or more verbose.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minFieldLogLevel: {
                type: "string",
                enum: APPSYNC_FIELD_LOG_LEVELS.slice(1),
                default: "ERROR",
                description: "Least verbose field log level accepted (ERROR < INFO < DEBUG < ALL).",
            },
        },
    },
    validateResource: validateResourceOfType(aws.appsync.GraphQLApi, (api, args, reportViolation) => {
        const { minFieldLogLevel } = args.getConfig<AppSyncLoggingConfig>();
        const log = api.logConfig;
        const level = log?.fieldLogLevel ?? "NONE";
        const accepted = atLeast(APPSYNC_FIELD_LOG_LEVELS, minFieldLogLevel);
        const fix =
            `Set logConfig: { fieldLogLevel: ${either(accepted)}, cloudwatchLogsRoleArn: <role trusted by appsync.amazonaws.com ` +
            "with the AWSAppSyncPushToCloudWatchLogs policy> }.";
        if (!accepted.includes(level)) {
            reportViolation(`A GraphQL API must log at field log level ${minFieldLogLevel} or more verbose; logConfig.fieldLogLevel is ${show(log?.fieldLogLevel)}. ${fix}`);
        } else if (!isSet(() => log?.cloudwatchLogsRoleArn)) {
            reportViolation(`A GraphQL API that logs needs the role that writes its logs; logConfig.cloudwatchLogsRoleArn is unset. ${fix}`);
        }
    }),
};

type Delivery = "delivered" | "none" | "undecided";

/**
 * Whether CloudWatch Logs vended-log delivery is set up for `target`: an `aws.cloudwatch.LogDeliverySource`
 * of `logType` whose `resourceArn` is the target, used by an `aws.cloudwatch.LogDelivery`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
 */
function vendedLogDelivery(args: StackValidationArgs, target: PolicyResource, logType: string): Delivery {
    const sources = args.resources.filter((r) => {
        if (r.type !== TYPES.logDeliverySource) {
            return false;
        }
        const type = read(() => propsOf(r)["logType"]);
        return (!type.known || type.value === logType) && refersToResource(r, "resourceArn", target);
    });
    const deliveries = args.resources.filter((r) => r.type === TYPES.logDelivery);
    if (sources.some((s) => deliveries.some((d) => refersToResource(d, "deliverySourceName", s, ["name"])))) {
        return "delivered";
    }
    const unknownSource = args.resources.some((r) => r.type === TYPES.logDeliverySource && !read(() => propsOf(r)["resourceArn"]).known);
    const unknownDelivery = sources.length > 0 && deliveries.some((d) => !read(() => propsOf(d)["deliverySourceName"]).known);
    return unknownSource || unknownDelivery ? "undecided" : "none";
}

/**
 * CloudFront standard logging (Security Hub control CloudFront.5): the legacy `loggingConfig` S3 bucket,
 * or standard logging v2 through CloudWatch Logs delivery (log type ACCESS_LOGS).
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html#cloudfront-5
 */
export const cloudFrontLoggingEnabled: StackValidationPolicy = {
    name: "cloudfront-logging-enabled",
    description: "CloudFront distributions must have standard logging (an S3 loggingConfig, or a CloudWatch Logs delivery of ACCESS_LOGS).",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const distributions = args.resources.filter((r) => r.type === TYPES.cloudfrontDistribution);
        if (distributions.length === 0) {
            args.notApplicable("no CloudFront distributions in the stack");
        }
        for (const d of distributions) {
            const logging = read(() => propsOf(d)["loggingConfig"] as Record<string, unknown> | undefined);
            if (!logging.known || isSet(() => logging.value?.["bucket"])) {
                continue;
            }
            if (vendedLogDelivery(args, d, "ACCESS_LOGS") === "none") {
                reportViolation(
                    `A CloudFront distribution must have standard logging; loggingConfig is ${show(logging.value)} and no aws.cloudwatch.LogDeliverySource ` +
                        `of logType "ACCESS_LOGS" for it is delivered. Set loggingConfig: { bucket: <log bucket>.bucketDomainName }, or add a ` +
                        'LogDeliverySource (logType "ACCESS_LOGS", resourceArn: distribution.arn, in us-east-1) with a LogDelivery to a destination.',
                    d.urn,
                );
            }
        }
    },
};

/** AWS WAF log destinations must be named `aws-waf-logs-*` (log group, bucket or Firehose stream). */
export const WAF_LOG_DESTINATION_PREFIX = "aws-waf-logs-";

/** The name part of a WAF log destination ARN (log group, S3 bucket or Firehose delivery stream). */
export function wafDestinationName(arn: string): string {
    const logGroup = /:log-group:([^:]+)/.exec(arn);
    if (logGroup) {
        return logGroup[1];
    }
    const bucket = /^arn:[^:]+:s3:::([^/]+)/.exec(arn);
    if (bucket) {
        return bucket[1];
    }
    return arn.slice(arn.lastIndexOf("/") + 1);
}

/**
 * AWS WAF web ACL logging (Security Hub control WAF.11): an `aws.wafv2.WebAclLoggingConfiguration` for
 * the ACL, with destinations named `aws-waf-logs-*` as WAF requires, or a CloudWatch Logs delivery of
 * WAF_LOGS. Advisory by default (see above): a web ACL logs every request it inspects.
 * https://docs.aws.amazon.com/waf/latest/developerguide/logging.html
 * https://docs.aws.amazon.com/securityhub/latest/userguide/waf-controls.html#waf-11
 */
export const wafLoggingEnabled: StackValidationPolicy = {
    name: "waf-logging-enabled",
    description: "AWS WAF web ACLs must log the requests they inspect to an aws-waf-logs-* destination.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const acls = args.resources.filter((r) => r.type === TYPES.wafv2WebAcl);
        if (acls.length === 0) {
            args.notApplicable("no AWS WAF web ACLs in the stack");
        }
        const configs = args.resources.filter((r) => r.type === TYPES.wafv2LoggingConfiguration);
        const unknownConfig = configs.some((c) => !read(() => propsOf(c)["resourceArn"]).known);
        for (const acl of acls) {
            const mine = configs.filter((c) => refersToResource(c, "resourceArn", acl));
            const label = knownString(acl, "name") ?? acl.name;
            if (mine.length === 0) {
                const vended = vendedLogDelivery(args, acl, "WAF_LOGS");
                if (vended === "none" && !unknownConfig) {
                    reportViolation(
                        `The web ACL ${show(label)} must log the requests it inspects; no aws.wafv2.WebAclLoggingConfiguration in the stack has its ARN as resourceArn. ` +
                            `Add one with resourceArn: webAcl.arn and logDestinationConfigs: [<ARN of a log group, bucket or Firehose stream named ${WAF_LOG_DESTINATION_PREFIX}...>].`,
                        acl.urn,
                    );
                }
                continue;
            }
            for (const c of mine) {
                const dests = read(() => propsOf(c)["logDestinationConfigs"]);
                const list = dests.known && Array.isArray(dests.value) ? dests.value : [];
                const wrong = list.filter((v): v is string => typeof v === "string" && !wafDestinationName(v).startsWith(WAF_LOG_DESTINATION_PREFIX));
                if (wrong.length > 0) {
                    reportViolation(
                        `AWS WAF delivers logs only to destinations whose name begins with ${WAF_LOG_DESTINATION_PREFIX}; logDestinationConfigs of the web ACL ${show(label)} has ${show(wrong)}. ` +
                            `Rename the log group, bucket or Firehose stream to begin with ${WAF_LOG_DESTINATION_PREFIX}.`,
                        c.urn,
                    );
                }
            }
        }
    },
};

export const serviceLogPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    stepFunctionsLoggingEnabled,
    appSyncLoggingEnabled,
    cloudFrontLoggingEnabled,
    wafLoggingEnabled,
];
