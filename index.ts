import * as pulumi from "@pulumi/pulumi";
import { AccountBaseline } from "./components/account-baseline";
import { AdoptedTrail } from "./components/adopted-trail";
import { CentralLogs } from "./components/central-logs";
import { Guardrails } from "./components/guardrails";
import { LogArchive } from "./components/log-archive";
import { MemberAccounts } from "./components/member-accounts";
import { OrganizationTrail } from "./components/organization-trail";
import { accountProvider } from "./components/providers";
import { SecurityAlarms } from "./components/security-alarms";
import { alarmConfigChecks, resolveControls } from "./lib/alarms/resolve";
import { type ShardExports, loadShardStackConfig, loadStackConfig, memberShard, partitionOf, runningShardStack } from "./lib/config";
import { names, slug } from "./lib/naming";
import { memberShardProgram } from "./shard";

/**
 * orgwatch: config → providers → components → exports.
 * The whole config is parsed and validated before the first resource is registered.
 */
export = async () => {
    // A shard stack holds only member baselines, read from its organization stack (docs/scaling.md).
    if (runningShardStack()) {
        return memberShardProgram(loadShardStackConfig());
    }
    const cfg = loadStackConfig([alarmConfigChecks]);
    const { organization: org, regions, access } = cfg;
    const partition = partitionOf(regions.home);
    const tags = { ...cfg.tags, "orgwatch:stack": pulumi.getStack() };
    const protect = cfg.protect;

    // Providers: one per account, pinned with allowedAccountIds.
    const assume = { region: regions.home, partition, externalId: access.externalId, tags };
    const management = accountProvider("management", { ...assume, accountId: org.managementAccountId, roleArn: access.managementRoleArn });
    const logArchiveAccount = accountProvider("log-archive", { ...assume, accountId: org.logArchiveAccountId, roleName: access.memberRoleName });
    const logArchiveRoleArn = `arn:${partition}:iam::${org.logArchiveAccountId}:role/${access.memberRoleName}`;
    const monitoringAccount = accountProvider("monitoring", { ...assume, accountId: org.monitoringAccountId, roleName: access.memberRoleName });

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
    const controls = resolveControls(cfg.alarms);
    const alarms = new SecurityAlarms("security-alarms", {
        partition,
        accountId: org.managementAccountId,
        region: regions.home,
        namePrefix: cfg.namePrefix,
        logGroupName: trailLogGroupName,
        controls,
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
        centralization: cfg.centralLogs.centralization,
        logGroupNames: [trailLogGroupName],
        logGroupPrefixes: cfg.centralLogs.logGroupPrefixes,
        managementProvider: management,
        alarms: { arns: Object.values(alarms.alarmArns), metricNamespace: alarms.metricNamespace, metricNames: controls.map((c) => c.metricName), accountId: org.managementAccountId },
        perAccountAttribution: cfg.alarms.perAccountAttribution,
        keyAdminArns: access.deployRoleArns,
        protect,
    }, { provider: monitoringAccount });

    // Account baselines: the management and log-archive accounts, then every member (here, or in
    // the shard stacks with memberBaselines.shards).
    const baseline = { sinkArns: central.sinkArns, resourceTypes: cfg.centralLogs.oamResourceTypes };
    new AccountBaseline("baseline-management", baseline, { provider: management });
    new AccountBaseline("baseline-log-archive", baseline, { provider: logArchiveAccount });
    const members = new MemberAccounts("members", {
        accounts: cfg.accounts,
        organizationalUnits: cfg.organizationalUnits,
        defaultRoleName: access.memberRoleName,
        protect,
    }, { provider: management });
    // Each member as its baseline needs it: here, or exported to its shard stack.
    const memberRefs = cfg.accounts.map((acct) => ({ acct, name: acct.name, accountId: members.accountIds[acct.name], roleName: acct.roleName ?? access.memberRoleName }));
    let shardExports: { [K in keyof ShardExports]: pulumi.Input<ShardExports[K]> } | undefined;
    if (cfg.memberBaselines === undefined) {
        for (const { name, accountId, roleName } of memberRefs) {
            const provider = accountProvider(`member-${slug(name)}`, { ...assume, accountId, roleName });
            new AccountBaseline(`baseline-${slug(name)}`, baseline, { provider });
        }
    } else {
        const byShard = new Map<string, { name: string; accountId: pulumi.Output<string>; roleName: string }[]>(Object.keys(cfg.memberBaselines.shards).map((s) => [s, []]));
        for (const { acct, name, accountId, roleName } of memberRefs) {
            const shard = memberShard(cfg, acct);
            if (shard !== undefined) byShard.get(shard)?.push({ name, accountId, roleName });
        }
        shardExports = {
            memberBaselineShards: pulumi.output(Object.fromEntries(byShard)),
            baselineSettings: pulumi.output({
                homeRegion: regions.home,
                partition,
                ...(access.externalId === undefined ? {} : { externalId: access.externalId }),
                tags: cfg.tags,
                resourceTypes: cfg.centralLogs.oamResourceTypes,
                sinkArns: central.sinkArns,
            }),
        };
    }

    // Guardrails: an SCP that keeps everyone but the deploy roles from switching monitoring off.
    if (cfg.guardrails.enabled) {
        const p = cfg.namePrefix;
        new Guardrails("guardrails", {
            partition,
            managementAccountId: org.managementAccountId,
            monitoringAccountId: org.monitoringAccountId,
            homeRegion: regions.home,
            governedRegions: regions.governed,
            namePrefix: p,
            trailName: cfg.trail.mode === "create" ? cfg.trail.name : undefined,
            trailLogGroupName,
            centralLogGroupNamePrefixes: cfg.centralLogs.centralization ? [`${p}/central/`] : [],
            alarms: { namePrefix: `${p}-` },
            topicName: names.alarmTopic(p),
            trailBucketNames: archive ? [names.trailBucket(p, org.logArchiveAccountId, regions.home), names.accessLogBucket(p, org.logArchiveAccountId, regions.home)] : [],
            kmsKeyAliases: [names.trailKeyAlias(p), names.logsKeyAlias(p), names.alarmsKeyAlias(p), ...(cfg.centralLogs.centralization ? [names.centralLogsKeyAlias(p)] : [])],
            deployRoleArns: access.deployRoleArns,
            memberRoleNames: [...new Set([access.memberRoleName, ...cfg.accounts.flatMap((a) => (a.roleName ? [a.roleName] : []))])],
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
        ...shardExports,
    };
};
