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
 * and the plan lists exactly the account's resources (none for an adopted account, the
 * organizations Account for a created one: the baseline comes from the StackSet); anything invalid,
 * duplicate or outside every baseline target exits 2 and leaves the file byte-for-byte unchanged.
 */

const prodFile = path.join(PACKAGE_ROOT, "Pulumi.prod.yaml");
const prodText = fs.readFileSync(prodFile, "utf8");
// Governed Regions of prod, read from the file independently of the code under test.
const prodConfig = (YAML.parse(prodText) as { config: { "orgwatch:regions": { governed: string[] }; "orgwatch:organization": { managementAccountId: string } } }).config;
const prodRegions = prodConfig["orgwatch:regions"].governed;
const prodManagement = prodConfig["orgwatch:organization"].managementAccountId;

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

    it("adopts an account: comments survive byte-for-byte, the entry is last, nothing is added (the StackSet already covers it)", async () => {
        const r = await onboard(["--name", "ledger-prod", "--id", "610987654399"]);
        expect(r.code, r.err).to.equal(0);
        const text = fs.readFileSync(copy, "utf8");
        const comments = prodText.split("\n").filter((l) => l.trimStart().startsWith("#"));
        expect(comments.length).to.be.greaterThan(4);
        for (const line of comments) expect(text.split("\n")).to.include(line);
        expect(text.startsWith(prodText)).to.equal(true);
        const accounts = (YAML.parse(text) as { config: { "orgwatch:accounts": Array<Record<string, string>> } }).config["orgwatch:accounts"];
        expect(accounts[accounts.length - 1]).to.deep.equal({ name: "ledger-prod", id: "610987654399" });
        // Adopting an account registers nothing: its baseline comes from the StackSet, which targets OUs.
        expect(r.outcome?.added).to.deep.equal([]);
        expect(r.outcome?.otherChanges).to.deep.equal([]);
        expect(r.out).to.include("will add 0 resource(s)");
        expect(r.out).to.include(`the StackSet orgwatch-member-baseline deploys an OAM link in ${prodRegions.join(", ")} to every account of the whole organization (Root)`);
    });

    it("creates an account in an OU: the plan adds exactly the organizations Account, in the management account", async () => {
        const r = await onboard(["--name", "new-team", "--email", "aws+new-team@example.com", "--ou", "Root/Workloads/Prod"]);
        expect(r.code, r.err).to.equal(0);
        const added = r.outcome?.added ?? [];
        expect(added.map((a) => `${a.type} ${a.name}`)).to.deep.equal(["aws:organizations/account:Account members-account-new-team"]);
        expect(added[0].account).to.equal(prodManagement);
        expect(r.outcome?.otherChanges).to.deep.equal([]);
        expect(fs.readFileSync(copy, "utf8").endsWith("    - name: new-team\n      email: aws+new-team@example.com\n      ou: Root/Workloads/Prod\n")).to.equal(true);
        expect(r.out).to.include("when the account is created in Root/Workloads/Prod, the StackSet orgwatch-member-baseline (automatic deployment to the whole organization (Root))");
    });

    describe("with baseline targets narrower than the root", () => {
        // prod with the StackSet deploying to Root/Workloads only.
        const narrowed = prodText.replace("  orgwatch:memberBaselines:\n    targets:\n      - Root\n", "  orgwatch:memberBaselines:\n    targets:\n      - Root/Workloads\n").replace(/ {4}- name: ml-sandbox\n {6}email: aws\+ml-sandbox@example.com\n {6}ou: Root\/Sandbox\n/, "");
        const adopted = / {4}- name: (security-tooling|shared-networking|shared-services|payments-prod|checkout-prod|catalog-prod|identity-prod|payments-staging|checkout-staging|catalog-staging)\n {6}id: "(\d{12})"\n/g;
        // Every adopted account states its OU (required once Root is not a target).
        const withOus = narrowed.replace(adopted, (_m, name: string, id: string) => `    - name: ${name}\n      id: "${id}"\n      ou: Root/Workloads\n`);

        beforeEach(() => fs.writeFileSync(copy, withOus));

        it("the narrowed copy differs from prod where intended (control for the fixture)", () => {
            expect(withOus).to.not.equal(prodText);
            expect(withOus).to.include("      - Root/Workloads\n  orgwatch:accounts:");
            expect(withOus.match(/ou: Root\/Workloads\n/g)).to.have.length(10);
        });

        it("the narrowed file is itself valid (control)", async () => {
            const r = await onboard(["--name", "ledger-prod", "--id", "610987654399", "--ou", "Root/Workloads/Prod", "--dry-run"]);
            expect(r.code, r.err).to.equal(0);
            expect(r.outcome?.added).to.deep.equal([]);
            expect(r.out).to.include("to every account of Root/Workloads, this one included");
        });

        const refusals: ReadonlyArray<readonly [string, readonly string[], string]> = [
            ["an adopted account without its OU", ["--name", "ledger-prod", "--id", "610987654399"], 'orgwatch:accounts[11].ou: expected the OU this adopted account is in (memberBaselines.targets, "Root/Workloads", does not include "Root"'],
            ["a created account in an OU no target covers", ["--name", "lab", "--email", "aws+lab@example.com", "--ou", "Root/Sandbox"], 'orgwatch:accounts[11].ou: expected an OU that a member baseline target covers (memberBaselines.targets: "Root/Workloads"); otherwise the account gets no baseline; received "Root/Sandbox"'],
            ["an adopted account in an OU no target covers", ["--name", "lab", "--id", "610987654399", "--ou", "ou-ab12-cd34ef56"], 'orgwatch:accounts[11].ou: expected an OU that a member baseline target covers'],
        ];
        for (const [what, args, message] of refusals) {
            it(`refuses ${what}: exit 2, the problem named, file byte-for-byte unchanged`, async () => {
                const r = await onboard(args);
                expect(r.code).to.equal(2);
                expect(r.err).to.include(message);
                expect(fs.readFileSync(copy, "utf8")).to.equal(withOus);
            });
        }
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
        // A flag's value, not YAML: no advice about quoting.
        ["an id that is not 12 digits", ["--name", "x", "--id", "61098765432"], /^error: --id must be a 12-digit AWS account id; received "61098765432"$/m],
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
        ["the removed --shard", ["--name", "x", "--id", "610987654399", "--shard", "workloads"]],
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
