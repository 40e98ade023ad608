/**
 * The incident model shared by the status page and `openclaw-otel report`: what went wrong, for
 * how long and how often, in plain JSON. An incident carries times, counts, durations and
 * bounded words only (reasons, methods, status codes, lane classes, redacted profile ids): no
 * message text, no session/run/chat ids, no secrets, so it can be shown, logged and
 * checkpointed as it is.
 */

export type IncidentKind =
  | "rate_limit" | "auth" | "billing" | "provider_errors" | "all_models_failed"
  | "session_attention" | "lane_wait" | "queue_depth" | "channel" | "gap" | "log_loss";

/** "down" = nobody gets an answer (every model failing, gateway silent); else "degraded". */
export type Severity = "down" | "degraded";

/** An auth profile as OpenClaw names it in its log (`sha256:<12 hex>`, `anthr…ab12`), never raw. */
export interface ProfileWindow {
  id: string;
  failures: number;
  /** The last cooldown or disabled window this profile was put in, and when it ends. */
  window?: "cooldown" | "disabled";
  until?: number;
  /** Failed since for another reason: the provider accepted this profile again. */
  cleared?: boolean;
}

export interface Fallback {
  /** `provider/model` the gateway fell back to. */
  target: string;
  failovers: number;
  /** Successful turns on the target while the incident lasted (model.usage: one per run, JSONL). */
  turns: number;
  /**
   * Successful HTTP attempts on the target meanwhile (`[model-fetch]`, log): the stand-in for
   * turns when the JSONL is absent (a tool loop makes several per turn).
   */
  okRequests?: number;
}

export interface Incident {
  /** `kind:subject`; unique among ongoing incidents, with `start` unique overall. */
  key: string;
  kind: IncidentKind;
  severity: Severity;
  /** Provider, channel, lane class, attention class, or "gateway". */
  subject: string;
  start: number;
  /** Time of the last evidence (last 429, last warning, ...). */
  last: number;
  /** Set once closed; absent while ongoing. */
  end?: number;
  /** How it closed: a success seen, the trouble went quiet, or the condition cleared. */
  endedBy?: "success" | "quiet" | "cleared";
  /**
   * Signals that made up the incident (warnings, errors, events); for provider trouble, failed
   * attempts, each once however many lines describe it (attempts.ts).
   */
  count: number;
  /** Failed HTTP attempts among them (`[model-fetch]` lines, 6.11+). */
  requests?: number;
  /**
   * Provider trouble: times the gateway skipped the provider because every key was in a window
   * (no request made, so not in `count`).
   */
  skipped?: number;
  /** A bounded word naming the thing within the subject: Telegram method, close code, loss kind. */
  detail?: string;
  /** Bounded words and their counts: failure reasons, HTTP statuses (`http_429`), methods. */
  reasons: Record<string, number>;
  /** Provider trouble: profiles involved (at most MAX_PROFILES). */
  profiles?: ProfileWindow[];
  /** Provider trouble: when the last window a failure put a profile in ends (keeps it ongoing). */
  until?: number;
  /** Provider trouble: windows opened (not reused) and their lengths (distinct, ms). */
  windowsOpened?: number;
  windowLengthsMs?: number[];
  fallbacks?: Fallback[];
  /** all_models_failed: the last failure reason seen per provider before it (`http_429`, `timeout`). */
  providerReasons?: Record<string, string>;
  /** Largest age / wait seen (sessions, lanes), largest depth (queues), records lost (gaps). */
  maxMs?: number;
  maxDepth?: number;
  /** Distinct sessions involved (counted through digests, never kept in clear). */
  sessions?: number;
  dropped?: number;
}

export interface ProfileSummary {
  id: string;
  firstSeen: number;
  lastSeen: number;
  failures: number;
  /** Times OpenClaw rotated away from this profile to another key of the provider. */
  rotations: number;
  reasons: Record<string, number>;
  window?: "cooldown" | "disabled";
  until?: number;
  /**
   * Start of an unbroken run of windows (each failure came before the previous window ended):
   * a profile in that state cannot have served a request since. The log names a profile only
   * when it fails, so this is the strongest "never served since" the log supports.
   */
  unusableSince?: number;
}

export interface ProviderSummary {
  provider: string;
  /** HTTP attempts seen by outcome (model.fetch; successes are DEBUG on 9.6 at info level). */
  ok: number;
  failed: number;
  /** Successful turns (model.usage, message-level success) when the JSONL carries them. */
  turns: number;
  lastSuccess?: number;
  lastFailure?: number;
  lastFailureReason?: string;
  profiles: ProfileSummary[];
}

export type VerdictState = "healthy" | "degraded" | "down" | "unknown";

export interface Verdict {
  state: VerdictState;
  /** One line saying why (empty reasons never: "no trouble seen" when healthy). */
  reason: string;
  /** Since when this state holds (epoch ms); absent when unknown. */
  since?: number;
  /** Keys of the ongoing incidents behind the verdict, worst first. */
  incidents: string[];
}

export interface IncidentOptions {
  /** Closed incidents older than this (by end) are dropped at advance(); default 24 h. */
  retentionMs?: number;
  /** Closed incidents kept at most (oldest dropped first); default 200. */
  maxClosed?: number;
  /** A lane wait above this is an incident; default 30 s. */
  laneWaitMs?: number;
  /** A queue depth above this is an incident; default 10. */
  queueDepth?: number;
  /** Silence after a heartbeat cadence that counts as a gap; default 5 min. */
  gapMs?: number;
}
