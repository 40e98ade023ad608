/**
 * Session store fixtures shaped as the published packages write them (docs/openclaw-formats.md
 * §11): JSONL transcript lines as 2026.7.35's SessionManager appends them, and SQLite databases
 * with 2026.9.6's own CREATE TABLE statements (openclaw-agent-schema-2026.9.6.sql), rows plain or
 * zstd-compressed as 9.6's prepareTranscriptPayload stores them. Every expected total in the
 * tests is summed from the calls listed here, never from the program's output.
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { zstdCompressSync } from "node:zlib";

/** One model call as the fake provider answered it: what the transcript's assistant message carries. */
export interface Call {
  sessionId: string; provider: string; model: string; ts: number;
  input: number; output: number; cacheRead: number; cacheWrite: number; cost: number;
}

/** Text no reader may ever hand on, placed in every message's content. */
export const SECRET = "PRIVATE-CONTENT-7f3a";

const SCHEMA = readFileSync(path.join(import.meta.dirname, "openclaw-agent-schema-2026.9.6.sql"), "utf8");

/** Deterministic calls: `n` of them over `sessions` sessions and two providers, one second apart. */
export function makeCalls(n: number, sessions: string[], t0 = Date.UTC(2026, 11, 7, 10)): Call[] {
  return Array.from({ length: n }, (_, i) => ({
    sessionId: sessions[i % sessions.length]!, provider: i % 3 === 0 ? "fakeb" : "fakea", model: i % 3 === 0 ? "beta" : "alpha",
    ts: t0 + i * 1000, input: 100 + i, output: 20 + (i % 7), cacheRead: i % 4 === 0 ? 50 : 0, cacheWrite: i % 5 === 0 ? 10 : 0,
    cost: Math.round((0.0001 + i * 0.00001) * 1e6) / 1e6,
  }));
}

/** The transcript entries of one call: the user turn, then the assistant message with usage. */
export function entriesFor(c: Call, i: number): Record<string, unknown>[] {
  const iso = new Date(c.ts).toISOString();
  const total = c.input + c.output + c.cacheRead + c.cacheWrite;
  return [
    { type: "message", id: `u${i}`, parentId: i > 0 ? `a${i - 1}` : null, timestamp: iso, message: { role: "user", content: `${SECRET} question ${i}`, timestamp: c.ts - 5 } },
    {
      type: "message", id: `a${i}`, parentId: `u${i}`, timestamp: iso,
      message: {
        role: "assistant", content: [{ type: "text", text: `${SECRET} answer ${i} `.repeat(i % 2 === 0 ? 80 : 1) }],
        api: "openai-completions", provider: c.provider, model: c.model, responseModel: c.model, stopReason: "stop", timestamp: c.ts,
        usage: { input: c.input, output: c.output, cacheRead: c.cacheRead, cacheWrite: c.cacheWrite, totalTokens: total,
          cost: { input: c.cost / 2, output: c.cost / 2, cacheRead: 0, cacheWrite: 0, total: c.cost } },
      },
    },
  ];
}

/** JSONL lines of the calls of one session, led by the session header line. */
export function jsonlLines(calls: Call[], sessionId: string): string[] {
  const header = { type: "session", version: 3, id: sessionId, timestamp: new Date(calls[0]?.ts ?? 0).toISOString(), cwd: "/srv" };
  return [JSON.stringify(header), ...calls.flatMap((c, i) => entriesFor(c, i).map((e) => JSON.stringify(e)))];
}

/** Opens (creating) an agent database with 9.6's schema, in WAL mode as the gateway runs it. */
export function openAgentDb(file: string): DatabaseSync {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(SCHEMA);
  return db;
}

const NAVIGATION = JSON.stringify({
  version: 1, report: { kind: "canonical" }, navigation: {}, reset: {}, model: {}, modelBytes: 0, modelWithoutCheckpointBytes: 0, withoutCustomDataBytes: 0,
});

