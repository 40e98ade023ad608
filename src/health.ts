/**
 * What /healthz answers. 200 while the sidecar can do its job; 503 with the reasons when it
 * cannot, so Docker's healthcheck and an orchestrator see a sidecar that serves HTTP but
 * reads nothing (the log directory unreadable, every log file unreadable) or whose every
 * recent OTLP export failed. A quiet or absent gateway log is NOT unhealthy: OpenClaw may not
 * have started yet, and a restart of the sidecar would not help (the alerts say it instead).
 */
import { readdirSync } from "node:fs";
import { classifyFileName } from "./tail/file-names.ts";

export interface HealthInput {
  logsDir: string;
  /** Files the tailer follows (open or parked). */
  followed: number;
  /** Export interval of metrics, when OTLP export is on. */
  exportIntervalMs?: number;
  /** Times of the latest metric export failures, newest last (a few are enough). */
  metricExportFailures: readonly number[];
  now: number;
}

export interface Health { status: "ok" | "unhealthy"; reasons: string[]; followed: number }

/** Failures in a row that make "every recent export failed". */
export const FAILED_EXPORTS_UNHEALTHY = 3;

export function healthOf(h: HealthInput): Health {
  const reasons: string[] = [];
  let present = 0;
  try {
    present = readdirSync(h.logsDir).filter((n) => classifyFileName(n) !== undefined).length;
  } catch (err) {
    reasons.push(`cannot read the log directory ${h.logsDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (present > 0 && h.followed === 0) reasons.push(`${present} OpenClaw log file(s) in ${h.logsDir}, none readable by this user`);
  if (h.exportIntervalMs !== undefined && h.metricExportFailures.length >= FAILED_EXPORTS_UNHEALTHY) {
    // The last N attempts all failed if N failures fall within about N export intervals.
    const nth = h.metricExportFailures[h.metricExportFailures.length - FAILED_EXPORTS_UNHEALTHY]!;
    if (h.now - nth <= (FAILED_EXPORTS_UNHEALTHY + 0.5) * h.exportIntervalMs) reasons.push(`the last ${FAILED_EXPORTS_UNHEALTHY} OTLP metric exports failed`);
  }
  return { status: reasons.length === 0 ? "ok" : "unhealthy", reasons, followed: h.followed };
}
