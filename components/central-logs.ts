import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupSelection } from "../lib/central/selection";
import { names } from "../lib/naming";
import { logGroupKeyPolicy, oamSinkPolicy, policyJson } from "../lib/policy-documents";
import { KEY_DELETION_WINDOW_DAYS } from "./log-archive";
import { ACCOUNT_DIMENSION } from "./security-alarms";

/** Service principal of CloudWatch telemetry centralization, registered as delegated administrator. */
export const OBSERVABILITY_ADMIN_PRINCIPAL = "observabilityadmin.amazonaws.com";
/** Where centralized copies land: `<prefix>/central/<account>/<region>/<source log group>`. */
export const CENTRAL_LOG_GROUP_PATTERN = "${source.accountId}/${source.region}/${source.logGroup}";

export interface CentralLogsArgs {
    readonly partition: string;
    readonly organizationId: string;
    /** The monitoring account this component deploys into. */
    readonly monitoringAccountId: string;
    /** Home Region: destination of centralized logs and place of the dashboard. */
    readonly homeRegion: string;
    /** Regions with an OAM sink; also the source Regions of centralization. */
    readonly governedRegions: readonly string[];
    readonly namePrefix: string;
    /** Resource types source accounts may share through their links. */
    readonly oamResourceTypes: readonly string[];
    /**
     * Roles that create orgwatch's direct links (management deploy roles, the log archive's member role); with the
     * StackSets execution role, the only principals the sink policy lets link (lib/policy-documents/oam-sink.ts).
     */
    readonly linkCreatorArns: readonly string[];
    /** Accounts any principal of which may link (the management account: see `oamSinkPolicy`). */
    readonly linkCreatorAccountIds: readonly string[];
    /**
     * Copy log groups into this account with an organization centralization rule. Needs the
     * monitoring account registered as delegated administrator for CloudWatch (done here through
     * `managementProvider`). @default true
     */
    readonly centralization?: boolean;
    /** Names of log groups to centralize (the trail log group at least). */
    readonly logGroupNames: readonly pulumi.Input<string>[];
    /** Name prefixes of further log groups to centralize. @default [] */
    readonly logGroupPrefixes?: readonly string[];
    /** Provider of the management account, for the delegated administrator registration. */
    readonly managementProvider: pulumi.ProviderResource;
    /** Alarms shown on the dashboard (ARNs in the management account) and their metric namespace. */
    readonly alarms: { readonly arns: readonly pulumi.Input<string>[]; readonly metricNamespace: string; readonly metricNames: readonly string[]; readonly accountId: string };
    /** Show CIS events per account on the dashboard. @default false */
    readonly perAccountAttribution?: boolean;
    /** Principals administering the central logs key besides the account root. @default [] */
    readonly keyAdminArns?: readonly string[];
    /** Protect the sinks and the key from deletion. @default true */
    readonly protect?: boolean;
}

/**
 * The central CloudWatch (monitoring) account: an OAM sink per governed Region admitting the whole
 * organization, the organization centralization rule that copies the trail log group and member log
 * groups here (KMS-encrypted), and one dashboard with every security alarm.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account.html
 */
export class CentralLogs extends pulumi.ComponentResource {
    /** OAM sink ARN per governed Region, for the member accounts' links (available once the sink policy is in place). */
    public readonly sinkArns: Record<string, pulumi.Output<string>>;
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: CentralLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("orgwatch:central:CentralLogs", name, {}, opts);
        const protect = args.protect ?? true;
        const audit: pulumi.CustomResourceOptions = { parent: this, protect };

        // One sink per Region: OAM is regional, and a monitoring account has one sink per Region.
        this.sinkArns = {};
        const sinkPolicy = policyJson(oamSinkPolicy({ partition: args.partition, organizationId: args.organizationId, resourceTypes: args.oamResourceTypes, linkCreatorArns: args.linkCreatorArns, linkCreatorAccountIds: args.linkCreatorAccountIds }));
        for (const region of args.governedRegions) {
            const sink = new aws.oam.Sink(`${name}-sink-${region}`, { name: names.oamSink(args.namePrefix), region }, audit);
            const policy = new aws.oam.SinkPolicy(`${name}-sink-policy-${region}`, { sinkIdentifier: sink.arn, policy: sinkPolicy, region }, audit);
            // Read through the policy: OAM refuses a link to a sink whose policy does not admit the account yet,
            // so whatever links to the sink (links, StackSet instances) must wait for the policy.
            this.sinkArns[region] = policy.sinkIdentifier;
        }

