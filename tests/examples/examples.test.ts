/**
 * The two application stacks of `examples/`: the same Lambda function, SQS queue, RDS instance and
 * Application Load Balancer, once without alarms (fails `monitoring-enabled` and nothing else) and
 * once watched by `StackMonitoring` (no violation). Each runs through the real `check` command.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCheckCli } from "../../lib/cli/check";
import type { CliIo } from "../../lib/cli/common";
import { PACKAGE_ROOT } from "../../lib/synth/synthesize";

function captured(): { io: CliIo; out: () => string; err: () => string } {
    let out = "";
    let err = "";
    return { io: { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) }, out: () => out, err: () => err };
}

interface JsonReport {
    readonly stack: string;
    readonly policyPack: string;
    readonly violations: ReadonlyArray<{ policy: string; enforcementLevel: string; urn: string | null; type: string | null; message: string }>;
    readonly summary: { mandatory: number; advisory: number };
}

/**
 * Copies `examples/<name>` to `<tmp>/examples/<name>` as a user's checkout would hold it after
 * `npm install`: its `node_modules` links to orgwatch's, and `<tmp>/components`, `<tmp>/lib` and
 * `<tmp>/node_modules` link to orgwatch's, so the passing example's `../../components/stack-monitoring`
 * import resolves and type-checks as in orgwatch's own checkout.
 */
function copyExample(root: string, name: string): string {
    const source = path.join(PACKAGE_ROOT, "examples", name);
    const target = path.join(root, "examples", name);
    fs.cpSync(source, target, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
    fs.symlinkSync(path.join(PACKAGE_ROOT, "node_modules"), path.join(target, "node_modules"), "dir");
    return target;
}

async function check(program: string, extra: readonly string[] = []): Promise<{ status: number; report: JsonReport; err: string }> {
    const c = captured();
    const status = await runCheckCli(["--program", program, "--stack", "dev", "--format", "json", ...extra], c.io);
    return { status, report: JSON.parse(c.out()) as JsonReport, err: c.err() };
}

describe("examples (application stacks)", () => {
    let root: string;
    let failing: string;
    let passing: string;
    before(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-examples-"));
        // The passing example imports ../../components, which import ../lib and the root's packages.
        for (const dir of ["components", "lib", "node_modules"]) fs.symlinkSync(path.join(PACKAGE_ROOT, dir), path.join(root, dir), "dir");
        failing = copyExample(root, "app-failing");
        passing = copyExample(root, "app-passing");
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    // Written by hand from examples/app-failing/index.ts: its four monitorable resources (Lambda,
    // SQS, RDS, ALB; the pack's monitoring-enabled table) and their logical names. Top-level
    // resources' URNs have no parent type: the engine leaves the root stack type out.
    const expectedFailing = [
        { type: "aws:lambda/function:Function", name: "orders-handler" },
        { type: "aws:sqs/queue:Queue", name: "orders" },
        { type: "aws:rds/instance:Instance", name: "orders-db" },
        { type: "aws:lb/loadBalancer:LoadBalancer", name: "orders-alb" },
    ].map(({ type, name }) => ({
        policy: "monitoring-enabled",
        enforcementLevel: "mandatory",
        type,
        urn: `urn:pulumi:dev::app-failing::${type}::${name}`,
        name,
    }));

    for (const policyConfig of [[], ["--policy-config", path.join(PACKAGE_ROOT, "policies", "policy-config.app.json")]] as const) {
        const label = policyConfig.length === 0 ? "default policy config" : "policy-config.app.json";

        it(`app-failing exits 1 with exactly one monitoring-enabled violation per monitorable resource (${label})`, async () => {
            const { status, report } = await check(failing, policyConfig);
            expect(status).to.equal(1);
            expect(report.stack).to.equal("dev");
            expect(report.policyPack).to.equal("orgwatch-monitoring");
            expect(report.violations.map(({ policy, enforcementLevel, type, urn }) => ({ policy, enforcementLevel, type, urn }))).to.have.deep.members(
                expectedFailing.map(({ policy, enforcementLevel, type, urn }) => ({ policy, enforcementLevel, type, urn })),
            );
            expect(report.violations).to.have.length(4);
            expect(report.summary).to.deep.equal({ mandatory: 4, advisory: 0 });
            for (const v of report.violations) {
                const expected = expectedFailing.find((e) => e.urn === v.urn);
                expect(v.message, String(v.urn)).to.contain(`"${expected?.name}"`);
            }
        });

        it(`app-passing (StackMonitoring) exits 0 with no violation (${label})`, async () => {
            const { status, report } = await check(passing, policyConfig);
            expect(status).to.equal(0);
            expect(report.violations).to.deep.equal([]);
            expect(report.summary).to.deep.equal({ mandatory: 0, advisory: 0 });
        });
    }

    it("the table format names each unwatched resource of app-failing", async () => {
        const c = captured();
        expect(await runCheckCli(["--program", failing, "--stack", "dev"], c.io)).to.equal(1);
        for (const e of expectedFailing) expect(c.out()).to.contain(e.urn);
        expect(c.out()).to.contain("Summary: 4 mandatory, 0 advisory");
    });

    it("without installed packages the check exits 2 and asks for npm install in the example", async () => {
        // Outside `root`, whose node_modules link every program below it would find.
        const bareRoot = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-bare-"));
        const bare = path.join(bareRoot, "app-failing");
        try {
            fs.cpSync(path.join(PACKAGE_ROOT, "examples", "app-failing"), bare, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
            const c = captured();
            expect(await runCheckCli(["--program", bare, "--stack", "dev"], c.io)).to.equal(2);
            expect(c.err()).to.contain(`run npm install in ${bare}`);
        } finally {
            fs.rmSync(bareRoot, { recursive: true, force: true });
        }
    });

    it("both examples declare the same @pulumi/pulumi and @pulumi/aws versions as orgwatch", () => {
        const deps = (file: string): Record<string, string> => (JSON.parse(fs.readFileSync(file, "utf8")) as { dependencies: Record<string, string> }).dependencies;
        const rootDeps = deps(path.join(PACKAGE_ROOT, "package.json"));
        for (const name of ["app-failing", "app-passing"]) {
            const d = deps(path.join(PACKAGE_ROOT, "examples", name, "package.json"));
            expect(d["@pulumi/pulumi"], name).to.equal(rootDeps["@pulumi/pulumi"]);
            expect(d["@pulumi/aws"], name).to.equal(rootDeps["@pulumi/aws"]);
        }
    });
});
