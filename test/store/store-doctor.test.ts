/**
 * `doctor` on OpenClaw's session store (issue 23): it names the layout each agent has (SQLite
 * with its schema version and journal mode, or JSONL with its archives) and whether it can read
 * it; a missing state directory is said (with the way to point at it), never a warning or failure; and
 * `--openclaw-state off` says it is off. Real files and a real 9.6-schema database.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { CLI } from "../sidecar/helpers.ts";
import { jsonlLines, makeCalls, openAgentDb, writeCalls } from "./store-fixtures.ts";

const run = promisify(execFile);
const root = mkdtempSync(path.join(tmpdir(), "oc-store-doctor-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function doctor(env: NodeJS.ProcessEnv, args: string[] = []): Promise<string> {
  const logs = path.join(root, "logs");
  mkdirSync(logs, { recursive: true });
  try {
    return (await run(process.execPath, [CLI, "doctor", "--logs", logs, "--listen", "off", "--state-dir", path.join(root, "st"), ...args],
      { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "", ...env }, timeout: 30_000 })).stdout;
  } catch (err) {
    return (err as { stdout: string }).stdout;
  }
}

it("names each agent's layout and says it can read it", async () => {
  const state = path.join(root, "openclaw");
  const db = openAgentDb(path.join(state, "agents", "main", "agent", "openclaw-agent.sqlite"));
  db.prepare("INSERT INTO schema_meta (meta_key, role, schema_version, created_at, updated_at) VALUES ('agent', 'agent', 23, 0, 0)").run();
  writeCalls(db, makeCalls(3, ["s1"]));
  db.close();
  const sessions = path.join(state, "agents", "legacy", "sessions");
  mkdirSync(sessions, { recursive: true });
  writeFileSync(path.join(sessions, "j1.jsonl"), jsonlLines(makeCalls(2, ["j1"]), "j1").join("\n") + "\n");
  writeFileSync(path.join(sessions, "j0.jsonl.deleted.2026-12-07T10-00-00.000Z"), "");
  const out = await doctor({ OPENCLAW_STATE_DIR: state });
  expect(out).toMatch(/ok\s+store\s+agent main: SQLite \(OpenClaw 2026\.8\.1\+\), schema 23, journal wal: .*openclaw-agent\.sqlite readable/);
  expect(out).toMatch(/ok\s+store\s+agent legacy: JSONL transcripts \(OpenClaw up to 2026\.7\.x\): 2 in .*sessions \(1 reset\/deleted archive\(s\)\), readable/);
});

it("says, without a warning, when the state directory is missing, and how to point at it", async () => {
  const out = await doctor({ OPENCLAW_STATE_DIR: path.join(root, "nowhere") });
  expect(out).toMatch(/ok\s+store\s+session store .*nowhere not found: .*OPENCLAW_STATE_DIR or --openclaw-state/);
  expect(out).not.toMatch(/(FAIL|WARN)\s+store/);
});

it("says when the store is turned off", async () => {
  expect(await doctor({}, ["--openclaw-state", "off"])).toMatch(/ok\s+store\s+session store off \(--openclaw-state off\)/);
});

it("warns when a database is not an agent store it can read", async () => {
  const state = path.join(root, "broken");
  mkdirSync(path.join(state, "agents", "x", "agent"), { recursive: true });
  writeFileSync(path.join(state, "agents", "x", "agent", "openclaw-agent.sqlite"), "not a database at all, just text".repeat(40));
  expect(await doctor({ OPENCLAW_STATE_DIR: state })).toMatch(/WARN\s+store\s+agent x: SQLite .*cannot read/);
});
