/**
 * Sessions needing attention, lanes and queues, channel trouble and lost log records. Sessions
 * are told apart by digests only, in a set capped at MAX_ATTENTION, so a gateway with thousands
 * of sessions costs the same memory as one with two.
 */
import type { EventType, OpenClawEvent } from "../events/types.ts";
import { MAX_ATTENTION } from "./state.ts";
import type { TrackContext } from "./provider-context.ts";
import { onSuccess } from "./provider-success.ts";
import { bump, digest, laneClass, word } from "./words.ts";

export interface Thresholds { laneWaitMs: number; queueDepth: number }

/** How far a call's start, from its end line's elapsedMs, may lie after the stall's last progress (ages are logged in whole seconds). */
const CALL_START_SLACK_MS = 2_000;

/** A session left attention: when none is left, the attention incidents are over. */
function backToWork(ctx: TrackContext, d: string, t: number): void {
  const set = ctx.state.attention;
  const i = set.indexOf(d);
  if (i < 0) return;
  set.splice(i, 1);
  if (ctx.state.stalledCalls) ctx.state.stalledCalls = ctx.state.stalledCalls.filter((c) => c.session !== d);
  if (set.length === 0) for (const inc of ctx.open.values()) if (inc.kind === "session_attention") ctx.close(inc, t, "cleared");
}

function stalledCall(ctx: TrackContext, d: string, since: number): void {
  const calls = (ctx.state.stalledCalls ??= []);
  const c = calls.find((x) => x.session === d);
  if (c) { c.since = since; return; }
  if (calls.length >= MAX_ATTENTION) calls.shift();
  calls.push({ session: d, since });
}

/**
 * A model call ended (`[model-fetch] response|error … elapsedMs=`, every attempt on 7.x, the
 * failed ones on 9.6). A session whose warning said its model call had made no progress since
 * `since` is back at work when a call that was already running then ends: at the default level
 * nothing else names the session when its run goes on (the hang of the 2026.9.6-incidents
 * capture: `stalled session … activeWorkKind=model_call lastProgressAge=416s`, then
 * `[model-fetch] error … elapsedMs=420019 … LLM idle timeout`, then the run's answer). OpenClaw
 * warns about a stalled session at every check without backing off, so one still stalled says
 * so again.
 */
export function callEnded(ctx: TrackContext, end: number, elapsedMs: number): void {
  const calls = ctx.state.stalledCalls;
  if (calls === undefined || calls.length === 0) return;
  const start = end - elapsedMs;
  for (const c of [...calls]) if (start <= c.since + CALL_START_SLACK_MS && end >= c.since) backToWork(ctx, c.session, end);
}

const ATTENTION = { "session.stuck": "stuck", "session.stalled": "stalled", "session.long_running": "long_running" } as const;

function depth(ctx: TrackContext, subject: string, size: number, t: number, th: Thresholds): void {
  if (size > th.queueDepth) {
    const inc = ctx.touch("queue_depth", subject, t);
    inc.maxDepth = Math.max(inc.maxDepth ?? 0, size);
    return;
  }
  // The common case, a shallow queue with nothing open: no key built (lane events are ~40 % of a debug log's events).
  if (ctx.open.size === 0) return;
  const inc = ctx.open.get(`queue_depth:${subject}`);
  if (inc && t >= inc.last) ctx.close(inc, t, "cleared");
}

function channel(ctx: TrackContext, ch: string, problem: string, reason: string, t: number): void {
  bump(ctx.touch("channel", word(ch), t, problem).reasons, reason);
}

/**
 * The events trackOther reads, whatever their fields; `session.state`, `message.processed` and
 * the lane events count only in some cases, which relevance.ts says.
 */
export const OTHER_READS: readonly EventType[] = [
  "session.stuck", "session.stalled", "session.long_running", "queue.lane.wait_exceeded", "channel.telegram.network_error",
  "channel.discord.reconnect", "channel.websocket.close", "channel.health_monitor.restart", "channel.lifecycle", "webhook.error", "log.loss",
];

export function trackOther(ctx: TrackContext, ev: OpenClawEvent, th: Thresholds): void {
  const t = ev.ts;
  switch (ev.type) {
    case "session.stuck": case "session.stalled": case "session.long_running": {
      const inc = ctx.touch("session_attention", ATTENTION[ev.type], t);
      inc.maxMs = Math.max(inc.maxMs ?? 0, ev.ageMs);
      bump(inc.reasons, word(ev.classification ?? ev.reason ?? ev.state));
      const id = ev.sessionKey ?? ev.sessionId;
      const set = ctx.state.attention;
      if (id !== undefined) {
        const d = digest(id);
        if (!set.includes(d)) {
          if (set.length >= MAX_ATTENTION) set.shift();
          set.push(d);
          inc.sessions = (inc.sessions ?? 0) + 1;
        }
        if (ev.activeWorkKind === "model_call") stalledCall(ctx, d, t - (ev.lastProgressAgeMs ?? ev.ageMs));
      }
      return;
    }
    case "session.state": {
      const id = ev.sessionKey ?? ev.sessionId;
      if (ev.state !== "idle" || id === undefined || ctx.state.attention.length === 0) return;
      backToWork(ctx, digest(id), t);
      return;
    }
    case "queue.lane.dequeue":
      if (ev.waitMs > th.laneWaitMs) {
        const inc = ctx.touch("lane_wait", laneClass(ev.lane), t);
        inc.maxMs = Math.max(inc.maxMs ?? 0, ev.waitMs);
      }
      depth(ctx, laneClass(ev.lane), ev.queueSize, t, th);
      return;
    case "queue.lane.wait_exceeded":
      if (ev.waitedMs > th.laneWaitMs) {
        const inc = ctx.touch("lane_wait", laneClass(ev.lane), t);
        inc.maxMs = Math.max(inc.maxMs ?? 0, ev.waitedMs);
      }
      if (ev.queueAhead !== undefined) depth(ctx, laneClass(ev.lane), ev.queueAhead, t, th);
      return;
    case "queue.lane.enqueue": depth(ctx, laneClass(ev.lane), ev.queueSize, t, th); return;
    case "diagnostic.heartbeat": depth(ctx, "gateway", ev.queued, t, th); return;
    case "message.processed":
      if (ev.outcome === "completed") onSuccess(ctx, undefined, undefined, t, "turn");
      return;
    // A 409 conflict is no network trouble: another instance polls with the same bot token.
    case "channel.telegram.network_error": channel(ctx, "telegram", `${word(ev.method ?? ev.phase)} ${ev.phase === "conflict" ? "conflict" : "network_error"}`, ev.phase, t); return;
    case "channel.discord.reconnect": channel(ctx, "discord", "reconnect", word(ev.reason), t); return;
    case "channel.websocket.close": channel(ctx, ev.channel, "websocket_close", word(`code_${ev.code}`), t); return;
    case "channel.health_monitor.restart": channel(ctx, ev.channel, "health_restart", word(ev.reason), t); return;
    case "channel.lifecycle": channel(ctx, ev.channel, "lifecycle", ev.kind, t); return;
    case "webhook.error": channel(ctx, ev.channel, "webhook_error", word(ev.updateType), t); return;
    case "log.loss": {
      const inc = ctx.touch("log_loss", "gateway", t, ev.kind);
      if (ev.dropped !== undefined) inc.dropped = (inc.dropped ?? 0) + ev.dropped;
      bump(inc.reasons, ev.kind);
      return;
    }
    default: return;
  }
}
