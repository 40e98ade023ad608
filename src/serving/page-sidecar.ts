/**
 * The sidecar's own health, in a smaller section at the bottom of the page: files followed,
 * lines read/ignored/rejected, events by type, OTLP export. Paths come from the directory
 * listing and reasons from the parser: escaped like everything else.
 */
import { ago, bytes, esc, formatDuration, num, table } from "./page-html.ts";
import type { StatusSnapshot as S } from "./status-types.ts";

export function sidecarSection(s: S): string {
  const now = s.generatedAt;
  const files = s.files.map((f) => [`<span class="path">${esc(f.path)}</span>`, esc(f.source), esc(bytes(f.sizeBytes)),
    `<span class="${f.unreadBytes > 0 ? "warn" : ""}">${esc(bytes(f.unreadBytes))}</span>`, ago(f.lastLineAt, now)]);
  const lines = s.lines.map((l) => [esc(l.source), esc(num(l.read)), esc(num(l.ignored)), `<span class="${l.rejected > 0 ? "warn" : ""}">${esc(num(l.rejected))}</span>`]);
  const rejected = s.rejected.map((r) => [esc(r.source), esc(r.reason), esc(num(r.count))]);
  const events = s.events.map((e) => [esc(e.type), esc(num(e.count)), ago(e.lastAt, now)]);
  const ex = s.export;
  const exportRows = ex.enabled
    ? [["metrics", ex.metricsUrl, ex.failures.metrics], ["traces", ex.tracesUrl, ex.failures.traces]].map(([sig, url, n]) =>
      [esc(sig), `<span class="path">${esc(url ?? "off")}</span>`, `<span class="${Number(n) > 0 ? "bad" : ""}">${esc(num(Number(n)))}</span>`])
    : [];
  const read = s.lines.reduce((a, l) => a + l.read, 0), rej = s.lines.reduce((a, l) => a + l.rejected, 0);
  const otlp = ex.enabled ? (ex.failures.metrics + ex.failures.traces > 0 ? "failing" : "ok") : "off";
  const summary = `v${s.version} · ${s.logsDir} · up ${formatDuration(Math.max(0, now - s.startedAt))} · ${num(read)} lines read, ${num(rej)} rejected · OTLP export ${otlp}`;
  return `<section id="sidecar" class="small"><h2>This sidecar</h2><p id="sidecar-summary" class="mute">${esc(summary)}</p>${notifySummary(s)}`
    + `<details><summary>Files, lines, events, export</summary>`
    + table("t-files", ["File", "Source", "Size", "Unread", "Last line"], files, "no files followed yet", 2)
    + table("t-lines", ["Source", "Read", "Ignored", "Rejected"], lines, "no lines read yet", 1)
    + table("t-rejected", ["Source", "Reason", "Count"], rejected, "nothing rejected", 2)
    + table("t-events", ["Type", "Count", "Last seen"], events, "no events yet", 1)
    + table("t-export", ["Signal", "Endpoint", "Failures"], exportRows, "OTLP export off", 2)
    + (ex.lastFailureAt === null ? "" : `<p class="mute">last export failure ${ago(ex.lastFailureAt, now)}</p>`)
    + notifyLine(s)
    + `</details></section>`;
}

/** One line: where notifications go and whether they get there (target names only). */
function notifySummary(s: S): string {
  const n = s.notify;
  if (n.targets.length === 0) return `<p id="notify" class="mute">Notifications: off (no target set: nothing pages anyone; see the README)</p>`;
  const sent = n.counts.reduce((a, c) => a + c.sent, 0), failed = n.counts.reduce((a, c) => a + c.failed, 0), dropped = n.counts.reduce((a, c) => a + c.dropped, 0);
  const bad = dropped > 0 || (n.lastFailure !== null && n.queued > 0);
  const last = n.lastFailure === null ? "" : `; last failure ${ago(n.lastFailure.at, s.generatedAt)}: ${esc(n.lastFailure.target)} ${esc(n.lastFailure.detail)}`;
  return `<p id="notify" class="${bad ? "bad" : "mute"}">Notifications to ${esc(n.targets.join(", "))}: ${esc(num(sent))} sent, `
    + `${esc(num(failed))} failed attempts, ${esc(num(dropped))} dropped, ${esc(num(n.queued))} queued${last}</p>`;
}

/** Per-target counts in the details. */
function notifyLine(s: S): string {
  const rows = s.notify.counts.map((c) => [esc(c.target), esc(num(c.sent)), esc(num(c.failed)), `<span class="${c.dropped > 0 ? "bad" : ""}">${esc(num(c.dropped))}</span>`]);
  return rows.length === 0 ? "" : table("t-notify", ["Target", "Sent", "Failed attempts", "Dropped"], rows, "", 1);
}
