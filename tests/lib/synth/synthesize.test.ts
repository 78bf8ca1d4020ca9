import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { isUserError } from "../../../lib/errors";
import { renderJson } from "../../../lib/synth/render";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { organizationIdFromConfig, synthesize, synthesizeDetailed, synthesizeInline } from "../../../lib/synth/synthesize";
import { makeProgramDir, removeProgramDir, resourceOf, resourcesOf } from "../../helpers/synth";

const CONFIG = { "aws:region": "us-east-2", "aws:allowedAccountIds": '["222222222222"]' };

// A program with an explicit provider, a component inheriting it through `providers`, the default
// provider, a per-resource Region, protect and dependsOn.
const MAIN = `
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

class Archive extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("test:index:Archive", name, {}, opts);
        this.bucket = new aws.s3.Bucket(name + "-bucket", {}, { parent: this, protect: true });
        const policy = new aws.s3.BucketPolicy(name + "-policy", { bucket: this.bucket.id, policy: "{}" }, { parent: this });
        new aws.cloudtrail.Trail(name + "-trail", { s3BucketName: this.bucket.id }, { parent: this, dependsOn: [policy] });
        new aws.iam.Role(name + "-role", { assumeRolePolicy: "{}" }, { parent: this });
        this.registerOutputs({ bucketArn: this.bucket.arn });
    }
}

const logArchive = new aws.Provider("log-archive", {
    region: "eu-west-1",
    assumeRoles: [{ roleArn: "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole" }],
    allowedAccountIds: ["111111111111"],
});
const archive = new Archive("archive", { providers: { aws: logArchive } });
const onDefault = new aws.sns.Topic("alarms", {});
const elsewhere = new aws.sns.Topic("replica", { region: "ap-southeast-2" }, { provider: logArchive });
const me = aws.getCallerIdentityOutput({}, { provider: logArchive });

export const bucketArn = archive.bucket.arn;
export const alarmsArn = onDefault.arn;
export const replicaArn = elsewhere.arn;
export const account = me.accountId;
`;

