/**
 * Which shipped alerts fire, and when, over a replayed capture (capture-replay.ts), as the real
 * promtool evaluates them. promtool only compares against expectations, so every alert is
 * expected silent at every evaluation and the "got" side of each mismatch it prints is read
 * back: the real rule engine decides what fires, this file only collects it.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { at, loadRules, readText, run, stackBin } from "./stack-helpers.ts";
import { type CaptureSeries, STEP_S } from "./capture-replay.ts";

/** Seconds between evaluations we look at (the shipped evaluation_interval is 15 s). */
export const EVAL_S = 30;

export interface Firing {
  alert: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Seconds from the first sample: first and last evaluation it was firing at. */
  from: number;
  to: number;
}

function groupOrder(): string[] {
  const names: string[] = [];
  for (const file of readdirSync(at("prometheus", "rules")).filter((f) => f.endsWith(".yml")).sort()) {
    const doc = parseYaml(readText("prometheus", "rules", file)) as { groups: Array<{ name: string; rules: Array<{ record?: string }> }> };
    for (const g of doc.groups) names.push(g.name);
  }
  // Recording groups first (increases before everything that reads them), then the rest.
  const recording = (n: string) => /increases|knobs|recording/.test(n);
  return [...names.filter((n) => n.includes("increases")), ...names.filter((n) => recording(n) && !n.includes("increases")), ...names.filter((n) => !recording(n))];
}

/** Parses one `got:[ ... ]` block of promtool's failure output. */
function parseGot(block: string): Array<{ labels: Record<string, string>; annotations: Record<string, string> }> {
  const out: Array<{ labels: Record<string, string>; annotations: Record<string, string> }> = [];
  const re = /Labels:\{(.*?)\}\s*\n\s*Annotations:\{(.*?)\},?\n/gs;
  const pairs = (s: string) => Object.fromEntries([...s.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, JSON.parse(`"${m[2]!}"`) as string]));
  for (const m of block.matchAll(re)) out.push({ labels: pairs(m[1]!), annotations: pairs(m[2]!) });
  return out;
}

/** Every alert that fired over the replay, with its firing interval. */
export function firingOver(series: CaptureSeries): Firing[] {
  const alerts = [...new Set(loadRules().flatMap((r) => (r.alert !== undefined && r.alert !== "OpenClawWatchdog" ? [r.alert] : [])))];
  const evals: number[] = [];
  for (let s = EVAL_S; s <= (series.steps - 1) * STEP_S; s += EVAL_S) evals.push(s);
  const test = {
    rule_files: readdirSync(at("prometheus", "rules")).filter((f) => f.endsWith(".yml")).sort().map((f) => at("prometheus", "rules", f)),
    evaluation_interval: `${STEP_S}s`,
    group_eval_order: groupOrder(),
    tests: [{
      // Gauges hold Unix seconds (last failure, cooldown ends): time() must be the capture's.
      start_timestamp: Math.floor(series.t0 / 1000),
      interval: `${STEP_S}s`,
      input_series: series.input,
      alert_rule_test: evals.flatMap((s) => alerts.map((alertname) => ({ eval_time: `${s}s`, alertname, exp_alerts: [] }))),
    }],
  };
  const dir = mkdtempSync(join(tmpdir(), "openclaw-capture-alerts-"));
  try {
    writeFileSync(join(dir, "capture.test.yml"), toYaml(test, { lineWidth: 0 }));
    const r = run(stackBin("promtool"), ["test", "rules", join(dir, "capture.test.yml")], { timeoutMs: 110_000 });
    const text = r.stdout + r.stderr;
    if (r.code === 0) return [];
    const open = new Map<string, Firing>();
    const done: Firing[] = [];
    const byTime = new Map<number, Array<{ alert: string; labels: Record<string, string>; annotations: Record<string, string> }>>();
    const head = /alertname: (\w+), time: ([\dhms.]+),\s*\n\s*exp:\[\],?\s*\n\s*got:\[(.*?)\n\s*\]/gs;
    let parsed = 0;
    for (const m of text.matchAll(head)) {
      parsed++;
      const t = seconds(m[2]!);
      const list = byTime.get(t) ?? [];
      for (const g of parseGot(m[3]! + "\n")) list.push({ alert: m[1]!, ...g });
      byTime.set(t, list);
    }
    if (parsed === 0) throw new Error(`promtool failed without alert mismatches:\n${text.slice(0, 2000)}`);
    for (const s of evals) {
      const now = new Set<string>();
      for (const a of byTime.get(s) ?? []) {
        const key = `${a.alert}${JSON.stringify(a.labels)}`;
        now.add(key);
        const f = open.get(key);
        if (f) { f.to = s; f.annotations = a.annotations; } else open.set(key, { ...a, from: s, to: s });
      }
      for (const [key, f] of open) if (!now.has(key)) { done.push(f); open.delete(key); }
    }
    return [...done, ...open.values()].sort((a, b) => a.from - b.from);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** promtool's durations (`1m30s`, `45s`, `1h2m`) in seconds. */
function seconds(d: string): number {
  let s = 0;
  for (const m of d.matchAll(/([\d.]+)(h|m|s)/g)) s += Number(m[1]) * (m[2] === "h" ? 3600 : m[2] === "m" ? 60 : 1);
  return s;
}
