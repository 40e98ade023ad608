/**
 * The sidecar with read-only access to OpenClaw's state directory (compose mounts it `:ro`): the
 * real `run` sees the gateway's WAL database through a read-only bind mount (its own mount
 * namespace) while this process writes to it, and counts exactly what was written (SQLite opens
 * the -shm file read-only there). Needs root and
 * util-linux `unshare` (as the tmpfs tests); in CI a machine without them fails by name.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { delay, startCli, waitFor } from "../sidecar/helpers.ts";
import { expectedTotals, makeCalls, openAgentDb, sameTotals, totalsFromProm, writeCalls } from "./store-fixtures.ts";

const root = mkdtempSync(path.join(tmpdir(), "oc-store-ro-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function canBindReadOnly(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync("unshare", ["-m", "sh", "-c", `mount --bind -o ro "${root}" /mnt && mount -o remount,bind,ro /mnt`], { stdio: "ignore" }).status === 0;
}
const missing = canBindReadOnly() ? undefined : "a read-only bind mount needs root and util-linux unshare";

it.runIf(canRun("store read-only mount test", missing))("reads a WAL database being written through a read-only mount, exactly", async () => {
  const src = path.join(root, "openclaw"), ro = path.join(root, "ro"), logs = path.join(root, "logs"), state = path.join(root, "state");
  for (const d of [src, ro, logs, state]) mkdirSync(d, { recursive: true });
  const db = openAgentDb(path.join(src, "agents", "main", "agent", "openclaw-agent.sqlite"));
  const calls = makeCalls(40, ["r1", "r2"], Date.now());
  writeCalls(db, calls.slice(0, 10));
  const args = ["run", "--logs", logs, "--state-dir", state, "--listen", "127.0.0.1:0", "--from-beginning", "--poll-interval", "20", "--openclaw-state", ro];
  const child = startCli(args, {}, (argv) => ["unshare", ["-m", "sh", "-c",
    `mount --bind -o ro "$0" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"`, src, ro, ...argv]]);
  await child.ready;
  for (let i = 10; i < 40; i += 5) { writeCalls(db, calls.slice(i, i + 5)); await delay(150); }
  const want = expectedTotals(calls);
  const metrics = async () => (await fetch(`${await child.url}/metrics`)).text();
  await waitFor(async () => sameTotals(totalsFromProm(await metrics()), want).length === 0, 20_000);
  await delay(1200);
  expect(sameTotals(totalsFromProm(await metrics()), want)).toEqual([]);
  expect(child.stderr()).not.toMatch(/cannot read the session store/);
  child.proc.kill("SIGTERM");
  expect(await child.exited).toBe(0);
  db.close();
}, 60_000);
