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
  return `<section id="sidecar" class="small"><h2>This sidecar</h2><p id="sidecar-summary" class="mute">${esc(summary)}</p>`
    + `<details><summary>Files, lines, events, export</summary>`
    + table("t-files", ["File", "Source", "Size", "Unread", "Last line"], files, "no files followed yet", 2)
    + table("t-lines", ["Source", "Read", "Ignored", "Rejected"], lines, "no lines read yet", 1)
    + table("t-rejected", ["Source", "Reason", "Count"], rejected, "nothing rejected", 2)
    + table("t-events", ["Type", "Count", "Last seen"], events, "no events yet", 1)
    + table("t-export", ["Signal", "Endpoint", "Failures"], exportRows, "OTLP export off", 2)
    + (ex.lastFailureAt === null ? "" : `<p class="mute">last export failure ${ago(ex.lastFailureAt, now)}</p>`)
    + `</details></section>`;
}
