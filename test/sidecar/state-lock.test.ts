/**
 * Issue 20, item 2: one sidecar per state directory, and a checkpoint that cannot be read
 * does not keep the sidecar down for good. Real processes: two `node src/cli.ts run` on one
 * --state-dir, the second also in another PID namespace (where both were pid 1 and wrote
 * `checkpoint.json.tmp-1`). Before the fix the second ran and counted everything again, and
 * a torn checkpoint made every start exit 2.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CheckpointStore } from "../../src/tail/checkpoint.ts";
import { checkpointLinesRead, delay, startCli, uniqueLine, waitFor, type Child } from "./helpers.ts";

const dirs: string[] = [];
const children: Child[] = [];
const temp = (tag: string) => {
  const d = mkdtempSync(join(tmpdir(), `oc-lock-${tag}-`));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const args = (logs: string, state: string) => ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "20", "--checkpoint-interval", "100"];
const start = (a: string[], wrap?: (argv: string[]) => [string, string[]]) => {
  const c = startCli(a, {}, wrap);
  children.push(c);
  return c;
};
/** Another PID namespace: the child is pid 1 there, as in a second container (root only, as CI runs). */
const otherPidNamespace = (argv: string[]): [string, string[]] => ["unshare", ["--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", ...argv]];
/** The exit code, or "still running" after `ms`. */
const exitWithin = (c: Child, ms: number) => Promise.race([c.exited, delay(ms).then(() => "still running" as const)]);

function writeLines(file: string, from: number, to: number): void {
  let text = "";
  for (let i = from; i < to; i++) text += `${uniqueLine("lock", i)}\n`;
  appendFileSync(file, text);
}

describe("state directory lock (issue 20, item 2)", () => {
  it("two_sidecars_one_state_dir: a second run exits 3 naming the holder, in this PID namespace and another; the first counts every line once", async () => {
    const logs = temp("logs");
    const state = temp("state");
    const file = join(logs, "openclaw-2026-11-21.log");
    writeLines(file, 0, 50);
    const first = start(args(logs, state));
    await first.ready;
    for (const wrap of [undefined, otherPidNamespace]) {
      const second = start(args(logs, state), wrap);
      expect(await exitWithin(second, 15_000)).toBe(3);
      expect(second.stderr()).toMatch(new RegExp(`state directory ${state} is in use by another openclaw-otel sidecar: pid ${first.proc.pid}\\b`));
      if (wrap) expect(second.stderr()).toContain("in another PID namespace");
    }
    writeLines(file, 50, 80);
    expect(await waitFor(() => checkpointLinesRead(state) === 80)).toBe(true);
    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    // The oracle is the writer: 80 lines, read once. Two sidecars counted them twice in one
    // checkpoint's lifetime, each overwriting the other's.
    expect(checkpointLinesRead(state)).toBe(80);
  }, 60_000);

  it("a SIGKILLed holder leaves no stale lock, even from another PID namespace: the next run starts at once", async () => {
    const logs = temp("logs");
    const state = temp("state");
    const file = join(logs, "openclaw-2026-11-21.log");
    writeLines(file, 0, 20);
    // --kill-child=SIGKILL: when `unshare` dies, the sidecar (pid 1 of its namespace) gets SIGKILL.
    const killed = start(args(logs, state), (argv) => ["unshare", ["--pid", "--fork", "--mount-proc", "--kill-child=SIGKILL", ...argv]]);
    await killed.ready;
    const inner = (await waitFor(() => existsSync(join(state, "run.lock.json")))) && (JSON.parse(readFileSync(join(state, "run.lock.json"), "utf8")) as { pid: number });
    expect(inner && inner.pid).toBe(1);
    killed.proc.kill("SIGKILL");
    await killed.exited;
    // The sidecar itself is gone (not merely unshare), so its lock can only have been left stale.
    expect(await waitFor(() => {
      const next = readdirSync("/proc").filter((p) => /^\d+$/.test(p)).some((p) => {
        try { return readFileSync(`/proc/${p}/cmdline`, "utf8").includes(state); } catch { return false; }
      });
      return !next;
    }, 10_000)).toBe(true);
    writeLines(file, 20, 30);
    const next = start(args(logs, state));
    await next.ready;
    expect(await waitFor(() => checkpointLinesRead(state) === 30)).toBe(true);
    next.proc.kill("SIGTERM");
    expect(await next.exited).toBe(0);
  }, 60_000);

  // A checkpoint cut short mid-write (what two writers produced): a valid prefix, no end.
  const torn = '{"version":1,"savedAt":1763719200000,"files":[{"path":"/tmp/openclaw/openclaw-2026-11-21.log","source":"log","prof';
  // Whole and well-formed, but its telemetry state is not one this version restores.
  const foreign = JSON.stringify({ version: 1, savedAt: 1763719200000, files: [], telemetry: { version: 2 } });
  it.each([
    ["a torn checkpoint", torn, /checkpoint file .*checkpoint\.json is corrupt \(not JSON.*moved aside to .*checkpoint\.json\.unusable-.*starting afresh/],
    ["a checkpoint whose telemetry state does not restore", foreign, /checkpoint .*checkpoint\.json: saved pipeline state is not version 1.*moved aside to .*checkpoint\.json\.unusable-.*starting afresh/],
  ])("%s is moved aside, counted, and the sidecar starts afresh instead of exiting 2 for good", async (_name, content, message) => {
    const logs = temp("logs");
    const state = temp("state");
    const file = join(logs, "openclaw-2026-11-21.log");
    writeLines(file, 0, 40);
    writeFileSync(join(state, "checkpoint.json"), content);
    const a = args(logs, state);
    a[a.indexOf("off")] = "127.0.0.1:0";
    const c = start(a);
    const url = await Promise.race([c.url, c.exited.then((code) => { throw new Error(`exited ${code}: ${c.stderr()}`); })]);
    expect(c.stderr()).toMatch(message);
    const aside = readdirSync(state).filter((n) => n.startsWith("checkpoint.json.unusable-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(state, aside[0]!), "utf8")).toBe(content);
    // --from-beginning: a fresh start reads the 40 lines; the discarded checkpoint is counted.
    const text = async () => (await fetch(`${url}/metrics`)).text();
    expect(await waitFor(async () => /^openclaw_sidecar_lines_read_total\{[^}]*\} 40$/m.test(await text()))).toBe(true);
    expect(await text()).toMatch(/^openclaw_sidecar_checkpoint_failure_total(\{[^}]*\})? 1$/m);
    c.proc.kill("SIGTERM");
    expect(await c.exited).toBe(0);
    expect(checkpointLinesRead(state)).toBe(40);
  }, 60_000);
});

describe("checkpoint temp name (issue 20, item 2)", () => {
  it("cannot collide with another writer's: a name taken as tmp-<pid> does not stop the save", () => {
    const state = temp("tmpname");
    // What a second writer with the same pid (pid 1 in another container) holds open.
    mkdirSync(join(state, `checkpoint.json.tmp-${process.pid}`));
    const store = new CheckpointStore(state);
    store.save({ version: 1, savedAt: 1, files: [] });
    expect(store.load()).toEqual({ version: 1, savedAt: 1, files: [] });
  });
});
