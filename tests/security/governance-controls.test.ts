import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { alertingPattern, MAX_FILTER_PATTERN_LENGTH, plumbingPattern } from "../../lib/alarms/governance";
import { compilePattern } from "../../lib/pattern";
import type { SynthResult } from "../../lib/synth/types";
import { FIXTURE_FILES, loadEvents } from "../lib/cis/fixtures";
import { ACCOUNTS, synthProd } from "./prod-world";

// The two governance controls' filter patterns, evaluated with lib/pattern (the engine the CIS patterns are proven
// with against the same fixtures). Real records first: the published fixtures (tests/fixtures/cloudtrail), each
// control built for that record's own account and bucket, with the outcome written here by hand from the
// record's fields. Then records constructed from AWS's documented record shapes where no real record exists
// (fixtures/governance-records.json, marked constructed), against prod's synthesized patterns.

interface Record_ {
    readonly eventSource?: string;
    readonly eventName?: string;
    readonly recipientAccountId?: string;
    readonly readOnly?: boolean;
    readonly managementEvent?: boolean;
    readonly requestParameters?: { readonly bucketName?: string; readonly logGroupName?: string } | null;
}

const realRecords = FIXTURE_FILES.flatMap((file) => loadEvents(file).map((e, i) => ({ where: `${file}#${i}`, record: e.record as Record_ })));

