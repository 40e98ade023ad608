/**
 * How many HTTP connections the server holds at once. Every connection is a descriptor taken
 * from the budget the tailer needs to open log files and write the checkpoint: 250 idle
 * sockets under `ulimit -n 256` took every descriptor and the tailer stopped on EMFILE. The cap
 * leaves at least three quarters of the soft limit to the rest of the process (half of it the
 * tailer's: tailerHandleCap); connections beyond it are closed at once by node:http
 * (server.maxConnections), and the idle and header timeouts in http-server.ts shed the
 * half-open ones that hold a slot.
 */
import { readFileSync } from "node:fs";

/** Enough for Prometheus, a few browsers and the healthcheck; the sidecar serves nothing else. */
export const MAX_CONNECTIONS = 64;
export const MIN_CONNECTIONS = 4;

/** The soft RLIMIT_NOFILE from /proc/self/limits; undefined when unlimited or unreadable (not Linux). */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  try {
    text ??= readFileSync("/proc/self/limits", "utf8");
  } catch {
    return undefined;
  }
  const m = /^Max open files\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export function connectionCap(openFiles: number | undefined = openFileLimit()): number {
  if (openFiles === undefined) return MAX_CONNECTIONS;
  return Math.max(MIN_CONNECTIONS, Math.min(MAX_CONNECTIONS, Math.floor(openFiles / 4)));
}

/**
 * The tailer's share: at most half the soft limit (and the pool's own default), so HTTP's
 * quarter and the tailer's half leave a quarter to Node itself, the checkpoint and OTLP.
 * Under `ulimit -n 256`: 64 connections, 128 log files, 64 for the rest.
 */
export function tailerHandleCap(poolDefault: number, openFiles: number | undefined = openFileLimit()): number {
  return openFiles === undefined ? poolDefault : Math.max(1, Math.min(poolDefault, Math.floor(openFiles / 2)));
}
