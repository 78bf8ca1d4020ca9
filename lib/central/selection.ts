/**
 * The log group selection of the organization centralization rule: the named log groups and the
 * name prefixes, joined with OR. The expression uses the OAM link filter format (CloudFormation:
 * `AWS::ObservabilityAdmin::OrganizationCentralizationRule` SourceLogsConfiguration), whose limits
 * are 1-2,000 characters and at most five conditional operands (AND/OR)
 * (https://docs.aws.amazon.com/OAM/latest/APIReference/API_LogGroupConfiguration.html).
 */
export const SELECTION_MAX_LENGTH = 2000;
export const SELECTION_MAX_OPERATORS = 5;

/** The selection expression. Names and prefixes are log group names (no quotes: config checks them). */
export function logGroupSelection(groupNames: readonly string[], prefixes: readonly string[]): string {
    return [...groupNames.map((n) => `LogGroupName = '${n}'`), ...prefixes.map((p) => `LogGroupName LIKE '${p}%'`)].join(" OR ");
}
