import { expect } from "chai";

import * as ct from "../../policies/cloudtrail";
import { runResourcePolicy, UNKNOWN } from "./helpers";

const TRAIL = "aws:cloudtrail/trail:Trail";

/** A trail that satisfies every trail policy (the CIS 3.x/4.x trail recommendations). */
function compliantTrail(): Record<string, unknown> {
    return {
        name: "organization",
        s3BucketName: "audit-trail-111111111111-us-east-1",
        enableLogging: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        isOrganizationTrail: true,
        kmsKeyId: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        cloudWatchLogsGroupArn: "arn:aws:logs:us-east-1:111111111111:log-group:org/cloudtrail:*",
        cloudWatchLogsRoleArn: "arn:aws:iam::111111111111:role/cloudtrail-to-logs",
    };
}

function run(policy: Parameters<typeof runResourcePolicy>[0], props: Record<string, unknown>, config?: Record<string, unknown>, name = "trail") {
    return runResourcePolicy(policy, { type: TRAIL, props, config, name });
}

describe("policies/cloudtrail", () => {
    it("a compliant trail passes every trail policy", () => {
        for (const p of ct.cloudtrailPolicies) {
            expect(run(p, compliantTrail()).messages, p.name).to.deep.equal([]);
        }
    });

    it("trail policies are not applicable to other types", () => {
        for (const p of ct.cloudtrailPolicies) {
            const r = runResourcePolicy(p, { type: "aws:s3/bucket:Bucket", props: {} });
            expect(r.notApplicable, p.name).to.be.a("string");
        }
    });

    describe("cloudtrail-logging-enabled", () => {
        it("fails on a stopped trail and names the value and the fix", () => {
            const r = run(ct.cloudtrailLoggingEnabled, { ...compliantTrail(), enableLogging: false });
            expect(r.messages).to.have.length(1);
            expect(r.messages[0]).to.contain("enableLogging is false").and.contain("set it to true");
        });
        it("passes when enableLogging is omitted (the provider starts logging by default)", () => {
            const { enableLogging: _omit, ...props } = compliantTrail();
            expect(run(ct.cloudtrailLoggingEnabled, props).messages).to.deep.equal([]);
        });
    });

    describe("cloudtrail-multi-region-enabled", () => {
        it("fails when isMultiRegionTrail is false", () => {
            expect(run(ct.cloudtrailMultiRegionEnabled, { ...compliantTrail(), isMultiRegionTrail: false }).messages[0]).to.contain("isMultiRegionTrail is false");
        });
        it("fails when isMultiRegionTrail is omitted (CloudTrail's default is a single-Region trail)", () => {
            const { isMultiRegionTrail: _omit, ...props } = compliantTrail();
            expect(run(ct.cloudtrailMultiRegionEnabled, props).messages[0]).to.contain("isMultiRegionTrail is unset");
        });
    });

    describe("cloudtrail-global-service-events-enabled", () => {
        it("fails when includeGlobalServiceEvents is false", () => {
            expect(run(ct.cloudtrailGlobalServiceEventsEnabled, { ...compliantTrail(), includeGlobalServiceEvents: false }).messages[0]).to.contain(
                "includeGlobalServiceEvents is false",
            );
        });
    });

    describe("cloudtrail-log-file-validation-enabled", () => {
        it("fails when enableLogFileValidation is omitted (off by default)", () => {
            const { enableLogFileValidation: _omit, ...props } = compliantTrail();
            expect(run(ct.cloudtrailLogFileValidationEnabled, props).messages[0]).to.contain("enableLogFileValidation is unset");
        });
        it("a value unknown at preview throws the engine's UnknownValueError (reported as advisory by the engine)", () => {
            expect(() => run(ct.cloudtrailLogFileValidationEnabled, { ...compliantTrail(), enableLogFileValidation: UNKNOWN })).to.throw(/can't be known during preview/);
        });
    });

    describe("cloudtrail-kms-encrypted", () => {
        it("fails without kmsKeyId", () => {
            const { kmsKeyId: _omit, ...props } = compliantTrail();
            expect(run(ct.cloudtrailKmsEncrypted, props).messages[0]).to.contain("kmsKeyId is unset");
        });
        it("treats a key id unknown at preview as set (it is the output of a key created in the same update)", () => {
            expect(run(ct.cloudtrailKmsEncrypted, { ...compliantTrail(), kmsKeyId: UNKNOWN }).messages).to.deep.equal([]);
        });
    });

    describe("cloudtrail-cloudwatch-logs-enabled", () => {
        it("fails without the log group and names both missing fields", () => {
            const { cloudWatchLogsGroupArn: _a, cloudWatchLogsRoleArn: _b, ...props } = compliantTrail();
            const m = run(ct.cloudtrailCloudwatchLogsEnabled, props).messages[0];
            expect(m).to.contain("cloudWatchLogsGroupArn and cloudWatchLogsRoleArn are unset");
        });
        it("fails with a log group but no role", () => {
            const { cloudWatchLogsRoleArn: _b, ...props } = compliantTrail();
            expect(run(ct.cloudtrailCloudwatchLogsEnabled, props).messages[0]).to.contain("cloudWatchLogsRoleArn is unset");
        });
    });

    describe("cloudtrail-management-events-read-write", () => {
        it("passes with an explicit selector for all management events", () => {
            const props = { ...compliantTrail(), eventSelectors: [{ includeManagementEvents: true, readWriteType: "All" }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, props).messages).to.deep.equal([]);
        });
        it("fails with write-only management events", () => {
            const props = { ...compliantTrail(), eventSelectors: [{ includeManagementEvents: true, readWriteType: "WriteOnly" }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, props).messages[0]).to.contain('"readWriteType":"WriteOnly"');
        });
        it("fails when a management event source is excluded (AWS Config multi-region-cloudtrail-enabled)", () => {
            const props = { ...compliantTrail(), eventSelectors: [{ readWriteType: "All", excludeManagementEventSources: ["kms.amazonaws.com"] }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, props).messages[0]).to.contain("kms.amazonaws.com");
        });
        it("fails when only data events are selected", () => {
            const props = { ...compliantTrail(), eventSelectors: [{ includeManagementEvents: false, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, props).messages).to.have.length(1);
        });
        it("passes with an advanced selector on eventCategory Management only, fails when it narrows to read-only", () => {
            const mgmt = { name: "mgmt", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, { ...compliantTrail(), advancedEventSelectors: [mgmt] }).messages).to.deep.equal([]);
            const readOnly = { name: "mgmt", fieldSelectors: [...mgmt.fieldSelectors, { field: "readOnly", equals: ["true"] }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, { ...compliantTrail(), advancedEventSelectors: [readOnly] }).messages[0]).to.contain("readOnly");
        });
        it("fails when advanced selectors select data events only", () => {
            const data = { name: "s3", fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] };
            expect(run(ct.cloudtrailManagementEventsReadWrite, { ...compliantTrail(), advancedEventSelectors: [data] }).messages[0]).to.contain("eventCategory = Management");
        });
    });

    describe("cloudtrail-organization-trail-intact", () => {
        it("is not applicable to a trail that is neither an organization trail nor declared one", () => {
            const r = run(ct.cloudtrailOrganizationTrailIntact, { ...compliantTrail(), isOrganizationTrail: false });
            expect(r.notApplicable).to.equal("not an organization trail");
        });
        it("fails when a declared organization trail is downgraded to an account trail", () => {
            const r = run(ct.cloudtrailOrganizationTrailIntact, { ...compliantTrail(), isOrganizationTrail: false }, { organizationTrails: ["trail"] });
            expect(r.messages[0]).to.contain("isOrganizationTrail is false");
        });
        it("fails when the organization trail is stopped", () => {
            const r = run(ct.cloudtrailOrganizationTrailIntact, { ...compliantTrail(), enableLogging: false });
            expect(r.messages[0]).to.contain("enableLogging is false (the trail is stopped)");
        });
        it("matches the declared name against the trail's name property too", () => {
            const r = run(ct.cloudtrailOrganizationTrailIntact, { ...compliantTrail(), isOrganizationTrail: false }, { organizationTrails: ["organization"] }, "other-logical");
            expect(r.messages).to.have.length(1);
        });
    });
});
