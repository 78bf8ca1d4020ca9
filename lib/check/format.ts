import { createHash } from "crypto";

import { Policies } from "@pulumi/policy";

import { ORGWATCH_POLICIES } from "../../policies/pack";
import { CheckReport, CheckViolation } from "./evaluate";

export type CheckFormat = "table" | "json" | "sarif";
export const CHECK_FORMATS: readonly CheckFormat[] = ["table", "json", "sarif"];

/**
 * The JSON report: `{ stack, policyPack, violations: [{ policy, enforcementLevel, urn, type,
 * message }], summary: { mandatory, advisory }, complete, notInspected: [{ urn, type, reason,
 * policies }] }`. `complete` is false when some resource could not be inspected offline (a remote
 * component's children); `notInspected` says which and why.
 */
export function renderJson(report: CheckReport): string {
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
                                : [{ level: "warning", message: { text: `Check incomplete: ${report.notInspected.length} resource(s) not inspected offline; run \`pulumi preview --policy-pack policies\` for a complete check` } }]),
                            ...report.notInspected.map((n) => ({
                                level: "note",
                                message: { text: `Not inspected: ${n.urn} (${n.type}): ${n.reason}` },
                                locations: [{ physicalLocation, logicalLocations: [logical({ urn: n.urn })] }],
                            })),
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

/** Renders a report in the given format. */
export function render(report: CheckReport, format: CheckFormat, sarif?: SarifOptions): string {
    switch (format) {
        case "json":
            return renderJson(report);
        case "sarif":
            return renderSarif(report, sarif);
        case "table":
            return renderTable(report);
    }
}
