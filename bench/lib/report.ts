/**
 * What every bench prints and keeps: medians and percentiles, an aligned text table, and one
 * JSON line per run appended to bench/results/<bench>.jsonl (gitignored), so figures from
 * different days and machines can be compared without re-reading terminal output.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in 0..100) of a non-empty sample. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const fmtInt = (n: number): string => Math.round(n).toLocaleString("en");
export const fmtRatio = (n: number): string => `${n.toFixed(2)}x`;

/** Prints rows as a table, first row the header; numbers right-aligned, text left-aligned. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => { widths[i] = Math.max(widths[i] ?? 0, c.length); });
  const numeric = (c: string) => /^[-+]?[\d,.]+( ?[a-zA-Z%/]*)?$/.test(c);
  rows.forEach((r, ri) => {
    console.log(r.map((c, i) => (ri > 0 && numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd());
    if (ri === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  });
}

/** "PASS"/"MISS" plus the margin, for a goal `value <op> target`. */
export function verdict(value: number, op: "<=" | ">=", target: number): string {
  const ok = op === ">=" ? value >= target : value <= target;
  if (ok) return "PASS";
  const by = op === ">=" ? (target - value) / target : (value - target) / target;
  return `MISS by ${(100 * by).toFixed(0)}%`;
}

export function machine(): Record<string, unknown> {
  return { host: os.hostname(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", node: process.version, memTotalMb: Math.round(os.totalmem() / 2 ** 20) };
}

/** Appends one JSON line {bench, at, machine, ...figures} to bench/results/<bench>.jsonl. */
export function appendResult(bench: string, figures: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${bench}.jsonl`);
  appendFileSync(file, `${JSON.stringify({ bench, at: new Date().toISOString(), machine: machine(), ...figures })}\n`);
  return file;
}
