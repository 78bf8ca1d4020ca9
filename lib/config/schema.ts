import { z } from "zod";
import { Region } from "@pulumi/aws/types/enums";
import { LOG_GROUP_NAME } from "../policy-documents/validate";

/**
 * The stack configuration of orgwatch: every key of the `orgwatch:` namespace in `Pulumi.<stack>.yaml`.
 * Parsed once, strictly (unknown keys are errors), before any resource is registered.
 * Defaults are audit-grade and exported as named constants (pinned by tests).
 */

/** Regions the AWS provider knows (its own enum), so a typo is caught before any API call. */
export const KNOWN_REGIONS: readonly string[] = Object.values(Region);

/**
 * Retention values CloudWatch Logs accepts for `PutRetentionPolicy`.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
 */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Default name prefix of every physical name orgwatch sets. */
export const DEFAULT_NAME_PREFIX = "orgwatch";
/** Role orgwatch assumes in member accounts (created by AWS Organizations for accounts it creates). */
export const DEFAULT_MEMBER_ROLE_NAME = "OrganizationAccountAccessRole";
/** One year in CloudWatch Logs: the CIS/CDK-recommended minimum for audit log groups. */
export const DEFAULT_LOG_GROUP_RETENTION_DAYS = 365;
/** Seven years in the S3 archive (a common regulatory floor, e.g. SOX/PCI guidance). */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 2557;
/** Name of the organization trail orgwatch creates (a physical name: the bucket and key policies reference its ARN). */
export const DEFAULT_TRAIL_NAME = "orgwatch-organization-trail";
/** Prefix of the Control Tower trail log group (random suffix since landing zone 4.0). */
export const CONTROL_TOWER_LOG_GROUP_PREFIX = "aws-controltower/CloudTrailLogs";
/** Audit resources are protected from deletion unless a stack opts out (dev sandboxes). */
export const DEFAULT_PROTECT = true;

const ACCOUNT_ID_MSG = "a 12-digit AWS account id as a quoted string (YAML reads unquoted digits as a number)";
const accountId = z.string({ error: ACCOUNT_ID_MSG }).regex(/^\d{12}$/, { error: ACCOUNT_ID_MSG });
const orgId = z
    .string({ error: "an organization id such as \"o-a1b2c3d4e5\"" })
    .regex(/^o-[a-z0-9]{10,32}$/, { error: "an organization id: \"o-\" followed by 10 to 32 lowercase letters or digits" });
const region = z.enum(KNOWN_REGIONS as [string, ...string[]], {
    error: "an AWS Region name such as \"eu-west-1\"",
});
const retentionDays = z.union(LOG_RETENTION_DAYS.map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], {
    error: `a CloudWatch Logs retention in days, one of ${LOG_RETENTION_DAYS.join(", ")}`,
});
const roleName = z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, { error: "an IAM role name (1-64 characters of letters, digits and +=,.@_-)" });
const roleArn = z
    .string()
    .regex(/^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, { error: "an IAM role ARN such as \"arn:aws:iam::111122223333:role/Deploy\"" });
const namePrefix = z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, {
        error: "3-20 characters: lowercase letters, digits and hyphens, starting with a letter (it is part of S3 bucket names)",
    });
// Tags as every AWS service allows them (the provider's default tags reach all of them): the `aws:`
// prefix, in any case, is reserved for AWS on keys and values.
// https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
const notAwsPrefixed = (v: string) => !v.toLowerCase().startsWith("aws:");
const tagKey = z
    .string()
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, { error: "a tag key: 1-128 letters, digits, spaces and _.:/=+-@" })
    .refine(notAwsPrefixed, { error: "a tag key not starting with \"aws:\" (reserved for AWS)" });
const tagValue = z
    .string()
    .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u, { error: "a tag value: up to 256 letters, digits, spaces and _.:/=+-@" })
    .refine(notAwsPrefixed, { error: "a tag value not starting with \"aws:\" (reserved for AWS)" });

export const organizationSchema = z.strictObject({
    /** Organization id (`o-...`). */
    id: orgId,
    /** The management (root) account: owns the organization trail and its log group. */
    managementAccountId: accountId,
    /** Holds the trail bucket, its access-log bucket and the trail KMS key. */
    logArchiveAccountId: accountId,
    /** Central CloudWatch Logs account: OAM sinks, centralized logs, dashboard. */
    monitoringAccountId: accountId,
});

