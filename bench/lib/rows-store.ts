/**
 * Issue 23's row: what following an idle OpenClaw session store costs. Two compiled `run`s side
 * by side on the same idle gateway log directory, one with `--openclaw-state off` (today's
 * sidecar), one following a store as a gateway leaves it between turns: an agent of 7.x JSONL
 * transcripts (`sessions` files, cold: written before the sidecar started) and a 9.6 SQLite agent
 * database in WAL mode (`rows` calls). Both are measured over the same seconds (utime+stime from
 * /proc), so the machine's load falls on both alike.
 */
import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonlLines, makeCalls, openAgentDb, writeCalls } from "../../test/store/store-fixtures.ts";
import { cpuSecondsOf, startSidecar } from "./proc.ts";

export interface StoreIdleFigures {
  seconds: number; sessions: number; rows: number; baseCpuPct: number; storeCpuPct: number;
  /** Output tokens on the store sidecar's /metrics and in the store as written: equal when the store was really read. */
  outputCounted: number; outputWritten: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes the idle store: `sessions` JSONL transcripts of 3 calls each, an hour old, and a SQLite agent with `rows` calls; returns their output tokens. */
export function writeIdleStore(stateDir: string, sessions: number, rows: number): number {
  let output = 0;
  const dir = join(stateDir, "agents", "legacy", "sessions");
  mkdirSync(dir, { recursive: true });
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (let s = 0; s < sessions; s++) {
    const id = `s${String(s).padStart(5, "0")}`;
    const file = join(dir, `${id}.jsonl`);
    const calls = makeCalls(3, [id], hourAgo.getTime());
    output += calls.reduce((a, c) => a + c.output, 0);
    writeFileSync(file, `${jsonlLines(calls, id).join("\n")}\n`);
    utimesSync(file, hourAgo, hourAgo);
  }
  const db = openAgentDb(join(stateDir, "agents", "main", "agent", "openclaw-agent.sqlite"));
  const calls = makeCalls(rows, ["a", "b", "c", "d"], hourAgo.getTime());
  writeCalls(db, calls);
  db.close();
  return output + calls.reduce((a, c) => a + c.output, 0);
}

export async function measureStoreIdle(cli: string, dir: string, seconds: number, sessions: number, rows: number): Promise<StoreIdleFigures> {
  const logs = join(dir, "store-idle-logs"), store = join(dir, "store-idle-openclaw");
  mkdirSync(logs, { recursive: true });
  const outputWritten = writeIdleStore(store, sessions, rows);
  const base = await startSidecar(cli, logs, join(dir, "store-idle-state-base"), ["--openclaw-state", "off"]);
  // --from-beginning: the store is read whole once (so its rows are open and known), then idle.
  const withStore = await startSidecar(cli, logs, join(dir, "store-idle-state-store"), ["--openclaw-state", store, "--from-beginning"]);
  try {
    await sleep(5000); // past start-up work: the first read of the store, the first checkpoint
    const b0 = cpuSecondsOf(base.pid), s0 = cpuSecondsOf(withStore.pid), t0 = performance.now();
    await sleep(seconds * 1000);
    const wall = (performance.now() - t0) / 1000;
    const baseCpuPct = (100 * (cpuSecondsOf(base.pid) - b0)) / wall;
    const storeCpuPct = (100 * (cpuSecondsOf(withStore.pid) - s0)) / wall;
    // The store was really followed: every output token written is on /metrics.
    const text = await (await fetch(`${withStore.url}/metrics`)).text();
    const outputCounted = [...text.matchAll(/^openclaw_tokens_total\{[^}]*openclaw_token="output"[^}]*\} (\S+)$/gm)].reduce((a, m) => a + Number(m[1]), 0);
    return { seconds, sessions, rows, baseCpuPct, storeCpuPct, outputCounted, outputWritten };
  } finally {
    await base.stop();
    await withStore.stop();
  }
}
