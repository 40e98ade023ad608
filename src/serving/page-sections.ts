/**
 * The operator's sections of the status page, top to bottom: the verdict, ongoing incidents,
 * the last 24 h, auth profiles in a window, providers and models, sessions, lanes and queues,
 * channels, usage today. Every value is escaped (page-html.ts); incidents carry no ids.
 */
import { ago, esc, formatDuration, num, section, table, timeEl } from "./page-html.ts";
import type { IncidentRow, StatusSnapshot as S } from "./status-types.ts";

const STATE_TEXT = { healthy: "HEALTHY", degraded: "DEGRADED", down: "DOWN", unknown: "UNKNOWN" } as const;

export function verdictSection(s: S): string {
  const v = s.verdict;
  const since = v.since === null ? "" : `since ${timeEl(v.since, s.now)} (${esc(formatDuration(Math.max(0, s.now - v.since)))})`;
  return `<section id="verdict" class="verdict v-${esc(v.state)}"><div id="verdict-state">${STATE_TEXT[v.state] ?? esc(v.state)}</div>`
    + `<div id="verdict-reason">${esc(v.reason)}</div><div id="verdict-since" class="mute">${since}</div>`
    // Blind after having read (the directory went away, permissions changed): said under the verdict.
    + (s.blind !== null && s.blind !== v.reason ? `<div id="verdict-blind">${esc(s.blind)}</div>` : "") + "</section>";
}

function incidentItem(i: IncidentRow, now: number): string {
  const span = i.end === null ? `${timeEl(i.start, now)} <span class="badge">ongoing ${esc(formatDuration(Math.max(0, now - i.start)))}</span>`
    : `${timeEl(i.start, now)}–${timeEl(i.end, now)}`;
  return `<li class="inc sev-${esc(i.severity)}"><span class="when">${span}</span> <span class="what">${esc(i.text)}</span></li>`;
}

export function incidentsSections(s: S): string {
  const ongoing = s.ongoing.length === 0 ? `<p class="none">No ongoing incident.</p>` : `<ol class="incs">${s.ongoing.map((i) => incidentItem(i, s.now)).join("")}</ol>`;
  const timeline = s.timeline.length === 0 ? `<p class="none">No incident in the last 24 h.</p>` : `<ol class="incs">${s.timeline.map((i) => incidentItem(i, s.now)).join("")}</ol>`;
  return section("ongoing", `Ongoing incidents (${s.ongoing.length})`, ongoing) + section("timeline", "Last 24 h", timeline);
}

export function profilesSection(s: S): string {
  const rows = s.profiles.map((p) => [esc(p.provider), `<code>${esc(p.id)}</code>`, esc(p.window), esc(p.reasons),
    timeEl(p.until, s.now), `<b>${esc(formatDuration(Math.max(0, p.until - s.now)))}</b>`]);
  const columns = ["Provider", "Profile", "Window", "Failures", "Until", "Left"];
  return section("profiles", "Auth profiles in cooldown or disabled", table("t-profiles", columns, rows, "no auth profile in a cooldown or disabled window", 4), "wide");
}

export function providersSection(s: S): string {
  const noOk = s.missing.some((m) => m.what === "Successful requests");
  const rows = s.providers.map((p) => {
    const total = p.ok + p.failed;
    const rate = noOk ? `<span class="mute">unknown</span>` : total === 0 ? "–" : `${esc(((100 * p.failed) / total).toFixed(p.failed === 0 || p.failed === total ? 0 : 1))} %`;
    const fail = p.lastFailureAt === null ? "never" : `${ago(p.lastFailureAt, s.now)} ${esc(p.lastFailureReason ?? "")}`;
    return [esc(p.provider), noOk ? `<span class="mute">not logged</span>` : esc(num(p.ok)), esc(num(p.failed)), rate, p.turns > 0 ? esc(num(p.turns)) : "–",
      ago(p.lastSuccessAt, s.now, noOk ? "not logged" : "none seen"), fail];
  });
  const models = s.models.map((m) => [esc(`${m.provider}/${m.model}`), m.lastSuccessAt === null ? `<span class="mute">unknown</span>` : ago(m.lastSuccessAt, s.now),
    ago(m.lastFailureAt, s.now), `<span class="${m.inARow >= 5 ? "bad" : m.inARow > 0 ? "warn" : ""}">${esc(num(m.inARow))}</span>`]);
  return section("providers", "Providers and models",
    table("t-providers", ["Provider", "OK requests", "Failed", "Error rate", "Turns", "Last success", "Last failure"], rows, "no model requests seen", 1)
    + table("t-models", ["Model", "Last success", "Last failure", "Failures in a row"], models, "no model requests seen", 3));
}

const ofKind = (s: S, kinds: string[]) => s.timeline.filter((i) => kinds.includes(i.kind));
const list = (rows: IncidentRow[], now: number, empty: string) =>
  rows.length === 0 ? `<p class="none">${esc(empty)}</p>` : `<ul class="incs">${rows.map((i) => incidentItem(i, now)).join("")}</ul>`;

export function sessionsSection(s: S): string {
  const stuck = s.stuckSessions.map((x) => [esc(x.state), esc(formatDuration(x.ageMs)), x.queueDepth === undefined ? "" : esc(num(x.queueDepth))]);
  return section("sessions", "Sessions needing attention", list(ofKind(s, ["session_attention"]).filter((i) => i.end === null), s.now, "no session needs attention")
    + (stuck.length > 0 ? table("t-stuck", ["State", "Age", "Queue"], stuck, "", 1) : ""));
}

export function lanesSection(s: S): string {
  return section("lanes", "Queues and lanes", list(ofKind(s, ["lane_wait", "queue_depth"]), s.now, "no lane waited over 30 s and no queue deeper than 10 in the last 24 h"));
}

export function channelsSection(s: S): string {
  const rows = ofKind(s, ["channel"]).map((i) => [esc(i.subject), esc(i.text), timeEl(i.last, s.now), i.end === null ? `<span class="badge">ongoing</span>` : "ended"]);
  return section("channels", "Channels", table("t-channels", ["Channel", "What", "Last", "State"], rows, "no channel trouble in the last 24 h"));
}

export function usageSection(s: S): string {
  if (s.usage === null) {
    const m = s.missing.find((x) => x.what.startsWith("Tokens"));
    return section("usage", "Tokens and cost today", `<p class="missing">Not available: ${esc(m?.fix ?? "needs the diagnostics JSONL")}</p>`);
  }
  const anyCost = s.usage.rows.some((r) => r.costUsd > 0);
  const rows = s.usage.rows.map((r) => [esc(r.model), esc(num(r.turns)), esc(num(r.tokens)), anyCost ? esc(`$${r.costUsd.toFixed(4)}`) : `<span class="mute">not reported</span>`]);
  return section("usage", `Tokens and cost today (${s.usage.day})`, table("t-usage", ["Model", "Turns", "Tokens", "Cost"], rows, "no turn today yet", 1));
}

export function missingSection(s: S): string {
  if (s.missing.length === 0) return "";
  return `<section id="missing" class="note"><h2>What these inputs cannot show</h2><ul>${s.missing.map((m) => `<li><b>${esc(m.what)}</b>: ${esc(m.fix)}</li>`).join("")}</ul></section>`;
}
