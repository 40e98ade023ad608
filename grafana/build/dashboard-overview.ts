/** The "Overview" dashboard. */
import type { DashboardSpec } from "./lib.ts";
import { C, increase, rate, sel } from "./lib.ts";

export const overview: DashboardSpec = {
  uid: "openclaw-overview",
  title: "Overview",
  description: "Is the OpenClaw gateway answering, and what is going wrong: messages, errors, failovers, stuck sessions, cooldowns, cost.",
  items: [
    { type: "stat", w: 4, title: "Messages / min", unit: "opm", description: "Messages processed per minute, all outcomes.",
      queries: [{ expr: `60 * sum(${rate("openclaw_message_processed_total", sel(C))})` }] },
    { type: "stat", w: 4, title: "Errors / min", unit: "opm", description: "Messages that ended with outcome error, per minute.",
      queries: [{ expr: `60 * sum(${rate("openclaw_message_processed_total", sel(C, 'openclaw_outcome="error"'))})` }] },
    { type: "stat", w: 4, title: "Failovers / min", unit: "opm", description: "Model failovers per minute (a candidate failed, the next one was tried).",
      queries: [{ expr: `60 * sum(${rate("openclaw_model_failover_total", sel())})` }] },
    { type: "stat", w: 4, title: "Stuck sessions", unit: "short", description: "Sessions stuck or stalled right now.",
      queries: [{ expr: `sum(openclaw_session_stuck_active${sel()})` }] },
    { type: "stat", w: 4, title: "Profiles in cooldown", unit: "short", description: "Auth profiles (API keys) in a cooldown or disabled window right now.",
      queries: [{ expr: `sum(openclaw_auth_cooldown_active${sel()})` }] },
    { type: "stat", w: 4, title: "Cost, last 24 h", unit: "currencyUSD", description: "Estimated model spend over the rolling last 24 hours (recording rule openclaw:cost_usd:spent24h).",
      queries: [{ expr: `sum(openclaw:cost_usd:spent24h${sel()})` }] },
    { type: "stat", w: 4, title: "Failed turns", unit: "short", description: "User turns that ended without a reply, per interval (gateway/ws res ✗ agent, or the reply runner's failed-before-reply line; a log-only gateway at the default level shows these, not message outcomes).",
      queries: [{ expr: `sum by (openclaw_reason) (${increase("openclaw_agent_turn_failed_total", sel())})`, legend: "{{openclaw_reason}}" }] },
    { row: "Traffic and errors" },
    { title: "Messages by outcome", unit: "opm", stack: true, description: "Messages processed per minute by outcome and channel.", traces: "openclaw.message.processed",
      queries: [{ expr: `60 * sum by (openclaw_channel, openclaw_outcome) (${rate("openclaw_message_processed_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_outcome}}" }] },
    { title: "Turns answered and failed", unit: "short", bars: true, description: "User turns per interval: answered (the run's end line at info, by stop reason: the success a default-level log shows where it logs no 2xx) and failed (by reason).",
      queries: [
        { expr: `sum by (openclaw_reason) (${increase("openclaw_agent_turn_completed_total", sel())})`, legend: "answered ({{openclaw_reason}})" },
        { expr: `sum by (openclaw_reason) (${increase("openclaw_agent_turn_failed_total", sel())})`, legend: "failed ({{openclaw_reason}})" },
      ] },
    { title: "Failovers by reason", unit: "opm", stack: true, description: "Model failovers per minute by failover reason.",
      queries: [{ expr: `60 * sum by (openclaw_failover_reason) (${rate("openclaw_model_failover_total", sel())})`, legend: "{{openclaw_failover_reason}}" }] },
    { title: "All models failed", unit: "short", bars: true, description: "Runs where every model candidate failed, by reason of the last failure, per interval.",
      queries: [{ expr: `sum by (openclaw_reason) (${increase("openclaw_model_all_failed_total", sel())})`, legend: "{{openclaw_reason}}" }] },
    { title: "Stuck sessions and cooldowns", unit: "short", description: "Sessions stuck or stalled, and auth profiles in cooldown, over time.",
      queries: [
        { expr: `sum by (openclaw_kind) (openclaw_session_stuck_active${sel()})`, legend: "sessions {{openclaw_kind}}" },
        { expr: `sum by (openclaw_provider) (openclaw_auth_cooldown_active${sel()})`, legend: "cooldown {{openclaw_provider}}" },
      ] },
    { title: "Spend per hour", unit: "currencyUSD", description: "Estimated spend rate in USD per hour by provider.",
      queries: [{ expr: `3600 * sum by (openclaw_provider) (${rate("openclaw_cost_usd_total", sel(C))})`, legend: "{{openclaw_provider}}" }] },
    { title: "Gateway liveness and memory warnings", unit: "short", bars: true, description: "Event-loop/CPU liveness warnings and memory-pressure warnings the gateway logged, per interval.",
      queries: [
        { expr: `sum by (openclaw_liveness_reason) (${increase("openclaw_liveness_warning_total", sel())})`, legend: "liveness {{openclaw_liveness_reason}}" },
        { expr: `sum by (openclaw_memory_level) (${increase("openclaw_memory_pressure_total", sel())})`, legend: "memory {{openclaw_memory_level}}" },
      ] },
  ],
};
