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

export const usageGrowth: Scenario = {
  host: "usage-growth",
  fires: [
    { alertname: "OpenClawTokenBudgetForecast" },
    { alertname: "OpenClawCostBudgetForecast" },
    { alertname: "OpenClawCostPerHourHigh" },
  ],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    const j = diagnosticsJsonl(now, 1 + i * 100);
    log.chatter(1);
    for (let r = 0; r < 3; r++) {
      const sessionKey = `agent:main:telegram:direct:${6100 + r}`;
      j.ev("model.usage", {
        sessionKey, sessionId: `s-ug-${r}`, channel: "telegram", agentId: "main", provider: "anthropic", model: "claude-opus-4-6",
        usage: { input: 40000, output: 10000, promptTokens: 50000, total: 50000 }, context: { limit: 200000, used: 60000 }, costUsd: 0.5, durationMs: 9000,
      });
      j.ev("message.processed", { channel: "telegram", messageId: 1000 + i * 10 + r, chatId: 6100 + r, sessionKey, durationMs: 9100, outcome: "completed" });
    }
    return { log: log.done(), jsonl: j.done() };
  },
};

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
export const spendHigh: Scenario = {
  host: "spend-high",
  fires: [
    { alertname: "OpenClawCostBudgetNearlyUsed", labels: { severity: "warning" } },
    { alertname: "OpenClawCostBudgetForecast" },
    { alertname: "OpenClawCostPerHourHigh" },
  ],
  burst(i, now) {
    const log = gatewayLog("9.6", now);
    const j = diagnosticsJsonl(now, 1 + i * 100);
    log.chatter(1);
    const sessionKey = "agent:main:telegram:direct:6200";
    j.ev("model.usage", {
      sessionKey, sessionId: "s-sh", channel: "telegram", agentId: "main", provider: "openai", model: "gpt-5.4",
      usage: { input: 8000, output: 2000, promptTokens: 10000, total: 10000 }, context: { limit: 400000, used: 20000 }, costUsd: 17 / 6, durationMs: 7000,
    });
    j.ev("message.processed", { channel: "telegram", messageId: 2000 + i, chatId: 6200, sessionKey, durationMs: 7100, outcome: "completed" });
    return { log: log.done(), jsonl: j.done() };
  },
};
