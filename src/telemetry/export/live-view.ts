/**
 * The typed live view of what the metric store holds now: what the status page (and, next,
 * `report` and notifications) read instead of reaching into the store's series by metric-name
 * strings or into its active state. Times are epoch milliseconds here (the store keeps the
 * gauges in seconds, as Prometheus wants them): the conversion happens once, in this file.
 */
import type { MetricName } from "../naming/catalogue.ts";
import { lineTotals, type LineTotals } from "../recording/self-metrics.ts";
import type { MetricStore } from "../storage/metric-store.ts";

export interface ModelRow { provider: string; model: string; lastSuccessAt: number | null; lastFailureAt: number | null; inARow: number }

export interface LiveView {
  /** Lines read, ignored and rejected per source (`log`, `diagnostics`). */
  lineTotals(): Map<string, LineTotals>;
  /** When each source last read a line. */
  lastLineBySource(): Map<string, number>;
  /** Events counted per type (summed over profiles), with when each type was last seen. */
  eventCounts(): Array<{ type: string; count: number; lastAt: number | null }>;
  rejected(): Array<{ source: string; reason: string; count: number }>;
  exportFailures(): { metrics: number; traces: number };
  /** Notifications per target: accepted, failed attempts, given up (restart-surviving, as /metrics). */
  notifyCounts(): Array<{ target: string; sent: number; failed: number; dropped: number }>;
  /** Auth profiles in a cooldown or disabled window now, at most `max`. */
  cooldowns(max: number): Array<{ provider: string; window: string; until: number }>;
  /** Sessions stuck or stalled now, at most `max`, with how long since their last warning. */
  stuckSessions(now: number, max: number): Array<{ state: string; ageMs: number }>;
  /** One row per provider/model from the model-health gauges, the most failing first. */
  models(max: number): ModelRow[];
}

function firstN<T, R>(values: Iterable<T>, n: number, map: (v: T) => R): R[] {
  const out: R[] = [];
  for (const v of values) {
    if (out.length >= n) break;
    out.push(map(v));
  }
  return out;
}

function seriesOf(store: MetricStore, name: MetricName): Array<{ attrs: Record<string, string>; value: number }> {
  const m = store.listMetrics().find((x) => x.def.name === name);
  return m ? [...m.series.values()].map((s) => ({ attrs: s.attrs as Record<string, string>, value: s.value })) : [];
}

const byAttr = (store: MetricStore, name: MetricName, key: string, scale = 1) =>
  new Map(seriesOf(store, name).map((s) => [s.attrs[key] ?? "unknown", s.value * scale]));

export function liveView(store: MetricStore): LiveView {
  return {
    lineTotals: () => lineTotals(store),
    lastLineBySource: () => byAttr(store, "openclaw.sidecar.source.last_line", "openclaw.source", 1000),
    eventCounts: () => {
      const lastSeen = byAttr(store, "openclaw.sidecar.event.last_seen", "openclaw.event.type", 1000);
      const counts = new Map<string, number>();
      for (const s of seriesOf(store, "openclaw.sidecar.events")) {
        const t = s.attrs["openclaw.event.type"] ?? "unknown";
        counts.set(t, (counts.get(t) ?? 0) + s.value);
      }
      return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, count]) => ({ type, count, lastAt: lastSeen.get(type) ?? null }));
    },
    rejected: () => seriesOf(store, "openclaw.sidecar.lines.rejected").map((s) => ({
      source: s.attrs["openclaw.source"] ?? "unknown", reason: s.attrs["openclaw.reason"] ?? "unknown", count: s.value,
    })),
    exportFailures: () => {
      const f = byAttr(store, "openclaw.sidecar.export.failure", "openclaw.signal");
      return { metrics: f.get("metrics") ?? 0, traces: f.get("traces") ?? 0 };
    },
    notifyCounts: () => {
      const rows = new Map<string, { target: string; sent: number; failed: number; dropped: number }>();
      const fields = [["openclaw.sidecar.notify.sent", "sent"], ["openclaw.sidecar.notify.failure", "failed"], ["openclaw.sidecar.notify.dropped", "dropped"]] as const;
      for (const [name, field] of fields) {
        for (const s of seriesOf(store, name)) {
          const target = s.attrs["openclaw.notify.target"] ?? "unknown";
          const row = rows.get(target) ?? { target, sent: 0, failed: 0, dropped: 0 };
          row[field] += s.value;
          rows.set(target, row);
        }
      }
      return [...rows.values()].sort((a, b) => (a.target < b.target ? -1 : 1));
    },
    cooldowns: (max) => firstN(store.active.cooldowns.values(), max, (c) => ({ provider: c.provider, window: c.window, until: c.untilMs })),
    stuckSessions: (now, max) => firstN(store.active.stuck.values(), max, (s) => ({ state: s.kind, ageMs: Math.max(0, now - s.lastWarningMs) })),
    models: (max) => modelRows(store, max),
  };
}

function modelRows(store: MetricStore, max: number): ModelRow[] {
  const rows = new Map<string, ModelRow>();
  const fields = { "openclaw.model.last_success": "lastSuccessAt", "openclaw.model.last_failure": "lastFailureAt", "openclaw.model.consecutive_failures": "inARow" } as const;
  for (const m of store.listMetrics()) {
    const field = fields[m.def.name as keyof typeof fields];
    if (field === undefined) continue;
    for (const s of m.series.values()) {
      const provider = s.attrs["openclaw.provider"] ?? "unknown", model = s.attrs["openclaw.model"] ?? "unknown";
      const key = `${provider}/${model}`;
      const row = rows.get(key) ?? { provider, model, lastSuccessAt: null, lastFailureAt: null, inARow: 0 };
      if (field === "inARow") row.inARow = s.value;
      else row[field] = s.value * 1000;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.inARow - a.inARow || (a.provider + a.model < b.provider + b.model ? -1 : 1)).slice(0, max);
}
