import { createHash } from "crypto";

import { Policies } from "@pulumi/policy";

import { ORGWATCH_POLICIES } from "../../policies/pack";
import { CheckReport, CheckViolation } from "./evaluate";

export type CheckFormat = "table" | "json" | "sarif";
export const CHECK_FORMATS: readonly CheckFormat[] = ["table", "json", "sarif"];

/**
 * The JSON report: `{ stack, policyPack, violations: [{ policy, enforcementLevel, urn, type,
 * message }], summary: { mandatory, advisory }, complete, notInspected: [{ urn, type, reason,
 * policies }], notes: [<text>] }`. `complete` is false when some resource could not be inspected offline (a remote
 * component's children); `notInspected` says which and why; `notes` are what the check assumed
 * (no stack file, the Region of the default provider).
 */
export function renderJson(report: CheckReport, notes: readonly string[] = []): string {
    const out = {
        stack: report.stack,
        policyPack: report.policyPack,
        violations: report.violations.map((v) => ({
            policy: v.policy,
            enforcementLevel: v.enforcementLevel,
            urn: v.urn,
            type: v.type,
            message: v.message,
        })),
        summary: { mandatory: report.summary.mandatory, advisory: report.summary.advisory },
        complete: report.complete,
        notInspected: report.notInspected.map((n) => ({ urn: n.urn, type: n.type, reason: n.reason, policies: [...n.policies] })),
        notes: [...notes],
    };
    return `${JSON.stringify(out, null, 2)}\n`;
}

/** Violations grouped by resource (stack-level ones first), then resources not inspected, then the summary. */
export function renderTable(report: CheckReport): string {
    const lines: string[] = [`Policy pack ${report.policyPack}@${report.policyPackVersion} on stack ${report.stack}`, ""];
    const groups = new Map<string, CheckViolation[]>();
    for (const v of report.violations) {
        const key = v.urn ?? "";
        groups.set(key, [...(groups.get(key) ?? []), v]);
    }
    const keys = [...groups.keys()].sort((a, b) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b)));
    for (const key of keys) {
        const vs = groups.get(key) as CheckViolation[];
        lines.push(key === "" ? "stack" : `${vs[0].type ?? "?"}  ${key}`);
        for (const v of vs) {
            lines.push(`  [${v.enforcementLevel}] ${v.policy}`);
            lines.push(`      ${v.message}`);
        }
        lines.push("");
    }
    if (report.violations.length === 0) {
        lines.push("No violations.", "");
    }
    if (report.notInspected.length > 0) {
        lines.push(`Check incomplete: ${report.notInspected.length} ${report.notInspected.length === 1 ? "component was" : "components were"} not fully inspected offline:`);
        for (const n of report.notInspected) {
            lines.push(`  ${n.type}  ${n.urn}`);
            lines.push(`      ${n.reason}`);
        }
        lines.push("");
    }
    lines.push(`Summary: ${report.summary.mandatory} mandatory, ${report.summary.advisory} advisory${report.complete ? "" : `; incomplete (${report.notInspected.length} not inspected)`}`);
    return `${lines.join("\n")}\n`;
}

export interface SarifOptions {
    /**
     * Path of the stack file (relative to the repository root) used as each result's physical
     * location. GitHub code scanning rejects results without `physicalLocation.artifactLocation.uri`.
     * @default "Pulumi.yaml"
     */
    readonly artifactUri?: string;
    /** Policies described as rules. @default ORGWATCH_POLICIES */
    readonly policies?: Policies;
    /** Tool version. @default - the report's policy pack version */
    readonly toolVersion?: string;
    /** What the check assumed (no stack file, the Region): `note` notifications, and `notes` in JSON. @default [] */
    readonly notes?: readonly string[];
}

/**
 * The notifications the SARIF run may carry (`tool.driver.notifications`); each notification's
 * `descriptor` refers to one of them by id and index (SARIF 2.1.0 §3.52.3, §3.58.4).
 */
