/**
 * The session store reader on real files and real SQLite databases (node:sqlite), shaped as
 * 2026.7.35 and 2026.9.6 write them: every assistant usage counted once, across appends cut
 * mid-line, renames to `.deleted.`/`.reset.` archives, zstd archives, compressed rows, transcript
 * suffix rewrites, rowid reuse after the newest session is deleted, restarts from a snapshot,
 * and the JSONL -> SQLite migration; compaction copies and trajectories never read; content
 * never handed on. Expected totals are summed from the fixture calls.
 */
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { zstdCompressSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DatabaseSync } from "node:sqlite";
import type { ModelUsage } from "../../src/events/types.ts";
import { StoreFollower } from "../../src/store/store-follower.ts";
import { classifyTranscript } from "../../src/store/jsonl-transcripts.ts";
import { SqliteTranscripts } from "../../src/store/sqlite-transcripts.ts";
import { entriesFor, expectedTotals, insertEvent, jsonlLines, makeCalls, openAgentDb, SECRET, writeCalls, type Call } from "./store-fixtures.ts";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function stateDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "oc-store-"));
  dirs.push(d);
  return d;
}

/** Follows `dir` from the beginning (or from `saved`), collecting the events. */
function follower(dir: string, saved?: unknown): { f: StoreFollower; events: ModelUsage[]; poll: () => void } {
  const f = new StoreFollower({ stateDir: dir, profile: "", saved, fromBeginning: saved === undefined });
  const events: ModelUsage[] = [];
  return { f, events, poll: () => { while (f.pollOnce((ev) => events.push(ev))); } };
}

/** Totals by provider/model from the events handed on (the same shape as expectedTotals). */
function totalsOf(events: ModelUsage[]): ReturnType<typeof expectedTotals> {
  const out: ReturnType<typeof expectedTotals> = new Map();
  for (const e of events) {
    const k = `${e.provider}/${e.model}`;
    const t = out.get(k) ?? { input: 0, output: 0, total: 0, cost: 0 };
    t.input += e.usage.input ?? 0; t.output += e.usage.output ?? 0; t.total += e.usage.total ?? 0; t.cost += e.costUsd ?? 0;
    out.set(k, t);
  }
  for (const t of out.values()) t.cost = Math.round(t.cost * 1e9) / 1e9;
  return out;
}
const rounded = (m: ReturnType<typeof expectedTotals>) => { for (const t of m.values()) t.cost = Math.round(t.cost * 1e9) / 1e9; return m; };

describe("transcript names (2026.7.35 paths-*.js)", () => {
  it("reads live transcripts and reset/deleted archives, never compaction copies or trajectories", () => {
    expect(classifyTranscript("s1.jsonl")).toEqual({ sessionId: "s1", zst: false });
    expect(classifyTranscript("s1.jsonl.deleted.2026-12-07T10-00-00.000Z")).toEqual({ sessionId: "s1", zst: false });
    expect(classifyTranscript("s1.jsonl.reset.2026-12-07T10-00-00Z.zst")).toEqual({ sessionId: "s1", zst: true });
    expect(classifyTranscript("s1.checkpoint.0b9f5c3e-1d2a-4c3b-9a8e-7f6d5c4b3a21.jsonl")).toBeUndefined();
    expect(classifyTranscript("s1.trajectory.jsonl")).toBeUndefined();
    expect(classifyTranscript("sessions.json")).toBeUndefined();
    expect(classifyTranscript("s1.jsonl.deleted.yesterday")).toBeUndefined();
  });
});

