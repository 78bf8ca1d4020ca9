import { expect } from "chai";
import { UserError } from "../../../lib/errors";
import * as os from "os";
import * as path from "path";
import { applyProjectConfig, parseProjectConfig } from "../../../lib/synth/project-config";
import { shownPath } from "../../../lib/synth/synthesize";

/**
 * Project-level config as the Pulumi engine applies it. The expectations restate the engine's rules
 * (pulumi/pulumi sdk/go/common/workspace: RewriteShorthandConfigValues, Project.Validate, mergeConfig):
 * a short form is a default for a project key and a value for another namespace's key; another
 * namespace's key may not declare a type or a default; the stack's value wins; a project key with
 * neither default nor value that the stack lacks is "missing configuration value".
 */
describe("project config (Pulumi.yaml config:)", () => {
    const where = { project: "shop", stack: "dev", projectFile: "Pulumi.yaml", stackFile: "Pulumi.dev.yaml" };
    const failure = (fn: () => unknown): UserError => {
        try {
            fn();
        } catch (err) {
            if (err instanceof UserError) return err;
            throw err;
        }
        throw new Error("expected a UserError");
    };

    it("applies short forms, defaults and values under the stack's values", () => {
        const project = parseProjectConfig(
            { "aws:region": "eu-west-1", port: 8080, size: { type: "string", default: "small" }, "pulumi:tags": { value: { team: "web" } }, "shop:debug": { value: true } },
            "shop",
            "Pulumi.yaml",
        );
        const { config, fromProject } = applyProjectConfig({ "shop:size": "large" }, [], project, where);
        expect(config).to.deep.equal({ "aws:region": "eu-west-1", "shop:port": "8080", "shop:size": "large", "pulumi:tags": '{"team":"web"}', "shop:debug": "true" });
        expect(fromProject).to.deep.equal(["aws:region", "pulumi:tags", "shop:debug", "shop:port"]);
    });

    it("rejects what pulumi rejects in the project file, every key at once", () => {
        const err = failure(() =>
            parseProjectConfig(
                { "aws:region": { default: "eu-west-1" }, "aws:profile": { type: "string", value: "x" }, "aws:skip": { description: "no value" }, both: { default: 1, value: 2 }, list: { type: "array", default: [] } },
                "shop",
                "Pulumi.yaml",
            ),
        );
        const paths = err.problems.map((p) => p.path);
        expect(paths).to.deep.equal(["Pulumi.yaml: config.aws:profile", "Pulumi.yaml: config.aws:region", "Pulumi.yaml: config.aws:skip", "Pulumi.yaml: config.both", "Pulumi.yaml: config.list"]);
        expect(err.message).to.contain("'value' attribute instead of 'default'");
    });

    it("names every project key the stack lacks, and checks declared types and secrets", () => {
        const project = parseProjectConfig({ dbName: { type: "string" }, replicas: { type: "integer" }, token: { secret: true }, "aws:region": "eu-west-1" }, "shop", "Pulumi.yaml");
        const missing = failure(() => applyProjectConfig({ "shop:token": "x" }, ["shop:token"], project, where));
        expect(missing.message).to.contain("Stack 'dev' is missing configuration values 'dbName' and 'replicas'");
        const wrong = failure(() => applyProjectConfig({ "shop:dbName": "orders", "shop:replicas": "two", "shop:token": "plain" }, [], project, where));
        expect(wrong.problems.map((p) => p.path)).to.deep.equal(["Pulumi.dev.yaml: config.shop:replicas", "Pulumi.dev.yaml: config.shop:token"]);
        expect(applyProjectConfig({ "shop:dbName": "orders", "shop:replicas": "2", "shop:token": "x" }, ["shop:token"], project, where).config["aws:region"]).to.equal("eu-west-1");
    });

    it("names the project file relative to the working directory inside it and absolute outside it, never climbing with ../", () => {
        const outside = path.join(path.parse(process.cwd()).root, "elsewhere", "app", "Pulumi.yaml");
        expect(shownPath(outside)).to.equal(outside);
        expect(shownPath(path.join(process.cwd(), "app", "Pulumi.yaml"))).to.equal(path.join("app", "Pulumi.yaml"));
        const project = parseProjectConfig({ replicas: { type: "integer" } }, "shop", "Pulumi.yaml");
        const tmpProject = path.join(os.tmpdir(), "shop", "Pulumi.yaml");
        const wrong = failure(() => applyProjectConfig({ "shop:replicas": "three" }, [], project, { ...where, projectFile: shownPath(tmpProject) }));
        expect(wrong.message).to.contain(`declared in ${tmpProject}`).and.not.contain("../");
    });
});