const NOTIFICATIONS = [
    { id: "check-incomplete", text: "Part of the stack was not inspected offline" },
    { id: "not-inspected", text: "A component whose children are not visible offline" },
    { id: "assumption", text: "What the check assumed: no stack file, the Region of the default provider" },
    { id: "usage-or-config", text: "Usage or config error: the check gave no verdict (exit 2)" },
    { id: "program-failed", text: "The program failed to run: the check gave no verdict (exit 3)" },
    { id: "internal", text: "Internal error of the check: it gave no verdict (exit 70)" },
] as const;
type NotificationId = (typeof NOTIFICATIONS)[number]["id"];

function descriptor(id: NotificationId): { id: NotificationId; index: number } {
    return { id, index: NOTIFICATIONS.findIndex((n) => n.id === id) };
}

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

function sarifLevel(level: string | undefined): "error" | "warning" | "none" {
    return level === "advisory" ? "warning" : level === "disabled" ? "none" : "error";
}

/** SARIF 2.1.0 for GitHub code scanning: one rule per policy, one result per violation. */
export function renderSarif(report: CheckReport, opts: SarifOptions = {}): string {
    const policies = opts.policies ?? ORGWATCH_POLICIES;
    const uri = opts.artifactUri ?? "Pulumi.yaml";
    const physicalLocation = { artifactLocation: { uri }, region: { startLine: 1 } };
    const ruleIndex = new Map(policies.map((p, i) => [p.name, i]));
    const logical = (v: { urn: string | null; type?: string | null }) =>
        v.urn === null
            ? { name: report.stack, fullyQualifiedName: `stack:${report.stack}`, kind: "module" }
            : { name: v.urn.split("::").pop() ?? v.urn, fullyQualifiedName: v.urn, kind: "resource" };
    const log = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: {
                    driver: {
                        name: report.policyPack,
                        version: opts.toolVersion ?? report.policyPackVersion,
                        informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                        notifications: NOTIFICATIONS.map((n) => ({ id: n.id, shortDescription: { text: n.text } })),
                        rules: policies.map((p) => ({
                            id: p.name,
                            name: p.name,
                            shortDescription: { text: p.description },
                            fullDescription: { text: p.description },
                            defaultConfiguration: { level: sarifLevel(p.enforcementLevel ?? "advisory") },
                            properties: { enforcementLevel: p.enforcementLevel ?? "advisory" },
                        })),
                    },
                },
                invocations: [
                    {
                        executionSuccessful: true,
                        toolExecutionNotifications: [
                            ...(report.complete
                                ? []
                                : [{ level: "warning", message: { text: `Check incomplete: ${report.notInspected.length} resource(s) not inspected offline; run \`pulumi preview --policy-pack policies\` for a complete check` }, descriptor: descriptor("check-incomplete") }]),
                            ...report.notInspected.map((n) => ({
                                level: "note",
                                message: { text: `Not inspected: ${n.urn} (${n.type}): ${n.reason}` },
                                locations: [{ physicalLocation, logicalLocations: [logical({ urn: n.urn })] }],
                                descriptor: descriptor("not-inspected"),
                            })),
                            ...(opts.notes ?? []).map((text) => ({ level: "note", message: { text }, descriptor: descriptor("assumption") })),
                        ],
                    },
                ],
                properties: { complete: report.complete, notInspected: report.notInspected.map((n) => ({ urn: n.urn, type: n.type, reason: n.reason, policies: [...n.policies] })) },
                results: report.violations.map((v) => {
                    const index = ruleIndex.get(v.policy);
                    return {
                        ruleId: v.policy,
                        ...(index === undefined ? {} : { ruleIndex: index }),
                        level: v.enforcementLevel === "mandatory" ? "error" : "warning",
                        message: { text: v.urn === null ? v.message : `${v.urn}: ${v.message}` },
                        locations: [{ physicalLocation, logicalLocations: [logical(v)] }],
                        partialFingerprints: {
                            "orgwatchViolation/v1": createHash("sha256").update(`${v.policy}\n${v.urn ?? report.stack}\n${v.message}`).digest("hex"),
                        },
                        properties: { enforcementLevel: v.enforcementLevel, resourceType: v.type },
                    };
                }),
            },
        ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
}

