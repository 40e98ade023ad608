/** The README's reference tables are generated from their sources and must match them. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { METRICS } from "../../src/telemetry/naming/catalogue.ts";
import { renderReadme } from "../../scripts/readme-tables.ts";

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

describe("README", () => {
  it("has options, metrics and alerts tables equal to the schema, catalogue and rules (node scripts/readme-tables.ts --write)", () => {
    expect(README).toBe(renderReadme(README));
  });

  it("has one metrics-table row per catalogue metric, in the catalogue's order, and no other", () => {
    const table = /<!-- metrics:start -->\n([\s\S]*?)<!-- metrics:end -->/.exec(README)?.[1] ?? "";
    const names = [...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]);
    expect(names).toEqual(METRICS.map((m) => m.name));
  });

  it("shows the real capture's report exactly as `report` prints it (test/golden/report/real.txt), the whole block", () => {
    const golden = readFileSync(join(import.meta.dirname, "../golden/report/real.txt"), "utf8");
    const blocks = [...README.matchAll(/^```text\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    const first = golden.split("\n")[0]!;
    const block = blocks.find((b) => b!.startsWith(first));
    expect(block, `a text block starting "${first}"`).toBeDefined();
    expect(block).toBe(golden);
  });

  it("gives the two set-up commands, each doing what its comment says", () => {
    const scripts = (JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    // Node checked first, in one line (issue 24; test/package/newcomer.test.ts runs this line on Node 20 and 24).
    const start = /^node (bin\/require-node\.mjs) && npm ci && npm start +# follow (\S+); http:\/\/(\S+)\/metrics and the status page at \/$/m.exec(README);
    expect(start, "the npm start line").not.toBeNull();
    expect(existsSync(join(import.meta.dirname, "../..", start![1]!))).toBe(true);
    // npm start runs `run` with its defaults: the directory and address the comment names.
    expect(scripts.start).toMatch(/ run$/);
    const defaults = parseConfig([], {});
    expect(start![2]).toBe(defaults.logsDir);
    expect(start![3]).toBe(`${defaults.listen?.host}:${defaults.listen?.port}`);
    expect(README).toMatch(/^npm ci && npm test +# typecheck and the whole test suite$/m);
    expect(scripts.test).toBe("npm run typecheck && vitest run");
    // Every `npm run X` the README names is a script.
    for (const [, name] of README.matchAll(/npm run ([a-z:]+)/g)) expect(Object.keys(scripts), `npm run ${name}`).toContain(name);
  });
});
