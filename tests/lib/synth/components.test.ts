import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { checkedInCatalogue, resolveShape, type Shape } from "../../../lib/synth/catalogue";
import { remoteComponentOutputs, type ModelledChild } from "../../../lib/synth/components";
import { partitionInfoOf } from "../../../lib/partition";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";

/**
 * Remote components' resource-typed outputs (`eks.ManagedNodeGroup.nodeGroup`, `awsx.ec2.Vpc.vpc`) are
 * resources a program reads fields of. Every field their resource class declares as always present
 * must have a value. The declared fields are read here from the SDK's declaration file with a plain
 * pattern (`readonly <field>: pulumi.Output<T>` where T does not admit undefined), independently of
 * the catalogue's extractor.
 */
function requiredFields(type: string): string[] {
    const [pkg, modFile] = type.split(":");
    const [mod, file] = modFile.split("/");
    const dts = path.join(PACKAGE_ROOT, "node_modules", "@pulumi", pkg, mod === "index" ? "" : mod, `${file}.d.ts`);
    const text = fs.readFileSync(dts, "utf8");
    const classBody = text.slice(text.indexOf("export declare class"), text.indexOf("\n}", text.indexOf("export declare class")));
    return [...classBody.matchAll(/^\s+readonly (\w+): pulumi\.Output<(.+)>;$/gm)].filter((m) => !/\| undefined/.test(m[2])).map((m) => m[1]);
}

