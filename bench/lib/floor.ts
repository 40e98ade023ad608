/**
 * The parsing floor of issue 11: what any replay of a gateway log must at least do. Buffered
 * reads split on "\n", every line decoded, the sidecar's prefilter (src/events/prefilter.ts)
 * on each, and JSON.parse of the candidate lines only (about 16 % of a debug log). No events,
 * no metrics. Run as a child (`node bench/lib/floor.ts FILE`) so it pays the same process
 * start as the replay it is compared with.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mayBeEvent } from "../../src/events/prefilter.ts";

export function floorScan(path: string): { lines: number; parsed: number } {
  const fd = openSync(path, "r");
  const buf = Buffer.allocUnsafe(1 << 20);
  let carry = Buffer.alloc(0);
  let lines = 0;
  let parsed = 0;
  const one = (s: string) => {
    lines++;
    if (mayBeEvent(s)) { JSON.parse(s); parsed++; }
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      let start = 0;
      let nl = buf.indexOf(10, 0);
      if (carry.length > 0 && nl !== -1 && nl < n) {
        one(Buffer.concat([carry, buf.subarray(0, nl)]).toString("utf8"));
        carry = Buffer.alloc(0);
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      while (nl !== -1 && nl < n) {
        one(buf.toString("utf8", start, nl));
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      carry = Buffer.concat([carry, buf.subarray(start, n)]);
    }
    if (carry.length > 0) one(carry.toString("utf8"));
  } finally {
    closeSync(fd);
  }
  return { lines, parsed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = floorScan(process.argv[2]!);
  process.stderr.write(`lines read: ${r.lines} (${r.parsed} parsed)\n`);
}
