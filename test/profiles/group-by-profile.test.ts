/**
 * Two OpenClaw profiles on one host must never be summed together (issue 8): every aggregation
 * in the alert rules and the generated dashboards keeps `openclaw_profile`. Knob series
 * (openclaw:knob:*) are the only exception: they hold one setting for every gateway.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { perProfile } from "../../grafana/build/lib.ts";

const ROOT = join(import.meta.dirname, "../..");
const AGG = /\b(sum|max|min|avg|count|topk|bottomk|quantile)\s*(by\s*\(([^)]*)\))?\s*\(/g;

/** Aggregations of `text` that drop openclaw_profile, with what they aggregate. */
function ungrouped(text: string): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(AGG)) {
    if (m[1] === "quantile" && text.slice((m.index ?? 0) - 10, m.index).includes("histogram_")) continue;
    const by = m[3];
    const rest = text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 40);
    if (rest.startsWith("openclaw:knob:")) continue;
    if (by === undefined || !by.split(",").map((s) => s.trim()).includes("openclaw_profile")) bad.push(`${m[0]}${rest}`);
  }
  return bad;
}

describe("aggregations keep openclaw_profile", () => {
  it("in every alert and recording rule", () => {
    const dir = join(ROOT, "prometheus/rules");
    for (const f of readdirSync(dir).filter((x) => x.endsWith(".yml"))) {
      const exprs = readFileSync(join(dir, f), "utf8").split("\n").filter((l) => !l.trim().startsWith("#")).join("\n");
      expect({ f, bad: ungrouped(exprs) }).toEqual({ f, bad: [] });
    }
  });

  it("in every dashboard query", () => {
    const dir = join(ROOT, "grafana/dashboards");
    for (const f of readdirSync(dir)) {
      const d = JSON.parse(readFileSync(join(dir, f), "utf8")) as { panels: { targets?: { expr?: string }[] }[] };
      const exprs = d.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ""));
      expect({ f, bad: exprs.flatMap(ungrouped) }).toEqual({ f, bad: [] });
    }
  });

  it("the dashboards' rewrite adds the label to bare and grouped aggregations, once", () => {
    expect(perProfile("sum(rate(x[1m])) / sum by (a) (y)")).toBe("sum by (openclaw_profile) (rate(x[1m])) / sum by (openclaw_profile, a) (y)");
    expect(perProfile("max by (openclaw_profile, a) (y)")).toBe("max by (openclaw_profile, a) (y)");
    expect(ungrouped("sum by (a) (y)")).toHaveLength(1);
    expect(ungrouped("sum(y)")).toHaveLength(1);
  });
});
