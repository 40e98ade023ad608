/**
 * A gateway log and the companion plugin's JSONL of the same gateway, with the plugin on for
 * only part of the time (issue 20, item 1), and the counts a correct sidecar must show: each
 * failover, lane enqueue and heartbeat once, whichever source carries it. The truth is what this
 * script wrote, never what the sidecar reports.
 *
 * One "activity" at time t is the gateway's `lane enqueue` echo at t and a `model fallback
 * decision` (candidate_failed, a failover) at t + 300 ms, both in the log; with the plugin on,
 * the JSONL also has `queue.lane.enqueue` at t and `model.failover` at t + 302 ms (the real
 * capture's log line is stamped 2 ms before its JSONL twin). A window with work also has a
 * `diagnostic.heartbeat` every 30 s: a debug echo in the log, and in the JSONL with the plugin on.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Window { from: number; activities: number; plugin: boolean }
export interface Expected { failovers: number; enqueues: number; heartbeats: number }
export interface Written { log: string[]; jsonl: string[]; expected: Expected; lastJsonlTs: number }

const ACTIVITY_EVERY_MS = 60_000;
const HEARTBEAT_EVERY_MS = 30_000;
const REASONS = ["rate_limit", "auth", "timeout", "overloaded"];

function logLine(ts: number, subsystem: string, level: "DEBUG" | "WARN", arg1: unknown, message?: string): string {
  const name = JSON.stringify({ subsystem });
  const date = new Date(ts).toISOString();
  const line: Record<string, unknown> = { 0: name, 1: arg1 };
  if (message !== undefined) line[2] = message;
  line._meta = { runtime: "node", hostname: "h", date, logLevelId: level === "WARN" ? 4 : 2, logLevelName: level, name, parentNames: ["openclaw"] };
  line.time = date.replace("Z", "+00:00");
  return JSON.stringify(line);
}

function failoverDecision(ts: number, i: number, reason: string): string {
  return logLine(ts, "model-fallback/decision", "WARN", {
    event: "model_fallback_decision", runId: `run-${i}`, sessionId: `s-${i % 5}`, decision: "candidate_failed",
    requestedProvider: "fakea", requestedModel: "alpha", candidateProvider: "fakea", candidateModel: "alpha",
    attempt: 1, total: 2, reason, status: reason === "auth" ? 401 : 429,
    nextCandidateProvider: "fakeb", nextCandidateModel: "beta",
  }, "model fallback decision");
}

/**
 * The lines of `windows` (in time order, not overlapping), in time order per file; `rand`
 * jitters times and picks reasons.
 */
export function twoSources(windows: Window[], rand: () => number): Written {
  const log: string[] = [];
  const jsonl: string[] = [];
  const expected: Expected = { failovers: 0, enqueues: 0, heartbeats: 0 };
  let seq = 0;
  let lastJsonlTs = -Infinity;
  const json = (ts: number, ev: Record<string, unknown>) => { jsonl.push(JSON.stringify({ ...ev, seq: ++seq, ts })); lastJsonlTs = ts; };
  let n = 0;
  for (const w of windows) {
    const end = w.from + w.activities * ACTIVITY_EVERY_MS;
    const beats: number[] = [];
    for (let t = w.from + HEARTBEAT_EVERY_MS; t < end; t += HEARTBEAT_EVERY_MS) beats.push(t + 17);
    const starts = Array.from({ length: w.activities }, (_, i) => w.from + i * ACTIVITY_EVERY_MS + Math.floor(rand() * 20_000));
    // Merge activities and heartbeats in time order, as one process writes them.
    const items = [...starts.map((t) => ({ t, beat: false })), ...beats.map((t) => ({ t, beat: true }))].sort((a, b) => a.t - b.t);
    for (const it of items) {
      if (it.beat) {
        log.push(logLine(it.t, "diagnostic", "DEBUG", "heartbeat: webhooks=0/0/0 active=1 waiting=0 queued=0"));
        if (w.plugin) json(it.t, { type: "diagnostic.heartbeat", webhooks: { received: 0, processed: 0, errors: 0 }, active: 1, waiting: 0, queued: 0 });
        expected.heartbeats++;
        continue;
      }
      const i = n++;
      const reason = REASONS[Math.floor(rand() * REASONS.length)]!;
      log.push(logLine(it.t, "diagnostic", "DEBUG", "lane enqueue: lane=main queueSize=1"));
      if (w.plugin) json(it.t, { type: "queue.lane.enqueue", lane: "main", queueSize: 1 });
      log.push(failoverDecision(it.t + 300, i, reason));
      if (w.plugin) {
        json(it.t + 302, {
          type: "model.failover", sessionId: `s-${i % 5}`, fromProvider: "fakea", fromModel: "alpha",
          toProvider: "fakeb", toModel: "beta", reason, cascadeDepth: 0, suspended: false,
        });
      }
      expected.enqueues++;
      expected.failovers++;
    }
  }
  return { log, jsonl, expected, lastJsonlTs };
}

