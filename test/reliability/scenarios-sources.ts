/**
 * Two sources, one gateway (issue 20, item 1): the gateway log and the plugin's JSONL written
 * as a gateway does, the log's lines of each slice of time before the JSONL's (the plugin
 * writes in batches), with the plugin installed mid-day, stopped, an old JSONL and an empty one
 * (test/support/two-sources.ts), `run` killed once with SIGKILL and restarted. Every failover,
 * lane enqueue and heartbeat must be counted once per profile, by `run` and by `replay` of the
 * final files, as the generator wrote them.
 */
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CheckpointStore } from "../../src/tail/checkpoint.ts";
import { checkpointMetrics, CLI, delay, startCli } from "../sidecar/helpers.ts";
import { cases, observed, writeCases, type Expected } from "../support/two-sources.ts";
import { started, stop, tempDir, type Ctx, type Row } from "./lib.ts";
import { execFileSync } from "node:child_process";

/** A line's time: the JSONL's `ts`, the log's `time`. */
const timeOf = (line: string) => {
  const o = JSON.parse(line) as { ts?: number; time?: string };
  return o.ts ?? Date.parse(o.time!);
};

const show = (e: Record<string, Expected>) =>
  Object.entries(e).sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, x]) => `${p} ${x.failovers}/${x.enqueues}/${x.heartbeats}`).join(", ");

export async function twoSourcesScenario(ctx: Ctx): Promise<Row> {
  const gen = tempDir(ctx, "src-gen");
  const expected = writeCases(gen, cases(ctx.quick ? 8 : 30), ctx.rand);
  const logs = tempDir(ctx, "src-logs");
  const state = tempDir(ctx, "src-state");
  const sliceMs = (ctx.quick ? 10 : 5) * 60_000;
  // Every file exists from the start (the plugin creates its file when the gateway starts);
  // the old JSONL is whole, as yesterday left it.
  const slices = new Map<number, Array<{ name: string; line: string }>>();
  for (const name of readdirSync(gen)) {
    const lines = readFileSync(join(gen, name), "utf8").split("\n").filter(Boolean);
    const old = name.endsWith(".jsonl") && !name.includes("2026-11-21");
    writeFileSync(join(logs, name), old ? lines.map((l) => `${l}\n`).join("") : "");
    if (old) continue;
    for (const line of lines) {
      const k = Math.floor(timeOf(line) / sliceMs);
      if (!slices.has(k)) slices.set(k, []);
      slices.get(k)!.push({ name, line });
    }
  }
  const order = [...slices.keys()].sort((a, b) => a - b);
  const killAt = Math.floor(ctx.rand() * order.length);
  const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "50", "--checkpoint-interval", "100"];
  let child = startCli(args);
  await started(child, child.ready);
  const append = (items: Array<{ name: string; line: string }>, jsonl: boolean) => {
    const by = new Map<string, string>();
    for (const it of items) if (it.name.endsWith(".jsonl") === jsonl) by.set(it.name, (by.get(it.name) ?? "") + it.line + "\n");
    for (const [name, text] of by) appendFileSync(join(logs, name), text);
  };
  for (const [i, k] of order.entries()) {
    append(slices.get(k)!, false);
    await delay(60 + Math.floor(ctx.rand() * 60));
    append(slices.get(k)!, true);
    await delay(60 + Math.floor(ctx.rand() * 60));
    if (i === killAt) {
      child.proc.kill("SIGKILL");
      await child.exited;
      child = startCli(args);
      await started(child, child.ready);
    }
  }
  // A log event no JSONL line covers waits up to 5 s of wall clock for one (held-events.ts),
  // counted from when it was read: wait until the checkpoint has every line (a loaded host
  // reads late), then 5 s more. One still held at SIGTERM stays in the checkpoint, uncounted.
  const store = new CheckpointStore(state);
  const total = readdirSync(logs).reduce((n, name) => n + statSync(join(logs, name)).size, 0);
  for (let i = 0; i < 300 && (store.load()?.files.reduce((n, f) => n + f.offset, 0) ?? 0) < total; i++) await delay(100);
  await delay(5_500);
  const code = await stop(child);
  const saved = store.load();
  const ran = saved ? observed(checkpointMetrics(saved)) : {};
  // Log events still waiting for a JSONL line when the checkpoint was written (none expected).
  const held = ((saved?.telemetry as { dedupe?: { held?: unknown[] } } | undefined)?.dedupe?.held ?? []).length;
  const files = readdirSync(logs).map((n) => join(logs, n));
  const replayed = observed(execFileSync(process.execPath, [CLI, "replay", "--format", "prometheus", "--no-progress", ...files], { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "ignore"] }));
  const same = (a: Record<string, Expected>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(expected).sort());
  return {
    scenario: "two-sources (plugin mid-day, stopped, old and empty JSONL; log before JSONL; SIGKILL)", trials: 1,
    expected: `failovers/enqueues/heartbeats ${show(expected)}`,
    observed: `run ${show(ran)}${held > 0 ? ` (${held} still held, killed at slice ${killAt + 1}/${order.length})` : ""}; replay ${same(replayed) ? "same" : show(replayed)}; exit ${code}`,
    pass: code === 0 && same(ran) && same(replayed) && held === 0,
  };
}