export const regionsSchema = z.strictObject({
    /** Region of the organization trail, its log group, alarms and topic. */
    home: region,
    /** Regions whose telemetry is centralized (OAM sinks and links, centralization rule). Must include home. */
    governed: z.array(region).min(1, { error: "at least one Region" }),
});

export const accessSchema = z.strictObject({
    /** Role assumed in the log-archive, monitoring and member accounts. @default "OrganizationAccountAccessRole" */
    memberRoleName: roleName.default(DEFAULT_MEMBER_ROLE_NAME),
    /** External id passed when assuming roles. @default - none */
    externalId: z.string().min(2).max(1224).regex(/^[\w+=,.@:/-]+$/, { error: "2-1224 characters of letters, digits and +=,.@:/-_" }).optional(),
    /** Role assumed in the management account. @default - the caller's credentials are used directly */
    managementRoleArn: roleArn.optional(),
    /** Principals allowed to change or delete audit resources (bucket policy, guardrails). @default [] */
    deployRoleArns: z.array(roleArn).default([]),
});

const dataEventsSchema = z.strictObject({
    /** S3 object-level events of every bucket except the trail bucket itself. @default false */
    s3: z.boolean().default(false),
    /** Lambda Invoke events. @default false */
    lambda: z.boolean().default(false),
    /** DynamoDB item-level events. @default false */
    dynamodb: z.boolean().default(false),
});

const insightsSchema = z.strictObject({
    /** CloudTrail Insights on unusual API call rates. @default false */
    apiCallRate: z.boolean().default(false),
    /** CloudTrail Insights on unusual API error rates. @default false */
    apiErrorRate: z.boolean().default(false),
});

/**
 * A log group name or name prefix (the CloudWatch Logs name pattern). No quotes or wildcards, so that
 * names can be put in a selection expression as they are.
 */
const logGroupName = (error: string) => z.string().regex(LOG_GROUP_NAME, { error });

const adoptSchema = z
    .strictObject({
        /** Exact name of the existing trail log group. */
        logGroupName: logGroupName("a log group name: 1-512 characters of letters, digits and ._-/#").optional(),
        /** Prefix of the existing trail log group (Control Tower adds a random suffix). */
        logGroupNamePrefix: logGroupName("a log group name prefix: 1-512 characters of letters, digits and ._-/# (no wildcards: it is a prefix)").optional(),
    })
    .refine((a) => (a.logGroupName === undefined) !== (a.logGroupNamePrefix === undefined), {
        error: "exactly one of logGroupName or logGroupNamePrefix",
    });

export const trailSchema = z.strictObject({
    /**
     * `create`: orgwatch creates the organization trail, bucket and log group.
     * `adopt`: an existing trail (e.g. Control Tower's) is kept; orgwatch attaches to its log group.
     * @default "create"
     */
    mode: z.enum(["create", "adopt"], { error: "\"create\" or \"adopt\"" }).default("create"),
    /** Trail name (physical). @default "orgwatch-organization-trail" */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/, { error: "3-128 characters of letters, digits, periods, underscores and hyphens, starting with a letter or digit" }).default(DEFAULT_TRAIL_NAME),
    /** Key prefix inside the trail bucket. @default - none */
    s3KeyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, { error: "an S3 key prefix without leading or trailing slash" }).max(200).optional(),
    /** Data events (the trail bucket is always excluded to avoid a feedback loop). */
    dataEvents: dataEventsSchema.default({ s3: false, lambda: false, dynamodb: false }),
    /** CloudTrail Insights. */
    insights: insightsSchema.default({ apiCallRate: false, apiErrorRate: false }),
    /** Use a multi-Region KMS key for the trail. Control Tower requires single-Region keys. @default false */
    multiRegionKey: z.boolean().default(false),
    /** Adopt mode only: the existing log group. Control Tower's is `aws-controltower/CloudTrailLogs*`. */
    adopt: adoptSchema.optional(),
});

const objectLockSchema = z.strictObject({
    /** `COMPLIANCE` cannot be shortened by anyone, including root; `GOVERNANCE` can with a special permission. */
    mode: z.enum(["GOVERNANCE", "COMPLIANCE"], { error: "\"GOVERNANCE\" or \"COMPLIANCE\"" }),
    /** Default retention of each log object. */
    days: z.number({ error: "a whole number of days" }).int({ error: "a whole number of days" }).min(1).max(36500),
});

