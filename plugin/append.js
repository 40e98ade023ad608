// Appends that say how many bytes landed. fs.appendFile continues a short write but, when a
// full disk fails it part way, throws without saying how much is on disk; the writer needs
// that number to know which lines are whole, which one is torn and which are lost.
import { closeSync, openSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";

export const NEWLINE = Buffer.from("\n");

/**
 * Appends `buf` through its own handle, continuing short writes, and says how many bytes
 * landed (appendFile hides that when it fails part way).
 * @param {string} file @param {Buffer} buf
 * @returns {Promise<{written: number, err?: unknown}>}
 */
export async function appendAsync(file, buf) {
  let written = 0;
  /** @type {import("node:fs/promises").FileHandle | undefined} */
  let fh;
  try {
    fh = await open(file, "a", 0o600);
    while (written < buf.length) {
      const { bytesWritten } = await fh.write(buf, written, buf.length - written);
      if (bytesWritten <= 0) throw new Error(`short write: ${written} of ${buf.length} bytes`);
      written += bytesWritten;
    }
    return { written };
  } catch (err) {
    return { written, err };
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** The same, synchronous (process exit). @param {string} file @param {Buffer} buf */
export function appendSync(file, buf) {
  let written = 0;
  let fd = -1;
  try {
    fd = openSync(file, "a", 0o600);
    while (written < buf.length) {
      const n = writeSync(fd, buf, written, buf.length - written);
      if (n <= 0) throw new Error(`short write: ${written} of ${buf.length} bytes`);
      written += n;
    }
    return { written };
  } catch (err) {
    return { written, err };
  } finally {
    if (fd !== -1) try { closeSync(fd); } catch { /* nothing left to do at exit */ }
  }
}
