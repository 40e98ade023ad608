/**
 * scan_race: a rename that lands between a poll's readdir and its stats. readdir listed only
 * `x.log`; by the time `x.log` is stat'ed it is the new file, and the renamed one (`x.1.log`) was
 * not listed: that scan shows the renamed file under neither name. It must not be taken as
 * gone (its checkpoint entry dropped, or its tracked state forgotten): the next scan finds it
 * as `x.1.log`, and reading it from 0 then counts its lines twice.
 *
 * This is what made run-sigkill-exactness fail under load: a restarted sidecar's first poll
 * raced the rename, dropped the renamed file's saved entry, wrote that checkpoint, and read the
 * whole file again at the next poll. Here the rename happens at that exact point through a
 * hook on readdir, so the tests do not depend on timing.
 */
import { appendFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DirectoryTailer } from "../../src/tail/directory-tailer.ts";
import { expected, harness, lines, type Harness } from "./helpers.ts";

/** Runs once, right after the next readdir has listed the directory (before any stat). */
let afterReaddir: (() => void) | undefined;

vi.mock("node:fs/promises", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs/promises")>();
  const readdir = (async (...args: Parameters<typeof fs.readdir>) => {
    const names = await (fs.readdir as (...a: unknown[]) => Promise<unknown>)(...args);
    const hook = afterReaddir;
    afterReaddir = undefined;
    hook?.();
    return names;
  }) as typeof fs.readdir;
  return { ...fs, default: { ...fs, readdir }, readdir };
});

const LIVE = "openclaw-2026-11-21.log";
const ROTATED = "openclaw-2026-11-21.1.log";
let h: Harness;
beforeEach(() => {
  h = harness();
  afterReaddir = undefined;
});
afterEach(async () => {
  await h.cleanup();
});

/** OpenClaw's rename rotation, done while the tailer is between its readdir and its stats. */
function rotateDuringNextScan(newLines: string): void {
  afterReaddir = () => {
    renameSync(h.path(LIVE), h.path(ROTATED));
    writeFileSync(h.path(LIVE), newLines);
  };
}

describe("a rename between readdir and stat", () => {
  it("scan_race_on_restart: the first poll keeps the renamed file's checkpoint entry; nothing is read twice", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 30));
    const first = h.tailer({ files: [] });
    expect(await h.poll(first)).toEqual(expected("a", 0, 30));
    const saved = first.snapshot(); // checkpoint: a-0..29 counted
    await first.close(); // SIGKILL
    appendFileSync(h.path(LIVE), lines("a", 30, 35)); // written while down

    const second: DirectoryTailer = h.tailer({ files: saved });
    rotateDuringNextScan(lines("b", 0, 5));
    expect(await h.poll(second)).toEqual(expected("b", 0, 5)); // ROTATED was not listed
    // The sidecar writes this checkpoint now (and may be killed right after): the renamed
    // file's entry must still be in it, at the offset of what was counted.
    const checkpoint = second.snapshot();
    expect(checkpoint.find((e) => e.fingerprint === saved[0]!.fingerprint)?.offset).toBe(saved[0]!.offset);
    // The next poll lists ROTATED and continues it from its saved offset.
    expect(await h.poll(second)).toEqual(expected("a", 30, 35));
    expect(await h.poll(second)).toEqual([]);

    // A restart from the checkpoint written after the racing poll: same result.
    const third = h.tailer({ files: checkpoint });
    expect(await h.poll(third)).toEqual(expected("a", 30, 35));
    expect(h.errors).toEqual([]);
  });

  it("scan_race_while_running: the renamed file keeps its read position", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 30));
    const t = h.tailer({ files: [] });
    expect(await h.poll(t)).toEqual(expected("a", 0, 30));
    appendFileSync(h.path(LIVE), lines("a", 30, 33)); // not yet read, then rotated
    rotateDuringNextScan(lines("b", 0, 5));
    // The open handle still reads what was appended before the rename.
    expect(await h.poll(t)).toEqual([...expected("a", 30, 33), ...expected("b", 0, 5)]);
    appendFileSync(h.path(ROTATED), lines("a", 33, 35)); // a late write to the renamed file
    expect(await h.poll(t)).toEqual(expected("a", 33, 35));
    expect(await h.poll(t)).toEqual([]);
    expect(t.snapshot().map((f) => f.path).sort()).toEqual([h.path(LIVE), h.path(ROTATED)].sort());
    expect(h.errors).toEqual([]);
  });

  it("a file really deleted is dropped once a second scan misses it too", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 10));
    writeFileSync(h.path(ROTATED), lines("r", 0, 10));
    const first = h.tailer({ files: [] });
    await h.poll(first);
    const saved = first.snapshot();
    await first.close();
    unlinkSync(h.path(ROTATED)); // deleted while down
    const second = h.tailer({ files: saved });
    expect(await h.poll(second)).toEqual([]);
    expect(second.snapshot()).toHaveLength(2); // not listed once: maybe a rename in flight
    expect(await h.poll(second)).toEqual([]);
    expect(second.snapshot().map((f) => f.path)).toEqual([h.path(LIVE)]);
  });
});
