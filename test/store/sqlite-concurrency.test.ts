/**
 * The reader never blocks the gateway's writer: a separate process inserts transcript rows in a
 * loop into a WAL database with busy_timeout 0 (a write that met a lock would fail at once and be
 * counted as busy) while the store reader follows it read-only, polling as fast as it can. Every
 * write must succeed first time, and the reader must end with exactly the writer's usage.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { ModelUsage } from "../../src/events/types.ts";
import { StoreFollower } from "../../src/store/store-follower.ts";
import { expectedTotals, makeCalls, openAgentDb } from "./store-fixtures.ts";

const dir = mkdtempSync(path.join(tmpdir(), "oc-store-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a writer hammering the WAL database is never blocked by the reader, and the reader counts exactly what it wrote", async () => {
  const N = 1500;
  const file = path.join(dir, "agents", "main", "agent", "openclaw-agent.sqlite");
  openAgentDb(file).close();
  const follower = new StoreFollower({ stateDir: dir, profile: "", fromBeginning: true });
  const events: ModelUsage[] = [];
  const writer = spawn(process.execPath, [path.join(import.meta.dirname, "store-writer.ts"), file, String(N)], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  writer.stdout.on("data", (d: Buffer) => { out += d.toString(); });
  writer.stderr.on("data", (d: Buffer) => { err += d.toString(); });
  const done = new Promise<number | null>((r) => writer.on("exit", r));
  let exited = false, polls = 0;
  void done.then(() => { exited = true; });
  while (!exited) {
    follower.pollOnce((ev) => events.push(ev));
    polls++;
    await new Promise((r) => setImmediate(r));
  }
  expect(await done, err).toBe(0);
  while (follower.pollOnce((ev) => events.push(ev)));
  follower.pollOnce((ev) => events.push(ev));
  follower.close();
  const report = JSON.parse(out) as { written: number; busy: number; ms: number };
  expect(report).toMatchObject({ written: N, busy: 0 });
  // The reader really ran alongside: many polls while the writer wrote.
  expect(polls).toBeGreaterThan(50);
  const got = new Map<string, number>();
  for (const e of events) got.set(`${e.provider}/${e.model}`, (got.get(`${e.provider}/${e.model}`) ?? 0) + (e.usage.total ?? 0));
  const want = new Map([...expectedTotals(makeCalls(N, ["w1", "w2", "w3", "w4"]))].map(([k, t]) => [k, t.total]));
  expect(got).toEqual(want);
  expect(events.length).toBe(N);
}, 120_000);
