/**
 * 2026.7.35 already keeps an agent database at the path where 2026.8.1+ keeps transcripts
 * (`agents/<id>/agent/openclaw-agent.sqlite`, schema 1: auth profiles and memory, no
 * `transcript_events`; seen in a live 7.35 run, docs/openclaw-formats.md §11). The reader must
 * take it for "no SQLite transcripts yet", not an error, count the JSONL transcripts beside it,
 * and once `doctor --fix` adds the table to the same file and imports the JSONL (same session
 * ids and message times), count the imported rows not again and the new ones once. Expected
 * totals are summed from the fixture calls.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, expect, it } from "vitest";
import type { ModelUsage } from "../../src/events/types.ts";
import { inspectStore } from "../../src/store/store-doctor.ts";
import { StoreFollower } from "../../src/store/store-follower.ts";
import { expectedTotals, jsonlLines, makeCalls, openAgentDb, writeCalls } from "./store-fixtures.ts";

const SCHEMA_7X = readFileSync(path.join(import.meta.dirname, "openclaw-agent-schema-2026.7.35.sql"), "utf8");
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A 7.35 state: the schema-1 agent database (one auth profile row, as paste-api-key leaves it) and JSONL transcripts. */
function state7x(): { dir: string; db: string; sessions: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "oc-store-7x-"));
  dirs.push(dir);
  const db = path.join(dir, "agents", "main", "agent", "openclaw-agent.sqlite"), sessions = path.join(dir, "agents", "main", "sessions");
  mkdirSync(path.dirname(db), { recursive: true });
  mkdirSync(sessions, { recursive: true });
  const d = new DatabaseSync(db);
  d.exec("PRAGMA journal_mode = WAL");
  d.exec(SCHEMA_7X);
  d.prepare("INSERT INTO schema_meta VALUES ('primary', 'agent', 1, 'main', NULL, ?, ?)").run(Date.now(), Date.now());
  d.prepare("INSERT INTO auth_profile_store VALUES ('primary', '{}', ?)").run(Date.now());
  d.close();
  return { dir, db, sessions };
}

const totals = (events: ModelUsage[]) => {
  const out: ReturnType<typeof expectedTotals> = new Map();
  for (const e of events) {
    const t = out.get(`${e.provider}/${e.model}`) ?? { input: 0, output: 0, total: 0, cost: 0 };
    t.input += e.usage.input ?? 0; t.output += e.usage.output ?? 0; t.total += e.usage.total ?? 0; t.cost += e.costUsd ?? 0;
    out.set(`${e.provider}/${e.model}`, t);
  }
  return out;
};

it("takes 7.35's agent database for no SQLite transcripts yet, then counts the same file once 9.6 migrated it in place", () => {
  const s = state7x();
  const calls = makeCalls(12, ["j1", "j2"], Date.now() - 10_000);
  for (const id of ["j1", "j2"]) writeFileSync(path.join(s.sessions, `${id}.jsonl`), jsonlLines(calls.filter((c) => c.sessionId === id), id).join("\n") + "\n");
  const errors: string[] = [], follows: string[] = [];
  const f = new StoreFollower({ stateDir: s.dir, profile: "", fromBeginning: true, onError: (m) => errors.push(m), onFollow: (m) => follows.push(m) });
  const events: ModelUsage[] = [];
  const poll = (n = 1) => { for (let i = 0; i < n; i++) while (f.pollOnce((ev) => events.push(ev))); };
  poll(10);
  expect(errors).toEqual([]);
  expect(follows.join("\n")).not.toContain("SQLite");
  expect(totals(events)).toEqual(expectedTotals(calls));
  expect(inspectStore(s.dir).map((x) => `${x.verdict} ${x.detail}`).join("\n")).toMatch(/^ok agent main: SQLite agent database of schema 1 without transcripts/m);

  // 9.6's doctor --fix: the 9.6 tables added to the same file, the JSONL imported (same ids and
  // times), the files moved away; then the 9.6 gateway writes new turns.
  const migrated = openAgentDb(s.db);
  writeCalls(migrated, calls);
  for (const id of ["j1", "j2"]) rmSync(path.join(s.sessions, `${id}.jsonl`));
  const later = makeCalls(6, ["j1", "n1"], Date.now());
  writeCalls(migrated, later);
  migrated.close();
  poll(10);
  f.close();
  expect(errors).toEqual([]);
  expect(follows.join("\n")).toMatch(/SQLite .*openclaw-agent\.sqlite \(read-only\)/);
  expect(totals(events)).toEqual(expectedTotals([...calls, ...later]));
  expect(inspectStore(s.dir).map((x) => `${x.verdict} ${x.detail}`).join("\n")).toMatch(/^ok agent main: SQLite \(OpenClaw 2026\.8\.1\+\), schema \d+, journal wal: .* readable$/m);
});

it("doctor does not call 7.35's JSONL transcripts leftovers of a migration", () => {
  const s = state7x();
  writeFileSync(path.join(s.sessions, "j1.jsonl"), jsonlLines(makeCalls(2, ["j1"]), "j1").join("\n") + "\n");
  const text = inspectStore(s.dir).map((x) => `${x.verdict} ${x.detail}`).join("\n");
  expect(text).toMatch(/^ok agent main: JSONL transcripts \(OpenClaw up to 2026\.7\.x\): 1 in /m);
  expect(text).not.toContain("left from before");
});
