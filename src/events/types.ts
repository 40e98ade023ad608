/**
 * The typed events the parser produces and telemetry consumes: a discriminated union on
 * `type`. Diagnostic types keep OpenClaw's names and fields (docs/openclaw-formats.md §2.2);
 * events derived from plain log lines use upstream's name where one exists
 * (`model.failover`), otherwise `<area>.<thing>` in the same style. docs/events.md lists them.
 *
 * Identifiers (sessionKey, sessionId, runId, chatId, messageId, profileId) are carried so
 * spans can use them after redaction; telemetry never turns them into metric attributes.
 */

/** Where an event came from; used to count an event once when both sources carry it. */
export type EventOrigin = "jsonl" | "echo" | "log";

export interface EventBase {
  /** Epoch milliseconds. */
  ts: number;
  origin: EventOrigin;
  /** OpenClaw profile of the source file ("" = default). */
  profile: string;
  /** W3C trace context from the line (≥ 2026.4.26) or the JSONL event's `trace`. */
  traceId?: string;
  spanId?: string;
}

type Ev<T extends string, F> = EventBase & { type: T } & F;

interface SessionRef { sessionKey?: string; sessionId?: string }

export interface Usage {
  input?: number; output?: number; cacheRead?: number; cacheWrite?: number;
  promptTokens?: number; total?: number;
}

/** Attention fields shared by session.stuck (9.6), session.long_running and session.stalled. */
export interface AttentionFields extends SessionRef {
  state?: string; ageMs: number; queueDepth?: number; reason?: string;
  classification?: string; activeWorkKind?: string; lastProgressAgeMs?: number;
}

// ---- The 13 original diagnostic event types (§2.2.1) ----
export type ModelUsage = Ev<"model.usage", SessionRef & {
  channel?: string; agentId?: string; provider?: string; model?: string; usage: Usage;
  context?: { limit?: number; used?: number }; costUsd?: number; durationMs?: number;
}>;
export type WebhookReceived = Ev<"webhook.received", { channel: string; updateType?: string; chatId?: string | number }>;
export type WebhookProcessed = Ev<"webhook.processed", { channel: string; updateType?: string; chatId?: string | number; durationMs?: number }>;
export type WebhookError = Ev<"webhook.error", { channel: string; updateType?: string; chatId?: string | number; error: string }>;
export type MessageQueued = Ev<"message.queued", SessionRef & { channel?: string; source: string; queueDepth?: number }>;
export type MessageProcessed = Ev<"message.processed", SessionRef & {
  channel: string; messageId?: string | number; chatId?: string | number; durationMs?: number;
  outcome: "completed" | "skipped" | "error"; reason?: string; error?: string;
}>;
export type SessionState = Ev<"session.state", SessionRef & { prevState?: string; state: string; reason?: string; queueDepth?: number }>;
export type SessionStuck = Ev<"session.stuck", AttentionFields & { state: string }>;
export type LaneEnqueue = Ev<"queue.lane.enqueue", { lane: string; queueSize: number }>;
export type LaneDequeue = Ev<"queue.lane.dequeue", { lane: string; queueSize: number; waitMs: number }>;
export type RunAttempt = Ev<"run.attempt", SessionRef & { runId: string; attempt: number }>;
export type Heartbeat = Ev<"diagnostic.heartbeat", {
  webhooks: { received: number; processed: number; errors: number }; active: number; waiting: number; queued: number;
}>;
export type ToolLoop = Ev<"tool.loop", SessionRef & {
  toolName: string; level: "warning" | "critical"; action: "warn" | "block"; detector: string;
  count: number; message?: string; pairedToolName?: string;
}>;

// ---- Later diagnostic types we use (§2.2.2); others arrive as diagnostic.other ----
export type SessionLongRunning = Ev<"session.long_running", AttentionFields>;
export type SessionStalled = Ev<"session.stalled", AttentionFields>;
export type LivenessWarning = Ev<"diagnostic.liveness.warning", {
  reasons: string[]; intervalMs?: number; eventLoopDelayP99Ms?: number; eventLoopDelayMaxMs?: number;
  eventLoopUtilization?: number; cpuCoreRatio?: number; active?: number; waiting?: number; queued?: number;
}>;
export type MemoryPressure = Ev<"diagnostic.memory.pressure", {
  level: "warning" | "critical"; reason: string; rssBytes?: number; heapUsedBytes?: number; thresholdBytes?: number;
}>;
export type RunCompleted = Ev<"run.completed", SessionRef & {
  runId?: string; provider?: string; model?: string; channel?: string; durationMs: number; outcome: string; errorCategory?: string;
}>;
/** From JSONL `model.failover` (6.11+) or derived from failover decision log lines. */
export type ModelFailover = Ev<"model.failover", SessionRef & {
  fromProvider?: string; fromModel?: string; toProvider?: string; toModel?: string; reason: string;
  /** Log-derived only: the model the turn asked for (the chain's head). */
  requestedProvider?: string; requestedModel?: string;
  /** Log-derived only: which decision produced it (`fallback_model`, `candidate_failed`, ...). */
  decision?: string; lane?: string; suspended?: boolean; runId?: string; status?: number;
}>;
/** Any other JSONL type: accepted, counted by type, not otherwise used. */
export type DiagnosticOther = Ev<"diagnostic.other", { originalType: string }>;

