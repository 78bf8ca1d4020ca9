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

    // 30 commercial Regions (the AWS Regions list); orgwatch governs a prefix of it at each size.
    const REGIONS = ["af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "mx-central-1"];
    const EXCLUDED = Array.from({ length: 12 }, (_, i) => String(100000000000 + i));

    /** Deepest chain of `Fn::If` inside `Fn::If` in a value. */
    function ifDepth(value: unknown): number {
        if (Array.isArray(value)) return Math.max(0, ...value.map(ifDepth));
        if (typeof value !== "object" || value === null) return 0;
        return Math.max(0, ...Object.entries(value).map(([k, v]) => (k === "Fn::If" ? 1 : 0) + ifDepth(v)));
    }

    for (const n of [1, 3, 11, 30]) {
        it(`with ${n} governed Region(s) and 12 excluded accounts (Fn::Or takes at most ten): each Region links to its own sink, a removed Region and excluded accounts hold only the placeholder`, () => {
            const governed = REGIONS.slice(0, n);
            const sinks = Object.fromEntries(governed.map((r, i) => [r, `arn:aws:oam:${r}:333333333333:sink/a1b2c3d4-5678-90ab-cdef-${String(i).padStart(12, "0")}`]));
            const t = oamLinkTemplate({ sinkArns: sinks, resourceTypes: TYPES, excludedAccountIds: EXCLUDED });
            for (const region of governed) {
                expect(stackOf(t, "444455556666", region), region).to.deep.equal({ [LINK_LOGICAL_ID]: { Type: "AWS::Oam::Link", Properties: { SinkIdentifier: sinks[region], LabelTemplate: "$AccountName", ResourceTypes: [...TYPES].sort(), Tags: { "orgwatch:baseline": "link" } } } });
                for (const account of [EXCLUDED[0], EXCLUDED[11]]) expect(Object.keys(stackOf(t, account, region)), `${account} ${region}`).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
            }
            // The last governed Region removed: its stacks, updated to the new template, keep only the placeholder.
            const removed = governed[governed.length - 1];
            const after = n === 1 ? oamLinkTemplate({ sinkArns: { "mx-central-1": "arn:aws:oam:mx-central-1:333333333333:sink/other" }, resourceTypes: TYPES, excludedAccountIds: EXCLUDED }) : oamLinkTemplate({ sinkArns: Object.fromEntries(governed.slice(0, -1).map((r) => [r, sinks[r]])), resourceTypes: TYPES, excludedAccountIds: EXCLUDED });
            expect(Object.keys(stackOf(after, "444455556666", removed))).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
            expect(Object.keys(stackOf(t, "444455556666", "eu-south-3"))).to.deep.equal([PLACEHOLDER_LOGICAL_ID]);
            // The sink is chosen by a chain of Fn::If, one per Region but the last (ADR 0003 and docs/scaling.md
            // state this depth: 0, 2, 10, 29); nesting of this depth is verified only in AWS.
            expect(ifDepth(t.Resources[LINK_LOGICAL_ID].Properties)).to.equal(n - 1);
            const body = Buffer.byteLength(templateBody(t));
            expect(body).to.be.below(51_200);
            if (n === 30) console.log(`      template at 30 Regions, 12 excluded accounts: ${body} bytes compact, ${Buffer.byteLength(JSON.stringify(t, null, 2))} pretty, ${Object.keys(t.Conditions).length} conditions, Fn::If depth ${ifDepth(t.Resources[LINK_LOGICAL_ID].Properties)}`);
        });
    }

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
