/**
 * Building blocks the application programs below share, written the way teams write them with plain
 * @pulumi/aws resources: a customer managed key for logs and alerts, the alert topic with an email
 * subscription, log groups with retention, and a private, versioned, TLS-only bucket for access logs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A variant changes one thing in a compliant program; `undefined` is the compliant program. */
export type Variant = string | undefined;

/** One violation a variant must produce: the policy and the logical name of the resource it names (null: the stack). */
export interface Expected {
    readonly policy: string;
    readonly resource: string | null;
}

export interface AppCase {
    readonly name: string;
    /** The program; `variant` selects the one change. */
    readonly program: (variant: Variant) => void;
    /** Each variant and exactly what it must report, reasoned from the AWS documentation cited in the policy. */
    readonly variants: Readonly<Record<string, readonly Expected[]>>;
}

export interface Platform {
    readonly key: aws.kms.Key;
    readonly topic: aws.sns.Topic;
}

/** The team's key (logs and SNS) and the alert topic CloudWatch alarms publish to. */
export function platform(prefix: string, opts: { readonly topicKey?: pulumi.Input<string> } = {}): Platform {
    const identity = aws.getCallerIdentityOutput();
    const region = aws.getRegionOutput();
    const key = new aws.kms.Key(`${prefix}-key`, {
        description: `${prefix} logs and alerts`,
        enableKeyRotation: true,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Account", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:aws:iam::${identity.accountId}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "Logs",
                    Effect: "Allow",
                    Principal: { Service: pulumi.interpolate`logs.${region.region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                },
                { Sid: "CloudWatchAlarms", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: ["kms:Decrypt", "kms:GenerateDataKey*"], Resource: "*" },
            ],
        }),
    });
    const topic = new aws.sns.Topic(`${prefix}-alerts`, { kmsMasterKeyId: opts.topicKey ?? key.arn });
    new aws.sns.TopicSubscription(`${prefix}-oncall`, { topic: topic.arn, protocol: "email", endpoint: "oncall@example.com" });
    return { key, topic };
}

/** A log group kept for a year and encrypted with the team's key. */
export function logGroup(name: string, logicalName: string, key: aws.kms.Key, overrides: Partial<aws.cloudwatch.LogGroupArgs> = {}): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(logicalName, { name, retentionInDays: 365, kmsKeyId: key.arn, ...overrides });
}

export interface LogBucketOptions {
    readonly skipPublicAccessBlock?: boolean;
    readonly skipTlsOnly?: boolean;
    readonly skipVersioning?: boolean;
    readonly forceDestroy?: boolean;
    /** Extra statements (a log delivery service's write access). */
    readonly statements?: (bucketArn: pulumi.Output<string>) => pulumi.Input<Record<string, unknown>>[];
}

/** A bucket that receives access logs: private, versioned, TLS-only. */
export function logBucket(name: string, opts: LogBucketOptions = {}): aws.s3.Bucket {
    const bucket = new aws.s3.Bucket(name, opts.forceDestroy ? { forceDestroy: true } : {});
    if (!opts.skipPublicAccessBlock) {
        new aws.s3.BucketPublicAccessBlock(name, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    if (!opts.skipVersioning) {
        new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
    }
    const statements: pulumi.Input<Record<string, unknown>>[] = [...(opts.statements?.(bucket.arn) ?? [])];
    if (!opts.skipTlsOnly) {
        statements.push({
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    }
    if (statements.length > 0) {
        new aws.s3.BucketPolicy(name, { bucket: bucket.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) });
    }
    return bucket;
}

export interface AlarmSpec {
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Record<string, pulumi.Input<string>>;
    readonly statistic?: string;
    readonly threshold?: number;
    readonly comparisonOperator?: string;
}

/** A CloudWatch alarm that pages the alert topic. */
export function alarm(name: string, topic: aws.sns.Topic, spec: AlarmSpec, overrides: Partial<aws.cloudwatch.MetricAlarmArgs> = {}): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(name, {
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: spec.dimensions,
        statistic: spec.statistic ?? "Sum",
        period: 60,
        evaluationPeriods: 3,
        threshold: spec.threshold ?? 1,
        comparisonOperator: spec.comparisonOperator ?? "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        ...overrides,
    });
}

/** A role a service assumes, with managed policies attached. */
export function serviceRole(name: string, service: string, policyArns: readonly string[]): aws.iam.Role {
    const role = new aws.iam.Role(name, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
        }),
    });
    for (const arn of policyArns) {
        new aws.iam.RolePolicyAttachment(`${name}-${arn.split("/").pop()}`, { role: role.name, policyArn: arn });
    }
    return role;
}

/** A flow log of every packet of the VPC to a CloudWatch Logs group, through the role flow logs assume. */
export function vpcFlowLog(name: string, vpc: aws.ec2.Vpc, key: aws.kms.Key): aws.ec2.FlowLog {
    const group = logGroup(`/vpc/${name}/flow-logs`, `${name}-flow-logs`, key);
    const role = serviceRole(`${name}-flow-logs`, "vpc-flow-logs.amazonaws.com", []);
    new aws.iam.RolePolicy(`${name}-flow-logs`, {
        role: role.id,
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: pulumi.interpolate`${group.arn}:*` }],
        }),
    });
    return new aws.ec2.FlowLog(name, { vpcId: vpc.id, trafficType: "ALL", logDestination: group.arn, iamRoleArn: role.arn });
}
