/**
 * Run by checkpoint-disk-full.test.ts inside a mount namespace where argv[2] is a small tmpfs.
 * Prints one JSON object saying what each step saw; the test asserts on it.
 */
import { closeSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { CheckpointStore, type Checkpoint } from "../../src/tail/checkpoint.ts";

const mount = process.argv[2]!;
const store = new CheckpointStore(join(mount, "state"));
const entry = (i: number) => ({ path: `/tmp/openclaw/openclaw-p${i}-2026-11-21.log`, source: "log" as const, profile: `p${i}`, fingerprint: "ab".repeat(32), fingerprintBytes: 1024, offset: i });
const small: Checkpoint = { version: 1, savedAt: 1, files: [entry(1)] };
// About 60 KiB: larger than the space left below, so the write is cut short.
const big: Checkpoint = { version: 1, savedAt: 2, files: Array.from({ length: 400 }, (_, i) => entry(i)) };
const out: Record<string, unknown> = {};

function attempt(cp: Checkpoint): string {
  try {
    store.save(cp);
    return "saved";
  } catch (err) {
    return `threw ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}
const loaded = () => { try { return store.load()?.savedAt; } catch (err) { return (err as Error).message; } };
const leftovers = () => readdirSync(join(mount, "state")).filter((n) => n.includes(".tmp-"));

out.first = attempt(small);
// Fill the filesystem, then free 8 KiB: a write bigger than that comes back short.
const fd = openSync(join(mount, "filler"), "w");
const block = Buffer.alloc(4096, 120);
try { for (;;) writeSync(fd, block); } catch { /* ENOSPC: full */ }
closeSync(fd);
// Make room for exactly the gap: truncate the filler by 8 KiB.
execFileSync("truncate", ["-s", "-8K", join(mount, "filler")]);
out.nearlyFull = attempt(big);
out.afterNearlyFull = loaded();
out.leftoversNearlyFull = leftovers();
rmSync(join(mount, "filler"));
out.spaceBack = attempt(big);
out.afterSpaceBack = loaded();
execFileSync("mount", ["-o", "remount,ro", mount]);
out.readOnly = attempt(small);
out.afterReadOnly = loaded();
process.stdout.write(JSON.stringify(out));
