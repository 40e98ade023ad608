/**
 * Usage read from the session store is one model call, not one turn (src/store): it ends a
 * provider's trouble and is its last success, like the plugin's model.usage, but counts no turn,
 * and the log's turn-end lines go on counting turns (with the plugin's model.usage they would not).
 */
import { expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { IncidentBuilder } from "../../src/incidents/index.ts";

const T0 = Date.UTC(2026, 11, 7, 10);
const S = 1000;
const base = (ts: number, origin: "log" | "jsonl" | "store" = "log") => ({ ts, origin, profile: "" });
const fetch429 = (ts: number): OpenClawEvent => ({ type: "model.fetch", ...base(ts), provider: "fakea", model: "alpha", status: 429, outcome: "http_error" });
const usage = (ts: number, origin: "jsonl" | "store"): OpenClawEvent => ({ type: "model.usage", ...base(ts, origin), provider: "fakea", model: "alpha", usage: { input: 10 } });

function run(origin: "jsonl" | "store") {
  const b = new IncidentBuilder({});
  for (const e of [fetch429(T0), fetch429(T0 + 10 * S), fetch429(T0 + 20 * S), usage(T0 + 30 * S, origin), usage(T0 + 31 * S, origin), usage(T0 + 32 * S, origin)]) b.add(e);
  return b;
}

it("a store usage ends the storm at once and sets the last success, but counts no turn", () => {
  const store = run("store"), jsonl = run("jsonl");
  for (const b of [store, jsonl]) {
    const storm = b.incidents().find((i) => i.kind === "rate_limit");
    expect(storm).toMatchObject({ end: T0 + 30 * S, endedBy: "success" });
  }
  const p = (b: IncidentBuilder) => b.providers().find((x) => x.provider === "fakea")!;
  expect(p(jsonl).turns).toBe(3);
  expect(p(store).turns).toBe(0);
  expect(p(store).lastSuccess).toBe(T0 + 32 * S);
});
