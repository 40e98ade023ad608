/** The report as text (timeline, verdict, summary) or as one JSON object. */
import { describeIncident, formatDuration, type Incident, type ProviderSummary, type Verdict } from "../incidents/index.ts";
import { formatTime, type TimeFormat } from "../incidents/describe.ts";
import { pluginInstall } from "../events/visibility.ts";

export interface ReportData {
  since: number;
  until: number;
  /** The time the verdict is for: --until, else the end of the files (their last timed line). */
  at: number;
  atIsEnd: boolean;
  files: string[];
  lines: number;
  events: number;
  sources: string[];
  firstTs?: number;
  lastTs?: number;
  incidents: Incident[];
  verdict: Verdict;
  providers: ProviderSummary[];
  /** Events of the files older than --since, and the newest of them: the hint to widen the range. */
  before: { events: number; newest: number | null };
}

const REPORT_VERSION = 1;

export function renderJson(d: ReportData): string {
  const finite = (n: number) => (Number.isFinite(n) ? n : null);
  return JSON.stringify({
    version: REPORT_VERSION, since: finite(d.since), until: d.until, verdictAt: d.at, files: d.files,
    lines: d.lines, events: d.events, firstEvent: d.firstTs ?? null, lastEvent: d.lastTs ?? null,
    verdict: d.verdict, incidents: d.incidents, providers: d.providers,
    eventsBeforeRange: d.before.events, newestBeforeRange: d.before.newest,
  }, null, 2) + "\n";
}

const sameDay = (a: number, b: number, utc: boolean) => formatTime(a, { utc, withDate: true }).slice(0, 10) === formatTime(b, { utc, withDate: true }).slice(0, 10);

function counts(m: Record<string, number>): string {
  return Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(", ");
}

/** Which request counts the log can show: none before 6.11, failures only at info level on 9.6. */
interface Logged { fetch: boolean; ok: boolean }

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

function requests(p: ProviderSummary, logged: Logged): string[] {
  if (!logged.fetch || p.ok + p.failed === 0) return [];
  // A 0 the log cannot show is not written: successes appear only at debug level.
  return [logged.ok ? `${p.ok} ok / ${plural(p.failed, "failed request")}` : plural(p.failed, "failed request")];
}

function providerLines(p: ProviderSummary, f: TimeFormat, logged: Logged): string[] {
  const when = (label: string, t?: number) => (t === undefined ? [] : [`${label} ${formatTime(t, f)}`]);
  const parts = [
    ...requests(p, logged), ...(p.turns > 0 ? [plural(p.turns, "turn")] : []),
    ...when("last success", p.lastSuccess),
    ...(p.lastFailure === undefined ? [] : [`last failure ${formatTime(p.lastFailure, f)} (${p.lastFailureReason})`]),
  ];
  const out = [`  ${p.provider}: ${parts.join(", ")}`];
  for (const pr of p.profiles) {
    const bits = [`${pr.failures} failure${pr.failures === 1 ? "" : "s"}${pr.failures > 0 ? ` (${counts(pr.reasons)})` : ""}`];
    if (pr.rotations > 0) bits.push(`rotated away ${pr.rotations}x`);
    if (pr.window !== undefined && pr.until !== undefined) bits.push(`last ${pr.window} until ${formatTime(pr.until, f)}`);
    if (pr.unusableSince !== undefined) bits.push(`in windows without a break from ${formatTime(pr.unusableSince, f)}`);
    out.push(`    profile ${pr.id}: ${bits.join(", ")}`);
  }
  return out;
}

export function renderText(d: ReportData, opt: { utc: boolean }): string {
  const first = d.firstTs, last = d.lastTs;
  const f: TimeFormat = { utc: opt.utc, withDate: first !== undefined && last !== undefined && !sameDay(first, last, opt.utc) };
  const full: TimeFormat = { utc: opt.utc, withDate: true };
  const zone = opt.utc ? " UTC" : "";
  const out: string[] = [];
  const range = first === undefined || last === undefined ? "no events in range" : `${formatTime(first, full)} to ${formatTime(last, f)}${zone}`;
  out.push(`OpenClaw report: ${range} (${d.files.length} file${d.files.length === 1 ? "" : "s"}, ${d.lines} lines, ${d.events} events)`);
  // Old files under the default `--since 24h` (issue 24): say where their events are.
  if (d.before.events > 0 && d.before.newest !== null && first === undefined) {
    out.push(`  ${d.before.events} event${d.before.events === 1 ? "" : "s"} of these files lie before the range, the newest at ${formatTime(d.before.newest, full)}${zone}: --since all shows them`);
  }
  out.push("", "Timeline");
  if (d.incidents.length === 0) out.push("  no incidents");
  for (const inc of d.incidents) out.push(`  ${describeIncident(inc, f)}`);
  out.push("");
  const v = d.verdict;
  const since = v.since === undefined ? "" : ` since ${formatTime(v.since, f)}`;
  out.push(`Verdict at ${formatTime(d.at, f)}${d.atIsEnd ? " (end of the files)" : ""}: ${v.state.toUpperCase()}${since}: ${v.reason}`);
  out.push("", "Summary");
  const byKind: Record<string, number> = {};
  for (const i of d.incidents) byKind[i.kind] = (byKind[i.kind] ?? 0) + 1;
  out.push(`  incidents: ${d.incidents.length}${d.incidents.length ? ` (${counts(byKind)})` : ""}, ongoing at the end: ${d.incidents.filter((i) => i.end === undefined).length}`);
  const down = d.incidents.filter((i) => i.kind === "all_models_failed").reduce((n, i) => n + ((i.end ?? d.at) - i.start), 0);
  if (down > 0) out.push(`  every model failing: ${formatDuration(down)} in all`);
  const logged: Logged = { fetch: d.providers.some((p) => p.ok + p.failed > 0), ok: d.providers.some((p) => p.ok > 0) };
  for (const p of d.providers) out.push(...providerLines(p, f, logged));
  if (d.providers.length > 0 && !logged.fetch) {
    out.push("  requests: not in this log (OpenClaw writes [model-fetch] lines from 2026.6.11 on); failures above are from failure-state and failover lines");
  } else if (logged.fetch && !logged.ok) {
    out.push("  successful requests: not in this log (OpenClaw 2026.9.6 writes them at debug level only: set logging.level to \"debug\")");
  }
  if (!d.sources.includes("diagnostics")) {
    out.push(`  no diagnostics JSONL, so no turn counts (fallbacks show ok requests instead); install the companion plugin: ${pluginInstall()}`);
  }
  return out.join("\n") + "\n";
}
