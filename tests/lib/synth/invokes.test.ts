import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { checkedInCatalogue, ProgramCatalogue, shapeProblems } from "../../../lib/synth/catalogue";
import { buildCatalogue, CATALOGUE_FILE, renderCatalogue } from "../../../lib/synth/catalogue/generate";
import { defaultVpc, zonesOf } from "../../../lib/synth/invokes";
import { AwsMocks } from "../../../lib/synth/mocks";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";

const AWS_DIR = path.join(PACKAGE_ROOT, "node_modules", "@pulumi", "aws");

interface DeclaredInvoke {
    readonly token: string;
    /** Module path inside @pulumi/aws (`ec2/getAmi`). */
    readonly module: string;
    /** Name of the declared result type (`GetAmiResult`). */
    readonly resultType: string;
}

/**
 * Every function of the installed @pulumi/aws, found independently of the catalogue's extractor:
 * each generated function file's JavaScript calls `pulumi.runtime.invoke("<token>", ...)`, and its
 * declaration says `function <name>(...): Promise<<Result>>`.
 */
function declaredInvokes(): DeclaredInvoke[] {
    const out: DeclaredInvoke[] = [];
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            if (e.name === "node_modules" || e.name === "types") continue;
            const file = path.join(dir, e.name);
            if (e.isDirectory()) walk(file);
            else if (e.name.endsWith(".js")) {
                const token = /runtime\.invoke\("(aws:[^"]+)"/.exec(fs.readFileSync(file, "utf8"))?.[1];
                if (token === undefined) continue;
                const resultType = /declare function \w+\([^)]*\): Promise<(\w+)>/.exec(fs.readFileSync(file.replace(/\.js$/, ".d.ts"), "utf8"))?.[1];
                out.push({ token, module: path.relative(AWS_DIR, file).replace(/\.js$/, "").split(path.sep).join("/"), resultType: resultType ?? "" });
            }
        }
    };
    walk(AWS_DIR);
    return out;
}

