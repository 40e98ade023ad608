/**
 * Issue 11's table: one row per figure, each a ratio to a baseline measured in the same run
 * (the machine is shared and loaded, so absolute goals would measure the neighbours), plus the
 * raw numbers behind it, a goal and PASS/MISS. Printed on stdout and written whole to
 * bench/results/latest.json (gitignored).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { machine, printTable, RESULTS_DIR } from "./report.ts";

export interface GoalRow {
  figure: string;
  /** The measured ratio (or a 1/0 flag for yes/no rows). */
  value: number;
  op: "<=" | ">=";
  target: number;
  /** How the goal reads, e.g. "<= 1.28x bare node (55 MB at 43)". */
  goal: string;
  /** The raw numbers behind the ratio, e.g. "71 MB vs 44 MB". */
  raw: string;
  /** Rendered value, when not a plain ratio (yes/no). */
  shown?: string;
}

export function pass(r: GoalRow): boolean {
  return r.op === ">=" ? r.value >= r.target : r.value <= r.target;
}

export function printGoals(rows: readonly GoalRow[]): void {
  printTable([
    ["figure", "measured", "goal", "raw (same run)", "verdict"],
    ...rows.map((r) => [r.figure, r.shown ?? `${r.value.toFixed(2)}x`, r.goal, r.raw, pass(r) ? "PASS" : "MISS"]),
  ]);
}

export function writeLatest(rows: readonly GoalRow[], extra: Record<string, unknown>): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, "latest.json");
  const body = { at: new Date().toISOString(), machine: machine(), rows: rows.map((r) => ({ ...r, verdict: pass(r) ? "PASS" : "MISS" })), ...extra };
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
