/**
 * The sidecar's own log: one line per message on stderr, with a level threshold. Messages
 * caused by input (rejected lines) go through debugLimited so a bad file cannot flood stderr.
 * Every message goes through the one redaction pass: an endpoint URL with `user:password@`,
 * a header or a path can carry a secret, and callers should not each have to remember.
 */
import { redactSecrets } from "../redact/redact.ts";

export type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** At most `perMinute` messages a minute; the rest are counted and summarised once. */
  debugLimited(msg: string): void;
}

export function createLogger(level: Level, write: (s: string) => void = (s) => process.stderr.write(s), perMinute = 10): Logger {
  const at = (l: Level) => (msg: string) => {
    if (ORDER[l] >= ORDER[level]) write(`${new Date().toISOString()} ${l.toUpperCase()} ${redactSecrets(msg)}\n`);
  };
  let windowStart = 0;
  let inWindow = 0;
  let suppressed = 0;
  const debug = at("debug");
  return {
    debug, info: at("info"), warn: at("warn"), error: at("error"),
    debugLimited(msg: string) {
      if (ORDER[level] > ORDER.debug) return;
      const now = Date.now();
      if (now - windowStart >= 60_000) {
        if (suppressed > 0) debug(`(${suppressed} similar messages suppressed in the last minute)`);
        windowStart = now;
        inWindow = 0;
        suppressed = 0;
      }
      if (inWindow++ < perMinute) debug(msg);
      else suppressed++;
    },
  };
}
