import * as pulumi from "@pulumi/pulumi";
import { AccountBaseline } from "./components/account-baseline";
import { AdoptedTrail } from "./components/adopted-trail";
import { CentralLogs } from "./components/central-logs";
import { Guardrails } from "./components/guardrails";
import { LogArchive } from "./components/log-archive";
import { MemberAccounts } from "./components/member-accounts";
import { MemberBaseline } from "./components/member-baseline";
import { OrganizationTrail } from "./components/organization-trail";
import { OrganizationTelemetry } from "./components/organization-telemetry";
import { accountProvider } from "./components/providers";
import { SecurityAlarms } from "./components/security-alarms";
import { governanceControls, resolveHeartbeat } from "./lib/alarms/governance";
import { alarmConfigChecks, resolveControls } from "./lib/alarms/resolve";
import { coverageByTarget, loadStackConfig, partitionOf } from "./lib/config";
import { names } from "./lib/naming";

/**
 * orgwatch: config → providers → components → exports.
 * The whole config is parsed and validated before the first resource is registered.
 */
export = async () => {
    const cfg = loadStackConfig([alarmConfigChecks]);
    const { organization: org, regions, access } = cfg;
    const partition = partitionOf(regions.home);
    const tags = { ...cfg.tags, "orgwatch:stack": pulumi.getStack() };
    const protect = cfg.protect;

    // Providers: one per account orgwatch writes into, pinned with allowedAccountIds, never one per member
    // (every explicit provider is one plugin process in `pulumi up`; docs/scaling.md).
    const assume = { region: regions.home, partition, externalId: access.externalId, tags };
    const memberRoleArn = (accountId: string): string => `arn:${partition}:iam::${accountId}:role/${access.memberRoleName}`;
    const management = accountProvider("management", { ...assume, accountId: org.managementAccountId, roleArn: access.managementRoleArn });
    const logArchiveAccount = accountProvider("log-archive", { ...assume, accountId: org.logArchiveAccountId, roleName: access.memberRoleName });
    const logArchiveRoleArn = memberRoleArn(org.logArchiveAccountId);
    const monitoringAccount = accountProvider("monitoring", { ...assume, accountId: org.monitoringAccountId, roleName: access.memberRoleName });
    // The StackSets delegated administrator, when configured, reuses the provider of an account orgwatch already writes into.
    const stackSetAdminId = cfg.memberBaselines.delegatedAdministratorAccountId;
    const knownProviders = new Map([[org.logArchiveAccountId, logArchiveAccount], [org.monitoringAccountId, monitoringAccount]]);
    const stackSetAdmin = stackSetAdminId === undefined ? undefined : (knownProviders.get(stackSetAdminId) ?? accountProvider("stacksets-admin", { ...assume, accountId: stackSetAdminId, roleName: access.memberRoleName }));

    // Organization trail with its archive, or an adopted trail (e.g. Control Tower's).
    let trailLogGroupName: pulumi.Output<string>;
    let trail: OrganizationTrail | undefined;
    let archive: LogArchive | undefined;
    if (cfg.trail.mode === "create") {
        archive = new LogArchive("log-archive", {
            partition,
            organizationId: org.id,
            managementAccountId: org.managementAccountId,
            logArchiveAccountId: org.logArchiveAccountId,
            region: regions.home,
            trailName: cfg.trail.name,
            namePrefix: cfg.namePrefix,
            s3KeyPrefix: cfg.trail.s3KeyPrefix,
            archiveDays: cfg.retention.archiveDays,
            transitionToGlacierDays: cfg.retention.transitionToGlacierDays,
            objectLock: cfg.retention.objectLock,
            multiRegionKey: cfg.trail.multiRegionKey,
            // The role `pulumi up` assumes in this account must keep managing the bucket it deploys.
            deployRoleArns: [...access.deployRoleArns, logArchiveRoleArn],
            readerAccountIds: [org.logArchiveAccountId, org.monitoringAccountId],
            protect,
        }, { provider: logArchiveAccount });
        trail = new OrganizationTrail("organization-trail", {
            partition,
            organizationId: org.id,
            managementAccountId: org.managementAccountId,
            region: regions.home,
            trailName: cfg.trail.name,
            namePrefix: cfg.namePrefix,
            bucketName: archive.bucketName,
            s3KeyPrefix: cfg.trail.s3KeyPrefix,
            kmsKeyArn: archive.keyArn,
            creationPrerequisites: [archive.bucketPolicy, archive.key],
            logGroupRetentionDays: cfg.retention.logGroupDays,
            dataEvents: cfg.trail.dataEvents,
            insights: cfg.trail.insights,
            keyAdminArns: access.deployRoleArns,
            protect,
        }, { provider: management });
        trailLogGroupName = trail.logGroupName;
    } else {
        const adopted = new AdoptedTrail("adopted-trail", { ...cfg.trail.adopt, region: regions.home }, { provider: management });
        trailLogGroupName = adopted.logGroupName;
    }

    // CIS metric filters and alarms on the trail's own log group (where Security Hub looks for them).
    const controls = [...resolveControls(cfg.alarms), ...governanceControls(cfg)];
    const alarms = new SecurityAlarms("security-alarms", {
        partition,
        accountId: org.managementAccountId,
        region: regions.home,
        namePrefix: cfg.namePrefix,
        logGroupName: trailLogGroupName,
        controls,
        heartbeat: resolveHeartbeat(cfg.alarms),
        subscriptions: cfg.alarms.subscriptions,
        okActions: cfg.alarms.okActions,
        perAccountAttribution: cfg.alarms.perAccountAttribution,
        keyAdminArns: access.deployRoleArns,
        protect,
    }, { provider: management });

    // Central CloudWatch (monitoring) account.
    const central = new CentralLogs("central-logs", {
        partition,
        organizationId: org.id,
        monitoringAccountId: org.monitoringAccountId,
        homeRegion: regions.home,
        governedRegions: regions.governed,
        namePrefix: cfg.namePrefix,
        oamResourceTypes: cfg.centralLogs.oamResourceTypes,
        linkCreatorArns: [...access.deployRoleArns, logArchiveRoleArn],
        // The management account's own link is created with the management credentials, whatever they are.
        linkCreatorAccountIds: [org.managementAccountId],
        centralization: cfg.centralLogs.centralization,
        logGroupNames: [trailLogGroupName],
        logGroupPrefixes: cfg.centralLogs.logGroupPrefixes,
        managementProvider: management,
        alarms: { arns: Object.values(alarms.alarmArns), metricNamespace: alarms.metricNamespace, metricNames: controls.map((c) => c.metricName), accountId: org.managementAccountId },
        perAccountAttribution: cfg.alarms.perAccountAttribution,
        keyAdminArns: access.deployRoleArns,
        protect,
    }, { provider: monitoringAccount });

    // Baselines: the management account (which service-managed StackSets never reach) and the log-archive
    // account get their links directly; every other member account from the member baseline StackSet, which
    // AWS deploys to the target OUs, including accounts that join them later.
    const baseline = { sinkArns: central.sinkArns, resourceTypes: cfg.centralLogs.oamResourceTypes };
    new AccountBaseline("baseline-management", baseline, { provider: management });
    new AccountBaseline("baseline-log-archive", baseline, { provider: logArchiveAccount });
    const members = new MemberAccounts("members", {
        accounts: cfg.accounts,
        organizationalUnits: cfg.organizationalUnits,
        defaultRoleName: access.memberRoleName,
        protect,
    }, { provider: management });
    const { targets } = cfg.memberBaselines;
    const targetIds = Object.fromEntries(targets.map((t) => [t, t.startsWith("Root") ? members.ouIds[t] : pulumi.output(t)]));
    const stackSetName = names.baselineStackSet(cfg.namePrefix);
    new MemberBaseline("member-baseline", {
        stackSetName,
        homeRegion: regions.home,
        sinkArns: central.sinkArns,
        resourceTypes: cfg.centralLogs.oamResourceTypes,
        targets: targetIds,
        // The monitoring account owns the sinks; the log-archive account has its link above.
        excludedAccountIds: [org.monitoringAccountId, org.logArchiveAccountId],
        delegatedAdministrator: stackSetAdminId === undefined || stackSetAdmin === undefined ? undefined : { accountId: stackSetAdminId, managementProvider: management },
        operationPreferences: cfg.memberBaselines.operationPreferences,
        protect,
    }, { provider: stackSetAdmin ?? management });

    // Organization telemetry rules: AWS turns telemetry on for what runs in the governed OUs and Regions.
    if (cfg.telemetry.enabled) {
        new OrganizationTelemetry("telemetry", {
            organizationId: org.id,
            namePrefix: cfg.namePrefix,
            homeRegion: regions.home,
            governedRegions: regions.governed,
            targetIds: Object.values(targetIds),
            telemetry: cfg.telemetry,
            retentionInDays: cfg.retention.logGroupDays,
            protect,
        }, { provider: management });
    }

    // Guardrails: an SCP that keeps everyone but the deploy roles from switching monitoring off.
    if (cfg.guardrails.enabled) {
        const p = cfg.namePrefix;
        new Guardrails("guardrails", {
            partition,
            organizationId: org.id,
            managementAccountId: org.managementAccountId,
            monitoringAccountId: org.monitoringAccountId,
            logArchiveAccountId: org.logArchiveAccountId,
            homeRegion: regions.home,
            governedRegions: regions.governed,
            namePrefix: p,
            trailName: cfg.trail.mode === "create" ? cfg.trail.name : undefined,
            // A name known from config lays the policies out for itself (one found by prefix, for the longest name).
            trailLogGroupName: cfg.trail.mode === "create" ? names.trailLogGroup(p) : (cfg.trail.adopt?.logGroupName ?? trailLogGroupName),
            centralLogGroupNamePrefixes: cfg.centralLogs.centralization ? [`${p}/central/`] : [],
            alarms: { namePrefix: `${p}-` },
            topicName: names.alarmTopic(p),
            trailBucketNames: archive ? [names.trailBucket(p, org.logArchiveAccountId, regions.home), names.accessLogBucket(p, org.logArchiveAccountId, regions.home)] : [],
            kmsKeyAliases: [names.trailKeyAlias(p), names.logsKeyAlias(p), names.alarmsKeyAlias(p), ...(cfg.centralLogs.centralization ? [names.centralLogsKeyAlias(p)] : [])],
            // The roles `pulumi up` assumes in member accounts it writes into, not the member role of every account.
            deployRoleArns: [...new Set([...access.deployRoleArns, logArchiveRoleArn, memberRoleArn(org.monitoringAccountId), ...(stackSetAdminId === undefined ? [] : [memberRoleArn(stackSetAdminId)])])],
            // Its stacks and links change only through the StackSets execution role (lib/policy-documents/guardrail-scp.ts).
            baselineStackSetName: stackSetName,
            targetIds: Object.fromEntries(cfg.guardrails.targets.map((t) => [t, members.ouIds[t]])),
            protect,
        }, { provider: management });
    }

    return {
        trailMode: cfg.trail.mode,
        trailArn: trail?.trailArn,
        trailBucketName: archive?.bucketName,
        trailLogGroupName,
        alarmTopicArn: alarms.topicArn,
        alarmNames: alarms.alarmNames,
        oamSinkArns: central.sinkArns,
        dashboardName: central.dashboardName,
        memberAccountIds: members.accountIds,
        memberBaseline: { stackSetName, administrator: stackSetAdminId === undefined ? { accountId: org.managementAccountId, callAs: "SELF" } : { accountId: stackSetAdminId, callAs: "DELEGATED_ADMIN" }, regions: regions.governed, coverage: coverageByTarget(cfg) },
    };
};
