/**
 * all_models_failing: the outage users describe. anthropic answers 429, openai 401 (a revoked
 * key), google times out after 30 s, so every run walks the whole chain and the user gets an
 * error instead of a reply. Per-model symptoms (failover storm, 429s, failure rate, latency,
 * keys in cooldown) all fire too, and Alertmanager must hold them back behind
 * OpenClawAllModelsFailing. The revoked key's cooldown (a gauge, so it would fire at the first
 * scrape) starts with burst 1, when the counters of burst 0 first rise, so the per-model
 * alerts cannot get ahead of the alert that inhibits them.
 */
import { gatewayLog, type Scenario } from "./lines.ts";

const RUNS_PER_BURST = 3;

export const allModelsFailing: Scenario = {
  host: "all-models-failing",
  fires: [
    { alertname: "OpenClawAllModelsFailing", labels: { severity: "critical" } },
    { alertname: "OpenClawProviderAuthFailing", labels: { openclaw_provider: "openai" } },
    { alertname: "OpenClawTurnsFailing", labels: { openclaw_reason: "all_models_failed" } },
  ],
  inhibited: [
    { alertname: "OpenClawModelFailoverStorm", labels: { openclaw_failover_reason: "rate_limit" } },
    { alertname: "OpenClawProviderRateLimited", labels: { openclaw_provider: "anthropic" } },
    { alertname: "OpenClawModelFailureRateHigh", labels: { openclaw_provider: "google" } },
    { alertname: "OpenClawModelLatencyHigh", labels: { openclaw_provider: "google" } },
    { alertname: "OpenClawProviderProfilesExhausted", labels: { openclaw_provider: "openai" } },
    { alertname: "OpenClawModelFailingRepeatedly", labels: { openclaw_provider: "google" } },
  ],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    log.chatter(2);
    // Before the outage google answered, at a level that logs 200s: the failure share is known.
    if (i === 0) log.a("provider-transport-fetch", "DEBUG", "[model-fetch] response provider=google api=google-generative-ai model=gemini-2.5-pro status=200 elapsedMs=850 dispatcher=reused contentType=application/json");
    for (let r = 0; r < RUNS_PER_BURST; r++) {
      const runId = `run-af-${i}-${r}`;
      const chatId = 5100 + r;
      const sessionKey = `agent:main:telegram:direct:${chatId}`;
      const fb = { event: "model_fallback_decision", runId, requestedProvider: "anthropic", requestedModel: "claude-opus-4-6", total: 3, lane: "main", channel: "telegram", agentId: "main" };
      log.a("provider-transport-fetch", "INFO", "[model-fetch] response provider=anthropic api=anthropic-messages model=claude-opus-4-6 status=429 elapsedMs=310 dispatcher=reused contentType=application/json");
      log.b("model-fallback/decision", "WARN", { ...fb, tags: ["error_handling", "model_fallback", "candidate_failed"], decision: "candidate_failed", candidateProvider: "anthropic", candidateModel: "claude-opus-4-6", attempt: 1, reason: "rate_limit", status: 429, nextCandidateProvider: "openai", nextCandidateModel: "gpt-5.4" }, "model fallback decision");
      log.a("provider-transport-fetch", "INFO", "[model-fetch] response provider=openai api=openai-responses model=gpt-5.4 status=401 elapsedMs=180 dispatcher=reused contentType=application/json");
      if (i >= 1 && r === 0) {
        log.b("agent/embedded", "WARN", { event: "auth_profile_failure_state_updated", runId, profileId: "sha256:opena1key0", provider: "openai", reason: "auth", windowType: "cooldown", windowReused: i > 1, errorCount: i, cooldownUntil: now + 300_000 }, "auth profile failure state updated");
      }
      log.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_failed", candidateProvider: "openai", candidateModel: "gpt-5.4", attempt: 2, reason: "auth", status: 401, nextCandidateProvider: "google", nextCandidateModel: "gemini-2.5-pro" }, "model fallback decision");
      log.a("provider-transport-fetch", "WARN", `[model-fetch] error provider=google api=google-generative-ai model=gemini-2.5-pro elapsedMs=${30004 + r} message=LLM idle timeout (30s): no response`);
      // Last candidate, no next one: the end of the chain (counted), then the summary
      // OpenClaw writes on this path (the deduper keeps one of the two).
      log.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_failed", candidateProvider: "google", candidateModel: "gemini-2.5-pro", attempt: 3, reason: "timeout", status: 408 }, "model fallback decision");
      log.b("agent/embedded", "WARN", { event: "embedded_run_failover_decision", runId, stage: "assistant", decision: "surface_error", failoverReason: "timeout", provider: "google", model: "gemini-2.5-pro" }, "embedded run failover decision");
      // The failed attempt as every version writes it at the default level, and the gateway's
      // error answer to the turn (counted once: the root lines below are the same turn).
      log.b("agent/embedded", "WARN", { event: "embedded_run_agent_end", tags: ["error_handling", "lifecycle", "agent_end", "assistant_error"], runId, isError: true, error: "LLM request failed.", failoverReason: "rate_limit", provider: "anthropic", model: "claude-opus-4-6", rawErrorPreview: "429 Too Many Requests" }, "embedded run agent end");
      log.a("gateway/ws", "INFO", `⇄ res ✗ agent errorCode=UNAVAILABLE errorMessage=All models failed (3): anthropic/claude-opus-4-6: 429 Too Many Requests (rate_limit) | openai/gpt-5.4: 401 Incorrect API key provided (auth) | google/gemini-2.5-pro: LLM idle timeout (30s) (timeout) runId=${runId} conn=d5d738cb…3107 id=e48ac832…11ee`);
      log.c("ERROR", "Embedded agent failed before reply: All models failed (3): anthropic/claude-opus-4-6: 429 Too Many Requests (rate_limit) | openai/gpt-5.4: 401 Incorrect API key provided (auth) | google/gemini-2.5-pro: LLM idle timeout (30s): no response (timeout)");
      log.echo(`lane task error: lane=main durationMs=${30600 + r} error="FailoverError: All models failed (3)"`, "ERROR");
      log.echo(`message processed: channel=telegram chatId=${chatId} messageId=${700 + i * 10 + r} sessionId=s-af-${r} sessionKey=${sessionKey} outcome=error duration=${30700 + r}ms error="All models failed (3)"`, "ERROR");
    }
    return { log: log.done() };
  },
};
