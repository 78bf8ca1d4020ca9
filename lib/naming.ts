/**
 * Physical names of the audit resources, derived in one place: bucket and key policies need the
 * trail ARN before the trail exists, and the guardrail SCP names exactly these resources.
 * Bucket names carry account and Region so they are globally unique without random suffixes.
 */
export const names = {
    trailBucket: (prefix: string, accountId: string, region: string): string => `${prefix}-trail-${accountId}-${region}`,
    accessLogBucket: (prefix: string, accountId: string, region: string): string => `${prefix}-access-logs-${accountId}-${region}`,
    trailKeyAlias: (prefix: string): string => `alias/${prefix}-trail`,
    logsKeyAlias: (prefix: string): string => `alias/${prefix}-logs`,
    alarmsKeyAlias: (prefix: string): string => `alias/${prefix}-alarms`,
    centralLogsKeyAlias: (prefix: string): string => `alias/${prefix}-central-logs`,
    trailLogGroup: (prefix: string): string => `${prefix}/cloudtrail/organization`,
    trailLogsRole: (prefix: string): string => `${prefix}-cloudtrail-to-logs`,
    alarmTopic: (prefix: string): string => `${prefix}-security-alarms`,
    metricNamespace: (prefix: string): string => `${prefix}/CISBenchmark`,
    alarm: (prefix: string, controlId: string): string => `${prefix}-${controlId}`,
    metricFilter: (prefix: string, controlId: string): string => `${prefix}-${controlId}`,
    dashboard: (prefix: string): string => `${prefix}-security`,
    oamSink: (prefix: string): string => `${prefix}-organization-sink`,
    guardrailPolicy: (prefix: string): string => `${prefix}-monitoring-guardrails`,
    /** The member baseline StackSet; its stacks in member accounts are named `StackSet-<name>-<id>`. */
    baselineStackSet: (prefix: string): string => `${prefix}-member-baseline`,
    /** An organization telemetry rule, one per resource type (`vpc`, `eks`, ...). */
    telemetryRule: (prefix: string, suffix: string): string => `${prefix}-${suffix}`,
} as const;

/** A resource-name-safe form of an account name or OU path (`Payments Prod` → `payments-prod`). */
export function slug(text: string): string {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
