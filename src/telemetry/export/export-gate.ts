/**
 * What wraps each OTLP exporter: failures counted, `Retry-After` honoured, lost spans counted.
 *
 * Retry-After: the SDK's transport reads the header and retries inside one export while the
 * export's timeout allows, but the next export goes out at the next interval whatever the
 * collector asked (34 metric POSTs in 30 s against `Retry-After: 2`). The gate remembers the
 * delay (seconds or HTTP date, capped at MAX_RETRY_AFTER_MS) per signal and holds that signal's
 * exports until it has passed. A held metric export loses nothing (the next one carries the
 * cumulative state); a held or failed span export loses its spans, which are counted.
 *
 * The SDK gives the header's value only to its transports, so the gate wraps the transports of
 * the exporter it was given (`_delegate._transport` and the one inside it, the SDK's own structure). Without that
 * structure (another SDK version) exports still work and are counted, only not held.
 */
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { PushMetricExporter } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

export const MAX_RETRY_AFTER_MS = 5 * 60_000;

export class RetryGate {
  private until = 0;
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  /** Milliseconds this signal must still wait; 0 when it may export. */
  waitMs(): number {
    return Math.max(0, this.until - this.now());
  }

  /** A collector answer asked for a delay (ms; undefined or <= 0 asks for none). */
  note(retryInMs: number | undefined): void {
    if (retryInMs === undefined || !Number.isFinite(retryInMs) || retryInMs <= 0) return;
    this.until = Math.max(this.until, this.now() + Math.min(retryInMs, MAX_RETRY_AFTER_MS));
  }
}

interface TransportResponse { status: string; retryInMillis?: number }
interface Transport { send(data: Uint8Array, timeoutMillis: number): Promise<TransportResponse> }

/**
 * Lets the gate see every transport answer's Retry-After: the retrying transport and the HTTP
 * transport inside it are both wrapped, so the delay is known from the first 429, not only
 * after the SDK's own retries of that export gave up. Returns whether it could.
 */
export function watchRetryAfter(exporter: object, gate: RetryGate): boolean {
  let transport = (exporter as { _delegate?: { _transport?: Transport } })._delegate?._transport;
  let wrapped = 0;
  for (let depth = 0; depth < 4 && transport && typeof transport.send === "function"; depth++) {
    const t: Transport = transport;
    const send = t.send.bind(t);
    t.send = async (data, timeoutMillis) => {
      const response = await send(data, timeoutMillis);
      if (response.status === "retryable") gate.note(response.retryInMillis);
      return response;
    };
    wrapped++;
    transport = (t as { _transport?: Transport })._transport;
  }
  return wrapped > 0;
}

const held = (gate: RetryGate): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new Error(`collector asked to retry later (Retry-After); next try in ${gate.waitMs()} ms`),
});

/** Metrics: a held export is not a failure (nothing is lost), so it is not counted as one. */
export function gatedMetricExporter(inner: PushMetricExporter, gate: RetryGate, onFailure: (error?: Error) => void, onSuccess?: () => void): PushMetricExporter {
  watchRetryAfter(inner, gate);
  return {
    export: (metrics, done) => {
      if (gate.waitMs() > 0) return done(held(gate));
      inner.export(metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) onFailure(result.error);
        else onSuccess?.();
        done(result);
      });
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality && { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) }),
    ...(inner.selectAggregation && { selectAggregation: inner.selectAggregation.bind(inner) }),
  };
}

/** A span batch waits this long at most for the gate (the processor gives an export 10 s). */
export const SPAN_HOLD_MAX_MS = 5_000;

/**
 * Spans: a batch waits for a short Retry-After; a longer one, or a failed export, drops the
 * batch (a span is sent once, unlike cumulative metrics): counted, spans by number.
 */
export function gatedSpanExporter(inner: SpanExporter, gate: RetryGate, onFailure: (error?: Error) => void, onDropped: (n: number) => void): SpanExporter {
  watchRetryAfter(inner, gate);
  const send = (spans: ReadableSpan[], done: (r: ExportResult) => void) => {
    inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        onFailure(result.error);
        onDropped(spans.length);
      }
      done(result);
    });
  };
  return {
    export: (spans: ReadableSpan[], done) => {
      const wait = gate.waitMs();
      if (wait === 0) return send(spans, done);
      if (wait > SPAN_HOLD_MAX_MS) {
        onDropped(spans.length);
        return done(held(gate));
      }
      setTimeout(() => send(spans, done), wait).unref();
    },
    shutdown: () => inner.shutdown(),
    ...(inner.forceFlush && { forceFlush: inner.forceFlush.bind(inner) }),
  };
}