        if (args.centralization ?? true) {
            const centralPrefix = `${args.namePrefix}/central`;
            const key = new aws.kms.Key(
                `${name}-central-logs-key`,
                {
                    description: "orgwatch: encrypts centralized log groups",
                    enableKeyRotation: true,
                    deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
                    policy: policyJson(
                        logGroupKeyPolicy({
                            partition: args.partition,
                            region: args.homeRegion,
                            accountId: args.monitoringAccountId,
                            organizationId: args.organizationId,
                            logGroupNames: [],
                            logGroupNamePrefixes: [`${centralPrefix}/`],
                            adminPrincipalArns: args.keyAdminArns ?? [],
                        }),
                    ),
                },
                audit,
            );
            // The alias names the key in the guardrail SCP (which protects keys by alias).
            new aws.kms.Alias(`${name}-central-logs-key-alias`, { name: names.centralLogsKeyAlias(args.namePrefix), targetKeyId: key.keyId }, audit);
            const delegated = new aws.organizations.DelegatedAdministrator(
                `${name}-delegated-admin`,
                { accountId: args.monitoringAccountId, servicePrincipal: OBSERVABILITY_ADMIN_PRINCIPAL },
                { parent: this, provider: args.managementProvider },
            );
            const selection = pulumi
                .all(args.logGroupNames.map((n) => pulumi.output(n)))
                .apply((groupNames) => logGroupSelection(groupNames, args.logGroupPrefixes ?? []));
            new aws.observabilityadmin.CentralizationRuleForOrganization(
                `${name}-centralization-rule`,
                {
                    ruleName: `${args.namePrefix}-central-logs`,
                    region: args.homeRegion,
                    rule: {
                        source: {
                            regions: [...args.governedRegions],
                            scope: `OrganizationId = '${args.organizationId}'`,
                            sourceLogsConfiguration: { encryptedLogGroupStrategy: "ALLOW", logGroupSelectionCriteria: selection },
                        },
                        destination: {
                            account: args.monitoringAccountId,
                            region: args.homeRegion,
                            destinationLogsConfiguration: {
                                logsEncryptionConfiguration: { encryptionStrategy: "CUSTOMER_MANAGED", kmsKeyArn: key.arn },
                                logGroupNameConfiguration: { logGroupNamePattern: `${centralPrefix}/${CENTRAL_LOG_GROUP_PATTERN}` },
                            },
                        },
                    },
                },
                { parent: this, dependsOn: [delegated] },
            );
        }

        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            { dashboardName: names.dashboard(args.namePrefix), dashboardBody: pulumi.all(args.alarms.arns.map((a) => pulumi.output(a))).apply((arns) => JSON.stringify(dashboardBody(args, arns))) },
            { parent: this },
        );
        this.dashboardName = dashboard.dashboardName;
        this.registerOutputs({ sinkArns: this.sinkArns, dashboardName: this.dashboardName });
    }
}

/**
 * Dashboard: the state of every security alarm, the CIS event counts (from the management account,
 * seen through its OAM link), and, with attribution, events per account.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export function dashboardBody(args: Pick<CentralLogsArgs, "homeRegion" | "alarms" | "perAccountAttribution">, alarmArns: readonly string[]): { widgets: object[] } {
    const { metricNamespace, metricNames, accountId } = args.alarms;
    const widgets: object[] = [
        { type: "text", x: 0, y: 0, width: 24, height: 2, properties: { markdown: "## orgwatch security alarms\nCIS AWS Foundations monitoring controls on the organization trail. Alarms notify the security topic." } },
        { type: "alarm", x: 0, y: 2, width: 24, height: Math.max(3, Math.ceil(alarmArns.length / 4) + 1), properties: { title: "Security alarms", alarms: [...alarmArns], sortBy: "stateUpdatedTimestamp", states: [] } },
        {
            type: "metric",
            x: 0,
            y: 8,
            width: 24,
            height: 8,
            properties: {
                title: "CIS events (sum per 5 minutes)",
                region: args.homeRegion,
                view: "timeSeries",
                stacked: false,
                stat: "Sum",
                period: 300,
                metrics: metricNames.map((m) => [metricNamespace, m, { accountId, label: m }]),
            },
        },
    ];
    if (args.perAccountAttribution) {
        widgets.push({
            type: "metric",
            x: 0,
            y: 16,
            width: 24,
            height: 8,
            properties: {
                title: "CIS events per account",
                region: args.homeRegion,
                view: "bar",
                period: 300,
                metrics: [[{ expression: `SEARCH('{${metricNamespace},${ACCOUNT_DIMENSION}}', 'Sum', 300)`, id: "byAccount", accountId, label: "" }]],
            },
        });
    }
    return { widgets };
}
