/**
 * Bad input is refused: every stack file in tests/fixtures/bad-configs holds one kind of mistake and,
 * in its header, the problem lines the user must see (`# expect: <path>: expected <allowed>; received <value>`,
 * `<file>` standing for the file's absolute path). Each goes through the real `synth` command with
 * `--config-file`: exit status 2, exactly the expected problem lines, the file named, no stack trace,
 * nothing on stdout. The `synth` and `pattern` commands also refuse bad arguments with usage help.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCommand } from "../../lib/cli/common";
import { runPatternCli } from "../../lib/cli/pattern";
import { synthCommand } from "../../lib/cli/synth";
import { runSynthCli } from "../helpers/synth";

const CORPUS = path.resolve(__dirname, "..", "fixtures", "bad-configs");
const STACK_TRACE = /\n\s+at /;

interface Captured {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

function capture(): { io: { stdout: (t: string) => void; stderr: (t: string) => void }; out: () => { stdout: string; stderr: string } } {
    let stdout = "";
    let stderr = "";
    return {
        io: { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) },
        out: () => ({ stdout, stderr }),
    };
}

/** Runs `synth` in-process exactly as the command line does. */
async function synthInProcess(argv: readonly string[]): Promise<Captured> {
    const c = capture();
    const code = await runCommand(synthCommand(c.io), argv, c.io);
    return { code, ...c.out() };
}

function patternCli(argv: readonly string[]): Captured {
    const c = capture();
    const code = runPatternCli(argv, c.io);
    return { code, ...c.out() };
}

/** The `# expect:` lines of a corpus file, with `<file>` replaced by its absolute path. */
function expectedLines(file: string): string[] {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("# expect: "))
        .map((l) => `  - ${l.slice("# expect: ".length).split("<file>").join(file)}`);
}

/** The problem lines of a rendered UserError (`  - <path>: expected ...; received ...`). */
function problemLines(stderr: string): string[] {
    return stderr.split("\n").filter((l) => l.startsWith("  - "));
}

const files = fs
    .readdirSync(CORPUS)
    .filter((f) => /^\d{2}-[a-z0-9-]+\.yaml$/.test(f))
    .sort();

describe("security: bad stack configs are refused with their exact problems", function () {
    this.timeout(120_000);

    it("the corpus holds at least 40 files, each with at least one expected line", () => {
        expect(files.length).to.be.at.least(40);
        for (const f of files) {
            expect(expectedLines(path.join(CORPUS, f)), f).to.have.length.greaterThan(0);
        }
    });

    for (const f of files) {
        it(`${f}: exit 2, exactly its problem lines, file named, no stack trace`, async () => {
            const file = path.join(CORPUS, f);
            const r = await synthInProcess(["--stack", "dev", "--config-file", file]);
            expect(r.code, r.stderr).to.equal(2);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.match(/^error: /);
            expect(r.stderr).to.not.match(STACK_TRACE);
            expect(r.stderr).to.not.contain("internal error");
            expect(r.stderr).to.contain(f);
            expect(problemLines(r.stderr).sort()).to.deep.equal(expectedLines(file).sort());
        });
    }

    // The in-process runs above share the command's code path; these spawn the real command.
    for (const name of ["trail-mode-unknown", "file-not-a-mapping", "no-config-key"]) {
        it(`spawned: *-${name}.yaml exits 2 with its problem lines and no stack trace`, () => {
            const f = files.find((x) => x.endsWith(`-${name}.yaml`));
            expect(f, name).to.be.a("string");
            const file = path.join(CORPUS, String(f));
            const r = runSynthCli(["--stack", "dev", "--config-file", file]);
            expect(r.code, r.stderr).to.equal(2);
            expect(r.stderr).to.not.match(STACK_TRACE);
            expect(r.stderr).to.contain(String(f));
            for (const line of expectedLines(file)) expect(r.stderr).to.contain(line);
        });
    }
});

