import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_LOG_GROUP_RETENTION_DAYS } from "../lib/config/schema";
import { names } from "../lib/naming";
import { cloudTrailLogsAssumeRolePolicy, cloudTrailLogsRolePolicy, logGroupKeyPolicy, policyJson, trailArn } from "../lib/policy-documents";
import { KEY_DELETION_WINDOW_DAYS } from "./log-archive";


export interface DataEventsArgs {
    /** S3 object-level events of every bucket except the trail bucket. @default false */
    readonly s3?: boolean;
    /** Lambda Invoke events. @default false */
    readonly lambda?: boolean;
    /** DynamoDB item-level events. @default false */
    readonly dynamodb?: boolean;
}

export interface OrganizationTrailArgs {
    readonly partition: string;
    readonly organizationId: string;
    /** The account this component deploys into; the trail's owner. */
    readonly managementAccountId: string;
    /** Home Region of the trail and its log group. */
    readonly region: string;
    /** Physical trail name; must match the name the log archive's policies expect. */
    readonly trailName: string;
    readonly namePrefix: string;
    /** Trail bucket (in the log-archive account). */
    readonly bucketName: pulumi.Input<string>;
    /** Key prefix inside the bucket. @default - none */
    readonly s3KeyPrefix?: string;
    /** ARN of the trail KMS key (in the log-archive account). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Resources AWS checks when the trail is created (bucket policy, key): the trail depends on them,
     * because CreateTrail validates the bucket policy and fails with InsufficientS3BucketPolicyException otherwise.
     */
    readonly creationPrerequisites: readonly pulumi.Resource[];
    /** CloudWatch Logs retention of the trail log group. @default 365 */
    readonly logGroupRetentionDays?: number;
    /** Data events. @default - none */
    readonly dataEvents?: DataEventsArgs;
    /** CloudTrail Insights types. @default - none */
    readonly insights?: { readonly apiCallRate?: boolean; readonly apiErrorRate?: boolean };
    /** Principals allowed to administer the log-group key besides the account root. @default [] */
    readonly keyAdminArns?: readonly string[];
    /** Protect audit resources from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * The organization trail in the management account: multi-Region, global service events, log file
 * validation, KMS, logging on, management events read and write, optional data events and Insights,
 * delivered to a KMS-encrypted CloudWatch Logs group through a role scoped to the trail's streams.
 */
export class OrganizationTrail extends pulumi.ComponentResource {
    public readonly trailArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;
    /** Key that encrypts the trail log group; reused for other governance log groups of the account. */
    public readonly logsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: OrganizationTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:trail:OrganizationTrail", name, {}, opts);
        const protect = args.protect ?? true;
        const audit: pulumi.CustomResourceOptions = { parent: this, protect };
        const logGroupName = names.trailLogGroup(args.namePrefix);

        const logsKey = new aws.kms.Key(
            `${name}-logs-key`,
            {
                description: `orgwatch: encrypts the CloudWatch Logs group ${logGroupName}`,
                enableKeyRotation: true,
                deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                policy: policyJson(
                    logGroupKeyPolicy({
                        partition: args.partition,
                        region: args.region,
                        accountId: args.managementAccountId,
                        organizationId: args.organizationId,
                        logGroupNames: [logGroupName],
                        adminPrincipalArns: args.keyAdminArns ?? [],
                    }),
                ),
            },
            audit,
        );
        new aws.kms.Alias(`${name}-logs-key-alias`, { name: names.logsKeyAlias(args.namePrefix), targetKeyId: logsKey.keyId }, audit);

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            { name: logGroupName, retentionInDays: args.logGroupRetentionDays ?? DEFAULT_LOG_GROUP_RETENTION_DAYS, kmsKeyId: logsKey.arn },
            audit,
        );

        const role = new aws.iam.Role(
            `${name}-logs-role`,
            {
                name: names.trailLogsRole(args.namePrefix),
                description: "orgwatch: lets CloudTrail deliver organization trail events to CloudWatch Logs",
                assumeRolePolicy: policyJson(
                    cloudTrailLogsAssumeRolePolicy({
                        partition: args.partition,
                        managementAccountId: args.managementAccountId,
                        trailArn: trailArn({ partition: args.partition, region: args.region, managementAccountId: args.managementAccountId, trailName: args.trailName }),
                    }),
                ),
            },
            audit,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-logs-role-policy`,
            {
                role: role.name,
                policy: policyJson(
                    cloudTrailLogsRolePolicy({
                        partition: args.partition,
                        region: args.region,
                        managementAccountId: args.managementAccountId,
                        organizationId: args.organizationId,
                        logGroupName,
                    }),
                ),
            },
            audit,
        );

        const trail = new aws.cloudtrail.Trail(
            `${name}-trail`,
            {
                name: args.trailName,
                s3BucketName: args.bucketName,
                s3KeyPrefix: args.s3KeyPrefix,
                kmsKeyId: args.kmsKeyArn,
                isOrganizationTrail: true,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                // CloudTrail wants the log group ARN with the `:*` suffix; the provider's `arn` has none.
                cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
                cloudWatchLogsRoleArn: role.arn,
                advancedEventSelectors: eventSelectors(args.partition, args.bucketName, args.dataEvents ?? {}),
                insightSelectors: insightSelectors(args.insights ?? {}),
            },
            { ...audit, dependsOn: [...args.creationPrerequisites, rolePolicy, logGroup] },
        );

        this.trailArn = trail.arn;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.logsKeyArn = logsKey.arn;
        this.registerOutputs({ trailArn: this.trailArn, logGroupName: this.logGroupName, logGroupArn: this.logGroupArn });
    }
}

/**
 * Advanced event selectors: all management events (no `readOnly` selector, so reads and writes),
 * plus the configured data events. S3 data events exclude the trail bucket, whose own object writes
 * would otherwise be logged into itself in a loop.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
 */
export function eventSelectors(
    partition: string,
    trailBucketName: pulumi.Input<string>,
    dataEvents: DataEventsArgs,
): pulumi.Input<aws.types.input.cloudtrail.TrailAdvancedEventSelector>[] {
    const selectors: pulumi.Input<aws.types.input.cloudtrail.TrailAdvancedEventSelector>[] = [
        { name: "Management events (read and write)", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    ];
    if (dataEvents.s3) {
        selectors.push({
            name: "S3 data events except the trail bucket",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::S3::Object"] },
                { field: "resources.ARN", notStartsWiths: [pulumi.interpolate`arn:${partition}:s3:::${trailBucketName}/`] },
            ],
        });
    }
    if (dataEvents.lambda) {
        selectors.push({
            name: "Lambda data events",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::Lambda::Function"] },
            ],
        });
    }
    if (dataEvents.dynamodb) {
        selectors.push({
            name: "DynamoDB data events",
            fieldSelectors: [
                { field: "eventCategory", equals: ["Data"] },
                { field: "resources.type", equals: ["AWS::DynamoDB::Table"] },
            ],
        });
    }
    return selectors;
}

/** Insight selectors for the enabled Insights types (undefined when none). */
export function insightSelectors(insights: { readonly apiCallRate?: boolean; readonly apiErrorRate?: boolean }): aws.types.input.cloudtrail.TrailInsightSelector[] | undefined {
    const out: aws.types.input.cloudtrail.TrailInsightSelector[] = [];
    if (insights.apiCallRate) out.push({ insightType: "ApiCallRateInsight" });
    if (insights.apiErrorRate) out.push({ insightType: "ApiErrorRateInsight" });
    return out.length > 0 ? out : undefined;
}
