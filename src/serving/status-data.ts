/**
 * Builds the status page's snapshot from what the sidecar already holds: the live incidents
 * (status-incidents.ts), the typed live view of the metric store (its self-metrics and active
 * gauges, telemetry/export/live-view.ts) and the tailer's file stats. Nothing here is counted
 * twice: the page reads the same numbers /metrics serves.
 */
import type { Config } from "../config/config.ts";
import type { TailerStats } from "../tail/directory-tailer.ts";
import { safeUrl } from "../telemetry/export/safe-url.ts";
import type { LiveView } from "../telemetry/export/live-view.ts";
import type { LiveIncidents } from "./live-incidents.ts";
import { blindReason } from "./blind-reason.ts";
import { pageVerdict } from "./gateway-verdict.ts";
import { incidentPart } from "./status-incidents.ts";
import type { StatusSnapshot } from "./status-types.ts";

export interface StatusInputs {
  cfg: Config;
  /** What the metric store holds now, typed (telemetry/export/live-view.ts). */
  view: LiveView;
  tailer: TailerStats;
  startedAt: number;
  version: string;
  lastExportFailureAt: number | null;
  live: LiveIncidents;
  /** Notification targets (names only), queue and last failure (notify/service.ts). */
  notify?: { targets: string[]; queued: number; lastFailure: { at: number; target: string; detail: string } | null };
  /** How many of OpenClaw's session stores (agents) are followed (src/store); 0 or absent: none. */
  storeFollowed?: number;
}

/** The page lists at most this many cooldowns, stuck sessions and models (the maps hold up to 10k). */
const MAX_LISTED = 100;

export function buildStatus(i: StatusInputs, now: number): StatusSnapshot {
  const { view } = i;
  const lastLine = view.lastLineBySource();
  const display = (src: string) => (src === "diagnostics" ? "jsonl" : src);
  const hasJsonl = i.tailer.followed.some((f) => f.source === "diagnostics");
  const part = incidentPart(i.live, hasJsonl, (i.storeFollowed ?? 0) > 0);
  const blind = blindReason(i.cfg.logsDir, i.tailer);
  // The one verdict the gauges carry too (gateway-verdict.ts: a blind sidecar's cause as its reason).
  const { kind: _kind, ...verdict } = pageVerdict(i.live, i.cfg.logsDir, i.tailer, blind);
  return {
    generatedAt: now,
    ...part,
    verdict,
    blind: blind ?? null,
    startedAt: i.startedAt,
    version: i.version,
    logsDir: i.cfg.logsDir,
    // The tailer's own view (path, kind, size at its last poll): nothing re-joined or re-statted.
    files: i.tailer.followed.map((f) => ({ ...f, source: display(f.source), lastLineAt: lastLine.get(f.source) ?? null })),
    // Sources that read a line (a source with only ignored or rejected counts has read them too).
    lines: [...view.lineTotals().entries()].filter(([, t]) => t.read > 0).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([src, t]) => ({ source: display(src), ...t })),
    rejected: view.rejected().map((r) => ({ ...r, source: display(r.source) })),
    events: view.eventCounts(),
    cooldowns: view.cooldowns(MAX_LISTED),
    models: view.models(MAX_LISTED),
    stuckSessions: view.stuckSessions(now, MAX_LISTED),
    export: {
      enabled: Boolean(i.cfg.export.metrics || i.cfg.export.traces),
      metricsUrl: safeUrl(i.cfg.export.metrics?.url),
      tracesUrl: safeUrl(i.cfg.export.traces?.url),
      failures: view.exportFailures(),
      lastFailureAt: i.lastExportFailureAt,
    },
    notify: {
      targets: i.notify?.targets ?? [],
      queued: i.notify?.queued ?? 0,
      counts: view.notifyCounts(),
      lastFailure: i.notify?.lastFailure ?? null,
    },
  };
}