describe("JSONL transcripts (up to 2026.7.x)", () => {
  it("counts every usage once across cut appends, a rename to .deleted, a restart and a zst archive", () => {
    const dir = stateDir(), sessions = path.join(dir, "agents", "main", "sessions");
    const calls = makeCalls(30, ["s1", "s2", "s3"]);
    const per = (s: string) => calls.filter((c) => c.sessionId === s);
    writeFileSync(path.join(dir, ".keep"), "");
    mkdirSync(sessions, { recursive: true });
    const s1 = jsonlLines(per("s1"), "s1").join("\n") + "\n";
    // Written in two parts cut mid-line: the half line waits for its "\n".
    const cut = Math.floor(s1.length / 2);
    writeFileSync(path.join(sessions, "s1.jsonl"), s1.slice(0, cut));
    // A compaction copy and a trajectory of s2: never read (they would count s2 twice).
    writeFileSync(path.join(sessions, "s2.checkpoint.0b9f5c3e-1d2a-4c3b-9a8e-7f6d5c4b3a21.jsonl"), jsonlLines(per("s2"), "s2").join("\n") + "\n");
    writeFileSync(path.join(sessions, "s2.trajectory.jsonl"), jsonlLines(per("s2"), "s2").join("\n") + "\n");
    const a = follower(dir);
    a.poll();
    appendFileSync(path.join(sessions, "s1.jsonl"), s1.slice(cut));
    writeFileSync(path.join(sessions, "s2.jsonl"), jsonlLines(per("s2"), "s2").join("\n") + "\n");
    a.poll();
    // s2 deleted by the gateway: renamed to an archive and read again from 0 under its new name.
    renameSync(path.join(sessions, "s2.jsonl"), path.join(sessions, "s2.jsonl.deleted.2026-12-07T10-05-00.000Z"));
    a.poll();
    // Restart from the snapshot; s3 arrives only as a compressed reset archive.
    const b = follower(dir, JSON.parse(JSON.stringify(a.f.snapshot())));
    writeFileSync(path.join(sessions, "s3.jsonl.reset.2026-12-07T10-06-00.000Z.zst"), zstdCompressSync(Buffer.from(jsonlLines(per("s3"), "s3").join("\n") + "\n")));
    b.poll();
    b.poll();
    expect(totalsOf([...a.events, ...b.events])).toEqual(rounded(expectedTotals(calls)));
    expect([...a.events, ...b.events].length).toBe(30);
    expect(JSON.stringify([...a.events, ...b.events])).not.toContain(SECRET);
  });

  it("on a first start reads only what is written after it", () => {
    const dir = stateDir(), sessions = path.join(dir, "agents", "main", "sessions");
    const calls = makeCalls(10, ["s1"], Date.now() - 3_600_000);
    const later = makeCalls(4, ["s1"], Date.now() + 1000);
    mkdirSync(sessions, { recursive: true });
    writeFileSync(path.join(sessions, "s1.jsonl"), jsonlLines(calls, "s1").join("\n") + "\n");
    const f = new StoreFollower({ stateDir: dir, profile: "" });
    const events: ModelUsage[] = [];
    f.pollOnce((e) => events.push(e));
    expect(events).toEqual([]);
    appendFileSync(path.join(sessions, "s1.jsonl"), later.flatMap((c, i) => entriesFor(c, 100 + i).map((e) => JSON.stringify(e) + "\n")).join(""));
    f.pollOnce((e) => events.push(e));
    expect(totalsOf(events)).toEqual(rounded(expectedTotals(later)));
  });
});