describe("remote components: resource-typed outputs carry their declared fields", () => {
    const { components, types } = checkedInCatalogue();

    it("every component's modelled children have every field their resource class always declares", () => {
        const missing: string[] = [];
        let children = 0;
        for (const [type, shape] of Object.entries(components)) {
            const made: ModelledChild[] = [];
            let n = 0;
            remoteComponentOutputs(shape, {
                type,
                name: "probe",
                urn: `urn:pulumi:dev::app::${type}::probe`,
                inputs: { subnetIds: ["subnet-0123456789abcdef0"] },
                account: "123456789012",
                region: "eu-west-1",
                partition: partitionInfoOf("eu-west-1"),
                types,
                child: (childType, childName, inputs) => {
                    const child: ModelledChild = { urn: `urn:pulumi:dev::app::${type}$${childType}::${childName}`, type: childType, name: childName, id: `id-${n++}`, state: { ...inputs } };
                    made.push(child);
                    return child;
                },
            });
            for (const child of made.filter((m) => m.type.startsWith("aws:"))) {
                children++;
                for (const field of requiredFields(child.type)) {
                    if (child.state[field] === undefined && field !== "id" && field !== "urn") missing.push(`${type} ${child.type}.${field}`);
                }
            }
        }
        expect(children).to.be.greaterThan(20);
        expect(missing).to.deep.equal([]);
    });

    it("eks.ManagedNodeGroup's nodeGroup echoes the component's subnets and has a node group ARN of AWS's format", () => {
        const shape = components["eks:index:ManagedNodeGroup"];
        expect(resolveShape(shape.object.nodeGroup as Shape, types)).to.deep.equal({ resource: "aws:eks/nodeGroup:NodeGroup" });
        let nodeGroup: ModelledChild | undefined;
        remoteComponentOutputs(shape, {
            type: "eks:index:ManagedNodeGroup",
            name: "ng",
            urn: "urn:pulumi:dev::app::eks:index:ManagedNodeGroup::ng",
            inputs: { subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"] },
            account: "123456789012",
            region: "eu-west-1",
            partition: partitionInfoOf("eu-west-1"),
            types,
            child: (childType, childName, inputs) => (nodeGroup = { urn: `urn:x::${childName}`, type: childType, name: childName, id: "ng-id", state: { ...inputs } }),
        });
        const state = (nodeGroup as ModelledChild).state;
        expect(state.subnetIds).to.deep.equal(["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]);
        expect(state.nodeGroupName).to.be.a("string").and.not.equal("");
        // arn:${Partition}:eks:${Region}:${Account}:nodegroup/${ClusterName}/${NodegroupName}/${UUID} (Service Authorization Reference).
        expect(state.arn).to.equal(`arn:aws:eks:eu-west-1:123456789012:nodegroup/${String(state.clusterName)}/${String(state.nodeGroupName)}/${String(state.arn).split("/").pop()}`);
        expect(state.scalingConfig).to.have.keys("desiredSize", "maxSize", "minSize");
    });

    it("eks.ManagedNodeGroup's nodeGroup is of the cluster, with the role and the scaling it is given (non-default inputs)", () => {
        const shape = components["eks:index:ManagedNodeGroup"];
        const cluster = { __pulumiType: "eks:index:Cluster", __name: "k8s" };
        const role = { __pulumiType: "aws:iam/role:Role", __name: "nodes" };
        const states: Record<string, Record<string, unknown>> = {
            "eks:index:Cluster::k8s": { eksCluster: { urn: "urn:pulumi:dev::app::eks:index:Cluster$aws:eks/cluster:Cluster::k8s-eksCluster" } },
            "urn:pulumi:dev::app::eks:index:Cluster$aws:eks/cluster:Cluster::k8s-eksCluster": { name: "prod-k8s" },
            "aws:iam/role:Role::nodes": { arn: "arn:aws:iam::123456789012:role/nodes-7ab3e59" },
        };
        const keyOf = (ref: unknown): string => (typeof ref === "object" && ref !== null && "urn" in ref ? String((ref as { urn: unknown }).urn) : `${String((ref as { __pulumiType: unknown }).__pulumiType)}::${String((ref as { __name: unknown }).__name)}`);
        let nodeGroup: ModelledChild | undefined;
        remoteComponentOutputs(shape, {
            type: "eks:index:ManagedNodeGroup",
            name: "ng",
            urn: "urn:pulumi:dev::app::eks:index:ManagedNodeGroup::ng",
            inputs: { cluster, nodeRole: role, nodeGroupName: "workers", scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 2 }, instanceTypes: ["m6i.large"] },
            account: "123456789012",
            region: "us-west-2",
            partition: partitionInfoOf("us-west-2"),
            types,
            stateOf: (ref) => states[keyOf(ref)],
            child: (childType, childName, inputs) => (nodeGroup = { urn: `urn:x::${childName}`, type: childType, name: childName, id: "ng-id", state: { ...inputs } }),
        });
        const state = (nodeGroup as ModelledChild).state;
        expect(state).to.deep.include({ clusterName: "prod-k8s", nodeRoleArn: "arn:aws:iam::123456789012:role/nodes-7ab3e59", nodeGroupName: "workers", scalingConfig: { minSize: 2, maxSize: 4, desiredSize: 2 }, instanceTypes: ["m6i.large"] });
        // arn:${Partition}:eks:${Region}:${Account}:nodegroup/${ClusterName}/${NodegroupName}/${UUID}
        expect(state.arn).to.match(/^arn:aws:eks:us-west-2:123456789012:nodegroup\/prod-k8s\/workers\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    });

    it("without scalingConfig, the node group has @pulumi/eks's documented default scaling (desired 2, min 1, max 2)", () => {
        let nodeGroup: ModelledChild | undefined;
        remoteComponentOutputs(components["eks:index:ManagedNodeGroup"], {
            type: "eks:index:ManagedNodeGroup",
            name: "ng",
            urn: "urn:pulumi:dev::app::eks:index:ManagedNodeGroup::ng",
            inputs: { clusterName: "shared" },
            account: "123456789012",
            region: "us-west-2",
            partition: partitionInfoOf("us-west-2"),
            types,
            child: (childType, childName, inputs) => (nodeGroup = { urn: `urn:x::${childName}`, type: childType, name: childName, id: "ng-id", state: { ...inputs } }),
        });
        expect((nodeGroup as ModelledChild).state).to.deep.include({ clusterName: "shared", scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 2 } });
    });

    it("an awsx load balancer's default target group has an ARN targetgroup/<name>/<16 hex> and arnSuffix the part from targetgroup/ on", () => {
        const made: ModelledChild[] = [];
        remoteComponentOutputs(components["awsx:lb:ApplicationLoadBalancer"], {
            type: "awsx:lb:ApplicationLoadBalancer",
            name: "web",
            urn: "urn:pulumi:dev::app::awsx:lb:ApplicationLoadBalancer::web",
            inputs: {},
            account: "123456789012",
            region: "us-west-2",
            partition: partitionInfoOf("us-west-2"),
            types,
            child: (childType, childName, inputs) => {
                const child = { urn: `urn:x::${childType}::${childName}`, type: childType, name: childName, id: `id-${made.length}`, state: { ...inputs } };
                made.push(child);
                return child;
            },
        });
        const tg = made.find((m) => m.type === "aws:lb/targetGroup:TargetGroup") as ModelledChild;
        // arn:${Partition}:elasticloadbalancing:${Region}:${Account}:targetgroup/${TargetGroupName}/${TargetGroupId}; names are at most 32 characters.
        expect(tg.state.arn).to.match(/^arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/);
        expect(String(tg.state.arn).endsWith(`:${String(tg.state.arnSuffix)}`)).to.equal(true);
        expect(tg.state.arnSuffix).to.match(/^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/);
        expect(String(tg.state.arnSuffix).split("/")[1]).to.equal(tg.state.name);
    });
});
