import { expect } from "chai";
import { isUserError, UserError } from "../../../lib/errors";
import {
    DEFAULT_ARCHIVE_RETENTION_DAYS,
    DEFAULT_LOG_GROUP_RETENTION_DAYS,
    DEFAULT_MEMBER_ROLE_NAME,
    DEFAULT_NAME_PREFIX,
    DEFAULT_PROTECT,
    DEFAULT_TRAIL_NAME,
    parseStackConfig,
} from "../../../lib/config";
import { displayPath } from "../../../lib/config/load";
import { minimalConfig, patched, toPulumiConfig, type ConfigObject } from "../../helpers/config";

const FILE = "Pulumi.test.yaml";

function parse(obj: ConfigObject) {
    return parseStackConfig(toPulumiConfig(obj), FILE);
}

function problemsOf(obj: ConfigObject): string[] {
    try {
        parse(obj);
    } catch (err) {
        expect(isUserError(err), `expected a UserError, got ${String(err)}`).to.equal(true);
        const e = err as UserError;
        expect(e.message).to.contain(`(fix in ${FILE})`);
        return e.message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
    }
    throw new Error("expected the configuration to be rejected");
}

describe("stack configuration", () => {
    describe("defaults (audit-grade, pinned)", () => {
        const cfg = parse(minimalConfig());

        it("assumes OrganizationAccountAccessRole in member accounts, with no external id", () => {
            expect(DEFAULT_MEMBER_ROLE_NAME).to.equal("OrganizationAccountAccessRole");
            expect(cfg.access.memberRoleName).to.equal("OrganizationAccountAccessRole");
            expect(cfg.access.externalId).to.equal(undefined);
            expect(cfg.access.deployRoleArns).to.deep.equal([]);
        });
        it("keeps CloudWatch Logs one year and the archive seven years", () => {
            expect(DEFAULT_LOG_GROUP_RETENTION_DAYS).to.equal(365);
            expect(DEFAULT_ARCHIVE_RETENTION_DAYS).to.equal(2557);
            expect(cfg.retention.logGroupDays).to.equal(365);
            expect(cfg.retention.archiveDays).to.equal(2557);
            expect(cfg.retention.objectLock).to.equal(undefined);
        });
        it("protects audit resources", () => {
            expect(DEFAULT_PROTECT).to.equal(true);
            expect(cfg.protect).to.equal(true);
        });
        it("creates a new organization trail with a single-Region key, no data events and no Insights", () => {
            expect(DEFAULT_TRAIL_NAME).to.equal("orgwatch-organization-trail");
            expect(cfg.trail).to.deep.equal({
                mode: "create",
                name: "orgwatch-organization-trail",
                dataEvents: { s3: false, lambda: false, dynamodb: false },
                insights: { apiCallRate: false, apiErrorRate: false },
                multiRegionKey: false,
            });
        });
        it("names resources with the orgwatch prefix and no extra tags", () => {
            expect(DEFAULT_NAME_PREFIX).to.equal("orgwatch");
            expect(cfg.namePrefix).to.equal("orgwatch");
            expect(cfg.tags).to.deep.equal({});
        });
        it("enables every CIS control and shares metrics, log groups and traces through OAM", () => {
            expect(cfg.alarms.controls).to.deep.equal({});
            expect(cfg.alarms.okActions).to.equal(false);
            expect(cfg.alarms.perAccountAttribution).to.equal(false);
            expect(cfg.centralLogs.oamResourceTypes).to.deep.equal(["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"]);
        });
        it("deploys member baselines to the whole organization, from the management account, all accounts at once", () => {
            expect(cfg.memberBaselines).to.deep.equal({
                targets: ["Root"],
                operationPreferences: { maxConcurrentPercentage: 100, failureTolerancePercentage: 10, regionConcurrencyType: "PARALLEL", concurrencyMode: "SOFT_FAILURE_TOLERANCE" },
            });
        });
        it("turns on telemetry evaluation and VPC flow logs (all traffic), and no other telemetry source", () => {
            expect(cfg.telemetry).to.deep.equal({
                enabled: true,
                vpcFlowLogs: { enabled: true, trafficType: "ALL", maxAggregationInterval: 600 },
                route53ResolverQueryLogs: { enabled: false },
                eksControlPlaneLogs: { enabled: false, logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"] },
                wafLogs: { enabled: false },
                elbAccessLogs: { enabled: false, outputFormat: "plain" },
                ec2DetailedMetrics: { enabled: false },
                mskEnhancedMonitoring: { enabled: false, level: "PER_BROKER" },
            });
        });
        it("ignores keys of other namespaces (aws:region)", () => {
            expect(parseStackConfig({ ...toPulumiConfig(minimalConfig()), "aws:profile": "x" }, FILE).regions.home).to.equal("eu-west-1");
        });
        it("ignores other programs' namespaces, and refuses only near misses of orgwatch's", () => {
            expect(() => parseStackConfig({ ...toPulumiConfig(minimalConfig()), "datadog:apiUrl": "x", "orgwatch-members:x": "y", "orgwatch2:x": "y", "orgwatcher:x": "y" }, FILE)).to.not.throw();
            for (const near of ["orgwach:protect", "orgwatc:protect", "Orgwatch:protect", "orgwtach:protect"]) {
                expect(() => parseStackConfig({ ...toPulumiConfig(minimalConfig()), [near]: "true" }, FILE), near).to.throw(/a key of the orgwatch namespace/);
            }
        });
        it("accepts tag keys AWS accepts (spaces, letters of any script, _.:/=+-@) and log group prefixes with #", () => {
            const cfg = parse(patched(minimalConfig(), { tags: { "cost center": "1", "équipe": "plateforme", "team:owner/x=y+z-@": "a" }, centralLogs: { logGroupPrefixes: ["/aws/lambda/", "app#1.prod_"] } }));
            expect(Object.keys(cfg.tags)).to.have.length(3);
            expect(cfg.centralLogs.logGroupPrefixes).to.deep.equal(["/aws/lambda/", "app#1.prod_"]);
        });
    });

    describe("valid options", () => {
        it("accepts adopt mode with a Control Tower log group prefix", () => {
            const cfg = parse(patched(minimalConfig(), { trail: { mode: "adopt", adopt: { logGroupNamePrefix: "aws-controltower/CloudTrailLogs" } } }));
            expect(cfg.trail.mode).to.equal("adopt");
            expect(cfg.trail.adopt).to.deep.equal({ logGroupNamePrefix: "aws-controltower/CloudTrailLogs" });
        });
        it("accepts Object Lock, Glacier transition and long retention together", () => {
            const cfg = parse(patched(minimalConfig(), { retention: { logGroupDays: 3653, archiveDays: 3653, transitionToGlacierDays: 90, objectLock: { mode: "COMPLIANCE", days: 3653 } } }));
            expect(cfg.retention.objectLock).to.deep.equal({ mode: "COMPLIANCE", days: 3653 });
        });
        it("accepts adopted and created member accounts", () => {
            const cfg = parse(patched(minimalConfig(), {
                organizationalUnits: ["Root/Workloads"],
                accounts: [{ name: "a", id: "444444444444" }, { name: "b", email: "b@example.com", ou: "Root/Workloads" }, { name: "c", email: "c@example.com", ou: "ou-ab12-cd34ef56" }],
            }));
            expect(cfg.accounts.map((a) => a.name)).to.deep.equal(["a", "b", "c"]);
        });
        it("turns every telemetry source off with telemetry.enabled: false alone", () => {
            const cfg = parse(patched(minimalConfig(), { telemetry: { enabled: false } }));
            for (const [source, settings] of Object.entries(cfg.telemetry)) if (typeof settings === "object") expect(settings.enabled, source).to.equal(false);
        });
        it("accepts baseline targets narrower than the root when every account's OU is covered", () => {
            const cfg = parse(patched(minimalConfig(), {
                organizationalUnits: ["Root/Workloads", "Root/Workloads/Prod"],
                memberBaselines: { targets: ["Root/Workloads", "ou-ab12-cd34ef56"], delegatedAdministratorAccountId: "444444444444" },
                accounts: [{ name: "a", id: "555555555555", ou: "Root/Workloads/Prod" }, { name: "b", email: "b@example.com", ou: "ou-ab12-cd34ef56" }, { name: "tools", id: "444444444444", ou: "Root/Workloads" }],
            }));
            expect(cfg.memberBaselines.targets).to.deep.equal(["Root/Workloads", "ou-ab12-cd34ef56"]);
        });
    });

    // Each case: a config mistake a user could make, and every line of the error it must produce.
    const invalid: Array<{ what: string; patch?: ConfigObject; config?: ConfigObject; expect: string[] }> = [
        {
            what: "a misspelled top-level key, with a suggestion",
            patch: { trial: { mode: "create" } },
            expect: ["orgwatch:trial: expected no such key (did you mean \"trail\"?); known keys here: organization, regions, access, namePrefix, tags, protect, trail, retention, alarms, centralLogs, guardrails, organizationalUnits, accounts, memberBaselines, telemetry; received a mapping with keys \"mode\""],
        },
        {
            what: "a misspelled nested key",
            patch: { retention: { logGroupDay: 30 } },
            expect: ["orgwatch:retention.logGroupDay: expected no such key (did you mean \"logGroupDays\"?); known keys here: logGroupDays, archiveDays, transitionToGlacierDays, objectLock; received number 30"],
        },
        {
            what: "a missing required section",
            config: { regions: { home: "eu-west-1", governed: ["eu-west-1"] } },
            expect: ["orgwatch:organization: expected a value of type object; received nothing (the key is missing)"],
        },
        {
            what: "an account id written as a YAML number",
            patch: { organization: { managementAccountId: 111111111111 } },
            expect: ["orgwatch:organization.managementAccountId: expected a 12-digit AWS account id as a quoted string (YAML reads unquoted digits as a number); received number 111111111111"],
        },
        {
            what: "an account id with 11 digits",
            patch: { organization: { logArchiveAccountId: "22222222222" } },
            expect: ["orgwatch:organization.logArchiveAccountId: expected a 12-digit AWS account id as a quoted string (YAML reads unquoted digits as a number); received \"22222222222\""],
        },
        {
            what: "an organization id without the o- form",
            patch: { organization: { id: "org-123" } },
            expect: ["orgwatch:organization.id: expected an organization id: \"o-\" followed by 10 to 32 lowercase letters or digits; received \"org-123\""],
        },
        {
            what: "a Region that does not exist",
            patch: { regions: { home: "eu-west-9", governed: ["eu-west-9"] } },
            expect: [
                "orgwatch:regions.home: expected an AWS Region name such as \"eu-west-1\"; received \"eu-west-9\"",
                "orgwatch:regions.governed[0]: expected an AWS Region name such as \"eu-west-1\"; received \"eu-west-9\"",
            ],
        },
        {
            what: "a home Region that is not governed",
            patch: { regions: { home: "us-east-1", governed: ["eu-west-1"] } },
            expect: ["orgwatch:regions.governed: expected a list that includes the home Region \"us-east-1\"; received [eu-west-1]"],
        },
        {
            what: "a Region listed twice",
            patch: { regions: { governed: ["eu-west-1", "eu-west-1"] } },
            expect: ["orgwatch:regions.governed: expected each Region once; received \"eu-west-1\" more than once"],
        },
        {
            what: "Regions of two partitions",
            patch: { regions: { governed: ["eu-west-1", "cn-north-1"] } },
            expect: ["orgwatch:regions: expected Regions of one partition (aws, aws-cn or aws-us-gov); received Regions of aws and aws-cn"],
        },
        {
            what: "an empty governed list",
            patch: { regions: { governed: [] } },
            expect: ["orgwatch:regions.governed: expected at least one Region; received a list of 0 items"],
        },
        {
            what: "a log retention CloudWatch Logs does not accept",
            patch: { retention: { logGroupDays: 100 } },
            expect: ["orgwatch:retention.logGroupDays: expected a CloudWatch Logs retention in days, one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653; received number 100"],
        },
        {
            what: "an archive shorter than the log group retention",
            patch: { retention: { logGroupDays: 731, archiveDays: 400 } },
            expect: ["orgwatch:retention.archiveDays: expected at least retention.logGroupDays (731): the archive must keep logs as long as CloudWatch Logs does; received number 400"],
        },
        {
            what: "an Object Lock longer than the archive",
            patch: { retention: { archiveDays: 400, objectLock: { mode: "COMPLIANCE", days: 500 } } },
            expect: ["orgwatch:retention.objectLock.days: expected at most retention.archiveDays (400): lifecycle expiry cannot delete locked objects; received number 500"],
        },
        {
            what: "an Object Lock mode that does not exist",
            patch: { retention: { objectLock: { mode: "STRICT", days: 30 } } },
            expect: ["orgwatch:retention.objectLock.mode: expected \"GOVERNANCE\" or \"COMPLIANCE\"; received \"STRICT\""],
        },
        {
            what: "a Glacier transition after expiry",
            patch: { retention: { archiveDays: 365, transitionToGlacierDays: 400 } },
            expect: ["orgwatch:retention.transitionToGlacierDays: expected fewer days than retention.archiveDays (365); received number 400"],
        },
        {
            what: "the log-archive account equal to the management account",
            patch: { organization: { logArchiveAccountId: "111111111111" } },
            expect: ["orgwatch:organization.logArchiveAccountId: expected an account other than the management account (logs must survive a compromised management account); received \"111111111111\""],
        },
        {
            what: "the monitoring account equal to the log-archive account",
            patch: { organization: { monitoringAccountId: "222222222222" } },
            expect: ["orgwatch:organization.monitoringAccountId: expected an account other than the log-archive account (the archive stays write-only for everyone else); received \"222222222222\""],
        },
        {
            what: "adopt mode without the log group to adopt",
            patch: { trail: { mode: "adopt" } },
            expect: ["orgwatch:trail.adopt: expected with mode \"adopt\": the existing log group, { logGroupNamePrefix: \"aws-controltower/CloudTrailLogs\" } or { logGroupName: ... }; received nothing (the key is missing)"],
        },
        {
            what: "adopt mode with data events and Insights",
            patch: { trail: { mode: "adopt", adopt: { logGroupName: "x" }, dataEvents: { s3: true }, insights: { apiCallRate: true } } },
            expect: [
                "orgwatch:trail.dataEvents: expected with mode \"adopt\": no data events (orgwatch does not change an adopted trail); received data events turned on",
                "orgwatch:trail.insights: expected with mode \"adopt\": no Insights (orgwatch does not change an adopted trail); received Insights turned on",
            ],
        },
        {
            what: "both a log group name and a prefix to adopt",
            patch: { trail: { mode: "adopt", adopt: { logGroupName: "a", logGroupNamePrefix: "b" } } },
            expect: ["orgwatch:trail.adopt: expected exactly one of logGroupName or logGroupNamePrefix; received a mapping with keys \"logGroupName\", \"logGroupNamePrefix\""],
        },
        {
            what: "an unknown trail mode",
            patch: { trail: { mode: "import" } },
            expect: ["orgwatch:trail.mode: expected \"create\" or \"adopt\"; received \"import\""],
        },
        {
            what: "a data-event flag given as a string",
            patch: { trail: { dataEvents: { s3: "yes" } } },
            expect: ["orgwatch:trail.dataEvents.s3: expected a value of type boolean; received \"yes\""],
        },
        {
            what: "a name prefix with capitals",
            patch: { namePrefix: "OrgWatch" },
            expect: ["orgwatch:namePrefix: expected 3-20 characters: lowercase letters, digits and hyphens, starting with a letter (it is part of S3 bucket names); received \"OrgWatch\""],
        },
        {
            what: "a malformed deploy role ARN",
            patch: { access: { deployRoleArns: ["arn:aws:iam::123:role/x"] } },
            expect: ["orgwatch:access.deployRoleArns[0]: expected an IAM role ARN such as \"arn:aws:iam::111122223333:role/Deploy\"; received \"arn:aws:iam::123:role/x\""],
        },
        {
            what: "an external id is never echoed",
            patch: { access: { externalId: "x" } },
            expect: ["orgwatch:access.externalId: expected at least 2 character(s); received a value (not shown: it may be secret)"],
        },
        {
            what: "a subscription with a bad email and an http endpoint",
            patch: { alarms: { subscriptions: [{ protocol: "email", endpoint: "security" }, { protocol: "https", endpoint: "http://example.com/hook" }] } },
            expect: [
                "orgwatch:alarms.subscriptions[0].endpoint: expected an email address; received \"security\"",
                "orgwatch:alarms.subscriptions[1].endpoint: expected an https:// URL; received \"http://example.com/hook\"",
            ],
        },
        {
            what: "a subscription protocol SNS does not offer here",
            patch: { alarms: { subscriptions: [{ protocol: "sms", endpoint: "+100000" }] } },
            expect: ["orgwatch:alarms.subscriptions[0].protocol: expected a subscription with protocol \"email\", \"https\", \"sqs\" or \"lambda\"; received \"sms\""],
        },
        {
            what: "datapoints to alarm above evaluation periods",
            patch: { alarms: { controls: { "root-account-usage": { evaluationPeriods: 1, datapointsToAlarm: 3 } } } },
            expect: ["orgwatch:alarms.controls.root-account-usage.datapointsToAlarm: expected at most evaluationPeriods (1); received number 3"],
        },
        {
            what: "member accounts that clash with each other and with core accounts",
            patch: {
                accounts: [
                    { name: "payments", id: "444444444444" },
                    { name: "Payments", id: "444444444444" },
                    { name: "audit", id: "222222222222" },
                ],
            },
            expect: [
                "orgwatch:accounts[1].name: expected a name not used by accounts[0]; received \"Payments\"",
                "orgwatch:accounts[1].id: expected an id not used by accounts[0]; received \"444444444444\"",
                "orgwatch:accounts[2].id: expected a member account, not the log-archive account; received \"222222222222\"",
            ],
        },
        {
            what: "a new account with a bad email, an unknown OU and a duplicate email",
            patch: {
                organizationalUnits: ["Root/Workloads"],
                accounts: [
                    { name: "a", email: "not-an-email", ou: "Root/Workloads" },
                    { name: "b", email: "b@example.com", ou: "Root/Workload" },
                    { name: "c", email: "B@example.com", ou: "Root/Workloads" },
                ],
            },
            expect: [
                "orgwatch:accounts[0].email: expected an email address such as \"aws+team@example.com\"; received \"not-an-email\"",
            ],
        },
        {
            what: "a new account in an OU that is not declared, and a duplicate email",
            patch: {
                organizationalUnits: ["Root/Workloads"],
                accounts: [
                    { name: "b", email: "b@example.com", ou: "Root/Workload" },
                    { name: "c", email: "B@example.com", ou: "Root/Workloads" },
                ],
            },
            expect: [
                "orgwatch:accounts[0].ou: expected an OU path listed under orgwatch:organizationalUnits (\"Root/Workloads\"); received \"Root/Workload\"",
                "orgwatch:accounts[1].email: expected an email not used by accounts[0]; received \"B@example.com\"",
            ],
        },
        {
            what: "an account with both id and email, and one with neither",
            patch: { accounts: [{ name: "a", id: "444444444444", email: "a@example.com" }, { name: "b" }] },
            expect: [
                "orgwatch:accounts[0].email: expected no email for an adopted account (id is set); email only applies when orgwatch creates the account; received \"a@example.com\"",
                "orgwatch:accounts[1].id: expected either id (adopt an existing account) or email and ou (create one); received nothing (the key is missing)",
            ],
        },
        {
            what: "an OU whose parent is not declared",
            patch: { organizationalUnits: ["Root/Workloads/Prod"] },
            expect: ["orgwatch:organizationalUnits[0]: expected a path whose parent \"Root/Workloads\" is also listed; received \"Root/Workloads/Prod\""],
        },
        {
            what: "a guardrail target that is not a declared OU",
            patch: { organizationalUnits: ["Root/Workloads"], guardrails: { targets: ["Root/Workloads", "Root/Sandbox"] } },
            expect: ["orgwatch:guardrails.targets[1]: expected \"Root\" or an OU path listed under orgwatch:organizationalUnits; received \"Root/Sandbox\""],
        },
        {
            what: "protect given as a string",
            patch: { protect: "yes" },
            expect: ["orgwatch:protect: expected true or false; received \"yes\""],
        },
        {
            what: "several independent mistakes reported together",
            patch: { organization: { id: "x" }, regions: { home: "mars-1" }, namePrefix: "-" },
            expect: [
                "orgwatch:organization.id: expected an organization id: \"o-\" followed by 10 to 32 lowercase letters or digits; received \"x\"",
                "orgwatch:regions.home: expected an AWS Region name such as \"eu-west-1\"; received \"mars-1\"",
                "orgwatch:namePrefix: expected 3-20 characters: lowercase letters, digits and hyphens, starting with a letter (it is part of S3 bucket names); received \"-\"",
            ],
        },
        {
            what: "settings of the removed shard layout, each with what replaced it",
            config: { ...minimalConfig(), shard: { organizationStack: "acme/orgwatch/prod", name: "x" }, memberBaselines: { shards: { x: { ous: [] } } }, accounts: [{ name: "a", id: "444444444444", shard: "x" }] },
            expect: [
                "orgwatch:shard: expected no shard stacks: member baselines are deployed by one StackSet from the organization stack (docs/scaling.md, \"Moving from per-account links\"); remove this stack; received a setting of a removed design",
                "orgwatch:memberBaselines.shards: expected no shards: member baselines are deployed by one StackSet; use memberBaselines.targets (the OUs it deploys to, default [\"Root\"]) and see docs/scaling.md; received a setting of a removed design",
                "orgwatch:accounts[0].shard: expected no shard: every member's baseline comes from the member baseline StackSet (docs/scaling.md); received a setting of a removed design",
            ],
        },
        {
            what: "baseline targets that are undeclared, overlapping or repeated, and a delegated administrator that is the management account",
            patch: { organizationalUnits: ["Root/Workloads", "Root/Workloads/Prod"], memberBaselines: { targets: ["Root/Workloads", "Root/Workloads/Prod", "Root/Sandbox", "ou-ab12-cd34ef56", "ou-ab12-cd34ef56"], delegatedAdministratorAccountId: "111111111111" } },
            expect: [
                "orgwatch:memberBaselines.targets[1]: expected a target no other target covers (\"Root/Workloads\" covers it already); received \"Root/Workloads/Prod\"",
                "orgwatch:memberBaselines.targets[2]: expected \"Root\", an OU path listed under orgwatch:organizationalUnits, or an OU id; received \"Root/Sandbox\"",
                "orgwatch:memberBaselines.targets: expected each target once; received \"ou-ab12-cd34ef56\" more than once",
                "orgwatch:memberBaselines.delegatedAdministratorAccountId: expected a member account (the management account administers the StackSet when this key is absent); received \"111111111111\"",
            ],
        },
        {
            what: "a delegated administrator the config does not know (a mistyped id would register another account of the organization)",
            patch: { accounts: [{ name: "a", id: "444444444444" }], memberBaselines: { delegatedAdministratorAccountId: "999999999999" } },
            expect: ["orgwatch:memberBaselines.delegatedAdministratorAccountId: expected the monitoring account, the log-archive account, or an account declared under orgwatch:accounts with this id; received \"999999999999\""],
        },
        {
            what: "baseline targets given as one string instead of a list",
            patch: { memberBaselines: { targets: "Root/Sandbox" } },
            expect: ["orgwatch:memberBaselines.targets: expected a list of targets such as [Root] (\"Root\", OU paths or OU ids); received \"Root/Sandbox\""],
        },
        {
            what: "accounts no baseline target covers: an adopted account of unknown OU, a created one outside the targets, one in an OU given by id",
            patch: {
                organizationalUnits: ["Root/Workloads", "Root/Sandbox"],
                memberBaselines: { targets: ["Root/Workloads"] },
                accounts: [{ name: "a", id: "444444444444" }, { name: "b", email: "b@example.com", ou: "Root/Sandbox" }, { name: "c", id: "555555555555", ou: "ou-ab12-cd34ef56" }, { name: "d", id: "666666666666", ou: "Root/Workloads" }],
            },
            expect: [
                "orgwatch:accounts[0].ou: expected the OU this adopted account is in (memberBaselines.targets, \"Root/Workloads\", does not include \"Root\", so orgwatch must know the OU to tell whether a target covers the account); received nothing (the key is missing)",
                "orgwatch:accounts[1].ou: expected an OU that a member baseline target covers (memberBaselines.targets: \"Root/Workloads\"); otherwise the account gets no baseline; received \"Root/Sandbox\"",
                "orgwatch:accounts[2].ou: expected an OU that a member baseline target covers (memberBaselines.targets: \"Root/Workloads\"); otherwise the account gets no baseline; received \"ou-ab12-cd34ef56\"",
            ],
        },
        {
            what: "more baseline targets than a StackSet operation takes",
            patch: { memberBaselines: { targets: Array.from({ length: 51 }, (_, i) => `ou-ab12-${String(i).padStart(8, "0")}`) } },
            expect: ["orgwatch:memberBaselines.targets: expected at most 50 targets (a StackSet operation takes at most 50 OUs; target a parent OU instead of its children); received a list of 51 items"],
        },
        {
            what: "operation preferences out of range",
            patch: { memberBaselines: { operationPreferences: { maxConcurrentPercentage: 0, failureTolerancePercentage: 101, regionConcurrencyType: "ALL", concurrencyMode: "STRICT" } } },
            expect: [
                "orgwatch:memberBaselines.operationPreferences.maxConcurrentPercentage: expected a whole percentage from 1 to 100; received number 0",
                "orgwatch:memberBaselines.operationPreferences.failureTolerancePercentage: expected a whole percentage from 0 to 100; received number 101",
                "orgwatch:memberBaselines.operationPreferences.regionConcurrencyType: expected \"PARALLEL\" or \"SEQUENTIAL\"; received \"ALL\"",
                "orgwatch:memberBaselines.operationPreferences.concurrencyMode: expected \"SOFT_FAILURE_TOLERANCE\" or \"STRICT_FAILURE_TOLERANCE\"; received \"STRICT\"",
            ],
        },
        {
            what: "telemetry rules turned on explicitly without the organization's telemetry evaluation",
            patch: { telemetry: { enabled: false, wafLogs: { enabled: true }, route53ResolverQueryLogs: { enabled: true } } },
            expect: [
                "orgwatch:telemetry.route53ResolverQueryLogs.enabled: expected false while telemetry.enabled is false (rules need the organization's telemetry evaluation); received true",
                "orgwatch:telemetry.wafLogs.enabled: expected false while telemetry.enabled is false (rules need the organization's telemetry evaluation); received true",
            ],
        },
        {
            what: "the two VPC telemetry sources (one rule) with different selections",
            patch: { telemetry: { route53ResolverQueryLogs: { enabled: true, selectionCriteria: "ResourceTags.env = 'prod'" } } },
            expect: [
                "orgwatch:telemetry.route53ResolverQueryLogs.selectionCriteria: expected the same selectionCriteria as telemetry.vpcFlowLogs (both are one telemetry rule for AWS::EC2::VPC); received \"ResourceTags.env = 'prod'\"",
            ],
        },
        {
            what: "telemetry settings of the wrong kind",
            patch: { telemetry: { vpcFlowLogs: { trafficType: "SOME", maxAggregationInterval: 300 }, elbAccessLogs: { enabled: true, outputFormat: "plain-text" }, eksControlPlaneLogs: { enabled: true, logTypes: ["api", "kubelet"] } } },
            expect: [
                "orgwatch:telemetry.vpcFlowLogs.trafficType: expected \"ALL\", \"ACCEPT\" or \"REJECT\"; received \"SOME\"",
                "orgwatch:telemetry.vpcFlowLogs.maxAggregationInterval: expected 60 or 600 seconds; received number 300",
                "orgwatch:telemetry.eksControlPlaneLogs.logTypes[1]: expected one of api, audit, authenticator, controllerManager, scheduler; received \"kubelet\"",
                "orgwatch:telemetry.elbAccessLogs.outputFormat: expected \"plain\" or \"json\"; received \"plain-text\"",
            ],
        },
    ];

    describe(`rejects invalid configurations (${invalid.length} cases), listing every problem`, () => {
        for (const c of invalid) {
            it(c.what, () => {
                const config = c.config ?? patched(minimalConfig(), c.patch ?? {});
                expect(problemsOf(config)).to.deep.equal(c.expect);
            });
        }
    });

    it("reports a user error without a stack trace in its message", () => {
        try {
            parse(patched(minimalConfig(), { namePrefix: "X" }));
            expect.fail("should throw");
        } catch (err) {
            expect((err as Error).message).not.to.match(/\n\s+at /);
            expect((err as UserError).problems).to.have.length(1);
            expect((err as UserError).file).to.equal(FILE);
        }
    });

    it("names the stack file relative to the working directory when it lies inside it, else by its absolute path", () => {
        expect(displayPath("/work/repo/Pulumi.prod.yaml", "/work/repo")).to.equal("Pulumi.prod.yaml");
        expect(displayPath("stacks/Pulumi.prod.yaml", "/work/repo")).to.equal("stacks/Pulumi.prod.yaml");
        expect(displayPath("/tmp/review/bad/x.yaml", "/work/repo/sub")).to.equal("/tmp/review/bad/x.yaml");
        expect(displayPath("../other/Pulumi.dev.yaml", "/work/repo")).to.equal("/work/other/Pulumi.dev.yaml");
        expect(displayPath("/work/repo/..x/Pulumi.dev.yaml", "/work/repo")).to.equal("..x/Pulumi.dev.yaml");
    });
});
