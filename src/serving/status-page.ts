/**
 * The live status page served at GET /: one self-contained HTML document (no external assets,
 * so it works on an air-gapped box) that renders a StatusSnapshot and re-fetches /status.json.
 *
 * Safety: values include file names and reasons read from logs, so nothing is ever written into
 * the markup as HTML. The snapshot travels as JSON in a non-executed <script type=
 * "application/json"> block with every "<" escaped, and the script renders it with textContent
 * only. A Content-Security-Policy allowing just this page's own script and style (by hash) and
 * fetches to itself backs that up: even injected markup could not run or load anything.
 */
import { createHash } from "node:crypto";

export interface StatusFile {
  path: string;
  /** "log" or "jsonl". */
  source: string;
  sizeBytes: number;
  unreadBytes: number;
  /** Epoch ms of the newest complete line read, null before the first. */
  lastLineAt: number | null;
}

export interface StatusSnapshot {
  /** Epoch ms the snapshot was taken; ages on the page are measured from it. */
  generatedAt: number;
  startedAt: number;
  version: string;
  logsDir: string;
  files: StatusFile[];
  lines: { source: string; read: number; ignored: number; rejected: number }[];
  rejected: { source: string; reason: string; count: number }[];
  events: { type: string; count: number; lastAt: number | null }[];
  cooldowns: { provider: string; window: string; until: number }[];
  /** Model health; lastSuccessAt null = the input shows no success for it (unknown, not bad). */
  models: { provider: string; model: string; lastSuccessAt: number | null; lastFailureAt: number | null; inARow: number }[];
  /** No session ids: the page may be reachable by more than its owner. */
  stuckSessions: { state: string; ageMs: number; queueDepth?: number }[];
  export: {
    enabled: boolean;
    metricsUrl: string | null;
    tracesUrl: string | null;
    failures: { metrics: number; traces: number };
    lastFailureAt: number | null;
  };
}

const STYLE = `
:root{--fg:#1d232b;--mute:#5f6b7a;--line:#dde3ea;--bg:#f6f8fa;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;align-items:baseline;gap:12px;padding:14px 24px;background:#fff;border-bottom:1px solid var(--line)}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:0 0 8px}
.pill{font-size:12px;padding:2px 8px;border-radius:10px;background:#dafbe1;color:var(--ok)}.pill.off{background:#ffebe9;color:var(--bad)}
.mute{color:var(--mute);font-size:12px}main{padding:16px 24px;display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(420px,1fr))}
.cards{grid-column:1/-1;display:grid;gap:12px;grid-template-columns:repeat(auto-fit,minmax(150px,1fr))}
.card,section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:22px;font-variant-numeric:tabular-nums}.card span{color:var(--mute);font-size:12px}
.warn b,td.warn{color:var(--warn)}.bad b,td.bad{color:var(--bad)}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--mute);font-weight:500;font-size:12px}th.n{text-align:right}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.path{word-break:break-all;font-family:ui-monospace,monospace;font-size:12px}td.none{color:var(--mute);font-style:italic}`;

