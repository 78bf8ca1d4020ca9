import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

import { isSet, read, show } from "./common";

/*
 * Trail policies. Values unknown at preview: a boolean switch that is unknown gets the engine's
 * default (an advisory "can't run during preview"), because it may well turn out false; an ARN or
 * key id that is unknown counts as set, since it is the output of a resource created in the same
 * update (`isSet`).
 */

/** Provider defaults for trail switches (Terraform AWS provider, inherited by @pulumi/aws). */
const DEFAULT_ENABLE_LOGGING = true;
const DEFAULT_INCLUDE_GLOBAL_SERVICE_EVENTS = true;

export const cloudtrailLoggingEnabled: ResourceValidationPolicy = {
    name: "cloudtrail-logging-enabled",
    description: "CloudTrail trails must be logging (enableLogging not false).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        const value = trail.enableLogging ?? DEFAULT_ENABLE_LOGGING;
        if (value !== true) {
            reportViolation(
                `A trail must be logging; enableLogging is ${show(trail.enableLogging)}. ` +
                    "Remove enableLogging or set it to true (a stopped trail records nothing).",
            );
        }
    }),
};

export const cloudtrailMultiRegionEnabled: ResourceValidationPolicy = {
    name: "cloudtrail-multi-region-enabled",
    description: "CloudTrail trails must record events in every Region (isMultiRegionTrail true).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        if (trail.isMultiRegionTrail !== true) {
            reportViolation(
                `A trail must be multi-Region; isMultiRegionTrail is ${show(trail.isMultiRegionTrail)}. ` +
                    "Set isMultiRegionTrail: true.",
            );
        }
    }),
};

export const cloudtrailGlobalServiceEventsEnabled: ResourceValidationPolicy = {
    name: "cloudtrail-global-service-events-enabled",
    description: "CloudTrail trails must include events of global services such as IAM (includeGlobalServiceEvents not false).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        const value = trail.includeGlobalServiceEvents ?? DEFAULT_INCLUDE_GLOBAL_SERVICE_EVENTS;
        if (value !== true) {
            reportViolation(
                "A trail must include global service events (IAM, STS, CloudFront); " +
                    `includeGlobalServiceEvents is ${show(trail.includeGlobalServiceEvents)}. Remove it or set it to true.`,
            );
        }
    }),
};

export const cloudtrailLogFileValidationEnabled: ResourceValidationPolicy = {
    name: "cloudtrail-log-file-validation-enabled",
    description: "CloudTrail trails must write digest files so that log tampering can be detected (enableLogFileValidation true).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        if (trail.enableLogFileValidation !== true) {
            reportViolation(
                `A trail must validate its log files; enableLogFileValidation is ${show(trail.enableLogFileValidation)}. ` +
                    "Set enableLogFileValidation: true.",
            );
        }
    }),
};

export const cloudtrailKmsEncrypted: ResourceValidationPolicy = {
    name: "cloudtrail-kms-encrypted",
    description: "CloudTrail trails must encrypt their log files with a KMS key (kmsKeyId set).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        if (!isSet(() => trail.kmsKeyId)) {
            reportViolation(
                `A trail must encrypt its logs with a KMS key; kmsKeyId is ${show(trail.kmsKeyId)}. ` +
                    "Set kmsKeyId to the ARN of a customer managed key whose policy admits cloudtrail.amazonaws.com.",
            );
        }
    }),
};

export const cloudtrailCloudwatchLogsEnabled: ResourceValidationPolicy = {
    name: "cloudtrail-cloudwatch-logs-enabled",
    description: "CloudTrail trails must deliver to a CloudWatch Logs log group (cloudWatchLogsGroupArn and cloudWatchLogsRoleArn set).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        const missing: string[] = [];
        if (!isSet(() => trail.cloudWatchLogsGroupArn)) {
            missing.push("cloudWatchLogsGroupArn");
        }
        if (!isSet(() => trail.cloudWatchLogsRoleArn)) {
            missing.push("cloudWatchLogsRoleArn");
        }
        if (missing.length > 0) {
            reportViolation(
                `A trail must deliver to CloudWatch Logs so that metric filters and alarms see its events; ${missing.join(" and ")} ` +
                    `${missing.length > 1 ? "are" : "is"} unset. Set cloudWatchLogsGroupArn to "<log group arn>:*" and ` +
                    "cloudWatchLogsRoleArn to a role CloudTrail can assume.",
            );
        }
    }),
};

