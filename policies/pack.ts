import { Policies } from "@pulumi/policy";

import { alarmPolicies } from "./alarms";
import { cloudtrailPolicies } from "./cloudtrail";
import { cloudwatchLogsPolicies } from "./cloudwatch-logs";
import { monitoringPolicies } from "./monitoring";
import { s3AuditPolicies } from "./s3-audit";
import { serviceLogPolicies } from "./service-logs";
import { stackPolicies } from "./stack";
import { tracingPolicies } from "./tracing";

export { POLICY_PACK_NAME } from "./common";

/**
 * Every policy of the orgwatch-monitoring pack, grouped by resource family. The entry file builds
 * the PolicyPack from this list; the offline check evaluates the same list.
 */
export const ORGWATCH_POLICIES: Policies = [
    ...cloudtrailPolicies,
    ...cloudwatchLogsPolicies,
    ...alarmPolicies,
    ...monitoringPolicies,
    ...tracingPolicies,
    ...serviceLogPolicies,
    ...s3AuditPolicies,
    ...stackPolicies,
];
