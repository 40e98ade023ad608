/** The "Sessions and queues" dashboard. */
import type { DashboardSpec } from "./lib.ts";
import { C, increase, quantile, rate, sel } from "./lib.ts";

export const sessions: DashboardSpec = {
  uid: "openclaw-sessions",
  title: "Sessions and queues",
  description: "Session states, stuck and stalled sessions, lane queues and how long tasks wait in them.",
  items: [
    { title: "Session state transitions", unit: "opm", stack: true, description: "Session state changes per minute by state.",
      queries: [{ expr: `60 * sum by (openclaw_state) (${rate("openclaw_session_state_total", sel())})`, legend: "{{openclaw_state}}" }] },
    { title: "Stuck and stalled sessions", unit: "short", description: "Sessions stuck or stalled right now, by kind.", traces: "openclaw.session.stuck",
      queries: [{ expr: `sum by (openclaw_kind) (openclaw_session_stuck_active${sel()})`, legend: "{{openclaw_kind}}" }] },
    { title: "Stuck / stalled / long-running warnings", unit: "short", bars: true, description: "Warnings OpenClaw logged about sessions, per interval, by kind.",
      queries: [
        { expr: `sum by (openclaw_kind, openclaw_classification) (${increase("openclaw_session_attention_total", sel())})`, legend: "{{openclaw_kind}} {{openclaw_classification}}" },
        { expr: `sum by (openclaw_state) (${increase("openclaw_session_stuck_total", sel())})`, legend: "stuck in {{openclaw_state}}" },
      ] },
    { title: "Age of stuck sessions (p95)", unit: "ms", description: "How long sessions had been stuck when detected, 95th percentile.",
      queries: [{ expr: quantile(0.95, "openclaw_session_stuck_age_ms_milliseconds", sel(), ["openclaw_state"]), legend: "{{openclaw_state}}" }] },
    { row: "Session store" },
    { title: "Slow storage operations", unit: "short", bars: true, description: "Slow SQLite session-store operations per interval by kind (2026.9.x: session_write, transaction_hold, reclamation).",
      queries: [{ expr: `sum by (openclaw_kind) (${increase("openclaw_storage_slow_total", sel())})`, legend: "{{openclaw_kind}}" }] },
    { title: "Slow storage p95 duration and lock wait", unit: "ms", description: "95th percentile duration of slow SQLite operations, and of the time slow writes waited for the writer (queueWaitMs).",
      queries: [
        { expr: quantile(0.95, "openclaw_storage_slow_duration_milliseconds", sel(), ["openclaw_kind"]), legend: "{{openclaw_kind}} duration" },
        { expr: quantile(0.95, "openclaw_storage_lock_wait_milliseconds", sel(), ["openclaw_kind"]), legend: "{{openclaw_kind}} lock wait" },
      ] },
    { row: "Queues and lanes" },
    { title: "Queue depth p95", unit: "short", description: "95th percentile of sampled queue depth, by lane and channel.",
      queries: [{ expr: quantile(0.95, "openclaw_queue_depth", sel(), ["openclaw_lane", "openclaw_channel"]), legend: "{{openclaw_lane}}{{openclaw_channel}}" }] },
    { title: "Lane wait p95", unit: "ms", description: "95th percentile time a task waited in its lane before it ran.",
      queries: [{ expr: quantile(0.95, "openclaw_queue_wait_ms_milliseconds", sel(), ["openclaw_lane"]), legend: "{{openclaw_lane}}" }] },
    { title: "Lane wait exceeded", unit: "short", bars: true, description: "Tasks that waited longer than the lane's warning threshold, per interval.",
      queries: [{ expr: `sum by (openclaw_lane) (${increase("openclaw_queue_lane_wait_exceeded_total", sel())})`, legend: "{{openclaw_lane}}" }] },
    { title: "Lane enqueue / dequeue", unit: "opm", description: "Tasks entering and leaving lanes per minute.",
      queries: [
        { expr: `60 * sum by (openclaw_lane) (${rate("openclaw_queue_lane_enqueue_total", sel())})`, legend: "enqueue {{openclaw_lane}}" },
        { expr: `60 * sum by (openclaw_lane) (${rate("openclaw_queue_lane_dequeue_total", sel())})`, legend: "dequeue {{openclaw_lane}}" },
      ] },
    { title: "Lane task errors", unit: "opm", description: "Lane tasks that failed, per minute.",
      queries: [{ expr: `60 * sum by (openclaw_lane) (${rate("openclaw_queue_lane_task_error_total", sel())})`, legend: "{{openclaw_lane}}" }] },
    { title: "Messages queued", unit: "opm", description: "Messages queued for processing per minute, by channel and source.",
      queries: [{ expr: `60 * sum by (openclaw_channel, openclaw_source) (${rate("openclaw_message_queued_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_source}}" }] },
    { title: "Stuck session spans", description: "Recent openclaw.session.stuck spans in Jaeger.", operation: "openclaw.session.stuck" },
  ],
};
