/**
 * Test-side access to the labelled CloudTrail fixtures (`tests/fixtures/cloudtrail`, or
 * `$ORGWATCH_FIXTURES`). Independent of the product code: the labels and cis-patterns.json are the
 * oracle the catalogue and the engine are checked against.
 */
import * as fs from "fs";
import * as path from "path";

export const FIXTURES_DIR = process.env.ORGWATCH_FIXTURES ?? path.resolve(__dirname, "../../fixtures/cloudtrail");

export const FIXTURE_FILES = [
    "panther-labs_panther-analysis.json",
    "DataDog_stratus-red-team.json",
    "invictus-ir_aws_dataset.json",
] as const;
export type FixtureFileName = (typeof FIXTURE_FILES)[number];

export interface LabelledEvent {
    readonly category: number | "benign";
    readonly expect_match: boolean;
    readonly also_matches: readonly number[];
    readonly variant_expectations?: Readonly<Record<string, boolean>>;
    readonly note: string;
    readonly record: unknown;
}

export interface CisPatternsJson {
    readonly securityHubDefault: Readonly<Record<string, string>>;
    readonly labelPatterns: Readonly<Record<string, string>>;
    readonly alternatives: Readonly<Record<string, string>>;
}

export function loadEvents(file: FixtureFileName): LabelledEvent[] {
    const parsed = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, file), "utf8")) as { events: LabelledEvent[] };
    return parsed.events;
}

export function loadCisPatterns(): CisPatternsJson {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, "cis-patterns.json"), "utf8")) as CisPatternsJson;
}

/** The set of categories a record must match according to its labels. */
export function labelledMatches(e: LabelledEvent): number[] {
    if (!e.expect_match || e.category === "benign") {
        return [];
    }
    return [e.category, ...e.also_matches].sort((a, b) => a - b);
}

/**
 * "Counts" table of the fixtures README (pos/any/near per category and file), copied by hand:
 * `pos` = category with expect_match true, `any` = filter must match, `near` = near misses.
 */
export const README_COUNTS: Readonly<Record<FixtureFileName, readonly (readonly [number, number, number])[]>> = {
    "panther-labs_panther-analysis.json": [
        [13, 18, 10], [6, 6, 2], [6, 8, 1], [10, 10, 10], [8, 8, 5], [1, 1, 1], [4, 4, 2], [10, 10, 10],
        [4, 4, 0], [6, 6, 4], [4, 4, 1], [2, 2, 0], [2, 2, 1], [2, 2, 2], [1, 1, 3],
    ],
    "DataDog_stratus-red-team.json": [
        [4, 5, 0], [1, 1, 0], [0, 0, 0], [2, 2, 5], [2, 2, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0],
        [0, 0, 0], [1, 1, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 1], [1, 1, 0],
    ],
    "invictus-ir_aws_dataset.json": [
        [8, 9, 6], [1, 1, 2], [0, 0, 0], [10, 10, 6], [8, 8, 6], [0, 0, 0], [0, 0, 3], [5, 5, 6],
        [0, 0, 0], [8, 8, 2], [0, 0, 1], [8, 8, 6], [8, 8, 3], [6, 6, 6], [1, 1, 2],
    ],
};

/** README "all files" row: [pos, any, near] per category 1..15, benign count and total. */
export const README_TOTALS = {
    perCategory: [
        [25, 32, 16], [8, 8, 4], [6, 8, 1], [22, 22, 21], [18, 18, 12], [1, 1, 1], [4, 4, 5], [15, 15, 16],
        [4, 4, 0], [15, 15, 6], [4, 4, 2], [10, 10, 6], [10, 10, 4], [8, 8, 9], [3, 3, 5],
    ] as readonly (readonly [number, number, number])[],
    benign: 50,
    total: 311,
    perFile: { "panther-labs_panther-analysis.json": 151, "DataDog_stratus-red-team.json": 28, "invictus-ir_aws_dataset.json": 132 } as Readonly<
        Record<FixtureFileName, number>
    >,
};

/** Fixture alternative name → [category, catalogue variant that carries the same text]. */
export const ALTERNATIVE_TO_VARIANT: Readonly<Record<string, readonly [number, string]>> = {
    cis_v2_v3_unauthorized_api_with_exclusions: [1, "cis-v2-v3-exclusions"],
    "cis_mfa_iamuser_success_variant (Security Hub CloudWatch.3)": [2, "security-hub"],
    cis_v2_v3_route_table_with_eventSource: [13, "cis-v2-v3-event-source"],
};
