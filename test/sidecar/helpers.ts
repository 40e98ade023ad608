/** Helpers for tests that run the real CLI as a child process (Node 24 runs src/*.ts as is). */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { CheckpointStore, type Checkpoint } from "../../src/tail/checkpoint.ts";
import { join } from "node:path";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";

export const CLI = join(import.meta.dirname, "../../src/cli.ts");

export interface Child {
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the /metrics base URL once the server logs it. */
  url: Promise<string>;
  /** Resolves once the sidecar has started following (its first poll is scheduled). */
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/** `wrap` turns the node command line into another (a mount namespace, a `ulimit -n`). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, wrap?: (argv: string[]) => [string, string[]]): Child {
  const [file, argv] = wrap ? wrap([process.execPath, CLI, ...args]) : [process.execPath, [CLI, ...args]];
  // OpenClaw's real session store on this host (~/.openclaw) must not leak into a test's counts:
  // a test that wants one passes OPENCLAW_STATE_DIR or --openclaw-state (src/store).
  const proc = spawn(file, argv, { env: { ...process.env, OPENCLAW_STATE_DIR: "/nonexistent/openclaw-state-for-tests", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  let resolveUrl: (u: string) => void;
  const url = new Promise<string>((r) => { resolveUrl = r; });
  let resolveReady: () => void;
  const ready = new Promise<void>((r) => { resolveReady = r; });
  proc.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
    const m = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(err);
    if (m) resolveUrl(m[1]!);
    if (/ INFO following /.test(err)) resolveReady();
  });
  proc.stdout!.resume();
  const exited = new Promise<number | null>((r) => proc.on("exit", (code) => r(code)));
  return { proc, stderr: () => err, url, ready, exited };
}

/** Counter and histogram sample lines of the gateway's metrics (sidecar self-metrics and gauges left out). */
export function cumulativeSamples(promText: string): string[] {
  return promText.split("\n")
    .filter((l) => l.startsWith("openclaw_") && !l.startsWith("openclaw_sidecar_"))
    .filter((l) => /^[a-z_]+(_total|_bucket|_sum|_count)[{ ]/.test(l))
    .sort();
}

/** Ground truth: every line counted exactly once, in one uninterrupted in-memory pass. */
export function truthFor(records: LineRecord[]): string {
  const store = new MetricStore();
  const p = new Pipeline({ store });
  for (const r of records) p.handle(r);
  return renderPrometheus(store, {});
}

export function fixtureLines(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l.length > 0);
}

export const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The gateway's metrics as a checkpoint's telemetry state holds them (Prometheus text). */
export function checkpointMetrics(saved: Checkpoint): string {
  const store = new MetricStore();
  new Pipeline({ store }).restoreState(saved.telemetry);
  return renderPrometheus(store, {});
}

/** Lines read, summed over sources, in Prometheus text of the sidecar. */
export function linesReadIn(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/^openclaw_sidecar_lines_read_total\{[^}]*\} (\d+)$/gm)) total += Number(m[1]);
  return total;
}

/** Total lines read according to the checkpoint in `stateDir`: undefined when none, "corrupt" when unusable. */
export function checkpointLinesRead(stateDir: string): number | undefined | "corrupt" {
  let saved;
  try {
    saved = new CheckpointStore(stateDir).load();
  } catch {
    return "corrupt";
  }
  return saved ? linesReadIn(checkpointMetrics(saved)) : undefined;
}

/** Polls `check` every 25 ms until it returns true or `ms` pass; returns the last result. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await delay(25);
  }
}

/** waitFor that fails: throws "<what> did not happen within <ms> ms" when the wait runs out (`what` read then). */
export async function waitUntil(what: string | (() => string), check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  if (!(await waitFor(check, ms))) throw new Error(`${typeof what === "function" ? what() : what} did not happen within ${ms} ms`);
}

/** 2,000 names the tailer follows, oldest rotation first. */
export function manyFileNames(): string[] {
  const names: string[] = [];
  for (let p = 0; p < 40; p++) {
    for (let d = 1; d <= 10; d++) {
      const day = `2026-11-${String(d).padStart(2, "0")}`;
      for (let r = 4; r >= 1; r--) names.push(`openclaw-p${p}-${day}.${r}.log`);
      names.push(`openclaw-p${p}-${day}.log`);
    }
  }
  return names;
}

/** A line whose first bytes differ per file (identical heads would read as copies). */
/** The 2,000 files of manyFileNames() in `dir`, two unique lines each; returns the names and the lines written. */
export function writeManyFiles(dir: string): { names: string[]; written: number } {
  const names = manyFileNames();
  for (const n of names) writeFileSync(join(dir, n), `${uniqueLine(n, 0)}\n${uniqueLine(n, 1)}\n`);
  return { names, written: 2 * names.length };
}

export const uniqueLine = (name: string, i: number) => JSON.stringify({ file: name, i, pad: "x".repeat(60) });

export const lowUlimit = (n: number) => (argv: string[]): [string, string[]] => ["bash", ["-c", `ulimit -n ${n} && exec "$@"`, "bash", ...argv]];
