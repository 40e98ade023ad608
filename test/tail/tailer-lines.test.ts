/**
 * Scenario tests for what a line is and where the tailer starts: partial lines, CRLF, empty
 * and too-long lines, unreadable files, first start at the end or from the beginning.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classifyFileName } from "../../src/tail/file-names.ts";
import { SYMLINK_SKIPPED } from "../../src/tail/scan-directory.ts";
import { TrackedFile } from "../../src/tail/tracked-file.ts";
import { expected, harness, lines, type Harness } from "./helpers.ts";

const LIVE = "openclaw-2026-11-21.log";
let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe("tailer line scenarios", () => {
  it("partial_line", async () => {
    writeFileSync(h.path(LIVE), "");
    const t = h.tailer({ files: [] });
    await h.poll(t);
    appendFileSync(h.path(LIVE), '{"a":1}\n{"b":');
    expect(await h.poll(t)).toEqual(['{"a":1}']);
    expect(t.snapshot()[0]?.offset).toBe(8);
    expect(t.stats().unreadBytes).toEqual([{ file: LIVE, bytes: 5 }]);
    expect(await h.poll(t)).toEqual([]); // still waiting for its "\n"
    appendFileSync(h.path(LIVE), "2}\n");
    expect(await h.poll(t)).toEqual(['{"b":2}']);
    expect(h.records.map((r) => r.offset)).toEqual([0, 8]);
    expect(t.snapshot()[0]?.offset).toBe(16);
  });

  it("crlf", async () => {
    writeFileSync(h.path(LIVE), "one\r\ntwo\r");
    const t = h.tailer({ files: [] });
    expect(await h.poll(t)).toEqual(["one"]);
    appendFileSync(h.path(LIVE), "\nthree\r\n");
    expect(await h.poll(t)).toEqual(["two", "three"]);
  });

  it("empty_lines", async () => {
    writeFileSync(h.path(LIVE), "\n\na\n\n");
    const t = h.tailer({ files: [] });
    expect(await h.poll(t)).toEqual(["", "", "a", ""]);
    expect(h.records.map((r) => r.offset)).toEqual([0, 1, 2, 4]);
  });

  it("line_too_long", async () => {
    writeFileSync(h.path(LIVE), "");
    const t = h.tailer({ files: [], maxLineBytes: 100 });
    await h.poll(t);
    appendFileSync(h.path(LIVE), `ok\n${"x".repeat(150)}`);
    expect(await h.poll(t)).toEqual(["ok"]);
    appendFileSync(h.path(LIVE), `${"x".repeat(150)}`);
    expect(await h.poll(t)).toEqual([]); // not buffered, not handed on before its "\n"
    appendFileSync(h.path(LIVE), "xx\nafter\n");
    expect(await h.poll(t)).toEqual(["", "after"]);
    expect(h.records.filter((r) => r.error === "line_too_long").map((r) => r.offset)).toEqual([3]);
    expect(t.snapshot()[0]?.offset).toBe(3 + 302 + 1 + 6);
  });

  it("line_too_long across a restart: the checkpoint keeps how far its bytes were dropped, and it is handed on once", async () => {
    writeFileSync(h.path(LIVE), `ok\n${"\0".repeat(5000)}`); // a file of zeros has no "\n"
    const first = h.tailer({ files: [], maxLineBytes: 100, maxBytesPerPoll: 2000 });
    expect(await h.poll(first)).toEqual(["ok"]);
    const [cp] = first.snapshot();
    expect(cp).toMatchObject({ offset: 2000, discard: true }); // not 3: a restart goes on from here
    expect(first.stats().unreadBytes).toEqual([{ file: LIVE, bytes: 5003 - 2000 }]);
    const second = h.tailer({ files: first.snapshot(), maxLineBytes: 100, maxBytesPerPoll: 2000 });
    expect(await h.poll(second)).toEqual([]);
    expect(second.snapshot()[0]).toMatchObject({ offset: 4000, discard: true });
    appendFileSync(h.path(LIVE), "\nafter\n");
    const third = h.tailer({ files: second.snapshot(), maxLineBytes: 100 });
    expect(await h.poll(third)).toEqual(["", "after"]);
    expect(h.records.filter((r) => r.error === "line_too_long")).toHaveLength(1);
    expect(third.snapshot()[0]).toEqual(expect.objectContaining({ offset: 5003 + 7 }));
    expect(third.snapshot()[0]?.discard).toBeUndefined();
  });

  it("unreadable_file", async () => {
    writeFileSync(h.path(LIVE), "");
    mkdirSync(h.path("openclaw-2026-11-20.log")); // a directory named like a log
    execFileSync("mkfifo", [h.path("openclaw-2026-11-19.log")]); // opening it would block
    symlinkSync(h.path("gone-target"), h.path("diagnostics-2026-11-21.jsonl")); // dangling
    symlinkSync(h.path("openclaw-2026-11-18.log"), h.path("openclaw-2026-11-18.log")); // ELOOP
    const t = h.tailer({ files: [] });
    await h.poll(t);
    appendFileSync(h.path(LIVE), "fine\n");
    expect(await h.poll(t)).toEqual(["fine"]); // the good file keeps going
    const byPath = new Map(h.errors.map((e) => [e.path, e.message]));
    expect(byPath.get(h.path("openclaw-2026-11-20.log"))).toBe("cannot read: not a regular file (a directory)");
    expect(byPath.get(h.path("openclaw-2026-11-19.log"))).toBe("cannot read: not a regular file (a fifo)");
    expect(byPath.get(h.path("diagnostics-2026-11-21.jsonl"))).toBe(SYMLINK_SKIPPED); // links are never followed
    expect(byPath.get(h.path("openclaw-2026-11-18.log"))).toBe(SYMLINK_SKIPPED);
    expect(h.errors).toHaveLength(4); // reported once each, not once per poll
  });

  it("symlink_not_followed: a link named like a log to a file outside the directory is never read", async () => {
    const outside = mkdtempSync(join(tmpdir(), "tail-secret-"));
    try {
      const secret = join(outside, "secret.json");
      writeFileSync(secret, lines("secret", 0, 30), { mode: 0o600 });
      writeFileSync(h.path(LIVE), lines("real", 0, 2));
      symlinkSync(secret, h.path("openclaw-2026-11-22.log"));
      symlinkSync(secret, h.path("diagnostics-2026-11-22.jsonl"));
      symlinkSync(h.path(LIVE), h.path("openclaw-2026-11-23.log")); // inside the directory: not followed either
      const t = h.tailer({ files: [] });
      const got = [...(await h.poll(t)), ...(await h.poll(t)), ...(await h.poll(t))];
      expect(got).toEqual(expected("real", 0, 2));
      expect(t.snapshot().map((e) => e.path)).toEqual([h.path(LIVE)]);
      expect(t.stats().linksSkipped).toBe(3);
      expect(t.stats().followed.map((f) => f.path)).toEqual([h.path(LIVE)]);
      expect(h.errors.map((e) => [e.path, e.message]).sort()).toEqual([
        [h.path("diagnostics-2026-11-22.jsonl"), SYMLINK_SKIPPED],
        [h.path("openclaw-2026-11-22.log"), SYMLINK_SKIPPED],
        [h.path("openclaw-2026-11-23.log"), SYMLINK_SKIPPED],
      ]); // once each over three polls
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("a name swapped for a link after the scan is refused at open (O_NOFOLLOW)", async () => {
    writeFileSync(h.path("target.json"), lines("secret", 0, 3));
    symlinkSync(h.path("target.json"), h.path(LIVE));
    const info = classifyFileName(LIVE)!;
    await expect(TrackedFile.open(h.path(LIVE), info, 1024)).rejects.toMatchObject({ code: "ELOOP" });
  });

  it("first_start_at_end", async () => {
    writeFileSync(h.path(LIVE), `${lines("old", 0, 5)}{"half":`);
    const t = h.tailer(); // no checkpoint at all: a very first start
    expect(await h.poll(t)).toEqual([]);
    appendFileSync(h.path(LIVE), `1}\n${lines("new", 0, 2)}`);
    // The line being written at start-up is handed on whole, not as a fragment.
    expect(await h.poll(t)).toEqual(['{"half":1}', ...expected("new", 0, 2)]);
    writeFileSync(h.path("openclaw-2026-11-22.log"), lines("later", 0, 2)); // appears later: from 0
    expect(await h.poll(t)).toEqual(expected("later", 0, 2));
  });

  it("from_beginning", async () => {
    writeFileSync(h.path(LIVE), lines("old", 0, 5));
    const t = h.tailer({ fromBeginning: true });
    expect(await h.poll(t)).toEqual(expected("old", 0, 5));
  });

  it("a saved checkpoint wins over fromBeginning", async () => {
    writeFileSync(h.path(LIVE), lines("old", 0, 5));
    const first = h.tailer({ files: [] });
    await h.poll(first);
    appendFileSync(h.path(LIVE), lines("old", 5, 6));
    const second = h.tailer({ files: first.snapshot(), fromBeginning: true });
    expect(await h.poll(second)).toEqual(expected("old", 5, 6));
  });

  it("maxBytesPerPoll spreads a backlog over polls without losing a line", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 100));
    const t = h.tailer({ files: [], maxBytesPerPoll: 1000 });
    const size = Buffer.byteLength(lines("a", 0, 100));
    const behind: boolean[] = [];
    while (behind.length < 50 && (behind.length === 0 || behind.at(-1))) behind.push(await t.pollOnce((r) => h.records.push(r)));
    // True while the budget ran out (one poll per 1000 bytes), then false: the sidecar polls again at once until then.
    expect(behind).toEqual([...Array<boolean>(Math.floor(size / 1000)).fill(true), false]);
    expect(h.records.map((r) => r.line)).toEqual(expected("a", 0, 100));
  });

  it("overlapping polls run one after the other and hand each line on once", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 50));
    const t = h.tailer({ files: [] });
    const both = () => Promise.all([t.pollOnce((r) => h.records.push(r)), t.pollOnce((r) => h.records.push(r))]);
    await both();
    appendFileSync(h.path(LIVE), lines("a", 50, 60));
    await both();
    expect(h.records.map((r) => r.line)).toEqual(expected("a", 0, 60));
  });

  it("an unchanged directory hands on nothing", async () => {
    writeFileSync(h.path(LIVE), lines("a", 0, 3));
    const t = h.tailer({ files: [] });
    await h.poll(t);
    const before = t.snapshot();
    expect(await h.poll(t)).toEqual([]);
    expect(t.snapshot()).toEqual(before);
  });
});
