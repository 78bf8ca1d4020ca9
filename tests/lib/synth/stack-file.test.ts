import { expect } from "chai";
import { isUserError } from "../../../lib/errors";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NO_STACK_FILE_NOTE, OFFLINE_SECRET_PLACEHOLDER, parseStackFile, readStackFile } from "../../../lib/synth/stack-file";

const FILE = "/repo/Pulumi.dev.yaml";

function userErrorOf(fn: () => unknown): Error {
    try {
        fn();
    } catch (err) {
        expect(isUserError(err), String(err)).to.equal(true);
        return err as Error;
    }
    throw new Error("expected a UserError");
}

describe("synth stack-file", () => {
    it("turns scalars into text, objects and lists into JSON, and adds the project namespace", () => {
        const text = [
            "config:",
            "  aws:region: eu-west-1",
            "  orgwatch:retentionDays: 365",
            "  orgwatch:insights: true",
            "  orgwatch:trail:",
            "    dataEvents: { s3: true }",
            "  orgwatch:regions: [eu-west-1, us-east-1]",
            "  namePrefix: ow",
        ].join("\n");
        const s = parseStackFile(text, FILE, "orgwatch");
        expect(s.config).to.deep.equal({
            "aws:region": "eu-west-1",
            "orgwatch:retentionDays": "365",
            "orgwatch:insights": "true",
            "orgwatch:trail": '{"dataEvents":{"s3":true}}',
            "orgwatch:regions": '["eu-west-1","us-east-1"]',
            "orgwatch:namePrefix": "ow",
        });
        expect(s.secretKeys).to.deep.equal([]);
        expect(s.notes).to.deep.equal([]);
    });

    it("replaces secure values (top-level and nested) by a fake value, marks them secret and says so", () => {
        const text = "config:\n  orgwatch:token:\n    secure: v1:AAAA\n  orgwatch:hook:\n    url:\n      secure: v1:BBBB\n    name: ops\n";
        const s = parseStackFile(text, FILE, "orgwatch");
        expect(s.config["orgwatch:token"]).to.equal(OFFLINE_SECRET_PLACEHOLDER);
        expect(JSON.parse(s.config["orgwatch:hook"])).to.deep.equal({ url: OFFLINE_SECRET_PLACEHOLDER, name: "ops" });
        expect(s.secretKeys).to.deep.equal(["orgwatch:hook", "orgwatch:token"]);
        expect(s.notes.join("\n")).to.contain("secrets were not decrypted");
        expect(JSON.stringify(s)).to.not.contain("v1:AAAA");
    });

    it("rejects text that is not YAML, naming the file", () => {
        const err = userErrorOf(() => parseStackFile("config: [unclosed", FILE, "orgwatch"));
        expect(err.message).to.contain(FILE).and.contain("valid YAML");
    });

    it("rejects a file that is not a mapping", () => {
        const err = userErrorOf(() => parseStackFile("- a\n- b\n", FILE, "orgwatch"));
        expect(err.message).to.contain(FILE).and.contain("received a list");
    });

    it("rejects a config that is not a mapping", () => {
        const err = userErrorOf(() => parseStackFile("config: just-text\n", FILE, "orgwatch"));
        expect(err.message).to.contain(`${FILE}: config`).and.contain('string "just-text"');
    });

    it("requires a config mapping only when asked (an explicit --config-file)", () => {
        expect(parseStackFile("secretsprovider: passphrase\n", FILE, "orgwatch").config).to.deep.equal({});
        const err = userErrorOf(() => parseStackFile("secretsprovider: passphrase\n", FILE, "orgwatch", { requireConfig: true }));
        expect(err.message).to.contain("no `config:` key");
    });

    it("a stack without a settings file runs with no stack config, as pulumi preview runs it, with a note; a named file must exist", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-nostack-"));
        try {
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: app\nruntime: nodejs\n");
            const file = path.join(dir, "Pulumi.dev.yaml");
            const read = readStackFile(file, "app");
            expect(read.config).to.deep.equal({});
            expect(read.notes.join("\n")).to.contain(NO_STACK_FILE_NOTE).and.contain(file);
            let err: unknown;
            try {
                readStackFile(file, "app", { requireConfig: true });
            } catch (e) {
                err = e;
            }
            expect(isUserError(err)).to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
