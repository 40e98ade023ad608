import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { liveView } from "../../src/telemetry/export/live-view.ts";

const log = { origin: "log" as const, profile: "" };
const fetchEv = (ts: number, outcome: "success" | "http_error" | "timeout", status?: number): OpenClawEvent =>
  ({ ...log, ts, type: "model.fetch", provider: "google", model: "gemini-2.5-pro", outcome, ...(status ? { status } : {}) });
const gauge = (store: MetricStore, name: string) =>
  store.listMetrics().find((m) => m.def.name === name)?.series.values().next().value?.value;

describe("model health", () => {
  it("keeps the last success, the last failure and the failures since the last success", () => {
    const store = new MetricStore({ strictKeys: true });
    for (const ev of [fetchEv(1000, "http_error", 429), fetchEv(2000, "timeout")]) countEvent(store, ev);
    expect(gauge(store, "openclaw.model.consecutive_failures")).toBe(2);
    // Never a success in the input: the gauge is absent (unknown), not 0.
    expect(gauge(store, "openclaw.model.last_success")).toBeUndefined();
    countEvent(store, fetchEv(3000, "success", 200));
    countEvent(store, fetchEv(4000, "http_error", 503));
    expect(gauge(store, "openclaw.model.consecutive_failures")).toBe(1);
    expect(gauge(store, "openclaw.model.last_success")).toBe(3);
    expect(gauge(store, "openclaw.model.last_failure")).toBe(4);
    // The plugin's usage report of the same model is a success too.
    countEvent(store, { origin: "jsonl", profile: "", ts: 5000, type: "model.usage", provider: "google", model: "gemini-2.5-pro", usage: { total: 10 } });
    expect(gauge(store, "openclaw.model.consecutive_failures")).toBe(0);
    expect(gauge(store, "openclaw.model.last_success")).toBe(5);
  });

  it("gives the status page one row per model, unknown success as null, worst first", () => {
    const store = new MetricStore({ strictKeys: true });
    for (const ev of [fetchEv(1000, "http_error", 429), fetchEv(2000, "timeout")]) countEvent(store, ev);
    countEvent(store, { ...log, ts: 3000, type: "model.fetch", provider: "openai", model: "gpt-5.4", outcome: "success", status: 200 });
    expect(liveView(store).models(100)).toEqual([
      { provider: "google", model: "gemini-2.5-pro", lastSuccessAt: null, lastFailureAt: 2000, inARow: 2 },
      { provider: "openai", model: "gpt-5.4", lastSuccessAt: 3000, lastFailureAt: null, inARow: 0 },
    ]);
  });
});
