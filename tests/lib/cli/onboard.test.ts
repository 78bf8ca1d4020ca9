import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { onboardCommand, type OnboardOutcome } from "../../../lib/cli/onboard";
import { runCommand, type CliIo } from "../../../lib/cli/common";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";

/**
 * `onboard` on copies of Pulumi.prod.yaml: a valid account is appended with every comment intact
 * and the plan lists exactly the account's resources; anything invalid or duplicate exits 2 and
 * leaves the file byte-for-byte unchanged.
 */

const prodFile = path.join(PACKAGE_ROOT, "Pulumi.prod.yaml");
const prodText = fs.readFileSync(prodFile, "utf8");
// Governed Regions of prod, read from the file independently of the code under test.
const prodRegions = (YAML.parse(prodText) as { config: { "orgwatch:regions": { governed: string[] } } }).config["orgwatch:regions"].governed;

let dir: string;
let copy: string;

async function onboard(args: readonly string[]): Promise<{ code: number; out: string; err: string; outcome?: OnboardOutcome }> {
    let out = "";
    let err = "";
    const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t) };
    let outcome: OnboardOutcome | undefined;
    const code = await runCommand(onboardCommand(io, (o) => (outcome = o)), ["--stack", "prod", "--config-file", copy, ...args], io);
    return { code, out, err, outcome };
}

describe("onboard command", function () {
    this.timeout(60000);

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-onboard-"));
        copy = path.join(dir, "Pulumi.prod.yaml");
        fs.writeFileSync(copy, prodText);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("adopts an account: comments survive byte-for-byte, the entry is last, the plan is the provider, baseline and one link per Region", async () => {
        const r = await onboard(["--name", "ledger-prod", "--id", "610987654399"]);
        expect(r.code, r.err).to.equal(0);
        const text = fs.readFileSync(copy, "utf8");
        const comments = prodText.split("\n").filter((l) => l.trimStart().startsWith("#"));
        expect(comments.length).to.be.greaterThan(4);
        for (const line of comments) expect(text.split("\n")).to.include(line);
        expect(text.startsWith(prodText)).to.equal(true);
        const accounts = (YAML.parse(text) as { config: { "orgwatch:accounts": Array<Record<string, string>> } }).config["orgwatch:accounts"];
        expect(accounts[accounts.length - 1]).to.deep.equal({ name: "ledger-prod", id: "610987654399" });

        const added = (r.outcome?.added ?? []).map((a) => `${a.type} ${a.name}`).sort();
        expect(added).to.deep.equal([
            "orgwatch:baseline:AccountBaseline baseline-ledger-prod",
            "pulumi:providers:aws member-ledger-prod",
            ...prodRegions.map((region) => `aws:oam/link:Link baseline-ledger-prod-link-${region}`),
        ].sort());
        const links = (r.outcome?.added ?? []).filter((a) => a.type === "aws:oam/link:Link");
        expect(links.map((l) => l.account)).to.deep.equal(prodRegions.map(() => "610987654399"));
        expect(r.outcome?.otherChanges).to.deep.equal([]);
        expect(r.out).to.include("aws:oam/link:Link");
    });

    it("creates an account in an OU: the plan adds the organizations Account too", async () => {
        const r = await onboard(["--name", "new-team", "--email", "aws+new-team@example.com", "--ou", "Root/Workloads/Prod"]);
        expect(r.code, r.err).to.equal(0);
        const types = (r.outcome?.added ?? []).map((a) => a.type).sort();
        expect(types).to.deep.equal(["aws:organizations/account:Account", ...prodRegions.map(() => "aws:oam/link:Link"), "orgwatch:baseline:AccountBaseline", "pulumi:providers:aws"].sort());
        expect(r.outcome?.otherChanges).to.deep.equal([]);
        expect(fs.readFileSync(copy, "utf8").endsWith("    - name: new-team\n      email: aws+new-team@example.com\n      ou: Root/Workloads/Prod\n")).to.equal(true);
    });

    it("--dry-run prints the edit and writes nothing", async () => {
        const before = fs.statSync(copy).mtimeMs;
        const r = await onboard(["--name", "ledger-prod", "--id", "610987654399", "--dry-run"]);
        expect(r.code, r.err).to.equal(0);
        expect(r.outcome?.written).to.equal(false);
        expect(r.out).to.include('+    - name: ledger-prod\n+      id: "610987654399"');
        expect(fs.readFileSync(copy, "utf8")).to.equal(prodText);
        expect(fs.statSync(copy).mtimeMs).to.equal(before);
    });

    const refused: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
        ["an id that is not 12 digits", ["--name", "x", "--id", "61098765432"], /accounts\[12\]\.id/],
        ["a malformed email", ["--name", "x", "--email", "not-an-email", "--ou", "Root/Sandbox"], /accounts\[12\]\.email/],
        ["an OU path not listed in config", ["--name", "x", "--email", "aws+x@example.com", "--ou", "Root/Nowhere"], /accounts\[12\]\.ou/],
        ["a duplicate id", ["--name", "x", "--id", "610987654321"], /accounts\[12\]\.id/],
        ["a duplicate name (other case)", ["--name", "Payments-Prod", "--id", "610987654399"], /accounts\[12\]\.name/],
        ["a duplicate email", ["--name", "x", "--email", "aws+ml-sandbox@example.com", "--ou", "Root/Sandbox"], /accounts\[12\]\.email/],
        ["the management account", ["--name", "x", "--id", "210987654321"], /accounts\[12\]\.id/],
    ];
    for (const [what, args, where] of refused) {
        it(`refuses ${what}: exit 2, the problem named, file byte-for-byte unchanged`, async () => {
            const r = await onboard(args);
            expect(r.code).to.equal(2);
            expect(r.err).to.match(where);
            expect(fs.readFileSync(copy, "utf8")).to.equal(prodText);
        });
    }

    const usage: ReadonlyArray<readonly [string, readonly string[]]> = [
        ["no --name", ["--id", "610987654399"]],
        ["neither --id nor --email", ["--name", "x"]],
        ["--email without --ou", ["--name", "x", "--email", "aws+x@example.com"]],
        ["--id with --email", ["--name", "x", "--id", "610987654399", "--email", "aws+x@example.com", "--ou", "Root/Sandbox"]],
    ];
    for (const [what, args] of usage) {
        it(`bad arguments (${what}): usage help, exit 2, file unchanged`, async () => {
            const r = await onboard(args);
            expect(r.code).to.equal(2);
            expect(r.err).to.include("Usage: onboard");
            expect(fs.readFileSync(copy, "utf8")).to.equal(prodText);
        });
    }
});
