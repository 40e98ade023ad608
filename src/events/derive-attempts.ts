/**
 * Events from the default-level lines about attempts, retries, failed turns and the gateway's
 * own health that no diagnostic event carries for a log-only user (docs/openclaw-formats.md §9;
 * docs/events.md lists versions). All get origin "log"; reasons and kinds are bounded words,
 * never free text.
 */
import type { EventBase, OpenClawEvent } from "./types.ts";
import type { Envelope } from "./envelope.ts";
import { EchoMismatch } from "./kv.ts";

type Meta = Record<string, unknown>;
const str = (m: Meta | undefined, k: string): string | undefined => (typeof m?.[k] === "string" && m[k] !== "" ? (m[k] as string) : undefined);
const num = (m: Meta | undefined, k: string): number | undefined => (typeof m?.[k] === "number" && Number.isFinite(m[k]) ? (m[k] as number) : undefined);
const log = (base: EventBase): EventBase => ({ ...base, origin: "log" });

/** A failover reason as OpenClaw spells them (`rate_limit`, `auth`, …); anything else is `unknown`. */
const word = (s: string | undefined): string => (s !== undefined && /^[a-z][a-z_]{0,39}$/.test(s) ? s : "unknown");

/** The HTTP status a provider error preview starts with ("402 You exceeded…"), if any. */
export function statusOfPreview(preview: string | undefined): number | undefined {
  const m = preview === undefined ? null : /^(\d{3})\b/.exec(preview);
  return m ? Number(m[1]) : undefined;
}

const RETRY = /^(rate-limit|transient) same-model retry (\d+)\/(\d+) for ([^/\s]+)\/(\S+?)(?: reason=([a-z_]+))?: delayMs=(\d+)/;
const CAP = /^rate-limit profile rotation cap reached for ([^/\s]+)\/(\S+) after (\d+) rotations/;

/** agent/embedded lines other than the failover decisions (derive-failover.ts). */
export function deriveAttempt(env: Envelope, base: EventBase): OpenClawEvent | null {
  const t = env.text;
  if (t === "embedded run agent end" || t.startsWith("embedded run agent end:")) {
    const m = env.meta;
    // Only failed attempts: at the default level every agent-end record is one (isError true).
    if (m === undefined || m["isError"] !== true) return null;
    return {
      type: "model.call.error", ...log(base), provider: str(m, "provider"), model: str(m, "model"),
      reason: word(str(m, "failoverReason")), status: statusOfPreview(str(m, "rawErrorPreview")), runId: str(m, "runId"),
    };
  }
  let r = RETRY.exec(t);
  if (r) {
    const [, kind, i, n, provider, model, reason, delay] = r;
    return {
      type: "model.retry", ...log(base), provider, model, attempt: Number(i), maxAttempts: Number(n), delayMs: Number(delay),
      // 7.x names only rate limits ("rate-limit same-model retry"); 9.6 says the reason.
      reason: kind === "rate-limit" ? "rate_limit" : word(reason),
    };
  }
  r = CAP.exec(t);
  if (r) return { type: "auth.profile.rotation_cap", ...log(base), provider: r[1], model: r[2], rotations: Number(r[3]) };
  return null;
}

const TURN = /^⇄ res ✗ agent errorCode=([A-Z_]{1,40})(?: errorMessage=(.*))?/s;

/**
 * gateway/ws `⇄ res ✗ agent errorCode=…`: the gateway answered a user turn (RPC method `agent`)
 * with an error. The CLI writes its own root ERROR lines about the same turn into the same file
 * (`[openclaw] Reason: All models failed`, `FallbackSummaryError`, `Gateway agent failed`):
 * those are not counted, so a failed turn is counted once.
 */
export function deriveTurn(env: Envelope, base: EventBase): OpenClawEvent | null {
  const m = TURN.exec(env.text);
  if (!m) return null;
  const message = m[2] ?? "";
  const reason = message.includes("All models failed") ? "all_models_failed" : /timed? ?out|timeout/i.test(message) ? "timeout" : "other";
  const runId = /\brunId=([\w-]{1,80})/.exec(message)?.[1];
  return { type: "agent.turn.failed", ...log(base), errorCode: m[1] as string, reason, runId };
}

const REPLY_FAILED = /^(?:Embedded|Followup) agent failed before reply: (.*)/s;

/**
 * Root ERROR `Embedded agent failed before reply: …` / `Followup agent failed before reply: …`:
 * OpenClaw's reply runner gave up on a turn and sent the user "⚠️ Agent failed" instead of an
 * answer. It is the only failed-turn line for turns that are no gateway `agent` RPC: channel
 * messages, and 4.24's CLI running a turn embedded after its gateway connection failed (4.24
 * writes no `res ✗` then). The RPC path writes `res ✗` and not this line (7.35, 9.6 captures),
 * so a turn is still counted once. It has no error code: `errorCode` is `none`.
 */
export function deriveReplyFailure(env: Envelope, base: EventBase): OpenClawEvent | null {
  const m = REPLY_FAILED.exec(env.text);
  if (!m) return null;
  const message = m[1] ?? "";
  const reason = message.includes("All models failed") ? "all_models_failed" : /timed? ?out|timeout/i.test(message) ? "timeout" : "other";
  return { type: "agent.turn.failed", ...log(base), errorCode: "none", reason };
}

const STORAGE: Record<string, "session_write" | "transaction_hold" | "reclamation"> = {
  "slow SQLite session write": "session_write",
  "slow SQLite transaction hold": "transaction_hold",
  "slow SQLite reclamation Worker operation": "reclamation",
};

/** 9.6 session-sqlite and sqlite/transaction warnings. */
export function deriveStorage(env: Envelope, base: EventBase): OpenClawEvent | null {
  const kind = STORAGE[env.text];
  if (kind === undefined) return null;
  const m = env.meta;
  const elapsedMs = num(m, "elapsedMs");
  if (elapsedMs === undefined) throw new EchoMismatch("storage.slow: elapsedMs required");
  return { type: "storage.slow", ...log(base), kind, elapsedMs, queueWaitMs: num(m, "queueWaitMs") };
}

const REWARM = /^provider auth state re-warmed \(([a-z0-9-]{1,60})\) in (\d+)ms/;
const PRICING = /^(OpenRouter|LiteLLM|[A-Za-z]+) pricing fetch failed/;

/** 7.x gateway auth re-warm and 4.24 gateway/model-pricing failures. */
export function deriveGatewayHealth(env: Envelope, base: EventBase): OpenClawEvent | null {
  const r = REWARM.exec(env.text);
  if (r) return { type: "auth.state.rewarm", ...log(base), reason: r[1] as string, durationMs: Number(r[2]) };
  const p = PRICING.exec(env.text);
  if (p) return { type: "pricing.fetch_failed", ...log(base), source: p[1] === "OpenRouter" ? "openrouter" : p[1] === "LiteLLM" ? "litellm" : "other" };
  return null;
}