describe("security: the governance controls' patterns", function () {
    this.timeout(120_000);
    let prod: SynthResult;
    before(() => {
        prod = synthProd().result;
    });

    const patternOf = (name: string): string => {
        const filter = prod.resources.find((r) => r.type === "aws:cloudwatch/logMetricFilter:LogMetricFilter" && r.name === name);
        if (filter === undefined) throw new Error(`no filter ${name} in the prod synth`);
        return String(filter.inputs.pattern);
    };

    it("fit CloudWatch Logs' 1,024-character limit in prod", () => {
        for (const name of ["security-alarms-monitoring-plumbing-changes-filter", "security-alarms-trail-log-group-and-alarm-changes-filter"]) {
            const pattern = patternOf(name);
            console.log(`      ${name}: ${pattern.length} characters`);
            expect(pattern.length, name).to.be.at.most(MAX_FILTER_PATTERN_LENGTH);
        }
    });

    describe("on the published CloudTrail records", () => {
        // Expected by hand: event selectors are changed by PutEventSelectors (3 records); reading them or the other
        // trail calls (which the CIS trail control covers) is not a plumbing change.
        it("CloudTrail: every PutEventSelectors record matches, no other CloudTrail record does", () => {
            const cloudTrail = realRecords.filter((r) => r.record.eventSource === "cloudtrail.amazonaws.com");
            expect(cloudTrail.length).to.be.greaterThan(20);
            for (const { where, record } of cloudTrail) {
                const match = compilePattern(plumbingPattern({ governanceAccountIds: [record.recipientAccountId ?? ACCOUNTS.management] }))(record);
                expect(match, `${where} ${String(record.eventName)}`).to.equal(record.eventName === "PutEventSelectors");
            }
            expect(cloudTrail.filter((r) => r.record.eventName === "PutEventSelectors")).to.have.length(3);
        });

        // Expected by hand: with the record's account as a governance account, the KMS changes (DisableKey,
        // ScheduleKeyDeletion: readOnly false) match, the cryptographic reads (Decrypt, Encrypt, GenerateDataKey:
        // readOnly true) do not; the published PutKeyPolicy record is simplified (no account, no readOnly).
        it("KMS: key changes in a governance account match, encrypt/decrypt/data keys do not", () => {
            const kms = realRecords.filter((r) => r.record.eventSource === "kms.amazonaws.com");
            const expected: Record<string, boolean> = { DisableKey: true, ScheduleKeyDeletion: true, Decrypt: false, Encrypt: false, GenerateDataKey: false, PutKeyPolicy: false };
            for (const { where, record } of kms) {
                const pattern = plumbingPattern({ governanceAccountIds: [record.recipientAccountId ?? "000000000000"] });
                expect(compilePattern(pattern)(record), `${where} ${String(record.eventName)}`).to.equal(expected[String(record.eventName)]);
                const elsewhere = plumbingPattern({ governanceAccountIds: [ACCOUNTS.management] });
                expect(compilePattern(elsewhere)(record), `${where} in another account`).to.equal(false);
            }
            expect(kms.filter((r) => expected[String(r.record.eventName)] === true).length).to.equal(4);
        });

        // Expected by hand: bucket configuration writes (readOnly false, managementEvent true) match when the bucket
        // is an archive bucket; reads, object-level data events, and published records simplified without
        // readOnly/managementEvent (real records always carry both) do not.
        it("S3: configuration writes on an archive bucket match, reads and object data events do not", () => {
            const s3 = realRecords.filter((r) => r.record.eventSource === "s3.amazonaws.com" && typeof r.record.requestParameters?.bucketName === "string");
            const writes = new Set(["PutBucketEncryption", "DeleteBucketPublicAccessBlock", "PutBucketPublicAccessBlock", "PutBucketLogging", "PutBucketVersioning", "PutBucketLifecycle", "DeleteBucketReplication", "PutBucketReplication", "PutBucketPolicy", "DeleteBucketLifecycle", "DeleteBucketPolicy", "CreateBucket"]);
            let matched = 0;
            for (const { where, record } of s3) {
                const bucket = record.requestParameters?.bucketName ?? "";
                const pattern = plumbingPattern({ governanceAccountIds: [ACCOUNTS.management], archiveBucketNames: [bucket] });
                const complete = record.readOnly !== undefined && record.managementEvent !== undefined;
                const expected = complete && writes.has(String(record.eventName)) && record.managementEvent === true;
                const match = compilePattern(pattern)(record);
                expect(match, `${where} ${String(record.eventName)} ${bucket}`).to.equal(expected);
                if (match) matched++;
                expect(compilePattern(plumbingPattern({ governanceAccountIds: [ACCOUNTS.management], archiveBucketNames: ["another-bucket"] }))(record), `${where} on another bucket`).to.equal(false);
            }
            expect(matched).to.be.at.least(10);
        });

        // Expected by hand: CloudTrail creates a log stream in the trail log group as accounts join; that write is
        // not a change to the plumbing.
        it("CloudWatch Logs: the published CreateLogStream record does not fire the alerting control", () => {
            const logs = realRecords.filter((r) => r.record.eventSource === "logs.amazonaws.com");
            expect(logs.length).to.be.greaterThan(0);
            for (const { where, record } of logs) {
                const pattern = alertingPattern({ governanceAccountIds: [ACCOUNTS.management], trailLogGroupName: record.requestParameters?.logGroupName ?? "x" });
                expect(compilePattern(pattern)(record), where).to.equal(false);
            }
        });

        // Expected by hand: no prod account, bucket or log group appears in the fixtures, so of all 311 records only
        // the event selector changes (which the control watches in any account) fire prod's controls.
        it("in prod, of all published records, exactly the PutEventSelectors ones fire a governance control", () => {
            const plumbing = compilePattern(patternOf("security-alarms-monitoring-plumbing-changes-filter"));
            const alerting = compilePattern(patternOf("security-alarms-trail-log-group-and-alarm-changes-filter"));
            const fired = realRecords.filter(({ record }) => plumbing(record) || alerting(record));
            expect(fired.map((f) => f.record.eventName)).to.deep.equal(["PutEventSelectors", "PutEventSelectors", "PutEventSelectors"]);
            expect(realRecords).to.have.length(311);
        });
    });

    describe("on records constructed from AWS's documented shapes (fixtures/governance-records.json)", () => {
        const file = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "governance-records.json"), "utf8")) as {
            constructed: boolean;
            accounts: Record<string, string>;
            events: { control: "plumbing" | "alerting"; expect_match: boolean; note: string; record: unknown }[];
        };

        it("are marked constructed and name prod's accounts", () => {
            expect(file.constructed).to.equal(true);
            expect(file.accounts).to.deep.include({ management: ACCOUNTS.management, logArchive: ACCOUNTS.logArchive, monitoring: ACCOUNTS.monitoring });
        });

        for (const e of file.events) {
            it(`${e.control}: ${e.note}: ${e.expect_match ? "matches" : "does not match"}`, () => {
                const name = e.control === "plumbing" ? "security-alarms-monitoring-plumbing-changes-filter" : "security-alarms-trail-log-group-and-alarm-changes-filter";
                expect(compilePattern(patternOf(name))(e.record)).to.equal(e.expect_match);
            });
        }
    });
});