/** Why the check produced no verdict: the error the user sees on stderr and the exit status. */
export interface CheckFailure {
    readonly stack: string;
    readonly policyPackVersion: string;
    /** The message printed after `error: ` (the first line summarizes). */
    readonly message: string;
    /** 2 usage or config error, 3 the program failed to run, 70 internal error. */
    readonly exitStatus: number;
    /** Where the error is: the file to fix (a SARIF artifact URI) and, when known, its line and column. */
    readonly location?: FailureLocation;
}

export interface FailureLocation {
    /** Relative to the working directory, else a `file://` URI (as the other SARIF locations). */
    readonly uri: string;
    readonly line?: number;
    readonly column?: number;
}

const FAILURE_KINDS: Readonly<Record<number, NotificationId>> = { 2: "usage-or-config", 3: "program-failed", 70: "internal" };

/** The report of a check that gave no verdict: nothing evaluated, incomplete. */
function failedReport(failure: CheckFailure): CheckReport {
    return { stack: failure.stack, policyPack: "orgwatch-monitoring", policyPackVersion: failure.policyPackVersion, violations: [], summary: { mandatory: 0, advisory: 0 }, complete: false, notInspected: [], notApplicable: [] };
}

/**
 * The JSON and SARIF documents of a check that gave no verdict (exit 2, 3 or 70), so a CI step
 * that reads or uploads them sees a failed check rather than an empty file. JSON: the report's shape
 * with no violations, `complete: false` and `error: { message, exitStatus, kind, location? }`. SARIF: a run with
 * no results whose invocation has `executionSuccessful: false`, the exit code and the error as a
 * tool execution notification (located when the failure has a location). The table format prints nothing more (the error goes to stderr).
 */
export function renderFailure(failure: CheckFailure, format: CheckFormat, sarif?: SarifOptions): string {
    const kind = FAILURE_KINDS[failure.exitStatus] ?? "internal";
    const loc = failure.location;
    const error = { message: failure.message, exitStatus: failure.exitStatus, kind, ...(loc ? { location: { ...loc } } : {}) };
    if (format === "json") {
        const report = JSON.parse(renderJson(failedReport(failure), sarif?.notes)) as Record<string, unknown>;
        return `${JSON.stringify({ ...report, error }, null, 2)}\n`;
    }
    if (format === "table") return "";
    const log = JSON.parse(renderSarif(failedReport(failure), sarif)) as { runs: { invocations: Record<string, unknown>[]; properties: Record<string, unknown> }[] };
    const run = log.runs[0];
    run.invocations = [
        {
            executionSuccessful: false,
            exitCode: failure.exitStatus,
            exitCodeDescription: kind,
            toolExecutionNotifications: [
                {
                    level: "error",
                    message: { text: failure.message },
                    descriptor: descriptor(kind),
                    ...(loc
                        ? {
                              locations: [
                                  {
                                      physicalLocation: {
                                          artifactLocation: { uri: loc.uri },
                                          ...(loc.line !== undefined ? { region: { startLine: loc.line, ...(loc.column !== undefined ? { startColumn: loc.column } : {}) } } : {}),
                                      },
                                  },
                              ],
                          }
                        : {}),
                },
                ...(sarif?.notes ?? []).map((text) => ({ level: "note", message: { text }, descriptor: descriptor("assumption") })),
            ],
        },
    ];
    run.properties = { ...run.properties, error };
    return `${JSON.stringify(log, null, 2)}\n`;
}

/** Renders a report in the given format. */
export function render(report: CheckReport, format: CheckFormat, sarif?: SarifOptions): string {
    switch (format) {
        case "json":
            return renderJson(report, sarif?.notes);
        case "sarif":
            return renderSarif(report, sarif);
        case "table":
            return renderTable(report);
    }
}
