/**
 * Shared by the reliability scenarios: a seeded PRNG, generated diagnostic lines with known
 * ground truth, the real CLI under measurement, and the checks every scenario ends with.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointStore } from "../../src/tail/checkpoint.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { REQUIRED } from "../support/required.ts";
import { checkpointMetrics, CLI, cumulativeSamples, linesReadIn, startCli, truthFor, type Child } from "../sidecar/helpers.ts";
import { prng } from "../support/prng.ts";
export { prng };

export interface Usage { rssKiB: number; cpuMs: number }
export interface Row {
  scenario: string;
  trials: number;
  expected: string;
  observed: string;
  pass: boolean;
  /** Measured process vs a plain replay of the same size (or the named baseline). */
  usage?: Usage;
  baseline?: Usage;
  bound?: { rss: number; cpu: number };
  /** Not run here (outside CI only: see cannotRun): neither PASS nor FAIL. */
  skip?: boolean;
}

/**
 * The row of a scenario this machine cannot run. Outside CI it is a SKIP; in CI (CI=true or
 * OPENCLAW_STACK_REQUIRED=1: root, every program installed) it is a FAIL, never a pass.
 */
export function cannotRun(scenario: string, expected: string, observed: string): Row {
  return { scenario, trials: 0, expected, observed, pass: false, skip: !REQUIRED };
}
export interface Ctx { seed: number; quick: boolean; rand: () => number; dirs: string[] }


export function tempDir(ctx: Ctx, tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `rel-${tag}-`));
  ctx.dirs.push(d);
  return d;
}

export function cleanup(ctx: Ctx): void {
  for (const d of ctx.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/**
 * One diagnostic JSONL line (the companion plugin's format), dated just behind the wall clock
 * so the future-timestamp guard never applies. `key` picks session, lane, provider and model.
 */
export function diagLine(i: number, key = "main", kind = i % 4): string {
  const ts = Date.now() - 3_600_000 + i;
  const session = `agent:${key}:telegram:direct:${i % 7}`;
  if (kind === 0) return JSON.stringify({ type: "webhook.received", channel: "telegram", updateType: "message", chatId: 4242, ts, seq: i });
  if (kind === 1) return JSON.stringify({ type: "message.queued", sessionKey: session, channel: "telegram", source: "dispatch", queueDepth: 1 + (i % 3), ts, seq: i });
  if (kind === 2) return JSON.stringify({ type: "queue.lane.enqueue", lane: `session:${session}`, queueSize: 1 + (i % 5), ts, seq: i });
  return JSON.stringify({
    type: "model.usage", sessionKey: session, channel: "telegram", agentId: key, provider: `prov-${key}`, model: `model-${key}`,
    usage: { input: 100 + (i % 50), output: 20 + (i % 9), total: 120 + (i % 59) }, costUsd: 0.001, durationMs: 100 + (i % 400), ts, seq: i,
  });
}

/** Ground truth: the gateway counters and histograms of one uninterrupted in-memory pass. */
export function truthSamples(lines: string[], source: LineRecord["source"] = "diagnostics"): string[] {
  return cumulativeSamples(truthFor(lines.map((line) => ({ source, profile: "", path: "x", offset: 0, line }))));
}

/** Lines read and gateway samples according to the checkpoint in `stateDir`. */
export function checkpointTotals(stateDir: string): { lines: number; samples: string[] } | undefined {
  const saved = new CheckpointStore(stateDir).load();
  if (!saved) return undefined;
  const text = checkpointMetrics(saved);
  return { lines: linesReadIn(text), samples: cumulativeSamples(text) };
}

export const sameSamples = (a: string[], b: string[]) => a.length > 0 && a.join("\n") === b.join("\n");

/** Starts `run` with the measure hook; `measured(out)` reads what its normal exit recorded. */
export function measuredRun(ctx: Ctx, args: string[], env: NodeJS.ProcessEnv = {}, wrap?: (argv: string[]) => [string, string[]]): { child: Child; out: string } {
  const out = join(tempDir(ctx, "measure"), "usage.jsonl");
  const child = startCli(args, { ...env, NODE_OPTIONS: `--import=${HOOK}`, RELIABILITY_MEASURE_OUT: out }, wrap);
  return { child, out };
}

export function measured(out: string): Usage | undefined {
  if (!existsSync(out)) return undefined;
  const rows = readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Usage);
  return rows.at(-1);
}

/** A plain `replay --format prometheus` of `files`, measured the same way. */
export function replayUsage(ctx: Ctx, files: string[]): Usage {
  const out = join(tempDir(ctx, "measure"), "usage.jsonl");
  execFileSync(process.execPath, [CLI, "replay", "--format", "prometheus", ...files], {
    env: { ...process.env, NODE_OPTIONS: `--import=${HOOK}`, RELIABILITY_MEASURE_OUT: out }, stdio: ["ignore", "ignore", "ignore"], maxBuffer: 1 << 30,
  });
  return measured(out)!;
}

const HOOK = join(import.meta.dirname, "measure-hook.ts");

/** child.url / child.ready, or an error with the child's stderr if it exits first (never a silent hang). */
export function started<T>(child: Child, what: Promise<T>): Promise<T> {
  return Promise.race([what, child.exited.then((code) => { throw new Error(`sidecar exited (${code}) before starting: ${child.stderr().trim().slice(-400)}`); })]);
}

/** SIGTERM, then the exit code (null when killed by a signal). */
export async function stop(child: Child): Promise<number | null> {
  child.proc.kill("SIGTERM");
  return child.exited;
}

export function verdict(row: Row): "PASS" | "FAIL" {
  if (!row.pass) return "FAIL";
  if (row.usage && row.baseline && row.bound) {
    if (row.usage.rssKiB / row.baseline.rssKiB > row.bound.rss) return "FAIL";
    if (row.usage.cpuMs / row.baseline.cpuMs > row.bound.cpu) return "FAIL";
  }
  return "PASS";
}
