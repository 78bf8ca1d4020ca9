import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { appendAccount, roundTrips, unifiedDiff } from "../../../lib/onboard";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";

const prodText = fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.prod.yaml"), "utf8");

describe("onboard: stack file edit", () => {
    it("prints the repository's stack files back unchanged (so an edit only adds)", () => {
        expect(roundTrips(prodText)).to.equal(true);
        expect(roundTrips(fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.dev.yaml"), "utf8"))).to.equal(true);
    });

    it("appends an adopted account as the last list item with a quoted id, every original line kept in order", () => {
        const { text, key, createdKey } = appendAccount(prodText, { name: "ledger-prod", id: "610987654399" }, "Pulumi.prod.yaml");
        expect(key).to.equal("orgwatch:accounts");
        expect(createdKey).to.equal(false);
        // Only lines were added, at the end of the list: the original is a prefix of the result.
        expect(text.startsWith(prodText)).to.equal(true);
        expect(text.slice(prodText.length)).to.equal('    - name: ledger-prod\n      id: "610987654399"\n');
        const accounts = (YAML.parse(text) as { config: Record<string, Array<Record<string, string>>> }).config["orgwatch:accounts"];
        expect(accounts[accounts.length - 1]).to.deep.equal({ name: "ledger-prod", id: "610987654399" });
    });

    it("appends a created account with email and OU", () => {
        const { text } = appendAccount(prodText, { name: "new-team", email: "aws+new-team@example.com", ou: "Root/Sandbox" }, "f");
        expect(text.slice(prodText.length)).to.equal("    - name: new-team\n      email: aws+new-team@example.com\n      ou: Root/Sandbox\n");
    });

    it("creates orgwatch:accounts at the end of config when the key is absent, keeping comments", () => {
        const src = "# my stack\nconfig:\n  aws:region: eu-west-1 # home\n  orgwatch:namePrefix: acme\n";
        const { text, createdKey } = appendAccount(src, { name: "a", id: "123456789012" }, "f");
        expect(createdKey).to.equal(true);
        expect(text).to.equal('# my stack\nconfig:\n  aws:region: eu-west-1 # home\n  orgwatch:namePrefix: acme\n  orgwatch:accounts:\n    - name: a\n      id: "123456789012"\n');
    });

    it("extends the short form `accounts:` when the file uses it", () => {
        const src = "config:\n  accounts:\n    - name: a\n      id: \"123456789012\"\n";
        const { text, key } = appendAccount(src, { name: "b", id: "123456789013" }, "f");
        expect(key).to.equal("accounts");
        expect(text).to.equal(`${src}    - name: b\n      id: "123456789013"\n`);
    });

    it("refuses a file whose account key is not a list", () => {
        expect(() => appendAccount("config:\n  orgwatch:accounts: nope\n", { name: "b", id: "123456789013" }, "f")).to.throw(/a list of accounts/);
    });

    it("shows an insertion as + lines with context", () => {
        const d = unifiedDiff("a\nb\nc\n", "a\nb\nX\nc\n", "f", 1);
        expect(d).to.equal("--- f\n+++ f\n@@ -2,2 +2,3 @@\n b\n+X\n c\n");
        expect(unifiedDiff("a\n", "a\n", "f")).to.equal("");
    });
});
