/**
 * OTLP export (http/protobuf, http/json, grpc; or the console) of what the sidecar already holds.
 *
 * Metrics: the MetricStore keeps cumulative state of its own (restored from the checkpoint, so
 * counters survive restarts), so the SDK's MeterProvider gets no instruments at all; the store is
 * plugged in as an extra MetricProducer of a PeriodicExportingMetricReader, which collects it
 * every interval and hands it to the OTLP exporter with our resource, one resource per OpenClaw
 * profile (split-by-profile.ts).
 * Traces: a TracerProvider with a BatchSpanProcessor; spans are built by spans.ts.
 *
 * A failed export is counted through `onExportFailure` and otherwise dropped: the next interval
 * sends the cumulative state again, so a collector outage loses resolution, not totals. Spans
 * of a failed export are lost and counted (`onSpansDropped`); a collector's Retry-After holds
 * that signal's next exports (export-gate.ts).
 */
import type { Tracer } from "@opentelemetry/api";
import { defaultResource, emptyResource, resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type MetricProducer,
  type ResourceMetrics,
  type ScopeMetrics,
} from "@opentelemetry/sdk-metrics";
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import type { Config, OtlpTarget } from "../../config/config.ts";
import { metricExporter, traceExporter } from "./export-factories.ts";
import { causeOf, failureReason, FailureLog, watchAttempts } from "./export-failures.ts";
import { gatedMetricExporter, gatedSpanExporter, RetryGate } from "./export-gate.ts";
import { resourceAttributes, type ResourceSettings } from "./resource.ts";
import { profileSplittingExporter } from "./split-by-profile.ts";
// Upstream diagnostics-otel's meter and tracer name; the store's points carry the same scope.
import { SCOPE_NAME, type MetricStore } from "../storage/metric-store.ts";

export type Signal = "metrics" | "traces";

export interface OtlpExportDeps {
  /** Cumulative state of the store, e.g. `() => store.toScopeMetrics(Date.now())`. */
  produce: () => ScopeMetrics;
  /** `reason`: failureReason()'s bounded word (http_401, timeout, refused, ...). */
  onExportFailure: (signal: Signal, reason: string) => void;
  /** A metric export the collector accepted (ends a streak of failures, for /healthz). */
  onExportSuccess?: (signal: Signal) => void;
  /** Spans lost: their export failed, or the collector's Retry-After outlasted a batch's wait. */
  onSpansDropped?: (count: number) => void;
  /** Where failures are explained (URL, status, cause), at most once a minute per signal. */
  log?: { warn(msg: string): void; info(msg: string): void };
}

export interface OtlpExport {
  tracer: Tracer;
  /** Export what is pending now (metrics collected fresh, queued spans). */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

type ExportSettings = Pick<
  Config,
  "export" | "serviceName" | "hostName" | "profile" | "resourceAttributes" | "metricExportIntervalMs"
>;

export { resourceAttributes } from "./resource.ts";

/** Our identity attributes over the SDK's own (telemetry.sdk.language/name/version). */
export function buildResource(cfg: ResourceSettings): Resource {
  return defaultResource().merge(resourceFromAttributes(resourceAttributes(cfg)));
}

/**
 * The exporter for one target, wrapped: each transport attempt watched for the failure log,
 * and (for an exporter whose attempts cannot be watched: console, another SDK version) the
 * failed export itself logged instead.
 */
function failureHooks(signal: Signal, target: OtlpTarget, deps: OtlpExportDeps) {
  const log = deps.log ?? { warn: () => {}, info: () => {} };
  const failures = new FailureLog(signal, target.url, target.timeoutMs, (m) => log.warn(m), (m) => log.info(m));
  let watched = false;
  return {
    onCreated: (exporter: object) => { watched = watchAttempts(exporter, failures); },
    onFailure: (error?: Error) => {
      deps.onExportFailure(signal, failureReason(error));
      if (!watched) failures.attempt({ cause: causeOf(error) });
    },
  };
}

export function startOtlpExport(cfg: ExportSettings, deps: OtlpExportDeps): OtlpExport {
  const resource = buildResource(cfg);
  const meterProvider = cfg.export.metrics ? startMetrics(cfg, cfg.export.metrics, resource, deps) : null;
  const traces = cfg.export.traces;
  let tracerProvider: TracerProvider;
  if (traces) {
    const hooks = failureHooks("traces", traces, deps);
    tracerProvider = new TracerProvider({
      resource,
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: gatedSpanExporter(traceExporter(traces, hooks.onCreated), new RetryGate(), hooks.onFailure, (n) => deps.onSpansDropped?.(n)),
          exportTimeoutMillis: traces.timeoutMs,
        }),
      ],
    });
  } else {
    // No traces target: spans are not even recorded, so spans.ts can call the tracer freely.
    tracerProvider = new TracerProvider({ sampler: new AlwaysOffSampler() });
  }
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
  const hooks = failureHooks("metrics", target, deps);
  const reader = new PeriodicExportingMetricReader({
    exporter: gatedMetricExporter(profileSplittingExporter(metricExporter(target, hooks.onCreated)), new RetryGate(), hooks.onFailure, () => deps.onExportSuccess?.("metrics")),
    exportIntervalMillis: cfg.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(target.timeoutMs, cfg.metricExportIntervalMs),
    metricProducers: [producer],
  });
  return new MeterProvider({ resource, readers: [reader] });
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
