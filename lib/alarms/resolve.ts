import { CIS_CONTROLS, metricNameOf, patternOf, type CisControl } from "../cis";
import type { AlarmsConfig, StackConfig } from "../config/schema";
import { nearest } from "../config/problems";
import type { Problem } from "../errors";
import { isPatternSyntaxError, parsePattern } from "../pattern";
import { GOVERNANCE_CONTROL_IDS, HEARTBEAT_ALARM_ID, governanceControlProblems } from "./governance";
import { recipeOf, type AlarmRecipe } from "./recipe";

export { DEFAULT_ALARM_RECIPE, recipeOf, type AlarmRecipe } from "./recipe";

/** CloudWatch Logs allows at most 100 metric filters on one log group. */
export const MAX_METRIC_FILTERS_PER_LOG_GROUP = 100;
/** A metric filter producing more than 1,000 distinct dimension values in an hour is disabled by CloudWatch Logs. */
export const MAX_DIMENSION_VALUES_PER_HOUR = 1000;
/** Id of the optional control that alarms on any activity of break-glass users. */
export const BREAK_GLASS_CONTROL_ID = "break-glass-user-activity";
/** Controls configured under `orgwatch:alarms.controls` whose pattern orgwatch builds, so they take no variant. */
const BUILT_IN_IDS = [BREAK_GLASS_CONTROL_ID, ...GOVERNANCE_CONTROL_IDS, HEARTBEAT_ALARM_ID];

/** One control as it will be deployed: pattern chosen, recipe merged. */
export interface ResolvedControl {
    readonly id: string;
    readonly description: string;
    readonly pattern: string;
    readonly metricName: string;
    /** Security Hub control the filter satisfies, when it uses the Security Hub text. */
    readonly securityHubControl: string | null;
    readonly source: "cis" | "custom" | "break-glass" | "plumbing";
    readonly recipe: AlarmRecipe;
}

/** The controls a configuration deploys, in catalogue order, then custom controls, then break-glass. */
export function resolveControls(alarms: AlarmsConfig, catalogue: readonly CisControl[] = CIS_CONTROLS): ResolvedControl[] {
    const out: ResolvedControl[] = [];
    for (const control of catalogue) {
        const settings = alarms.controls[control.id];
        if (settings !== undefined && !settings.enabled) continue;
        const variant = settings?.variant ?? control.defaultVariant;
        out.push({
            id: control.id,
            description: `${control.title}${control.securityHubControl && variant === control.defaultVariant ? ` (Security Hub ${control.securityHubControl})` : ""}`,
            pattern: patternOf(control, variant),
            metricName: control.metricName,
            securityHubControl: variant === control.defaultVariant ? control.securityHubControl : null,
            source: "cis",
            recipe: recipeOf(settings ?? {}),
        });
    }
    for (const custom of alarms.custom) {
        out.push({
            id: custom.id,
            description: custom.description,
            pattern: custom.pattern,
            metricName: metricNameOf(custom.id),
            securityHubControl: null,
            source: "custom",
            recipe: recipeOf(custom),
        });
    }
    if (alarms.breakGlassUsers.length > 0) {
        out.push({
            id: BREAK_GLASS_CONTROL_ID,
            description: `Activity of break-glass users ${alarms.breakGlassUsers.join(", ")}`,
            pattern: breakGlassPattern(alarms.breakGlassUsers),
            metricName: metricNameOf(BREAK_GLASS_CONTROL_ID),
            securityHubControl: null,
            source: "break-glass",
            recipe: recipeOf(alarms.controls[BREAK_GLASS_CONTROL_ID] ?? {}),
        });
    }
    return out;
}

/** Any API call or console sign-in by one of the named IAM users. */
export function breakGlassPattern(users: readonly string[]): string {
    const names = users.map((u) => `($.userIdentity.userName = "${u}")`).join(" || ");
    return `{ ($.userIdentity.type = "IAMUser") && (${names}) }`;
}

/**
 * Config checks that need the catalogue and the pattern engine: control ids and variants exist,
 * custom ids do not clash, every pattern parses (with the position of the problem), and the
 * log group and dimension limits hold.
 */
export function alarmConfigChecks(cfg: StackConfig, catalogue: readonly CisControl[] = CIS_CONTROLS): Problem[] {
    const problems: Problem[] = [];
    const ids = catalogue.map((c) => c.id);
    const known = [...ids, ...BUILT_IN_IDS];
    for (const [key, settings] of Object.entries(cfg.alarms.controls)) {
        const path = `orgwatch:alarms.controls.${key}`;
        if (!known.includes(key)) {
            const near = nearest(key, known);
            problems.push({ path, allowed: `a control id${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}: ${known.join(", ")}`, received: JSON.stringify(key) });
            continue;
        }
        const control = catalogue.find((c) => c.id === key);
        if (settings.variant !== undefined) {
            if (control === undefined) problems.push({ path: `${path}.variant`, allowed: "no variant (orgwatch builds this control's pattern)", received: JSON.stringify(settings.variant) });
            else if (!(settings.variant in control.variants)) problems.push({ path: `${path}.variant`, allowed: `one of ${Object.keys(control.variants).map((v) => JSON.stringify(v)).join(", ")}`, received: JSON.stringify(settings.variant) });
        }
    }
    for (const [i, custom] of cfg.alarms.custom.entries()) {
        if (known.includes(custom.id)) problems.push({ path: `orgwatch:alarms.custom[${i}].id`, allowed: "an id that is not a catalogue control id (configure those under alarms.controls)", received: JSON.stringify(custom.id) });
        try {
            parsePattern(custom.pattern);
        } catch (err) {
            if (!isPatternSyntaxError(err)) throw err;
            problems.push({ path: `orgwatch:alarms.custom[${i}].pattern`, allowed: `a valid CloudWatch Logs filter pattern (${err.message})`, received: JSON.stringify(custom.pattern) });
        }
    }
    problems.push(...governanceControlProblems(cfg));
    const perFilter = cfg.alarms.perAccountAttribution ? 2 : 1;
    const enabled = catalogue.filter((c) => cfg.alarms.controls[c.id]?.enabled ?? true).length;
    const governance = GOVERNANCE_CONTROL_IDS.filter((id) => cfg.alarms.controls[id]?.enabled !== false).length;
    const filters = (enabled + cfg.alarms.custom.length + (cfg.alarms.breakGlassUsers.length > 0 ? 1 : 0) + governance) * perFilter;
    if (filters > MAX_METRIC_FILTERS_PER_LOG_GROUP) {
        problems.push({ path: "orgwatch:alarms", allowed: `at most ${MAX_METRIC_FILTERS_PER_LOG_GROUP} metric filters on the trail log group`, received: `${filters} filters` });
    }
    // Attribution adds a recipientAccountId dimension; more distinct accounts than the hourly limit would disable the filter.
    const accounts = cfg.accounts.length + 3;
    if (cfg.alarms.perAccountAttribution && accounts > MAX_DIMENSION_VALUES_PER_HOUR) {
        problems.push({ path: "orgwatch:alarms.perAccountAttribution", allowed: `false for organizations of more than ${MAX_DIMENSION_VALUES_PER_HOUR} accounts (CloudWatch Logs disables a filter that emits more than ${MAX_DIMENSION_VALUES_PER_HOUR} dimension values an hour)`, received: `true with ${accounts} accounts` });
    }
    return problems;
}
