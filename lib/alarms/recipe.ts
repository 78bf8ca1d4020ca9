/** The recipe of an alarm: how its metric is evaluated. */
export interface AlarmRecipe {
    readonly threshold: number;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly statistic: string;
    readonly comparisonOperator: string;
    readonly treatMissingData: string;
}

/**
 * The alarm recipe shared by every CIS control (CIS AWS Foundations Benchmark, monitoring section):
 * metric value 1, Sum over 300 s, alarm at >= 1 in 1 period, missing data is not breaching.
 */
export const DEFAULT_ALARM_RECIPE = {
    threshold: 1,
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    statistic: "Sum",
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
} as const;

/** The CIS alarm recipe with a control's overrides. */
export function recipeOf(overrides: Partial<Omit<AlarmRecipe, "comparisonOperator">>): AlarmRecipe {
    const evaluationPeriods = overrides.evaluationPeriods ?? DEFAULT_ALARM_RECIPE.evaluationPeriods;
    return {
        threshold: overrides.threshold ?? DEFAULT_ALARM_RECIPE.threshold,
        period: overrides.period ?? DEFAULT_ALARM_RECIPE.period,
        evaluationPeriods,
        datapointsToAlarm: overrides.datapointsToAlarm ?? Math.min(DEFAULT_ALARM_RECIPE.datapointsToAlarm, evaluationPeriods),
        statistic: overrides.statistic ?? DEFAULT_ALARM_RECIPE.statistic,
        comparisonOperator: DEFAULT_ALARM_RECIPE.comparisonOperator,
        treatMissingData: overrides.treatMissingData ?? DEFAULT_ALARM_RECIPE.treatMissingData,
    };
}
