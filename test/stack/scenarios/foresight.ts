/**
 * Foresight scenarios: what a forecast or a silence alert must catch in the live stack.
 *  - usage_growth: a gateway whose token use and spend grow steadily (150k tokens and $1.50 a
 *    burst, 900k and $9 by the end): well under 80 % of either daily budget, but at the last
 *    hour's pace both run out within the forecast window, so both forecasts fire before any
 *    80 % or 95 % alert. The hourly spend is over its own knob too.
 *  - messages_stopped: Telegram webhooks keep arriving and no message is ever processed.
 *  - spend_high: 85 % of the daily spend budget used: the 80 % warning (and its forecast).
 * Baselines and the key forecast need hours or days of samples: promtool proves them
 * (prometheus/tests/foresight-week.test.yml).
 */
import { diagnosticsJsonl, gatewayLog, type Scenario } from "./lines.ts";

/** A gateway whose only traffic is `runs` answered Telegram messages a burst, each with this usage. */
function spending(host: string, fires: Scenario["fires"], runs: number, call: { provider: string; model: string; tokens: number; costUsd: number }): Scenario {
  return {
    host, fires,
    burst(i, now) {
      const log = gatewayLog("9.6", now);
      const j = diagnosticsJsonl(now, 1 + i * 100);
      log.chatter(1);
      for (let r = 0; r < runs; r++) {
        const chatId = 6100 + r;
        const sessionKey = `agent:main:telegram:direct:${chatId}`;
        j.ev("model.usage", {
          sessionKey, sessionId: `s-${host}-${r}`, channel: "telegram", agentId: "main", provider: call.provider, model: call.model,
          usage: { input: call.tokens * 0.8, output: call.tokens * 0.2, promptTokens: call.tokens, total: call.tokens },
          context: { limit: 200000, used: 60000 }, costUsd: call.costUsd, durationMs: 9000,
        });
        j.ev("message.processed", { channel: "telegram", messageId: 1000 + i * 10 + r, chatId, sessionKey, durationMs: 9100, outcome: "completed" });
      }
      return { log: log.done(), jsonl: j.done() };
    },
  };
}

export const usageGrowth = spending("usage-growth", [
  { alertname: "OpenClawTokenBudgetForecast" },
  { alertname: "OpenClawCostBudgetForecast" },
  { alertname: "OpenClawCostPerHourHigh" },
], 3, { provider: "anthropic", model: "claude-opus-4-6", tokens: 50000, costUsd: 0.5 });

export const messagesStopped: Scenario = {
  host: "messages-stopped",
  fires: [{ alertname: "OpenClawMessagesStopped", labels: { severity: "critical" } }],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    const j = diagnosticsJsonl(now, 1 + i * 100);
    log.chatter(1);
    for (let m = 0; m < 2; m++) j.ev("webhook.received", { channel: "telegram", updateType: "message", chatId: 7100 + m });
    return { log: log.done(), jsonl: j.done() };
  },
};

/** spend_high: $17 of model spend over the day, 85 % of the $20 daily budget: the 80 % warning. */
export const spendHigh = spending("spend-high", [
  { alertname: "OpenClawCostBudgetNearlyUsed", labels: { severity: "warning" } },
  { alertname: "OpenClawCostBudgetForecast" },
  { alertname: "OpenClawCostPerHourHigh" },
], 1, { provider: "openai", model: "gpt-5.4", tokens: 10000, costUsd: 17 / 6 });