/** Type errors the TypeScript compiler reports for `source` (resolving packages from orgwatch's node_modules). */
function typeErrors(source: string): string[] {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-invokes-"));
    try {
        fs.symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
        const file = path.join(dir, "answers.ts");
        fs.writeFileSync(file, source);
        const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, types: [], module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022 });
        return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("invokes: every function of the installed SDKs answers", function () {
    this.timeout(120_000);
    const declared = declaredInvokes();
    const catalogue = new ProgramCatalogue(PACKAGE_ROOT);
    const mocks = new AwsMocks({ programCatalogue: catalogue, config: { "aws:region": "eu-west-1" } });

    it("the checked-in catalogue is what the installed SDKs declare (regenerated and compared)", () => {
        const regenerated = renderCatalogue(buildCatalogue(PACKAGE_ROOT));
        expect(regenerated === fs.readFileSync(CATALOGUE_FILE, "utf8"), "lib/synth/catalogue/catalogue.json is stale: run npm run --silent catalogue").to.equal(true);
    });

    it("the catalogue holds every function of @pulumi/aws found in its JavaScript", () => {
        expect(declared.length).to.be.greaterThan(600);
        expect(declared.filter((d) => d.resultType === "")).to.deep.equal([]);
        const missing = declared.map((d) => d.token).filter((t) => checkedInCatalogue().invokes[t] === undefined);
        expect(missing).to.deep.equal([]);
    });

    it("every answer has its declared shape, with no undeclared field", () => {
        const problems = declared.flatMap((d) => {
            const value = mocks.call({ token: d.token, inputs: {} });
            return shapeProblems(value, catalogue.invoke(d.token) ?? "any", catalogue.types).map((p) => `${d.token}: ${p}`);
        });
        expect(problems).to.deep.equal([]);
    });

    it("every answer is accepted by the TypeScript compiler as the SDK's declared result type (and a wrong one is not)", () => {
        const lines = declared.map((d, i) => `import type { ${d.resultType} as R${i} } from "@pulumi/aws/${d.module}";\nexport const v${i}: R${i} = ${JSON.stringify(mocks.call({ token: d.token, inputs: {} }))};`);
        expect(typeErrors(lines.join("\n"))).to.deep.equal([]);
        // Control: the compiler does reject a missing required field and an undeclared one.
        const vpc = mocks.call({ token: "aws:ec2/getVpc:getVpc", inputs: {} }) as Record<string, unknown>;
        const { cidrBlock: _dropped, ...withoutCidr } = vpc;
        const wrong = `import type { GetVpcResult } from "@pulumi/aws/ec2/getVpc";\nexport const a: GetVpcResult = ${JSON.stringify(withoutCidr)};\nexport const b: GetVpcResult = ${JSON.stringify({ ...vpc, colour: "blue" })};`;
        const errors = typeErrors(wrong);
        expect(errors).to.have.length(2);
        expect(errors.join("\n")).to.contain("cidrBlock").and.contain("colour");
    });

    it("a program with another version of @pulumi/aws gets the shapes of its own version's declarations", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-aws-version-"));
        try {
            const pkg = path.join(dir, "node_modules", "@pulumi", "aws");
            fs.mkdirSync(path.join(pkg, "ec2"), { recursive: true });
            fs.mkdirSync(path.join(pkg, "types"), { recursive: true });
            fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "@pulumi/aws", version: "7.0.0-other", pulumi: { name: "aws" } }));
            fs.writeFileSync(path.join(pkg, "types", "output.d.ts"), "export declare namespace ec2 {\n    interface GetVpcTag { readonly key: string; }\n}\n");
            fs.writeFileSync(
                path.join(pkg, "ec2", "getVpc.d.ts"),
                'import * as pulumi from "@pulumi/pulumi";\nimport * as outputs from "../types/output";\nexport declare function getVpc(args?: GetVpcArgs, opts?: pulumi.InvokeOptions): Promise<GetVpcResult>;\nexport interface GetVpcArgs { readonly default?: boolean; }\nexport interface GetVpcResult { readonly id: string; readonly colour: string; readonly tagList: outputs.ec2.GetVpcTag[]; }\n',
            );
            const other = new ProgramCatalogue(dir);
            const shape = other.invoke("aws:ec2/getVpc:getVpc");
            expect(shape).to.deep.equal({ object: { colour: "string", id: "string", tagList: { list: { ref: "aws:ec2.GetVpcTag" } } } });
            expect(other.types["aws:ec2.GetVpcTag"]).to.deep.equal({ object: { key: "string" } });
            const answer = new AwsMocks({ programCatalogue: other }).call({ token: "aws:ec2/getVpc:getVpc", inputs: {} });
            expect(Object.keys(answer).sort()).to.deep.equal(["colour", "id", "tagList"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("ids carry their prefixes and ARNs the partition, Region and account", () => {
        const account = "123456789012";
        const vpc = mocks.call({ token: "aws:ec2/getVpc:getVpc", inputs: { default: true } });
        expect(vpc.id).to.match(/^vpc-[0-9a-f]{17}$/);
        expect(vpc.arn).to.equal(`arn:aws:ec2:eu-west-1:${account}:vpc/${String(vpc.id)}`);
        const amiResult = mocks.call({ token: "aws:ec2/getAmi:getAmi", inputs: { owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-2023.*-x86_64"] }] } });
        expect(amiResult.id).to.match(/^ami-[0-9a-f]{17}$/);
        expect(amiResult).to.include({ ownerId: "137112412989", architecture: "x86_64", mostRecent: true });
        expect(String(amiResult.name)).to.match(/^al2023-ami-2023\.\d+-x86_64$/);
        const china = new AwsMocks({ programCatalogue: catalogue, config: { "aws:region": "cn-north-1" } });
        expect(china.call({ token: "aws:sns/getTopic:getTopic", inputs: { name: "alerts" } }).arn).to.equal(`arn:aws-cn:sns:cn-north-1:${account}:alerts`);
    });

    it("Availability Zones are the stack Region's, and the default VPC's subnets are in it, one per zone", () => {
        const zones = mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: { state: "available" } });
        expect(zones.names).to.deep.equal(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
        expect(zones.zoneIds).to.deep.equal(["euw1-az1", "euw1-az2", "euw1-az3"]);
        expect(zonesOf("us-east-1").map((z) => z.zoneId)).to.deep.equal(["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"]);
        const vpc = mocks.call({ token: "aws:ec2/getVpc:getVpc", inputs: { default: true } });
        expect(vpc).to.include({ cidrBlock: "172.31.0.0/16", default: true });
        const subnets = mocks.call({ token: "aws:ec2/getSubnets:getSubnets", inputs: { filters: [{ name: "vpc-id", values: [vpc.id] }] } });
        expect(subnets.ids).to.have.length(3);
        for (const [i, id] of (subnets.ids as string[]).entries()) {
            const s = mocks.call({ token: "aws:ec2/getSubnet:getSubnet", inputs: { id } });
            expect(s).to.include({ vpcId: vpc.id, availabilityZone: `eu-west-1${"abc"[i]}`, defaultForAz: true, cidrBlock: `172.31.${i * 16}.0/20` });
        }
        const awsxDefault = mocks.call({ token: "awsx:ec2:getDefaultVpc", inputs: {} });
        expect(awsxDefault).to.deep.equal({ vpcId: vpc.id, publicSubnetIds: subnets.ids, privateSubnetIds: [] });
        expect(defaultVpc("123456789012", "eu-west-1").id).to.equal(vpc.id);
    });

    it("caller identity, Region and partition follow the provider; ELB's log delivery account is the Region's", () => {
        expect(mocks.call({ token: "aws:index/getCallerIdentity:getCallerIdentity", inputs: {} })).to.include({ accountId: "123456789012" });
        expect(mocks.call({ token: "aws:index/getRegion:getRegion", inputs: {} })).to.include({ region: "eu-west-1", name: "eu-west-1" });
        // The Region's account in the bucket policy of the ELB access logging guide.
        expect(mocks.call({ token: "aws:elb/getServiceAccount:getServiceAccount", inputs: {} }).arn).to.equal("arn:aws:iam::156460612806:root");
    });

    it("ssm.getParameter answers AWS's public AMI parameters with an AMI id and others with a named placeholder", () => {
        const amiParam = mocks.call({ token: "aws:ssm/getParameter:getParameter", inputs: { name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" } });
        expect(amiParam.value).to.match(/^ami-[0-9a-f]{17}$/);
        const own = mocks.call({ token: "aws:ssm/getParameter:getParameter", inputs: { name: "/app/db-host" } });
        expect(own.value).to.equal("offline-placeholder-value");
        expect([...mocks.notes].join("\n")).to.contain("/app/db-host");
    });
});
