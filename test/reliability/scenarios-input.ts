/**
 * What a log can contain: 100k hostile lines (garbage bytes, invalid UTF-8, deep JSON, wrong
 * types, prototype keys, huge numbers, NULs, lines over the 1 MiB limit) with real lines
 * around them, which must be counted exactly; 100k distinct sessions/profiles/models/lanes,
 * whose cost must stay flat against one distinct value; far-future and far-past timestamps.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkpointTotals, diagLine, measured, measuredRun, replayUsage, sameSamples, stop, tempDir, truthSamples, started, type Ctx, type Row } from "./lib.ts";

const HUGE = 2 * 1024 * 1024;

function hostile(ctx: Ctx, i: number): Buffer {
  const r = ctx.rand;
  const ts = Date.now() - 3_600_000;
  // The big kinds (deep JSON, a 10 KB type) once per 600 lines: enough to prove the point
  // without making the input hundreds of MB.
  const big = [2, 3, 9][i % 600] ?? -1;
  const cheap = [0, 1, 4, 5, 6, 7, 8, 10, 11][i % 9]!;
  switch (big >= 0 ? big : cheap) {
    case 0: return Buffer.from(Array.from({ length: 1 + Math.floor(r() * 300) }, () => 32 + Math.floor(r() * 95)));
    case 1: return Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0xf0, 0x9f]);
    case 2: return Buffer.from(`${"[".repeat(5000)}${"]".repeat(5000)}`);
    case 3: return Buffer.from(`${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`);
    case 4: return Buffer.from(JSON.stringify({ type: "model.usage", usage: "lots", ts: "yesterday", seq: "x" }));
    case 5: return Buffer.from('{"type":"__proto__","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"ts":1}');
    case 6: return Buffer.from(`{"type":"queue.lane.enqueue","lane":"l","queueSize":1e999,"ts":${ts},"seq":1}`);
    case 7: return Buffer.from(`{"0":"{\\"subsystem\\":\\"gateway\\"}","1":"x\u0000y","_meta":{"date":"not a date"}}`);
    case 8: return Buffer.from(`a\u0000b\rc\u001b[31m\u2028\u2029${"\u{1F600}".repeat(50)}`);
    case 9: return Buffer.from(`{"type":"${"t".repeat(10_000)}","ts":${ts}}`);
    case 10: return Buffer.from(JSON.stringify({ type: "model.usage", provider: "p".repeat(500), model: "../../etc/passwd", ts: "NaN" }));
    default: return Buffer.from("");
  }
}

export async function hostileScenario(ctx: Ctx): Promise<Row> {
  const total = 100_000;
  const logs = tempDir(ctx, "hostile-logs");
  const state = tempDir(ctx, "hostile-state");
  const parts: Buffer[] = [];
  const truth: string[] = [];
  let real = 0;
  for (let i = 0; i < total; i++) {
    let line: Buffer;
    if (i % 50 === 0) line = Buffer.from(diagLine(real++));
    else if (i === 777 || i === 55_555) line = Buffer.alloc(HUGE + i, 0x61); // over the limit: line_too_long
    else line = hostile(ctx, i);
    parts.push(line, Buffer.from("\n"));
    truth.push(line.length > 1024 * 1024 ? "" : line.toString("utf8"));
  }
  const file = join(logs, "diagnostics-2026-11-21.jsonl");
  writeFileSync(file, Buffer.concat(parts));
  const { child, out } = measuredRun(ctx, ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "50"]);
  await started(child, child.ready);
  const code = await stop(child);
  const got = checkpointTotals(state);
  const exact = got !== undefined && got.lines === total && sameSamples(got.samples, truthSamples(truth));
  return {
    scenario: "100k hostile lines (+2k real)", trials: 1,
    expected: `${total} lines, real ones exact, exit 0`, observed: `${got?.lines ?? "no checkpoint"} lines${exact ? ", exact" : ", NOT exact"}, exit ${code}`,
    pass: exact && code === 0, usage: measured(out), baseline: replayUsage(ctx, [file]), bound: { rss: 2, cpu: 3 },
  };
}

/** Replay of `n` lines whose sessions, profiles (agent ids), providers, models and lanes are all distinct, vs all one value. */
export async function distinctScenario(ctx: Ctx): Promise<Row> {
  const n = 100_000;
  const dir = tempDir(ctx, "distinct");
  const distinct = join(dir, "diagnostics-2026-11-21.jsonl");
  const flat = join(dir, "diagnostics-2026-11-22.jsonl");
  writeFileSync(distinct, Array.from({ length: n }, (_, i) => `${diagLine(i, `k${i}`)}\n`).join(""));
  writeFileSync(flat, Array.from({ length: n }, (_, i) => `${diagLine(i, "main")}\n`).join(""));
  const usage = replayUsage(ctx, [distinct]);
  const baseline = replayUsage(ctx, [flat]);
  return {
    scenario: "100k distinct sessions/models/lanes", trials: 1,
    expected: "cost flat vs 1 distinct value", observed: `RSS ${Math.round(usage.rssKiB / 1024)} vs ${Math.round(baseline.rssKiB / 1024)} MB`,
    pass: true, usage, baseline, bound: { rss: 2, cpu: 2.5 },
  };
}

export async function timestampScenario(ctx: Ctx): Promise<Row> {
  const logs = tempDir(ctx, "ts-logs");
  const state = tempDir(ctx, "ts-state");
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    lines.push(diagLine(i));
    if (i === 100) lines.push(diagLine(i).replace(/"ts":\d+/, `"ts":${Date.UTC(3000, 0, 1)}`)); // year 3000
    if (i === 200) lines.push(diagLine(i).replace(/"ts":\d+/, '"ts":1000')); // 1970
  }
  const file = join(logs, "diagnostics-2026-11-21.jsonl");
  writeFileSync(file, lines.map((l) => `${l}\n`).join(""));
  const { child, out } = measuredRun(ctx, ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "off", "--poll-interval", "50"]);
  await started(child, child.ready);
  const code = await stop(child);
  const got = checkpointTotals(state);
  const exact = got !== undefined && got.lines === lines.length && sameSamples(got.samples, truthSamples(lines));
  return {
    scenario: "far-future + far-past timestamp", trials: 1,
    expected: `${lines.length} lines, counters as one in-memory pass`, observed: `${got?.lines ?? "none"} lines${exact ? ", exact" : ", NOT exact"}, exit ${code}`,
    pass: exact && code === 0, usage: measured(out), baseline: replayUsage(ctx, [file]), bound: { rss: 2.5, cpu: 6 },
  };
}
