/**
 * What /healthz answers. 200 while the sidecar can do its job; 503 with the reasons when it
 * cannot, so Docker's healthcheck and an orchestrator see a sidecar that serves HTTP but
 * reads nothing (the log directory unreadable, every log file unreadable) or whose every
 * recent OTLP export failed. A quiet or absent gateway log is NOT unhealthy: OpenClaw may not
 * have started yet, and a restart of the sidecar would not help (the alerts say it instead).
 */
export interface HealthInput {
  logsDir: string;
  /** Files the tailer follows (open or parked). */
  followed: number;
  /**
   * What the tailer's last scan of the directory saw (names like a log, links included, and
   * why listing failed): /healthz answers from it instead of listing the directory again.
   */
  logNames: number;
  dirError?: string | undefined;
  /** Metric exports failed since the last one the collector accepted. */
  metricFailuresInARow: number;
  /** Names like a log that are symbolic links: never followed (docs/design.md, Symbolic links). */
  linksSkipped?: number;
}

export interface Health { status: "ok" | "unhealthy"; reasons: string[]; followed: number }

/** Failures in a row that make "every recent export failed". */
export const FAILED_EXPORTS_UNHEALTHY = 3;

export function healthOf(h: HealthInput): Health {
  const reasons: string[] = [];
  const present = h.logNames;
  if (h.dirError !== undefined) reasons.push(`cannot read the log directory ${h.logsDir}: ${h.dirError}`);
  if (present > 0 && h.followed === 0) {
    const links = h.linksSkipped ? ` (${h.linksSkipped} of them symbolic links, which are never followed)` : "";
    reasons.push(`${present} OpenClaw log file(s) in ${h.logsDir}, none readable by this user${links}`);
  }
  // Counted from results, not times: the SDK retries a failing export for up to its timeout,
  // so failures do not arrive once per interval.
  if (h.metricFailuresInARow >= FAILED_EXPORTS_UNHEALTHY) reasons.push(`the last ${h.metricFailuresInARow} OTLP metric exports failed`);
  return { status: reasons.length === 0 ? "ok" : "unhealthy", reasons, followed: h.followed };
}
