/**
 * Step 1-2 of a poll (docs/design.md, "Read cycle"): list the directory, keep the names that
 * classify, lstat each for its identity, size and mtime. Uses no file handle beyond readdir's
 * own, so it works while the tailer is short of handles.
 *
 * Symbolic links are never followed (docs/design.md, "Symbolic links"): the sidecar runs as
 * root in the compose stack, and a link named like a log to a root-only file would put that
 * file's values on /metrics, the page, OTLP and the checkpoint. TrackedFile opens with
 * O_NOFOLLOW too, so a name swapped for a link after this lstat is refused as well.
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { classifyFileName, compareFileNames, type FileNameInfo } from "./file-names.ts";
import { identityKey } from "./tracked-file.ts";

export interface Found {
  name: string;
  path: string;
  info: FileNameInfo;
  key: string;
  size: number;
  mtimeMs: number;
}

/** Oldest first. Throws only when readdir fails; a bad entry goes to `fail` and is skipped. */
export async function scanDirectory(
  dir: string,
  fail: (path: string, message: string) => void,
  onFound?: (info: FileNameInfo) => void,
): Promise<Found[]> {
  const names = await readdir(dir);
  const found: Found[] = [];
  for (const name of names) {
    const info = classifyFileName(name);
    if (!info) continue;
    const path = join(dir, name);
    try {
      const st = await lstat(path);
      if (st.isSymbolicLink()) {
        fail(path, SYMLINK_SKIPPED);
        continue;
      }
      if (!st.isFile()) {
        fail(path, `cannot read: not a regular file (${kindOf(st)})`);
        continue;
      }
      found.push({ name, path, info, key: identityKey(st.dev, st.ino), size: st.size, mtimeMs: st.mtimeMs });
      onFound?.(info);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      // ENOENT right after readdir is a normal race with deletion.
      if (e.code !== "ENOENT") fail(path, `cannot read: ${e.message}`);
    }
  }
  return found.sort((a, b) => compareFileNames(a.info, b.info) || (a.name < b.name ? -1 : 1));
}

/** The one message for a skipped link, whatever it points at (reported once per path). */
export const SYMLINK_SKIPPED = "skipped: a symbolic link (log files are never read through links; replace it with the file itself)";

function kindOf(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a fifo";
  if (st.isSocket()) return "a socket";
  return "not a file";
}
