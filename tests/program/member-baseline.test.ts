import { expect } from "chai";
import { isDeepStrictEqual } from "util";
import { generatedConfig } from "../../bench/config";
import { PACKAGE_ROOT, synthesize } from "../../lib/synth/synthesize";
import type { SynthResource, SynthResult } from "../../lib/synth/types";
import { baselineCoverageLines } from "../../lib/baseline/summary";
import { LINK_LOGICAL_ID, PLACEHOLDER_LOGICAL_ID, type CloudFormationTemplate } from "../../lib/baseline/template";
import { cfnPropertyErrors } from "../helpers/cfn-spec";
import { stackOf } from "../helpers/cfn-template";
import { minimalConfig, patched, type ConfigObject } from "../helpers/config";
import { ofType, one, synthConfig, synthStack } from "../helpers/program";

/**
 * Member baselines at organization scale: one service-managed StackSet deployed by AWS to the target OUs, a
 * constant set of explicit providers whatever the number of members, and organization telemetry rules. The
 * expectations are the contract and AWS's documented StackSet and telemetry semantics; the telemetry
 * rules are also validated against AWS's published CloudFormation schema of the same API
 * (AWS::ObservabilityAdmin::OrganizationTelemetryRule).
 */

const STACK_SET = "aws:cloudformation/stackSet:StackSet";
const INSTANCE = "aws:cloudformation/stackSetInstance:StackSetInstance";
const PROVIDER = "pulumi:providers:aws";
const ACCOUNT = "aws:organizations/account:Account";
const RULE = "aws:observabilityadmin/telemetryRuleForOrganization:TelemetryRuleForOrganization";
const EVALUATION = "aws:observabilityadmin/telemetryEvaluationForOrganization:TelemetryEvaluationForOrganization";
const DELEGATED = "aws:organizations/delegatedAdministrator:DelegatedAdministrator";

// Pulumi.prod.yaml, read by the reader of this test.
const PROD = { org: "o-k7x2m9q4w1", mgmt: "210987654321", logArchive: "310987654321", monitoring: "410987654321", regions: ["eu-central-1", "eu-west-1", "us-east-1"] };
const MIN = { mgmt: "111111111111", logArchive: "222222222222", monitoring: "333333333333" };

/** The explicit AWS providers of a synth, as the accounts they are pinned to. */
function providerAccounts(result: SynthResult): string[] {
    return ofType(result, PROVIDER).map((p) => String(p.account)).sort();
}

