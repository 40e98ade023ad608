/**
 * Runs a command with a small, private tmpfs mounted at `dir` (a mount namespace of its own,
 * so nothing is left mounted if the test dies). Needs root and util-linux `unshare`; tests
 * skip themselves otherwise, except in CI (root), where they fail (requireTmpfs). `unshare` without --fork execs, so the child's pid is the
 * command's pid, and the test can reach the tmpfs from outside through /proc/<pid>/root.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { canRun } from "../support/required.ts";

export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  return spawnSync("unshare", ["-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"], { stdio: "ignore" }).status === 0;
}

/** Whether `what` can mount its tmpfs; in CI a machine that cannot fails the test by name. */
export function requireTmpfs(what: string): boolean {
  return canRun(what, canMountTmpfs() ? undefined : "mounting a tmpfs needs root and util-linux unshare");
}

/** [file, args] for spawn: `argv` runs with a `sizeKiB` tmpfs at `dir` (which must exist). */
export function withTmpfs(dir: string, sizeKiB: number, argv: string[]): [string, string[]] {
  return ["unshare", ["-m", "sh", "-c", `mount -t tmpfs -o size=${sizeKiB}k tmpfs "$0" && exec "$@"`, dir, ...argv]];
}

/** The path under which `path`, as the process `pid` sees it, is reachable from here. */
export function seenBy(pid: number, path: string): string {
  return `/proc/${pid}/root${path}`;
}

/** Fills the filesystem holding `path` with one file, then frees `leaveKiB` of it again. */
export function fillDisk(path: string, leaveKiB: number): void {
  const fd = openSync(path, "w");
  const block = Buffer.alloc(4096, 120);
  try { for (;;) writeSync(fd, block); } catch { /* ENOSPC: full */ }
  closeSync(fd);
  if (leaveKiB > 0) execFileSync("truncate", ["-s", `-${leaveKiB}K`, path]);
}
