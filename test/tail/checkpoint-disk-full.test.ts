/**
 * checkpoint_disk_full: a real, tiny tmpfs (own mount namespace) filled up under the state
 * directory. A write cut short must not replace the good checkpoint, leave no temp file, and
 * saving must work again once space returns; a read-only state directory fails cleanly too.
 * Before the fix, the short write was fsynced and renamed: "checkpoint ... is corrupt".
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFully } from "../../src/tail/checkpoint.ts";
import { withTmpfs, requireTmpfs } from "./tmpfs.ts";

const CHILD = join(import.meta.dirname, "checkpoint-disk-full.child.ts");

describe("checkpoint on a full or read-only disk", () => {
  it.skipIf(!requireTmpfs("checkpoint_disk_full"))("checkpoint_disk_full: the old checkpoint survives, saving resumes when space returns", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-full-"));
    try {
      const [file, args] = withTmpfs(dir, 256, [process.execPath, CHILD, dir]);
      const out = JSON.parse(execFileSync(file, args, { encoding: "utf8" })) as Record<string, unknown>;
      expect(out).toEqual({
        first: "saved",
        nearlyFull: "threw ENOSPC",
        afterNearlyFull: 1,
        leftoversNearlyFull: [],
        spaceBack: "saved",
        afterSpaceBack: 2,
        readOnly: "threw EROFS",
        afterReadOnly: 2,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writeFully loops over short writes and fails on a write of 0 bytes", () => {
    const chunks: string[] = [];
    const short = ((_fd: number, buf: Buffer, off: number, len: number) => {
      const n = Math.min(3, len);
      chunks.push(buf.toString("utf8", off, off + n));
      return n;
    }) as never;
    writeFully(7, Buffer.from("0123456789"), short);
    expect(chunks.join("")).toBe("0123456789");
    expect(() => writeFully(7, Buffer.from("abc"), (() => 0) as never)).toThrow(/short write: 0 of 3/);
  });
});
