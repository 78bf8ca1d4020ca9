import { expect } from "chai";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountProviderArgs, accountProvider, accountProviderInputs } from "../../components/providers";
import { RegistrationRequest, synthesizeInline } from "../../lib/synth/synthesize";

const CASES: Record<string, AccountProviderArgs> = {
    "no role (management with the caller's credentials)": { accountId: "111111111111", region: "eu-west-1", partition: "aws", tags: { Team: "platform" } },
    "role by name (a member)": { accountId: "222222222222", region: "eu-central-1", partition: "aws", roleName: "OrganizationAccountAccessRole", tags: {} },
    "role by ARN with an external id": {
        accountId: "333333333333",
        region: "us-gov-west-1",
        partition: "aws-us-gov",
        roleArn: "arn:aws-us-gov:iam::333333333333:role/Deploy",
        externalId: "ext-1",
        tags: { CostCenter: "42" },
    },
};

/** What the engine receives for a registration, without the name: the raw wire object (secret and unknown markers included) and dependencies. */
function wire(r: RegistrationRequest | undefined): unknown {
    return r === undefined
        ? undefined
        : { type: r.type, custom: r.custom, object: r.wire, dependencies: r.dependencies, propertyDependencies: r.propertyDependencies, version: r.version, additionalSecretOutputs: [...r.additionalSecretOutputs].sort() };
}

describe("components/providers", () => {
    for (const preview of [false, true]) {
        const mode = preview ? "preview" : "update";
        for (const [label, args] of Object.entries(CASES)) {
            it(`registers the AWS provider exactly as aws.Provider does (${mode}): ${label}`, async () => {
                const seen = new Map<string, RegistrationRequest>();
                await synthesizeInline(
                    () => {
                        // The oracle: the provider class of the installed @pulumi/aws, given the same arguments.
                        new aws.Provider("reference", accountProviderInputs(args));
                        accountProvider("orgwatch", args);
                    },
                    { preview, onRegister: (r) => seen.set(r.name, r) },
                );
                const reference = wire(seen.get("reference"));
                expect(reference).to.not.equal(undefined);
                expect(wire(seen.get("orgwatch"))).to.deep.equal(reference);
            });
        }

        it(`registers an account id from another resource, and a secret one, as aws.Provider does (${mode})`, async () => {
            const seen = new Map<string, RegistrationRequest>();
            await synthesizeInline(
                () => {
                    const created = new aws.organizations.Account("acct", { name: "n", email: "n@example.com" });
                    const fromResource = { accountId: created.id, region: "eu-west-1", partition: "aws", roleName: "OrganizationAccountAccessRole", tags: {} };
                    new aws.Provider("reference", accountProviderInputs(fromResource));
                    accountProvider("orgwatch", fromResource);
                    const secret = { ...fromResource, accountId: pulumi.secret("555555555555") };
                    new aws.Provider("reference-secret", accountProviderInputs(secret));
                    accountProvider("orgwatch-secret", secret);
                },
                { preview, onRegister: (r) => seen.set(r.name, r) },
            );
            expect(wire(seen.get("orgwatch"))).to.deep.equal(wire(seen.get("reference")));
            expect(seen.get("orgwatch")?.propertyDependencies.allowedAccountIds).to.have.length(1);
            expect(wire(seen.get("orgwatch-secret"))).to.deep.equal(wire(seen.get("reference-secret")));
            expect(JSON.stringify((seen.get("orgwatch-secret")?.wire as Record<string, unknown>).allowedAccountIds)).to.contain("1b47061264138c4ac30d75fd1eb44270");
        });
    }

    it("sends the default tags sorted by key, with ManagedBy", async () => {
        const seen = new Map<string, RegistrationRequest>();
        await synthesizeInline(() => accountProvider("p", { accountId: "111111111111", region: "eu-west-1", partition: "aws", tags: { zone: "z", Alpha: "a", "cost center": "c" } }), { onRegister: (r) => seen.set(r.name, r) });
        expect(seen.get("p")?.inputs.defaultTags).to.equal('{"tags":{"Alpha":"a","ManagedBy":"orgwatch","cost center":"c","zone":"z"}}');
    });

    it("lets resources place themselves through it like aws.Provider", async () => {
        const r = await synthesizeInline(() => {
            const provider = accountProvider("member", { accountId: "444444444444", region: "ap-southeast-2", partition: "aws", roleName: "R", tags: {} });
            new aws.sns.Topic("t", {}, { provider });
            return { provider: pulumi.output(provider.urn) };
        });
        const topic = r.resources.find((x) => x.type === "aws:sns/topic:Topic");
        expect(topic).to.include({ account: "444444444444", region: "ap-southeast-2", provider: r.outputs.provider });
    });
});
