import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { isSet, knownString, propsOf, read, show, skipWhenUnknown, TYPES } from "./common";

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy, `retentionInDays`). */
export const VALID_RETENTION_DAYS: readonly number[] = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * Default minimum retention: 365 days, the default of the AWS Config rule cw-loggroup-retention-period-check
 * (https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html). That rule
 * accepts "never expire"; this policy does not unless `allowNeverExpire` is set, because the pack also bounds cost.
 */
export const DEFAULT_MIN_RETENTION_DAYS = 365;
export const DEFAULT_MAX_RETENTION_DAYS = 3653;

interface RetentionConfig {
    readonly minRetentionDays: number;
    readonly maxRetentionDays: number;
    readonly allowNeverExpire: boolean;
}

export const logGroupRetentionWithinBounds: ResourceValidationPolicy = {
    name: "log-group-retention-within-bounds",
    description: "CloudWatch Logs log groups must set a retention between the configured minimum and maximum number of days.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minRetentionDays: { type: "integer", minimum: 1, maximum: 3653, default: DEFAULT_MIN_RETENTION_DAYS },
            maxRetentionDays: { type: "integer", minimum: 1, maximum: 3653, default: DEFAULT_MAX_RETENTION_DAYS },
            allowNeverExpire: {
                type: "boolean",
                default: false,
                description: "Accept log groups that never expire (retentionInDays unset or 0).",
            },
        },
    },
    // Unknown retention (computed from another output) is not a violation: the policy is skipped for that log group.
    validateResource: skipWhenUnknown(
        validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, reportViolation) => {
            const { minRetentionDays, maxRetentionDays, allowNeverExpire } = args.getConfig<RetentionConfig>();
            const days = group.retentionInDays;
            const bounds = `between ${minRetentionDays} and ${maxRetentionDays} days`;
            if (days === undefined || days === null || days === 0) {
                if (!allowNeverExpire) {
                    reportViolation(
                        `A log group must set a retention ${bounds}; retentionInDays is ${show(days)} (never expire). ` +
                            `Set retentionInDays to one of ${VALID_RETENTION_DAYS.filter((d) => d >= minRetentionDays && d <= maxRetentionDays).join(", ")}.`,
                    );
                }
                return;
            }
            if (days < minRetentionDays || days > maxRetentionDays) {
                reportViolation(
                    `A log group must keep its events ${bounds}; retentionInDays is ${days}. ` +
                        `Set retentionInDays to one of ${VALID_RETENTION_DAYS.filter((d) => d >= minRetentionDays && d <= maxRetentionDays).join(", ")}.`,
                );
            }
        }),
    ),
};

export const logGroupKmsEncrypted: ResourceValidationPolicy = {
    name: "log-group-kms-encrypted",
    description: "CloudWatch Logs log groups must be encrypted with a customer managed KMS key (kmsKeyId set).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, _args, reportViolation) => {
        if (!isSet(() => group.kmsKeyId)) {
            reportViolation(
                `A log group must be encrypted with a KMS key; kmsKeyId is ${show(group.kmsKeyId)}. ` +
                    "Set kmsKeyId to a key whose policy admits logs.<region>.amazonaws.com for this log group.",
            );
        }
    }),
};

/**
 * Every Lambda function has a log group with retention in the stack: the group named by
 * `loggingConfig.logGroup`, or else `/aws/lambda/<function name>`, which Lambda creates on first
 * invocation with no retention when the stack does not.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
 */
export const lambdaLogGroupRetentionSet: StackValidationPolicy = {
    name: "lambda-log-group-retention-set",
    description: "Every Lambda function must have its log group in the stack with a retention set.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const functions = args.resources.filter((r) => r.type === TYPES.lambdaFunction);
        if (functions.length === 0) {
            args.notApplicable("no Lambda functions in the stack");
        }
        const groups = new Map<string, unknown>();
        for (const g of args.resources.filter((r) => r.type === TYPES.logGroup)) {
            const name = knownString(g, "name");
            if (name !== undefined) {
                groups.set(name, read(() => propsOf(g)["retentionInDays"]));
            }
        }
        for (const fn of functions) {
            const configured = read(() => {
                const cfg = propsOf(fn)["loggingConfig"] as Record<string, unknown> | undefined;
                return cfg?.["logGroup"];
            });
            const fnName = read(() => propsOf(fn)["name"]);
            if (!configured.known || (configured.value === undefined && !fnName.known)) {
                // The log group name is not known before the update; it is checked after it.
                continue;
            }
            const expected =
                typeof configured.value === "string" && configured.value.length > 0
                    ? configured.value
                    : `/aws/lambda/${String(fnName.known ? fnName.value : "")}`;
            if (!groups.has(expected)) {
                reportViolation(
                    `A Lambda function must have its log group "${expected}" declared in the stack with a retention; none was found. ` +
                        `Add an aws.cloudwatch.LogGroup named "${expected}" with retentionInDays set (or point loggingConfig.logGroup at one).`,
                    fn.urn,
                );
                continue;
            }
            const retention = groups.get(expected) as ReturnType<typeof read>;
            if (retention.known && (typeof retention.value !== "number" || retention.value <= 0)) {
                reportViolation(
                    `The log group "${expected}" of a Lambda function must set a retention; retentionInDays is ${show(retention.value)}. ` +
                        "Set retentionInDays on that log group.",
                    fn.urn,
                );
            }
        }
    },
};

export const cloudwatchLogsPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    logGroupRetentionWithinBounds,
    logGroupKmsEncrypted,
    lambdaLogGroupRetentionSet,
];
