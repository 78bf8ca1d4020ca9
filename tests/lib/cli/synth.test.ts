import { expect } from "chai";
import { makeProgramDir, removeProgramDir, runSynthCli } from "../../helpers/synth";

const PROGRAM = 'import * as aws from "@pulumi/aws";\nconst t = new aws.sns.Topic("alarms", {});\nexport const topicArn = t.arn;\n';
const CONTRACT_KEYS = ["project", "stack", "resources", "outputs"];
const RESOURCE_KEYS = ["urn", "type", "name", "parent", "custom", "provider", "account", "region", "inputs", "id", "outputs", "dependsOn", "protect"];

describe("cli synth", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => {
        dir = makeProgramDir({
            "index.ts": PROGRAM,
            "Pulumi.dev.yaml": "config:\n  aws:region: eu-central-1\n  aws:allowedAccountIds: '[\"123412341234\"]'\n  testprog:token:\n    secure: v1:abc\n",
            "broken.yaml": "config: [1, 2\n",
        });
    });
    after(() => removeProgramDir(dir));

    it("--json prints exactly the contract shape on stdout and exits 0", () => {
        const r = runSynthCli(["--stack", "dev", "--program", dir, "--json"]);
        expect(r.code, r.stderr).to.equal(0);
        const parsed = JSON.parse(r.stdout) as Record<string, unknown>;
        expect(Object.keys(parsed)).to.deep.equal(CONTRACT_KEYS);
        expect(parsed).to.include({ project: "testprog", stack: "dev" });
        const resources = parsed.resources as Record<string, unknown>[];
        for (const res of resources) {
            expect(Object.keys(res)).to.deep.equal(RESOURCE_KEYS);
        }
        const topic = resources.find((x) => x.type === "aws:sns/topic:Topic");
        expect(topic).to.include({ account: "123412341234", region: "eu-central-1" });
        expect(String((parsed.outputs as Record<string, unknown>).topicArn)).to.match(/^arn:aws:sns:eu-central-1:123412341234:alarms-[0-9a-f]{7}$/);
    });

    it("without --json prints the tree by account and Region with counts and the secrets note", () => {
        const r = runSynthCli(["--stack", "dev", "--program", dir]);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout).to.contain("account 123412341234 (1)");
        expect(r.stdout).to.contain("Region eu-central-1 (1)");
        expect(r.stdout).to.match(/1 {2}aws:sns\/topic:Topic/);
        expect(r.stdout).to.contain("secrets were not decrypted");
    });

    it("an invalid --config-file exits 2 with the file named and no stack trace", () => {
        const r = runSynthCli(["--stack", "dev", "--program", dir, "--config-file", `${dir}/broken.yaml`]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain(`${dir}/broken.yaml`);
        expect(r.stderr).to.not.match(/\n\s+at /);
        expect(r.stdout).to.equal("");
    });

    it("a usage error exits 2 with usage help", () => {
        const r = runSynthCli(["--program", dir]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("--stack").and.contain("Usage:");
    });
});
