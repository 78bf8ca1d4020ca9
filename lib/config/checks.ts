import type { Problem } from "../errors";
import { describeValue } from "./problems";
import type { StackConfig } from "./schema";
import { SELECTION_MAX_LENGTH, SELECTION_MAX_OPERATORS, logGroupSelection } from "../central/selection";
import { names, slug } from "../naming";
import { partitionOf } from "../partition";
import { accountCoverage, coveringTarget } from "./coverage";

/**
 * Checks that relate several keys to each other. They run after the structural parse succeeded,
 * so every value here has its declared type.
 */
export function crossChecks(cfg: StackConfig): Problem[] {
    const problems: Problem[] = [];
    /** A problem whose received value is shown as the user wrote it. */
    const add = (path: string, allowed: string, received: unknown): void => {
        problems.push({ path: `orgwatch:${path}`, allowed, received: describeValue(received) });
    };
    /** A problem whose received part is a description rather than a single value. */
    const addSaid = (path: string, allowed: string, said: string): void => {
        problems.push({ path: `orgwatch:${path}`, allowed, received: said });
    };

    // Regions: home is governed, no duplicates, one partition.
    const { home, governed } = cfg.regions;
    if (!governed.includes(home)) addSaid("regions.governed", `a list that includes the home Region ${JSON.stringify(home)}`, `[${governed.join(", ")}]`);
    for (const dup of duplicates(governed)) addSaid("regions.governed", "each Region once", `${JSON.stringify(dup)} more than once`);
    const partitions = new Set([home, ...governed].map(partitionOf));
    if (partitions.size > 1) addSaid("regions", "Regions of one partition (aws, aws-cn or aws-us-gov)", `Regions of ${[...partitions].join(" and ")}`);

    // Account roles: separation of duties between management, log archive and monitoring.
    const { managementAccountId: mgmt, logArchiveAccountId: archive, monitoringAccountId: monitoring } = cfg.organization;
    if (archive === mgmt) add("organization.logArchiveAccountId", "an account other than the management account (logs must survive a compromised management account)", archive);
    if (monitoring === mgmt) add("organization.monitoringAccountId", "an account other than the management account", monitoring);
    if (monitoring === archive) add("organization.monitoringAccountId", "an account other than the log-archive account (the archive stays write-only for everyone else)", monitoring);

    // Role ARNs belong to the organization's partition.
    const partition = partitionOf(home);
    for (const [i, arn] of cfg.access.deployRoleArns.entries()) {
        if (!arn.startsWith(`arn:${partition}:`)) add(`access.deployRoleArns[${i}]`, `an ARN in partition ${partition}`, arn);
    }
    if (cfg.access.managementRoleArn !== undefined) {
        if (!cfg.access.managementRoleArn.startsWith(`arn:${partition}:iam::${mgmt}:`)) add("access.managementRoleArn", `a role of the management account ${mgmt} in partition ${partition}`, cfg.access.managementRoleArn);
    }
    for (const dup of duplicates(cfg.access.deployRoleArns)) addSaid("access.deployRoleArns", "each role once", `${JSON.stringify(dup)} more than once`);

    // Trail mode.
    const { trail, retention } = cfg;
    if (trail.mode === "adopt") {
        if (trail.adopt === undefined) add("trail.adopt", "with mode \"adopt\": the existing log group, { logGroupNamePrefix: \"aws-controltower/CloudTrailLogs\" } or { logGroupName: ... }", undefined);
        const de = trail.dataEvents;
        if (de.s3 || de.lambda || de.dynamodb) addSaid("trail.dataEvents", "with mode \"adopt\": no data events (orgwatch does not change an adopted trail)", "data events turned on");
        if (trail.insights.apiCallRate || trail.insights.apiErrorRate) addSaid("trail.insights", "with mode \"adopt\": no Insights (orgwatch does not change an adopted trail)", "Insights turned on");
        if (retention.objectLock !== undefined) addSaid("retention.objectLock", "with mode \"adopt\": no Object Lock (orgwatch creates no bucket)", "an Object Lock setting");
    } else if (trail.adopt !== undefined) {
        addSaid("trail.adopt", "only with trail.mode \"adopt\"", "an adopt setting while mode is \"create\"");
    }

    // Retention: the archive outlives the log group; lock and transitions fit inside the archive period.
    if (retention.archiveDays < retention.logGroupDays) add("retention.archiveDays", `at least retention.logGroupDays (${retention.logGroupDays}): the archive must keep logs as long as CloudWatch Logs does`, retention.archiveDays);
    if (retention.objectLock !== undefined && retention.objectLock.days > retention.archiveDays) add("retention.objectLock.days", `at most retention.archiveDays (${retention.archiveDays}): lifecycle expiry cannot delete locked objects`, retention.objectLock.days);
    if (retention.transitionToGlacierDays !== undefined && retention.transitionToGlacierDays >= retention.archiveDays) add("retention.transitionToGlacierDays", `fewer days than retention.archiveDays (${retention.archiveDays})`, retention.transitionToGlacierDays);

    // The centralization rule's selection expression: within the limits of the OAM filter format. The
    // trail log group is known here except for an adopted one found by prefix (its prefix stands in).
    if (cfg.centralLogs.centralization) {
        const trailGroup = trail.mode === "create" ? names.trailLogGroup(cfg.namePrefix) : (trail.adopt?.logGroupName ?? trail.adopt?.logGroupNamePrefix ?? "");
        const prefixes = cfg.centralLogs.logGroupPrefixes;
        const selection = logGroupSelection([trailGroup], prefixes);
        if (prefixes.length > SELECTION_MAX_OPERATORS) {
            addSaid("centralLogs.logGroupPrefixes", `at most ${SELECTION_MAX_OPERATORS} prefixes (the selection joins the trail log group and each prefix with OR, and allows ${SELECTION_MAX_OPERATORS} operators)`, `${prefixes.length} prefixes`);
        }
        if (selection.length > SELECTION_MAX_LENGTH) {
            addSaid("centralLogs.logGroupPrefixes", `prefixes whose selection expression fits in ${SELECTION_MAX_LENGTH} characters`, `an expression of ${selection.length} characters`);
        }
    }

    // Alarms.
    const { alarms } = cfg;
    for (const [key, c] of Object.entries(alarms.controls)) {
        if (c.datapointsToAlarm !== undefined && c.datapointsToAlarm > (c.evaluationPeriods ?? 1)) add(`alarms.controls.${key}.datapointsToAlarm`, `at most evaluationPeriods (${c.evaluationPeriods ?? 1})`, c.datapointsToAlarm);
    }
    for (const [i, c] of alarms.custom.entries()) {
        if (c.datapointsToAlarm !== undefined && c.datapointsToAlarm > (c.evaluationPeriods ?? 1)) add(`alarms.custom[${i}].datapointsToAlarm`, `at most evaluationPeriods (${c.evaluationPeriods ?? 1})`, c.datapointsToAlarm);
    }
    for (const dup of duplicates(alarms.custom.map((c) => c.id))) addSaid("alarms.custom", "each custom control id once", `${JSON.stringify(dup)} more than once`);
    for (const dup of duplicates(alarms.subscriptions.map((s) => `${s.protocol}:${s.endpoint}`))) addSaid("alarms.subscriptions", "each subscription once", `${JSON.stringify(dup)} more than once`);
    for (const dup of duplicates(alarms.breakGlassUsers)) addSaid("alarms.breakGlassUsers", "each user once", `${JSON.stringify(dup)} more than once`);

    // Organizational units: parents declared before children, no duplicates.
    const ous = new Set(cfg.organizationalUnits);
    for (const dup of duplicates(cfg.organizationalUnits)) addSaid("organizationalUnits", "each OU path once", `${JSON.stringify(dup)} more than once`);
    for (const [i, path] of cfg.organizationalUnits.entries()) {
        if (path === "Root") add(`organizationalUnits[${i}]`, "an OU below the root (the root exists already)", path);
        const parent = path.slice(0, path.lastIndexOf("/"));
        if (parent !== "Root" && parent !== "" && !ous.has(parent)) add(`organizationalUnits[${i}]`, `a path whose parent ${JSON.stringify(parent)} is also listed`, path);
    }

    // Guardrail targets: the root or declared OUs.
    for (const [i, target] of cfg.guardrails.targets.entries()) {
        if (target !== "Root" && !ous.has(target)) add(`guardrails.targets[${i}]`, `"Root" or an OU path listed under orgwatch:organizationalUnits`, target);
    }

    // Member accounts: unique, not a core account, OUs that exist.
    const core = new Map([[mgmt, "the management account"], [archive, "the log-archive account"], [monitoring, "the monitoring account"]]);
    const seenIds = new Map<string, number>();
    const seenNames = new Map<string, number>();
    const seenEmails = new Map<string, number>();
    for (const [i, acct] of cfg.accounts.entries()) {
        // Resource names derive from the slug, so names equal up to case and punctuation would collide.
        const lower = slug(acct.name);
        if (seenNames.has(lower)) add(`accounts[${i}].name`, `a name not used by accounts[${seenNames.get(lower)}]`, acct.name);
        else seenNames.set(lower, i);
        if (acct.id !== undefined) {
            if (core.has(acct.id)) add(`accounts[${i}].id`, `a member account, not ${core.get(acct.id)}`, acct.id);
            if (seenIds.has(acct.id)) add(`accounts[${i}].id`, `an id not used by accounts[${seenIds.get(acct.id)}]`, acct.id);
            else seenIds.set(acct.id, i);
        } else if (acct.email !== undefined) {
            const email = acct.email.toLowerCase();
            if (seenEmails.has(email)) add(`accounts[${i}].email`, `an email not used by accounts[${seenEmails.get(email)}]`, acct.email);
            else seenEmails.set(email, i);
        }
        if (acct.ou !== undefined && acct.ou.startsWith("Root") && acct.ou !== "Root" && !ous.has(acct.ou)) {
            add(`accounts[${i}].ou`, `an OU path listed under orgwatch:organizationalUnits (${cfg.organizationalUnits.length === 0 ? "none are" : cfg.organizationalUnits.map((o) => JSON.stringify(o)).join(", ")})`, acct.ou);
        }
    }

    // Member baselines: targets that exist and do not overlap, an administrator that may administer, and every
    // declared account covered (a member outside every target would silently get no baseline).
    const { targets, delegatedAdministratorAccountId: stackSetAdmin } = cfg.memberBaselines;
    for (const [i, target] of targets.entries()) {
        if (target !== "Root" && target.startsWith("Root") && !ous.has(target)) {
            add(`memberBaselines.targets[${i}]`, `"Root", an OU path listed under orgwatch:organizationalUnits, or an OU id`, target);
        }
        const others = targets.filter((_, k) => k !== i);
        const wider = coveringTarget(others, target);
        if (wider !== undefined && wider !== target) add(`memberBaselines.targets[${i}]`, `a target no other target covers (${JSON.stringify(wider)} covers it already)`, target);
    }
    for (const dup of duplicates(targets)) addSaid("memberBaselines.targets", "each target once", `${JSON.stringify(dup)} more than once`);
    // The administrator gets the power to change every member's stack: it must be an account this config knows
    // (the monitoring or log-archive account, or a declared account by id), so a mistyped id cannot register
    // some other account of the organization.
    if (stackSetAdmin === mgmt) {
        add("memberBaselines.delegatedAdministratorAccountId", "a member account (the management account administers the StackSet when this key is absent)", stackSetAdmin);
    } else if (stackSetAdmin !== undefined && stackSetAdmin !== archive && stackSetAdmin !== monitoring && !cfg.accounts.some((a) => a.id === stackSetAdmin)) {
        add("memberBaselines.delegatedAdministratorAccountId", "the monitoring account, the log-archive account, or an account declared under orgwatch:accounts with this id", stackSetAdmin);
    }
    const listedTargets = targets.map((t) => JSON.stringify(t)).join(", ");
    for (const [i, acct] of cfg.accounts.entries()) {
        // An undeclared OU path is reported above, on the same key.
        if (acct.ou !== undefined && acct.ou.startsWith("Root") && acct.ou !== "Root" && !ous.has(acct.ou)) continue;
        const coverage = accountCoverage(targets, acct);
        if (coverage.covered) continue;
        if (coverage.reason === "ou-unknown") {
            add(`accounts[${i}].ou`, `the OU this adopted account is in (memberBaselines.targets, ${listedTargets}, does not include "Root", so orgwatch must know the OU to tell whether a target covers the account)`, undefined);
        } else {
            add(`accounts[${i}].ou`, `an OU that a member baseline target covers (memberBaselines.targets: ${listedTargets}); otherwise the account gets no baseline`, coverage.ou);
        }
    }

    // Telemetry rules need the organization's telemetry evaluation; the two VPC sources share one rule.
    const telemetry = cfg.telemetry;
    const { vpcFlowLogs: flow, route53ResolverQueryLogs: resolver } = telemetry;
    if (flow.enabled && resolver.enabled && flow.selectionCriteria !== resolver.selectionCriteria) {
        addSaid("telemetry.route53ResolverQueryLogs.selectionCriteria", "the same selectionCriteria as telemetry.vpcFlowLogs (both are one telemetry rule for AWS::EC2::VPC)", resolver.selectionCriteria === undefined ? "none, while vpcFlowLogs has one" : describeValue(resolver.selectionCriteria));
    }
    if (!telemetry.enabled) {
        for (const [source, settings] of Object.entries(telemetry)) {
            if (typeof settings === "object" && settings.enabled) addSaid(`telemetry.${source}.enabled`, "false while telemetry.enabled is false (rules need the organization's telemetry evaluation)", "true");
        }
    }
    return problems;
}

function duplicates<T>(items: readonly T[]): T[] {
    const seen = new Set<T>();
    const dups = new Set<T>();
    for (const item of items) (seen.has(item) ? dups : seen).add(item);
    return [...dups];
}
