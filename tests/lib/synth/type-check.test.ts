import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { programEntry, typeCheckProgram } from "../../../lib/synth/program";
import { isProgramFailure } from "../../../lib/synth/failure";
import { PACKAGE_ROOT } from "../../../lib/synth/synthesize";

/**
 * `pulumi preview` runs TypeScript through ts-node, which type-checks unless PULUMI_NODEJS_TRANSPILE_ONLY
 * is "true" or the tsconfig sets `noCheck` (@pulumi/pulumi cmd/run/run.js); a type error stops the
 * run with ts-node's `<file>(<line>,<col>): error TS<code>: ...`.
 */
describe("TypeScript programs are type-checked as pulumi preview type-checks them", () => {
    let dir: string;
    let saved: string | undefined;
    const write = (files: Record<string, string>): void => {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        for (const [f, text] of Object.entries({ "Pulumi.yaml": "name: typed\nruntime: nodejs\n", "package.json": '{"name":"typed","main":"index.ts"}', ...files })) fs.writeFileSync(path.join(dir, f), text);
    };
    const check = (): unknown => {
        try {
            typeCheckProgram(programEntry(dir, undefined), PACKAGE_ROOT, dir);
            return undefined;
        } catch (err) {
            return err;
        }
    };
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "orgwatch-typecheck-"));
        saved = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        if (saved === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        else process.env.PULUMI_NODEJS_TRANSPILE_ONLY = saved;
    });

    it("a type error in an imported file fails the run naming that file and line, as ts-node prints it", () => {
        write({ "index.ts": 'import { retention } from "./settings";\nexport const days = retention;\n', "settings.ts": 'export const name = "app";\nexport const retention: number = "365";\n', "tsconfig.json": '{"compilerOptions":{"strict":true}}' });
        const err = check();
        expect(isProgramFailure(err)).to.equal(true);
        expect((err as Error).message).to.contain("settings.ts(2,14): error TS2322").and.contain("at settings.ts:2:14");
    });

    it("a well-typed program passes; noCheck in the tsconfig and PULUMI_NODEJS_TRANSPILE_ONLY=true skip the check", () => {
        write({ "index.ts": "export const days: number = 365;\n", "tsconfig.json": '{"compilerOptions":{"strict":true}}' });
        expect(check()).to.equal(undefined);
        write({ "index.ts": 'export const days: number = "365";\n', "tsconfig.json": '{"compilerOptions":{"strict":true,"noCheck":true}}' });
        expect(check()).to.equal(undefined);
        write({ "index.ts": 'export const days: number = "365";\n', "tsconfig.json": '{"compilerOptions":{"strict":true}}' });
        process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        try {
            expect(check()).to.equal(undefined);
        } finally {
            delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        }
        process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "false";
        try {
            expect(isProgramFailure(check())).to.equal(true);
        } finally {
            delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
        }
    });
});