/** One reason why a trail does not record read and write management events, or undefined. */
function managementEventsGap(trail: Record<string, unknown>): string | undefined {
    const basic = read(() => trail["eventSelectors"]);
    const advanced = read(() => trail["advancedEventSelectors"]);
    if (!basic.known || !advanced.known) {
        // Selectors computed from other outputs: cannot decide before they are known.
        return undefined;
    }
    const basicList = Array.isArray(basic.value) ? (basic.value as Record<string, unknown>[]) : [];
    const advancedList = Array.isArray(advanced.value) ? (advanced.value as Record<string, unknown>[]) : [];
    if (basicList.length === 0 && advancedList.length === 0) {
        // Without selectors a trail records all management events, read and write.
        return undefined;
    }
    if (advancedList.length > 0) {
        const management = advancedList.find((s) => {
            const fields = Array.isArray(s["fieldSelectors"]) ? (s["fieldSelectors"] as Record<string, unknown>[]) : [];
            return fields.some((f) => f["field"] === "eventCategory" && Array.isArray(f["equals"]) && f["equals"].includes("Management"));
        });
        if (!management) {
            return "no advanced event selector has eventCategory = Management";
        }
        const fields = management["fieldSelectors"] as Record<string, unknown>[];
        const narrowing = fields.filter((f) => f["field"] !== "eventCategory").map((f) => String(f["field"]));
        if (narrowing.length > 0) {
            return `the management event selector also filters on ${narrowing.join(", ")}`;
        }
        return undefined;
    }
    const full = basicList.find(
        (s) =>
            (s["includeManagementEvents"] ?? true) === true &&
            (s["readWriteType"] ?? "All") === "All" &&
            (!Array.isArray(s["excludeManagementEventSources"]) || s["excludeManagementEventSources"].length === 0),
    );
    if (!full) {
        const summary = basicList.map((s) => ({
            includeManagementEvents: s["includeManagementEvents"] ?? true,
            readWriteType: s["readWriteType"] ?? "All",
            excludeManagementEventSources: s["excludeManagementEventSources"] ?? [],
        }));
        return `eventSelectors are ${show(summary)}`;
    }
    return undefined;
}

export const cloudtrailManagementEventsReadWrite: ResourceValidationPolicy = {
    name: "cloudtrail-management-events-read-write",
    description: "CloudTrail trails must record all read and write management events, excluding no event source.",
    enforcementLevel: "mandatory",
    // AWS Config rule multi-region-cloudtrail-enabled: NON_COMPLIANT when ExcludeManagementEventSources is not
    // empty or management events are excluded.
    // https://docs.aws.amazon.com/config/latest/developerguide/multi-region-cloud-trail-enabled.html
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, _args, reportViolation) => {
        const gap = managementEventsGap(trail as unknown as Record<string, unknown>);
        if (gap !== undefined) {
            reportViolation(
                `A trail must record read and write management events from every source; ${gap}. ` +
                    'Add an event selector with includeManagementEvents: true, readWriteType: "All" and no excludeManagementEventSources ' +
                    "(or remove the selectors: the default records all management events).",
            );
        }
    }),
};

interface OrganizationTrailConfig {
    /** Trail names (the `name` property or the logical name) that must be organization trails. */
    readonly organizationTrails: string[];
}

export const cloudtrailOrganizationTrailIntact: ResourceValidationPolicy = {
    name: "cloudtrail-organization-trail-intact",
    description:
        "The organization trail must stay an organization trail that is logging, multi-Region and records global service events.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            organizationTrails: {
                type: "array",
                items: { type: "string", minLength: 1 },
                uniqueItems: true,
                maxItems: 50,
                default: [],
                description: "Trail names or logical names that must remain organization trails.",
            },
        },
    },
    validateResource: validateResourceOfType(aws.cloudtrail.Trail, (trail, args, reportViolation) => {
        const { organizationTrails } = args.getConfig<OrganizationTrailConfig>();
        const nameProp = read(() => trail.name);
        const names = [args.name, ...(nameProp.known && typeof nameProp.value === "string" ? [nameProp.value] : [])];
        const declared = organizationTrails.some((n) => names.includes(n));
        if (!declared && trail.isOrganizationTrail !== true) {
            args.notApplicable("not an organization trail");
        }
        const downgrades: string[] = [];
        if (trail.isOrganizationTrail !== true) {
            downgrades.push(`isOrganizationTrail is ${show(trail.isOrganizationTrail)}`);
        }
        if ((trail.enableLogging ?? DEFAULT_ENABLE_LOGGING) !== true) {
            downgrades.push(`enableLogging is ${show(trail.enableLogging)} (the trail is stopped)`);
        }
        if (trail.isMultiRegionTrail !== true) {
            downgrades.push(`isMultiRegionTrail is ${show(trail.isMultiRegionTrail)}`);
        }
        if ((trail.includeGlobalServiceEvents ?? DEFAULT_INCLUDE_GLOBAL_SERVICE_EVENTS) !== true) {
            downgrades.push(`includeGlobalServiceEvents is ${show(trail.includeGlobalServiceEvents)}`);
        }
        if (downgrades.length > 0) {
            reportViolation(
                `The organization trail must not be stopped or downgraded; ${downgrades.join("; ")}. ` +
                    "Keep isOrganizationTrail, enableLogging, isMultiRegionTrail and includeGlobalServiceEvents true.",
            );
        }
    }),
};

export const cloudtrailPolicies: ResourceValidationPolicy[] = [
    cloudtrailLoggingEnabled,
    cloudtrailMultiRegionEnabled,
    cloudtrailGlobalServiceEventsEnabled,
    cloudtrailLogFileValidationEnabled,
    cloudtrailKmsEncrypted,
    cloudtrailCloudwatchLogsEnabled,
    cloudtrailManagementEventsReadWrite,
    cloudtrailOrganizationTrailIntact,
];
