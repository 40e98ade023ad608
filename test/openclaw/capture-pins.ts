/**
 * The figures pinned per committed default-level capture (test/fixtures/real/<version>/) for
 * capture-figures.test.ts: what each version's log can show, the provider client's unlogged
 * re-sends, and the counts with no ground truth outside the log. Each entry says why.
 */
export type Counts = Record<string, number>;

export interface Pinned {
  /** [model-fetch] response lines: every request (7.x), only non-2xx ones (9.6), none (4.24). */
  fetchLogs: "all" | "non_2xx" | "none";
  /**
   * Failed attempts the record has but the log has no agent-end record for, and why. Checked for
   * every version against the record's own timing: the gap is the provider client re-sending a
   * failed request itself (no agent-end of its own), so per model/status it equals the record's
   * requests answered the same as the same key's previous one < 1 s before.
   */
  callErrorGap: Counts;
  /** Event types this version's default-level log cannot show, each with why; pinned at 0. */
  notInVersion: Record<string, string>;
  /**
   * How soon after the same key's previous request a same-status request counts as the client's
   * re-send (default 1000 ms). The SDK waits ~0.5 s, then ~1 s with jitter.
   */
  resendWithinMs?: number;
  /** Failed turns of turns.json the gateway never answered with `res ✗` (the CLI gave up first). */
  turnGap: number;
  /**
   * Counts with no ground truth outside the log (the fake provider sees requests, not the
   * gateway's retry, rotation, storage or re-warm decisions): regression pins, as the capture
   * report lists them. Each is also counted from the raw lines by its message text (RAW_COUNTS),
   * independently of the parser, and must agree.
   */
  other: Counts;
  /** Starts of the relevant templates (masked, as templates.ts prints them) that carry no event, each with why. */
  ignored: Record<string, string>;
}

const COMMON_IGNORED: Record<string, string> = {
  "embedded run failover decision {event=embedded_run_failover_decision decision=fallback_model}": "the same switch as its model fallback decision line, counted there (docs/events.md, Counting once)",
  "starting channels and sidecars...": "start-up text ('channels' matched the vocabulary)",
  "started (interval: ": "health monitor start-up",
};

