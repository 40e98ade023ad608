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

/**
 * Error types of a raw provider body (Anthropic's `{"type":"error","error":{"type":…}}`, which
 * 7.35 logs with no status prefix) and the HTTP status each comes with.
 */
const BODY_STATUS: Record<string, number> = {
  invalid_request_error: 400, authentication_error: 401, billing_error: 402, permission_error: 403,
  not_found_error: 404, request_too_large: 413, rate_limit_error: 429, api_error: 500, overloaded_error: 529,
};
const BODY_TYPE = /"error"\s*:\s*\{[^{}]*?"type"\s*:\s*"([a-z_]{1,40})"/;

/**
 * The HTTP status a provider error preview says: its leading status ("402 You exceeded…"), or
 * the error type of a raw JSON body (`billing_error` is a 402); undefined when it says neither.
 */
export function statusOfPreview(preview: string | undefined): number | undefined {
  if (preview === undefined) return undefined;
  const m = /^(\d{3})\b/.exec(preview);
  if (m) return Number(m[1]);
  const body = preview.trimStart().startsWith("{") ? BODY_TYPE.exec(preview.slice(0, 2000)) : null;
  return body ? BODY_STATUS[body[1] as string] : undefined;
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
      reason: word(str(m, "failoverReason")), status: statusOfPreview(str(m, "rawErrorPreview") ?? str(m, "errorPreview")), runId: str(m, "runId"),
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
/** Verbose ws log of the run's lifecycle event: `→ event agent … phase=error error=⚠️ Agent run failed`. */
const TURN_EVENT = /^→ event agent\b.*?\bphase=error\b/s;
const turnReason = (message: string): "all_models_failed" | "timeout" | "other" =>
  message.includes("All models failed") ? "all_models_failed" : /timed? ?out|timeout/i.test(message) ? "timeout" : "other";

/**
 * gateway/ws `⇄ res ✗ agent errorCode=…`: the gateway answered a user turn (RPC method `agent`)
 * with an error. The CLI writes its own root ERROR lines about the same turn into the same file
 * (`[openclaw] Reason: All models failed`, `FallbackSummaryError`, `Gateway agent failed`):
 * those are not counted, so a failed turn is counted once.
 */
export function deriveTurn(env: Envelope, base: EventBase): OpenClawEvent | null {
  const m = TURN.exec(env.text);
  if (!m) {
    // A turn whose model calls succeeded can still fail (tool loop, incomplete turn): it ends
    // with `res ✓ agent` and shows the failure only in its lifecycle event (9.6, verbose).
    if (!TURN_EVENT.test(env.text)) return null;
    const error = /\berror=(.*)$/s.exec(env.text)?.[1] ?? "";
    return { type: "agent.turn.failed", ...log(base), errorCode: "none", reason: turnReason(error), via: "ws_event" };
  }
  const message = m[2] ?? "";
  const runId = /\brunId=([\w-]{1,80})/.exec(message)?.[1];
  return { type: "agent.turn.failed", ...log(base), errorCode: m[1] as string, reason: turnReason(message), runId, via: "rpc" };
}

const TURN_END = /^\[agent\] run ([\w-]{1,80}) ended with stopReason=([A-Za-z_]{1,40})/;
/** Stop reasons of a run that did not complete (OpenClaw logs those at warn or error). */
const NOT_COMPLETED = new Set(["error", "aborted", "timeout", "cancelled"]);

/**
 * agents/agent-command `[agent] run <id> ended with stopReason=<r>`: the answered turn. It is
 * the success line a default-level log has (9.6 logs no 2xx): one per answered turn; a run's
 * gateway and CLI may both write it, so the builder counts a run id once.
 */
export function deriveTurnEnd(env: Envelope, base: EventBase): OpenClawEvent | null {
  const m = TURN_END.exec(env.text);
  if (!m || NOT_COMPLETED.has(m[2] as string)) return null;
  return { type: "agent.turn.completed", ...log(base), runId: m[1], stopReason: m[2] as string };
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
  return { type: "agent.turn.failed", ...log(base), errorCode: "none", reason: turnReason(m[1] ?? ""), via: "reply_runner" };
}

const STORAGE: Record<string, "session_write" | "transaction_hold" | "reclamation" | "lock_wait"> = {
  "slow SQLite session write": "session_write",
  "slow SQLite transaction hold": "transaction_hold",
  "slow SQLite reclamation Worker operation": "reclamation",
  // The lifecycle lock before BEGIN (9.6 sqlite/transaction): the hold warning cannot see it.
  "slow SQLite coordinator lock wait": "lock_wait",
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
