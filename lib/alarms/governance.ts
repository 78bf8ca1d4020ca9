/**
 * Detection where the guardrails cannot reach: the management account (which no SCP binds) and orgwatch's own
 * deployments. Two alarms on the trail log group notify the alarm topic:
 * - the delivery heartbeat: the log group's `IncomingLogEvents` with missing data treated as breaching, so a
 *   trail that stops delivering (a deleted role policy, a changed key policy, a stopped trail) alarms even though
 *   every CIS alarm treats missing data as not breaching;
 * - the monitoring plumbing control: a metric filter for changes to what carries the logs and the alarms
 *   themselves (event and Insights selectors, the governance keys, the archive buckets, OAM links and sinks,
 *   the centralization and telemetry rules, the baseline StackSet, the trail log group, the governance alarms).
 */
import { metricNameOf } from "../cis";
import type { AlarmsConfig, StackConfig } from "../config/schema";
import { names } from "../naming";
import { partitionOf } from "../partition";
import type { Problem } from "../errors";
import { recipeOf, type AlarmRecipe } from "./recipe";
import type { ResolvedControl } from "./resolve";

/** Id of the plumbing control (alarm `<prefix>-monitoring-plumbing-changes`). */
export const PLUMBING_CONTROL_ID = "monitoring-plumbing-changes";
/** Id of the alerting control (alarm `<prefix>-trail-log-group-and-alarm-changes`). */
export const ALERTING_CONTROL_ID = "trail-log-group-and-alarm-changes";
/** Id of the delivery heartbeat (alarm `<prefix>-trail-delivery-heartbeat`). */
export const HEARTBEAT_ALARM_ID = "trail-delivery-heartbeat";

/** CloudWatch Logs refuses metric filter patterns longer than 1,024 characters (PutMetricFilter, filterPattern). */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/**
 * Heartbeat recipe: alarm when fewer than 1 event arrived in each of 2 consecutive 15-minute periods, and when no
 * data point exists at all (CloudWatch Logs publishes `IncomingLogEvents` only for periods with events, so a
 * silent log group has missing data, which is breaching here). An organization trail delivers management events
 * of every account within minutes, so half an hour of silence means delivery is broken.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
 */
export const DEFAULT_HEARTBEAT_RECIPE: AlarmRecipe = {
    threshold: 1,
    period: 900,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    statistic: "Sum",
    comparisonOperator: "LessThanThreshold",
    treatMissingData: "breaching",
};

/** The heartbeat as it will be deployed. */
export interface HeartbeatAlarm {
    readonly id: typeof HEARTBEAT_ALARM_ID;
    readonly description: string;
    readonly recipe: AlarmRecipe;
}

/** The heartbeat unless configured off (`orgwatch:alarms.controls.trail-delivery-heartbeat.enabled: false`). */
export function resolveHeartbeat(alarms: AlarmsConfig): HeartbeatAlarm | undefined {
    const settings = alarms.controls[HEARTBEAT_ALARM_ID];
    if (settings !== undefined && !settings.enabled) return undefined;
    const evaluationPeriods = settings?.evaluationPeriods ?? DEFAULT_HEARTBEAT_RECIPE.evaluationPeriods;
    return {
        id: HEARTBEAT_ALARM_ID,
        description: "The organization trail stopped delivering events to its log group (no IncomingLogEvents; missing data is breaching)",
        recipe: {
            threshold: settings?.threshold ?? DEFAULT_HEARTBEAT_RECIPE.threshold,
            period: settings?.period ?? DEFAULT_HEARTBEAT_RECIPE.period,
            evaluationPeriods,
            datapointsToAlarm: settings?.datapointsToAlarm ?? Math.min(DEFAULT_HEARTBEAT_RECIPE.datapointsToAlarm, evaluationPeriods),
            statistic: settings?.statistic ?? DEFAULT_HEARTBEAT_RECIPE.statistic,
            comparisonOperator: DEFAULT_HEARTBEAT_RECIPE.comparisonOperator,
            treatMissingData: settings?.treatMissingData ?? DEFAULT_HEARTBEAT_RECIPE.treatMissingData,
        },
    };
}