// Runs in the browser. Plain ES2020, DOM built with textContent only.
const SCRIPT = `
"use strict";
const $ = (id) => document.getElementById(id);
const REFRESH = Number(document.body.dataset.refresh) || 2000;
const num = (n) => Number(n).toLocaleString("en-US");
function bytes(b) {
  const u = ["B", "KiB", "MiB", "GiB"]; let i = 0; b = Number(b);
  while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
  return (i === 0 ? String(b) : b.toFixed(1)) + " " + u[i];
}
function dur(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return s + " s"; if (s < 7200) return Math.round(s / 60) + " min";
  if (s < 172800) return (s / 3600).toFixed(1) + " h"; return (s / 86400).toFixed(1) + " d";
}
function cell(tr, text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }
function fill(id, rows, empty) {
  const body = $(id); body.replaceChildren();
  if (rows.length === 0) { const tr = body.insertRow(); cell(tr, empty, "none"); tr.firstChild.colSpan = 9; return; }
  for (const r of rows) { const tr = body.insertRow(); for (const c of r) cell(tr, c[0], c[1]); }
}
function card(id, value, tone) { const c = $(id); c.querySelector("b").textContent = value; c.className = "card " + (tone || ""); }
function render(s) {
  const now = s.generatedAt, ago = (t) => (t == null ? "never" : dur(now - t) + " ago");
  const sum = (xs, k) => xs.reduce((a, x) => a + Number(x[k] || 0), 0);
  const rejected = sum(s.lines, "rejected"), failures = s.export.failures.metrics + s.export.failures.traces;
  card("c-read", num(sum(s.lines, "read")));
  card("c-events", num(sum(s.events, "count")));
  card("c-rejected", num(rejected), rejected > 0 ? "warn" : "");
  card("c-unread", bytes(sum(s.files, "unreadBytes")), sum(s.files, "unreadBytes") > 1048576 ? "warn" : "");
  card("c-cooldowns", num(s.cooldowns.length), s.cooldowns.length > 0 ? "warn" : "");
  card("c-stuck", num(s.stuckSessions.length), s.stuckSessions.length > 0 ? "bad" : "");
  card("c-export", s.export.enabled ? (failures > 0 ? num(failures) + " failed" : "ok") : "off", failures > 0 ? "bad" : "");
  $("updated").textContent = "v" + s.version + " · " + s.logsDir + " · up " + dur(now - s.startedAt) + " · snapshot " + new Date(now).toISOString();
  fill("t-files", s.files.map((f) => [[f.path, "path"], [f.source], [bytes(f.sizeBytes), "n"], [bytes(f.unreadBytes), f.unreadBytes > 0 ? "n warn" : "n"], [ago(f.lastLineAt), "n"]]), "no files followed yet");
  fill("t-lines", s.lines.map((l) => [[l.source], [num(l.read), "n"], [num(l.ignored), "n"], [num(l.rejected), l.rejected > 0 ? "n warn" : "n"]]), "no lines read yet");
  fill("t-rejected", s.rejected.map((r) => [[r.source], [r.reason], [num(r.count), "n warn"]]), "nothing rejected");
  fill("t-events", s.events.map((e) => [[e.type], [num(e.count), "n"], [ago(e.lastAt), "n"]]), "no events yet");
  fill("t-cooldowns", s.cooldowns.map((c) => [[c.provider], [c.window], [new Date(c.until).toISOString(), "n"], [dur(c.until - now), "n warn"]]), "no auth profile cooling down");
  fill("t-models", s.models.map((m) => [[m.provider + "/" + m.model], [m.lastSuccessAt == null ? "unknown" : ago(m.lastSuccessAt), "n"], [ago(m.lastFailureAt), "n"], [num(m.inARow), m.inARow >= 5 ? "n bad" : m.inARow > 0 ? "n warn" : "n"]]), "no model requests seen");
  fill("t-stuck", s.stuckSessions.map((x) => [[x.state], [dur(x.ageMs), "n bad"], [x.queueDepth == null ? "" : num(x.queueDepth), "n"]]), "no stuck sessions");
  fill("t-export", [["metrics", s.export.metricsUrl, s.export.failures.metrics], ["traces", s.export.tracesUrl, s.export.failures.traces]]
    .map(([sig, url, n]) => [[sig], [url || "off", "path"], [num(n), n > 0 ? "n bad" : "n"]]).concat([[["last failure"], [ago(s.export.lastFailureAt)], [""]]]), "");
}
async function tick() {
  try {
    const r = await fetch("status.json", { cache: "no-store" });
    if (!r.ok) throw new Error(String(r.status));
    render(await r.json());
    $("conn").textContent = "live"; $("conn").className = "pill";
  } catch (e) {
    $("conn").textContent = "disconnected"; $("conn").className = "pill off";
  } finally { setTimeout(tick, REFRESH); }
}
render(JSON.parse($("initial").textContent));
setTimeout(tick, REFRESH);`;

const sha256 = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

/** Response header for the page: only its own script, its own style, fetches to itself. */
export const STATUS_PAGE_CSP = `default-src 'none'; script-src ${sha256(SCRIPT)}; style-src ${sha256(STYLE)}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** Columns from `numericFrom` on hold numbers and are right-aligned, headers included. */
const section = (title: string, id: string, heads: string[], numericFrom: number) =>
  `<section><h2>${title}</h2><table><thead><tr>${heads.map((h, i) => `<th${i >= numericFrom ? ' class="n"' : ""}>${h}</th>`).join("")}</tr></thead><tbody id="${id}"></tbody></table></section>`;
const cardHtml = (id: string, label: string) => `<div class="card" id="${id}"><b>–</b><span>${label}</span></div>`;

/** JSON that is safe inside a <script> element: "<" can never close it or open a comment. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export function renderStatusPage(initial: StatusSnapshot, refreshMs = 2000): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>OpenClaw OTel sidecar</title><style>${STYLE}</style></head>
<body data-refresh="${Math.max(100, Math.round(refreshMs))}">
<header><h1>OpenClaw OTel sidecar</h1><span id="conn" class="pill">live</span><span id="updated" class="mute"></span></header>
<main>
<div class="cards">${cardHtml("c-read", "lines read")}${cardHtml("c-events", "events")}${cardHtml("c-rejected", "lines rejected")}${cardHtml("c-unread", "unread")}${cardHtml("c-cooldowns", "cooldowns active")}${cardHtml("c-stuck", "stuck sessions")}${cardHtml("c-export", "OTLP export")}</div>
${section("Files followed", "t-files", ["File", "Source", "Size", "Unread", "Last line"], 2)}
${section("Lines", "t-lines", ["Source", "Read", "Ignored", "Rejected"], 1)}
${section("Events by type", "t-events", ["Type", "Count", "Last seen"], 1)}
${section("Rejected lines by reason", "t-rejected", ["Source", "Reason", "Count"], 2)}
${section("Auth cooldowns active", "t-cooldowns", ["Provider", "Window", "Until", "Left"], 2)}
${section("Models", "t-models", ["Model", "Last success", "Last failure", "Failures in a row"], 1)}
${section("Stuck sessions", "t-stuck", ["State", "Age", "Queue"], 1)}
${section("OTLP export", "t-export", ["Signal", "Endpoint", "Failures"], 2)}
</main>
<noscript>This page needs JavaScript; the same data is at <a href="status.json">status.json</a>.</noscript>
<script type="application/json" id="initial">${inlineJson(initial)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