// ---- Derived from log lines with no diagnostic event (§3) ----
/** `embedded run failover decision` with decision rotate_profile (same model, next key). */
/** profileId is the key rotated away from (it failed); OpenClaw names it as it redacts ids. */
export type ProfileRotation = Ev<"auth.profile.rotation", { provider?: string; model?: string; reason: string; runId?: string; profileId?: string }>;
/**
 * A turn that got its answer: agents/agent-command `[agent] run <id> ended with stopReason=<r>`
 * at INFO (OpenClaw logs a completed run at info, a timed-out one at warn, others at error),
 * one per answered turn at the default level (7.x, 9.x), where no 2xx may be logged.
 */
export type TurnCompleted = Ev<"agent.turn.completed", { stopReason: string; runId?: string }>;
/**
 * `model fallback decision` candidate_succeeded: a fallback candidate answered. `requested*` is
 * the model the turn asked for (the primary, when no session override), also learnt from here.
 */
export type CandidateSucceeded = Ev<"model.candidate.succeeded", {
  provider?: string; model?: string; requestedProvider?: string; requestedModel?: string; runId?: string;
}>;
/** `embedded run failover decision` surface_error: the run gave up and showed the error. */
export type FailoverSurfaced = Ev<"model.failover.surfaced", { provider?: string; model?: string; reason: string; runId?: string }>;
/** `All models failed` summary, or the end of the fallback chain (candidate_failed, no next). */
export type AllModelsFailed = Ev<"model.all_failed", {
  attempts?: number; via: "summary" | "chain_end" | "lane_error"; runId?: string; lastReason?: string;
  /** chain_end: how the last candidate ended (failed, or skipped: every profile unavailable). */
  last?: "failed" | "skipped";
  /** chain_end: the last candidate. Its failure may be said by no other line (a 200 with no text has no fetch line). */
  provider?: string; model?: string;
}>;
/** `auth profile failure state updated`. */
export type AuthProfileFailure = Ev<"auth.profile.failure", {
  provider: string; reason: string; windowType: "cooldown" | "disabled"; windowReused?: boolean;
  errorCount?: number; cooldownUntil?: number; disabledUntil?: number; profileId?: string; runId?: string;
}>;
/** `model fallback decision` skip_candidate: every profile of the candidate's provider unavailable. */
export type ProviderUnavailable = Ev<"auth.provider.unavailable", { provider: string; model?: string; reason?: string; runId?: string }>;
export type LaneWaitExceeded = Ev<"queue.lane.wait_exceeded", { lane: string; waitedMs: number; queueAhead?: number }>;
export type LaneTaskError = Ev<"queue.lane.task_error", { lane: string; durationMs?: number; error: string }>;
export type TelegramNetworkError = Ev<"channel.telegram.network_error", { method?: string; phase: "polling" | "setup" | "send" | "conflict"; retryInMs?: number }>;
export type DiscordReconnect = Ev<"channel.discord.reconnect", { reason: string; resume?: boolean; delayMs?: number }>;
export type WebsocketClose = Ev<"channel.websocket.close", { channel: string; code: string }>;
export type HealthMonitorRestart = Ev<"channel.health_monitor.restart", { channel: string; reason: string }>;
export type ChannelLifecycle = Ev<"channel.lifecycle", {
  channel: string; kind: "exited" | "restart_attempt" | "gave_up" | "startup_failed"; attempt?: number;
}>;
/** `[model-fetch] response|error` lines (6.11+): one per HTTP attempt to a provider. */
export type ModelFetch = Ev<"model.fetch", {
  provider: string; model: string; api?: string; status?: number; elapsedMs?: number;
  outcome: "success" | "http_error" | "network_error" | "timeout";
}>;

