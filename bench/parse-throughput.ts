/**
 * Parse-stage throughput: generates a realistic 300k-line debug-level gateway log (mostly
 * chatter, some events; bench/lib/debug-log.ts) in a temp dir, then in the same run times
 *   (a) readline + JSON.parse per line (the baseline of bench/README.md's throughput goal), and
 *   (b) readline + parseLine,
 * and prints lines/s for both and the ratio b/a (target >= 0.8).
 * Run: node bench/parse-throughput.ts [lines]
 */
import { createReadStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseLine } from "../src/events/parse-line.ts";
import { writeDebugLog } from "./lib/debug-log.ts";

const LINES = Number(process.argv[2] ?? 300_000);
const ROUNDS = 5;

async function timeBaseline(path: string): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  let n = 0;
  let keys = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    keys += Object.keys(JSON.parse(line) as object).length > 0 ? 1 : 0;
    n++;
  }
  if (keys < 0) console.log(keys);
  return [n, Number(process.hrtime.bigint() - t0) / 1e9];
}

async function timeParse(path: string): Promise<[number, number, number]> {
  const t0 = process.hrtime.bigint();
  let n = 0;
  let events = 0;
  let offset = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const r = parseLine({ source: "log", profile: "", path, offset, line });
    offset += line.length + 1;
    if (r.kind === "events") events += r.events.length;
    n++;
  }
  return [n, Number(process.hrtime.bigint() - t0) / 1e9, events];
}

const dir = mkdtempSync(join(tmpdir(), "parse-bench-"));
const file = join(dir, "openclaw-2026-11-21.log");
try {
  writeDebugLog(file, LINES);
  const base: number[] = [];
  const ours: number[] = [];
  let events = 0;
  await timeBaseline(file); // warm-up of both paths
  await timeParse(file);
  for (let r = 0; r < ROUNDS; r++) {
    const [n1, s1] = await timeBaseline(file);
    const [n2, s2, ev] = await timeParse(file);
    base.push(n1 / s1);
    ours.push(n2 / s2);
    events = ev;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = median(base);
  const b = median(ours);
  console.log(`lines: ${LINES}, events: ${events} (${((100 * events) / LINES).toFixed(1)}% of lines), rounds: ${ROUNDS} (median)`);
  console.log(`(a) readline + JSON.parse: ${Math.round(a).toLocaleString("en")} lines/s`);
  console.log(`(b) readline + parseLine:  ${Math.round(b).toLocaleString("en")} lines/s`);
  console.log(`ratio b/a: ${(b / a).toFixed(2)} (target >= 0.80)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
