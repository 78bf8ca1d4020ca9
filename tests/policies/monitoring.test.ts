import { expect } from "chai";

import * as mon from "../../policies/monitoring";
import { runResourcePolicy, runStackPolicy, UNKNOWN } from "./helpers";

describe("policies/monitoring", () => {
    describe("ec2-instance-detailed-monitoring-enabled", () => {
        const type = "aws:ec2/instance:Instance";
        it("passes with monitoring true, fails when omitted (basic 5-minute monitoring is the default)", () => {
            expect(runResourcePolicy(mon.ec2InstanceDetailedMonitoringEnabled, { type, props: { instanceType: "t3.micro", monitoring: true } }).messages).to.deep.equal([]);
            expect(runResourcePolicy(mon.ec2InstanceDetailedMonitoringEnabled, { type, props: { instanceType: "t3.micro" } }).messages[0]).to.contain("monitoring is unset");
        });
    });

    describe("rds-enhanced-monitoring-enabled", () => {
        const db = () => ({ engine: "postgres", monitoringInterval: 60, monitoringRoleArn: "arn:aws:iam::1:role/rds-monitoring" });
        it("passes for instances and cluster instances with an interval and a role", () => {
            expect(runResourcePolicy(mon.rdsEnhancedMonitoringEnabled, { type: "aws:rds/instance:Instance", props: db() }).messages).to.deep.equal([]);
            expect(runResourcePolicy(mon.rdsEnhancedMonitoringEnabled, { type: "aws:rds/clusterInstance:ClusterInstance", props: db() }).messages).to.deep.equal([]);
        });
        it("fails with interval 0 (disabled) and lists the valid intervals", () => {
            const m = runResourcePolicy(mon.rdsEnhancedMonitoringEnabled, { type: "aws:rds/instance:Instance", props: { ...db(), monitoringInterval: 0 } }).messages[0];
            expect(m).to.contain("monitoringInterval is 0").and.contain("1, 5, 10, 15, 30, 60");
        });
        it("fails above the configured maximum interval", () => {
            const r = runResourcePolicy(mon.rdsEnhancedMonitoringEnabled, { type: "aws:rds/instance:Instance", props: db(), config: { maxMonitoringIntervalSeconds: 15 } });
            expect(r.messages[0]).to.contain("at most 15 s");
        });
        it("fails without the monitoring role", () => {
            const r = runResourcePolicy(mon.rdsEnhancedMonitoringEnabled, { type: "aws:rds/instance:Instance", props: { engine: "postgres", monitoringInterval: 60 } });
            expect(r.messages[0]).to.contain("monitoringRoleArn is unset");
        });
        it("is not applicable to clusters (enhanced monitoring is set per instance)", () => {
            expect(runResourcePolicy(mon.rdsEnhancedMonitoringEnabled, { type: "aws:rds/cluster:Cluster", props: {} }).notApplicable).to.be.a("string");
        });
    });

    describe("rds-log-exports-enabled", () => {
        it("passes with exports, fails without", () => {
            expect(runResourcePolicy(mon.rdsLogExportsEnabled, { type: "aws:rds/cluster:Cluster", props: { enabledCloudwatchLogsExports: ["postgresql"] } }).messages).to.deep.equal([]);
            expect(runResourcePolicy(mon.rdsLogExportsEnabled, { type: "aws:rds/instance:Instance", props: { enabledCloudwatchLogsExports: [] } }).messages[0]).to.contain(
                "enabledCloudwatchLogsExports is []",
            );
        });
    });

    describe("load-balancer-access-logs-enabled", () => {
        const alb = () => ({ loadBalancerType: "application", accessLogs: { bucket: "lb-logs", enabled: true } });
        it("passes for lb and alb tokens with logs enabled", () => {
            expect(runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:lb/loadBalancer:LoadBalancer", props: alb() }).messages).to.deep.equal([]);
            expect(runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:alb/loadBalancer:LoadBalancer", props: alb() }).messages).to.deep.equal([]);
        });
        it("fails when accessLogs.enabled is omitted on an ALB (the provider default is false)", () => {
            const r = runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:lb/loadBalancer:LoadBalancer", props: { accessLogs: { bucket: "lb-logs" } } });
            expect(r.messages).to.have.length(1);
        });
        it("passes a Classic Load Balancer whose access_logs block omits enabled (default true there)", () => {
            const r = runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:elb/loadBalancer:LoadBalancer", props: { accessLogs: { bucket: "lb-logs" } } });
            expect(r.messages).to.deep.equal([]);
        });
        it("fails without accessLogs and is not applicable to Gateway Load Balancers", () => {
            expect(runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:lb/loadBalancer:LoadBalancer", props: {} }).messages[0]).to.contain("accessLogs is unset");
            expect(runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:lb/loadBalancer:LoadBalancer", props: { loadBalancerType: "gateway" } }).notApplicable).to.contain("Gateway");
        });
        it("treats a bucket unknown at preview as set", () => {
            const r = runResourcePolicy(mon.loadBalancerAccessLogsEnabled, { type: "aws:lb/loadBalancer:LoadBalancer", props: { accessLogs: { bucket: UNKNOWN, enabled: true } } });
            expect(r.messages).to.deep.equal([]);
        });
    });

    describe("apigateway-stage-access-logging-enabled", () => {
        const settings = { destinationArn: "arn:aws:logs:us-east-1:1:log-group:api", format: '{"requestId":"$context.requestId"}' };
        it("passes for REST and HTTP API stages with access logs, fails without", () => {
            expect(runResourcePolicy(mon.apiGatewayStageAccessLoggingEnabled, { type: "aws:apigateway/stage:Stage", props: { stageName: "prod", accessLogSettings: settings } }).messages).to.deep.equal([]);
            expect(runResourcePolicy(mon.apiGatewayStageAccessLoggingEnabled, { type: "aws:apigatewayv2/stage:Stage", props: { name: "$default", accessLogSettings: settings } }).messages).to.deep.equal([]);
            expect(runResourcePolicy(mon.apiGatewayStageAccessLoggingEnabled, { type: "aws:apigateway/stage:Stage", props: { stageName: "prod" } }).messages[0]).to.contain("accessLogSettings is unset");
        });
    });

    describe("apigateway-stage-access-logging-enabled on quick-create HTTP APIs", () => {
        const type = "aws:apigatewayv2/api:Api";
        // Quick create (target set) makes API Gateway create an integration, a $default route and a $default stage
        // with automatic deployment; that stage is not a resource of the stack and has no access log settings
        // (API Gateway developer guide, "Developing HTTP APIs": quick create).
        it("fails for an HTTP API created with target: its implicit $default stage has no access logs", () => {
            const r = runResourcePolicy(mon.apiGatewayStageAccessLoggingEnabled, {
                type,
                props: { protocolType: "HTTP", target: "arn:aws:lambda:us-east-1:111111111111:function:orders" },
            });
            expect(r.messages).to.have.length(1);
            expect(r.messages[0]).to.contain("quick create").and.contain("$default").and.contain("Remove target");
        });
        it("fails when the target is unknown at preview (it is still a quick-create API)", () => {
            expect(runResourcePolicy(mon.apiGatewayStageAccessLoggingEnabled, { type, props: { protocolType: "HTTP", target: UNKNOWN } }).messages).to.have.length(1);
        });
        it("is not applicable to an API without target (its stages are checked as Stage resources)", () => {
            expect(runResourcePolicy(mon.apiGatewayStageAccessLoggingEnabled, { type, props: { protocolType: "HTTP" } }).notApplicable).to.contain("not a quick-create API");
        });
    });

    describe("rds-performance-insights-enabled", () => {
        // RDS DB instances and Multi-AZ DB clusters take performanceInsightsEnabled; retention 7 days (free tier),
        // 31 x months or 731 days (RDS user guide, "Turning Performance Insights on and off").
        it("passes with Performance Insights on (default retention 7 days) for instances and cluster instances", () => {
            for (const t of ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"]) {
                expect(runResourcePolicy(mon.rdsPerformanceInsightsEnabled, { type: t, props: { performanceInsightsEnabled: true } }).messages, t).to.deep.equal([]);
            }
        });
        it("fails when omitted (off by default)", () => {
            const r = runResourcePolicy(mon.rdsPerformanceInsightsEnabled, { type: "aws:rds/instance:Instance", props: { engine: "postgres" } });
            expect(r.messages[0]).to.contain("performanceInsightsEnabled is unset").and.contain("performanceInsightsEnabled: true");
        });
        it("fails below the configured retention and lists the accepted retentions", () => {
            const r = runResourcePolicy(mon.rdsPerformanceInsightsEnabled, {
                type: "aws:rds/instance:Instance",
                props: { performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 7 },
                config: { minRetentionDays: 465 },
            });
            expect(r.messages[0]).to.contain("at least 465 days").and.contain("465, 496, 527, 558");
        });
        it("checks Multi-AZ DB clusters (dbClusterInstanceClass set) and is not applicable to Aurora clusters", () => {
            const multiAz = runResourcePolicy(mon.rdsPerformanceInsightsEnabled, { type: "aws:rds/cluster:Cluster", props: { engine: "postgres", dbClusterInstanceClass: "db.m6gd.large" } });
            expect(multiAz.messages).to.have.length(1);
            expect(runResourcePolicy(mon.rdsPerformanceInsightsEnabled, { type: "aws:rds/cluster:Cluster", props: { engine: "aurora-postgresql" } }).notApplicable).to.contain("Aurora");
        });
        it("accepts only the retention values RDS accepts in its config", () => {
            expect(mon.PERFORMANCE_INSIGHTS_RETENTION_DAYS).to.have.length(25);
            expect(mon.PERFORMANCE_INSIGHTS_RETENTION_DAYS.slice(0, 3)).to.deep.equal([7, 31, 62]);
            expect(mon.PERFORMANCE_INSIGHTS_RETENTION_DAYS.slice(-2)).to.deep.equal([713, 731]);
        });
    });

    describe("ecs-cluster-container-insights-enabled", () => {
        const type = "aws:ecs/cluster:Cluster";
        it("passes with enabled or enhanced, fails with disabled or none", () => {
            for (const value of ["enabled", "enhanced"]) {
                expect(runResourcePolicy(mon.ecsClusterContainerInsightsEnabled, { type, props: { settings: [{ name: "containerInsights", value }] } }).messages, value).to.deep.equal([]);
            }
            expect(runResourcePolicy(mon.ecsClusterContainerInsightsEnabled, { type, props: { settings: [{ name: "containerInsights", value: "disabled" }] } }).messages[0]).to.contain(
                'containerInsights is "disabled"',
            );
            expect(runResourcePolicy(mon.ecsClusterContainerInsightsEnabled, { type, props: {} }).messages).to.have.length(1);
        });
    });

    describe("eks-control-plane-logging-enabled", () => {
        const type = "aws:eks/cluster:Cluster";
        it("passes with api, audit and authenticator logs; fails naming the missing types", () => {
            expect(runResourcePolicy(mon.eksControlPlaneLoggingEnabled, { type, props: { enabledClusterLogTypes: ["api", "audit", "authenticator"] } }).messages).to.deep.equal([]);
            const m = runResourcePolicy(mon.eksControlPlaneLoggingEnabled, { type, props: { enabledClusterLogTypes: ["api"] } }).messages[0];
            expect(m).to.contain("Add audit, authenticator");
        });
        it("honours requiredLogTypes", () => {
            const r = runResourcePolicy(mon.eksControlPlaneLoggingEnabled, { type, props: { enabledClusterLogTypes: ["audit"] }, config: { requiredLogTypes: ["audit"] } });
            expect(r.messages).to.deep.equal([]);
        });
    });

    describe("vpc-flow-logs-enabled", () => {
        const vpc = { type: "aws:ec2/vpc:Vpc", name: "main", props: { id: "vpc-0abc", cidrBlock: "10.0.0.0/16" } };
        it("passes with a flow log on the VPC id", () => {
            const flow = { type: "aws:ec2/flowLog:FlowLog", name: "main-flow", props: { vpcId: "vpc-0abc", trafficType: "ALL" } };
            expect(runStackPolicy(mon.vpcFlowLogsEnabled, [vpc, flow]).messages).to.deep.equal([]);
        });
        it("passes when the flow log's vpcId is unknown at preview but depends on the VPC", () => {
            const flow = { type: "aws:ec2/flowLog:FlowLog", name: "main-flow", props: { vpcId: UNKNOWN }, propertyDependencies: { vpcId: ["main"] } };
            expect(runStackPolicy(mon.vpcFlowLogsEnabled, [vpc, flow]).messages).to.deep.equal([]);
        });
        it("checks a default VPC the stack adopts (aws.ec2.DefaultVpc) like any other VPC", () => {
            const adopted = { type: "aws:ec2/defaultVpc:DefaultVpc", name: "default", props: { id: "vpc-0def" } };
            const r = runStackPolicy(mon.vpcFlowLogsEnabled, [adopted]);
            expect(r.messages).to.have.length(1);
            expect(r.messages[0]).to.contain("default VPC").and.contain('vpcId "vpc-0def"');
            const flow = { type: "aws:ec2/flowLog:FlowLog", name: "default-flow", props: { vpcId: "vpc-0def", trafficType: "ALL" } };
            expect(runStackPolicy(mon.vpcFlowLogsEnabled, [adopted, flow]).messages).to.deep.equal([]);
        });
        it("is not applicable to a stack that only looks a VPC up (getVpc is an invoke: no resource, nothing to fix)", () => {
            const subnet = { type: "aws:ec2/subnet:Subnet", name: "app", props: { vpcId: "vpc-0shared", cidrBlock: "10.0.8.0/24" } };
            expect(runStackPolicy(mon.vpcFlowLogsEnabled, [subnet]).notApplicable).to.equal("no VPCs in the stack");
        });
        it("fails for a VPC without flow log (a flow log on a subnet does not count)", () => {
            const subnetFlow = { type: "aws:ec2/flowLog:FlowLog", name: "subnet-flow", props: { subnetId: "subnet-1", trafficType: "ALL" } };
            const r = runStackPolicy(mon.vpcFlowLogsEnabled, [vpc, subnetFlow]);
            expect(r.messages[0]).to.contain('vpcId "vpc-0abc"');
            expect(r.urns[0]).to.contain("::main");
        });
    });
});
