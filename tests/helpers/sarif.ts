import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

/**
 * The SARIF 2.1.0 JSON schema (rtm.5, the text of the OASIS standard, draft-04), as Microsoft's
 * SARIF SDK ships it in `@microsoft/jest-sarif` (a dev dependency used only for this file).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file inside a package, resolved through package-lock
const SARIF_SCHEMA = require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json") as Record<string, unknown>;

// unicodeRegExp off: the schema's language pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is
// valid only without the `u` flag, as draft-04 validators of its time compiled it.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(SARIF_SCHEMA);

/** Schema violations of a SARIF log (empty when the log is valid SARIF 2.1.0). */
export function sarifSchemaErrors(log: unknown): string[] {
    return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

interface GithubResult {
    ruleId?: unknown;
    message?: { text?: unknown };
    locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: unknown } } }>;
}

/**
 * What GitHub code scanning needs beyond the schema (docs.github.com, "SARIF support for code
 * scanning"): a ruleId and a message text on every result, and at least one location with a
 * non-empty `physicalLocation.artifactLocation.uri` (results without one are rejected on upload).
 */
export function githubCodeScanningProblems(log: { runs: Array<{ results?: GithubResult[] }> }): string[] {
    const problems: string[] = [];
    log.runs.forEach((run, r) =>
        (run.results ?? []).forEach((res, i) => {
            const at = `runs[${r}].results[${i}]`;
            if (typeof res.ruleId !== "string" || res.ruleId === "") problems.push(`${at}: no ruleId`);
            if (typeof res.message?.text !== "string" || res.message.text === "") problems.push(`${at}: no message.text`);
            const uris = (res.locations ?? []).map((l) => l.physicalLocation?.artifactLocation?.uri);
            if (!uris.some((u) => typeof u === "string" && u !== "")) problems.push(`${at}: no physicalLocation.artifactLocation.uri`);
            if ((res.locations ?? []).length > 10) problems.push(`${at}: more than 10 locations`);
        }),
    );
    return problems;
}
