/**
 * Spans for completed events, named and attributed as upstream diagnostics-otel (docs/openclaw-formats.md §4.3):
 * back-dated (start = ts - durationMs, end = ts), status ERROR where the event failed, and
 * parented on the line's W3C trace context (a remote SpanContext) when the line has one.
 *
 * Session, chat, message and run ids are NOT span attributes: upstream 4.12 exported
 * openclaw.sessionKey/sessionId/chatId/messageId, later versions dropped them
 * (DROPPED_OTEL_ATTRIBUTE_KEYS) and we follow the later rule. Free text (error messages)
 * goes through redactSecrets; low-cardinality values through the metric value rule.
 * Derived decisions become short spans: openclaw.model.failover, openclaw.model.all_failed,
 * openclaw.auth.cooldown (zero length at the line's time, in the line's trace).
 */
import { ROOT_CONTEXT, SpanStatusCode, TraceFlags, trace, type Attributes, type Context, type Tracer } from "@opentelemetry/api";
import { redactSecrets } from "../../redact/redact.ts";
import type { EventOf, OpenClawEvent } from "../../events/types.ts";
import { boundValue, laneValue } from "../naming/attributes.ts";

const U = "unknown";
const HEX32 = /^[0-9a-f]{32}$/, HEX16 = /^[0-9a-f]{16}$/;
const ZERO32 = "0".repeat(32), ZERO16 = "0".repeat(16);

interface SpanSpec { name: string; durationMs: number; attributes: Attributes; error?: string }

/** Emits the span an event stands for, if it stands for one. */
export function spanForEvent(tracer: Tracer, ev: OpenClawEvent): void {
  const spec = specFor(ev);
  if (!spec) return;
  const start = ev.ts - Math.max(0, spec.durationMs);
  const span = tracer.startSpan(spec.name, { startTime: start, attributes: spec.attributes }, parentContext(ev));
  if (spec.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: spec.error });
  span.end(ev.ts);
}

/**
 * The line's trace as a remote parent. With a traceId but no spanId the span still joins
 * the trace: the parent span id is derived from the trace id (stable, so replays agree).
 */
function parentContext(ev: OpenClawEvent): Context {
  const traceId = ev.traceId?.toLowerCase();
  if (!traceId || !HEX32.test(traceId) || traceId === ZERO32) return ROOT_CONTEXT;
  let spanId = ev.spanId?.toLowerCase();
  if (!spanId || !HEX16.test(spanId) || spanId === ZERO16) spanId = traceId.slice(16) === ZERO16 ? traceId.slice(0, 16) : traceId.slice(16);
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: true });
}

const bv = (v: string | number | boolean | undefined) => (v === undefined ? U : boundValue(v));
const text = (v: string) => redactSecrets(v);

function compact(attrs: Record<string, string | number | boolean | undefined>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = v;
  return out;
}

function specFor(ev: OpenClawEvent): SpanSpec | undefined {
  switch (ev.type) {
    case "model.usage": return modelUsage(ev);
    case "webhook.processed":
      return { name: "openclaw.webhook.processed", durationMs: ev.durationMs ?? 0, attributes: { "openclaw.channel": bv(ev.channel), "openclaw.webhook": bv(ev.updateType) } };
    case "webhook.error": {
      const error = text(ev.error);
      return { name: "openclaw.webhook.error", durationMs: 0, error, attributes: { "openclaw.channel": bv(ev.channel), "openclaw.webhook": bv(ev.updateType), "openclaw.error": error } };
    }
    case "message.processed": {
      const error = ev.outcome === "error" ? text(ev.error ?? "error") : undefined;
      return {
        name: "openclaw.message.processed", durationMs: ev.durationMs ?? 0, error,
        attributes: compact({
          "openclaw.channel": bv(ev.channel), "openclaw.outcome": bv(ev.outcome),
          "openclaw.reason": ev.reason === undefined ? undefined : bv(ev.reason), "openclaw.error": error,
        }),
      };
    }
    case "session.stuck":
      return {
        name: "openclaw.session.stuck", durationMs: ev.ageMs, error: "session stuck",
        attributes: compact({ "openclaw.state": bv(ev.state), "openclaw.ageMs": ev.ageMs, "openclaw.queueDepth": ev.queueDepth }),
      };
    case "model.failover": return failover(ev);
    case "model.all_failed":
      return {
        name: "openclaw.model.all_failed", durationMs: 0, error: "all models failed",
        attributes: compact({ "openclaw.reason": bv(ev.lastReason), "openclaw.all_failed.via": ev.via, "openclaw.attempts": ev.attempts }),
      };
    case "auth.profile.failure": return cooldown(ev);
    default: return undefined;
  }
}

function modelUsage(ev: EventOf<"model.usage">): SpanSpec {
  const u = ev.usage;
  return {
    name: "openclaw.model.usage", durationMs: ev.durationMs ?? 0,
    attributes: compact({
      "openclaw.channel": bv(ev.channel), "openclaw.provider": bv(ev.provider), "openclaw.model": bv(ev.model),
      "openclaw.tokens.input": u.input, "openclaw.tokens.output": u.output, "openclaw.tokens.cache_read": u.cacheRead,
      "openclaw.tokens.cache_write": u.cacheWrite, "openclaw.tokens.total": u.total,
    }),
  };
}

function failover(ev: EventOf<"model.failover">): SpanSpec {
  return {
    name: "openclaw.model.failover", durationMs: 0,
    attributes: compact({
      "openclaw.provider": bv(ev.fromProvider), "openclaw.model": bv(ev.fromModel),
      "openclaw.failover.to_provider": bv(ev.toProvider), "openclaw.failover.to_model": bv(ev.toModel),
      "openclaw.failover.reason": bv(ev.reason), "openclaw.failover.suspended": ev.suspended === undefined ? U : String(ev.suspended),
      "openclaw.failover.decision": ev.decision === undefined ? undefined : bv(ev.decision),
      "openclaw.lane": ev.lane === undefined ? undefined : laneValue(ev.lane), "openclaw.http.status": ev.status,
    }),
  };
}

function cooldown(ev: EventOf<"auth.profile.failure">): SpanSpec {
  const until = ev.windowType === "cooldown" ? ev.cooldownUntil : ev.disabledUntil;
  return {
    name: "openclaw.auth.cooldown", durationMs: 0,
    attributes: compact({
      "openclaw.provider": bv(ev.provider), "openclaw.reason": bv(ev.reason), "openclaw.window": ev.windowType,
      "openclaw.window.reused": ev.windowReused, "openclaw.error_count": ev.errorCount,
      "openclaw.window.until": until === undefined ? undefined : new Date(until).toISOString(),
      "openclaw.window.length_ms": until === undefined ? undefined : Math.max(0, until - ev.ts),
    }),
  };
}
