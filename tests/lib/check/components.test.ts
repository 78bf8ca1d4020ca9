/**
 * Remote components judged on their inputs (lib/check/components.ts): each rule with a passing and
 * a failing component, the level and config the policy config gives the pack policy, and what stays
 * uninspected. Expected results are read off the pack's documented policies (policies/POLICIES.md)
 * and the components' SDK arguments, not from the rules.
 */
import { expect } from "chai";
import { evaluatePack } from "../../../lib/check/evaluate";
import { childTypesOf } from "../../../lib/check/components";
import type { SynthResource, SynthResult } from "../../../lib/synth/types";

function component(type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): SynthResource {
    return { urn: `urn:pulumi:dev::app::${type}::${name}`, type, name, parent: null, custom: false, provider: null, account: "111111111111", region: "eu-west-1", inputs, id: null, outputs, dependsOn: [], protect: false, remote: true };
}

function resource(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<SynthResource> = {}): SynthResource {
    return { urn: `urn:pulumi:dev::app::${type}::${name}`, type, name, parent: null, custom: true, provider: null, account: "111111111111", region: "eu-west-1", inputs, id: `${name}-id`, outputs: { ...inputs }, dependsOn: [], protect: false, ...extra };
}

function synth(...resources: SynthResource[]): SynthResult {
    return { project: "app", stack: "dev", resources, outputs: {} };
}

const policiesOf = (r: SynthResult, config = {}) => evaluatePack(r, { policyConfig: config }).violations.map((v) => [v.policy, v.enforcementLevel, v.urn]);