describe("program: member baselines through a service-managed StackSet", function () {
    this.timeout(120_000);
    let prod: SynthResult;
    before(async () => {
        prod = await synthStack("prod");
    });

    describe("prod", () => {
        it("has one service-managed StackSet with automatic deployment and managed execution, administered from the management account", () => {
            const set = one(prod, STACK_SET);
            expect(set.account).to.equal(PROD.mgmt);
            expect(set.region).to.equal("eu-central-1");
            expect(set.inputs).to.deep.include({
                name: "orgwatch-member-baseline",
                permissionModel: "SERVICE_MANAGED",
                autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
                managedExecution: { active: true },
                callAs: "SELF",
            });
            // Service-managed StackSets take neither an administration role nor an execution role name.
            expect(set.inputs).to.not.have.any.keys("administrationRoleArn", "executionRoleName");
            expect(set.protect).to.equal(true);
        });

        it("has one StackSet instance per governed Region for its one target, the organization root, leaving out the monitoring and log-archive accounts", () => {
            const instances = ofType(prod, INSTANCE);
            expect(instances.map((i) => i.inputs.stackSetInstanceRegion).sort()).to.deep.equal(PROD.regions);
            expect(instances.map((i) => i.name).sort()).to.deep.equal(PROD.regions.map((r) => `member-baseline-root-${r}`));
            const root = one(prod, "aws:organizations/policyAttachment:PolicyAttachment").inputs.targetId;
            for (const instance of instances) {
                expect(instance.inputs.deploymentTargets).to.deep.equal({
                    organizationalUnitIds: [root],
                    // The monitoring account owns the sinks; the log-archive account keeps its own link.
                    accounts: [PROD.logArchive, PROD.monitoring],
                    accountFilterType: "DIFFERENCE",
                });
                // Automatic deployment gives later accounts the StackSet's values, never an instance's overrides.
                expect(instance.inputs).to.not.have.property("parameterOverrides");
                expect(instance.inputs).to.include({ stackSetName: "orgwatch-member-baseline", callAs: "SELF", retainStack: false });
                expect(instance.account).to.equal(PROD.mgmt);
                // OAM refuses links to a sink whose policy does not admit the account yet: the instance waits for the
                // StackSet, whose template holds the sinks read through their policies.
                expect(instance.dependsOn).to.include(one(prod, STACK_SET).urn);
                expect(instance.protect).to.equal(true);
                // Never updated in place (the provider cannot update OU-targeted instances): created or deleted only.
                expect(instance.ignoreChanges).to.deep.equal(["deploymentTargets", "operationPreferences"]);
            }
        });

        // The guardrail SCP protects links by this tag, and only links carrying it (docs/SECURITY.md).
        it("tags every link orgwatch creates orgwatch:baseline=link: the management and log-archive accounts' own links and the StackSet template's", () => {
            const links = ofType(prod, "aws:oam/link:Link");
            expect(links.map((l) => String(l.account)).sort()).to.deep.equal([...PROD.regions.map(() => PROD.mgmt), ...PROD.regions.map(() => PROD.logArchive)].sort());
            for (const link of links) expect(link.inputs.tags, link.name).to.deep.equal({ "orgwatch:baseline": "link" });
            const template = JSON.parse(String(one(prod, STACK_SET).inputs.templateBody)) as CloudFormationTemplate;
            expect(template.Resources[LINK_LOGICAL_ID].Properties?.Tags).to.deep.equal({ "orgwatch:baseline": "link" });
            const scp = JSON.parse(String(one(prod, "aws:organizations/policy:Policy").inputs.content)) as { Statement: { Sid: string; Resource?: unknown; Condition?: unknown }[] };
            const linkStatement = scp.Statement.find((st) => st.Sid === "DenyLinkChanges");
            expect(linkStatement?.Resource).to.equal("arn:aws:oam:*:*:link/*");
            expect(linkStatement?.Condition).to.have.deep.property("Null", { "aws:ResourceTag/orgwatch:baseline": "false" });
        });

        it("its template gives an account in any target OU, now or joining later, a link to the sink of each governed Region, and the excluded accounts none", () => {
            const template = JSON.parse(String(one(prod, STACK_SET).inputs.templateBody)) as CloudFormationTemplate;
            expect(one(prod, STACK_SET).inputs).to.not.have.property("parameters");
            for (const policy of ofType(prod, "aws:oam/sinkPolicy:SinkPolicy")) expect(one(prod, STACK_SET).dependsOn).to.include(policy.urn);
            for (const sink of ofType(prod, "aws:oam/sink:Sink")) {
                const region = String(sink.region);
                const stack = stackOf(template, "999988887777", region);
                expect(Object.values(stack).map((r) => (r.Properties as { SinkIdentifier?: string }).SinkIdentifier), region).to.deep.equal([sink.outputs.arn]);
                for (const excluded of [PROD.monitoring, PROD.logArchive]) {
                    expect(Object.values(stackOf(template, excluded, region)).map((r) => r.Type)).to.deep.equal(["AWS::CloudFormation::WaitConditionHandle"]);
                }
            }
        });

        it("rolls out with the default operation preferences (all accounts at once, 10% failure tolerance, Regions in parallel)", () => {
            for (const instance of ofType(prod, INSTANCE)) {
                expect(instance.inputs.operationPreferences).to.deep.equal({ maxConcurrentPercentage: 100, failureTolerancePercentage: 10, regionConcurrencyType: "PARALLEL", concurrencyMode: "SOFT_FAILURE_TOLERANCE" });
            }
        });

        it("keeps direct links only where StackSets do not reach: the management account (never a target) and the log-archive account", () => {
            const links = ofType(prod, "aws:oam/link:Link");
            expect([...new Set(links.map((l) => l.account))].sort()).to.deep.equal([PROD.mgmt, PROD.logArchive]);
            expect(links).to.have.length(2 * PROD.regions.length);
        });

        it("has exactly the explicit providers of the accounts orgwatch writes into: management, log archive, monitoring", () => {
            expect(providerAccounts(prod)).to.deep.equal([PROD.mgmt, PROD.logArchive, PROD.monitoring]);
        });

        it("exports which target covers which declared account", () => {
            const exported = prod.outputs.memberBaseline as { stackSetName: string; regions: string[]; coverage: Record<string, string[]> };
            expect(exported.stackSetName).to.equal("orgwatch-member-baseline");
            expect(exported.regions).to.deep.equal(PROD.regions);
            expect(Object.keys(exported.coverage)).to.deep.equal(["Root"]);
            expect(exported.coverage.Root).to.have.length(12);
            // The summary the offline commands print names who administers the StackSet.
            expect(prod.outputs.memberBaseline).to.deep.include({ administrator: { accountId: PROD.mgmt, callAs: "SELF" } });
            expect(baselineCoverageLines(prod.outputs)[0]).to.equal(`Member baselines: StackSet orgwatch-member-baseline administered from the management account ${PROD.mgmt}, an instance per target and Region (${PROD.regions.join(", ")}); declared accounts by target:`);
        });

        it("turns VPC flow logs on for the whole organization with a telemetry rule in every governed Region (retention from orgwatch:retention)", () => {
            const evaluation = one(prod, EVALUATION);
            expect(evaluation.account).to.equal(PROD.mgmt);
            expect(evaluation.inputs.regions).to.deep.equal(["eu-west-1", "us-east-1"]);
            const rule = one(prod, RULE, "-vpc");
            expect(rule.account).to.equal(PROD.mgmt);
            expect(rule.dependsOn).to.include(evaluation.urn);
            expect(rule.inputs.ruleName).to.equal("orgwatch-vpc");
            const spec = rule.inputs.rule as Record<string, unknown>;
            expect(spec).to.deep.include({
                resourceType: "AWS::EC2::VPC",
                telemetryType: "Logs",
                telemetrySourceTypes: ["VPC_FLOW_LOGS"],
                scope: `OrganizationId = '${PROD.org}'`,
                regions: PROD.regions,
            });
            expect(spec.destinationConfiguration).to.deep.include({ destinationType: "cloud-watch-logs", retentionInDays: 731, vpcFlowLogParameters: { trafficType: "ALL", maxAggregationInterval: 600 } });
            expect(cfnPropertyErrors("AWS::ObservabilityAdmin::OrganizationTelemetryRule", { RuleName: rule.inputs.ruleName, Rule: spec }, "case-insensitive")).to.deep.equal([]);
        });

        it("turns on the EKS control plane log types prod asks for, and no other rule", () => {
            expect(ofType(prod, RULE).map((r) => r.inputs.ruleName).sort()).to.deep.equal(["orgwatch-eks", "orgwatch-vpc"]);
            const spec = one(prod, RULE, "-eks").inputs.rule as Record<string, unknown>;
            expect(spec).to.deep.include({ resourceType: "AWS::EKS::Cluster", telemetrySourceTypes: ["EKS_API_LOGS", "EKS_AUDIT_LOGS", "EKS_AUTHENTICATOR_LOGS"] });
            expect(cfnPropertyErrors("AWS::ObservabilityAdmin::OrganizationTelemetryRule", { RuleName: "orgwatch-eks", Rule: spec }, "case-insensitive")).to.deep.equal([]);
        });
    });

    describe("options", () => {
        const base = (patch: ConfigObject): ConfigObject =>
            patched(minimalConfig(), { organizationalUnits: ["Root/Workloads", "Root/Workloads/Prod", "Root/Sandbox"], accounts: [{ name: "app", id: "500000000001", ou: "Root/Workloads/Prod" }], ...patch });

        it("targets declared OUs and OU ids: one instance per target and Region deploying to exactly that OU; the telemetry rules are scoped to them", async () => {
            const r = await synthConfig(base({ memberBaselines: { targets: ["Root/Workloads", "ou-ab12-cd34ef56"] } }));
            const ou = ofType(r, "aws:organizations/organizationalUnit:OrganizationalUnit").find((o) => o.inputs.name === "Workloads") as SynthResource;
            const byName = Object.fromEntries(ofType(r, INSTANCE).map((i) => [i.name, (i.inputs.deploymentTargets as { organizationalUnitIds: string[] }).organizationalUnitIds]));
            expect(byName).to.deep.equal({
                "member-baseline-root-workloads-eu-west-1": [ou.id],
                "member-baseline-root-workloads-eu-central-1": [ou.id],
                "member-baseline-ou-ab12-cd34ef56-eu-west-1": ["ou-ab12-cd34ef56"],
                "member-baseline-ou-ab12-cd34ef56-eu-central-1": ["ou-ab12-cd34ef56"],
            });
            const scope = (one(r, RULE).inputs.rule as { scope: string }).scope;
            expect(scope).to.equal([ou.id, "ou-ab12-cd34ef56"].sort().map((id) => `OrganizationUnitId = '${id}'`).join(" OR "));
        });

        it("adding a target adds only its instances; every other resource keeps its inputs", async () => {
            const one_ = await synthConfig(base({ memberBaselines: { targets: ["Root/Workloads"] } }));
            const two = await synthConfig(base({ memberBaselines: { targets: ["Root/Workloads", "Root/Sandbox"] } }));
            const before = new Map(one_.resources.map((x) => [x.urn, x]));
            const added = two.resources.filter((x) => !before.has(x.urn)).map((x) => x.name).sort();
            expect(added).to.deep.equal(["member-baseline-root-sandbox-eu-central-1", "member-baseline-root-sandbox-eu-west-1"]);
            expect(one_.resources.filter((x) => !two.resources.some((y) => y.urn === x.urn))).to.deep.equal([]);
            // The telemetry rules follow the targets; nothing else changes.
            const changed = two.resources.filter((x) => before.has(x.urn) && !isDeepStrictEqual(x.inputs, before.get(x.urn)?.inputs)).map((x) => x.type);
            expect([...new Set(changed)]).to.deep.equal([RULE]);
        });

        it("a delegated administrator in a member account: registered in the management account, one more provider, callAs DELEGATED_ADMIN", async () => {
            const admin = "500000000777";
            const r = await synthConfig(base({ accounts: [{ name: "app", id: "500000000001", ou: "Root/Workloads/Prod" }, { name: "tools", id: admin, ou: "Root/Workloads" }], memberBaselines: { delegatedAdministratorAccountId: admin } }));
            expect(r.outputs.memberBaseline).to.deep.include({ administrator: { accountId: admin, callAs: "DELEGATED_ADMIN" } });
            expect(baselineCoverageLines(r.outputs)[0]).to.include(`administered from the delegated administrator ${admin} (callAs DELEGATED_ADMIN)`);
            const registration = ofType(r, DELEGATED).find((d) => d.inputs.servicePrincipal === "member.org.stacksets.cloudformation.amazonaws.com") as SynthResource;
            expect(registration.account).to.equal(MIN.mgmt);
            expect(registration.inputs.accountId).to.equal(admin);
            const set = one(r, STACK_SET);
            expect(set.account).to.equal(admin);
            expect(set.inputs.callAs).to.equal("DELEGATED_ADMIN");
            expect(set.dependsOn).to.include(registration.urn);
            for (const instance of ofType(r, INSTANCE)) {
                expect(instance.account).to.equal(admin);
                expect(instance.inputs.callAs).to.equal("DELEGATED_ADMIN");
            }
            expect(providerAccounts(r)).to.deep.equal([MIN.mgmt, MIN.logArchive, MIN.monitoring, admin].sort());
        });

        it("removing a governed Region: the StackSet update turns the Region's stacks into the placeholder, and its instances are deleted before its sink", async () => {
            // Reasoning, written down first. The engine runs the StackSet's update before deleting what the program no
            // longer declares (pulumi/pulumi#9979), and deletes in reverse dependency order. UpdateStackSet updates
            // every existing stack, the removed Region's too: those must succeed and drop their links. The instances
            // (and their stacks) must go before the Region's sink, which OAM does not delete while links to it exist.
            const before = await synthConfig(base({}));
            const after = await synthConfig(base({ regions: { home: "eu-west-1", governed: ["eu-west-1"] } }));
            const now = new Set(after.resources.map((x) => x.urn));
            const removed = before.resources.filter((x) => !now.has(x.urn));
            expect(removed.filter((x) => x.type === INSTANCE).map((x) => x.name)).to.deep.equal(["member-baseline-root-eu-central-1"]);
            // Only what lives in the removed Region goes: its sink and sink policy, the direct links there, its instance.
            expect(removed.map((x) => (x.type === INSTANCE ? x.inputs.stackSetInstanceRegion : x.region))).to.deep.equal(removed.map(() => "eu-central-1"));
            expect(removed.map((x) => x.type).sort()).to.deep.equal([INSTANCE, "aws:oam/link:Link", "aws:oam/link:Link", "aws:oam/sink:Sink", "aws:oam/sinkPolicy:SinkPolicy"]);
            const sink = ofType(before, "aws:oam/sink:Sink").find((x) => x.region === "eu-central-1") as SynthResource;
            const sinkPolicy = ofType(before, "aws:oam/sinkPolicy:SinkPolicy").find((x) => x.region === "eu-central-1") as SynthResource;
            expect(removed.map((x) => x.urn)).to.include.members([sink.urn, sinkPolicy.urn]);
            expect(sinkPolicy.dependsOn).to.include(sink.urn);
            for (const instance of ofType(before, INSTANCE).filter((x) => x.inputs.stackSetInstanceRegion === "eu-central-1")) {
                expect(removed.map((x) => x.urn)).to.include(instance.urn);
                expect(instance.dependsOn, instance.name).to.include(sinkPolicy.urn);
            }
            // The StackSet stays (an update); its new template, in the removed Region, holds no link and cannot fail.
            expect(one(after, STACK_SET).urn).to.equal(one(before, STACK_SET).urn);
            const template = JSON.parse(String(one(after, STACK_SET).inputs.templateBody)) as CloudFormationTemplate;
            expect(Object.keys(stackOf(template, "500000000001", "eu-central-1"))).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
            expect(Object.keys(stackOf(template, "500000000001", "eu-west-1"))).to.deep.equal([LINK_LOGICAL_ID]);
        });

        it("a delegated administrator that is the monitoring account reuses its provider", async () => {
            const r = await synthConfig(base({ memberBaselines: { delegatedAdministratorAccountId: MIN.monitoring } }));
            expect(one(r, STACK_SET).account).to.equal(MIN.monitoring);
            expect(providerAccounts(r)).to.deep.equal([MIN.mgmt, MIN.logArchive, MIN.monitoring]);
        });

        it("operation preferences are configurable", async () => {
            const prefs = { maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: "SEQUENTIAL", concurrencyMode: "STRICT_FAILURE_TOLERANCE" };
            const r = await synthConfig(base({ memberBaselines: { operationPreferences: prefs } }));
            for (const instance of ofType(r, INSTANCE)) expect(instance.inputs.operationPreferences).to.deep.equal(prefs);
            expect(one(r, STACK_SET).inputs.operationPreferences).to.deep.equal({ maxConcurrentPercentage: 25, failureTolerancePercentage: 0, regionConcurrencyType: "SEQUENTIAL" });
        });

        it("every telemetry source on: one rule per resource type, each valid for AWS's published schema", async () => {
            const all = { vpcFlowLogs: { enabled: true }, route53ResolverQueryLogs: { enabled: true }, eksControlPlaneLogs: { enabled: true }, wafLogs: { enabled: true }, elbAccessLogs: { enabled: true, outputFormat: "json" }, ec2DetailedMetrics: { enabled: true }, mskEnhancedMonitoring: { enabled: true } };
            const r = await synthConfig(base({ telemetry: all }));
            const rules = ofType(r, RULE);
            const byType = Object.fromEntries(rules.map((x) => [(x.inputs.rule as { resourceType: string }).resourceType, x]));
            expect(Object.keys(byType).sort()).to.deep.equal(["AWS::EC2::Instance", "AWS::EC2::VPC", "AWS::EKS::Cluster", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::MSK::Cluster", "AWS::WAFv2::WebACL"]);
            expect(byType["AWS::MSK::Cluster"].inputs.rule).to.deep.include({ telemetryType: "Metrics", destinationConfiguration: { mskMonitoringParameters: { enhancedMonitoring: "PER_BROKER" } } });
            expect((byType["AWS::EC2::VPC"].inputs.rule as { telemetrySourceTypes: string[] }).telemetrySourceTypes).to.deep.equal(["VPC_FLOW_LOGS", "ROUTE53_RESOLVER_QUERY_LOGS"]);
            expect((byType["AWS::EKS::Cluster"].inputs.rule as { telemetrySourceTypes: string[] }).telemetrySourceTypes).to.have.members(["EKS_API_LOGS", "EKS_AUDIT_LOGS", "EKS_AUTHENTICATOR_LOGS", "EKS_CONTROLLER_MANAGER_LOGS", "EKS_SCHEDULER_LOGS"]);
            expect(byType["AWS::EC2::Instance"].inputs.rule).to.deep.include({ telemetryType: "Metrics" });
            for (const rule of rules) {
                expect(cfnPropertyErrors("AWS::ObservabilityAdmin::OrganizationTelemetryRule", { RuleName: rule.inputs.ruleName, Rule: rule.inputs.rule }, "case-insensitive"), String(rule.inputs.ruleName)).to.deep.equal([]);
            }
            expect(rules.map((x) => x.inputs.ruleName).sort()).to.deep.equal(["orgwatch-ec2", "orgwatch-eks", "orgwatch-elb", "orgwatch-msk", "orgwatch-vpc", "orgwatch-waf"]);
        });

        it("the schema oracle refuses a value AWS does not accept (control: the provider documents `plain-text`, the API takes `plain`)", () => {
            const rule = { resourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer", telemetryType: "Logs", destinationConfiguration: { destinationType: "cloud-watch-logs", elbLoadBalancerLoggingParameters: { outputFormat: "plain-text" } } };
            expect(cfnPropertyErrors("AWS::ObservabilityAdmin::OrganizationTelemetryRule", { RuleName: "x", Rule: rule }, "case-insensitive")).to.have.length.greaterThan(0);
        });

        it("telemetry off: no evaluation and no rule", async () => {
            const r = await synthConfig(base({ telemetry: { enabled: false } }));
            expect(ofType(r, EVALUATION)).to.deep.equal([]);
            expect(ofType(r, RULE)).to.deep.equal([]);
        });
    });

    describe("scale: the same explicit providers and resources for 10 to 10,000 members", () => {
        const sizes = [10, 100, 1000, 10_000];
        const results = new Map<number, SynthResult>();
        before(async function () {
            this.timeout(300_000);
            for (const n of sizes) results.set(n, await synthesize({ programDir: PACKAGE_ROOT, stack: "scale", config: generatedConfig(n) }));
        });

        /** Resources that are not created member accounts, by URN, with what defines them. */
        const shape = (r: SynthResult): Map<string, unknown> =>
            new Map(r.resources.filter((x) => x.type !== ACCOUNT && x.type !== "pulumi:pulumi:Stack").map((x) => [x.urn, { inputs: x.inputs, provider: x.provider, parent: x.parent, protect: x.protect, dependsOn: x.dependsOn }]));

        it("has three explicit providers at every size", () => {
            for (const n of sizes) expect(providerAccounts(results.get(n) as SynthResult), `${n} members`).to.deep.equal([MIN.mgmt, MIN.logArchive, MIN.monitoring]);
        });

        it("has the same resources, with the same inputs, at every size apart from the created organizations Accounts", () => {
            const reference = shape(results.get(10) as SynthResult);
            for (const n of sizes) {
                const r = results.get(n) as SynthResult;
                const current = shape(r);
                expect([...current.keys()].sort(), `${n} members`).to.deep.equal([...reference.keys()].sort());
                const differing = [...current.entries()].filter(([urn, v]) => !isDeepStrictEqual(v, reference.get(urn))).map(([urn]) => urn);
                expect(differing, `${n} members: resources whose inputs differ from 10 members`).to.deep.equal([]);
                // Every tenth generated member is created by orgwatch (bench/config.ts).
                expect(ofType(r, ACCOUNT), `${n} members`).to.have.length(n / 10);
            }
        });
    });
});
