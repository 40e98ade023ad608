/** Shared by the tailer scenario tests: a temp log directory and a recording sink. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirectoryTailer, type TailerOptions } from "../../src/tail/directory-tailer.ts";
import type { LineRecord } from "../../src/line/record.ts";

export interface Harness {
  dir: string;
  path(name: string): string;
  /** Every record handed on so far, across tailers. */
  records: LineRecord[];
  errors: Array<{ path: string; message: string }>;
  tailer(opts?: Omit<TailerOptions, "dir">): DirectoryTailer;
  /** One poll; returns the lines it handed on. */
  poll(t: DirectoryTailer): Promise<string[]>;
  cleanup(): Promise<void>;
}

export function harness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), "tail-test-"));
  const records: LineRecord[] = [];
  const errors: Harness["errors"] = [];
  const open: DirectoryTailer[] = [];
  return {
    dir,
    records,
    errors,
    path: (name) => join(dir, name),
    tailer(opts = {}) {
      const t = new DirectoryTailer({ dir, onError: (e) => errors.push(e), ...opts });
      open.push(t);
      return t;
    },
    async poll(t) {
      const before = records.length;
      await t.pollOnce((r) => records.push(r));
      return records.slice(before).map((r) => r.line);
    },
    async cleanup() {
      await Promise.all(open.map((t) => t.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** n numbered lines "<tag>-<i>\n", padded so files pass the 1 KiB fingerprint quickly. */
export function lines(tag: string, from: number, to: number): string {
  let s = "";
  for (let i = from; i < to; i++) s += `{"tag":"${tag}","i":${i},"pad":"${"x".repeat(40)}"}\n`;
  return s;
}

export function expected(tag: string, from: number, to: number): string[] {
  return lines(tag, from, to).split("\n").slice(0, -1);
}
