/**
 * Issue 20, item 5: one huge file must not starve the rest. A 200 GB sparse rotated log made
 * one poll read for 62 s: no other file followed, no checkpoint, and SIGTERM during a 2 TB one
 * did not exit within 30 s. Here a 1 TiB sparse file (a hole: no disk used) appears next to
 * the live JSONL of a running sidecar; lines appended to the live file must still be counted
 * and checkpointed, exactly, and SIGTERM must end the process promptly with a final checkpoint.
 * Deadlines are bounds on waiting for an event, not timings: reading the whole 1 TiB file takes
 * minutes on any disk, so the unfixed sidecar misses every one of them.
 */
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CheckpointStore } from "../../src/tail/checkpoint.ts";
import { checkpointLinesRead, checkpointMetrics, cumulativeSamples, linesReadIn, startCli, truthFor, waitFor, type Child } from "./helpers.ts";

const children: Child[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) { c.proc.kill("SIGKILL"); await c.exited; }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const usageLine = (i: number) => JSON.stringify({
  type: "model.usage", sessionKey: `agent:main:telegram:direct:${i % 5}`, channel: "telegram", agentId: "main",
  provider: "prov-a", model: "model-a", usage: { input: 100 + i, output: 20, total: 120 + i }, costUsd: 0.001,
  durationMs: 100 + i, ts: Date.now() - 3_600_000 + i, seq: i,
});

/** A file of `bytes` that is one hole: instant, and no disk used. */
function sparse(path: string, bytes: number): void {
  const fd = openSync(path, "w");
  try { ftruncateSync(fd, bytes); } finally { closeSync(fd); }
}

describe("a huge file in the log directory", () => {
  it("does not starve the live file: its appends are counted and checkpointed exactly, and SIGTERM exits within seconds", async () => {
    const root = mkdtempSync(join(tmpdir(), "oc-huge-"));
    dirs.push(root);
    const logs = join(root, "logs");
    const state = join(root, "state");
    mkdirSync(logs);
    const live = join(logs, "diagnostics-2026-12-07.jsonl");
    const written: string[] = [];
    const write = (n: number) => {
      const add = Array.from({ length: n }, (_, k) => usageLine(written.length + k));
      written.push(...add);
      appendFileSync(live, add.map((l) => `${l}\n`).join(""));
    };
    writeFileSync(live, "");
    write(5);
    const c = startCli(["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50", "--checkpoint-interval", "200"]);
    children.push(c);
    const url = await c.url;
    const linesRead = async () => linesReadIn(await (await fetch(`${url}/metrics`)).text());
    expect(await waitFor(async () => (await linesRead()) === 5, 20_000), `first lines never counted:\n${c.stderr()}`).toBe(true);

    // Visited before the live file in every poll (same day, older rotation).
    const huge = join(logs, "diagnostics-2026-12-07.4.jsonl");
    sparse(huge, 2 ** 40);
    const followsHuge = async () => ((await (await fetch(`${url}/status.json`)).json()) as { files: Array<{ path: string }> }).files.some((f) => f.path === huge);
    expect(await waitFor(followsHuge, 20_000), `the huge file was never picked up:\n${c.stderr()}`).toBe(true);

    write(20);
    expect(await waitFor(async () => (await linesRead()) === 25, 20_000), `appends to the live file not counted while the huge file is read (lines read: ${await linesRead()})`).toBe(true);
    expect(await waitFor(() => checkpointLinesRead(state) === 25, 20_000), `no checkpoint of the appends while the huge file is read (checkpoint: ${checkpointLinesRead(state)})`).toBe(true);

    write(10); // whatever the last poll has not read yet, the restart reads: the checkpoint stays exact either way
    const termAt = Date.now();
    c.proc.kill("SIGTERM");
    const exitedInTime = await waitFor(() => c.proc.exitCode !== null, 10_000);
    expect(exitedInTime, `still running ${Date.now() - termAt} ms after SIGTERM:\n${c.stderr().slice(-2000)}`).toBe(true);
    expect(await c.exited).toBe(0);

    const saved = new CheckpointStore(state).load()!;
    const liveEntry = saved.files.find((f) => f.path === live)!;
    const counted = linesReadIn(checkpointMetrics(saved));
    // Offsets and counters agree: the live file's offset is just after the last counted line.
    const offsetOf = (n: number) => written.slice(0, n).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
    expect(liveEntry.offset).toBe(offsetOf(counted));
    expect(counted === 25 || counted === 35).toBe(true);
    const truth = cumulativeSamples(truthFor(written.slice(0, counted).map((line) => ({ source: "diagnostics", profile: "", path: live, offset: 0, line }))));
    expect(cumulativeSamples(checkpointMetrics(saved))).toEqual(truth);
    // The huge file is one line too long (no "\n"): its entry keeps how far it was dropped,
    // so a restart does not read it from 0 again.
    const hugeEntry = saved.files.find((f) => f.path === huge);
    expect(hugeEntry?.discard).toBe(true);
    expect(hugeEntry!.offset).toBeGreaterThan(0);
    expect(statSync(huge).blocks).toBe(0); // still a hole: the test used no disk
  }, 120_000);
});
