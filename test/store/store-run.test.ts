/**
 * The session store through the real `run` (issue 23): tokens and cost on /metrics equal the
 * calls written into the store (9.6 SQLite and 7.x JSONL agents side by side), across a SIGTERM
 * restart and SIGKILLs at random moments while the store is being written; and with the plugin's
 * JSONL reporting the same calls, the totals are the same, not double. Expected totals are summed
 * from the calls written (store-fixtures.ts), never from the sidecar.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { delay, startCli, waitFor, type Child } from "../sidecar/helpers.ts";
import { expectedTotals, jsonlLines, makeCalls, openAgentDb, sameTotals, totalsFromProm, writeCalls, type Call } from "./store-fixtures.ts";

const root = mkdtempSync(path.join(tmpdir(), "oc-store-run-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const metrics = async (c: Child) => (await fetch(`${await c.url}/metrics`)).text();

function dirs(name: string) {
  const base = path.join(root, name);
  const d = { openclaw: path.join(base, "openclaw"), logs: path.join(base, "logs"), state: path.join(base, "state") };
  for (const p of Object.values(d)) mkdirSync(p, { recursive: true });
  return d;
}
const runArgs = (d: ReturnType<typeof dirs>) =>
  ["run", "--logs", d.logs, "--state-dir", d.state, "--listen", "127.0.0.1:0", "--poll-interval", "20", "--checkpoint-interval", "100"];

/** Waits until /metrics shows `want`, then a little longer, and returns what differs (nothing when exact). */
async function settle(c: Child, want: ReturnType<typeof expectedTotals>): Promise<string[]> {
  await waitFor(async () => sameTotals(totalsFromProm(await metrics(c)), want).length === 0, 20_000);
  await delay(1500);
  return sameTotals(totalsFromProm(await metrics(c)), want);
}

it("counts the store exactly once across a restart and SIGKILLs while it is written", async () => {
  const d = dirs("kill");
  const now = Date.now();
  const calls = makeCalls(90, ["s1", "s2", "s3"], now);
  const db = openAgentDb(path.join(d.openclaw, "agents", "main", "agent", "openclaw-agent.sqlite"));
  const sessions = path.join(d.openclaw, "agents", "legacy", "sessions");
  mkdirSync(sessions, { recursive: true });
  const legacy = makeCalls(12, ["j1"], now + 500);
  const env = { OPENCLAW_STATE_DIR: d.openclaw };
  let written: Call[] = [];
  const write = (batch: Call[]) => { writeCalls(db, batch); written = [...written, ...batch]; };

  let child = startCli(runArgs(d), env);
  await child.ready;
  write(calls.slice(0, 20));
  writeFileSync(path.join(sessions, "j1.jsonl"), jsonlLines(legacy.slice(0, 6), "j1").join("\n") + "\n");
  expect(await settle(child, expectedTotals([...written, ...legacy.slice(0, 6)]))).toEqual([]);
  child.proc.kill("SIGTERM");
  expect(await child.exited).toBe(0);

  // Three SIGKILLs at moments that fall between, before and after checkpoints.
  let next = 20;
  for (const pause of [37, 180, 420]) {
    child = startCli(runArgs(d), env);
    await child.ready;
    for (let i = 0; i < 4; i++) { write(calls.slice(next, next + 5)); next += 5; await delay(pause / 4); }
    child.proc.kill("SIGKILL");
    await child.exited;
  }
  // The JSONL agent's session goes on, then is deleted (renamed to an archive) while down.
  appendFileSync(path.join(sessions, "j1.jsonl"), jsonlLines(legacy, "j1").slice(1 + 12).join("\n") + "\n");
  const { renameSync } = await import("node:fs");
  renameSync(path.join(sessions, "j1.jsonl"), path.join(sessions, "j1.jsonl.deleted.2026-12-07T10-00-00.000Z"));
  child = startCli(runArgs(d), env);
  await child.ready;
  write(calls.slice(next));
  db.close();
  expect(written.length).toBe(90);
  expect(await settle(child, expectedTotals([...written, ...legacy]))).toEqual([]);
  expect(child.stderr()).toMatch(/INFO reading usage from OpenClaw's session store: agent main, SQLite .*openclaw-agent\.sqlite \(read-only\)/);
  expect(child.stderr()).toMatch(/INFO reading usage from OpenClaw's session store: agent legacy, JSONL transcripts in .*sessions/);
  // The page: usage from the session store, and the blind-spot note no longer says tokens are missing.
  const status = await (await fetch(`${await child.url}/status.json`)).json() as { usageSource: string; missing: { what: string }[] };
  expect(status.usageSource).toBe("session store");
  expect(status.missing.map((m) => m.what)).toContain("Successful turns and run durations");
  expect(status.missing.map((m) => m.what)).not.toContain("Tokens, cost and successful turns");
  expect(await (await fetch(`${await child.url}/`)).text()).toContain("From OpenClaw's session store");
  child.proc.kill("SIGTERM");
  expect(await child.exited).toBe(0);
}, 120_000);

it("with the plugin's JSONL reporting the same calls, counts them once", async () => {
  const d = dirs("both");
  const now = Date.now();
  const calls = makeCalls(24, ["p1", "p2"], now);
  const db = openAgentDb(path.join(d.openclaw, "agents", "main", "agent", "openclaw-agent.sqlite"));
  const t = new Date(now), two = (n: number) => String(n).padStart(2, "0");
  const jsonl = path.join(d.logs, `diagnostics-${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}.jsonl`);
  writeFileSync(jsonl, "");
  const child = startCli(runArgs(d), { OPENCLAW_STATE_DIR: d.openclaw });
  await child.ready;
  let seq = 0;
  // The plugin's model.usage per call (one call per run here), written as the store gets it.
  for (const [i, c] of calls.entries()) {
    writeCalls(db, [c]);
    const usage = { input: c.input, output: c.output, cacheRead: c.cacheRead, cacheWrite: c.cacheWrite,
      promptTokens: c.input + c.cacheRead + c.cacheWrite, total: c.input + c.output + c.cacheRead + c.cacheWrite };
    appendFileSync(jsonl, JSON.stringify({ type: "model.usage", sessionId: c.sessionId, channel: "telegram", provider: c.provider, model: c.model,
      usage, costUsd: c.cost, seq: ++seq, ts: c.ts }) + "\n");
    if (i % 6 === 5) await delay(60);
  }
  db.close();
  expect(await settle(child, expectedTotals(calls))).toEqual([]);
  // The store's reports were read and dropped as the plugin's twins, not left unread.
  const status = await (await fetch(`${await child.url}/status.json`)).json() as { usageSource: string };
  expect(status.usageSource).toBe("plugin and session store");
  expect(await metrics(child)).toMatch(/openclaw_sidecar_events_duplicate_total\{[^}]*model\.usage[^}]*\} [1-9]/);
  child.proc.kill("SIGTERM");
  expect(await child.exited).toBe(0);
}, 60_000);
