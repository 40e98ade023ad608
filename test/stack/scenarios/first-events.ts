/**
 * first_*: one event each, written once in the first burst and never again, so its counter
 * series is born at 1 and never grows: exactly what increase() alone cannot see. One
 * scenario per counter-based critical alert (issue: "a test per counter-based critical alert
 * feeds a single event"); each must page on both paths.
 */
import { gatewayLog, type Scenario } from "./lines.ts";

function once(host: string, fires: Scenario["fires"], write: (log: ReturnType<typeof gatewayLog>, now: number) => void): Scenario {
  return {
    host,
    fires,
    burst(i, now) {
      const log = gatewayLog("9.6", now);
      log.chatter(1);
      if (i === 0) write(log, now);
      return { log: log.done() };
    },
  };
}

/** The reply runner's line is both the chain's summary and a failed turn (docs/events.md, Failed turns, once). */
export const firstAllFailed = once("first-all-failed", [
  { alertname: "OpenClawAllModelsFailing", labels: { severity: "critical" } },
  { alertname: "OpenClawTurnsFailing", labels: { openclaw_reason: "all_models_failed" } },
], (log) => {
  log.c("ERROR", "Embedded agent failed before reply: All models failed (2): anthropic/claude-opus-4-6: 429 Too Many Requests (rate_limit) | openai/gpt-5.4: 429 Too Many Requests (rate_limit)");
});

/**
 * A 402 answer: OpenClaw disables the key for hours, so the first one must page. Before it the
 * model answered once, as a log that shows 200s does (7.x at info), so half its requests failed.
 */
export const firstBilling = once("first-billing", [
  { alertname: "OpenClawProviderBillingExhausted", labels: { openclaw_provider: "openai" } },
  { alertname: "OpenClawModelFailureRateHigh", labels: { openclaw_provider: "openai", openclaw_model: "gpt-5.4" } },
], (log) => {
  log.a("provider-transport-fetch", "INFO", "[model-fetch] response provider=openai api=openai-responses model=gpt-5.4 status=200 elapsedMs=950 dispatcher=reused contentType=application/json");
  log.a("provider-transport-fetch", "INFO", "[model-fetch] response provider=openai api=openai-responses model=gpt-5.4 status=402 elapsedMs=210 dispatcher=reused contentType=application/json");
});

/** A revoked key (401): its cooldown window opens; with the only key the log knows of in cooldown, the provider is exhausted too. */
export const firstAuth = once("first-auth", [
  { alertname: "OpenClawProviderAuthFailing", labels: { openclaw_provider: "anthropic" } },
  { alertname: "OpenClawProviderProfilesExhausted", labels: { openclaw_provider: "anthropic" } },
], (log, now) => {
  log.b("agent/embedded", "WARN", { event: "auth_profile_failure_state_updated", runId: "run-first-auth", profileId: "sha256:anthr0pic01", provider: "anthropic", reason: "auth", windowType: "cooldown", windowReused: false, errorCount: 1, cooldownUntil: now + 3_600_000 }, "auth profile failure state updated");
});

/** OpenClaw skips a provider whose every profile is unavailable. */
export const firstProviderSkip = once("first-provider-skip", [{ alertname: "OpenClawProviderProfilesExhausted", labels: { openclaw_provider: "google" } }], (log) => {
  log.b("model-fallback/decision", "WARN", { event: "model_fallback_decision", tags: ["error_handling", "model_fallback", "skip_candidate"], runId: "run-first-skip", decision: "skip_candidate", requestedProvider: "google", requestedModel: "gemini-2.5-pro", candidateProvider: "google", candidateModel: "gemini-2.5-pro", reason: "rate_limit", total: 2, lane: "main", nextCandidateProvider: "openai", nextCandidateModel: "gpt-5.4" }, "model fallback decision");
});
