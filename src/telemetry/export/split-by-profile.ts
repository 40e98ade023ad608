/**
 * One OTLP resource per OpenClaw profile. The store holds every profile's series in one place;
 * a series of a profile other than the sidecar's default carries the reserved
 * `openclaw.profile` attribute (recording/metric-sink.ts). Before export, the collection is
 * split by it: the default's series keep the sidecar's resource, each other profile's go out
 * under that resource with `openclaw.profile` set, the attribute taken off its points. Each
 * resource is one export call to the inner exporter (in turn; the first failure is the result),
 * so the collector sees what several single-profile sidecars would send.
 */
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { resourceFromAttributes } from "@opentelemetry/resources";
import type { MetricData, PushMetricExporter, ResourceMetrics, ScopeMetrics } from "@opentelemetry/sdk-metrics";
import { PROFILE } from "../naming/attribute-keys.ts";

/** The collection as one ResourceMetrics per profile: the default's first, then by name. */
export function splitByProfile(rm: ResourceMetrics): ResourceMetrics[] {
  const groups = new Map<string, ScopeMetrics[]>();
  for (const scope of rm.scopeMetrics) {
    const perProfile = new Map<string, MetricData[]>();
    for (const metric of scope.metrics) {
      const points = new Map<string, unknown[]>();
      for (const dp of metric.dataPoints as Array<{ attributes: Record<string, unknown> }>) {
        const tag = dp.attributes[PROFILE];
        const key = typeof tag === "string" ? tag : "";
        let attributes = dp.attributes;
        if (key !== "") {
          attributes = { ...dp.attributes };
          delete attributes[PROFILE];
        }
        let list = points.get(key);
        if (list === undefined) points.set(key, (list = []));
        list.push({ ...dp, attributes });
      }
      for (const [key, dataPoints] of points) {
        let list = perProfile.get(key);
        if (list === undefined) perProfile.set(key, (list = []));
        list.push({ ...metric, dataPoints } as MetricData);
      }
    }
    for (const [key, metrics] of perProfile) {
      let list = groups.get(key);
      if (list === undefined) groups.set(key, (list = []));
      list.push({ scope: scope.scope, metrics });
    }
  }
  // Only the default's series (or none): the collection as it came, untouched.
  if (groups.size === 0 || (groups.size === 1 && groups.has(""))) return [rm];
  const keys = [...groups.keys()].sort();
  return keys.map((key) => ({
    resource: key === "" ? rm.resource : rm.resource.merge(resourceFromAttributes({ [PROFILE]: key })),
    scopeMetrics: groups.get(key) as ScopeMetrics[],
  }));
}

/** An exporter that sends each profile's resource in turn through `inner`. */
export function profileSplittingExporter(inner: PushMetricExporter): PushMetricExporter {
  const exportOne = (rm: ResourceMetrics) => new Promise<ExportResult>((resolve) => inner.export(rm, resolve));
  const wrapper: PushMetricExporter & { _delegate?: unknown } = {
    export: (metrics, done) => {
      const parts = splitByProfile(metrics);
      if (parts.length === 1) return inner.export(parts[0] as ResourceMetrics, done);
      void (async () => {
        let failed: ExportResult | undefined;
        for (const part of parts) {
          const r = await exportOne(part);
          if (r.code !== ExportResultCode.SUCCESS && failed === undefined) failed = r;
        }
        done(failed ?? { code: ExportResultCode.SUCCESS });
      })();
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
    ...(inner.selectAggregationTemporality && { selectAggregationTemporality: inner.selectAggregationTemporality.bind(inner) }),
    ...(inner.selectAggregation && { selectAggregation: inner.selectAggregation.bind(inner) }),
  };
  // The Retry-After watch (export-gate.ts) looks for the SDK exporter's transport here.
  Object.defineProperty(wrapper, "_delegate", { get: () => (inner as { _delegate?: unknown })._delegate });
  return wrapper;
}