export const retentionSchema = z.strictObject({
    /** CloudWatch Logs retention of the trail log group. @default 365 */
    logGroupDays: retentionDays.default(DEFAULT_LOG_GROUP_RETENTION_DAYS as 365),
    /** Days trail log files are kept in S3 before they expire. @default 2557 (7 years) */
    archiveDays: z.number({ error: "a whole number of days" }).int({ error: "a whole number of days" }).min(90, { error: "at least 90 days" }).max(36500, { error: "at most 36500 days" }).default(DEFAULT_ARCHIVE_RETENTION_DAYS),
    /** Move log files to S3 Glacier Flexible Retrieval after this many days. @default - no transition */
    transitionToGlacierDays: z.number().int().min(1).max(36500).optional(),
    /** S3 Object Lock on the trail bucket (set at bucket creation; cannot be added to an existing bucket by orgwatch). @default - off */
    objectLock: objectLockSchema.optional(),
});

const subscriptionSchema = z.discriminatedUnion(
    "protocol",
    [
        z.strictObject({ protocol: z.literal("email"), endpoint: z.email({ error: "an email address" }) }),
        z.strictObject({ protocol: z.literal("https"), endpoint: z.url({ protocol: /^https$/, error: "an https:// URL" }) }),
        z.strictObject({ protocol: z.literal("sqs"), endpoint: z.string().regex(/^arn:aws(-cn|-us-gov)?:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}(\.fifo)?$/, { error: "an SQS queue ARN" }) }),
        z.strictObject({ protocol: z.literal("lambda"), endpoint: z.string().regex(/^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:\d{12}:function:[\w-]{1,64}(:[\w$-]+)?$/, { error: "a Lambda function ARN" }) }),
    ],
    { error: "a subscription with protocol \"email\", \"https\", \"sqs\" or \"lambda\"" },
);

const alarmRecipeOverrides = {
    threshold: z.number().min(1).optional(),
    period: z.union([z.literal(10), z.literal(30), z.number().int().min(60).multipleOf(60)], { error: "10, 30 or a multiple of 60 seconds" }).optional(),
    evaluationPeriods: z.number().int().min(1).max(100).optional(),
    datapointsToAlarm: z.number().int().min(1).max(100).optional(),
    statistic: z.enum(["Sum", "Maximum", "Average", "Minimum", "SampleCount"]).optional(),
    treatMissingData: z.enum(["notBreaching", "breaching", "ignore", "missing"]).optional(),
};

const controlSettingsSchema = z.strictObject({
    /** @default true */
    enabled: z.boolean().default(true),
    /** Pattern variant from the catalogue. @default - the Security Hub text */
    variant: z.string().min(1).optional(),
    ...alarmRecipeOverrides,
});

const customControlSchema = z.strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{2,62}$/, { error: "a kebab-case id (3-63 lowercase letters, digits, hyphens)" }),
    description: z.string().min(1).max(1024),
    pattern: z.string().min(1).max(1024),
    ...alarmRecipeOverrides,
});

export const alarmsSchema = z.strictObject({
    /** Per-control settings keyed by catalogue id. @default - every control on, Security Hub text */
    controls: z.record(z.string(), controlSettingsSchema).default({}),
    /** Team-defined controls with their own pattern. @default [] */
    custom: z.array(customControlSchema).default([]),
    /** Who is notified. At least one subscription is required for the CIS alarms to count as monitored. */
    subscriptions: z.array(subscriptionSchema).default([]),
    /** Also notify when an alarm returns to OK. @default false */
    okActions: z.boolean().default(false),
    /** Break-glass users: any console sign-in or API call by them alarms. @default [] */
    breakGlassUsers: z.array(z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: "an IAM user name" })).default([]),
    /** Add a `recipientAccountId` dimension so alarms can be attributed to accounts. @default false */
    perAccountAttribution: z.boolean().default(false),
});

