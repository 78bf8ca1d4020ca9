import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UserError } from "../../../lib/errors";
import { readStackReferences } from "../../../lib/synth/inputs";
import { classifyFailure } from "../../../lib/synth/failure";

describe("--stack-references file", () => {
    it("names each wrong entry once: the path, what is expected and what was given", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-refs-"));
        const file = path.join(dir, "refs.json");
        try {
            fs.writeFileSync(file, JSON.stringify({ "acme/network/prod": { vpcId: "vpc-1" }, bogus: 5, "shared/listed": ["x"] }));
            let err: unknown;
            try {
                readStackReferences(file);
            } catch (e) {
                err = e;
            }
            expect(err).to.be.instanceOf(UserError);
            const problems = (err as UserError).problems;
            expect(problems).to.deep.equal([
                { path: "bogus", allowed: "a JSON object", received: "number 5" },
                { path: "shared/listed", allowed: "a JSON object", received: "a list" },
            ]);
            expect((err as UserError).message.match(/expected/g)).to.have.length(2);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a required StackReference output the file does not give is a usage error naming the stack and the output", () => {
        // The SDK's own error (@pulumi/pulumi stackReference.js requireOutput).
        const err = classifyFailure(new Error("Required output 'vpcId' does not exist on stack 'acme/network/prod'."), "/app", {});
        expect(err).to.be.instanceOf(UserError);
        expect((err as UserError).problems).to.deep.equal([
            { path: "acme/network/prod: vpcId", allowed: 'the output in the file given to --stack-references ({"acme/network/prod": {"vpcId": <value>}})', received: "nothing" },
        ]);
    });
});
