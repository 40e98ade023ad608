/**
 * OTLP/HTTP export of what the sidecar already holds.
 *
 * Metrics: the MetricStore keeps cumulative state of its own (restored from the checkpoint, so
 * counters survive restarts), so the SDK's MeterProvider gets no instruments at all; the store is
 * plugged in as an extra MetricProducer of a PeriodicExportingMetricReader, which collects it
 * every interval and hands it to the OTLP exporter with our resource.
 * Traces: a TracerProvider with a BatchSpanProcessor; spans are built by spans.ts.
 *
 * A failed export is counted through `onExportFailure` and otherwise dropped: the next interval
 * sends the cumulative state again, so a collector outage loses resolution, not totals. Spans
 * of a failed export are lost and counted (`onSpansDropped`); a collector's Retry-After holds
 * that signal's next exports (export-gate.ts).
 */
import type { Tracer } from "@opentelemetry/api";
import { OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { defaultResource, emptyResource, resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type MetricProducer,
  type PushMetricExporter,
  type ResourceMetrics,
  type ScopeMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  TracerProvider,
  type SpanExporter,
} from "@opentelemetry/sdk-trace";
import type { Config, OtlpTarget } from "../config.ts";
import { gatedMetricExporter, gatedSpanExporter, RetryGate } from "./export-gate.ts";
import { resourceAttributes, type ResourceSettings } from "./resource.ts";
// Upstream diagnostics-otel's meter and tracer name; the store's points carry the same scope.
import { SCOPE_NAME, type MetricStore } from "./metric-store.ts";

export type Signal = "metrics" | "traces";

export interface OtlpExportDeps {
  /** Cumulative state of the store, e.g. `() => store.toScopeMetrics(Date.now())`. */
  produce: () => ScopeMetrics;
  onExportFailure: (signal: Signal) => void;
  /** Spans lost: their export failed, or the collector's Retry-After outlasted a batch's wait. */
  onSpansDropped?: (count: number) => void;
}

export interface OtlpExport {
  tracer: Tracer;
  /** Export what is pending now (metrics collected fresh, queued spans). */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** How long one export request may take before it counts as failed. */
const EXPORT_TIMEOUT_MS = 10_000;

type ExportSettings = Pick<
  Config,
  "export" | "serviceName" | "hostName" | "profile" | "resourceAttributes" | "metricExportIntervalMs"
>;

export { resourceAttributes } from "./resource.ts";

/** Our identity attributes over the SDK's own (telemetry.sdk.language/name/version). */
export function buildResource(cfg: ResourceSettings): Resource {
  return defaultResource().merge(resourceFromAttributes(resourceAttributes(cfg)));
}

export function startOtlpExport(cfg: ExportSettings, deps: OtlpExportDeps): OtlpExport {
  const resource = buildResource(cfg);
  const meterProvider = cfg.export.metrics ? startMetrics(cfg, cfg.export.metrics, resource, deps) : null;
  const tracerProvider = cfg.export.traces
    ? new TracerProvider({
        resource,
        spanProcessors: [
          new BatchSpanProcessor({
            exporter: gatedSpanExporter(traceExporter(cfg.export.traces), new RetryGate(), () => deps.onExportFailure("traces"), (n) => deps.onSpansDropped?.(n)),
            exportTimeoutMillis: EXPORT_TIMEOUT_MS,
          }),
        ],
      })
    : // No traces endpoint: spans are not even recorded, so spans.ts can call the tracer freely.
      new TracerProvider({ sampler: new AlwaysOffSampler() });
  // The span processor rejects a flush whose export failed; that failure is already counted
  // through onExportFailure, and a flush or shutdown must never take the sidecar down.
  const both = async (op: "forceFlush" | "shutdown") => {
    await Promise.allSettled([meterProvider?.[op](), tracerProvider[op]()]);
  };
  let closed = false;
  return {
    tracer: tracerProvider.getTracer(SCOPE_NAME),
    forceFlush: () => (closed ? Promise.resolve() : both("forceFlush")),
    shutdown: async () => {
      if (closed) return;
      closed = true;
      await both("shutdown");
    },
  };
}

function startMetrics(cfg: ExportSettings, target: OtlpTarget, resource: Resource, deps: OtlpExportDeps): MeterProvider {
  const producer: MetricProducer = {
    async collect(): Promise<CollectionResult> {
      // The reader replaces this resource with the MeterProvider's; it is set for completeness.
      const resourceMetrics: ResourceMetrics = { resource, scopeMetrics: [] };
      try {
        const scope = deps.produce();
        if (scope.metrics.length > 0) resourceMetrics.scopeMetrics.push(scope);
        return { resourceMetrics, errors: [] };
      } catch (err) {
        return { resourceMetrics, errors: [err] };
      }
    },
  };
  const reader = new PeriodicExportingMetricReader({
    exporter: gatedMetricExporter(metricExporter(target), new RetryGate(), () => deps.onExportFailure("metrics")),
    exportIntervalMillis: cfg.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(EXPORT_TIMEOUT_MS, cfg.metricExportIntervalMs),
    metricProducers: [producer],
  });
  return new MeterProvider({ resource, readers: [reader] });
}

function metricExporter(t: OtlpTarget): PushMetricExporter {
  const options = { url: t.url, headers: t.headers, timeoutMillis: EXPORT_TIMEOUT_MS };
  return t.protocol === "http/protobuf" ? new ProtoMetricExporter(options) : new JsonMetricExporter(options);
}

function traceExporter(t: OtlpTarget): SpanExporter {
  const options = { url: t.url, headers: t.headers, timeoutMillis: EXPORT_TIMEOUT_MS };
  return t.protocol === "http/protobuf" ? new ProtoTraceExporter(options) : new JsonTraceExporter(options);
}

/**
 * A MetricProducer over the store, for PeriodicExportingMetricReader({metricProducers}).
 * The reader merges it into the collection; the resource comes from the MeterProvider.
 */
export function storeMetricProducer(store: MetricStore, now: () => number = Date.now): MetricProducer {
  return {
    async collect() {
      return { resourceMetrics: { resource: emptyResource(), scopeMetrics: [store.toScopeMetrics(now())] }, errors: [] };
    },
  };
}
