/**
 * rate_limit_storm: anthropic answers 429 to every request. Runs rotate to the next auth
 * profile while one is left, the failing key enters a 5-minute cooldown (a new key per burst,
 * all three in cooldown from the third burst on, which the sidecar knows to be all of them), the run falls back to openai (or, when openai's keys are
 * unavailable too, straight on to google) and succeeds there. Nobody gets an error, so nothing "all models
 * failed"; the point is to page before the fallbacks' quota or bill runs out.
 */
import { gatewayLog, type Scenario } from "./lines.ts";

const RUNS_PER_BURST = 4;
const KEYS = 3;

export const rateLimitStorm: Scenario = {
  host: "rate-limit-storm",
  fires: [
    { alertname: "OpenClawModelFailoverStorm", labels: { openclaw_failover_reason: "rate_limit" } },
    { alertname: "OpenClawProviderRateLimited", labels: { openclaw_provider: "anthropic" } },
    { alertname: "OpenClawProviderProfilesExhausted", labels: { openclaw_provider: "anthropic" } },
    // Every request to the primary fails (a 429 is a failed request).
    { alertname: "OpenClawModelFailureRateHigh", labels: { openclaw_provider: "anthropic", openclaw_model: "claude-opus-4-6" } },
    // No request to the primary ever succeeds.
    { alertname: "OpenClawModelFailingRepeatedly", labels: { openclaw_provider: "anthropic", openclaw_model: "claude-opus-4-6" } },
    // A same-model retry before every failover: the retry budget burning.
    { alertname: "OpenClawModelRetryStorm", labels: { openclaw_provider: "anthropic" } },
  ],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    log.chatter(2);
    for (let r = 0; r < RUNS_PER_BURST; r++) {
      const runId = `run-rl-${i}-${r}`;
      // One key hits its limit per burst; its window opens once, later 429s reuse it.
      const profileId = `sha256:anthr0key${i % KEYS}`;
      const opens = i < KEYS && r === 0;
      const fb = { event: "model_fallback_decision", runId, requestedProvider: "anthropic", requestedModel: "claude-opus-4-6", total: 3, lane: "main", channel: "telegram", agentId: "main" };
      log.a("provider-transport-fetch", "INFO", `[model-fetch] response provider=anthropic api=anthropic-messages model=claude-opus-4-6 status=429 elapsedMs=${280 + 20 * r} dispatcher=reused contentType=application/json`);
      log.a("agent/embedded", "WARN", "transient same-model retry 1/2 for anthropic/claude-opus-4-6 reason=rate_limit: delayMs=2000");
      // OpenClaw rotates to another key while one is left out of cooldown; the last one's
      // failure has nowhere to rotate to (the sidecar learns the provider has 3 keys).
      if (i < KEYS - 1) log.b("agent/embedded", "WARN", { event: "embedded_run_failover_decision", tags: ["error_handling", "failover", "prompt", "rotate_profile"], runId, stage: "prompt", decision: "rotate_profile", failoverReason: "rate_limit", provider: "anthropic", model: "claude-opus-4-6", profileId, fallbackConfigured: true }, "embedded run failover decision");
      log.b("agent/embedded", "WARN", { event: "auth_profile_failure_state_updated", tags: ["error_handling", "auth_profiles", "cooldown"], runId, profileId, provider: "anthropic", reason: "rate_limit", windowType: "cooldown", windowReused: !opens, previousErrorCount: opens ? 0 : 1, errorCount: opens ? 1 : 2, cooldownUntil: now + 300_000 }, "auth profile failure state updated");
      log.a("agent/embedded", "WARN", "rate-limit profile rotation cap reached for anthropic/claude-opus-4-6 after 2 rotations; escalating to model fallback");
      log.b("model-fallback/decision", "WARN", { ...fb, tags: ["error_handling", "model_fallback", "candidate_failed"], decision: "candidate_failed", candidateProvider: "anthropic", candidateModel: "claude-opus-4-6", attempt: 1, reason: "rate_limit", status: 429, nextCandidateProvider: "openai", nextCandidateModel: "gpt-5.4" }, "model fallback decision");
      if (r === RUNS_PER_BURST - 1) {
        // openai's keys are out too: OpenClaw skips the provider and goes on to google.
        log.b("model-fallback/decision", "WARN", { ...fb, decision: "skip_candidate", candidateProvider: "openai", candidateModel: "gpt-5.4", attempt: 2, reason: "rate_limit", nextCandidateProvider: "google", nextCandidateModel: "gemini-2.5-pro" }, "model fallback decision");
        log.a("provider-transport-fetch", "DEBUG", "[model-fetch] response provider=google api=google-generative-ai model=gemini-2.5-pro status=200 elapsedMs=2100 dispatcher=reused contentType=text/event-stream");
        log.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_succeeded", candidateProvider: "google", candidateModel: "gemini-2.5-pro", attempt: 3 }, "model fallback decision");
      } else {
        log.a("provider-transport-fetch", "DEBUG", "[model-fetch] response provider=openai api=openai-responses model=gpt-5.4 status=200 elapsedMs=1500 dispatcher=reused contentType=text/event-stream");
        log.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_succeeded", candidateProvider: "openai", candidateModel: "gpt-5.4", attempt: 2 }, "model fallback decision");
      }
    }
    return { log: log.done() };
  },
};
