import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { runCheckCli } from "../../lib/cli/check";
import { runCommand } from "../../lib/cli/common";
import { onboardCommand } from "../../lib/cli/onboard";
import { synthCommand, synthesizeStack } from "../../lib/cli/synth";
import type { SynthResource } from "../../lib/synth/types";
import { PACKAGE_ROOT, type RegistrationRequest, synthesize } from "../../lib/synth/synthesize";
import { SECRET_SIG, SIG_KEY } from "../../lib/synth/wire";
import { synthStack } from "../helpers/program";

// Pulumi.prod.yaml with member baselines in three shards: the adopted accounts name their shard, the
// two created accounts fall into a shard by their OU (Root/Workloads/NonProd and Root/Sandbox).
const SHARDS = { shared: { ous: ["Root/Security"] }, "workloads-prod": { ous: ["Root/Workloads/Prod"] }, "workloads-nonprod": { ous: ["Root/Workloads/NonProd", "Root/Sandbox"] } };
// Written by hand from Pulumi.prod.yaml: which member goes where.
const EXPECTED: Record<string, string[]> = {
    shared: ["security-tooling", "shared-networking", "shared-services"],
    "workloads-prod": ["payments-prod", "checkout-prod", "catalog-prod", "identity-prod"],
    "workloads-nonprod": ["payments-staging", "checkout-staging", "catalog-staging", "data-platform-dev", "ml-sandbox"],
};

type Doc = { config: Record<string, unknown> };

function shardedProd(): Doc {
    const doc = YAML.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.prod.yaml"), "utf8")) as Doc;
    const shardOf = new Map(Object.entries(EXPECTED).flatMap(([shard, names]) => names.map((n) => [n, shard] as const)));
    for (const acct of doc.config["orgwatch:accounts"] as Array<{ name: string; id?: string; shard?: string }>) {
        if (acct.id !== undefined) acct.shard = shardOf.get(acct.name);
    }
    doc.config["orgwatch:memberBaselines"] = { shards: structuredClone(SHARDS) };
    return doc;
}

/** Runs the synth command in this process: its exit code and what it wrote. */
async function runSynthCli(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const io = { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s) };
    const status = await runCommand(synthCommand(io), args, io);
    return { status, stdout, stderr };
}

/** Member-baseline resources, comparable across stacks: the stack tag and URNs left out. */
function baselineView(resources: readonly SynthResource[]): string[] {
    return resources
        .filter((r) => /^(member-|baseline-)/.test(r.name) && !/^baseline-(management|log-archive)/.test(r.name))
        .map((r) => {
            const inputs = { ...r.inputs };
            if (typeof inputs.defaultTags === "string") {
                const tags = JSON.parse(inputs.defaultTags) as { tags: Record<string, string> };
                delete tags.tags["orgwatch:stack"];
                inputs.defaultTags = tags;
            }
            return JSON.stringify({ type: r.type, name: r.name, account: r.account, region: r.region, inputs });
        })
        .sort();
}

