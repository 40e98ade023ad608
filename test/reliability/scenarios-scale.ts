/**
 * Scale and neighbours: 2,000 log files under `ulimit -n 1024`; a collector that refuses
 * (503) and then accepts; and the slot for part B's secret-shape check.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startOtlpReceiver } from "../support/otlp-receiver.ts";
import { checkpointLinesRead, lowUlimit, uniqueLine, waitFor, writeManyFiles } from "../sidecar/helpers.ts";
import { cannotRun, diagLine, measured, measuredRun, replayUsage, stop, tempDir, started, type Ctx, type Row } from "./lib.ts";

export async function manyFilesScenario(ctx: Ctx): Promise<Row> {
  const logs = tempDir(ctx, "many-logs");
  const state = tempDir(ctx, "many-state");
  const { names, written: initial } = writeManyFiles(logs);
  let written = initial;
  const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "100", "--checkpoint-interval", "100"];
  const { child, out } = measuredRun(ctx, args, {}, lowUlimit(1024));
  const url = await started(child, child.url);
  await started(child, child.ready);
  // Appends to a random seventh of the files: parked files are reopened and continued.
  for (const n of names) {
    if (ctx.rand() >= 1 / 7) continue;
    appendFileSync(join(logs, n), `${uniqueLine(n, 2)}\n`);
    written++;
  }
  const counted = await waitFor(() => checkpointLinesRead(state) === written, 60_000);
  const health = (await fetch(`${url}/healthz`)).status;
  const metrics = (await fetch(`${url}/metrics`)).status;
  const emfile = /EMFILE|ENFILE/.test(child.stderr());
  const code = await stop(child);
  return {
    scenario: "2,000 files, ulimit -n 1024", trials: 1,
    expected: `${written} lines, /healthz+/metrics 200, no EMFILE`, observed: `${checkpointLinesRead(state)} lines, ${health}+${metrics}, ${emfile ? "EMFILE" : "no EMFILE"}, exit ${code}`,
    pass: counted && health === 200 && metrics === 200 && !emfile && code === 0,
    usage: measured(out), baseline: replayUsage(ctx, readdirSync(logs).map((n) => join(logs, n))), bound: { rss: 2.5, cpu: 8 },
  };
}

/** The newest value of lines.read for the diagnostics source that reached the receiver. */
function receivedLinesRead(metrics: Awaited<ReturnType<typeof startOtlpReceiver>>["metrics"]): number {
  let value = 0;
  for (const m of metrics) {
    if (m.name !== "openclaw.sidecar.lines.read") continue;
    for (const p of m.points) if (p.attributes["openclaw.source"] === "diagnostics") value = p.value ?? value;
  }
  return value;
}

export async function collectorOutageScenario(ctx: Ctx): Promise<Row> {
  const logs = tempDir(ctx, "otlp-logs");
  const state = tempDir(ctx, "otlp-state");
  const file = join(logs, "diagnostics-2026-11-21.jsonl");
  const receiver = await startOtlpReceiver();
  receiver.failNext(4, 503); // down: refuses the first exports (metrics and traces)
  let written = 0;
  const write = (n: number) => { for (let k = 0; k < n; k++) appendFileSync(file, `${diagLine(written++)}\n`); };
  write(100);
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: "1000" };
  const { child, out } = measuredRun(ctx, ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "50"], env);
  try {
    await started(child, child.ready);
    const refused = await waitFor(() => receiver.requests.length >= 4, 30_000);
    write(100); // written while the collector is down
    const complete = await waitFor(() => receivedLinesRead(receiver.metrics) === written, 30_000);
    const code = await stop(child);
    return {
      scenario: "collector refuses (503 x4), then accepts", trials: 1,
      expected: `${written} lines in the last export after recovery`, observed: `${receivedLinesRead(receiver.metrics)} lines${refused ? "" : " (never refused?)"}, exit ${code}`,
      pass: refused && complete && code === 0, usage: measured(out), baseline: replayUsage(ctx, [file]), bound: { rss: 3, cpu: 8 },
    };
  } finally {
    child.proc.kill("SIGKILL");
    await receiver.close();
  }
}

/**
 * Slot for part B (secret shapes in every place a line can carry text). When
 * test/reliability/secrets.ts exists it is run as `node secrets.ts --seed N [--quick]`; it
 * passes by exiting 0 and may print, as its last stdout line, a JSON object
 * {"trials": n, "expected": "...", "observed": "..."} for the table.
 */
export async function secretsScenario(ctx: Ctx): Promise<Row> {
  const script = join(import.meta.dirname, "secrets.ts");
  if (!existsSync(script)) return cannotRun("secrets (part B)", "secrets.ts", "not present");
  const args = [script, "--seed", String(ctx.seed), ...(ctx.quick ? ["--quick"] : [])];
  const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 600_000 });
  let info: { trials?: number; expected?: string; observed?: string } = {};
  try { info = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "{}"); } catch { /* free-form output */ }
  return {
    scenario: "secrets (part B)", trials: info.trials ?? 1, expected: info.expected ?? "exit 0", observed: info.observed ?? `exit ${r.status}`, pass: r.status === 0,
  };
}
