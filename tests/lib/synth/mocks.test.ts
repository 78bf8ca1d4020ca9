import { expect } from "chai";
import * as path from "path";
import { AwsMocks } from "../../../lib/synth/mocks";
import { AwsTypeCatalog } from "../../../lib/synth/aws-types";
import { PACKAGE_ROOT } from "../../helpers/synth";

const catalog = AwsTypeCatalog.forProgram(PACKAGE_ROOT);
const MGMT = "111111111111";
const REGION = "eu-west-1";

/** Mocks with one explicit provider (account 111111111111, eu-west-1); returns its provider reference. */
function setup(): { mocks: AwsMocks; ref: string } {
    const mocks = new AwsMocks({ catalog, config: { "aws:region": "us-east-2" }, organizationId: "o-abcdefghij" });
    const urn = "urn:pulumi:dev::p::pulumi:providers:aws::mgmt";
    const prov = mocks.newResource({
        type: "pulumi:providers:aws",
        name: "mgmt",
        inputs: { region: REGION, allowedAccountIds: JSON.stringify([MGMT]) },
        custom: true,
        urn,
    });
    return { mocks, ref: `${urn}::${prov.id}` };
}

function create(mocks: AwsMocks, ref: string, type: string, name: string, inputs: Record<string, unknown> = {}) {
    return mocks.newResource({ type, name, inputs, custom: true, provider: ref, urn: `urn:pulumi:dev::p::${type}::${name}` });
}

