/**
 * Channel trouble derived from log text (docs/openclaw-formats.md §3.4): Telegram network errors,
 * Discord gateway reconnects and close codes, health-monitor restarts, channel lifecycle.
 *
 * Discord: Carbon's debug strings reach the file twice at debug level, once as pattern D on the
 * root logger (`logVerbose`, DEBUG) and once promoted to `gateway/channels/discord` at INFO for
 * exactly the markers we use (websocket closed, reconnect scheduled, fresh IDENTIFY). The INFO
 * copy is written whenever the DEBUG copy is (INFO passes every level that DEBUG passes), so
 * only the promoted copy is counted and pattern D is ignored: each message counts once, with no
 * state and no time window.
 */
import type { EventBase, OpenClawEvent } from "./types.ts";
import type { Envelope } from "./envelope.ts";
import { durationMs } from "./kv.ts";

const log = (base: EventBase): EventBase => ({ ...base, origin: "log" });

const RECONNECT = /^discord gateway: Gateway reconnect scheduled in (\d+)ms \(([^,)]+)(?:, resume=(true|false))?\)/;
const WS_CLOSED = /^discord gateway: Gateway websocket closed: (\S+)/;
const TG_POLL = /(Telegram setup network error|Telegram network error|Telegram getUpdates conflict): /;
const TG_REPLY = /telegram (?:slash )?\w+ reply failed: .*Network request for '(\w+)' failed/;
const TG_METHOD = /Network request for '(\w+)'/;
const RETRY = /retrying in (\d+(?:\.\d+)?(?:ms|s|m))/;
const HEALTH = /\[([^\]:]+)(?::[^\]]*)?\] health-monitor: restarting \(reason: ([^)]+)\)/;
const LIFECYCLE = /^\[([^\]]+)\] (channel exited|auto-restart attempt (\d+)\/\d+|giving up after|channel startup failed)/;

/** `gateway/channels/<id>` names the channel; otherwise the `[<id>]` / `[<id>:<account>]` tag. */
function channelOf(subsystem: string, tag: string): string {
  if (subsystem.startsWith("gateway/channels/")) return subsystem.slice(17).split("/")[0] ?? tag;
  return tag.split(":")[0] ?? tag;
}

function telegram(text: string, b: EventBase): OpenClawEvent | null {
  const poll = TG_POLL.exec(text);
  if (poll) {
    const phase = poll[1] === "Telegram network error" ? "polling" : poll[1] === "Telegram setup network error" ? "setup" : "conflict";
    const retry = RETRY.exec(text)?.[1];
    const method = phase === "conflict" ? "getUpdates" : TG_METHOD.exec(text)?.[1];
    return { type: "channel.telegram.network_error", ...log(b), phase, method, retryInMs: retry === undefined ? undefined : durationMs(retry) };
  }
  const reply = TG_REPLY.exec(text);
  if (reply) return { type: "channel.telegram.network_error", ...log(b), phase: "send", method: reply[1] };
  return null;
}

export function deriveChannel(env: Envelope, base: EventBase): OpenClawEvent | null {
  const { text, subsystem } = env;
  if (subsystem === "") {
    // Root logger: only Telegram reply failures printed through the runtime count here.
    return TG_REPLY.test(text) ? telegram(text, base) : null;
  }
  if (text.startsWith("discord gateway: ")) {
    const r = RECONNECT.exec(text);
    if (r) {
      return {
        type: "channel.discord.reconnect", ...log(base), delayMs: Number(r[1]), reason: r[2] ?? "unknown",
        resume: r[3] === undefined ? undefined : r[3] === "true",
      };
    }
    const c = WS_CLOSED.exec(text);
    if (c) return { type: "channel.websocket.close", ...log(base), channel: "discord", code: c[1] ?? "unknown" };
    return null;
  }
  const tg = telegram(text, base);
  if (tg) return tg;
  const h = HEALTH.exec(text);
  if (h) return { type: "channel.health_monitor.restart", ...log(base), channel: h[1] ?? "unknown", reason: h[2] ?? "unknown" };
  const l = LIFECYCLE.exec(text);
  if (l) {
    const tag = l[1] ?? "unknown";
    const what = l[2] ?? "";
    const kind = what === "channel exited" ? "exited" : what === "giving up after" ? "gave_up" : what === "channel startup failed" ? "startup_failed" : "restart_attempt";
    return {
      type: "channel.lifecycle", ...log(base), channel: channelOf(subsystem, tag), kind,
      attempt: l[3] === undefined ? undefined : Number(l[3]),
    };
  }
  return null;
}