describe("program: member baselines in shard stacks", function () {
    this.timeout(120_000);
    let dir: string;
    const write = (name: string, doc: Doc): string => {
        const file = path.join(dir, `Pulumi.${name}.yaml`);
        fs.writeFileSync(file, YAML.stringify(doc));
        return file;
    };
    const shardDoc = (name: string, organizationStack = "acme/orgwatch/prod"): Doc => ({ config: { "orgwatch:shard": { organizationStack, name } } });

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-shards-"));
        write("prod", shardedProd());
        for (const shard of Object.keys(SHARDS)) write(`prod-${shard}`, shardDoc(shard));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("the organization stack keeps the accounts, creates no member baseline, and exports each shard's members", async () => {
        const org = (await synthesizeStack({ stack: "prod", configFile: path.join(dir, "Pulumi.prod.yaml") })).run.result;
        expect(baselineView(org.resources)).to.deep.equal([]);
        expect(org.resources.filter((r) => r.type === "aws:organizations/account:Account").map((r) => r.name).sort()).to.deep.equal(["members-account-data-platform-dev", "members-account-ml-sandbox"]);
        const shards = org.outputs.memberBaselineShards as Record<string, Array<{ name: string; accountId: string }>>;
        expect(Object.fromEntries(Object.entries(shards).map(([s, ms]) => [s, ms.map((m) => m.name)]))).to.deep.equal(EXPECTED);
        expect(shards.shared[0]).to.deep.equal({ name: "security-tooling", accountId: "510987654321", roleName: "OrganizationAccountAccessRole" });
        expect(Object.keys(org.outputs.baselineSettings as object).sort()).to.deep.equal(["homeRegion", "partition", "resourceTypes", "sinkArns", "tags"]);
    });

    it("the shards together hold exactly the member baselines of the single stack, with the same names, accounts, Regions and inputs", async () => {
        const single = baselineView((await synthStack("prod")).resources);
        const sharded: string[] = [];
        for (const shard of Object.keys(SHARDS)) {
            const run = await synthesizeStack({ stack: `prod-${shard}`, configFile: path.join(dir, `Pulumi.prod-${shard}.yaml`) });
            const view = baselineView(run.run.result.resources);
            // Each shard: one provider and one baseline per member, a link per governed Region (3).
            expect(view).to.have.length(EXPECTED[shard].length * (2 + 3));
            const providers = run.run.result.resources.filter((r) => r.type === "pulumi:providers:aws");
            expect(providers.map((p) => p.name).sort()).to.deep.equal(EXPECTED[shard].map((n) => `member-${n}`).sort());
            for (const p of providers) expect(JSON.parse(p.inputs.allowedAccountIds as string)).to.deep.equal([p.account]);
            expect(JSON.parse((providers[0].inputs.defaultTags as string)).tags["orgwatch:stack"]).to.equal(`prod-${shard}`);
            sharded.push(...view);
        }
        expect(single).to.have.length(12 * 5);
        sharded.sort();
        expect(sharded.filter((x) => !single.includes(x)), "only in the shards").to.deep.equal([]);
        expect(sharded).to.deep.equal(single);
    });

    for (const [what, edit, lines] of [
        [
            "a shard an account names but nobody declared",
            (d: Doc) => ((d.config["orgwatch:accounts"] as Array<Record<string, unknown>>)[0].shard = "security"),
            ['orgwatch:accounts[0].shard: expected a shard declared under orgwatch:memberBaselines.shards ("shared", "workloads-prod", "workloads-nonprod"); received "security"'],
        ],
        [
            "an adopted account with no shard",
            (d: Doc) => delete (d.config["orgwatch:accounts"] as Array<Record<string, unknown>>)[1].shard,
            ['orgwatch:accounts[1].shard: expected a shard declared under orgwatch:memberBaselines.shards ("shared", "workloads-prod", "workloads-nonprod"), or an OU path held by one of them (an account placed by OU id names its shard); received no shard and no OU path'],
        ],
        [
            "an OU held by two shards, and an OU that is not declared",
            (d: Doc) => ((d.config["orgwatch:memberBaselines"] as { shards: Record<string, { ous: string[] }> }).shards.shared.ous = ["Root/Sandbox", "Root/Labs"]),
            [
                'orgwatch:memberBaselines.shards.shared.ous[1]: expected "Root" or an OU path listed under orgwatch:organizationalUnits; received "Root/Labs"',
                'orgwatch:memberBaselines.shards.workloads-nonprod.ous[1]: expected an OU not already held by shard "shared"; received "Root/Sandbox"',
            ],
        ],
        [
            "a shard named like a property every object has, and a created account placed by OU id without a shard",
            (d: Doc) => {
                const accounts = d.config["orgwatch:accounts"] as Array<Record<string, unknown>>;
                accounts[0].shard = "constructor";
                accounts.push({ name: "labs", email: "aws+labs@example.com", ou: "ou-ab12-cd34ef56" });
            },
            [
                'orgwatch:accounts[0].shard: expected a shard declared under orgwatch:memberBaselines.shards ("shared", "workloads-prod", "workloads-nonprod"); received "constructor"',
                'orgwatch:accounts[12].shard: expected a shard declared under orgwatch:memberBaselines.shards ("shared", "workloads-prod", "workloads-nonprod"), or an OU path held by one of them (an account placed by OU id names its shard); received no shard and OU id "ou-ab12-cd34ef56"',
            ],
        ],
        [
            "a shard without members (its stack would delete every baseline it holds)",
            (d: Doc) => ((d.config["orgwatch:memberBaselines"] as { shards: Record<string, { ous: string[] }> }).shards.spare = { ous: [] }),
            ["orgwatch:memberBaselines.shards.spare: expected a shard with at least one member account (remove the shard, and its stack, once it is empty); received no member account"],
        ],
        [
            "a shard key without memberBaselines",
            (d: Doc) => delete d.config["orgwatch:memberBaselines"],
            ['orgwatch:accounts[0].shard: expected no shard unless orgwatch:memberBaselines.shards is set (baselines live in this stack); received "shared"'],
        ],
    ] as const) {
        it(`refuses ${what} in the organization stack (exit 2, each problem listed)`, async () => {
            const doc = shardedProd();
            edit(doc);
            const file = write("bad", doc);
            const out = await runSynthCli(["--stack", "bad", "--config-file", file]);
            expect(out.status).to.equal(2);
            for (const line of lines) expect(out.stderr).to.contain(line);
            expect(out.stderr).to.not.match(/\n\s+at /);
        });
    }

    it("refuses a shard stack with organization keys, and one naming a shard the organization stack does not have", async () => {
        const extra = shardDoc("shared");
        extra.config["orgwatch:protect"] = false;
        const mixed = await runSynthCli(["--stack", "mixed", "--config-file", write("mixed", extra)]);
        expect(mixed.status).to.equal(2);
        expect(mixed.stderr).to.contain("orgwatch:protect");
        const unknown = await runSynthCli(["--stack", "prod-labs", "--config-file", write("prod-labs", shardDoc("labs"))]);
        expect(unknown.status).to.equal(2);
        expect(unknown.stderr).to.contain('orgwatch:shard.name: expected a shard of acme/orgwatch/prod ("shared", "workloads-nonprod", "workloads-prod"); received "labs"');
    });

    it("refuses a shard stack whose organization stack exports no shards (an organization stack without memberBaselines)", async () => {
        write("plain", YAML.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "Pulumi.prod.yaml"), "utf8")) as Doc);
        const out = await runSynthCli(["--stack", "orphan", "--config-file", write("orphan", shardDoc("shared", "acme/orgwatch/plain"))]);
        expect(out.status).to.equal(2);
        expect(out.stderr).to.contain("The organization stack acme/orgwatch/plain exports no member baseline shards (fix in the configuration of stack acme/orgwatch/plain (Pulumi.plain.yaml))");
        expect(out.stderr).to.contain("stack acme/orgwatch/plain output:memberBaselineShards: expected an output of the organization stack: set orgwatch:memberBaselines.shards there and run `pulumi up` on it first; received no such output");
        expect(out.stderr).to.not.match(/\n\s+at /);
    });

    it("refuses a shard stack that reads itself, a cycle, or an organization stack with no file offline (exit 2, naming the shard's file)", async () => {
        const self = await runSynthCli(["--stack", "loop", "--config-file", write("loop", shardDoc("shared", "acme/orgwatch/loop"))]);
        expect(self.status).to.equal(2);
        expect(self.stderr).to.contain('orgwatch:shard.organizationStack: expected another stack than this one (stacks that read each other never resolve); received "acme/orgwatch/loop"');
        expect(self.stderr).to.contain("Pulumi.loop.yaml");
        write("ping", shardDoc("shared", "pong"));
        const cycle = await runSynthCli(["--stack", "pong", "--config-file", write("pong", shardDoc("shared", "ping"))]);
        expect(cycle.status).to.equal(2);
        expect(cycle.stderr).to.contain('orgwatch:shard.organizationStack: expected another stack than this one (stacks that read each other never resolve); received "pong"');
        const missing = await runSynthCli(["--stack", "lost", "--config-file", write("lost", shardDoc("shared", "acme/orgwatch/nowhere"))]);
        expect(missing.status).to.equal(2);
        expect(missing.stderr).to.match(/orgwatch:shard\.organizationStack: expected a stack whose file is next to this one offline \(no .*Pulumi\.nowhere\.yaml\); received "acme\/orgwatch\/nowhere"/);
        for (const out of [self, cycle, missing]) expect(out.stderr).to.not.match(/\n\s+at /);
    });

    it("onboard --shard adds the account with its shard and says which shard stack gets its baseline; without a shard it refuses, file untouched", async () => {
        const file = write("onboard", shardedProd());
        const original = fs.readFileSync(file, "utf8");
        let out = "";
        let err = "";
        const io = { stdout: (t: string) => (out += t), stderr: (t: string) => (err += t) };
        const refused = await runCommand(onboardCommand(io), ["--stack", "onboard", "--config-file", file, "--name", "risk-prod", "--id", "610987654399"], io);
        expect(refused).to.equal(2);
        expect(err).to.contain("orgwatch:accounts[12].shard");
        expect(fs.readFileSync(file, "utf8")).to.equal(original);
        const status = await runCommand(onboardCommand(io), ["--stack", "onboard", "--config-file", file, "--name", "risk-prod", "--id", "610987654399", "--shard", "workloads-prod"], io);
        expect(status, err).to.equal(0);
        expect(fs.readFileSync(file, "utf8")).to.contain('    - name: risk-prod\n      id: "610987654399"\n      shard: workloads-prod\n');
        expect(out).to.contain('Its baseline (provider, OAM links) is in shard "workloads-prod"');
    });

    it("keeps the organization stack's secret outputs secret in the shard's providers", async () => {
        const org = (await synthesizeStack({ stack: "prod", configFile: path.join(dir, "Pulumi.prod.yaml") })).run.result.outputs;
        const seen: RegistrationRequest[] = [];
        const run = (outputs: Record<string, unknown>) =>
            synthesize({
                programDir: PACKAGE_ROOT,
                stack: "prod-shared",
                config: { "aws:region": "eu-central-1", "orgwatch:shard": JSON.stringify({ organizationStack: "acme/orgwatch/prod", name: "shared" }) },
                stackReferences: { "acme/orgwatch/prod": outputs },
                onRegister: (r) => seen.push(r),
            });
        const isSecret = (v: unknown) => typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
        await run(org);
        const plain = seen.filter((r) => r.type === "pulumi:providers:aws");
        expect(plain).to.have.length(3);
        for (const p of plain) expect(isSecret((p.wire as Record<string, unknown>).allowedAccountIds), p.name).to.equal(false);
        seen.length = 0;
        await run({ ...org, baselineSettings: { [SIG_KEY]: SECRET_SIG, value: org.baselineSettings } });
        const secret = seen.filter((r) => r.type === "pulumi:providers:aws");
        expect(secret).to.have.length(3);
        for (const p of secret) {
            expect(isSecret((p.wire as Record<string, unknown>).allowedAccountIds), p.name).to.equal(true);
            expect(isSecret((p.wire as Record<string, unknown>).assumeRoles), p.name).to.equal(true);
        }
    });

    it("a shard stack passes the policy pack with policy-config.shard.json; the governance file asks it for the CIS alarms of the organization stack", async () => {
        const check = async (policyConfig: string) => {
            let out = "";
            const status = await runCheckCli(
                ["--stack", "prod-shared", "--config-file", path.join(dir, "Pulumi.prod-shared.yaml"), "--policy-config", path.join(PACKAGE_ROOT, "policies", policyConfig), "--format", "json"],
                { stdout: (t: string) => (out += t), stderr: () => undefined },
            );
            return { status, report: JSON.parse(out) as { violations: Array<{ policy: string }>; summary: { mandatory: number } } };
        };
        const shard = await check("policy-config.shard.json");
        expect(shard.status).to.equal(0);
        expect(shard.report.summary.mandatory).to.equal(0);
        const governance = await check("policy-config.governance.json");
        expect(governance.status).to.equal(1);
        expect([...new Set(governance.report.violations.map((v) => v.policy))]).to.deep.equal(["cis-controls-alarmed"]);
    });
});