describe("lib/check remote components", () => {
    it("ALB and NLB: access logs on, with a bucket, or a load-balancer-access-logs-enabled violation on the component", () => {
        for (const type of ["awsx:lb:ApplicationLoadBalancer", "awsx:lb:NetworkLoadBalancer"]) {
            const off = component(type, "web", {});
            expect(policiesOf(synth(off))).to.deep.equal([["load-balancer-access-logs-enabled", "mandatory", off.urn]]);
            const disabled = component(type, "web", { accessLogs: { bucket: "logs", enabled: false } });
            expect(policiesOf(synth(disabled))).to.deep.equal([["load-balancer-access-logs-enabled", "mandatory", disabled.urn]]);
            // ALB/NLB access logs default to disabled (aws.lb.LoadBalancer accessLogs.enabled defaults to false).
            expect(policiesOf(synth(component(type, "web", { accessLogs: { bucket: "logs" } })))).to.have.length(1);
            expect(policiesOf(synth(component(type, "web", { accessLogs: { bucket: "logs", enabled: true } })))).to.deep.equal([]);
        }
    });

    it("the level and config come from the policy config of the pack policy of the same name", () => {
        const off = component("awsx:lb:ApplicationLoadBalancer", "web", {});
        expect(policiesOf(synth(off), { "load-balancer-access-logs-enabled": "advisory" })).to.deep.equal([["load-balancer-access-logs-enabled", "advisory", off.urn]]);
        expect(policiesOf(synth(off), { "load-balancer-access-logs-enabled": "disabled" })).to.deep.equal([]);
        const eks = component("eks:index:Cluster", "k", { enabledClusterLogTypes: ["api", "audit"] });
        expect(policiesOf(synth(eks))).to.deep.equal([["eks-control-plane-logging-enabled", "mandatory", eks.urn]]);
        expect(policiesOf(synth(eks), { "eks-control-plane-logging-enabled": { requiredLogTypes: ["api", "audit"] } })).to.deep.equal([]);
    });

    it("eks Cluster: control plane log types as eks-control-plane-logging-enabled requires (api, audit, authenticator by default)", () => {
        const none = component("eks:index:Cluster", "k", {});
        const report = evaluatePack(synth(none));
        expect(report.violations.map((v) => v.policy)).to.deep.equal(["eks-control-plane-logging-enabled"]);
        expect(report.violations[0].message).to.contain("Add api, audit, authenticator");
        expect(policiesOf(synth(component("eks:index:Cluster", "k", { enabledClusterLogTypes: ["api", "audit", "authenticator", "scheduler"] })))).to.deep.equal([]);
    });

    it("awsx cloudtrail Trail: its switches by awsx's documented defaults (multi-Region and log file validation default to false)", () => {
        const policies = (inputs: Record<string, unknown>): string[] => evaluatePack(synth(component("awsx:cloudtrail:Trail", "audit", inputs))).violations.map((v) => v.policy).sort();
        expect(policies({})).to.deep.equal(["cloudtrail-log-file-validation-enabled", "cloudtrail-multi-region-enabled"]);
        expect(policies({ isMultiRegionTrail: true, enableLogFileValidation: true })).to.deep.equal([]);
        expect(policies({ isMultiRegionTrail: true, enableLogFileValidation: true, enableLogging: false, includeGlobalServiceEvents: false })).to.deep.equal(["cloudtrail-global-service-events-enabled", "cloudtrail-logging-enabled"]);
        // The key, log group and bucket policies stay uninspected.
        const report = evaluatePack(synth(component("awsx:cloudtrail:Trail", "audit", { isMultiRegionTrail: true, enableLogFileValidation: true })));
        expect(report.complete).to.equal(false);
        expect(report.notInspected[0].policies).to.include("cloudtrail-kms-encrypted").and.not.include("cloudtrail-multi-region-enabled");
    });

    it("awsx Vpc: a flow log whose vpcId is the component's vpcId, or a vpc-flow-logs-enabled violation", () => {
        const vpc = component("awsx:ec2:Vpc", "net", {}, { vpcId: "vpc-0123456789abcdef0" });
        expect(policiesOf(synth(vpc))).to.deep.equal([["vpc-flow-logs-enabled", "mandatory", vpc.urn]]);
        const flowLog = resource("aws:ec2/flowLog:FlowLog", "fl", { vpcId: "vpc-0123456789abcdef0", trafficType: "ALL", logDestination: "arn:aws:s3:::logs" });
        expect(policiesOf(synth(vpc, flowLog))).to.deep.equal([]);
        const otherVpc = resource("aws:ec2/flowLog:FlowLog", "fl", { vpcId: "vpc-ffffffffffffffff0" });
        expect(policiesOf(synth(vpc, otherVpc))).to.deep.equal([["vpc-flow-logs-enabled", "mandatory", vpc.urn]]);
    });

    it("ECS services: no cluster is the default cluster (a violation); a cluster in the stack is the pack's to check; another stack's is not inspected", () => {
        const onDefault = component("awsx:ecs:FargateService", "svc", {});
        expect(policiesOf(synth(onDefault))).to.deep.equal([["ecs-cluster-container-insights-enabled", "mandatory", onDefault.urn]]);
        const arn = "arn:aws:ecs:eu-west-1:111111111111:cluster/apps";
        const cluster = resource("aws:ecs/cluster:Cluster", "apps", { settings: [{ name: "containerInsights", value: "enabled" }] }, { outputs: { arn } });
        const onCluster = component("awsx:ecs:FargateService", "svc", { cluster: arn });
        const inStack = evaluatePack(synth(onCluster, cluster));
        expect(inStack.violations.filter((v) => v.policy === "ecs-cluster-container-insights-enabled")).to.deep.equal([]);
        const dark = resource("aws:ecs/cluster:Cluster", "apps", {}, { outputs: { arn } });
        expect(evaluatePack(synth(onCluster, dark)).violations.map((v) => [v.policy, v.urn])).to.deep.include(["ecs-cluster-container-insights-enabled", dark.urn]);
        const elsewhere = evaluatePack(synth(component("awsx:ecs:EC2Service", "svc", { cluster: "arn:aws:ecs:eu-west-1:222222222222:cluster/shared" })));
        expect(elsewhere.violations).to.deep.equal([]);
        expect(elsewhere.notInspected[0].reason).to.contain("is not in this stack");
    });

    it("aws-apigateway RestAPI: its stage never has access logging (RestAPIArgs cannot set it)", () => {
        const api = component("aws-apigateway:index:RestAPI", "api", { stageName: "v1", routes: [] });
        expect(policiesOf(synth(api))).to.deep.equal([["apigateway-stage-access-logging-enabled", "mandatory", api.urn]]);
    });

    it("what no rule covers is not inspected: the policies on the children's types, named; a component with nothing uncovered is complete", () => {
        const alb = evaluatePack(synth(component("awsx:lb:ApplicationLoadBalancer", "web", { accessLogs: { bucket: "logs", enabled: true } })));
        expect(alb.complete).to.equal(false);
        expect(alb.notInspected[0].policies).to.deep.equal(["monitoring-enabled"]);
        expect(alb.notInspected[0].reason).to.contain("aws:lb/loadBalancer:LoadBalancer");
        const svc = evaluatePack(synth(component("awsx:ecs:FargateService", "svc", {})));
        expect(svc.notInspected[0].policies).to.have.members(["log-group-retention-within-bounds", "log-group-kms-encrypted", "monitoring-enabled"]);
        // An awsx Vpc creates only network resources: vpc-flow-logs-enabled is the only policy on them.
        const vpc = evaluatePack(synth(component("awsx:ec2:Vpc", "net", {}, { vpcId: "vpc-1" }), resource("aws:ec2/flowLog:FlowLog", "fl", { vpcId: "vpc-1" })));
        expect(vpc.complete).to.equal(true);
        // An ECR repository's children (repository, lifecycle policy) are no pack policy's subject.
        expect(evaluatePack(synth(component("awsx:ecr:Repository", "repo", {}))).complete).to.equal(true);
        // With monitoring-enabled disabled, a logged ALB leaves nothing unseen.
        expect(evaluatePack(synth(component("awsx:lb:ApplicationLoadBalancer", "web", { accessLogs: { bucket: "logs", enabled: true } })), { policyConfig: { "monitoring-enabled": "disabled" } }).complete).to.equal(true);
    });

    it("a remote component the check knows nothing of is not inspected, with the reason", () => {
        const unknown = evaluatePack(synth(component("acme:net:Mesh", "mesh", {})));
        expect(unknown.complete).to.equal(false);
        expect(unknown.notInspected[0]).to.include({ type: "acme:net:Mesh" });
        expect(unknown.notInspected[0].reason).to.contain("no description");
    });

    it("a component's child types come from its SDK's declared outputs", () => {
        expect(childTypesOf("awsx:lb:ApplicationLoadBalancer")).to.include.members(["aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener", "aws:ec2/securityGroup:SecurityGroup"]);
        expect(childTypesOf("eks:index:Cluster")).to.include("aws:eks/cluster:Cluster");
        expect(childTypesOf("acme:net:Mesh")).to.equal(undefined);
    });
});
