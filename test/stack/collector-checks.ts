/**
 * What only the collector path can show: the Collector's Prometheus exporter gives exactly the
 * series (names, labels, counter values) that the same sidecar serves on its own /metrics,
 * after the documented resource handling; and spans arrive in Jaeger with their names,
 * back-dated times and the trace ids the lines carried.
 */
import { expect, it } from "vitest";
import { waitUntil } from "../sidecar/helpers.ts";
import { healthyTrace } from "./scenarios/healthy.ts";
import type { StoredSpan } from "./otel-stack.ts";
import type { StackRun } from "./stack-run.ts";

/** Labels the collector path adds that the sidecar's /metrics does not carry (README "Known limitations"). */
const COLLECTOR_ONLY_LABELS = new Set(["otel_scope_name", "otel_scope_version", "otel_scope_schema_url", "job", "instance"]);

/** `name{k="v",...}` (labels sorted, collector-only ones dropped) -> value. */
export function exposition(text: string, keep: (labels: Map<string, string>) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (m === null) continue;
    const labels = new Map([...(m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!]));
    if (m[1] === "target_info" || !keep(labels)) continue;
    const key = `${m[1]}{${[...labels].filter(([k]) => !COLLECTOR_ONLY_LABELS.has(k)).sort().map(([k, v]) => `${k}="${v}"`).join(",")}}`;
    out.set(key, Number(m[3]));
  }
  return out;
}

const isCumulative = (key: string) => /^[a-z_]+_(total|bucket|count|sum)\{/.test(key);

export function collectorChecks(run: () => StackRun): void {
  it("the Collector exposes exactly the series and counter values of each sidecar's own /metrics", async () => {
    const { fleet, collector } = run();
    // Every sidecar exports each second: wait for the export that brings the Collector level
    // with each sidecar, and say what still differs if it never comes.
    let compared = 0;
    const differences = async (): Promise<string[]> => {
      const viaCollector = await (await fetch(`http://${collector!.promTarget}/metrics`)).text();
      const out: string[] = [];
      compared = 0;
      for (const g of fleet) {
        const direct = exposition(await (await fetch(`http://${g.target}/metrics`)).text(), () => true);
        const collected = exposition(viaCollector, (l) => l.get("host_name") === g.scenario.host);
        for (const k of direct.keys()) if (!collected.has(k)) out.push(`${g.scenario.host}: only direct ${k}`);
        for (const k of collected.keys()) if (!direct.has(k)) out.push(`${g.scenario.host}: only collector ${k}`);
        for (const [k, v] of direct) {
          const c = collected.get(k);
          if (c !== undefined && isCumulative(k) && !k.startsWith("openclaw_sidecar_") && Math.abs(c - v) > 1e-6) out.push(`${g.scenario.host}: ${k} ${v} vs ${c}`);
        }
        compared += direct.size;
      }
      return out;
    };
    let last: string[] = [];
    await waitUntil(() => `the Collector level with every sidecar (${last.length} differences, first: ${last.slice(0, 5).join("; ")})`,
      async () => (last = await differences()).length === 0, 15_000);
    expect(compared).toBeGreaterThan(300);
  }, 30_000);

  it("spans reach the traces store under the lines' trace ids, named, parented and back-dated", async () => {
    const { traces } = run();
    let found = 0;
    for (let i = 0; i < 6; i++) {
      for (let m = 0; m < 6; m++) {
        const { traceId, spanId } = healthyTrace(i, m);
        let spans: StoredSpan[] = [];
        const end = Date.now() + 10_000;
        while (!spans.some((x) => x.name === "openclaw.model.usage") && Date.now() < end) {
          spans = await traces!.spansOf(traceId);
          if (spans.length === 0) await new Promise((r) => setTimeout(r, 250));
        }
        const usage = spans.find((x) => x.name === "openclaw.model.usage");
        expect(usage, `${traces!.kind}: trace ${traceId}`).toBeDefined();
        expect(usage!.traceId).toBe(traceId);
        // Parented on the line's span, as long as the run it reports (durationMs), ended by now.
        expect(usage!.parentSpanId).toBe(spanId);
        expect(usage!.durationUs).toBe((1800 + 100 * m) * 1000);
        expect(usage!.startUs + usage!.durationUs).toBeLessThanOrEqual(Date.now() * 1000);
        expect(usage!.service).toBe("openclaw");
        found++;
      }
    }
    expect(found).toBe(36);
  }, 90_000);
}
