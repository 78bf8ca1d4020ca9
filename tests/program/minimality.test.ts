import { expect } from "chai";
import fc from "fast-check";
import { isDeepStrictEqual } from "util";
import type { SynthResource, SynthResult } from "../../lib/synth/types";
import { minimalConfig, patched, type ConfigObject } from "../helpers/config";
import { synthConfig } from "../helpers/program";

/**
 * Change minimality: adding or removing one member account changes exactly that account's
 * resources. Every other resource keeps its URN and has identical inputs, provider, parent,
 * protection and dependencies; the resources that appear or disappear are exactly, for a created
 * account, its `aws.organizations.Account`, and for an adopted account nothing at all: every
 * member's baseline comes from the member baseline StackSet, which targets OUs, not accounts.
 */

const OUS = ["Root/Workloads", "Root/Workloads/Prod", "Root/Sandbox"];
const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "ap-southeast-2"];

interface Member {
    readonly name: string;
    readonly id?: string;
    readonly email?: string;
    readonly ou?: string;
}

/** Account names built so the resource-name slug differs between members. */
const memberArb = (index: number): fc.Arbitrary<Member> =>
    fc.record({ created: fc.boolean(), ou: fc.constantFrom(...OUS), tag: fc.constantFrom("app", "data", "ml", "web") }).map(({ created, ou, tag }) => {
        const name = `${tag}-team-${index}`;
        return created ? { name, email: `aws+${name}@example.com`, ou } : { name, id: String(500000000000 + index * 7919) };
    });

const scenarioArb = fc
    .record({
        count: fc.integer({ min: 2, max: 6 }),
        regionCount: fc.integer({ min: 1, max: 3 }),
        removeAt: fc.nat(),
        remove: fc.boolean(),
    })
    .chain(({ count, regionCount, removeAt, remove }) =>
        fc.record({
            members: fc.tuple(...Array.from({ length: count + 1 }, (_, i) => memberArb(i))),
            regions: fc.constant(REGIONS.slice(0, regionCount)),
            removeAt: fc.constant(removeAt % count),
            remove: fc.constant(remove),
        }),
    );

function configOf(members: readonly Member[], regions: readonly string[]): ConfigObject {
    return patched(minimalConfig(), { regions: { home: regions[0], governed: [...regions] }, organizationalUnits: OUS, accounts: members, protect: true });
}

/** The resources the program should create for one member, by type and name (from the README/design contract). */
function expectedFor(member: Member): string[] {
    return member.id === undefined ? [`aws:organizations/account:Account members-account-${member.name}`] : [];
}

function sameResource(a: SynthResource, b: SynthResource): boolean {
    return isDeepStrictEqual(a.inputs, b.inputs) && a.provider === b.provider && a.parent === b.parent && a.protect === b.protect && isDeepStrictEqual(a.dependsOn, b.dependsOn);
}

/** Asserts that `small` and `large` differ only by the resources of `member`. */
function expectOnlyMember(small: SynthResult, large: SynthResult, member: Member): void {
    const inSmall = new Map(small.resources.map((r) => [r.urn, r]));
    const inLarge = new Map(large.resources.map((r) => [r.urn, r]));
    const extra = large.resources.filter((r) => !inSmall.has(r.urn));
    expect(small.resources.filter((r) => !inLarge.has(r.urn)).map((r) => r.urn), "resources only in the smaller config").to.deep.equal([]);
    expect(extra.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(expectedFor(member));
    const changed = small.resources.filter((r) => !sameResource(r, inLarge.get(r.urn) as SynthResource)).map((r) => r.urn);
    expect(changed, "resources whose inputs, provider, parent, protection or dependencies changed").to.deep.equal([]);
}

describe("program: change minimality of member accounts", function () {
    this.timeout(120000);

    it("adding or removing one account changes exactly that account's resources (property, generated configs)", async () => {
        await fc.assert(
            fc.asyncProperty(scenarioArb, async ({ members, regions, removeAt, remove }) => {
                const base = members.slice(0, -1);
                const before = await synthConfig(configOf(base, regions));
                if (remove) {
                    // Remove one account from the middle of the list, not only the last.
                    const without = await synthConfig(configOf(base.filter((_, i) => i !== removeAt), regions));
                    expectOnlyMember(without, before, base[removeAt]);
                } else {
                    const withOne = await synthConfig(configOf(members, regions));
                    expectOnlyMember(before, withOne, members[members.length - 1]);
                }
            }),
            // Each run is two offline synths (about a second each): few runs keep the file fast.
            { numRuns: 12, seed: 20261125 },
        );
    });
});
