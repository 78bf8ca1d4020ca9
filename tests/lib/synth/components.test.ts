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
});
