/**
 * File identity across restarts: a hash of the first bytes (OTel fileconsumer, Vector). Inode
 * numbers are not enough: they are reused after deletion and change when a file is copied.
 * The head grows with the file up to FINGERPRINT_MAX_BYTES, so a small file still has one.
 */
import type { FileHandle } from "node:fs/promises";

export const FINGERPRINT_MAX_BYTES = 1024;

/** sha256 hex of head[0, bytes). */
export function fingerprintOf(head: Buffer, bytes: number = head.length): string {
  // node:crypto taken on the first file, not at start-up (+3.5 MB RSS for an empty directory).
  return process.getBuiltinModule("node:crypto").createHash("sha256").update(head.subarray(0, bytes)).digest("hex");
}

/** The file's first min(size, FINGERPRINT_MAX_BYTES) bytes, as a buffer of its own. */
export async function readHead(handle: FileHandle, size: number): Promise<Buffer> {
  const want = Math.min(size, FINGERPRINT_MAX_BYTES);
  const head = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const { bytesRead } = await handle.read(head, got, want - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === want ? head : head.subarray(0, got);
}

/** True when `head` starts with all of `prefix` (and prefix is not empty). */
export function startsWith(head: Buffer, prefix: Buffer): boolean {
  return prefix.length > 0 && head.length >= prefix.length && head.subarray(0, prefix.length).equals(prefix);
}

/**
 * Where "start at the end" really starts: just after the last "\n", so a line that is still
 * being written is handed on whole once it completes. Looks back at most maxLineBytes + 1;
 * a longer unfinished line is skipped (`discard`).
 */
export async function lastLineBoundary(
  handle: FileHandle,
  size: number,
  maxLineBytes: number,
): Promise<{ offset: number; discard: boolean }> {
  const step = 64 * 1024;
  const buf = Buffer.allocUnsafe(step);
  let end = size;
  const floor = Math.max(0, size - maxLineBytes - 1);
  while (end > floor) {
    const start = Math.max(floor, end - step);
    const { bytesRead } = await handle.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(10);
    if (nl !== -1) return { offset: start + nl + 1, discard: false };
    end = start;
  }
  return floor === 0 ? { offset: 0, discard: false } : { offset: size, discard: true };
}
