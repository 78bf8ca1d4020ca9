import { expect } from "chai";
import { PolicyDocumentArgs, renderPolicyDocument, stringHashcode } from "../../../lib/synth/invokes/policy-document";
import { TERRAFORM_CASES } from "./fixtures/terraform-policy-documents";

const render = (a: PolicyDocumentArgs): string => renderPolicyDocument(a).json;

describe("aws.iam.getPolicyDocument rendering (the Terraform AWS provider's acceptance cases)", () => {
    for (const c of TERRAFORM_CASES) {
        it(`${c.name}${c.error ? " fails as the provider does" : c.exact ? " renders byte for byte" : " renders the same JSON value"}`, () => {
            const args = typeof c.args === "function" ? c.args(render) : c.args;
            if (c.error) {
                expect(() => renderPolicyDocument(args)).to.throw(c.error);
                return;
            }
            const out = renderPolicyDocument(args);
            if (c.exact) {
                expect(out.json).to.equal(c.json);
            } else {
                // Equivalent JSON: key order free, array order kept (CheckResourceAttrEquivalentJSON).
                expect(JSON.parse(out.json)).to.deep.equal(JSON.parse(c.json as string));
            }
            if (c.minifiedJson !== undefined) expect(out.minifiedJson).to.equal(c.minifiedJson);
            expect(out.minifiedJson).to.equal(JSON.stringify(JSON.parse(out.json)).replace(/[<>&]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`));
            expect(out.id).to.equal(String(stringHashcode(out.json)));
        });
    }

    it("escapes <, > and & as Go's encoding/json does", () => {
        const out = renderPolicyDocument({ statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::a&b<c>"] }] });
        expect(out.minifiedJson).to.contain('"Resource":"arn:aws:s3:::a\\u0026b\\u003cc\\u003e"');
    });

    it("uses the provider's string hash code (CRC-32 IEEE) for the id", () => {
        // CRC-32 check value of the ASCII digits 1..9 (the standard test vector, 0xCBF43926).
        expect(stringHashcode("123456789")).to.equal(0xcbf43926);
    });
});
