/**
 * Turns exported telemetry into sorted text lines for golden files: metric points read from
 * the SDK-shaped ScopeMetrics (what OTLP export sends), spans from an in-memory exporter.
 */
import { hrTimeToMilliseconds } from "@opentelemetry/core";
import { DataPointType, type Histogram, type ScopeMetrics } from "@opentelemetry/sdk-metrics";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";

const attrText = (attrs: Record<string, unknown>) =>
  `{${Object.keys(attrs).sort().map((k) => `${k}=${JSON.stringify(attrs[k])}`).join(",")}}`;

export function metricLines(sm: ScopeMetrics): string[] {
  const lines: string[] = [];
  for (const m of sm.metrics) {
    for (const p of m.dataPoints) {
      const head = `${m.descriptor.name}${attrText(p.attributes)}`;
      if (m.dataPointType === DataPointType.HISTOGRAM) {
        const h = p.value as Histogram;
        const buckets = h.buckets.counts
          .map((c, i) => (c === 0 ? "" : `${h.buckets.boundaries[i] ?? "+Inf"}:${c}`))
          .filter((b) => b !== "").join(",");
        lines.push(`${head} count=${h.count} sum=${round(h.sum ?? 0)} min=${h.min} max=${h.max} buckets=${buckets}`);
      } else {
        lines.push(`${head} ${round(p.value as number)}`);
      }
    }
  }
  return lines.sort();
}

const round = (n: number) => Number(n.toPrecision(12));

export function spanLines(spans: readonly ReadableSpan[]): string[] {
  return spans.map((s) => {
    const start = new Date(hrTimeToMilliseconds(s.startTime)).toISOString();
    const end = new Date(hrTimeToMilliseconds(s.endTime)).toISOString();
    const parent = s.parentSpanContext ? ` parent=${s.parentSpanContext.traceId}/${s.parentSpanContext.spanId}` : "";
    const trace = s.parentSpanContext ? ` trace=${s.spanContext().traceId}` : "";
    const status = s.status.code === 2 ? ` status=ERROR(${s.status.message ?? ""})` : "";
    return `${s.name} ${start}..${end}${status}${parent}${trace} ${attrText(s.attributes)}`;
  }).sort();
}
