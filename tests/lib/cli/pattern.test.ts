import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseEvents, runPatternCli } from "../../../lib/cli/pattern";
import { FIXTURE_FILES, FIXTURES_DIR, labelledMatches, loadCisPatterns, loadEvents } from "../cis/fixtures";

const REPO = path.resolve(__dirname, "../../..");

function run(argv: string[]): { code: number; out: string; err: string } {
    let out = "";
    let err = "";
    const code = runPatternCli(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
    return { code, out, err };
}

const tmpDirs: string[] = [];

function tmpFile(name: string, content: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-pattern-"));
    tmpDirs.push(dir);
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
}

const lines = (out: string): string[] => out.split("\n").filter((l) => l !== "");

describe("pattern command (lib/cli/pattern.ts)", () => {
    after(() => {
        for (const dir of tmpDirs.splice(0)) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it('prints exactly {"index": <i>, "match": true|false} per record of a JSON array', () => {
        const file = tmpFile("a.json", JSON.stringify([{ eventName: "CreateVpc" }, { eventName: "DeleteVpc" }, {}]));
        const r = run(["--pattern", "{ $.eventName = CreateVpc }", "--events", file]);
        expect(r.code).to.equal(0);
        expect(r.err).to.equal("");
        expect(r.out).to.equal('{"index": 0, "match": true}\n{"index": 1, "match": false}\n{"index": 2, "match": false}\n');
        for (const l of lines(r.out)) {
            expect(Object.keys(JSON.parse(l) as object)).to.deep.equal(["index", "match"]);
        }
    });

    it("JSON lines: each non-empty line is one event message (non-JSON lines never match JSON patterns)", () => {
        const file = tmpFile("e.jsonl", '{"a": 1}\n\nnot json ERROR\n{"a": 2}\n');
        expect(lines(run(["--pattern", "{ $.a >= 1 }", "--events", file]).out)).to.deep.equal([
            '{"index": 0, "match": true}',
            '{"index": 1, "match": false}',
            '{"index": 2, "match": true}',
        ]);
        expect(lines(run(["--pattern", "ERROR", "--events", file]).out)).to.deep.equal([
            '{"index": 0, "match": false}',
            '{"index": 1, "match": true}',
            '{"index": 2, "match": false}',
        ]);
    });

    it("parseEvents classifies arrays, fixture files and lines", () => {
        expect(parseEvents("[1, {\"a\": 2}]")).to.deep.equal([{ record: 1 }, { record: { a: 2 } }]);
        expect(parseEvents('{"source": {}, "events": [{"record": {"x": 1}}, {"record": null}]}')).to.deep.equal([
            { record: { x: 1 } },
            { record: null },
        ]);
        expect(parseEvents('{"x": 1}\n{"x": 2}\n')).to.deep.equal([{ message: '{"x": 1}' }, { message: '{"x": 2}' }]);
        expect(parseEvents('{"x": 1}')).to.deep.equal([{ message: '{"x": 1}' }]);
        expect(parseEvents("")).to.deep.equal([]);
    });

    it("agrees with every fixture label: for each file and each control, match = control in the record's labels", () => {
        const patterns = loadCisPatterns().labelPatterns;
        for (const file of FIXTURE_FILES) {
            const events = loadEvents(file);
            for (let category = 1; category <= 15; category++) {
                const r = run(["--pattern", patterns[String(category)], "--events", path.join(FIXTURES_DIR, file)]);
                expect(r.code).to.equal(0);
                const expected = events.map((e, index) => `{"index": ${index}, "match": ${labelledMatches(e).includes(category)}}`);
                expect(lines(r.out), `${file} category ${category}`).to.deep.equal(expected);
            }
        }
    });

    describe("exit status 2, message on stderr, no stack trace", () => {
        const file = tmpFile("ok.json", "[{}]");

        it("invalid pattern: the message gives the position and what was expected", () => {
            const r = run(["--pattern", "{ $.a = 1 && }", "--events", file]);
            expect(r.code).to.equal(2);
            expect(r.out).to.equal("");
            expect(r.err).to.contain("Invalid --pattern");
            expect(r.err).to.contain("position 14");
            expect(r.err).to.contain("a property selector starting with '$'");
            expect(r.err).not.to.match(/\n\s+at /);
        });

        it("unsupported pattern syntax", () => {
            const r = run(["--pattern", "[ip, user, status_code = 4*]", "--events", file]);
            expect(r.code).to.equal(2);
            expect(r.err).to.contain("position 1");
            expect(r.err).to.contain("space-delimited");
        });

        it("missing options and unknown options", () => {
            expect(run(["--events", file]).code).to.equal(2);
            expect(run(["--pattern", "x"]).code).to.equal(2);
            expect(run(["--pattern", "x", "--events", file, "--bogus"]).code).to.equal(2);
        });

        it("unreadable file, malformed JSON array, fixture event without record", () => {
            const missing = run(["--pattern", "x", "--events", path.join(os.tmpdir(), "orgwatch-does-not-exist.json")]);
            expect(missing.code).to.equal(2);
            expect(missing.err).to.contain("Cannot read --events file");
            const broken = run(["--pattern", "x", "--events", tmpFile("b.json", "[{]")]);
            expect(broken.code).to.equal(2);
            expect(broken.err).to.contain("valid JSON");
            const noRecord = run(["--pattern", "x", "--events", tmpFile("c.json", '{"events": [{"note": "x"}]}')]);
            expect(noRecord.code).to.equal(2);
            expect(noRecord.err).to.contain('"record"');
        });
    });

    describe("as a process (npm run --silent pattern runs this file with ts-node)", () => {
        const exec = (args: string[]) =>
            spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "lib/cli/pattern.ts", ...args], {
                cwd: REPO,
                encoding: "utf8",
                env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
            });

        it("exit 0 with the results on stdout", () => {
            const file = tmpFile("p.json", JSON.stringify([{ errorCode: "AccessDenied" }, { errorCode: "VpceAccessDenied" }]));
            const r = exec(["--pattern", '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}', "--events", file]);
            expect(r.status).to.equal(0);
            expect(r.stdout).to.equal('{"index": 0, "match": true}\n{"index": 1, "match": false}\n');
        });

        it("exit 2 on an invalid pattern, with the position and no stack trace", () => {
            const r = exec(["--pattern", "{ $.a = }", "--events", tmpFile("q.json", "[]")]);
            expect(r.status).to.equal(2);
            expect(r.stdout).to.equal("");
            expect(r.stderr).to.contain("position 9");
            expect(r.stderr).not.to.match(/\n\s+at /);
        });
    });
});
