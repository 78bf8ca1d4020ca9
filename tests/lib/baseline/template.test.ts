import { expect } from "chai";
import { LINK_LOGICAL_ID, SINK_ARN_PATTERN, SINK_PARAMETER, oamLinkTemplate, templateBody } from "../../../lib/baseline/template";
import { cfnAttributes, cfnPropertyErrors, cfnResource } from "../../helpers/cfn-spec";

/**
 * The member baseline template against AWS's published CloudFormation schema of `AWS::Oam::Link`
 * (@aws-cdk/aws-service-spec, from the CloudFormation registry): every property known and well typed,
 * every required property present, references resolvable. Controls show the oracle refuses what AWS
 * would refuse.
 */

const TYPES = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"];

/** Every `Ref` and `Fn::GetAtt` in a value. */
function references(value: unknown, out: { refs: string[]; getAtts: [string, string][] } = { refs: [], getAtts: [] }): typeof out {
    if (Array.isArray(value)) value.forEach((v) => references(v, out));
    else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            if (k === "Ref" && typeof v === "string") out.refs.push(v);
            else if (k === "Fn::GetAtt" && Array.isArray(v)) out.getAtts.push([String(v[0]), String(v[1])]);
            else references(v, out);
        }
    }
    return out;
}

describe("member baseline template (AWS::Oam::Link, checked against the CloudFormation registry schema)", () => {
    const template = oamLinkTemplate({ resourceTypes: TYPES });

    it("holds exactly one AWS::Oam::Link whose properties are valid for the published schema", () => {
        expect(Object.keys(template.Resources)).to.deep.equal([LINK_LOGICAL_ID]);
        const link = template.Resources[LINK_LOGICAL_ID];
        expect(link.Type).to.equal("AWS::Oam::Link");
        expect(cfnPropertyErrors("AWS::Oam::Link", link.Properties)).to.deep.equal([]);
    });

    it("names every property the schema requires (SinkIdentifier, ResourceTypes)", () => {
        const required = Object.entries(cfnResource("AWS::Oam::Link").properties).filter(([, p]) => p.required === true).map(([n]) => n);
        expect(required.sort()).to.deep.equal(["ResourceTypes", "SinkIdentifier"]);
        for (const name of required) expect(template.Resources[LINK_LOGICAL_ID].Properties).to.have.property(name);
    });

    it("refers only to its own parameter and to attributes the link type has", () => {
        const { refs, getAtts } = references(template);
        expect(refs).to.deep.equal([SINK_PARAMETER]);
        expect(Object.keys(template.Parameters)).to.deep.equal([SINK_PARAMETER]);
        for (const [logical, attribute] of getAtts) {
            expect(logical).to.equal(LINK_LOGICAL_ID);
            expect(cfnAttributes("AWS::Oam::Link")).to.include(attribute);
        }
    });

    it("shares the configured types, each a value the schema's documentation lists", () => {
        const documented = String(cfnResource("AWS::Oam::Link").properties.ResourceTypes.documentation);
        const types = template.Resources[LINK_LOGICAL_ID].Properties.ResourceTypes as string[];
        expect(types).to.deep.equal([...TYPES].sort());
        for (const t of types) expect(documented).to.include(t);
    });

    it("accepts sink ARNs of every partition and refuses what is not a sink ARN", () => {
        const re = new RegExp(SINK_ARN_PATTERN);
        // Formats from the Service Authorization Reference (oam: sink/<id>) for aws, aws-cn and aws-us-gov.
        for (const arn of ["arn:aws:oam:eu-west-1:111122223333:sink/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "arn:aws-cn:oam:cn-north-1:111122223333:sink/x", "arn:aws-us-gov:oam:us-gov-west-1:111122223333:sink/x"]) {
            expect(re.test(arn), arn).to.equal(true);
        }
        for (const arn of ["arn:aws:oam:eu-west-1:111122223333:link/x", "arn:aws:s3:::bucket", "sink/x", "arn:aws:oam:eu-west-1:1111:sink/x"]) {
            expect(re.test(arn), arn).to.equal(false);
        }
    });

    it("is deterministic JSON (identical settings, identical text) under CloudFormation's 51,200-byte body limit", () => {
        const again = templateBody(oamLinkTemplate({ resourceTypes: [...TYPES].reverse() }));
        expect(templateBody(template)).to.equal(again);
        expect(Buffer.byteLength(again)).to.be.below(51_200);
        expect(JSON.parse(again)).to.deep.equal(template);
    });

    it("refuses settings AWS would refuse", () => {
        expect(() => oamLinkTemplate({ resourceTypes: [] })).to.throw(/at least one type/);
        expect(() => oamLinkTemplate({ resourceTypes: TYPES, labelTemplate: "x".repeat(65) })).to.throw(/1-64 characters/);
    });

    describe("the oracle itself (controls)", () => {
        it("refuses an unknown property, a missing required property and a mistyped one", () => {
            const props = template.Resources[LINK_LOGICAL_ID].Properties;
            expect(cfnPropertyErrors("AWS::Oam::Link", { ...props, Label: "x" })).to.have.length.greaterThan(0);
            const { SinkIdentifier: _sink, ...withoutSink } = props;
            expect(cfnPropertyErrors("AWS::Oam::Link", withoutSink)).to.have.length.greaterThan(0);
            expect(cfnPropertyErrors("AWS::Oam::Link", { ...props, ResourceTypes: "AWS::CloudWatch::Metric" })).to.have.length.greaterThan(0);
        });
    });
});
