import { expect } from "chai";
import { logsServicePrincipal, policyJson, SERVICE_PRINCIPALS, type PolicyDocument } from "../../../lib/policy-documents";

describe("policy-documents: policyJson", () => {
    it("orders document and statement keys conventionally, sorts other keys, keeps list order, drops undefined", () => {
        const doc = {
            Statement: [
                {
                    Condition: { StringLike: { b: "2", a: "1" }, ArnEquals: { k: ["z", "y"] } },
                    Resource: "*",
                    Action: ["s3:B", "s3:A"],
                    Principal: { Service: "x.amazonaws.com", AWS: "arn:aws:iam::111111111111:root" },
                    Effect: "Allow",
                    Sid: "One",
                    NotResource: undefined,
                },
            ],
            Version: "2012-10-17",
        } as unknown as PolicyDocument;
        expect(policyJson(doc)).to.equal(
            '{"Version":"2012-10-17","Statement":[{"Sid":"One","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root","Service":"x.amazonaws.com"},' +
                '"Action":["s3:B","s3:A"],"Resource":"*","Condition":{"ArnEquals":{"k":["z","y"]},"StringLike":{"a":"1","b":"2"}}}]}',
        );
    });

    it("is stable: equal documents built in a different key order serialize identically, and indent is optional", () => {
        const a: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "S", Effect: "Deny", Action: "s3:*", Resource: "*" }] };
        const b = { Statement: [{ Resource: "*", Action: "s3:*", Effect: "Deny", Sid: "S" }], Version: "2012-10-17" } as PolicyDocument;
        expect(policyJson(a)).to.equal(policyJson(b));
        expect(JSON.parse(policyJson(a, 2))).to.deep.equal(a);
        expect(policyJson(a, 2)).to.contain("\n  ");
    });
});

describe("policy-documents: service principals", () => {
    it("names the documented service principals", () => {
        expect(SERVICE_PRINCIPALS).to.deep.equal({
            cloudTrail: "cloudtrail.amazonaws.com",
            cloudWatch: "cloudwatch.amazonaws.com",
            s3Logging: "logging.s3.amazonaws.com",
        });
        expect(logsServicePrincipal("ap-southeast-2")).to.equal("logs.ap-southeast-2.amazonaws.com");
        expect(() => logsServicePrincipal("")).to.throw(Error, 'region must be an AWS Region code such as us-east-1; received ""');
    });
});