describe("SQLite store (2026.8.1+, 9.6 schema)", () => {
  const dbPath = (dir: string, agent = "main") => path.join(dir, "agents", agent, "agent", "openclaw-agent.sqlite");

  it("counts plain and compressed rows once, with the session's channel, and hands on no content", () => {
    const dir = stateDir();
    const db = openAgentDb(dbPath(dir));
    const calls = makeCalls(40, ["s1", "s2"]);
    writeCalls(db, calls.slice(0, 25), "telegram");
    const a = follower(dir);
    a.poll();
    writeCalls(db, calls.slice(25), "telegram");
    a.poll();
    db.close();
    expect(totalsOf(a.events)).toEqual(rounded(expectedTotals(calls)));
    expect(new Set(a.events.map((e) => e.channel))).toEqual(new Set(["telegram"]));
    expect(JSON.stringify(a.events)).not.toContain(SECRET);
  });

  it("hands on only usage fields from a row, compressed or not", () => {
    const dir = stateDir();
    const db = openAgentDb(dbPath(dir));
    writeCalls(db, makeCalls(4, ["s1"]));
    const reader = new SqliteTranscripts(dbPath(dir));
    const rows: unknown[] = [];
    reader.poll((r) => rows.push(r));
    reader.close();
    db.close();
    expect(rows.length).toBe(4);
    for (const r of rows) {
      expect(Object.keys(r as object).sort()).toEqual(["channel", "createdAt", "entryTs", "messageTs", "model", "provider", "role", "sessionId", "type", "usage"]);
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
  });

  it("does not count a rewritten transcript suffix twice, and finds rows on reused rowids", () => {
    const dir = stateDir();
    const db = openAgentDb(dbPath(dir));
    const calls = makeCalls(12, ["s1", "s2"]);
    writeCalls(db, calls.slice(0, 8));
    const a = follower(dir);
    a.poll();
    // The gateway rewrites s1's suffix: deleted and inserted again (new rowids, same messages).
    const s1 = db.prepare("SELECT seq, event_json, event_zstd, event_utf8_bytes, created_at FROM transcript_events WHERE session_id = 's1' AND seq >= 2 ORDER BY seq").all();
    db.exec("DELETE FROM transcript_events WHERE session_id = 's1' AND seq >= 2");
    for (const r of s1 as { seq: number; event_json: string | null; event_zstd: Uint8Array | null; event_utf8_bytes: number; created_at: number }[]) {
      db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_zstd, event_utf8_bytes, navigation_json) VALUES ('s1', ?, ?, ?, ?, ?, ?)")
        .run(r.seq, r.event_json, r.created_at, r.event_zstd, r.event_utf8_bytes, r.event_zstd === null ? null : JSON.stringify({
          version: 1, report: { kind: "canonical" }, navigation: {}, reset: {}, model: {}, modelBytes: 0, modelWithoutCheckpointBytes: 0, withoutCustomDataBytes: 0 }));
    }
    a.poll();
    // A sub-agent session (the newest rows) is deleted, then a new session's rows reuse its rowids.
    const sub: Call[] = makeCalls(3, ["sub"], calls[7]!.ts + 1000);
    writeCalls(db, sub);
    a.poll();
    db.exec("DELETE FROM transcript_events WHERE session_id = 'sub'");
    const fresh = makeCalls(3, ["s3"], calls[7]!.ts + 10_000);
    writeCalls(db, fresh);
    a.poll();
    writeCalls(db, calls.slice(8));
    a.poll();
    db.close();
    expect(totalsOf(a.events)).toEqual(rounded(expectedTotals([...calls, ...sub, ...fresh])));
  });

  it("restarts from its snapshot and follows an agent added while running, and JSONL migrated into SQLite is not counted again", () => {
    const dir = stateDir();
    const calls = makeCalls(20, ["s1", "s2"]);
    // Agent "ops" on JSONL first (7.x), read whole.
    const sessions = path.join(dir, "agents", "ops", "sessions");
    mkdirSync(sessions, { recursive: true });
    for (const s of ["s1", "s2"]) writeFileSync(path.join(sessions, `${s}.jsonl`), jsonlLines(calls.filter((c) => c.sessionId === s && c.ts < calls[10]!.ts), s).join("\n") + "\n");
    const a = follower(dir);
    a.poll();
    // `doctor --fix` migrates the same sessions into SQLite, the JSONL goes, and the sessions go on there.
    const db = openAgentDb(dbPath(dir, "ops"));
    writeCalls(db, calls.slice(0, 10));
    rmSync(sessions, { recursive: true });
    for (let i = 0; i < 8; i++) a.poll();
    const b = follower(dir, JSON.parse(JSON.stringify(a.f.snapshot())));
    writeCalls(db, calls.slice(10));
    // A second agent appears while running.
    const db2 = openAgentDb(dbPath(dir, "helper"));
    const helper = makeCalls(5, ["h1"], calls[19]!.ts + 1000);
    writeCalls(db2, helper);
    for (let i = 0; i < 9; i++) b.poll();
    db.close();
    db2.close();
    expect(totalsOf([...a.events, ...b.events])).toEqual(rounded(expectedTotals([...calls, ...helper])));
    expect(b.events.filter((e) => e.agentId === "helper").length).toBe(5);
  });

  it("insertEvent stores events over 1 KiB compressed, as 9.6 does (so the compressed path is exercised)", () => {
    const dir = stateDir();
    const db = openAgentDb(dbPath(dir));
    const [u, big] = entriesFor(makeCalls(1, ["s1"])[0]!, 0);
    insertEvent(db, "s1", 0, u!, 1);
    insertEvent(db, "s1", 1, big!, 1);
    const rows = db.prepare("SELECT event_json IS NULL AS packed FROM transcript_events ORDER BY seq").all() as { packed: number }[];
    db.close();
    expect(rows.map((r) => r.packed)).toEqual([0, 1]);
  });
});

describe("links", () => {
  it("follows no agent database or sessions directory that is a symbolic link", async () => {
    const { symlinkSync } = await import("node:fs");
    const dir = stateDir(), elsewhere = stateDir();
    const db = openAgentDb(path.join(elsewhere, "real.sqlite"));
    writeCalls(db, makeCalls(3, ["s1"]));
    db.close();
    mkdirSync(path.join(elsewhere, "sessions"), { recursive: true });
    writeFileSync(path.join(elsewhere, "sessions", "j1.jsonl"), jsonlLines(makeCalls(2, ["j1"]), "j1").join("\n") + "\n");
    mkdirSync(path.join(dir, "agents", "evil", "agent"), { recursive: true });
    symlinkSync(path.join(elsewhere, "real.sqlite"), path.join(dir, "agents", "evil", "agent", "openclaw-agent.sqlite"));
    symlinkSync(path.join(elsewhere, "sessions"), path.join(dir, "agents", "evil", "sessions"));
    const a = follower(dir);
    a.poll();
    expect(a.events).toEqual([]);
    expect(a.f.followed()).toEqual({ jsonl: [], sqlite: [] });
  });
});

