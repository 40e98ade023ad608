/**
 * When the files end: the time of the last line that carries one, read from each file's tail.
 * Events are few in a default-level log and the lines after the last of them (a turn answered
 * with no line a parser counts, the gateway stopping) still show the gateway was there then:
 * `report`'s verdict is for the end of the files, not for their last event.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { lineTime } from "../line/line-time.ts";

/** How much of a file's end is read to find its last timed line. */
const TAIL_BYTES = 64 * 1024;

/** The time of the last timed line in `path`'s final TAIL_BYTES, or undefined. */
export function fileEndTime(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString("utf8").split("\n");
    // The first piece may be cut mid-line; JSON.parse refuses it.
    for (let i = lines.length - 1; i >= 0; i--) {
      const t = lines[i]!.trim() === "" ? undefined : lineTime(lines[i]!);
      if (t !== undefined) return t;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
