/**
 * Run by plugin-disk-full.test.ts inside a mount namespace where argv[2] is a small tmpfs; the
 * companion plugin's real writer appends there while the disk fills and frees. argv[3] picks
 * the case. Prints one JSON object: what was pushed, the writer's stats, the files' text.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { eventToLine } from "../../plugin/event-line.js";
import { createDiagnosticsWriter } from "../../plugin/writer.js";
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
}
const files: Record<string, string> = {};
for (const name of readdirSync(dir)) files[name] = readFileSync(join(dir, name), "utf8");
process.stdout.write(JSON.stringify({ pushed, stats: w.stats(), flushes, files }));
