/** The default-level blind spots name real catalogue metrics and say what brings each (README lists them too). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_LEVEL_BLIND_SPOTS } from "../../src/events/visibility.ts";
import { METRIC_BY_NAME } from "../../src/telemetry/naming/catalogue.ts";

describe("default-level blind spots", () => {
  it("name catalogue metrics, a remedy, and appear in the README", () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    expect(DEFAULT_LEVEL_BLIND_SPOTS.map((b) => b.id)).toEqual(["tokens_cost", "successful_requests", "queue_session_state"]);
    for (const b of DEFAULT_LEVEL_BLIND_SPOTS) {
      for (const m of b.metrics) expect(METRIC_BY_NAME.has(m), m).toBe(true);
      expect(b.remedy).toMatch(/plugin|debug/);
    }
    expect(readme).toContain("## What a log-only gateway at the default level cannot show");
    expect(readme).toContain("src/events/visibility.ts");
  });
});