describe("synth mocks", () => {
    // Expected formats: the "Resource types" tables of the Service Authorization Reference,
    // https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    const cases: readonly [string, RegExp, string][] = [
        ["aws:s3/bucket:Bucket", /^arn:aws:s3:::res-[0-9a-f]{7}$/, "arn"],
        ["aws:kms/key:Key", /^arn:aws:kms:eu-west-1:111111111111:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "arn"],
        ["aws:kms/alias:Alias", /^arn:aws:kms:eu-west-1:111111111111:alias\/res-[0-9a-f]{7}$/, "arn"],
        ["aws:cloudtrail/trail:Trail", /^arn:aws:cloudtrail:eu-west-1:111111111111:trail\/res-[0-9a-f]{7}$/, "arn"],
        // AWS provider v7 exposes the log group ARN without the trailing ":*".
        ["aws:cloudwatch/logGroup:LogGroup", /^arn:aws:logs:eu-west-1:111111111111:log-group:res-[0-9a-f]{7}$/, "arn"],
        ["aws:cloudwatch/metricAlarm:MetricAlarm", /^arn:aws:cloudwatch:eu-west-1:111111111111:alarm:res-[0-9a-f]{7}$/, "arn"],
        ["aws:cloudwatch/eventRule:EventRule", /^arn:aws:events:eu-west-1:111111111111:rule\/res-[0-9a-f]{7}$/, "arn"],
        ["aws:iam/role:Role", /^arn:aws:iam::111111111111:role\/res-[0-9a-f]{7}$/, "arn"],
        ["aws:iam/policy:Policy", /^arn:aws:iam::111111111111:policy\/res-[0-9a-f]{7}$/, "arn"],
        ["aws:sns/topic:Topic", /^arn:aws:sns:eu-west-1:111111111111:res-[0-9a-f]{7}$/, "arn"],
        ["aws:oam/sink:Sink", /^arn:aws:oam:eu-west-1:111111111111:sink\/[0-9a-f-]{36}$/, "arn"],
        ["aws:oam/link:Link", /^arn:aws:oam:eu-west-1:111111111111:link\/[0-9a-f-]{36}$/, "arn"],
        ["aws:organizations/account:Account", /^arn:aws:organizations::111111111111:account\/o-abcdefghij\/\d{12}$/, "arn"],
        ["aws:organizations/policy:Policy", /^arn:aws:organizations::111111111111:policy\/o-abcdefghij\/service_control_policy\/p-[a-z0-9]{8}$/, "arn"],
        ["aws:organizations/organizationalUnit:OrganizationalUnit", /^arn:aws:organizations::111111111111:ou\/o-abcdefghij\/ou-[a-z0-9]{4}-[a-z0-9]{8}$/, "arn"],
        ["aws:lambda/function:Function", /^arn:aws:lambda:eu-west-1:111111111111:function:res-[0-9a-f]{7}$/, "arn"],
        ["aws:sqs/queue:Queue", /^arn:aws:sqs:eu-west-1:111111111111:res-[0-9a-f]{7}$/, "arn"],
        ["aws:sqs/queue:Queue", /^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/111111111111\/res-[0-9a-f]{7}$/, "url"],
        ["aws:rds/instance:Instance", /^arn:aws:rds:eu-west-1:111111111111:db:res-[0-9a-f]{7}$/, "arn"],
        ["aws:lb/loadBalancer:LoadBalancer", /^arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer\/app\/res-[0-9a-f]{7}\/[0-9a-f]{16}$/, "arn"],
        ["aws:ecs/cluster:Cluster", /^arn:aws:ecs:eu-west-1:111111111111:cluster\/res-[0-9a-f]{7}$/, "arn"],
        ["aws:dynamodb/table:Table", /^arn:aws:dynamodb:eu-west-1:111111111111:table\/res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId} (Service Authorization Reference, Amazon EC2).
        ["aws:ec2/vpc:Vpc", /^arn:aws:ec2:eu-west-1:111111111111:vpc\/vpc-[0-9a-f]{17}$/, "arn"],
        ["aws:ec2/subnet:Subnet", /^arn:aws:ec2:eu-west-1:111111111111:subnet\/subnet-[0-9a-f]{17}$/, "arn"],
        ["aws:ec2/securityGroup:SecurityGroup", /^arn:aws:ec2:eu-west-1:111111111111:security-group\/sg-[0-9a-f]{17}$/, "arn"],
        // A default VPC is a VPC: vpc-<hex> id and the VPC ARN (DescribeVpcs returns it like any other).
        ["aws:ec2/defaultVpc:DefaultVpc", /^arn:aws:ec2:eu-west-1:111111111111:vpc\/vpc-[0-9a-f]{17}$/, "arn"],
        // arn:${Partition}:states:${Region}:${Account}:stateMachine:${StateMachineName} (Service Authorization Reference, AWS Step Functions).
        ["aws:sfn/stateMachine:StateMachine", /^arn:aws:states:eu-west-1:111111111111:stateMachine:res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:elasticache:${Region}:${Account}:replicationgroup:${ReplicationGroupId} (Amazon ElastiCache).
        ["aws:elasticache/replicationGroup:ReplicationGroup", /^arn:aws:elasticache:eu-west-1:111111111111:replicationgroup:res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:kinesis:${Region}:${Account}:stream/${StreamName} (Amazon Kinesis Data Streams). The
        // provider also accepts `arn` as an input; AWS computes it when the program leaves it out.
        ["aws:kinesis/stream:Stream", /^arn:aws:kinesis:eu-west-1:111111111111:stream\/res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:states:${Region}:${Account}:activity:${ActivityName} (AWS Step Functions).
        ["aws:sfn/activity:Activity", /^arn:aws:states:eu-west-1:111111111111:activity:res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:firehose:${Region}:${Account}:deliverystream/${DeliveryStreamName} (Amazon Data Firehose;
        // the provider's type lives in its kinesis module and takes `arn` as an optional input).
        ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", /^arn:aws:firehose:eu-west-1:111111111111:deliverystream\/res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash} (AWS Systems Manager).
        ["aws:ssm/parameter:Parameter", /^arn:aws:ssm:eu-west-1:111111111111:parameter\/res-[0-9a-f]{7}$/, "arn"],
        // arn:${Partition}:glue:${Region}:${Account}:job/${JobName} (AWS Glue).
        ["aws:glue/job:Job", /^arn:aws:glue:eu-west-1:111111111111:job\/res-[0-9a-f]{7}$/, "arn"],
    ];
    for (const [type, re, attr] of cases) {
        it(`${type} ${attr} has the AWS format and is deterministic`, () => {
            const { mocks, ref } = setup();
            const first = create(mocks, ref, type, "res", type === "aws:organizations/policy:Policy" ? { content: "{}" } : {});
            expect(String(first.state[attr])).to.match(re);
            const again = setup();
            const second = create(again.mocks, again.ref, type, "res", type === "aws:organizations/policy:Policy" ? { content: "{}" } : {});
            expect(second.state[attr]).to.equal(first.state[attr]);
            expect(second.id).to.equal(first.id);
        });
    }

    it("ids the policies derive dimensions from: state machine id = ARN, DefaultVpc id vpc-..., replication group id and member clusters", () => {
        const { mocks, ref } = setup();
        const sm = create(mocks, ref, "aws:sfn/stateMachine:StateMachine", "orders", { name: "orders" });
        expect(sm.id).to.equal("arn:aws:states:eu-west-1:111111111111:stateMachine:orders");
        expect(create(mocks, ref, "aws:ec2/defaultVpc:DefaultVpc", "default").id).to.match(/^vpc-[0-9a-f]{17}$/);
        // ElastiCache returns the id in lowercase; members <id>-001 .. -<numCacheClusters>
        // (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheMetrics.WhichShouldIMonitor.html).
        const rg = create(mocks, ref, "aws:elasticache/replicationGroup:ReplicationGroup", "Carts", { numCacheClusters: 2 });
        expect(rg.id).to.match(/^carts-[0-9a-f]{7}$/);
        expect(rg.state.replicationGroupId).to.equal(rg.id);
        expect(rg.state.memberClusters).to.deep.equal([`${rg.id}-001`, `${rg.id}-002`]);
        const single = create(mocks, ref, "aws:elasticache/replicationGroup:ReplicationGroup", "one", { replicationGroupId: "one-cache" });
        expect(single.state.memberClusters).to.deep.equal(["one-cache-001"]);
        // Cluster mode enabled: node groups 0001 .. numNodeGroups (API_NodeGroup), members 001 .. replicas + 1.
        const sharded = create(mocks, ref, "aws:elasticache/replicationGroup:ReplicationGroup", "sh", { replicationGroupId: "sh", numNodeGroups: 2, replicasPerNodeGroup: 1 });
        expect(sharded.state.memberClusters).to.deep.equal(["sh-0001-001", "sh-0001-002", "sh-0002-001", "sh-0002-002"]);
    });
    it("an SSM parameter named with a leading slash has no doubled slash in its ARN", () => {
        const { mocks, ref } = setup();
        const r = create(mocks, ref, "aws:ssm/parameter:Parameter", "p", { name: "/app/db/url" });
        expect(r.state.arn).to.equal("arn:aws:ssm:eu-west-1:111111111111:parameter/app/db/url");
    });

    it("dashboards are global: dashboardArn has no Region", () => {
        const { mocks, ref } = setup();
        const r = create(mocks, ref, "aws:cloudwatch/dashboard:Dashboard", "d", { dashboardName: "main", dashboardBody: "{}" });
        expect(r.state.dashboardArn).to.equal("arn:aws:cloudwatch::111111111111:dashboard/main");
    });

    it("keeps a physical name set by the program and uses it in the ARN and id", () => {
        const { mocks, ref } = setup();
        const r = create(mocks, ref, "aws:cloudwatch/logGroup:LogGroup", "lg", { name: "/org/trail" });
        expect(r.id).to.equal("/org/trail");
        expect(r.state.name).to.equal("/org/trail");
        expect(r.state.arn).to.equal("arn:aws:logs:eu-west-1:111111111111:log-group:/org/trail");
    });

    it("IAM role paths appear in the role ARN; unique ids start with AROA", () => {
        const { mocks, ref } = setup();
        const r = create(mocks, ref, "aws:iam/role:Role", "r", { name: "ct", path: "/service-role/" });
        expect(r.state.arn).to.equal("arn:aws:iam::111111111111:role/service-role/ct");
        expect(String(r.state.uniqueId)).to.match(/^AROA[A-Z0-9]{17}$/);
    });

    it("different URNs give different ids; organization account ids are 12 digits", () => {
        const { mocks, ref } = setup();
        const a = create(mocks, ref, "aws:organizations/account:Account", "a", { email: "a@example.com" });
        const b = create(mocks, ref, "aws:organizations/account:Account", "b", { email: "b@example.com" });
        expect(a.id).to.match(/^\d{12}$/);
        expect(b.id).to.match(/^\d{12}$/);
        expect(a.id).to.not.equal(b.id);
    });

    it("FIFO topics get the .fifo suffix; bucket names respect the 63-character limit", () => {
        const { mocks, ref } = setup();
        const t = create(mocks, ref, "aws:sns/topic:Topic", "alarms", { fifoTopic: true });
        expect(String(t.state.name)).to.match(/^alarms-[0-9a-f]{7}\.fifo$/);
        const long = "x".repeat(80);
        const b = create(mocks, ref, "aws:s3/bucket:Bucket", long, {});
        expect(String(b.state.bucket).length).to.equal(63);
    });

    it("a per-resource region input overrides the provider Region; tagsAll merges provider default tags", () => {
        const mocks = new AwsMocks({ catalog });
        const urn = "urn:pulumi:dev::p::pulumi:providers:aws::p";
        const prov = mocks.newResource({
            type: "pulumi:providers:aws",
            name: "p",
            inputs: { region: "us-west-2", assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::333333333333:role/Deploy" }]), defaultTags: JSON.stringify({ tags: { team: "platform" } }) },
            custom: true,
            urn,
        });
        const ref = `${urn}::${prov.id}`;
        const r = create(mocks, ref, "aws:sns/topic:Topic", "t", { region: "ap-southeast-2", tags: { env: "dev" } });
        expect(r.state.arn).to.match(/^arn:aws:sns:ap-southeast-2:333333333333:t-[0-9a-f]{7}$/);
        expect(r.state.tagsAll).to.deep.equal({ team: "platform", env: "dev" });
        expect(mocks.placement("aws:iam/role:Role", {}, ref)).to.deep.equal({ account: "333333333333", region: null });
    });

    it("China Regions use the aws-cn partition", () => {
        const mocks = new AwsMocks({ catalog, config: { "aws:region": "cn-north-1", "aws:allowedAccountIds": '["444444444444"]' } });
        const r = mocks.newResource({ type: "aws:cloudtrail/trail:Trail", name: "t", inputs: { name: "org" }, custom: true, urn: "u" });
        expect(r.state.arn).to.equal("arn:aws-cn:cloudtrail:cn-north-1:444444444444:trail/org");
        expect(mocks.call({ token: "aws:index/getPartition:getPartition", inputs: {} })).to.include({ partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" });
    });

    it("getCallerIdentity answers with the account of the provider used for the call", () => {
        const { mocks, ref } = setup();
        expect(mocks.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {}, provider: ref }).accountId).to.equal(MGMT);
        const withDefault = new AwsMocks({ catalog, config: { "aws:allowedAccountIds": '["555555555555"]' } });
        expect(withDefault.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} }).accountId).to.equal("555555555555");
    });

    it("getOrganization returns the configured organization id; getRegion the provider Region", () => {
        const { mocks, ref } = setup();
        const org = mocks.call({ token: "aws:organizations/getOrganization:getOrganization", inputs: {}, provider: ref });
        expect(org.id).to.equal("o-abcdefghij");
        expect(org.masterAccountId).to.equal(MGMT);
        expect(mocks.call({ token: "aws:index/getRegion:getRegion", inputs: {}, provider: ref }).region).to.equal(REGION);
    });

    it("getLogGroups finds the Control Tower trail log group by prefix and nothing else", () => {
        const { mocks, ref } = setup();
        const found = mocks.call({ token: "aws:cloudwatch/getLogGroups:getLogGroups", inputs: { logGroupNamePrefix: "aws-controltower/CloudTrailLogs" }, provider: ref });
        expect(found.logGroupNames).to.deep.equal(["aws-controltower/CloudTrailLogs"]);
        expect(found.arns).to.deep.equal(["arn:aws:logs:eu-west-1:111111111111:log-group:aws-controltower/CloudTrailLogs"]);
        const none = mocks.call({ token: "aws:cloudwatch/getLogGroups:getLogGroups", inputs: { logGroupNamePrefix: "/app/" }, provider: ref });
        expect(none.logGroupNames).to.deep.equal([]);
        const one = mocks.call({ token: "aws:cloudwatch/getLogGroup:getLogGroup", inputs: { name: "/org/trail" }, provider: ref });
        expect(one.arn).to.equal("arn:aws:logs:eu-west-1:111111111111:log-group:/org/trail");
    });

    it("fails loudly for an invoke no supported SDK declares, naming it and how to answer it, and keeps the failure", () => {
        const { mocks } = setup();
        expect(() => mocks.call({ token: "gcp:compute/getZones:getZones", inputs: {} })).to.throw(/gcp:compute\/getZones:getZones.*--invoke-results/);
        expect(mocks.invokeFailures.map((f) => f.token)).to.deep.equal(["gcp:compute/getZones:getZones"]);
        const answered = new AwsMocks({ catalog, invokeResults: { "gcp:compute/getZones:getZones": { names: ["europe-west1-b"] } } });
        expect(answered.call({ token: "gcp:compute/getZones:getZones", inputs: {} })).to.deep.equal({ names: ["europe-west1-b"] });
    });

    it("reads regional/global from the installed @pulumi/aws classes", () => {
        expect(catalog.info("aws:iam/role:Role").regional).to.equal(false);
        expect(catalog.info("aws:organizations/account:Account").regional).to.equal(false);
        expect(catalog.info("aws:s3/bucket:Bucket").regional).to.equal(true);
        expect(catalog.info("aws:cloudwatch/logGroup:LogGroup").outputs.has("arn")).to.equal(true);
        expect(path.isAbsolute(PACKAGE_ROOT)).to.equal(true);
    });
});
