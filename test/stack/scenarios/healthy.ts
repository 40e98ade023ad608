/**
 * healthy: a 2026.9.6 gateway at debug level with the companion plugin's JSONL. Telegram
 * messages are answered by anthropic and openai, every model call is a 200, lanes wait a few
 * ms, context use is low and spend is cents. It carries the noise a healthy bot has (a failed
 * callback query now and then, two Telegram polling hiccups), below every alert threshold, so
 * "no alert for this host" is a real check of the thresholds, not of an empty host.
 */
import { diagnosticsJsonl, gatewayLog, type Scenario } from "./lines.ts";

const MESSAGES_PER_BURST = 6;
const MODELS = [["anthropic", "claude-sonnet-4-5"], ["openai", "gpt-5.4"]] as const;

export const healthy: Scenario = {
  host: "healthy",
  fires: [],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    const j = diagnosticsJsonl(now, 1 + i * 100);
    log.chatter(3);
    // Pricing fails once at start-up when offline; auth state is re-warmed now and then; no alert.
    if (i === 0) log.a("gateway/model-pricing", "WARN", "OpenRouter pricing fetch failed: TypeError: fetch failed");
    log.a("gateway", "INFO", `provider auth state re-warmed (auth-profile-failure) in ${4533 + 10 * i}ms eventLoopMax=12ms`);
    for (let m = 0; m < MESSAGES_PER_BURST; m++) {
      const chatId = 4200 + m;
      const sessionKey = `agent:main:telegram:direct:${chatId}`;
      const sessionId = `s-${i}-${m}`;
      const [provider, model] = MODELS[m % 2]!;
      const messageId = 900 + i * 10 + m;
      j.ev("webhook.received", { channel: "telegram", updateType: "message", chatId });
      j.ev("message.queued", { sessionKey, channel: "telegram", source: "dispatch", queueDepth: 1 });
      j.ev("session.state", { sessionKey, sessionId, prevState: "idle", state: "processing", reason: "message_start", queueDepth: 1 });
      j.ev("queue.lane.enqueue", { lane: `session:${sessionKey}`, queueSize: 1 });
      j.ev("queue.lane.dequeue", { lane: `session:${sessionKey}`, queueSize: 0, waitMs: 3 + m });
      j.ev("run.attempt", { sessionKey, sessionId, runId: `run-${i}-${m}`, attempt: 1 });
      j.ev("model.usage", {
        sessionKey, sessionId, channel: "telegram", agentId: "main", provider, model, trace: healthyTrace(i, m),
        usage: { input: 1200, output: 300, cacheRead: 800, cacheWrite: 100, promptTokens: 2100, total: 2400 },
        context: { limit: 200000, used: 24000 + 1000 * m }, costUsd: 0.012, durationMs: 1800 + 100 * m,
      });
      j.ev("webhook.processed", { channel: "telegram", updateType: "message", chatId, durationMs: 1950 + 100 * m });
      j.ev("message.processed", { channel: "telegram", messageId, chatId, sessionKey, sessionId, durationMs: 1900 + 100 * m, outcome: "completed" });
      j.ev("session.state", { sessionKey, sessionId, prevState: "processing", state: "idle", reason: "run_completed", queueDepth: 0 });
      // The same messages as text: dropped by the deduper because this gateway has a JSONL.
      log.echo(`webhook received: channel=telegram type=message chatId=${chatId} total=${i * MESSAGES_PER_BURST + m + 1}`);
      log.echo(`message processed: channel=telegram chatId=${chatId} messageId=${messageId} sessionId=${sessionId} sessionKey=${sessionKey} outcome=completed duration=${1900 + 100 * m}ms`);
      // Model calls have no JSONL event: the [model-fetch] lines are the only source.
      log.a("provider-transport-fetch", "DEBUG", `[model-fetch] start provider=${provider} api=${provider}-messages model=${model} dispatcher=reused`);
      log.a("provider-transport-fetch", "DEBUG", `[model-fetch] response provider=${provider} api=${provider}-messages model=${model} status=200 elapsedMs=${600 + 150 * m} dispatcher=reused contentType=text/event-stream`);
      log.b("agent/embedded", "INFO", { event: "embedded_run_failover_decision", runId: `run-${i}-${m}`, stage: "assistant", decision: "continue_normal", provider, model }, "embedded run failover decision");
      // The answered turn's end line (agents/agent-command, INFO).
      log.a("agents/agent-command", "INFO", `[agent] run run-${i}-${m} ended with stopReason=stop`);
    }
    // Noise under the thresholds: 1 failed callback query in 36 webhooks, 2 polling errors.
    if (i === 4) j.ev("webhook.error", { channel: "telegram", updateType: "callback_query", chatId: 4200, error: "Call to 'answerCallbackQuery' failed! (400: query is too old)" });
    if (i === 1 || i === 3) log.a("gateway/channels/telegram", "ERROR", "Telegram network error: Network request for 'getUpdates' failed! | fetch failed; retrying in 2.1s.");
    const done = (i + 1) * MESSAGES_PER_BURST;
    j.ev("diagnostic.heartbeat", { webhooks: { received: done, processed: done, errors: i >= 4 ? 1 : 0 }, active: 0, waiting: 0, queued: 0 });
    return { log: log.done(), jsonl: j.done() };
  },
};

/** The W3C ids model.usage of burst i, message m carries: the spans must arrive under them. */
export function healthyTrace(i: number, m: number): { traceId: string; spanId: string } {
  const n = (i * 10 + m).toString(16).padStart(4, "0");
  return { traceId: `4bf92f3577b34da6a3ce929d0e0e${n}`, spanId: `00f067aa0ba9${n}` };
}
