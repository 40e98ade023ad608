/**
 * Builds the status page's snapshot from what the sidecar already holds: the live incidents
 * (status-incidents.ts), the metric store (its self-metrics and active-state gauges) and the
 * tailer's file stats. Nothing here is counted
 * twice: the page reads the same numbers /metrics serves.
 */
import type { Config } from "../config/config.ts";
import { safeUrl } from "../telemetry/export/safe-url.ts";
import type { TailerStats } from "../tail/directory-tailer.ts";
import type { MetricName } from "../telemetry/naming/catalogue.ts";
import { lineTotals } from "../telemetry/recording/self-metrics.ts";
import type { MetricStore } from "../telemetry/storage/metric-store.ts";
import type { LiveIncidents } from "./live-incidents.ts";
import { incidentPart } from "./status-incidents.ts";
import type { StatusSnapshot } from "./status-types.ts";

export interface StatusInputs {
  cfg: Config;
  store: MetricStore;
  tailer: TailerStats;
  startedAt: number;
  version: string;
  lastExportFailureAt: number | null;
  live: LiveIncidents;
}

/** The page lists at most this many cooldowns and stuck sessions (the maps hold up to 10k). */
const MAX_LISTED = 100;

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

export function buildStatus(i: StatusInputs, now: number): StatusSnapshot {
  const { store } = i;
  const lines = lineTotals(store);
  const lastLine = new Map(seriesOf(store, "openclaw.sidecar.source.last_line").map((s) => [s.attrs["openclaw.source"], s.value * 1000]));
  const lastSeen = new Map(seriesOf(store, "openclaw.sidecar.event.last_seen").map((s) => [s.attrs["openclaw.event.type"], s.value * 1000]));
  const events = new Map<string, number>();
  for (const s of seriesOf(store, "openclaw.sidecar.events")) {
    const t = s.attrs["openclaw.event.type"] ?? "unknown";
    events.set(t, (events.get(t) ?? 0) + s.value);
  }
  const exportFailures = new Map(seriesOf(store, "openclaw.sidecar.export.failure").map((s) => [s.attrs["openclaw.signal"], s.value]));
  const display = (src: string) => (src === "diagnostics" ? "jsonl" : src);
  const hasJsonl = i.tailer.followed.some((f) => f.source === "diagnostics");
  return {
    generatedAt: now,
    ...incidentPart(i.live, hasJsonl),
    startedAt: i.startedAt,
    version: i.version,
    logsDir: i.cfg.logsDir,
    // The tailer's own view (path, kind, size at its last poll): nothing re-joined or re-statted.
    files: i.tailer.followed.map((f) => ({ ...f, source: display(f.source), lastLineAt: lastLine.get(f.source) ?? null })),
    // Sources that read a line (a source with only ignored or rejected counts has read them too).
    lines: [...lines.entries()].filter(([, t]) => t.read > 0).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([src, t]) => ({ source: display(src), ...t })),
    rejected: seriesOf(store, "openclaw.sidecar.lines.rejected").map((s) => ({
      source: display(s.attrs["openclaw.source"] ?? "unknown"), reason: s.attrs["openclaw.reason"] ?? "unknown", count: s.value,
    })),
    events: [...events.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, count]) => ({ type, count, lastAt: lastSeen.get(type) ?? null })),
    cooldowns: firstN(store.active.cooldowns.values(), MAX_LISTED, (c) => ({ provider: c.provider, window: c.window, until: c.untilMs })),
    models: modelHealth(store),
    stuckSessions: firstN(store.active.stuck.values(), MAX_LISTED, (s) => ({ state: s.kind, ageMs: Math.max(0, now - s.lastWarningMs) })),
    export: {
      enabled: Boolean(i.cfg.export.metrics || i.cfg.export.traces),
      metricsUrl: safeUrl(i.cfg.export.metrics?.url),
      tracesUrl: safeUrl(i.cfg.export.traces?.url),
      failures: { metrics: exportFailures.get("metrics") ?? 0, traces: exportFailures.get("traces") ?? 0 },
      lastFailureAt: i.lastExportFailureAt,
    },
  };
}

/** One row per provider/model from the model-health gauges (seconds in the store, ms on the page). */
export function modelHealth(store: MetricStore): StatusSnapshot["models"] {
  const rows = new Map<string, StatusSnapshot["models"][number]>();
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
  return [...rows.values()].sort((a, b) => b.inARow - a.inARow || (a.provider + a.model < b.provider + b.model ? -1 : 1)).slice(0, MAX_LISTED);
}
