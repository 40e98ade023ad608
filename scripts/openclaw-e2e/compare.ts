// Compares the sidecar's figures for a captured live run with the ground truth: the fake
// provider's record (what really answered 200 and with how many tokens), the CLI's turn
// outcomes (which turns failed), and plain counts over the raw files made here without the
// sidecar's parser. Replays every captured file (gateway log with its debug echoes AND the
// plugin's JSONL) in one run, so a figure only matches when nothing is counted twice.
//
// Usage: node scripts/openclaw-e2e/compare.ts --dir <captured dir> [--cli dist/src/cli.js]
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type { RecordEntry } from "./fake-provider.ts";
import type { TurnOutcome } from "./gateway.ts";

const { values: args } = parseArgs({ options: { dir: { type: "string" }, cli: { type: "string" } } });
if (!args.dir) throw new Error("need --dir");
const dir = path.resolve(args.dir);
const cli = path.resolve(args.cli ?? "dist/src/cli.js");

type Labels = Record<string, string>;
interface Sample { name: string; labels: Labels; value: number }

export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Labels = {};
    for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] ?? ""] = l[2] ?? "";
    out.push({ name: m[1] ?? "", labels, value: Number(m[4]) });
  }
  return out;
}

const sum = (samples: Sample[], name: string, filter: Labels = {}) =>
  samples.filter((s) => s.name === name && Object.entries(filter).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

function byLabel(samples: Sample[], name: string, label: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of samples) if (s.name === name) m.set(s.labels[label] ?? "", (m.get(s.labels[label] ?? "") ?? 0) + s.value);
  return m;
}

const files = (await readdir(dir)).sort();
const logFiles = files.filter((f) => /^openclaw(-[a-z0-9-]+)?-\d{4}-\d{2}-\d{2}(\.\d+)?\.log$/.test(f));
const jsonlFiles = files.filter((f) => /^diagnostics(-[a-z0-9-]+)?-\d{4}-\d{2}-\d{2}\.jsonl$/.test(f));
const record = JSON.parse(await readFile(path.join(dir, "provider-record.json"), "utf8")) as RecordEntry[];
const turns = JSON.parse(await readFile(path.join(dir, "turns.json"), "utf8")) as TurnOutcome[];

// ---- Ground truth and plain counts over the raw files ----
const ok200 = record.filter((r) => r.status === 200);
const events: Record<string, unknown>[] = [];
for (const f of jsonlFiles) {
  for (const l of (await readFile(path.join(dir, f), "utf8")).split("\n")) if (l.trim()) events.push(JSON.parse(l) as Record<string, unknown>);
}
const countType = (t: string) => events.filter((e) => e.type === t).length;
const failoverReasons = new Map<string, number>();
for (const e of events) if (e.type === "model.failover") failoverReasons.set(String(e.reason), (failoverReasons.get(String(e.reason)) ?? 0) + 1);
let windowsOpened = 0;
let echoLines = 0;
for (const f of logFiles) {
  for (const l of (await readFile(path.join(dir, f), "utf8")).split("\n")) {
    if (l.includes('"auth_profile_failure_state_updated"')) {
      const o = JSON.parse(l) as Record<string, unknown>;
      const meta = Object.values(o).find((v) => typeof v === "object" && v !== null && (v as { event?: unknown }).event === "auth_profile_failure_state_updated") as { windowReused?: boolean } | undefined;
      if (meta && meta.windowReused !== true) windowsOpened++;
    }
    if (/"lane (en|de)queue: lane=/.test(l)) echoLines++;
  }
}

interface Row { figure: string; expected: number | string; observed: number | string; ok: boolean }
const rows: Row[] = [];
const eq = (figure: string, expected: number, observed: number) => rows.push({ figure, expected, observed, ok: expected === observed });
const info = (figure: string, value: number | string) => rows.push({ figure, expected: value, observed: "", ok: true });

info("provider requests (all)", record.length);
info("provider 200s / 429 / 401 / 403 / 402 / 5xx / hang", [200, 429, 401, 403, 402].map((s) => record.filter((r) => r.status === s).length).join(" / ") +
  ` / ${record.filter((r) => r.status >= 500).length} / ${record.filter((r) => r.status === -1).length}`);
info("turns ok / failed", `${turns.filter((t) => t.ok).length} / ${turns.filter((t) => !t.ok).length}`);
// The plugin itself: one model.call.completed per 200, one model.usage per successful turn.
eq("plugin: model.call.completed events vs provider 200s", ok200.length, countType("model.call.completed"));
eq("plugin: model.usage events vs turns ok", turns.filter((t) => t.ok).length, countType("model.usage"));

if (!existsSync(cli)) {
  for (const r of rows) process.stdout.write(`${r.figure}: ${r.expected}\n`);
  process.stderr.write(`compare: ${cli} not found (run npm run build); sidecar figures not compared\n`);
  process.exit(2);
}

// ---- The sidecar's view ----
const prom = await new Promise<string>((resolve, reject) => {
  execFile(process.execPath, [cli, "replay", "--format", "prometheus", ...[...logFiles, ...jsonlFiles].map((f) => path.join(dir, f))],
    { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
});
const samples = parsePrometheus(prom);

eq("tokens input (sidecar) vs provider prompt_tokens", ok200.reduce((a, r) => a + r.promptTokens, 0), sum(samples, "openclaw_tokens_total", { openclaw_token: "input" }));
eq("tokens output (sidecar) vs provider completion_tokens", ok200.reduce((a, r) => a + r.completionTokens, 0), sum(samples, "openclaw_tokens_total", { openclaw_token: "output" }));
const observedReasons = byLabel(samples, "openclaw_model_failover_total", "openclaw_failover_reason");
for (const reason of new Set([...failoverReasons.keys(), ...observedReasons.keys()])) {
  eq(`failovers reason=${reason} (JSONL model.failover)`, failoverReasons.get(reason) ?? 0, observedReasons.get(reason) ?? 0);
}
eq("cooldown/disabled windows opened (log, not reused)", windowsOpened, sum(samples, "openclaw_auth_window_opened_total"));
eq("all models failed vs failed turns (CLI)", turns.filter((t) => !t.ok).length, sum(samples, "openclaw_model_all_failed_total"));
eq("queue.lane.enqueue (JSONL)", countType("queue.lane.enqueue"), sum(samples, "openclaw_queue_lane_enqueue_total"));
eq("queue.lane.dequeue (JSONL)", countType("queue.lane.dequeue"), sum(samples, "openclaw_queue_lane_dequeue_total"));
const dup = sum(samples, "openclaw_sidecar_events_duplicate_total");
rows.push({ figure: `duplicates dropped (log has ${echoLines} lane echo lines)`, expected: "> 0", observed: dup, ok: echoLines === 0 || dup > 0 });

let failed = 0;
const w = Math.max(...rows.map((r) => r.figure.length));
process.stdout.write(`${"figure".padEnd(w)}  expected  observed\n`);
for (const r of rows) {
  if (!r.ok) failed++;
  process.stdout.write(`${r.figure.padEnd(w)}  ${String(r.expected).padStart(8)}  ${String(r.observed).padStart(8)}${r.ok ? "" : "  MISMATCH"}\n`);
}
process.stdout.write(failed === 0 ? "compare: all figures match\n" : `compare: ${failed} mismatch(es)\n`);
process.exit(failed === 0 ? 0 : 1);
