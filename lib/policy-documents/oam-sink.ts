import { POLICY_VERSION, type PolicyDocument } from "./types";
import { requireNonEmptyList, requireOrganizationId, unique } from "./validate";

/** Resource types a source account can share through a CloudWatch cross-account observability link. */
export const OAM_RESOURCE_TYPES = [
    "AWS::CloudWatch::Metric",
    "AWS::Logs::LogGroup",
    "AWS::XRay::Trace",
    "AWS::ApplicationInsights::Application",
    "AWS::InternetMonitor::Monitor",
    "AWS::ApplicationSignals::Service",
    "AWS::ApplicationSignals::ServiceLevelObjective",
] as const;

/** Arguments of {@link oamSinkPolicy}. */
export interface OamSinkPolicyArgs {
    readonly organizationId: string;
    /** What linked accounts may share (subset of {@link OAM_RESOURCE_TYPES}). */
    readonly resourceTypes: readonly string[];
}

/**
 * Sink policy of the monitoring account's OAM sink: every account of the organization may create or update
 * a link that shares only the listed resource types. Statement: `OrganizationAccountsLink`.
 * https://docs.aws.amazon.com/OAM/latest/APIReference/API_PutSinkPolicy.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account-Setup.html
 */
export function oamSinkPolicy(a: OamSinkPolicyArgs): PolicyDocument {
    requireOrganizationId("organizationId", a.organizationId);
    requireNonEmptyList("resourceTypes", a.resourceTypes);
    a.resourceTypes.forEach((t, i) => {
        if (!(OAM_RESOURCE_TYPES as readonly string[]).includes(t)) {
            throw new Error(`resourceTypes[${i}] must be one of ${OAM_RESOURCE_TYPES.join(", ")}; received ${JSON.stringify(t)}`);
        }
    });
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "OrganizationAccountsLink",
                Effect: "Allow",
                Principal: "*",
                Action: ["oam:CreateLink", "oam:UpdateLink"],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:PrincipalOrgID": a.organizationId },
                    // ForAllValues: every type the link asks for must be in the list.
                    "ForAllValues:StringEquals": { "oam:ResourceTypes": unique(a.resourceTypes) },
                },
            },
        ],
    };
}
