/**
 * The Collector peer of issue 11: the real otelcol-openclaw build (.stack/bin, from Go modules)
 * with its filelog receiver reading the bench file from the beginning, a `filter` operator that
 * keeps only the event lines (the same kinds the mtail peer counts, by substring, as our
 * prefilter does) and a `json_parser` on those, into a debug exporter. Its own metrics
 * (otelcol_receiver_accepted_log_records, on 127.0.0.1) say when it has counted them all; CPU
 * and VmHWM come from /proc. The count must equal the sidecar's for the same kinds.
 */
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpuSecondsOf, freePort, getText, memoryOf, ROOT } from "./proc.ts";

export const OTELCOL = join(ROOT, ".stack", "bin", "otelcol-openclaw");
/** Substrings of the event lines of the seven kinds compared with mtail (no regex escapes needed). */
const EVENT_RE = "lane enqueue: |lane dequeue: |session state: |message processed: |model-fetch. response |model_fallback_decision|heartbeat: webhooks=";

export interface CollectorFigures { count: number; cpuS: number; wallS: number; hwmMb: number }

const sumOf = (text: string, name: string) => text.split("\n")
  .filter((l) => l.startsWith(name))
  .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);

export async function runCollector(file: string, dir: string, expected: number, timeoutMs = 300_000): Promise<CollectorFigures> {
  if (!existsSync(OTELCOL)) throw new Error(`${OTELCOL} not built (scripts/build-stack.sh)`);
  const port = await freePort();
  const config = join(dir, "otelcol.json");
  // JSON is YAML: no quoting traps for the expr string.
  writeFileSync(config, JSON.stringify({
    receivers: { filelog: { include: [file], start_at: "beginning", operators: [
      { type: "filter", expr: `not (body matches "${EVENT_RE}")` },
      { type: "json_parser" },
    ] } },
    exporters: { debug: { verbosity: "basic" } },
    service: {
      telemetry: { logs: { level: "warn" }, metrics: { level: "basic", readers: [{ pull: { exporter: { prometheus: { host: "127.0.0.1", port } } } }] } },
      pipelines: { logs: { receivers: ["filelog"], exporters: ["debug"] } },
    },
  }));
  const t0 = performance.now();
  const child = spawn(OTELCOL, [`--config=${config}`], { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => { err = (err + d).slice(-4000); });
  try {
    let count = 0;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`otelcol exited ${child.exitCode}: ${err}`);
      if (performance.now() - t0 > timeoutMs) throw new Error(`otelcol counted ${count} of ${expected} in ${timeoutMs} ms: ${err}`);
      try { count = sumOf(await getText(`http://127.0.0.1:${port}/metrics`, 1000), "otelcol_receiver_accepted_log_records"); } catch { /* not up yet */ }
      if (count >= expected) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cpuS = cpuSecondsOf(child.pid!);
    const wallS = (performance.now() - t0) / 1000;
    const hwmMb = memoryOf(child.pid!).hwmMb;
    // A moment more, so an over-count (a filter letting more through) shows.
    await new Promise((r) => setTimeout(r, 1000));
    count = sumOf(await getText(`http://127.0.0.1:${port}/metrics`, 1000), "otelcol_receiver_accepted_log_records");
    return { count, cpuS, wallS, hwmMb };
  } finally {
    child.kill("SIGKILL");
  }
}
