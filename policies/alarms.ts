import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { isSet, read, show } from "./common";

/*
 * Unknown at preview: `actionsEnabled` unknown gets the engine's default (advisory); an action list
 * whose elements are unknown (topic ARNs created in the same update) still has a known length and
 * counts; an entire list that is unknown gets the engine's default (advisory).
 */

export const alarmActionsEnabled: ResourceValidationPolicy = {
    name: "alarm-actions-enabled",
    description: "CloudWatch metric alarms must have their actions enabled (actionsEnabled not false).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudwatch.MetricAlarm, (alarm, _args, reportViolation) => {
        // CloudWatch default: ActionsEnabled true (PutMetricAlarm).
        if ((alarm.actionsEnabled ?? true) !== true) {
            reportViolation(
                `An alarm must have its actions enabled; actionsEnabled is ${show(alarm.actionsEnabled)}. ` +
                    "Remove actionsEnabled or set it to true, otherwise nobody is notified.",
            );
        }
    }),
};

export const alarmHasAction: ResourceValidationPolicy = {
    name: "alarm-has-action",
    description: "CloudWatch metric alarms must notify at least one target when they fire (alarmActions not empty).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudwatch.MetricAlarm, (alarm, _args, reportViolation) => {
        const actions = alarm.alarmActions;
        if (!Array.isArray(actions) || actions.length === 0) {
            reportViolation(
                `An alarm must have at least one alarm action; alarmActions is ${show(actions)}. ` +
                    "Add the ARN of an SNS topic with a subscription (for example the organization's alarm topic) to alarmActions.",
            );
        }
    }),
};

/**
 * True for a reference to an AWS managed key: its alias name (`alias/aws/sns`) or alias ARN
 * (`arn:<partition>:kms:<region>:<account>:alias/aws/sns`). Aliases that begin with `alias/aws/` are
 * reserved for AWS managed keys (https://docs.aws.amazon.com/kms/latest/developerguide/alias-about.html).
 * The key id or key ARN of an AWS managed key looks like any other key's and is not recognized here.
 */
export function isAwsManagedKeyRef(ref: string): boolean {
    const alias = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(alias\/.*)$/.exec(ref)?.[1] ?? ref;
    return alias.startsWith("alias/aws/");
}

// CloudWatch needs kms:Decrypt and kms:GenerateDataKey* on the topic's key, which only a customer managed
// key's policy can grant; the AWS managed key alias/aws/sns has a policy nobody can change, so an alarm
// publishing to a topic encrypted with it is never delivered ("Enable compatibility between event sources
// from AWS services and encrypted topics"):
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
export const snsTopicEncrypted: ResourceValidationPolicy = {
    name: "sns-topic-encrypted",
    description: "SNS topics must be encrypted at rest with a customer managed KMS key (kmsMasterKeyId set, not an AWS managed alias/aws/ key).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.sns.Topic, (topic, _args, reportViolation) => {
        const name = read(() => topic.name);
        const on = name.known && name.value ? ` on topic ${show(name.value)}` : "";
        const fix =
            "Set kmsMasterKeyId to a customer managed key whose policy lets cloudwatch.amazonaws.com use it " +
            "(kms:Decrypt and kms:GenerateDataKey*); the AWS managed alias/aws/sns key cannot be used by CloudWatch alarms.";
        if (!isSet(() => topic.kmsMasterKeyId)) {
            reportViolation(`An SNS topic must be encrypted with a KMS key; kmsMasterKeyId is ${show(topic.kmsMasterKeyId)}${on}. ${fix}`);
            return;
        }
        const key = read(() => topic.kmsMasterKeyId);
        if (key.known && typeof key.value === "string" && isAwsManagedKeyRef(key.value)) {
            reportViolation(
                `An SNS topic must be encrypted with a customer managed KMS key; kmsMasterKeyId is ${show(key.value)}${on}, ` +
                    `an AWS managed key whose policy cannot admit CloudWatch, so alarm notifications to this topic are never delivered. ${fix}`,
            );
        }
    }),
};

export const alarmPolicies: ResourceValidationPolicy[] = [alarmActionsEnabled, alarmHasAction, snsTopicEncrypted];
