/**
 * Event lists for the golden scenario tests, built in code: together they cover every event
 * type of the union (a test checks that), derived ones included.
 */
import type { OpenClawEvent } from "../../src/events/types.ts";

export const T0 = Date.UTC(2026, 8, 10, 12, 0, 0);
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const at = (s: number) => T0 + s * 1000;
const j = { origin: "jsonl" as const, profile: "" };
const log = { origin: "log" as const, profile: "" };

export const SCENARIOS: Record<string, OpenClawEvent[]> = {
  model_usage: [
    { ...j, ts: at(1), type: "run.attempt", sessionId: "s-1", runId: "run-1", attempt: 1 },
    { ...j, ts: at(5), type: "model.usage", traceId: TRACE, spanId: "00f067aa0ba902b7", sessionKey: "agent:main:main", sessionId: "s-1",
      channel: "telegram", provider: "anthropic", model: "claude-sonnet-4", durationMs: 4200, costUsd: 0.0123,
      usage: { input: 1200, output: 300, cacheRead: 800, cacheWrite: 0, promptTokens: 2000, total: 2300 }, context: { limit: 200000, used: 2300 } },
    { ...j, ts: at(9), type: "model.usage", channel: "discord", provider: "openai", model: "gpt-5", usage: { input: 10, output: 5, total: 15 } },
    { ...j, ts: at(10), type: "run.attempt", sessionId: "s-1", runId: "run-2", attempt: 2 },
    { ...j, ts: at(12), type: "run.completed", runId: "run-2", provider: "openai", model: "gpt-5", durationMs: 6000, outcome: "completed" },
    { ...log, ts: at(13), type: "model.fetch", provider: "openai", model: "gpt-5", api: "responses", status: 200, elapsedMs: 840, outcome: "success" },
    { ...log, ts: at(14), type: "model.fetch", provider: "google", model: "gemini-2.5-pro", status: 429, elapsedMs: 120, outcome: "http_error" },
    { ...log, ts: at(15), type: "model.fetch", provider: "google", model: "gemini-2.5-pro", outcome: "timeout" },
    { ...log, ts: at(16), type: "log.loss", kind: "queue_overflow", dropped: 412 },
    { ...log, ts: at(17), type: "log.loss", kind: "size_cap" },
  ],
  webhooks_and_messages: [
    { ...j, ts: at(1), type: "webhook.received", channel: "telegram", updateType: "message", chatId: 12345 },
    { ...j, ts: at(2), type: "webhook.processed", channel: "telegram", updateType: "message", chatId: 12345, durationMs: 35 },
    { ...j, ts: at(3), type: "webhook.received", channel: "telegram", chatId: 12345 },
    { ...j, ts: at(4), type: "webhook.error", channel: "telegram", updateType: "callback_query", chatId: 12345, error: "fetch failed: token=123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh" },
    { ...j, ts: at(5), type: "message.queued", sessionKey: "agent:main:main", channel: "telegram", source: "dispatch", queueDepth: 3 },
    { ...j, ts: at(6), type: "message.processed", channel: "telegram", messageId: 77, chatId: 12345, sessionKey: "agent:main:main", durationMs: 5100, outcome: "completed" },
    { ...j, ts: at(7), type: "message.processed", channel: "telegram", messageId: 78, durationMs: 12, outcome: "skipped", reason: "duplicate" },
    { ...j, ts: at(8), type: "message.processed", channel: "discord", durationMs: 900, outcome: "error", error: "provider said: invalid x-api-key sk-ant-api03-SECRETSECRETSECRET" },
    { ...j, ts: at(30), type: "diagnostic.heartbeat", webhooks: { received: 2, processed: 1, errors: 1 }, active: 1, waiting: 0, queued: 4 },
  ],
  queues_and_sessions: [
    { ...j, ts: at(1), type: "queue.lane.enqueue", lane: "session:agent:main:main", queueSize: 1 },
    { ...j, ts: at(2), type: "queue.lane.enqueue", lane: "main", queueSize: 2 },
    { ...j, ts: at(3), type: "queue.lane.dequeue", lane: "session:agent:main:main", queueSize: 0, waitMs: 1800 },
    { ...log, ts: at(4), type: "queue.lane.wait_exceeded", lane: "session:agent:main:main", waitedMs: 42000, queueAhead: 2 },
    { ...log, ts: at(5), type: "queue.lane.task_error", lane: "main", durationMs: 10, error: "boom" },
    { ...j, ts: at(6), type: "session.state", sessionKey: "agent:main:a", prevState: "idle", state: "processing", reason: "message_start" },
    { ...j, ts: at(7), type: "session.state", sessionKey: "agent:main:b", prevState: "idle", state: "processing" },
    { ...j, ts: at(130), type: "session.stuck", sessionKey: "agent:main:a", state: "processing", ageMs: 124000, queueDepth: 1, classification: "stale_session_state" },
    { ...j, ts: at(131), type: "session.stuck", sessionKey: "agent:main:b", state: "processing", ageMs: 124000 },
    { ...j, ts: at(140), type: "session.stalled", sessionKey: "agent:main:c", ageMs: 300000, classification: "blocked_tool_call" },
    { ...j, ts: at(150), type: "session.long_running", sessionKey: "agent:main:d", ageMs: 900000, classification: "long_running" },
    // a leaves processing: its stuck entry clears; b and c stay until 30 min after their warning
    { ...j, ts: at(200), type: "session.state", sessionKey: "agent:main:a", prevState: "processing", state: "idle", reason: "run_completed" },
    { ...j, ts: at(210), type: "tool.loop", sessionKey: "agent:main:b", toolName: "exec", level: "critical", action: "block", detector: "generic_repeat", count: 30, message: "loop" },
    { ...j, ts: at(211), type: "diagnostic.liveness.warning", reasons: ["event_loop_delay", "cpu"], intervalMs: 30000, eventLoopDelayP99Ms: 900 },
    { ...j, ts: at(212), type: "diagnostic.memory.pressure", level: "warning", reason: "rss_threshold", rssBytes: 2e9 },
    // 30 min after b's warning (at 131 s) and c's (at 140 s): b expires, c stays until 1940 s
    { ...j, ts: at(1935), type: "queue.lane.enqueue", lane: "main", queueSize: 1 },
  ],
  failover_and_cooldowns: [
    { ...log, ts: at(1), type: "auth.profile.failure", provider: "google", reason: "rate_limit", windowType: "cooldown", windowReused: false, errorCount: 1, cooldownUntil: at(31), profileId: "google:key-a", runId: "r1", traceId: TRACE },
    { ...log, ts: at(2), type: "auth.profile.rotation", provider: "google", model: "gemini-2.5-pro", reason: "rate_limit", runId: "r1" },
    { ...log, ts: at(3), type: "auth.profile.failure", provider: "google", reason: "rate_limit", windowType: "cooldown", windowReused: false, errorCount: 1, cooldownUntil: at(63), profileId: "google:key-b", runId: "r1" },
    { ...log, ts: at(4), type: "auth.profile.failure", provider: "google", reason: "rate_limit", windowType: "cooldown", windowReused: true, cooldownUntil: at(63), profileId: "google:key-b", runId: "r1" },
    { ...log, ts: at(5), type: "auth.provider.unavailable", provider: "google", model: "gemini-2.5-pro", reason: "rate_limit" },
    { ...log, ts: at(6), type: "model.failover", fromProvider: "google", fromModel: "gemini-2.5-pro", toProvider: "anthropic", toModel: "claude-sonnet-4", reason: "rate_limit", decision: "candidate_failed", runId: "r1", status: 429, traceId: TRACE, spanId: "00f067aa0ba902b7" },
    { ...j, ts: at(7), type: "model.failover", fromProvider: "anthropic", fromModel: "claude-sonnet-4", toProvider: "openai", toModel: "gpt-5", reason: "overloaded", lane: "session:agent:main:main", suspended: false },
    { ...log, ts: at(8), type: "auth.profile.failure", provider: "openai", reason: "billing", windowType: "disabled", errorCount: 1, disabledUntil: at(8 + 5 * 3600), profileId: "openai:main" },
    { ...log, ts: at(9), type: "model.failover.surfaced", provider: "openai", model: "gpt-5", reason: "billing", runId: "r1" },
    { ...log, ts: at(10), type: "model.all_failed", attempts: 3, via: "summary", runId: "r1", lastReason: "billing", traceId: TRACE },
    { ...log, ts: at(11), type: "model.all_failed", via: "chain_end" },
    // key-a's cooldown ended at 31 s, key-b's at 63 s: at 40 s one google profile is still cooling down
    { ...log, ts: at(40), type: "channel.lifecycle", channel: "telegram", kind: "restart_attempt", attempt: 1 },
  ],
  channels: [
    { ...log, ts: at(1), type: "channel.telegram.network_error", method: "getUpdates", phase: "polling", retryInMs: 3000 },
    { ...log, ts: at(2), type: "channel.telegram.network_error", phase: "send" },
    { ...log, ts: at(3), type: "channel.discord.reconnect", reason: "zombie", resume: true, delayMs: 1000 },
    { ...log, ts: at(4), type: "channel.websocket.close", channel: "discord", code: "1006" },
    { ...log, ts: at(5), type: "channel.health_monitor.restart", channel: "discord", reason: "stale-socket" },
    { ...log, ts: at(6), type: "channel.lifecycle", channel: "whatsapp", kind: "exited" },
    { ...log, ts: at(7), type: "channel.lifecycle", channel: "whatsapp", kind: "gave_up", attempt: 10 },
  ],
  // Default-level attempt, retry and gateway-health lines (issue 8), and one event of a second
  // OpenClaw profile: its series carry openclaw.profile (metric-sink.ts).
  attempts_and_retries: [
    { ...log, ts: at(1), type: "model.call.error", provider: "fakea", model: "alpha", reason: "rate_limit", status: 402, runId: "run-9" },
    { ...log, ts: at(2), type: "model.call.error", provider: "fakea", model: "alpha", reason: "rate_limit", status: 429 },
    { ...log, ts: at(3), type: "model.call.error", provider: "fakec", model: "gamma", reason: "overloaded" },
    { ...log, ts: at(4), type: "model.retry", provider: "fakea", model: "alpha", reason: "rate_limit", attempt: 1, maxAttempts: 9, delayMs: 1395 },
    { ...log, ts: at(5), type: "model.retry", provider: "fakea", model: "alpha", reason: "overloaded", attempt: 2, maxAttempts: 9, delayMs: 2800 },
    { ...log, ts: at(6), type: "auth.profile.rotation_cap", provider: "fakea", model: "alpha", rotations: 1 },
    { ...log, ts: at(7), type: "agent.turn.failed", errorCode: "UNAVAILABLE", reason: "all_models_failed", runId: "run-9" },
    { ...log, ts: at(8), type: "storage.slow", kind: "session_write", elapsedMs: 11658, queueWaitMs: 11649 },
    { ...log, ts: at(9), type: "storage.slow", kind: "transaction_hold", elapsedMs: 1467 },
    { ...log, ts: at(10), type: "auth.state.rewarm", reason: "auth-profile-failure", durationMs: 4533 },
    { ...log, ts: at(11), type: "pricing.fetch_failed", source: "openrouter" },
    { ...log, profile: "work", ts: at(12), type: "model.call.error", provider: "fakea", model: "alpha", reason: "auth", status: 401 },
    { ...log, ts: at(13), type: "storage.slow", kind: "lock_wait", elapsedMs: 240 },
    { ...log, ts: at(14), type: "model.candidate.succeeded", provider: "fakeb", model: "beta", requestedProvider: "fakea", requestedModel: "alpha", runId: "run-9" },
    { ...log, ts: at(15), type: "agent.turn.completed", stopReason: "stop", runId: "run-9" },
    { ...log, ts: at(16), type: "agent.turn.completed", stopReason: "toolUse", runId: "run-10" },
  ],
  unknown_types: [
    { ...j, ts: at(1), type: "diagnostic.other", originalType: "talk.event" },
    { ...j, ts: at(2), type: "diagnostic.other", originalType: "talk.event" },
    { ...j, ts: at(3), type: "diagnostic.other", originalType: "weird type with spaces" },
    { origin: "echo", profile: "", ts: at(4), type: "webhook.received", channel: "telegram", updateType: "message" },
  ],
};