/** What the plumbing pattern names. */
export interface PlumbingFacts {
    /** Accounts holding the governance keys (management, log archive, monitoring). */
    readonly governanceAccountIds: readonly string[];
    /** The archive buckets (trail bucket, access-log bucket). @default [] */
    readonly archiveBucketNames?: readonly string[];
    /** The trail log group, when its name is known before deployment (a trailing `*` when matched by prefix). */
    readonly trailLogGroupName?: string;
    /** The trail log group's ARN (`arn:<partition>:logs:<home>:<management>:log-group:<name>`), when its name is known. */
    readonly trailLogGroupArn?: string;
    /** The baseline StackSet. @default - no StackSet clause */
    readonly baselineStackSetName?: string;
    /** The alarm topic: its configuration and subscriptions. @default - no SNS clause */
    readonly alarmTopicArn?: string;
}

/**
 * The plumbing control's filter pattern. Each clause is a CloudTrail record shape (eventSource, eventName,
 * readOnly, managementEvent, recipientAccountId and requestParameters are fields of every CloudTrail record
 * body); the clauses and why:
 * - CloudTrail `PutEventSelectors` / `PutInsightSelectors` (the CIS trail control only covers create, update,
 *   delete, start and stop);
 * - KMS API writes in the governance accounts (key policies, grants, aliases, rotation; `readOnly` is true
 *   for Encrypt, Decrypt and GenerateDataKey, false for the changes), service events (key rotation) aside;
 * - S3 management writes on the archive buckets (Requester Pays, notifications, inventory, Object Lock,
 *   policy, lifecycle, ...); object writes are data events (`managementEvent` false);
 * - every OAM and Observability Admin write (links, sinks, sink policies, centralization and telemetry rules,
 *   telemetry evaluation), in any account;
 * - CloudFormation writes on the baseline StackSet and its stacks. `stackName` is whatever the caller passed: the
 *   name (`StackSet-<StackSet>-<id>`, matched with a trailing wildcard) or the stack ARN
 *   (`arn:...:stack/StackSet-<StackSet>-<id>/<uuid>`, matched as `*:stack/StackSet-<StackSet>-*`: the guide's
 *   wildcard "matches any text at, before, or after a search term", its space-delimited example `*html*` uses
 *   both). A workload stack whose name merely contains the StackSet's name does not match either form;
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
export function plumbingPattern(f: PlumbingFacts): string {
    // Comparisons need no parentheses of their own: the guide's order of operations is () > && > ||.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
    const anyOf = (field: string, values: readonly string[]): string =>
        values.length === 1 ? `${field} = ${quote(values[0])}` : `(${values.map((v) => `${field} = ${quote(v)}`).join(" || ")})`;
    const all = (...terms: string[]): string => `(${terms.join(" && ")})`;
    const buckets = f.archiveBucketNames ?? [];
    const clauses = [
        all("$.eventSource = cloudtrail.amazonaws.com", anyOf("$.eventName", ["PutEventSelectors", "PutInsightSelectors"])),
        all("$.eventSource = kms.amazonaws.com", "$.eventType = AwsApiCall", "$.readOnly IS FALSE", anyOf("$.recipientAccountId", f.governanceAccountIds)),
        ...(buckets.length > 0 ? [all("$.eventSource = s3.amazonaws.com", "$.managementEvent IS TRUE", "$.readOnly IS FALSE", anyOf("$.requestParameters.bucketName", buckets))] : []),
        all(anyOf("$.eventSource", ["oam.amazonaws.com", "observabilityadmin.amazonaws.com"]), "$.readOnly IS FALSE"),
        ...(f.baselineStackSetName !== undefined
            ? [
                  all(
                      "$.eventSource = cloudformation.amazonaws.com",
                      "$.readOnly IS FALSE",
                      `($.requestParameters.stackSetName = ${quote(`${f.baselineStackSetName}*`)} || $.requestParameters.stackName = ${quote(`StackSet-${f.baselineStackSetName}-*`)} || $.requestParameters.stackName = ${quote(`*:stack/StackSet-${f.baselineStackSetName}-*`)})`,
                  ),
              ]
            : []),
    ];
    return `{ ${clauses.join(" || ")} }`;
}

/**
 * The alerting control's filter pattern: CloudWatch Logs writes on the trail log group (metric filters,
 * retention, key, subscriptions, data protection, transformer, field index, tags, deletion), except the log
 * streams CloudTrail creates as accounts join; account-wide CloudWatch Logs policies of the management account;
 * CloudWatch writes in the management account (the governance alarms: deletion, disabled actions, forced state,
 * mute rules); and SNS management writes on the alarm topic (`topicArn`: attributes, policy, permissions,
 * subscribing, deletion) and its subscriptions (`subscriptionArn` = `<topic ARN>:<id>`: unsubscribing,
 * subscription attributes), which would silence every alarm, the heartbeat included (Publish is a data event,
 * not matched). All are beyond every SCP when made in the management account.
 *
 * CloudWatch Logs names the log group in the request field of each API:
 * - `logGroupName`: metric and subscription filters, retention, deletion, the older AssociateKmsKey and TagLogGroup;
 * - `logGroupIdentifier`, "either the name or ARN" of the group: PutTransformer/DeleteTransformer ("CloudWatch Logs
 *   performs the transformations at the time of log ingestion", before the metric filters see the events),
 *   PutDataProtectionPolicy/DeleteDataProtectionPolicy (masking), PutIndexPolicy/DeleteIndexPolicy;
 * - `resourceIdentifier`, the group's ARN: AssociateKmsKey/DisassociateKmsKey.
 * The ARN forms end in `*` (the ARN as given, or with `:*`). PutAccountPolicy (a transformer, data protection,
 * subscription filter or field index policy for every log group of the account) carries no log group: matched in
 * the management account. Not matched, for the 1,024-character limit (docs/SECURITY.md): TagResource/UntagResource
 * by ARN (`resourceArn`; tags do not reach delivery or the filters, TagLogGroup/UntagLogGroup by name match) and
 * DeleteAccountPolicy (it removes an account policy, which restores what the filters see).
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutTransformer.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDataProtectionPolicy.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutIndexPolicy.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_AssociateKmsKey.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutAccountPolicy.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-logging-using-cloudtrail.html
 */
