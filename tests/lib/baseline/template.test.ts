import { expect } from "chai";
import { LINK_LOGICAL_ID, PLACEHOLDER_LOGICAL_ID, oamLinkTemplate, templateBody, type CloudFormationTemplate } from "../../../lib/baseline/template";
import { cfnAttributes, cfnPropertyErrors, cfnResource } from "../../helpers/cfn-spec";
import { stackOf } from "../../helpers/cfn-template";

/**
 * The member baseline template against AWS's published CloudFormation schema of `AWS::Oam::Link`
 * (@aws-cdk/aws-service-spec, from the CloudFormation registry), and evaluated the way CloudFormation
 * evaluates a stack of it in a given account and Region: the intrinsic functions below are implemented
 * here from the CloudFormation template reference, not taken from the code under test.
 */

const TYPES = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"];
const MONITORING = "333333333333";
const LOG_ARCHIVE = "222222222222";
const SINKS: Record<string, string> = {
    "eu-west-1": "arn:aws:oam:eu-west-1:333333333333:sink/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    "us-east-1": "arn:aws:oam:us-east-1:333333333333:sink/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222",
    "ap-southeast-2": "arn:aws:oam:ap-southeast-2:333333333333:sink/a1b2c3d4-5678-90ab-cdef-EXAMPLE33333",
};

/** Every `Fn::GetAtt` in a value. */
function getAtts(value: unknown, out: [string, string][] = []): [string, string][] {
    if (Array.isArray(value)) value.forEach((v) => getAtts(v, out));
    else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            if (k === "Fn::GetAtt" && Array.isArray(v)) out.push([String(v[0]), String(v[1])]);
            else getAtts(v, out);
        }
    }
    return out;
}

