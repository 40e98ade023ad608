/**
 * Chat channels: webhooks (upstream's three webhook metrics, as diagnostics-otel counts them),
 * Telegram network errors by method, Discord reconnects, WebSocket closes, health-monitor
 * restarts and channel exits.
 */
import type { EventOf } from "../../events/types.ts";
import type { MetricSink } from "./metric-sink.ts";
import { CH, REASON } from "../naming/attribute-keys.ts";

const U = "unknown";

const webhookAttrs = (ev: { channel: string; updateType?: string }) => ({ [CH]: ev.channel ?? U, "openclaw.webhook": ev.updateType ?? U });

export function recordWebhookReceived(store: MetricSink, ev: EventOf<"webhook.received">): void {
  store.add("openclaw.webhook.received", 1, webhookAttrs(ev));
}

export function recordWebhookProcessed(store: MetricSink, ev: EventOf<"webhook.processed">): void {
  if (typeof ev.durationMs === "number") store.observe("openclaw.webhook.duration_ms", ev.durationMs, webhookAttrs(ev));
}

export function recordWebhookError(store: MetricSink, ev: EventOf<"webhook.error">): void {
  store.add("openclaw.webhook.error", 1, webhookAttrs(ev));
}

export function recordTelegramError(store: MetricSink, ev: EventOf<"channel.telegram.network_error">): void {
  store.add("openclaw.channel.network_error", 1, { [CH]: "telegram", "openclaw.method": ev.method ?? U, "openclaw.phase": ev.phase });
}

export function recordDiscordReconnect(store: MetricSink, ev: EventOf<"channel.discord.reconnect">): void {
  store.add("openclaw.channel.reconnect", 1, { [CH]: "discord", [REASON]: ev.reason });
}

export function recordWebsocketClose(store: MetricSink, ev: EventOf<"channel.websocket.close">): void {
  store.add("openclaw.channel.websocket.close", 1, { [CH]: ev.channel, "openclaw.close_code": ev.code });
}

export function recordHealthRestart(store: MetricSink, ev: EventOf<"channel.health_monitor.restart">): void {
  store.add("openclaw.channel.health_restart", 1, { [CH]: ev.channel, [REASON]: ev.reason });
}

export function recordLifecycle(store: MetricSink, ev: EventOf<"channel.lifecycle">): void {
  store.add("openclaw.channel.exit", 1, { [CH]: ev.channel, "openclaw.kind": ev.kind });
}
