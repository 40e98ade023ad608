/** The README's reference tables are generated from their sources and must match them. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { METRICS } from "../../src/telemetry/naming/catalogue.ts";
import { renderReadme } from "../../scripts/readme-tables.ts";

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

describe("README", () => {
  it("has options, metrics and alerts tables equal to the schema, catalogue and rules (node scripts/readme-tables.ts --write)", () => {
    expect(README).toBe(renderReadme(README));
  });

  it("lists every catalogue metric", () => {
    for (const m of METRICS) expect(README).toContain(`| \`${m.name}\``);
  });

  it("shows the real capture's report exactly as `report` prints it (test/golden/report/real.txt)", () => {
    const golden = readFileSync(join(import.meta.dirname, "../golden/report/real.txt"), "utf8");
    expect(README).toContain("```text\n" + golden);
  });

  it("gives the two set-up commands", () => {
    expect(README).toContain("npm ci && npm start");
    expect(README).toContain("npm ci && npm test");
  });
});