/**
 * `embedded run agent end` with isError (agent/embedded WARN, every version at the default
 * level): one failed model attempt. Named as upstream's per-attempt diagnostic `model.call.error`.
 * `reason` is OpenClaw's failoverReason; `status` the HTTP status the provider answered, read
 * from the head of rawErrorPreview ("402 You exceeded…"), which can differ from the reason
 * (a 402 reported as rate_limit): docs/events.md, "Reason fidelity".
 */
export type ModelCallError = Ev<"model.call.error", { provider?: string; model?: string; reason: string; status?: number; runId?: string }>;
/** `rate-limit same-model retry i/n for p/m: delayMs=` (7.x) / `transient same-model retry i/n for p/m reason=r: delayMs=` (9.6). */
export type ModelRetry = Ev<"model.retry", { provider?: string; model?: string; reason: string; attempt: number; maxAttempts: number; delayMs?: number }>;
/** `rate-limit profile rotation cap reached for p/m after n rotations; escalating to model fallback`. */
export type RotationCapReached = Ev<"auth.profile.rotation_cap", { provider?: string; model?: string; rotations?: number }>;
/** gateway/ws `⇄ res ✗ agent errorCode=<code> errorMessage=…`: a user turn that ended in an error. */
export type TurnFailed = Ev<"agent.turn.failed", {
  errorCode: string; reason: "all_models_failed" | "timeout" | "other"; runId?: string;
  /** Which line said it (the deduper counts a turn once across them): res ✗, reply runner, ws event. */
  via?: "rpc" | "reply_runner" | "ws_event" | "chain_end";
}>;
/** 9.6 `slow SQLite session write` / `… transaction hold` / `… reclamation Worker operation` / `… coordinator lock wait`. */
export type StorageSlow = Ev<"storage.slow", { kind: "session_write" | "transaction_hold" | "reclamation" | "lock_wait"; elapsedMs?: number; queueWaitMs?: number }>;
/** 7.x gateway `provider auth state re-warmed (<reason>) in <n>ms`. */
export type AuthRewarm = Ev<"auth.state.rewarm", { reason: string; durationMs?: number }>;
/** 4.24 gateway/model-pricing `OpenRouter pricing fetch failed: …` / `LiteLLM pricing fetch failed: …`. */
export type PricingFetchFailed = Ev<"pricing.fetch_failed", { source: "openrouter" | "litellm" | "other" }>;

/**
 * OpenClaw (or the companion plugin) says it dropped log records: the 2.22-4.24 size-cap record
 * (every later line of that logger is suppressed), the 9.6 file-queue overflow marker, or the
 * plugin's own `sidecar.dropped` marker in the JSONL.
 */
export type LogLoss = Ev<"log.loss", { kind: "size_cap" | "queue_overflow" | "plugin_queue_overflow"; dropped?: number }>;

export type DiagnosticEvent =
  | ModelUsage | WebhookReceived | WebhookProcessed | WebhookError | MessageQueued | MessageProcessed
  | SessionState | SessionStuck | LaneEnqueue | LaneDequeue | RunAttempt | Heartbeat | ToolLoop
  | SessionLongRunning | SessionStalled | LivenessWarning | MemoryPressure | RunCompleted | ModelFailover
  | DiagnosticOther;

export type DerivedEvent =
  | ProfileRotation | FailoverSurfaced | AllModelsFailed | AuthProfileFailure | ProviderUnavailable | LaneWaitExceeded
  | LaneTaskError | TelegramNetworkError | DiscordReconnect | WebsocketClose | HealthMonitorRestart
  | ChannelLifecycle | ModelFetch | LogLoss
  | ModelCallError | ModelRetry | RotationCapReached | TurnFailed | StorageSlow | AuthRewarm | PricingFetchFailed
  | TurnCompleted | CandidateSucceeded;

export type OpenClawEvent = DiagnosticEvent | DerivedEvent;
export type EventType = OpenClawEvent["type"];
export type EventOf<T extends EventType> = Extract<OpenClawEvent, { type: T }>;

/** Bounded reasons for a rejected line (used as a metric attribute value). */
export const REJECT_REASONS = [
  "invalid_json", "schema_mismatch", "line_too_long", "invalid_timestamp",
  /** More than an hour ahead of the wall clock when read (time-guard.ts). */
  "future_timestamp",
  /** A count or duration that cannot be negative is (a histogram would take it as a sample). */
  "invalid_value",
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What the parser says about one line. */
export type ParseResult =
  | { kind: "events"; events: OpenClawEvent[] }
  | { kind: "ignored" }
  | { kind: "rejected"; reason: RejectReason; detail: string };
