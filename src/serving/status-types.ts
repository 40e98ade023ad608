/**
 * The status snapshot: what GET / renders and GET /status.json serves. Everything in it is
 * bounded and free of identifiers (profile ids only as OpenClaw redacts them, no session ids).
 */
import type { Incident, VerdictState } from "../incidents/index.ts";
import type { Chart } from "./minute-ring.ts";
import type { UsageRow } from "./live-incidents.ts";

export interface StatusFile {
  path: string;
  /** "log" or "jsonl". */
  source: string;
  sizeBytes: number;
  unreadBytes: number;
  /** Epoch ms of the newest complete line read, null before the first. */
  lastLineAt: number | null;
}

/** An incident as the page shows it: its identity and times, `end` null while ongoing. */
export type IncidentRow = Pick<Incident, "key" | "kind" | "severity" | "subject" | "start" | "last"> & {
  end: number | null;
  /** One line as `report` prints it, without the time column. */
  text: string;
};

export interface StatusSnapshot {
  /** Epoch ms the snapshot was taken (wall clock). */
  generatedAt: number;
  /**
   * The page's clock: the newest event read plus the wall time since (live-incidents.ts). Equal
   * to generatedAt while following a live gateway; the log's own time when replaying old files.
   */
  now: number;
  startedAt: number;
  version: string;
  logsDir: string;
  verdict: { state: VerdictState; reason: string; since: number | null };
  /** Why the sidecar reads nothing now, with the remedy (blind-reason.ts); null while it reads. */
  blind: string | null;
  /** Worst then oldest first. */
  ongoing: IncidentRow[];
  /** Incidents of the last 24 h (page clock), newest first, ongoing included. */
  timeline: IncidentRow[];
  /** Auth profiles in a cooldown or disabled window that has not ended by `now`. */
  profiles: { provider: string; id: string; window: string; until: number; failures: number; reasons: string }[];
  /** Per provider: HTTP attempts by outcome as the log shows them, turns from the JSONL. */
  providers: { provider: string; ok: number; failed: number; turns: number; lastSuccessAt: number | null; lastFailureAt: number | null; lastFailureReason: string | null }[];
  /** What the inputs cannot show, and what brings it: shown instead of a 0. */
  missing: { what: string; fix: string }[];
  /** Tokens and cost today by model (null when the diagnostics JSONL is absent). */
  usage: { day: string; rows: UsageRow[] } | null;
  charts: { hour: Chart; day: Chart };
  files: StatusFile[];
  lines: { source: string; read: number; ignored: number; rejected: number }[];
  rejected: { source: string; reason: string; count: number }[];
  events: { type: string; count: number; lastAt: number | null }[];
  cooldowns: { provider: string; window: string; until: number }[];
  /** Model health; lastSuccessAt null = the input shows no success for it (unknown, not bad). */
  models: { provider: string; model: string; lastSuccessAt: number | null; lastFailureAt: number | null; inARow: number }[];
  /** No session ids: the page may be reachable by more than its owner. */
  stuckSessions: { state: string; ageMs: number; queueDepth?: number }[];
  export: {
    enabled: boolean;
    metricsUrl: string | null;
    tracesUrl: string | null;
    failures: { metrics: number; traces: number };
    lastFailureAt: number | null;
  };
  /** Notifications (src/notify): target names only, never a token or webhook URL. */
  notify: {
    targets: string[];
    queued: number;
    counts: { target: string; sent: number; failed: number; dropped: number }[];
    /** The last failed attempt, its text scrubbed of credentials. */
    lastFailure: { at: number; target: string; detail: string } | null;
  };
}
