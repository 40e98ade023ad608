/** The "Tokens and cost" dashboard. */
import type { DashboardSpec } from "./lib.ts";
import { C, increase, quantile, rate, sel } from "./lib.ts";

/** openclaw_token="total" is upstream's own total; never sum across token types. */
const TOTAL = 'openclaw_token="total"';

export const cost: DashboardSpec = {
  uid: "openclaw-cost",
  title: "Tokens and cost",
  description: "Tokens and estimated cost by provider, model and channel, per day, and use of the daily token budget (knobs.yml).",
  items: [
    { type: "stat", w: 6, title: "Daily token budget used", unit: "percentunit", description: "Tokens of the rolling last 24 h as a share of openclaw:knob:token_budget_daily (prometheus/rules/knobs.yml).",
      queries: [{ expr: `max(openclaw:token_budget:used_ratio${sel()})` }] },
    { type: "stat", w: 6, title: "Tokens, last 24 h", unit: "short", description: "All tokens over the rolling last 24 hours (openclaw_token=\"total\").",
      queries: [{ expr: `sum(openclaw:tokens:used24h${sel()})` }] },
    { type: "stat", w: 6, title: "Cost, last 24 h", unit: "currencyUSD", description: "Estimated spend over the rolling last 24 hours.",
      queries: [{ expr: `sum(openclaw:cost_usd:spent24h${sel()})` }] },
    { type: "stat", w: 6, title: "Spend per hour now", unit: "currencyUSD", description: "Current estimated spend rate, USD per hour.",
      queries: [{ expr: `3600 * sum(${rate("openclaw_cost_usd_total", sel(C))})` }] },
    { title: "Tokens / min by provider and model", unit: "short", stack: true, description: "Tokens per minute (all types) by provider and model.", traces: "openclaw.model.usage",
      queries: [{ expr: `60 * sum by (openclaw_provider, openclaw_model) (${rate("openclaw_tokens_total", sel(C, TOTAL))})`, legend: "{{openclaw_provider}}/{{openclaw_model}}" }] },
    { title: "Tokens / min by type", unit: "short", stack: true, description: "Tokens per minute by type (input, output, cache read, cache write); prompt and total are sums of these and left out.",
      queries: [{ expr: `60 * sum by (openclaw_token) (${rate("openclaw_tokens_total", sel(C, 'openclaw_token=~"input|output|cache_read|cache_write"'))})`, legend: "{{openclaw_token}}" }] },
    { title: "Tokens / min by channel", unit: "short", stack: true, description: "Tokens per minute (all types) by channel.",
      queries: [{ expr: `60 * sum by (openclaw_channel) (${rate("openclaw_tokens_total", sel(C, TOTAL))})`, legend: "{{openclaw_channel}}" }] },
    { title: "Spend per hour by provider and model", unit: "currencyUSD", stack: true, description: "Estimated spend rate in USD per hour.",
      queries: [{ expr: `3600 * sum by (openclaw_provider, openclaw_model) (${rate("openclaw_cost_usd_total", sel(C))})`, legend: "{{openclaw_provider}}/{{openclaw_model}}" }] },
    { title: "Tokens per day", unit: "short", bars: true, stack: true, interval: "1d", description: "Tokens per day by provider (bars of one day: the panel interval is 1d).",
      queries: [{ expr: `sum by (openclaw_provider) (${increase("openclaw_tokens_total", sel(C, TOTAL))})`, legend: "{{openclaw_provider}}" }] },
    { title: "Cost per day", unit: "currencyUSD", bars: true, stack: true, interval: "1d", description: "Estimated spend per day by provider (panel interval 1d).",
      queries: [{ expr: `sum by (openclaw_provider) (${increase("openclaw_cost_usd_total", sel(C))})`, legend: "{{openclaw_provider}}" }] },
    { title: "Daily token budget used", unit: "percentunit", description: "Share of the daily token budget used over the rolling last 24 h; alerts at 80 % and 95 %.",
      queries: [{ expr: `openclaw:token_budget:used_ratio${sel()}`, legend: "{{host_name}} {{openclaw_profile}}" }] },
    { title: "Context window use p95", unit: "percentunit", description: "95th percentile share of the context window used per run; alert above 80 %.",
      queries: [{ expr: quantile(0.95, "openclaw_context_utilization", sel(), ["openclaw_provider", "openclaw_model"]), legend: "{{openclaw_provider}}/{{openclaw_model}}" }] },
    { title: "Context tokens p95", unit: "short", description: "95th percentile context size (used) and limit per run, upstream openclaw.context.tokens.",
      queries: [{ expr: quantile(0.95, "openclaw_context_tokens", sel(C), ["openclaw_context", "openclaw_model"]), legend: "{{openclaw_context}} {{openclaw_model}}" }] },
    { title: "Run attempts", unit: "opm", description: "Run attempts per minute by attempt number (retries show as attempt > 1).",
      queries: [{ expr: `60 * sum by (openclaw_attempt) (${rate("openclaw_run_attempt_total", sel())})`, legend: "attempt {{openclaw_attempt}}" }] },
  ],
};