export const DAY = "2026-11-21";
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00Z`);

export interface Case { name: string; profile: string; windows: Window[]; jsonlDay?: string; jsonlWindows?: Window[] }

/**
 * The cases of issue 20, one profile each so that one directory holds them all:
 * - `midday`: no plugin in the morning, installed at 10:00 (log failovers before it count,
 *   after it each is counted once);
 * - `stopped`: the plugin stops after its first window; the next work begins 65 s after that
 *   window's end, past the JSONL's last line + 60 s of grace, and more follows at noon: all of
 *   it counts from the log;
 * - `old`: a JSONL from the day before, nothing today: today's log counts;
 * - `empty`: an empty JSONL file of today: the log counts.
 */
export function cases(activities: number): Case[] {
  return [
    { name: "midday", profile: "midday", windows: [
      { from: at("08:00"), activities, plugin: false }, { from: at("10:00"), activities, plugin: true },
    ] },
    { name: "stopped", profile: "stopped", windows: [
      { from: at("09:00"), activities, plugin: true },
      // Every JSONL line of the first window is before its end (heartbeats too).
      { from: at("09:00") + activities * ACTIVITY_EVERY_MS + 65_000, activities, plugin: false },
      { from: at("12:00"), activities, plugin: false },
    ] },
    { name: "old", profile: "old", windows: [{ from: at("08:00"), activities, plugin: false }],
      jsonlDay: "2026-11-20", jsonlWindows: [{ from: Date.parse("2026-11-20T08:00:00Z"), activities, plugin: true }] },
    { name: "empty", profile: "empty", windows: [{ from: at("08:00"), activities, plugin: false }] },
  ];
}

/**
 * Writes each case as `openclaw-<profile>-DAY.log` and `diagnostics-<profile>-<day>.jsonl`
 * into `dir`; returns the expected counts per profile (an old JSONL's own events included).
 */
export function writeCases(dir: string, all: Case[], rand: () => number): Record<string, Expected> {
  const out: Record<string, Expected> = {};
  for (const c of all) {
    const main = twoSources(c.windows, rand);
    const expected = { ...main.expected };
    let jsonl = main.jsonl;
    if (c.jsonlWindows !== undefined) {
      const old = twoSources(c.jsonlWindows, rand);
      jsonl = old.jsonl;
      for (const k of ["failovers", "enqueues", "heartbeats"] as const) expected[k] += old.expected[k];
    }
    writeFileSync(join(dir, `openclaw-${c.profile}-${DAY}.log`), main.log.map((l) => l + "\n").join(""));
    writeFileSync(join(dir, `diagnostics-${c.profile}-${c.jsonlDay ?? DAY}.jsonl`), jsonl.map((l) => l + "\n").join(""));
    out[c.profile] = expected;
  }
  return out;
}

/** Sum of a series' values per openclaw_profile label ("" when none). */
export function perProfile(text: string, series: RegExp): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(\w+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || !series.test(`${m[1]}{${m[2]}}`)) continue;
    const profile = /openclaw_profile="([^"]*)"/.exec(m[2]!)?.[1] ?? "";
    out[profile] = (out[profile] ?? 0) + Number(m[3]);
  }
  return out;
}

/** Failovers, lane enqueues and heartbeats per profile in Prometheus text of the sidecar. */
export function observed(text: string): Record<string, Expected> {
  const failovers = perProfile(text, /^openclaw_model_failover_total\{/);
  const enqueues = perProfile(text, /^openclaw_queue_lane_enqueue_total\{/);
  const heartbeats = perProfile(text, /^openclaw_queue_depth_count\{.*openclaw_channel="heartbeat"/);
  const out: Record<string, Expected> = {};
  for (const p of new Set([...Object.keys(failovers), ...Object.keys(enqueues), ...Object.keys(heartbeats)])) {
    out[p] = { failovers: failovers[p] ?? 0, enqueues: enqueues[p] ?? 0, heartbeats: heartbeats[p] ?? 0 };
  }
  return out;
}
