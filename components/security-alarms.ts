import { createHash } from "crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HeartbeatAlarm } from "../lib/alarms/governance";
import type { ResolvedControl } from "../lib/alarms/resolve";
import { names } from "../lib/naming";
import { alarmTopicKeyPolicy, alarmTopicPolicy, policyJson } from "../lib/policy-documents";
import { KEY_DELETION_WINDOW_DAYS } from "./log-archive";

/** Dimension that attributes a CIS event to the account it happened in (CloudTrail's `recipientAccountId`). */
export const ACCOUNT_DIMENSION = "AccountId";

export interface SubscriptionArgs {
    readonly protocol: "email" | "https" | "sqs" | "lambda";
    readonly endpoint: string;
}

export interface SecurityAlarmsArgs {
    readonly partition: string;
    /** Account of the trail log group; the topic, key and alarms live there too. */
    readonly accountId: string;
    readonly region: string;
    readonly namePrefix: string;
    /** The trail log group (created or adopted). Security Hub evaluates filters on this group only. */
    readonly logGroupName: pulumi.Input<string>;
    /** Controls to deploy, already resolved from the catalogue and config. */
    readonly controls: readonly ResolvedControl[];
    /**
     * The trail delivery heartbeat: an alarm on the log group's `IncomingLogEvents` (AWS/Logs) that fires when
     * no events arrive, missing data included. @default - none
     */
    readonly heartbeat?: HeartbeatAlarm;
    /** Topic subscriptions. At least one is needed for Security Hub to count an alarm as monitored. @default [] */
    readonly subscriptions?: readonly SubscriptionArgs[];
    /** Also notify when an alarm returns to OK. @default false */
    readonly okActions?: boolean;
    /**
     * Add a second metric filter per control with a `recipientAccountId` dimension, so the dashboard can show
     * events per account. The alarm stays on the dimensionless metric (a metric with dimensions is a different
     * metric, and Security Hub checks the filter → metric → alarm chain). @default false
     */
    readonly perAccountAttribution?: boolean;
    /** Principals administering the topic key besides the account root. @default [] */
    readonly keyAdminArns?: readonly string[];
    /** Protect the topic and key from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * CIS metric filters and alarms on the trail log group, wired to a KMS-encrypted SNS topic that only
 * CloudWatch alarms of this account may publish to. One filter and one alarm per control; names
 * derive from the control id so that enabling or disabling one control touches only its resources.
 */
export class SecurityAlarms extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    public readonly alarmArns: Record<string, pulumi.Output<string>>;
    public readonly alarmNames: Record<string, string>;
    public readonly metricNamespace: string;

