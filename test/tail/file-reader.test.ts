import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { READ_CHUNK_BYTES, readFileLines } from "../../src/tail/file-reader.ts";
import type { LineRecord } from "../../src/line/record.ts";

const dir = mkdtempSync(join(tmpdir(), "reader-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(content: string | Buffer, opts: { maxLineBytes?: number } = {}): Promise<{ records: LineRecord[]; progress: number[] }> {
  const path = join(dir, `f-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(path, content);
  const records: LineRecord[] = [];
  const progress: number[] = [];
  await readFileLines(path, "log", "dev", (r) => records.push(r), { ...opts, onProgress: (n) => progress.push(n) });
  return { records, progress };
}

describe("readFileLines", () => {
  it("hands on every line with source, profile, path and offset, and the last line without newline", async () => {
    const { records } = await read("a\r\n\nb\nc");
    expect(records.map((r) => [r.line, r.offset, r.source, r.profile])).toEqual([
      ["a", 0, "log", "dev"],
      ["", 3, "log", "dev"],
      ["b", 4, "log", "dev"],
      ["c", 6, "log", "dev"],
    ]);
  });

  it("reads lines that straddle its read chunks, and reports progress per chunk", async () => {
    const line = `{"k":"${"v".repeat(1000)}"}`;
    const count = Math.ceil((3 * READ_CHUNK_BYTES) / (line.length + 1));
    const { records, progress } = await read(`${line}\n`.repeat(count));
    expect(records).toHaveLength(count);
    expect(records.every((r, i) => r.line === line && r.offset === i * (line.length + 1))).toBe(true);
    expect(progress.at(-1)).toBe(count * (line.length + 1));
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  it("marks a too-long line once and goes on", async () => {
    const { records } = await read(`x\n${"z".repeat(100)}\ny\n${"w".repeat(100)}`, { maxLineBytes: 20 });
    expect(records.map((r) => [r.line, r.error])).toEqual([["x", undefined], ["", "line_too_long"], ["y", undefined], ["", "line_too_long"]]);
  });

  it("rejects a missing file", async () => {
    await expect(readFileLines(join(dir, "nope.log"), "log", "", () => {})).rejects.toThrow(/ENOENT/);
  });
});