export const centralLogsSchema = z.strictObject({
    /** Resource types member accounts share with the monitoring account through OAM. */
    oamResourceTypes: z
        .array(z.enum(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace", "AWS::ApplicationInsights::Application", "AWS::InternetMonitor::Monitor", "AWS::ApplicationSignals::Service", "AWS::ApplicationSignals::ServiceLevelObjective"]))
        .min(1)
        .default(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"]),
    /** Copy log groups of member accounts into the monitoring account with an organization centralization rule. @default true */
    centralization: z.boolean().default(true),
    /** Log group name prefixes (besides the trail log group) to centralize. @default [] */
    logGroupPrefixes: z.array(logGroupName("a log group name prefix: 1-512 characters of letters, digits and ._-/# (no wildcards: it is a prefix)")).default([]),
});

const ouPath = z.string().regex(/^Root(\/[^/]{1,128})*$/, { error: "an OU path from the root, such as \"Root/Workloads/Prod\"" });
/** An OU by id, for OUs orgwatch does not manage (`ou-<root>-<suffix>`). */
const ouId = z.string().regex(/^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/);
/** An OU by path (declared under `orgwatch:organizationalUnits`, or `Root`) or by id. */
const ouRef = z.union([ouPath, ouId], { error: "an OU path such as \"Root/Workloads\" or an OU id such as \"ou-ab12-cd34ef56\"" });

/**
 * A member account: `{ name, id }` adopts an existing account; `{ name, email, ou }` creates one.
 * One object shape (not a union) so that each mistake is reported on its own key.
 */
export const memberAccountSchema = z
    .strictObject({
        /** Display name (also the OAM link label); unique, case-insensitive. */
        name: z.string().min(1).max(50).regex(/^[\w .@+=,-]+$/, { error: "1-50 characters of letters, digits, spaces and .@+=,_-" }),
        /** Adopt an existing member account. */
        id: accountId.optional(),
        /** Create a new account with this root email. */
        email: z.email({ error: "an email address such as \"aws+team@example.com\"" }).max(64).optional(),
        /**
         * The account's OU, by path (declared under `orgwatch:organizationalUnits`) or by id (`ou-...`). A created
         * account is created there. For an adopted account it says where the account is (orgwatch does not move
         * adopted accounts) and is needed only when `memberBaselines.targets` does not include `Root`, to check
         * that a baseline target covers the account.
         * @default - created accounts: required; adopted accounts: unknown
         */
        ou: ouRef.optional(),
        /** Role AWS Organizations creates in a new account. @default access.memberRoleName */
        roleName: roleName.optional(),
    })
    .superRefine((a, ctx) => {
        if (a.id === undefined && a.email === undefined) {
            ctx.addIssue({ code: "custom", path: ["id"], message: "either id (adopt an existing account) or email and ou (create one)" });
        }
        if (a.id !== undefined) {
            for (const key of ["email", "roleName"] as const) {
                if (a[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: `no ${key} for an adopted account (id is set); ${key} only applies when orgwatch creates the account` });
            }
        } else if (a.email !== undefined && a.ou === undefined) {
            ctx.addIssue({ code: "custom", path: ["ou"], message: "the parent OU of the new account, such as \"Root/Workloads\"" });
        }
    });

export const guardrailsSchema = z.strictObject({
    /** Attach the monitoring guardrail SCP. @default true */
    enabled: z.boolean().default(true),
    /** Where the SCP is attached: "Root" or OU paths declared under organizationalUnits. @default ["Root"] */
    targets: z.array(ouPath).min(1, { error: "at least one target (\"Root\" or an OU path)" }).default(["Root"]),
});

/**
 * Operation preferences of the member baseline StackSet: how fast AWS rolls a template change or a new
 * Region out over the organization, and when it stops.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html#stackset-ops-options
 */
export const DEFAULT_BASELINE_OPERATION_PREFERENCES = {
    /** Every account at once: the stack holds one link, and a failure in one account does not block another. */
    maxConcurrentPercentage: 100,
    /** Stop a Region's rollout when more than a tenth of its accounts fail. */
    failureTolerancePercentage: 10,
    /** All governed Regions at once. */
    regionConcurrencyType: "PARALLEL",
    /** Keep the concurrency while failures stay within the tolerance (STRICT lowers it as failures come in). */
    concurrencyMode: "SOFT_FAILURE_TOLERANCE",
} as const;

const percentage = (min: number) =>
    z.number({ error: `a whole percentage from ${min} to 100` }).int({ error: `a whole percentage from ${min} to 100` }).min(min, { error: `a whole percentage from ${min} to 100` }).max(100, { error: `a whole percentage from ${min} to 100` });

export const baselineOperationPreferencesSchema = z.strictObject({
    /** Accounts per Region acted on at once, as a percentage of the target accounts. @default 100 */
    maxConcurrentPercentage: percentage(1).default(DEFAULT_BASELINE_OPERATION_PREFERENCES.maxConcurrentPercentage),
    /** Accounts per Region that may fail before the Region's operation stops, as a percentage. @default 10 */
    failureTolerancePercentage: percentage(0).default(DEFAULT_BASELINE_OPERATION_PREFERENCES.failureTolerancePercentage),
    /** `PARALLEL`: all governed Regions at once; `SEQUENTIAL`: one after another. @default "PARALLEL" */
    regionConcurrencyType: z.enum(["PARALLEL", "SEQUENTIAL"], { error: "\"PARALLEL\" or \"SEQUENTIAL\"" }).default(DEFAULT_BASELINE_OPERATION_PREFERENCES.regionConcurrencyType),
    /** @default "SOFT_FAILURE_TOLERANCE" */
    concurrencyMode: z.enum(["SOFT_FAILURE_TOLERANCE", "STRICT_FAILURE_TOLERANCE"], { error: "\"SOFT_FAILURE_TOLERANCE\" or \"STRICT_FAILURE_TOLERANCE\"" }).default(DEFAULT_BASELINE_OPERATION_PREFERENCES.concurrencyMode),
});

/**
 * The baseline every member account gets, deployed by AWS from one service-managed CloudFormation StackSet
 * (docs/scaling.md): an OAM link per governed Region to the monitoring account's sink. Accounts that join a
 * target OU later get it from AWS's automatic deployment, without `pulumi up`.
 */
export const memberBaselinesSchema = z.strictObject({
    /**
     * OUs the StackSet deploys to: `Root` (the whole organization), OU paths listed under
     * `orgwatch:organizationalUnits`, or OU ids (`ou-...`) of OUs orgwatch does not manage. Each target covers its
     * OU and every OU below it. Targets must not nest: overlapping paths are refused, but orgwatch cannot see
     * where an OU given by id sits, so an OU id must be neither inside nor above another target (removing
     * the inner target would delete the stacks of accounts the outer one still covers; docs/scaling.md).
     * @default ["Root"]
     */
    // CreateStackInstances and UpdateStackSet take at most 50 OUs.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackInstances.html
    targets: z
        .array(ouRef, { error: "a list of targets such as [Root] (\"Root\", OU paths or OU ids)" })
        .min(1, { error: "at least one target (\"Root\", an OU path or an OU id)" })
        .max(50, { error: "at most 50 targets (a StackSet operation takes at most 50 OUs; target a parent OU instead of its children)" })
        .default(["Root"]),
    /**
     * Member account that administers the StackSet as CloudFormation StackSets' delegated administrator
     * (`callAs: DELEGATED_ADMIN`); orgwatch registers it. It must be an account the config knows: the monitoring
     * account, the log-archive account, or an account declared under `orgwatch:accounts` by id.
     * @default - the management account administers it
     */
    delegatedAdministratorAccountId: accountId.optional(),
    /** How AWS rolls changes out. */
    operationPreferences: baselineOperationPreferencesSchema.default({ ...DEFAULT_BASELINE_OPERATION_PREFERENCES }),
});

/**
 * Organization telemetry rules: AWS itself turns telemetry on for resources in the governed OUs and Regions
 * (CloudWatch telemetry configuration), whoever created them. Log destinations keep `orgwatch:retention.logGroupDays`.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/telemetry-config-rules.html
 */
const telemetrySource = <T extends z.core.$ZodLooseShape>(enabled: boolean, extra: T) =>
    z.strictObject({
        /** Create the rule. */
        enabled: z.boolean({ error: "true or false" }).default(enabled),
        /** Limit the rule to matching resources, e.g. `ResourceTags.Environment = 'production'`. @default - every resource of the type */
        selectionCriteria: z.string().min(1).max(2000).optional(),
        ...extra,
    });

const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
/** Enhanced monitoring levels of MSK (the Observability Admin API's values; DEFAULT adds nothing to the free metrics). */
const MSK_MONITORING_LEVELS = ["PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * `enabled: false` turns telemetry off as a whole: VPC flow logs, on by default, follow it unless the file
 * turns them on explicitly (which is then a contradiction the cross-key checks report).
 */
function telemetryOffByDefault(raw: unknown): unknown {
    if (!isRecord(raw) || raw.enabled !== false) return raw;
    const flow = raw.vpcFlowLogs;
    if (flow !== undefined && !isRecord(flow)) return raw;
    return flow !== undefined && "enabled" in flow ? raw : { ...raw, vpcFlowLogs: { ...flow, enabled: false } };
}

export const telemetrySchema = z.preprocess(telemetryOffByDefault, z.strictObject({
    /** Start telemetry evaluation for the organization (needed by every rule). @default true */
    enabled: z.boolean({ error: "true or false" }).default(true),
    /** VPC flow logs to CloudWatch Logs (CIS 3.9). @default on, all traffic, 10-minute aggregation */
    vpcFlowLogs: telemetrySource(true, {
        trafficType: z.enum(["ALL", "ACCEPT", "REJECT"], { error: "\"ALL\", \"ACCEPT\" or \"REJECT\"" }).default("ALL"),
        maxAggregationInterval: z.union([z.literal(60), z.literal(600)], { error: "60 or 600 seconds" }).default(600),
    }).default({ enabled: true, trafficType: "ALL", maxAggregationInterval: 600 }),
    /** Route 53 Resolver query logs of every VPC. @default off */
    route53ResolverQueryLogs: telemetrySource(false, {}).default({ enabled: false }),
    /** EKS control plane logs. @default off; when on, all five log types */
    eksControlPlaneLogs: telemetrySource(false, {
        logTypes: z.array(z.enum(EKS_LOG_TYPES, { error: `one of ${EKS_LOG_TYPES.join(", ")}` })).min(1).default([...EKS_LOG_TYPES]),
    }).default({ enabled: false, logTypes: [...EKS_LOG_TYPES] }),
    /** AWS WAF web ACL logs. @default off */
    wafLogs: telemetrySource(false, {}).default({ enabled: false }),
    /** Elastic Load Balancing (v2) access logs. @default off, plain text */
    elbAccessLogs: telemetrySource(false, {
        outputFormat: z.enum(["plain", "json"], { error: "\"plain\" or \"json\"" }).default("plain"),
    }).default({ enabled: false, outputFormat: "plain" }),
    /** EC2 detailed (1-minute) monitoring metrics. @default off */
    ec2DetailedMetrics: telemetrySource(false, {}).default({ enabled: false }),
    /** Amazon MSK enhanced monitoring metrics. @default off; when on, `PER_BROKER` */
    mskEnhancedMonitoring: telemetrySource(false, {
        level: z.enum(MSK_MONITORING_LEVELS, { error: `one of ${MSK_MONITORING_LEVELS.join(", ")}` }).default("PER_BROKER"),
    }).default({ enabled: false, level: "PER_BROKER" }),
}));

export type TelemetryConfig = z.output<typeof telemetrySchema>;
export type MemberBaselinesConfig = z.output<typeof memberBaselinesSchema>;

/** Every key of the `orgwatch:` namespace. */
export const stackConfigSchema = z.strictObject({
    organization: organizationSchema,
    regions: regionsSchema,
    access: accessSchema.default({ memberRoleName: DEFAULT_MEMBER_ROLE_NAME, deployRoleArns: [] }),
    namePrefix: namePrefix.default(DEFAULT_NAME_PREFIX),
    tags: z.record(tagKey, tagValue).default({}),
    protect: z.boolean({ error: "true or false" }).default(DEFAULT_PROTECT),
    trail: trailSchema.default(trailSchema.parse({})),
    retention: retentionSchema.default(retentionSchema.parse({})),
    alarms: alarmsSchema.default(alarmsSchema.parse({})),
    centralLogs: centralLogsSchema.default(centralLogsSchema.parse({})),
    guardrails: guardrailsSchema.default({ enabled: true, targets: ["Root"] }),
    organizationalUnits: z.array(ouPath).default([]),
    accounts: z.array(memberAccountSchema).default([]),
    memberBaselines: memberBaselinesSchema.default(memberBaselinesSchema.parse({})),
    telemetry: telemetrySchema.default(telemetrySchema.parse({})),
});

export type StackConfigInput = z.input<typeof stackConfigSchema>;
export type StackConfig = z.output<typeof stackConfigSchema>;
export type MemberAccountConfig = z.output<typeof memberAccountSchema>;
export type AlarmsConfig = z.output<typeof alarmsSchema>;
export type TrailConfig = z.output<typeof trailSchema>;
export type GuardrailsConfig = z.output<typeof guardrailsSchema>;
export type RetentionConfig = z.output<typeof retentionSchema>;