describe("idle cost", () => {
  it("a cold transcript (unchanged for 5 min) written again is still read, once, within 30 polls", async () => {
    const { utimesSync } = await import("node:fs");
    const { JsonlTranscripts } = await import("../../src/store/jsonl-transcripts.ts");
    const dir = stateDir();
    const calls = makeCalls(6, ["c1"]);
    const lines = jsonlLines(calls, "c1");
    writeFileSync(path.join(dir, "c1.jsonl"), lines.slice(0, 7).join("\n") + "\n");
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(path.join(dir, "c1.jsonl"), hourAgo, hourAgo);
    const r = new JsonlTranscripts(dir);
    const seen: number[] = [];
    r.poll((_s, f) => seen.push(f.messageTs as number));
    expect(seen.length).toBe(3);
    appendFileSync(path.join(dir, "c1.jsonl"), lines.slice(7).join("\n") + "\n");
    let polls = 0;
    while (seen.length < 6 && polls < 40) { r.poll((_s, f) => seen.push(f.messageTs as number)); polls++; }
    for (let i = 0; i < 35; i++) r.poll((_s, f) => seen.push(f.messageTs as number));
    expect(seen).toEqual(calls.map((c) => c.ts));
    expect(polls).toBeLessThanOrEqual(30);
  });
});

describe("an agent database deleted and created again", () => {
  it("is read afresh from the new file, and what was counted is not counted again", () => {
    const dir = stateDir(), file = path.join(dir, "agents", "main", "agent", "openclaw-agent.sqlite");
    const first = makeCalls(6, ["s1"]), second = makeCalls(4, ["s9"], first[5]!.ts + 60_000);
    let db = openAgentDb(file);
    writeCalls(db, first);
    db.close();
    const a = follower(dir);
    a.poll();
    for (const ext of ["", "-wal", "-shm"]) rmSync(file + ext, { force: true });
    db = openAgentDb(file);
    // The new database starts with a copy of s1 (an import) and then new sessions.
    writeCalls(db, [...first, ...second]);
    db.close();
    for (let i = 0; i < 9; i++) a.poll();
    expect(totalsOf(a.events)).toEqual(rounded(expectedTotals([...first, ...second])));
  });

  it("a transcript table still being migrated (a column not added yet) is retried quietly, read once complete, and said only if it lasts a minute", () => {
    const agentDb = (d: string) => path.join(d, "agents", "main", "agent", "openclaw-agent.sqlite");
    const dir = stateDir(), file = agentDb(dir);
    mkdirSync(path.dirname(file), { recursive: true });
    // 9.6 migrating a 7.x database in place, caught between two steps: the table without event_zstd.
    const db = new DatabaseSync(file);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT, created_at INTEGER NOT NULL)");
    const errors: string[] = [];
    const f = new StoreFollower({ stateDir: dir, profile: "", fromBeginning: true, onError: (m) => errors.push(m) });
    const events: ModelUsage[] = [];
    for (let i = 0; i < 5; i++) f.pollOnce((ev) => events.push(ev));
    expect(errors, "not a warning while a migration may be under way").toEqual([]);
    db.exec("ALTER TABLE transcript_events ADD COLUMN event_zstd BLOB");
    db.exec("ALTER TABLE transcript_events ADD COLUMN event_utf8_bytes INTEGER");
    const calls = makeCalls(6, ["s1"]);
    calls.forEach((c, i) => entriesFor(c, i).forEach((e, k) => {
      const json = JSON.stringify(e);
      db.prepare("INSERT INTO transcript_events (session_id, seq, event_json, created_at, event_utf8_bytes) VALUES (?, ?, ?, ?, ?)").run(c.sessionId, 2 * i + k, json, c.ts, Buffer.byteLength(json));
    }));
    db.close();
    for (let i = 0; i < 9; i++) f.pollOnce((ev) => events.push(ev));
    expect(totalsOf(events)).toEqual(rounded(expectedTotals(calls)));
    expect(errors).toEqual([]);
    f.close();

    // A table that never gets the column: said once, after a minute, naming what is missing.
    const other = stateDir(), stuck = agentDb(other);
    mkdirSync(path.dirname(stuck), { recursive: true });
    const db2 = new DatabaseSync(stuck);
    db2.exec("CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT, created_at INTEGER NOT NULL)");
    db2.close();
    let now = Date.now();
    const clock = vi.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const g = new StoreFollower({ stateDir: other, profile: "", fromBeginning: true, onError: (m) => errors.push(m) });
      for (let i = 0; i < 9; i++) { g.pollOnce(() => {}); now += 5_000; }
      expect(errors).toEqual([]);
      for (let i = 0; i < 9; i++) { g.pollOnce(() => {}); now += 5_000; }
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/cannot read the session store: .*transcript_events has no event_zstd, event_utf8_bytes column/);
      g.close();
    } finally {
      clock.mockRestore();
    }
  });
});

