import { expect } from "chai";
import * as fs from "fs";
import { CIS_CONTROLS } from "../../../lib/cis";
import { CONTROLS_DOC_PATH, loadFixtureFiles, renderControlsDoc } from "../../../lib/cis/controls-doc";
import { FIXTURES_DIR, README_TOTALS } from "./fixtures";

describe("docs/CONTROLS.md", () => {
    const rendered = renderControlsDoc(loadFixtureFiles(FIXTURES_DIR));

    it("is up to date (regenerate with: npx ts-node --transpile-only lib/cis/controls-doc.ts)", () => {
        expect(fs.readFileSync(CONTROLS_DOC_PATH, "utf8")).to.equal(rendered);
    });

    it("has one table row per control with its ids, Security Hub id and the README's any/near counts", () => {
        const rows = rendered.split("\n").filter((l) => /^\| \d+ \|/.test(l));
        expect(rows.length).to.equal(15);
        CIS_CONTROLS.forEach((c, k) => {
            const cells = rows[k].split(/(?<!\\)\|/).map((s) => s.trim());
            // | # | id | v1.2 | v1.4 | v4 | SH | catches | positives | near | default matches | pattern |
            expect(cells[1]).to.equal(String(c.category));
            expect(cells[2]).to.equal(`\`${c.id}\``);
            expect(cells[6]).to.equal(c.securityHubControl ?? "-");
            const [, any, near] = README_TOTALS.perCategory[k];
            expect(Number(cells[8]), `${c.id} positives`).to.equal(any);
            expect(Number(cells[9]), `${c.id} near misses`).to.equal(near);
        });
    });

    it("lists every variant's full pattern text", () => {
        for (const c of CIS_CONTROLS) {
            for (const text of Object.values(c.variants)) {
                expect(rendered, c.id).to.contain(`  ${text}\n`);
            }
        }
    });
});