export function alertingPattern(f: Pick<PlumbingFacts, "governanceAccountIds" | "trailLogGroupName" | "trailLogGroupArn" | "alarmTopicArn">): string {
    const management = quote(f.governanceAccountIds[0] ?? "");
    const group = f.trailLogGroupName;
    const arn = f.trailLogGroupArn === undefined ? undefined : f.trailLogGroupArn.endsWith("*") ? f.trailLogGroupArn : `${f.trailLogGroupArn}*`;
    const named = [
        ...(group !== undefined ? [`$.requestParameters.logGroupName = ${quote(group)}`, `$.requestParameters.logGroupIdentifier = ${quote(group)}`] : []),
        ...(arn !== undefined ? ["logGroupIdentifier", "resourceIdentifier"].map((field) => `$.requestParameters.${field} = ${quote(arn)}`) : []),
    ];
    const accountPolicy = `$.eventName = PutAccountPolicy && $.recipientAccountId = ${management}`;
    const clauses = [
        `($.eventSource = logs.amazonaws.com && $.readOnly IS FALSE && $.eventName != CreateLogStream && (${[...named, accountPolicy].join(" || ")}))`,
        `($.eventSource = monitoring.amazonaws.com && $.readOnly IS FALSE && $.recipientAccountId = ${management})`,
        ...(f.alarmTopicArn !== undefined
            ? [
                  `($.eventSource = sns.amazonaws.com && $.managementEvent IS TRUE && $.readOnly IS FALSE && ($.requestParameters.topicArn = ${quote(f.alarmTopicArn)} || $.requestParameters.subscriptionArn = ${quote(`${f.alarmTopicArn}:*`)}))`,
              ]
            : []),
    ];
    return `{ ${clauses.join(" || ")} }`;
}

