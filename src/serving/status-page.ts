/**
 * The operator's status page served at GET /: one self-contained HTML document rendered on the
 * server (first paint needs no script, charts are inline SVG, no external asset: it works
 * offline and with JavaScript off). It answers "is my bot OK, and if not since when and why"
 * first; the sidecar's own health is a small section at the bottom.
 *
 * Refresh: a tiny script re-fetches the page and swaps its <main> (keeps the scroll position);
 * with JavaScript off a <noscript> meta refresh reloads it. Safety: log content is attacker-
 * controlled, so every value is escaped where it is written (page-html.ts esc), and the
 * Content-Security-Policy allows only this page's own script and style (by hash) and fetches
 * to itself: even injected markup could not run or load anything.
 */
import { renderCharts } from "./page-charts.ts";
import { esc, formatDuration, when } from "./page-html.ts";
import {
  channelsSection, incidentsSections, lanesSection, missingSection, profilesSection, providersSection, sessionsSection, usageSection, verdictSection,
} from "./page-sections.ts";
import { sidecarSection } from "./page-sidecar.ts";
import type { StatusSnapshot } from "./status-types.ts";

export type { StatusFile, StatusSnapshot, IncidentRow } from "./status-types.ts";

const STYLE = `
:root{--fg:#1d232b;--mute:#5f6b7a;--line:#dde3ea;--bg:#f6f8fa;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 12px;padding:10px 16px;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:17px;margin:0}h2{font-size:15px;margin:0 0 8px}
main{padding:12px 16px;display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));max-width:1400px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px;min-width:0}
.wide{grid-column:1/-1}.mute{color:var(--mute);font-size:13px}.none{color:var(--mute);font-style:italic;margin:0}
.pill{font-size:12px;padding:2px 8px;border-radius:10px;background:#dafbe1;color:var(--ok)}.pill.off{background:#ffebe9;color:var(--bad)}
.verdict{grid-column:1/-1;border-width:2px}.verdict #verdict-state{font-size:28px;font-weight:700;letter-spacing:.02em}
#verdict-reason{font-size:17px}.v-healthy{border-color:var(--ok)}.v-healthy #verdict-state{color:var(--ok)}
.v-degraded{border-color:var(--warn);background:#fff8c5}.v-degraded #verdict-state{color:var(--warn)}
.v-down{border-color:var(--bad);background:#ffebe9}.v-down #verdict-state{color:var(--bad)}.v-unknown #verdict-state{color:var(--mute)}
.incs{margin:0;padding-left:18px}.inc{margin:4px 0}.inc .when{white-space:nowrap;font-variant-numeric:tabular-nums;color:var(--mute)}
.sev-down .what{color:var(--bad);font-weight:600}.badge{font-size:12px;padding:0 6px;border-radius:8px;background:#fff8c5;color:var(--warn)}
.scroll{overflow-x:auto;max-width:100%}table{width:100%;border-collapse:collapse;margin-bottom:8px}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--mute);font-weight:500;font-size:12px}.n{text-align:right;font-variant-numeric:tabular-nums}
code,.path{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}.warn{color:var(--warn)}.bad{color:var(--bad)}
.note{grid-column:1/-1;background:#ddf4ff;border-color:#54aeff}.note ul{margin:0;padding-left:18px}.missing{margin:0}
.charts{display:grid;gap:10px;grid-template-columns:repeat(auto-fit,minmax(min(100%,220px),1fr))}
.chart{margin:0}.chart figcaption{font-size:13px;margin-bottom:2px}.chart svg{width:100%;height:64px;display:block;background:#fbfcfd}
.axis{display:flex;justify-content:space-between;font-size:11px;color:var(--mute)}
.key i{display:inline-block;width:8px;height:8px;margin:0 3px 0 4px;border-radius:2px}.k-ok,.k-turns{background:#1a7f37}.k-failed{background:#cf222e}
.k-failovers{background:#9a6700}.k-queue{background:#0969da}.k-tokens{background:#8250df}
.small{grid-column:1/-1;font-size:13px}.small summary{cursor:pointer;color:var(--mute)}time,.n{white-space:nowrap}
@media (max-width:640px){.scroll{overflow-x:visible}table,tbody,tr,td{display:block;width:100%}
thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}tr{border-bottom:1px solid var(--line);padding:4px 0}
td,td.n{border:0;padding:2px 0;text-align:right;white-space:normal}td::before{content:attr(data-label);float:left;margin-right:12px;color:var(--mute);font-size:12px}
td:first-child{text-align:left;font-weight:600}td:first-child::before,td.none::before{content:none}td.none{text-align:left;font-weight:400}}`;