describe("member baseline template (AWS::Oam::Link, checked against the CloudFormation registry schema)", () => {
    const template = oamLinkTemplate({ sinkArns: SINKS, resourceTypes: TYPES, excludedAccountIds: [MONITORING, LOG_ARCHIVE] });

    it("in every governed Region, a member account's stack holds one link to that Region's own sink (also for accounts automatic deployment adds later: no parameters)", () => {
        for (const region of Object.keys(SINKS)) {
            const stack = stackOf(template, "444455556666", region);
            expect(Object.keys(stack), region).to.deep.equal([LINK_LOGICAL_ID]);
            expect(stack[LINK_LOGICAL_ID].Type).to.equal("AWS::Oam::Link");
            expect(stack[LINK_LOGICAL_ID].Properties).to.deep.equal({ SinkIdentifier: SINKS[region], LabelTemplate: "$AccountName", ResourceTypes: [...TYPES].sort(), Tags: { "orgwatch:baseline": "link" } });
        }
    });

    it("in an excluded account (the monitoring account, the log-archive account) a stack holds no link, whatever put it there", () => {
        for (const account of [MONITORING, LOG_ARCHIVE]) {
            for (const region of Object.keys(SINKS)) {
                const stack = stackOf(template, account, region);
                expect(Object.values(stack).map((r) => r.Type), `${account} ${region}`).to.deep.equal(["AWS::CloudFormation::WaitConditionHandle"]);
            }
        }
    });

    it("a stack in a Region the template does not name holds the placeholder and no link, and does not fail (a removed Region's stacks before their instances are deleted)", () => {
        // Reasoning, written down first: after the Region is dropped, UpdateStackSet still updates the Region's
        // existing stacks. They must succeed (else the operation fails before the instances are deleted) and
        // must hold no link (else the Region's sink cannot be deleted: OAM refuses DeleteSink while links exist).
        for (const account of ["444455556666", MONITORING]) {
            expect(stackOf(template, account, "sa-east-1"), account).to.deep.equal({ [PLACEHOLDER_LOGICAL_ID]: { Type: "AWS::CloudFormation::WaitConditionHandle", Properties: {} } });
        }
        const { "us-east-1": _dropped, ...remaining } = SINKS;
        const after = oamLinkTemplate({ sinkArns: remaining, resourceTypes: TYPES, excludedAccountIds: [MONITORING, LOG_ARCHIVE] });
        expect(Object.keys(stackOf(after, "444455556666", "us-east-1"))).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
        for (const region of Object.keys(remaining)) expect(stackOf(after, "444455556666", region)[LINK_LOGICAL_ID].Properties).to.have.property("SinkIdentifier", SINKS[region]);
        const single = oamLinkTemplate({ sinkArns: { "eu-west-1": SINKS["eu-west-1"] }, resourceTypes: TYPES });
        expect(Object.keys(stackOf(single, "444455556666", "us-east-1"))).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
        expect(stackOf(single, "444455556666", "eu-west-1")[LINK_LOGICAL_ID].Properties).to.have.property("SinkIdentifier", SINKS["eu-west-1"]);
    });

    it("with more than ten governed Regions and excluded accounts (Fn::Or takes at most ten), every Region links to its own sink and no other Region links", () => {
        const many = ["af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "me-south-1", "il-central-1"];
        const sinks = Object.fromEntries(many.map((r, i) => [r, `arn:aws:oam:${r}:333333333333:sink/sink-${i}`]));
        const excluded = Array.from({ length: 12 }, (_, i) => String(100000000000 + i));
        const big = oamLinkTemplate({ sinkArns: sinks, resourceTypes: TYPES, excludedAccountIds: excluded });
        for (const region of many) {
            expect(stackOf(big, "444455556666", region)[LINK_LOGICAL_ID].Properties, region).to.have.property("SinkIdentifier", sinks[region]);
            expect(Object.keys(stackOf(big, excluded[11], region)), region).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
        }
        expect(Object.keys(stackOf(big, "444455556666", "eu-south-1"))).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
        expect(Buffer.byteLength(templateBody(big))).to.be.below(51_200);
    });

    it("every resource type exists in the registry and every link's properties are valid for the published schema", () => {
        for (const r of Object.values(template.Resources)) expect(cfnResource(r.Type).cloudFormationType).to.equal(r.Type);
        expect(cfnPropertyErrors("AWS::Oam::Link", template.Resources[LINK_LOGICAL_ID].Properties)).to.deep.equal([]);
        // Resolved in a member account, the properties are literal values the schema accepts too.
        expect(cfnPropertyErrors("AWS::Oam::Link", stackOf(template, "444455556666", "us-east-1")[LINK_LOGICAL_ID].Properties)).to.deep.equal([]);
    });

    it("names every property the schema requires (SinkIdentifier, ResourceTypes) and refers only to attributes the link type has", () => {
        const required = Object.entries(cfnResource("AWS::Oam::Link").properties).filter(([, p]) => p.required === true).map(([n]) => n);
        expect(required.sort()).to.deep.equal(["ResourceTypes", "SinkIdentifier"]);
        for (const name of required) expect(template.Resources[LINK_LOGICAL_ID].Properties).to.have.property(name);
        for (const [logical, attribute] of getAtts(template)) {
            expect(logical).to.equal(LINK_LOGICAL_ID);
            expect(cfnAttributes("AWS::Oam::Link")).to.include(attribute);
        }
    });

    // The guardrail SCP protects links by this tag (docs/SECURITY.md); the registry schema's Tags is a map of strings.
    it("tags the link orgwatch:baseline=link, as a map the schema accepts (and refuses as a list of Key/Value pairs)", () => {
        const tags = cfnResource("AWS::Oam::Link").properties.Tags;
        expect(tags.type).to.deep.equal({ type: "map", element: { type: "string" } });
        const props = template.Resources[LINK_LOGICAL_ID].Properties ?? {};
        expect(props.Tags).to.deep.equal({ "orgwatch:baseline": "link" });
        expect(cfnPropertyErrors("AWS::Oam::Link", props)).to.deep.equal([]);
        expect(cfnPropertyErrors("AWS::Oam::Link", { ...props, Tags: [{ Key: "orgwatch:baseline", Value: "link" }] })).to.have.length.greaterThan(0);
    });

    it("states a deletion policy on the link (CloudFormation's resource import requires one)", () => {
        expect(template.Resources[LINK_LOGICAL_ID].DeletionPolicy).to.equal("Delete");
    });

    it("shares the configured types, each a value the schema's documentation lists", () => {
        const documented = String(cfnResource("AWS::Oam::Link").properties.ResourceTypes.documentation);
        for (const t of TYPES) expect(documented).to.include(t);
    });

    it("without excluded accounts: every account links in every governed Region", () => {
        const plain = oamLinkTemplate({ sinkArns: SINKS, resourceTypes: TYPES });
        for (const region of Object.keys(SINKS)) expect(Object.keys(stackOf(plain, MONITORING, region))).to.deep.equal([LINK_LOGICAL_ID]);
    });

    it("is deterministic JSON (identical settings, identical text) under CloudFormation's 51,200-byte body limit", () => {
        const again = templateBody(oamLinkTemplate({ sinkArns: Object.fromEntries(Object.entries(SINKS).reverse()), resourceTypes: [...TYPES].reverse(), excludedAccountIds: [LOG_ARCHIVE, MONITORING] }));
        expect(templateBody(template)).to.equal(again);
        expect(Buffer.byteLength(again)).to.be.below(51_200);
        expect(JSON.parse(again)).to.deep.equal(template);
    });

    it("refuses settings AWS would refuse", () => {
        expect(() => oamLinkTemplate({ sinkArns: SINKS, resourceTypes: [] })).to.throw(/at least one type/);
        expect(() => oamLinkTemplate({ sinkArns: {}, resourceTypes: TYPES })).to.throw(/at least one Region/);
        expect(() => oamLinkTemplate({ sinkArns: { "eu-west-1": SINKS["us-east-1"] }, resourceTypes: TYPES })).to.throw(/sink ARN in eu-west-1/);
        expect(() => oamLinkTemplate({ sinkArns: { "eu-west-1": "arn:aws:oam:eu-west-1:333333333333:link/x" }, resourceTypes: TYPES })).to.throw(/OAM sink ARN/);
        expect(() => oamLinkTemplate({ sinkArns: SINKS, resourceTypes: TYPES, labelTemplate: "x".repeat(65) })).to.throw(/1-64 characters/);
        expect(() => oamLinkTemplate({ sinkArns: SINKS, resourceTypes: TYPES, excludedAccountIds: ["1234"] })).to.throw(/12-digit/);
    });

    describe("the oracles themselves (controls)", () => {
        it("the schema refuses an unknown property, a missing required property and a mistyped one", () => {
            const props = template.Resources[LINK_LOGICAL_ID].Properties ?? {};
            expect(cfnPropertyErrors("AWS::Oam::Link", { ...props, Label: "x" })).to.have.length.greaterThan(0);
            const { SinkIdentifier: _sink, ...withoutSink } = props;
            expect(cfnPropertyErrors("AWS::Oam::Link", withoutSink)).to.have.length.greaterThan(0);
            expect(cfnPropertyErrors("AWS::Oam::Link", { ...props, ResourceTypes: "AWS::CloudWatch::Metric" })).to.have.length.greaterThan(0);
        });
        it("the evaluator fails a lookup that cannot resolve, also in a resource whose condition is false and in the branch of Fn::If not taken", () => {
            const lookup = { "Fn::FindInMap": ["SinkByRegion", { Ref: "AWS::Region" }, "SinkArn"] };
            const mapped = { ...template, Mappings: { SinkByRegion: { "us-east-1": { SinkArn: SINKS["us-east-1"] } } } } as unknown as CloudFormationTemplate;
            const withLink = (sink: unknown) => ({ ...mapped, Resources: { ...template.Resources, [LINK_LOGICAL_ID]: { ...template.Resources[LINK_LOGICAL_ID], Properties: { ...template.Resources[LINK_LOGICAL_ID].Properties, SinkIdentifier: sink } } } });
            expect(stackOf(withLink(lookup), "444455556666", "us-east-1")[LINK_LOGICAL_ID].Properties).to.have.property("SinkIdentifier", SINKS["us-east-1"]);
            expect(() => stackOf(withLink(lookup), "444455556666", "sa-east-1")).to.throw(/no such entry/);
            expect(() => stackOf(withLink({ "Fn::If": ["RegionEuWest1", SINKS["eu-west-1"], lookup] }), "444455556666", "eu-west-1")).to.throw(/no such entry/);
        });
        it("the evaluator refuses a template with parameters, an undeclared condition and a stack without resources", () => {
            expect(() => stackOf({ ...template, Parameters: {} } as unknown as CloudFormationTemplate, "444455556666", "eu-west-1")).to.throw(/no parameters/);
            expect(() => stackOf({ ...template, Conditions: {} }, MONITORING, "eu-west-1")).to.throw(/not declared/);
            const linkOnly = { ...template, Resources: { [LINK_LOGICAL_ID]: template.Resources[LINK_LOGICAL_ID] } };
            expect(() => stackOf(linkOnly, MONITORING, "eu-west-1")).to.throw(/at least one resource/);
            expect(() => stackOf(linkOnly, "444455556666", "sa-east-1")).to.throw(/at least one resource/);
        });
    });
});
