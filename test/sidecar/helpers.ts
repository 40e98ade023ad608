/** Helpers for tests that run the real CLI as a child process (Node 24 runs src/*.ts as is). */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Pipeline } from "../../src/pipeline.ts";
import type { LineRecord } from "../../src/tail/record.ts";
import { MetricStore } from "../../src/telemetry/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/prometheus-text.ts";

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

export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const proc = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
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
