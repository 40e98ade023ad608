/**
 * parked_empty_file_reused: a parked file whose content was empty (copy-truncated to 0, then
 * idle) has no head bytes to be recognised by. Its inode may be freed (pruned) and reused by a
 * new file, e.g. the copy of a copy-truncate; from the tailer's side that is the same inode
 * receiving other content. Taking it as the same file read the copy from 0: the lines of the
 * original it copies were handed on twice (`exactly_once_with_parked_files`, seed 72 of
 * TAIL_SEEDS=150). A parked file with no head that has content now is placed like a new file:
 * a copy continues at the original's offset, anything else starts at 0.
 *
 * Inode reuse cannot be forced in a test, so the reused inode is played by writing the copy
 * into the empty file itself: the tailer sees the same thing (same inode, new content).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expected, harness, lines, type Harness } from "./helpers.ts";

const ORIGINAL = "openclaw-2026-11-15.log";
const EMPTY = "openclaw-2026-11-13.log";
let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe("a parked file without head bytes", () => {
  it("parked_empty_file_reused: a copy in its inode continues at the original's offset", async () => {
    writeFileSync(h.path(EMPTY), "");
    writeFileSync(h.path(ORIGINAL), lines("a", 0, 30));
    const t = h.tailer({ files: [], maxOpenFiles: 1 }); // EMPTY is parked by ORIGINAL's read
    expect(await h.poll(t)).toEqual(expected("a", 0, 30));
    writeFileSync(h.path(EMPTY), readFileSync(h.path(ORIGINAL))); // the copy, in that inode
    appendFileSync(h.path(EMPTY), lines("a", 30, 32)); // written to the copy afterwards
    expect(await h.poll(t)).toEqual(expected("a", 30, 32));
    expect(await h.poll(t)).toEqual([]);
    expect(h.errors).toEqual([]);
  });

  it("a parked empty file that gets its own lines is read from 0", async () => {
    writeFileSync(h.path(EMPTY), "");
    writeFileSync(h.path(ORIGINAL), lines("a", 0, 30));
    const t = h.tailer({ files: [], maxOpenFiles: 1 });
    expect(await h.poll(t)).toEqual(expected("a", 0, 30));
    appendFileSync(h.path(EMPTY), lines("e", 0, 3));
    expect(await h.poll(t)).toEqual(expected("e", 0, 3));
    expect(await h.poll(t)).toEqual([]);
  });
});