/** What the plumbing pattern names for a stack config. */
export function plumbingFacts(cfg: StackConfig): PlumbingFacts {
    const org = cfg.organization;
    const home = cfg.regions.home;
    const created = cfg.trail.mode === "create";
    const adopted = cfg.trail.adopt;
    const trailLogGroupName = created ? names.trailLogGroup(cfg.namePrefix) : (adopted?.logGroupName ?? (adopted?.logGroupNamePrefix !== undefined ? `${adopted.logGroupNamePrefix}*` : undefined));
    return {
        governanceAccountIds: [org.managementAccountId, org.logArchiveAccountId, org.monitoringAccountId],
        archiveBucketNames: created ? [names.trailBucket(cfg.namePrefix, org.logArchiveAccountId, home), names.accessLogBucket(cfg.namePrefix, org.logArchiveAccountId, home)] : [],
        // An adopted log group found by prefix is matched by prefix (Control Tower adds a random suffix).
        trailLogGroupName,
        trailLogGroupArn: trailLogGroupName === undefined ? undefined : `arn:${partitionOf(home)}:logs:${home}:${org.managementAccountId}:log-group:${trailLogGroupName}`,
        baselineStackSetName: names.baselineStackSet(cfg.namePrefix),
        alarmTopicArn: `arn:${partitionOf(home)}:sns:${home}:${org.managementAccountId}:${names.alarmTopic(cfg.namePrefix)}`,
    };
}

/** Config problems of orgwatch's own controls: each pattern must fit CloudWatch Logs' limit. */
export function governanceControlProblems(cfg: StackConfig): Problem[] {
    return governanceControls(cfg).flatMap((c) =>
        c.pattern.length <= MAX_FILTER_PATTERN_LENGTH
            ? []
            : [
                  {
                      path: `orgwatch:alarms.controls.${c.id}`,
                      allowed: `a pattern of at most ${MAX_FILTER_PATTERN_LENGTH} characters (a shorter orgwatch:namePrefix, which names the StackSet, the alarm topic and the buckets the pattern matches; a shorter adopted log group name, where you choose it; or enabled: false)`,
                      received: `${c.pattern.length} characters`,
                  },
              ],
    );
}

/** A value as the filter syntax takes it: bare when it is letters, digits, `_ - . *`, otherwise quoted. */
function quote(value: string): string {
    return /^[A-Za-z0-9_.*-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** orgwatch's own controls: id, description and pattern for a config's facts. */
const GOVERNANCE_CONTROLS: readonly { readonly id: string; readonly description: string; readonly pattern: (f: PlumbingFacts) => string }[] = [
    {
        id: PLUMBING_CONTROL_ID,
        description: "Changes to the monitoring plumbing: trail selectors, governance keys, archive buckets, OAM links and sinks, centralization and telemetry rules, the baseline StackSet",
        pattern: plumbingPattern,
    },
    {
        id: ALERTING_CONTROL_ID,
        description: "Changes to the trail log group (filters, retention, key, subscriptions, transformer, data protection, index, tags, deletion) and the management account's log account policies, to CloudWatch alarms in the management account, and to the alarm topic and its subscriptions",
        pattern: alertingPattern,
    },
];

/** Ids of orgwatch's own metric-filter controls. */
export const GOVERNANCE_CONTROL_IDS: readonly string[] = GOVERNANCE_CONTROLS.map((c) => c.id);

/**
 * orgwatch's own controls for a stack config (each unless configured off under `orgwatch:alarms.controls`), their
 * patterns built from the config's accounts and names, their recipe from the same settings.
 */
export function governanceControls(cfg: StackConfig): ResolvedControl[] {
    const facts = plumbingFacts(cfg);
    return GOVERNANCE_CONTROLS.filter((c) => cfg.alarms.controls[c.id]?.enabled !== false).map((c) => ({
        id: c.id,
        description: c.description,
        pattern: c.pattern(facts),
        metricName: metricNameOf(c.id),
        securityHubControl: null,
        source: "plumbing",
        recipe: recipeOf(cfg.alarms.controls[c.id] ?? {}),
    }));
}