export const PINNED: Record<string, Pinned> = {
  "2026.4.24": {
    fetchLogs: "none",
    // 4.24 logs one agent-end record per attempt, but its provider client re-sends each 429 and
    // 5xx once, ~0.5 s later, without a line (retry.provider.maxRetries: 1): 2 requests per
    // record. 401/402/403 are not re-sent.
    callErrorGap: { "fakea/alpha/429": 32, "fakeb/beta/429": 27, "fakec/gamma/503": 4 },
    // The one failed turn (all_failing-1) ran embedded in the CLI after a ws handshake timeout;
    // its reply runner's `Embedded agent failed before reply` is counted, so no gap.
    turnGap: 0,
    // Rotation caps: 8 lines (storm 2 turns x 2 models, all_failing CLI run x 2 models, the
    // gateway's late all_failing run x 1, quota x 1). all_failed: the CLI run's chain end, its
    // summary line deduplicated; the gateway's late run never finished.
    other: { "auth.profile.rotation_cap": 8, "pricing.fetch_failed": 2, "model.all_failed": 1 },
    notInVersion: {
      "model.fetch": "4.24 writes no [model-fetch] lines at any level: the failed attempt's status is read from rawErrorPreview",
      "model.retry": "4.24 writes no same-model retry line: its retries show only as repeated agent-end records and the unlogged client re-sends",
      "auth.state.rewarm": "no auth re-warm line before 7.x",
      "storage.slow": "no SQLite session store before 8.2",
    },
    ignored: {
      ...COMMON_IGNORED,
      "Gateway agent failed; falling back to embedded": "the CLI running the turn itself; its attempts are counted from their own lines and a failure from its reply runner's line",
      "gateway connect failed: Error: gateway closed": "the CLI's side of the same fallback (one per connect try)",
      "handshake timeout conn=": "the gateway too busy to finish a client's ws handshake (harness host load); the turn it pushed into the CLI is counted from its own lines; no event type for gateway stalls yet",
      "[channels] failed to load bundled channel qqbot": "a bundled, unconfigured channel plugin whose runtime deps were being staged by another process (ENOTEMPTY in the harness's stage dir); no configured channel affected",
    },
  },
  "2026.9.6": {
    fetchLogs: "non_2xx", callErrorGap: {}, turnGap: 0,
    notInVersion: {
      "auth.state.rewarm": "9.6 writes no auth re-warm line (captures report)",
      "pricing.fetch_failed": "9.6 writes no pricing fetch line (its remote catalog refresh is not one)",
    },
    other: { "model.retry": 7, "auth.profile.rotation_cap": 3, "storage.slow": 9, "model.all_failed": 1 },
    ignored: {
      ...COMMON_IGNORED,
      "[openclaw] The CLI command failed.": "the CLI's line about a turn the gateway's res ✗ already counts (docs/events.md, Failed turns, once)",
      "[openclaw] Reason: All models failed": "the CLI's line about the same failed turn",
      "gateway startup outcomes: ": "start-up summary",
      "remote model catalog refresh failed": "a model catalogue refresh (no network in the harness), not pricing; no metric wanted yet",
      "memory_index_chunks_vec not updated": "memory plugin without embeddings (harness setup)",
    },
  },
  "2026.7.35": {
    fetchLogs: "all",
    // The all_failing turn reached gamma once; the provider client sent that request 3 times (at
    // +0, +488 and +1513 ms: the second re-send 1025 ms after the first, hence the window), a
    // [model-fetch] pair each, and the run wrote one agent-end record. The record's timing shows
    // it (the re-send check below). (The first 7.35 capture, 2026-11-30, had the CLI's embedded
    // re-runs too: 4 re-sends there.)
    callErrorGap: { "fakec/gamma/503": 2 },
    resendWithinMs: 1100,
    // The one failed turn (all_failing-1): its chain end (chain_exhausted) and the gateway's res ✗
    // name the same run; counted once. With the CLI's --timeout at 300 s no turn timed out in the CLI.
    turnGap: 0,
    notInVersion: {
      "storage.slow": "no SQLite session store before 8.2",
      "pricing.fetch_failed": "7.35 writes no pricing fetch line (captures report)",
    },
    other: { "model.retry": 18, "auth.profile.rotation_cap": 7, "auth.state.rewarm": 8, "model.all_failed": 1 },
    ignored: {
      ...COMMON_IGNORED,
      "GatewayClientRequestError: FallbackSummaryError: All models failed": "the CLI's line about the failed turn the gateway's res ✗ counts",
      "agent runtime plugins pre-warmed in <n>ms": "start-up ('re-warm' matched the vocabulary)",
      "[model-fetch] start ": "the request's start; its response line is counted",
    },
  },
  "2026.8.2": {
    fetchLogs: "all",
    // As on 7.35: the provider client re-sent gamma's 503 twice (+450 and +1442 ms), without an
    // agent-end record of its own.
    callErrorGap: { "fakec/gamma/503": 2 },
    turnGap: 0,
    notInVersion: {
      "pricing.fetch_failed": "8.2 writes no pricing fetch line (its remote catalog refresh is not one)",
    },
    other: { "model.retry": 18, "auth.profile.rotation_cap": 7, "auth.state.rewarm": 8, "model.all_failed": 1 },
    ignored: {
      ...COMMON_IGNORED,
      "[openclaw] Reason: All models failed": "the CLI's line about the failed turn the gateway's res ✗ counts",
      "gateway startup outcomes: ": "start-up summary",
      "remote model catalog refresh failed": "a model catalogue refresh (no network in the harness), not pricing; no metric wanted yet",
      "memory sync failed (session": "the memory plugin finds no embedding provider among the fake ones (harness setup)",
      "[model-fetch] start ": "the request's start; its response line is counted",
    },
  },
};
