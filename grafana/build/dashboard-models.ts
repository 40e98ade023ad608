/** The "Models and failover" dashboard. */
import type { DashboardSpec } from "./lib.ts";
import { increase, quantile, rate, sel } from "./lib.ts";

export const models: DashboardSpec = {
  uid: "openclaw-models",
  title: "Models and failover",
  description: "Which models fail, why, where traffic falls back to, auth-profile cooldowns, and provider request latency and outcomes.",
  channelVariable: false,
  items: [
    { title: "Failovers by reason", unit: "opm", stack: true, description: "Model failovers per minute by reason (rate_limit, auth, billing, timeout, ...).",
      queries: [{ expr: `60 * sum by (openclaw_failover_reason) (${rate("openclaw_model_failover_total", sel())})`, legend: "{{openclaw_failover_reason}}" }] },
    { title: "Failovers from -> to", unit: "opm", description: "Failovers per minute by failing model and the model tried next.",
      queries: [{ expr: `60 * sum by (openclaw_provider, openclaw_model, openclaw_failover_to_provider, openclaw_failover_to_model) (${rate("openclaw_model_failover_total", sel())})`,
        legend: "{{openclaw_provider}}/{{openclaw_model}} -> {{openclaw_failover_to_provider}}/{{openclaw_failover_to_model}}" }] },
    { title: "All models failed", unit: "short", bars: true, description: "Runs where every candidate failed, per interval, by reason of the last failure.",
      queries: [{ expr: `sum by (openclaw_reason) (${increase("openclaw_model_all_failed_total", sel())})`, legend: "{{openclaw_reason}}" }] },
    { row: "Auth profiles" },
    { title: "Profiles in cooldown, of those known", unit: "short", description: "Auth profiles in a cooldown or disabled window now, by provider and window type (each leaves at its cooldownUntil), beside the keys the log proves each provider has (openclaw_auth_profiles_known): when the two meet, the provider is exhausted.",
      queries: [
        { expr: `sum by (openclaw_provider, openclaw_window) (openclaw_auth_cooldown_active${sel()})`, legend: "{{openclaw_provider}} {{openclaw_window}}" },
        { expr: `max by (openclaw_provider) (openclaw_auth_profiles_known${sel()})`, legend: "{{openclaw_provider}} keys known" },
      ] },
    { title: "Cooldown remaining", unit: "s", description: "Time until the last open cooldown or disabled window of each provider ends (its cooldownUntil/disabledUntil minus now). Gone when no window is open.",
      queries: [{ expr: `max by (openclaw_provider, openclaw_window) (openclaw_auth_cooldown_until_seconds${sel()}) - time()`, legend: "{{openclaw_provider}} {{openclaw_window}}" }] },
    { title: "Cooldown length (p95 of windows opened)", unit: "ms", description: "How long the cooldown/disabled windows opened recently last: the time a profile stays out once it enters one.",
      queries: [{ expr: quantile(0.95, "openclaw_auth_cooldown_length_milliseconds", sel(), ["openclaw_provider", "openclaw_window"]), legend: "{{openclaw_provider}} {{openclaw_window}}" }] },
    { title: "Windows opened, rotations, skipped providers", unit: "opm", description: "Per minute: cooldown/disabled windows opened by reason, switches to the next auth profile, and providers skipped because every profile was unavailable.",
      queries: [
        { expr: `60 * sum by (openclaw_provider, openclaw_reason) (${rate("openclaw_auth_window_opened_total", sel())})`, legend: "opened {{openclaw_provider}} {{openclaw_reason}}" },
        { expr: `60 * sum by (openclaw_provider) (${rate("openclaw_auth_profile_rotation_total", sel())})`, legend: "rotation {{openclaw_provider}}" },
        { expr: `60 * sum by (openclaw_provider) (${rate("openclaw_auth_provider_unavailable_total", sel())})`, legend: "skipped {{openclaw_provider}}" },
      ] },
    { row: "Model health" },
    { title: "Since the last success", unit: "s", description: "Seconds since a request to each model last succeeded. A model missing here has shown no success in the input: at the default log level 9.6 logs failed requests only (the companion plugin or logging.level debug brings successes), so its health is unknown, not bad.",
      queries: [{ expr: `time() - max by (openclaw_provider, openclaw_model) (openclaw_model_last_success_seconds${sel()})`, legend: "{{openclaw_provider}}/{{openclaw_model}}" }] },
    { title: "Failures in a row", unit: "short", description: "Failed requests to each model since its last success (alert at the model_consecutive_failures knob), and seconds since its last failure.",
      queries: [
        { expr: `max by (openclaw_provider, openclaw_model) (openclaw_model_consecutive_failures${sel()})`, legend: "{{openclaw_provider}}/{{openclaw_model}} in a row" },
        { expr: `time() - max by (openclaw_provider, openclaw_model) (openclaw_model_last_failure_seconds${sel()})`, legend: "{{openclaw_provider}}/{{openclaw_model}} s since failure" },
      ] },
    { title: "Failed share, 5 min and 1 h", unit: "percentunit", description: "Share of failed requests per model (recording rules openclaw:model_failure_ratio:5m and :1h), only where the input shows successes.",
      queries: [
        { expr: `max by (openclaw_provider, openclaw_model) (openclaw:model_failure_ratio:5m${sel()})`, legend: "{{openclaw_provider}}/{{openclaw_model}} 5m" },
        { expr: `max by (openclaw_provider, openclaw_model) (openclaw:model_failure_ratio:1h${sel()})`, legend: "{{openclaw_provider}}/{{openclaw_model}} 1h" },
      ] },
    { row: "Provider requests" },
    { title: "Request outcomes per provider", unit: "opm", stack: true, description: "HTTP requests to model providers per minute by outcome and status.",
      queries: [{ expr: `60 * sum by (openclaw_provider, openclaw_outcome, openclaw_http_status) (${rate("openclaw_model_request_total", sel())})`, legend: "{{openclaw_provider}} {{openclaw_outcome}} {{openclaw_http_status}}" }] },
    { title: "Request latency p95 per provider", unit: "ms", description: "95th percentile latency of provider HTTP requests.", traces: "openclaw.model.usage",
      queries: [{ expr: quantile(0.95, "openclaw_model_request_duration_milliseconds", sel(), ["openclaw_provider", "openclaw_model"]), legend: "{{openclaw_provider}}/{{openclaw_model}}" }] },
    { title: "Run duration p95 per model", unit: "ms", description: "95th percentile agent run duration (upstream openclaw.run.duration_ms).", traces: "openclaw.model.usage",
      queries: [{ expr: quantile(0.95, "openclaw_run_duration_ms_milliseconds", sel(), ["openclaw_provider", "openclaw_model"]), legend: "{{openclaw_provider}}/{{openclaw_model}}" }] },
    { title: "Runs that surfaced the provider error", unit: "short", bars: true, description: "Runs that gave up and showed the provider error to the user, per interval.",
      queries: [{ expr: `sum by (openclaw_provider, openclaw_reason) (${increase("openclaw_model_failover_surfaced_total", sel())})`, legend: "{{openclaw_provider}} {{openclaw_reason}}" }] },
    { title: "Model usage spans", description: "Recent openclaw.model.usage spans in Jaeger (one per model call with tokens).", operation: "openclaw.model.usage" },
  ],
};
