/**
 * Where a file seen for the first time in this run starts, when its content was seen before:
 * either in the saved checkpoint (restart) or in a file we follow or followed (a copy made by
 * copy-truncate). Everything else starts at 0 (or at the end on a very first start).
 */
import type { FileCheckpoint } from "./checkpoint.ts";
import { fingerprintOf, startsWith } from "./fingerprint.ts";
import type { FormerContent } from "./tracked-file.ts";

/**
 * Takes (removes) the saved entry whose fingerprint matches the head of `path`'s file.
 * Several may match only when files share their first bytes; prefer the same path, then the
 * longest fingerprint. Entries with fingerprintBytes 0 (an empty file) are never matched:
 * their offset is 0, the same as reading a new file.
 */
export function takeSavedEntry(
  saved: FileCheckpoint[],
  path: string,
  head: Buffer,
): FileCheckpoint | undefined {
  const hashes = new Map<number, string>();
  let best = -1;
  for (const [i, e] of saved.entries()) {
    if (e.fingerprintBytes === 0 || e.fingerprintBytes > head.length) continue;
    let hash = hashes.get(e.fingerprintBytes);
    if (hash === undefined) {
      hash = fingerprintOf(head, e.fingerprintBytes);
      hashes.set(e.fingerprintBytes, hash);
    }
    if (hash !== e.fingerprint) continue;
    const cur = best === -1 ? undefined : saved[best];
    if (!cur || better(e, cur, path)) best = i;
  }
  return best === -1 ? undefined : saved.splice(best, 1)[0];
}

function better(a: FileCheckpoint, b: FileCheckpoint, path: string): boolean {
  if ((a.path === path) !== (b.path === path)) return a.path === path;
  return a.fingerprintBytes > b.fingerprintBytes;
}

/**
 * The offset at which a new file continues an older content it copies: the new file's head
 * starts with that content's whole head. Candidates are files we follow now and contents
 * we saw replaced recently (the original after its truncation).
 */
export function copiedOffset(head: Buffer, candidates: Iterable<FormerContent>): number | undefined {
  let found: FormerContent | undefined;
  for (const c of candidates) {
    if (startsWith(head, c.head) && (!found || c.head.length > found.head.length)) found = c;
  }
  return found?.offset;
}