describe("security: the commands refuse bad arguments with usage help and exit 2", function () {
    this.timeout(60_000);
    let tmp: string;
    let events: string;
    before(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-bad-args-"));
        events = path.join(tmp, "events.json");
        fs.writeFileSync(events, '[{"eventName": "DeleteTrail"}]');
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    const usage = (r: Captured, flag: string): void => {
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.contain("Usage:");
        expect(r.stderr).to.contain(flag);
        expect(r.stderr).to.not.match(STACK_TRACE);
        expect(r.stdout).to.equal("");
    };

    it("synth: an unknown flag", async () => {
        const r = await synthInProcess(["--stack", "dev", "--jsno"]);
        usage(r, "--jsno");
        expect(r.stderr).to.contain("unknown option");
    });
    it("synth: --stack without its value", async () => {
        const r = await synthInProcess(["--stack"]);
        usage(r, "--stack");
        expect(r.stderr).to.contain("argument missing");
    });
    it("synth: no --stack at all", async () => {
        usage(await synthInProcess(["--json"]), "--stack");
    });
    it("synth: --config-file without its value", async () => {
        usage(await synthInProcess(["--stack", "dev", "--config-file"]), "--config-file");
    });
    it("synth: a stack name with a path separator", async () => {
        usage(await synthInProcess(["--stack", "../prod"]), "--stack");
    });
    it("synth: an organization id that is not one", async () => {
        usage(await synthInProcess(["--stack", "dev", "--organization-id", "O-NOTANID"]), "--organization-id");
    });
    it("synth: a stray positional argument", async () => {
        const r = await synthInProcess(["--stack", "dev", "prod"]);
        usage(r, "--stack");
        expect(r.stderr).to.contain("too many arguments");
    });
    it("synth: a stack without a stack file names the stacks that exist", async () => {
        const r = await synthInProcess(["--stack", "staging"]);
        expect(r.code, r.stderr).to.equal(2);
        expect(r.stderr).to.contain("Pulumi.staging.yaml").and.contain("dev, prod");
        expect(r.stderr).to.not.match(STACK_TRACE);
    });
    it("synth (spawned): an unknown flag exits 2 with usage help", () => {
        const r = runSynthCli(["--stack", "dev", "--no-such-flag"]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("unknown option").and.contain("Usage:");
        expect(r.stderr).to.not.match(STACK_TRACE);
    });

    it("pattern: an unknown flag", () => {
        usage(patternCli(["--pattern", "{ $.a = 1 }", "--events", events, "--verbose"]), "--verbose");
    });
    it("pattern: --pattern without its value", () => {
        usage(patternCli(["--events", events, "--pattern"]), "--pattern");
    });
    it("pattern: --events missing", () => {
        usage(patternCli(["--pattern", "{ $.a = 1 }"]), "--events");
    });
    it("pattern: conflicting flags (two patterns) are refused, not silently resolved", () => {
        const r = patternCli(["--pattern", "{ $.a = 1 }", "--pattern", "{ $.b = 2 }", "--events", events]);
        usage(r, "--pattern");
        expect(r.stderr).to.contain("more than once");
    });
    it("synth: conflicting flags (two stacks, two config files) are refused", async () => {
        const twoStacks = await synthInProcess(["--stack", "dev", "--stack", "prod"]);
        usage(twoStacks, "--stack");
        expect(twoStacks.stderr).to.contain("more than once");
        const twoFiles = await synthInProcess(["--stack", "dev", "--config-file", "a.yaml", "-c", "b.yaml"]);
        usage(twoFiles, "--config-file");
        expect(twoFiles.stderr).to.contain("more than once");
    });
    it("pattern: an invalid pattern names its position, exit 2, no stack trace", () => {
        const r = patternCli(["--pattern", '{ $.eventName = "DeleteTrail"', "--events", events]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("--pattern at position 30");
        expect(r.stderr).to.not.match(STACK_TRACE);
    });
    it("pattern: an events file that does not exist", () => {
        const r = patternCli(["--pattern", "{ $.a = 1 }", "--events", path.join(tmp, "missing.json")]);
        expect(r.code).to.equal(2);
        expect(r.stderr).to.contain("missing.json");
        expect(r.stderr).to.not.match(STACK_TRACE);
    });
});
