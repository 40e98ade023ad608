/** The "Sidecar health" dashboard. */
import type { DashboardSpec } from "./lib.ts";
import { increase, quantile, rate, sel } from "./lib.ts";

export const sidecar: DashboardSpec = {
  uid: "openclaw-sidecar",
  title: "Sidecar health",
  description: "Is the sidecar keeping up: lines read, ignored and rejected, events, lag, unread bytes, export and checkpoint failures.",
  channelVariable: false,
  items: [
    { title: "Lines read / s", unit: "ops", description: "Complete lines read per second by source kind.",
      queries: [{ expr: `sum by (openclaw_source) (${rate("openclaw_sidecar_lines_read_total", sel())})`, legend: "{{openclaw_source}}" }] },
    { title: "Lines ignored / s", unit: "ops", description: "Lines that are not events (most of a gateway log), per second.",
      queries: [{ expr: `sum by (openclaw_source) (${rate("openclaw_sidecar_lines_ignored_total", sel())})`, legend: "{{openclaw_source}}" }] },
    { title: "Lines rejected / s", unit: "ops", description: "Lines that claimed to be events but failed, by bounded reason; alert above 1 % of lines.",
      queries: [{ expr: `sum by (openclaw_source, openclaw_reason) (${rate("openclaw_sidecar_lines_rejected_total", sel())})`, legend: "{{openclaw_source}} {{openclaw_reason}}" }] },
    { title: "Events / s by type", unit: "ops", stack: true, description: "Events parsed per second, by type and origin (jsonl, echo, log).",
      queries: [{ expr: `sum by (openclaw_event_type, openclaw_origin) (${rate("openclaw_sidecar_events_total", sel())})`, legend: "{{openclaw_event_type}} {{openclaw_origin}}" }] },
    { title: "Duplicate events dropped / s", unit: "ops", description: "Events dropped because the other source (JSONL vs log) already carried them.",
      queries: [{ expr: `sum by (openclaw_event_type) (${rate("openclaw_sidecar_events_duplicate_total", sel())})`, legend: "{{openclaw_event_type}}" }] },
    { title: "Event lag p95", unit: "ms", description: "95th percentile delay between an event's timestamp and the sidecar processing it.",
      queries: [{ expr: quantile(0.95, "openclaw_sidecar_event_lag_milliseconds", sel(), ["openclaw_source"]), legend: "{{openclaw_source}}" }] },
    { title: "Unread bytes", unit: "bytes", description: "Bytes written to followed files but not read yet; alert above 8 MiB for 10 minutes.",
      queries: [{ expr: `sum by (openclaw_file) (openclaw_sidecar_file_unread_bytes${sel()})`, legend: "{{openclaw_file}}" }] },
    { title: "Time since last line", unit: "s", description: "Seconds since the newest line of each source kind; alert when all are silent for an hour.",
      queries: [{ expr: `time() - max by (openclaw_source) (openclaw_sidecar_source_last_line_seconds${sel()})`, legend: "{{openclaw_source}}" }] },
    { title: "Files followed", unit: "short", description: "Files the tailer follows now.",
      queries: [{ expr: `sum by (openclaw_source) (openclaw_sidecar_files_open${sel()})`, legend: "{{openclaw_source}}" }] },
    { title: "Log records lost (OpenClaw)", unit: "short", bars: true, description: "Per interval: notices that OpenClaw or the companion plugin dropped log records, by kind (size_cap stops the log until the gateway restarts), and the records known dropped.",
      queries: [
        { expr: `sum by (openclaw_kind) (${increase("openclaw_log_loss_total", sel())})`, legend: "notices {{openclaw_kind}}" },
        { expr: `sum by (openclaw_kind) (${increase("openclaw_log_dropped_total", sel())})`, legend: "records {{openclaw_kind}}" },
      ] },
    { title: "Export, checkpoint and series-cap failures", unit: "short", bars: true, description: "Per interval: failed OTLP exports by signal, spans that never reached the collector, failed checkpoint writes, points past the series cap.",
      queries: [
        { expr: `sum(${increase("openclaw_sidecar_spans_dropped_total", sel())})`, legend: "spans dropped" },
        { expr: `sum by (openclaw_signal, openclaw_reason) (${increase("openclaw_sidecar_export_failure_total", sel())})`, legend: "export {{openclaw_signal}} {{openclaw_reason}}" },
        { expr: `sum(${increase("openclaw_sidecar_checkpoint_failure_total", sel())})`, legend: "checkpoint" },
        { expr: `sum by (openclaw_metric) (${increase("openclaw_sidecar_series_dropped_total", sel())})`, legend: "dropped {{openclaw_metric}}" },
      ] },
    { title: "Notifications", unit: "short", bars: true, description: "Per interval: notifications each target accepted, failed attempts by reason (retried unless refused) and messages given up (refused, out of retries, pushed out of a full queue).",
      // One query, the three counters told apart by openclaw_outcome: a gateway that only ever
      // failed to deliver still draws this panel (and the stack test sees its data).
      queries: [{
        expr: `sum by (openclaw_notify_target, openclaw_outcome, openclaw_reason) (${[["sent", "openclaw_sidecar_notify_sent_total"], ["failed", "openclaw_sidecar_notify_failure_total"], ["dropped", "openclaw_sidecar_notify_dropped_total"]]
          .map(([outcome, name]) => `label_replace(${increase(name!, sel())}, "openclaw_outcome", "${outcome}", "", "")`).join(" or ")})`,
        legend: "{{openclaw_outcome}} {{openclaw_notify_target}} {{openclaw_reason}}",
      }] },
    { title: "Time since last event by type", unit: "s", description: "Seconds since the newest event of each type (diagnostic.heartbeat comes every 30 s while the gateway is active).",
      queries: [{ expr: `time() - max by (openclaw_event_type) (openclaw_sidecar_event_last_seen_seconds${sel()})`, legend: "{{openclaw_event_type}}" }] },
  ],
};
