/** The "Channels" dashboard. */
import type { DashboardSpec } from "./lib.ts";
import { C, increase, quantile, rate, sel } from "./lib.ts";

export const channels: DashboardSpec = {
  uid: "openclaw-channels",
  title: "Channels",
  description: "Webhooks, Telegram network errors, Discord reconnects and websocket closes, health-monitor restarts and channel exits.",
  items: [
    { title: "Webhooks received / min", unit: "opm", stack: true, description: "Webhook requests received per minute by channel.",
      queries: [{ expr: `60 * sum by (openclaw_channel, openclaw_webhook) (${rate("openclaw_webhook_received_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_webhook}}" }] },
    { title: "Webhook error ratio", unit: "percentunit", description: "Share of received webhooks that ended in an error; alert above 5 %.", traces: "openclaw.webhook.error",
      queries: [{ expr: `sum by (openclaw_channel) (${rate("openclaw_webhook_error_total", sel(C))}) / sum by (openclaw_channel) (${rate("openclaw_webhook_received_total", sel(C))})`, legend: "{{openclaw_channel}}" }] },
    { title: "Webhook duration p95", unit: "ms", description: "95th percentile webhook processing time.", traces: "openclaw.webhook.processed",
      queries: [{ expr: quantile(0.95, "openclaw_webhook_duration_ms_milliseconds", sel(C), ["openclaw_channel"]), legend: "{{openclaw_channel}}" }] },
    { title: "Telegram network errors", unit: "short", bars: true, description: "Channel network errors per interval by method and phase (Telegram getUpdates polling, setup, sendMessage).",
      queries: [{ expr: `sum by (openclaw_channel, openclaw_method, openclaw_phase) (${increase("openclaw_channel_network_error_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_method}} {{openclaw_phase}}" }] },
    { title: "Reconnects by reason", unit: "short", bars: true, description: "Gateway reconnects per interval by reason (Discord: close, zombie, invalid-session, reconnect-opcode).",
      queries: [{ expr: `sum by (openclaw_channel, openclaw_reason) (${increase("openclaw_channel_reconnect_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_reason}}" }] },
    { title: "Websocket closes by code", unit: "short", bars: true, description: "Channel websocket closes per interval by close code (1006 every few seconds is the known loop).",
      queries: [{ expr: `sum by (openclaw_channel, openclaw_close_code) (${increase("openclaw_channel_websocket_close_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_close_code}}" }] },
    { title: "Health-monitor restarts", unit: "short", bars: true, description: "Channel restarts by OpenClaw's health monitor per interval, by reason.",
      queries: [{ expr: `sum by (openclaw_channel, openclaw_reason) (${increase("openclaw_channel_health_restart_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_reason}}" }] },
    { title: "Channel exits and restarts", unit: "short", bars: true, description: "Channel exits, auto-restart attempts, give-ups and failed starts per interval.",
      queries: [{ expr: `sum by (openclaw_channel, openclaw_kind) (${increase("openclaw_channel_exit_total", sel(C))})`, legend: "{{openclaw_channel}} {{openclaw_kind}}" }] },
    { title: "Message processing p95", unit: "ms", description: "95th percentile time to process a message, by channel.", traces: "openclaw.message.processed",
      queries: [{ expr: quantile(0.95, "openclaw_message_duration_ms_milliseconds", sel(C), ["openclaw_channel"]), legend: "{{openclaw_channel}}" }] },
    { title: "Webhook error spans", description: "Recent openclaw.webhook.error spans in Jaeger.", operation: "openclaw.webhook.error" },
  ],
};
