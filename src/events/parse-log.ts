/**
 * One gateway-log line (tslog JSON, docs/openclaw-formats.md §1.3) -> events, ignored or rejected.
 *
 * Order: the prefilter decides on the raw text whether the line can be an event (most cannot);
 * only then JSON.parse, the envelope, and the one deriver its subsystem can need. There is no
 * raw-text line format in these files, so a non-empty line that is not a JSON object is
 * rejected as invalid_json (docs/events.md).
 */
import type { EventBase, OpenClawEvent, ParseResult } from "./types.ts";
import { mayBeEvent } from "./prefilter.ts";
import { envelopeOf, type Envelope } from "./envelope.ts";
import { EchoMismatch } from "./kv.ts";
import { parseDiagnosticEcho, parseMemoryPressure } from "./echo.ts";
import { deriveFailover, deriveSummary } from "./derive-failover.ts";
import { deriveLogLoss } from "./derive-log-loss.ts";
import { deriveModelFetch } from "./derive-model-fetch.ts";
import { deriveChannel } from "./derive-channel.ts";
import { deriveAttempt, deriveGatewayHealth, deriveReplyFailure, deriveStorage, deriveTurn, deriveTurnEnd } from "./derive-attempts.ts";

const IGNORED: ParseResult = { kind: "ignored" };

/** One event per line, except the reply runner's `failed before reply: All models failed`: a chain summary and a failed turn. */
function derive(env: Envelope, base: EventBase): OpenClawEvent | OpenClawEvent[] | null {
  const sub = env.subsystem;
  if (sub === "diagnostic") return parseDiagnosticEcho(env.text, base);
  if (sub === "gateway/diagnostics/memory") return parseMemoryPressure(env.text, base);
  if (sub === "provider-transport-fetch") return deriveModelFetch(env, base);
  if (sub === "agents/agent-command") return deriveTurnEnd(env, base);
  if (sub.startsWith("agent") || sub.startsWith("model-fallback")) return deriveFailover(env, base) ?? deriveAttempt(env, base);
  if (sub === "gateway/ws") return deriveTurn(env, base);
  if (sub === "session-sqlite" || sub === "sqlite/transaction") return deriveStorage(env, base);
  if (sub === "gateway" || sub === "gateway/model-pricing") return deriveGatewayHealth(env, base);
  if (sub === "" || sub === "logging") {
    const summary = deriveSummary(env, base);
    const turn = deriveReplyFailure(env, base);
    if (summary !== null && turn !== null) return [summary, turn];
    return summary ?? turn ?? deriveLogLoss(env, base) ?? deriveChannel(env, base);
  }
  return deriveChannel(env, base);
}

export function parseLogLine(line: string, profile: string): ParseResult {
  if (!mayBeEvent(line)) return IGNORED;
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { kind: "rejected", reason: "invalid_json", detail: line.startsWith("{") ? "log line is not valid JSON" : "log line is not a JSON object" };
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    return { kind: "rejected", reason: "invalid_json", detail: "log line is not a JSON object" };
  }
  const env = envelopeOf(obj as Record<string, unknown>);
  if (env.text === "") return IGNORED;
  const base: EventBase = { ts: env.ts, origin: "log", profile };
  if (env.traceId !== undefined) base.traceId = env.traceId;
  if (env.spanId !== undefined) base.spanId = env.spanId;
  let ev: OpenClawEvent | OpenClawEvent[] | null;
  try {
    ev = derive(env, base);
  } catch (err) {
    if (err instanceof EchoMismatch) return { kind: "rejected", reason: "schema_mismatch", detail: err.message.slice(0, 120) };
    throw err;
  }
  if (ev === null) return IGNORED;
  // Time is checked only for lines that are events: a line without one is ignored either way.
  const events = Array.isArray(ev) ? ev : [ev];
  if (Number.isNaN(env.ts)) return { kind: "rejected", reason: "invalid_timestamp", detail: `${events[0]?.type}: no usable time or _meta.date` };
  return { kind: "events", events };
}