// Runs in the browser: re-fetch the page, swap <main>, say when the sidecar cannot be reached.
const SCRIPT = `"use strict";
const every = Number(document.body.dataset.refresh) || 10000;
async function tick() {
  const conn = document.getElementById("conn");
  try {
    const r = await fetch(location.pathname, { cache: "no-store" });
    if (!r.ok) throw new Error(String(r.status));
    const doc = new DOMParser().parseFromString(await r.text(), "text/html");
    const next = doc.querySelector("main"), open = [...document.querySelectorAll("details[open]")].map((d) => d.id);
    if (next) document.querySelector("main").replaceWith(document.adoptNode(next));
    for (const id of open) { const d = document.getElementById(id); if (d) d.open = true; }
    document.getElementById("updated").textContent = doc.getElementById("updated")?.textContent ?? "";
    conn.textContent = "live"; conn.className = "pill";
  } catch (e) { conn.textContent = "disconnected"; conn.className = "pill off"; }
  finally { setTimeout(tick, every); }
}
setTimeout(tick, every);`;

// node:crypto is taken when the page is first served, not at start-up: a sidecar nobody opens
// the page of does not carry it (bench/README.md, issue 11: +3.5 MB RSS).
const sha256 = (s: string) => {
  const { createHash } = process.getBuiltinModule("node:crypto");
  return `'sha256-${createHash("sha256").update(s).digest("base64")}'`;
};
let csp: string | undefined;

/** Response header for the page: only its own script, its own style, fetches to itself. */
export function statusPageCsp(): string {
  csp ??= `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; img-src 'none'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return csp;
}

/** A line under the header when the page's clock is the log's (replaying old files). */
function clockNote(s: StatusSnapshot): string {
  const behind = s.generatedAt - s.now;
  if (behind < 5 * 60_000) return "";
  return `<p id="clock-note" class="mute wide">Times are the log's own: the newest line read is from ${esc(when(s.now, s.generatedAt))}, `
    + `${esc(formatDuration(behind))} behind this machine's clock (old files being replayed).</p>`;
}

export function renderStatusPage(s: StatusSnapshot, refreshMs = 10_000): string {
  const every = Math.max(1000, Math.round(refreshMs));
  const title = `${s.verdict.state.toUpperCase()}: ${s.verdict.reason}`;
  const updated = `as of ${esc(when(s.generatedAt, s.generatedAt))}, refreshes every ${Math.round(every / 1000)} s`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<noscript><meta http-equiv="refresh" content="${Math.round(every / 1000)}"></noscript>
<title>${esc(title)} · OpenClaw</title><style>${STYLE}</style></head>
<body data-refresh="${every}">
<header><h1>OpenClaw status</h1><span id="conn" class="pill">live</span><span id="updated" class="mute">${updated}</span></header>
<main>
${verdictSection(s)}${clockNote(s)}
${missingSection(s)}
${incidentsSections(s)}
${profilesSection(s)}
<section id="charts-hour" class="wide"><h2>Last hour</h2>${renderCharts(s.charts.hour, "60 min")}</section>
${providersSection(s)}
${sessionsSection(s)}
${lanesSection(s)}
${channelsSection(s)}
${usageSection(s)}
<section id="charts-day" class="wide"><h2>Last 24 h</h2>${renderCharts(s.charts.day, "24 h")}</section>
${sidecarSection(s)}
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