/** Inserts one transcript event as 9.6 does: compressed when over 1 KiB (event_zstd + navigation_json), else event_json. */
export function insertEvent(db: DatabaseSync, sessionId: string, seq: number, event: Record<string, unknown>, createdAt: number): void {
  insertWindow(db, sessionId, "telegram", createdAt);
  const json = JSON.stringify(event);
  const bytes = Buffer.byteLength(json);
  if (bytes >= 1024) {
    db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes, navigation_json) VALUES (?, ?, NULL, ?, ?, ?, ?)")
      .run(sessionId, seq, createdAt, zstdCompressSync(Buffer.from(json)), bytes, NAVIGATION);
  } else {
    db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_utf8_bytes) VALUES (?, ?, ?, ?, ?)")
      .run(sessionId, seq, json, createdAt, bytes);
  }
}

/** Registers a session window (9.6 keeps the channel there). */
export function insertWindow(db: DatabaseSync, sessionId: string, channel: string, at: number): void {
  db.prepare("INSERT OR IGNORE INTO session_nodes (session_key, current_session_id, entry_json, updated_at) VALUES (?, ?, '{}', ?)")
    .run(`agent:main:${sessionId}`, sessionId, at);
  db.prepare("INSERT OR IGNORE INTO session_windows (session_id, session_key, created_at, updated_at, channel) VALUES (?, ?, ?, ?, ?)")
    .run(sessionId, `agent:main:${sessionId}`, at, at, channel);
}

/** Writes the calls into the database, each session's events numbered from its next seq. */
export function writeCalls(db: DatabaseSync, calls: Call[], channel = "telegram"): void {
  const nextSeq = new Map<string, number>();
  for (const s of new Set(calls.map((c) => c.sessionId))) {
    const row = db.prepare("SELECT max(seq) AS m FROM transcript_events WHERE session_id = ?").get(s) as { m: number | null };
    nextSeq.set(s, (row.m ?? -1) + 1);
  }
  calls.forEach((c, i) => {
    insertWindow(db, c.sessionId, channel, c.ts);
    for (const e of entriesFor(c, i)) {
      const seq = nextSeq.get(c.sessionId)!;
      insertEvent(db, c.sessionId, seq, e, c.ts);
      nextSeq.set(c.sessionId, seq + 1);
    }
  });
}

/** Expected totals by provider/model, summed from the calls (the fake provider's record). */
export function expectedTotals(calls: Call[]): Map<string, { input: number; output: number; total: number; cost: number }> {
  const out = new Map<string, { input: number; output: number; total: number; cost: number }>();
  for (const c of calls) {
    const k = `${c.provider}/${c.model}`;
    const t = out.get(k) ?? { input: 0, output: 0, total: 0, cost: 0 };
    t.input += c.input; t.output += c.output; t.total += c.input + c.output + c.cacheRead + c.cacheWrite; t.cost += c.cost;
    out.set(k, t);
  }
  return out;
}

/** The same figures read from Prometheus text (openclaw_tokens_total, openclaw_cost_usd_total), summed over channels. */
export function totalsFromProm(text: string): Map<string, { input: number; output: number; total: number; cost: number }> {
  const out = new Map<string, { input: number; output: number; total: number; cost: number }>();
  const get = (k: string) => out.get(k) ?? (out.set(k, { input: 0, output: 0, total: 0, cost: 0 }), out.get(k)!);
  for (const line of text.split("\n")) {
    const m = /^openclaw_(tokens|cost_usd)_total\{([^}]*)\} (\S+)$/.exec(line);
    if (m === null) continue;
    const labels: Record<string, string> = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    const t = get(`${labels.openclaw_provider}/${labels.openclaw_model}`);
    const v = Number(m[3]);
    if (m[1] === "cost_usd") t.cost += v;
    else if (labels.openclaw_token === "input" || labels.openclaw_token === "output" || labels.openclaw_token === "total") t[labels.openclaw_token as "input"] += v;
  }
  return out;
}

/** Compares totals, cost to 1e-9 (float sums in another order). */
export function sameTotals(a: ReturnType<typeof expectedTotals>, b: ReturnType<typeof expectedTotals>): string[] {
  const problems: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(k), y = b.get(k);
    if (x === undefined || y === undefined) { problems.push(`${k}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`); continue; }
    if (x.input !== y.input || x.output !== y.output || x.total !== y.total || Math.abs(x.cost - y.cost) > 1e-9) problems.push(`${k}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
  }
  return problems;
}