    constructor(name: string, args: SecurityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:alarms:SecurityAlarms", name, {}, opts);
        const protect = args.protect ?? true;
        const audit: pulumi.CustomResourceOptions = { parent: this, protect };
        const namespace = names.metricNamespace(args.namePrefix);
        this.metricNamespace = namespace;

        const topicName = names.alarmTopic(args.namePrefix);
        const topicArn = `arn:${args.partition}:sns:${args.region}:${args.accountId}:${topicName}`;
        const key = new aws.kms.Key(
            `${name}-topic-key`,
            {
                description: "orgwatch: encrypts the security alarm topic",
                enableKeyRotation: true,
                deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                policy: policyJson(
                    alarmTopicKeyPolicy({ partition: args.partition, region: args.region, accountId: args.accountId, topicArn, adminPrincipalArns: args.keyAdminArns ?? [] }),
                ),
            },
            audit,
        );
        new aws.kms.Alias(`${name}-topic-key-alias`, { name: names.alarmsKeyAlias(args.namePrefix), targetKeyId: key.keyId }, audit);

        const topic = new aws.sns.Topic(`${name}-topic`, { name: topicName, kmsMasterKeyId: key.arn }, audit);
        new aws.sns.TopicPolicy(
            `${name}-topic-policy`,
            { arn: topic.arn, policy: policyJson(alarmTopicPolicy({ partition: args.partition, region: args.region, accountId: args.accountId, topicArn })) },
            audit,
        );
        for (const sub of args.subscriptions ?? []) {
            new aws.sns.TopicSubscription(
                `${name}-subscription-${sub.protocol}-${stableSuffix(sub.endpoint)}`,
                { topic: topic.arn, protocol: sub.protocol, endpoint: sub.endpoint, ...(sub.protocol === "https" ? { endpointAutoConfirms: false } : {}) },
                { parent: this },
            );
        }

        this.alarmArns = {};
        this.alarmNames = {};
        for (const control of args.controls) {
            const filter = new aws.cloudwatch.LogMetricFilter(
                `${name}-${control.id}-filter`,
                {
                    name: names.metricFilter(args.namePrefix, control.id),
                    logGroupName: args.logGroupName,
                    pattern: control.pattern,
                    metricTransformation: { name: control.metricName, namespace, value: "1", defaultValue: "0" },
                },
                { parent: this },
            );
            if (args.perAccountAttribution) {
                // Dimensions and a default value are mutually exclusive in a metric transformation.
                new aws.cloudwatch.LogMetricFilter(
                    `${name}-${control.id}-by-account-filter`,
                    {
                        name: `${names.metricFilter(args.namePrefix, control.id)}-by-account`,
                        logGroupName: args.logGroupName,
                        pattern: control.pattern,
                        metricTransformation: { name: control.metricName, namespace, value: "1", dimensions: { [ACCOUNT_DIMENSION]: "$.recipientAccountId" } },
                    },
                    { parent: this },
                );
            }
            const alarmName = names.alarm(args.namePrefix, control.id);
            const r = control.recipe;
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${control.id}-alarm`,
                {
                    name: alarmName,
                    alarmDescription: `${control.description}. Filter pattern: ${control.pattern}`.slice(0, 1024),
                    namespace,
                    metricName: control.metricName,
                    statistic: r.statistic,
                    period: r.period,
                    threshold: r.threshold,
                    comparisonOperator: r.comparisonOperator,
                    evaluationPeriods: r.evaluationPeriods,
                    datapointsToAlarm: r.datapointsToAlarm,
                    treatMissingData: r.treatMissingData,
                    actionsEnabled: true,
                    alarmActions: [topic.arn],
                    okActions: args.okActions ? [topic.arn] : undefined,
                },
                { parent: this, dependsOn: [filter] },
            );
            this.alarmArns[control.id] = alarm.arn;
            this.alarmNames[control.id] = alarmName;
        }

        if (args.heartbeat !== undefined) {
            // CloudWatch Logs publishes IncomingLogEvents per log group (dimension LogGroupName) only for periods
            // with events; treatMissingData "breaching" turns silence into an alarm.
            // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html
            const h = args.heartbeat;
            const alarmName = names.alarm(args.namePrefix, h.id);
            const alarm = new aws.cloudwatch.MetricAlarm(
                `${name}-${h.id}-alarm`,
                {
                    name: alarmName,
                    alarmDescription: h.description,
                    namespace: "AWS/Logs",
                    metricName: "IncomingLogEvents",
                    dimensions: { LogGroupName: args.logGroupName },
                    statistic: h.recipe.statistic,
                    period: h.recipe.period,
                    threshold: h.recipe.threshold,
                    comparisonOperator: h.recipe.comparisonOperator,
                    evaluationPeriods: h.recipe.evaluationPeriods,
                    datapointsToAlarm: h.recipe.datapointsToAlarm,
                    treatMissingData: h.recipe.treatMissingData,
                    actionsEnabled: true,
                    alarmActions: [topic.arn],
                    okActions: args.okActions ? [topic.arn] : undefined,
                },
                { parent: this },
            );
            this.alarmArns[h.id] = alarm.arn;
            this.alarmNames[h.id] = alarmName;
        }

        this.topicArn = topic.arn;
        this.registerOutputs({ topicArn: this.topicArn, alarmArns: this.alarmArns });
    }
}

/** Short stable suffix for a subscription endpoint (endpoints can be long URLs with characters names do not allow). */
function stableSuffix(endpoint: string): string {
    return createHash("sha256").update(endpoint).digest("hex").slice(0, 8);
}
