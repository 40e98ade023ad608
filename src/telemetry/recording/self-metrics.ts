/**
 * The sidecar's own health, recorded into the same store (so it survives restarts and goes
 * out on both paths). The pipeline calls the line and dedupe counters; the run loop's internal
 * events (checkpoint, export, files followed) go through sidecar/self-events.ts, which pairs
 * each with its log line. Neither needs to know metric names or attribute keys.
 */
import type { RejectReason } from "../../events/types.ts";
import type { SourceKind } from "../../line/record.ts";
import type { MetricStore } from "../storage/metric-store.ts";
import { SRC } from "../naming/attribute-keys.ts";
import type { MetricName } from "../naming/catalogue.ts";

export function countLineRead(store: MetricStore, source: SourceKind, lineTsMs?: number, n = 1): void {
  store.add("openclaw.sidecar.lines.read", n, { [SRC]: source });
  if (lineTsMs !== undefined) store.setMax("openclaw.sidecar.source.last_line", lineTsMs / 1000, { [SRC]: source });
}

export function countLineIgnored(store: MetricStore, source: SourceKind, n = 1): void {
  store.add("openclaw.sidecar.lines.ignored", n, { [SRC]: source });
}

export function countLineRejected(store: MetricStore, source: SourceKind, reason: RejectReason): void {
  store.add("openclaw.sidecar.lines.rejected", 1, { [SRC]: source, "openclaw.reason": reason });
}

/** An event dropped because the other source already carried it. */
export function countDuplicate(store: MetricStore, eventType: string): void {
  store.add("openclaw.sidecar.events.duplicate", 1, { "openclaw.event.type": eventType });
}

export function setFilesOpen(store: MetricStore, source: SourceKind, count: number): void {
  store.set("openclaw.sidecar.files.open", count, { [SRC]: source });
}

/** Unread bytes of one followed file, by base name (dated names, so bounded by retention). */
export function setFileUnread(store: MetricStore, basename: string, bytes: number): void {
  store.set("openclaw.sidecar.file.unread", bytes, { "openclaw.file": basename });
}

/** A file no longer followed (deleted, rotated away): its unread series goes. */
export function forgetFile(store: MetricStore, basename: string): void {
  store.removeGauge("openclaw.sidecar.file.unread", { "openclaw.file": basename });
}

/** Delay between an event's own timestamp and the sidecar processing it. */
export function recordLag(store: MetricStore, source: SourceKind, lagMs: number): void {
  store.observe("openclaw.sidecar.event.lag", Math.max(0, lagMs), { [SRC]: source });
}

export function countCheckpointFailure(store: MetricStore): void {
  store.add("openclaw.sidecar.checkpoint.failure", 1);
}

export function countExportFailure(store: MetricStore, signal: "metrics" | "traces" | "logs", reason: string): void {
  store.add("openclaw.sidecar.export.failure", 1, { "openclaw.signal": signal, "openclaw.reason": reason });
}

/** A notification accepted by `target`, a failed attempt, or a message given up (notify/service.ts). */
export function countNotifySent(store: MetricStore, target: string): void {
  store.add("openclaw.sidecar.notify.sent", 1, { "openclaw.notify.target": target });
}
export function countNotifyFailure(store: MetricStore, target: string, reason: string): void {
  store.add("openclaw.sidecar.notify.failure", 1, { "openclaw.notify.target": target, "openclaw.reason": reason });
}
export function countNotifyDropped(store: MetricStore, target: string, reason: "refused" | "retries_exhausted" | "queue_full"): void {
  store.add("openclaw.sidecar.notify.dropped", 1, { "openclaw.notify.target": target, "openclaw.reason": reason });
}

/** Spans that never reached the collector (export failed, or held past a batch's wait by a Retry-After). */
export function countSpansDropped(store: MetricStore, count: number): void {
  store.add("openclaw.sidecar.spans.dropped", count);
}

/** Lines of one source as counted so far (restart-surviving totals, what /metrics serves). */
export interface LineTotals { read: number; ignored: number; rejected: number }

/**
 * The line counters above read back per source, for the status page: the writer and the reader
 * of these series live together, so nothing else spells their names.
 */
export function lineTotals(store: MetricStore): Map<string, LineTotals> {
  const out = new Map<string, LineTotals>();
  const fields: ReadonlyArray<[MetricName, keyof LineTotals]> = [
    ["openclaw.sidecar.lines.read", "read"], ["openclaw.sidecar.lines.ignored", "ignored"], ["openclaw.sidecar.lines.rejected", "rejected"],
  ];
  const byName = new Map(store.listMetrics().map((m) => [m.def.name, m]));
  for (const [name, field] of fields) {
    for (const s of byName.get(name)?.series.values() ?? []) {
      const src = s.attrs[SRC] ?? "unknown";
      const row = out.get(src) ?? { read: 0, ignored: 0, rejected: 0 };
      row[field] += s.value;
      out.set(src, row);
    }
  }
  return out;
}