describe("synth synthesize", function () {
    this.timeout(60_000);
    let dir: string;
    before(() => {
        dir = makeProgramDir({ "index.ts": MAIN });
    });
    after(() => removeProgramDir(dir));

    it("places resources by explicit provider, by the parent component's providers, and by the default provider", async () => {
        const r = await synthesize({ programDir: dir, stack: "dev", config: CONFIG });
        const providerUrn = resourceOf(r, "pulumi:providers:aws", "log-archive").urn;
        const bucket = resourceOf(r, "aws:s3/bucket:Bucket", "archive-bucket");
        expect(bucket).to.include({ account: "111111111111", region: "eu-west-1", provider: providerUrn, custom: true });
        const role = resourceOf(r, "aws:iam/role:Role", "archive-role");
        expect(role).to.include({ account: "111111111111", region: null });
        expect(role.outputs.arn).to.match(/^arn:aws:iam::111111111111:role\/archive-role-[0-9a-f]{7}$/);
        const alarms = resourceOf(r, "aws:sns/topic:Topic", "alarms");
        expect(alarms).to.include({ account: "222222222222", region: "us-east-2", provider: null });
        const replica = resourceOf(r, "aws:sns/topic:Topic", "replica");
        expect(replica).to.include({ account: "111111111111", region: "ap-southeast-2" });
        expect(replica.outputs.arn).to.match(/^arn:aws:sns:ap-southeast-2:111111111111:replica-[0-9a-f]{7}$/);
        const trail = resourceOf(r, "aws:cloudtrail/trail:Trail", "archive-trail");
        expect(trail.id).to.match(/^arn:aws:cloudtrail:eu-west-1:111111111111:trail\/archive-trail-[0-9a-f]{7}$/);
        expect(r.outputs.account).to.equal("111111111111");
        expect(r.outputs.bucketArn).to.equal(bucket.outputs.arn);
    });

    it("captures parent, dependsOn, protect, components and the root stack", async () => {
        const r = await synthesize({ programDir: dir, stack: "dev", config: CONFIG });
        const stack = r.resources[0];
        expect(stack).to.include({ type: "pulumi:pulumi:Stack", name: "testprog-dev", parent: null, custom: false, id: null });
        const archive = resourceOf(r, "test:index:Archive", "archive");
        expect(archive).to.include({ custom: false, id: null, provider: null, parent: stack.urn });
        expect(archive.outputs).to.have.keys(["bucketArn"]);
        const bucket = resourceOf(r, "aws:s3/bucket:Bucket", "archive-bucket");
        const policy = resourceOf(r, "aws:s3/bucketPolicy:BucketPolicy", "archive-policy");
        const trail = resourceOf(r, "aws:cloudtrail/trail:Trail", "archive-trail");
        expect(bucket.parent).to.equal(archive.urn);
        expect(bucket.protect).to.equal(true);
        expect(policy.protect).to.equal(false);
        expect(trail.dependsOn).to.include(policy.urn);
        expect(trail.inputs).to.deep.equal({ s3BucketName: bucket.id });
        expect(policy.dependsOn).to.deep.equal([bucket.urn]);
    });

    it("gives URNs in the engine's form: no root stack type, the parent's whole type chain", async () => {
        // Oracle: the SDK's createUrn, which follows the engine (the mock monitor of the SDK does not).
        const expected: Record<string, pulumi.Output<string>> = {};
        const r = await synthesizeInline(() => {
            const outer = new pulumi.ComponentResource("test:index:Outer", "outer");
            const inner = new pulumi.ComponentResource("test:index:Inner", "inner", {}, { parent: outer });
            new aws.sns.Topic("leaf", {}, { parent: inner });
            new aws.sns.Topic("top", {});
            expected.outer = pulumi.createUrn("outer", "test:index:Outer");
            expected.inner = pulumi.createUrn("inner", "test:index:Inner", outer);
            expected.leaf = pulumi.createUrn("leaf", "aws:sns/topic:Topic", inner);
            expected.top = pulumi.createUrn("top", "aws:sns/topic:Topic");
            return expected;
        }, { project: "p", stack: "s" });
        expect(r.outputs).to.deep.equal({
            outer: resourceOf(r, "test:index:Outer", "outer").urn,
            inner: resourceOf(r, "test:index:Inner", "inner").urn,
            leaf: resourceOf(r, "aws:sns/topic:Topic", "leaf").urn,
            top: resourceOf(r, "aws:sns/topic:Topic", "top").urn,
        });
        expect(resourceOf(r, "aws:sns/topic:Topic", "leaf").urn).to.equal("urn:pulumi:s::p::test:index:Outer$test:index:Inner$aws:sns/topic:Topic::leaf");
        expect(resourceOf(r, "aws:sns/topic:Topic", "top").urn).to.equal("urn:pulumi:s::p::aws:sns/topic:Topic::top");
    });

    it("answers a StackReference with the outputs it is given, and refuses an unknown stack as a user error", async () => {
        const read = () => {
            const ref = new pulumi.StackReference("org", { name: "acme/orgwatch/prod" });
            return { sinks: ref.getOutput("sinks") };
        };
        const r = await synthesizeInline(read, { stackReferences: { "acme/orgwatch/prod": { sinks: { "eu-west-1": "arn:aws:oam:eu-west-1:1:sink/x" } } } });
        expect(r.outputs.sinks).to.deep.equal({ "eu-west-1": "arn:aws:oam:eu-west-1:1:sink/x" });
        // Listed as the engine records a read: external, with the stack name as its id.
        expect(resourceOf(r, "pulumi:pulumi:StackReference", "org")).to.include({ external: true, custom: true, id: "acme/orgwatch/prod", urn: "urn:pulumi:test::orgwatch::pulumi:pulumi:StackReference::org" });
        expect(r.resources.filter((x) => x.external === true)).to.have.length(1);
        // A resource's static get is a read as well, with the id asked for.
        const got = await synthesizeInline(() => {
            aws.sns.Topic.get("existing", "arn:aws:sns:us-east-1:111111111111:existing");
        });
        expect(resourceOf(got, "aws:sns/topic:Topic", "existing")).to.include({ external: true, id: "arn:aws:sns:us-east-1:111111111111:existing" });
        const err = await synthesizeInline(read).then(() => undefined, (e: unknown) => e);
        expect(isUserError(err)).to.equal(true);
        expect((err as Error).message).to.contain('StackReference org: expected a stack whose outputs the synth has (none given); received "acme/orgwatch/prod"');
    });

    it("matches a partially qualified StackReference name to the one stack it names, as the engine resolves it within the organization and project", async () => {
        // `new StackReference("shared-services")` names <org>/<project>/shared-services; either side may be the short form.
        const short = () => ({ vpc: new pulumi.StackReference("shared-services").getOutput("vpcId") });
        const long = await synthesizeInline(short, { stackReferences: { "acme/network/shared-services": { vpcId: "vpc-1" } } });
        expect(long.outputs.vpc).to.equal("vpc-1");
        const full = () => ({ vpc: new pulumi.StackReference("acme/network/shared-services").getOutput("vpcId") });
        expect((await synthesizeInline(full, { stackReferences: { "network/shared-services": { vpcId: "vpc-2" } } })).outputs.vpc).to.equal("vpc-2");
        // Two stacks of that name in different projects: the short name is ambiguous and stays refused.
        const both = { "acme/network/shared-services": { vpcId: "vpc-1" }, "acme/data/shared-services": { vpcId: "vpc-3" } };
        const err = await synthesizeInline(short, { stackReferences: both }).then(() => undefined, (e: unknown) => e);
        expect(isUserError(err)).to.equal(true);
        expect((err as Error).message).to.contain('received "shared-services"');
    });

    it("gives byte-identical output for two runs, and sequential runs do not leak resources", async () => {
        const a = await synthesize({ programDir: dir, stack: "dev", config: CONFIG });
        const other = makeProgramDir({ "index.ts": 'import * as aws from "@pulumi/aws";\nnew aws.sns.Topic("only", {});\n' });
        try {
            const small = await synthesize({ programDir: other, stack: "dev", config: CONFIG });
            expect(small.resources.map((x) => x.type)).to.deep.equal(["pulumi:pulumi:Stack", "aws:sns/topic:Topic"]);
        } finally {
            removeProgramDir(other);
        }
        const b = await synthesize({ programDir: dir, stack: "dev", config: CONFIG });
        expect(renderJson(b)).to.equal(renderJson(a));
        expect(resourcesOf(b, "aws:sns/topic:Topic")).to.have.length(2);
    });

    it("runs a program that exports an async function returning the outputs", async () => {
        const fnDir = makeProgramDir({
            "index.ts": 'import * as aws from "@pulumi/aws";\nexport = async () => {\n  const k = new aws.kms.Key("trail", {});\n  return { keyArn: k.arn };\n};\n',
        });
        try {
            const r = await synthesize({ programDir: fnDir, stack: "dev", config: CONFIG });
            expect(String(r.outputs.keyArn)).to.match(/^arn:aws:kms:us-east-2:222222222222:key\/[0-9a-f-]{36}$/);
        } finally {
            removeProgramDir(fnDir);
        }
    });

    it("hands config to the program, secrets included", async () => {
        const cfgDir = makeProgramDir({
            "index.ts": 'import * as pulumi from "@pulumi/pulumi";\nconst c = new pulumi.Config();\nexport const name = c.require("name");\nexport const token = c.requireSecret("token");\n',
        });
        try {
            const r = await synthesize({ programDir: cfgDir, stack: "dev", config: { "testprog:name": "x", "testprog:token": "offline-placeholder-secret" }, secretKeys: ["testprog:token"] });
            expect(r.outputs).to.deep.equal({ name: "x", token: "offline-placeholder-secret" });
        } finally {
            removeProgramDir(cfgDir);
        }
    });

    it("propagates a UserError thrown by the program as a user error, other errors with their stack", async () => {
        const errDir = makeProgramDir({
            "index.ts": 'import { UserError } from "' + path.resolve(__dirname, "../../../lib/errors") + '";\nthrow new UserError("bad config", [{ path: "testprog:x", allowed: "a number", received: "\\"y\\"" }]);\n',
        });
        const bugDir = makeProgramDir({ "index.ts": 'throw new TypeError("boom");\n' });
        try {
            const userErr = await synthesize({ programDir: errDir, stack: "dev", config: {} }).then(() => undefined, (e: unknown) => e);
            expect(isUserError(userErr)).to.equal(true);
            expect((userErr as Error).message).to.contain("testprog:x");
            const bug = await synthesize({ programDir: bugDir, stack: "dev", config: {} }).then(() => undefined, (e: unknown) => e);
            expect(isUserError(bug)).to.equal(false);
            expect((bug as Error).stack).to.contain("boom");
        } finally {
            removeProgramDir(errDir);
            removeProgramDir(bugDir);
        }
    });

    it("asks for npm install when the program's dependencies are not installed", async () => {
        const bare = makeProgramDir(
            { "index.ts": "export const x = 1;\n", "package.json": '{"name":"bare","dependencies":{"@pulumi/pulumi":"3.0.0","left-pad-nowhere":"1.0.0"}}' },
            { linkNodeModules: false },
        );
        try {
            const err = await synthesize({ programDir: bare, stack: "dev", config: {} }).then(() => undefined, (e: unknown) => e);
            expect(isUserError(err)).to.equal(true);
            expect((err as Error).message).to.contain(`run npm install in ${bare}`).and.contain("left-pad-nowhere");
        } finally {
            removeProgramDir(bare);
        }
    });

    it("marks remote (multi-language) components such as awsx Trail as remote", async () => {
        const remoteDir = makeProgramDir({ "index.ts": 'import * as awsx from "@pulumi/awsx";\nnew awsx.cloudtrail.Trail("t", {});\n' });
        try {
            const r = await synthesize({ programDir: remoteDir, stack: "dev", config: CONFIG });
            const trail = resourceOf(r, "awsx:cloudtrail:Trail", "t");
            expect(trail.remote).to.equal(true);
            expect(trail.custom).to.equal(false);
            expect(r.resources.filter((x) => x.remote !== undefined)).to.have.length(1);
        } finally {
            removeProgramDir(remoteDir);
        }
    });

    it("reports the organization placeholder only when an organization id was needed", async () => {
        const orgDir = makeProgramDir({ "index.ts": 'import * as aws from "@pulumi/aws";\nexport const org = aws.organizations.getOrganizationOutput().id;\n' });
        try {
            const anon = await synthesizeDetailed({ programDir: orgDir, stack: "dev", config: CONFIG });
            expect(anon.notes.join("\n")).to.contain("no organization id was given");
            const named = await synthesizeDetailed({ programDir: orgDir, stack: "dev", config: CONFIG, organizationId: "o-abcdefghij" });
            expect(named.result.outputs.org).to.equal("o-abcdefghij");
            expect(named.notes).to.deep.equal([]);
        } finally {
            removeProgramDir(orgDir);
        }
        expect(fs.existsSync(orgDir)).to.equal(false);
    });

    it("runs each program in a process of its own: one program's globals never reach another's", async () => {
        const a = makeProgramDir({ "index.ts": 'const g = globalThis as unknown as Record<string, unknown>;\ng.leak = "from a";\nexport const pid = process.pid;\n' });
        const b = makeProgramDir({ "index.ts": 'const g = globalThis as unknown as Record<string, unknown>;\nexport const leak = typeof g.leak;\nexport const pid = process.pid;\n' });
        try {
            const first = await synthesize({ programDir: a, stack: "dev", config: {} });
            const second = await synthesize({ programDir: b, stack: "dev", config: {} });
            expect(second.outputs.leak).to.equal("undefined");
            expect(first.outputs.pid).to.not.equal(process.pid);
            expect(second.outputs.pid).to.not.equal(first.outputs.pid);
            expect((globalThis as unknown as Record<string, unknown>).leak).to.equal(undefined);
        } finally {
            removeProgramDir(a);
            removeProgramDir(b);
        }
    });

    it("collects what the program prints, without the runtime's noise", async () => {
        const dir = makeProgramDir({ "index.ts": 'console.log("hello from the program");\nexport const nothing = undefined;\nexport const something = "x";\n' });
        try {
            const run = await synthesizeDetailed({ programDir: dir, stack: "dev", config: {} });
            expect(run.output).to.contain("hello from the program");
            expect(run.output).to.not.contain("will not show as a stack output");
            expect(run.result.outputs).to.deep.equal({ something: "x" });
        } finally {
            removeProgramDir(dir);
        }
    });

    it("names the function a program called that no supported SDK declares, and how to answer it", async () => {
        const dir = makeProgramDir({ "index.ts": 'import * as pulumi from "@pulumi/pulumi";\nexport const zones = pulumi.runtime.invoke("gcp:compute/getZones:getZones", {}).then((r) => r.names);\n' });
        try {
            const err = await synthesize({ programDir: dir, stack: "dev", config: {} }).then(() => undefined, (e: unknown) => e as Error);
            expect(err?.name).to.equal("ProgramFailure");
            expect(err?.message).to.contain("gcp:compute/getZones:getZones").and.contain("--invoke-results").and.not.contain("promises were still active");
            const answered = await synthesize({ programDir: dir, stack: "dev", config: {}, invokeResults: { "gcp:compute/getZones:getZones": { names: ["europe-west1-b"] } } });
            expect(answered.outputs.zones).to.deep.equal(["europe-west1-b"]);
        } finally {
            removeProgramDir(dir);
        }
    });

    it("takes the organization id from the stack config when the program names one", () => {
        expect(organizationIdFromConfig({ "orgwatch:organization": '{"id":"o-sandbox0001"}' }, "orgwatch")).to.equal("o-sandbox0001");
        expect(organizationIdFromConfig({ "orgwatch:organizationId": "o-abcdefghij" }, "orgwatch")).to.equal("o-abcdefghij");
        expect(organizationIdFromConfig({ "orgwatch:organizationId": "not-an-org" }, "orgwatch")).to.equal(undefined);
        expect(organizationIdFromConfig({ "other:organizationId": "o-abcdefghij" }, "orgwatch")).to.equal(undefined);
    });
});
