/**
 * Run by plugin-disk-full.test.ts inside a mount namespace where argv[2] is a small tmpfs; the
 * companion plugin's real writer appends there while the disk fills and frees. argv[3] picks
 * the case ("torn", "whole-but-newline", or "cycles SEED COUNT" for the reliability scenario
 * plugin-disk-full). Prints one JSON object: what was pushed, the writer's stats, the files' text.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { eventToLine } from "../../plugin/event-line.js";
import { createDiagnosticsWriter } from "../../plugin/writer.js";
import { prng } from "../support/prng.ts";
import { fillDisk } from "../tail/tmpfs.ts";

const mount = process.argv[2]!;
const which = process.argv[3];
const dir = join(mount, "logs");
const filler = join(mount, "filler");
const T0 = new Date(2026, 8, 6, 12, 0, 0).getTime();
const w = createDiagnosticsWriter({ dir, maxQueue: 1_000_000, now: () => T0 + 60_000 });
const ev = (seq: number, lane = `session:agent:main:telegram:direct:${seq % 7}`) => ({ type: "queue.lane.enqueue", lane, queueSize: 1 + (seq % 5), seq, ts: T0 + seq });
const flushes: Array<{ written: number; dropped: number; torn: number }> = [];
const flush = async () => { await w.flush(); const s = w.stats(); flushes.push({ written: s.written, dropped: s.dropped, torn: s.torn }); };
let pushed = 0;
const push = (from: number, to: number) => { for (let i = from; i < to; i++) { w.push(ev(i)); pushed++; } };

if (which === "torn") {
  // 10,000 events: the first flush fills the last free page (one line cut in two), the second
  // finds no room at all (its marker fails too), the third has the space back.
  fillDisk(filler, 8);
  push(0, 5_000);
  await flush();
  push(5_000, 7_000);
  await flush();
  rmSync(filler);
  push(7_000, 10_000);
  await flush();
} else if (which === "whole-but-newline") {
  // Two lines whose text ends exactly at the one free page: only the second's "\n" is cut.
  const lineOf = (seq: number, pad: number) => eventToLine(ev(seq, "x".repeat(pad)))!;
  const base = lineOf(0, 0).length;
  const a = ev(0, "x".repeat(2000));
  const aLen = lineOf(0, 2000).length;
  const b = ev(1, "y".repeat(4096 - aLen - 1 - base));
  fillDisk(filler, 4);
  w.push(a); w.push(b); pushed = 2;
  await flush();
  rmSync(filler);
  push(2, 3);
  await flush();
} else if (which === "cycles") {
  // Seeded: chunks of events, short and long lines, across local midnight, while the disk is
  // filled (leaving 0-12 KiB) and freed again at random; everything is freed for the last flush.
  const rand = prng(Number(process.argv[4]));
  const count = Number(process.argv[5]);
  const start = new Date(2026, 8, 6, 23, 59, 0).getTime();
  let full = false;
  while (pushed < count) {
    if (!full && rand() < 0.35) { fillDisk(filler, Math.floor(rand() * 13)); full = true; }
    else if (full && rand() < 0.5) { rmSync(filler); full = false; }
    const n = Math.min(count - pushed, 100 + Math.floor(rand() * 700));
    for (let i = 0; i < n; i++) {
      const seq = pushed;
      const lane = rand() < 0.8 ? `session:agent:main:telegram:direct:${seq % 7}` : "L".repeat(400 + Math.floor(rand() * 1800));
      w.push({ ...ev(seq, lane), ts: start + Math.floor((seq * 120_000) / count) });
      pushed++;
    }
    await flush();
  }
  if (full) rmSync(filler);
  await flush();
}
const files: Record<string, string> = {};
for (const name of readdirSync(dir)) files[name] = readFileSync(join(dir, name), "utf8");
process.stdout.write(JSON.stringify({ pushed, stats: w.stats(), flushes, files }));
