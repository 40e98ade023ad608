/**
 * One SDK exporter per signal and target: OTLP over http/protobuf, http/json or gRPC, or the
 * console. The gRPC exporters (and @grpc/grpc-js under them, several MB of RSS) are imported
 * only when a target chooses grpc, on the first export, behind a proxy so that start-up
 * stays synchronous.
 */
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter as JsonMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter as JsonTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { ConsoleMetricExporter, type PushMetricExporter } from "@opentelemetry/sdk-metrics";
import { ConsoleSpanExporter, type SpanExporter } from "@opentelemetry/sdk-trace";
import type { OtlpTarget } from "../../config/otel.ts";

/** Called with each real SDK exporter once it exists (to watch its transport attempts). */
type OnCreated = (exporter: object) => void;

function httpOptions(t: OtlpTarget) {
  return { url: t.url, headers: t.headers, timeoutMillis: t.timeoutMs, compression: t.compression } as const;
}

async function grpcOptions(t: OtlpTarget) {
  const { Metadata } = await import("@grpc/grpc-js");
  const metadata = new Metadata();
  // gRPC metadata keys are lower case; the values are the same headers OTLP/HTTP would send.
  for (const [k, v] of Object.entries(t.headers)) metadata.set(k.toLowerCase(), v);
  return { url: t.url, metadata, timeoutMillis: t.timeoutMs, compression: t.compression } as const;
}

export function metricExporter(t: OtlpTarget, onCreated: OnCreated): PushMetricExporter {
  if (t.exporter === "console") return new ConsoleMetricExporter();
  if (t.protocol === "grpc") {
    return lazy(async () => {
      const { OTLPMetricExporter } = await import("@opentelemetry/exporter-metrics-otlp-grpc");
      return new OTLPMetricExporter(await grpcOptions(t) as never);
    }, onCreated);
  }
  const e = t.protocol === "http/protobuf" ? new ProtoMetricExporter(httpOptions(t) as never) : new JsonMetricExporter(httpOptions(t) as never);
  onCreated(e);
  return e;
}

export function traceExporter(t: OtlpTarget, onCreated: OnCreated): SpanExporter {
  if (t.exporter === "console") return new ConsoleSpanExporter();
  if (t.protocol === "grpc") {
    return lazy(async () => {
      const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-grpc");
      return new OTLPTraceExporter(await grpcOptions(t) as never);
    }, onCreated);
  }
  const e = t.protocol === "http/protobuf" ? new ProtoTraceExporter(httpOptions(t) as never) : new JsonTraceExporter(httpOptions(t) as never);
  onCreated(e);
  return e;
}

interface AnyExporter {
  export(items: never, done: (r: { code: ExportResultCode; error?: Error }) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

/** An exporter created on its first export; a failed import fails that export, not start-up. */
function lazy<E extends AnyExporter>(load: () => Promise<E>, onCreated: OnCreated): E {
  let loading: Promise<E> | undefined;
  const get = () => (loading ??= load().then((e) => { onCreated(e); return e; }));
  const proxy = {
    export(items: never, done: (r: { code: ExportResultCode; error?: Error }) => void) {
      get().then((e) => e.export(items, done), (error: Error) => done({ code: ExportResultCode.FAILED, error }));
    },
    async forceFlush() { if (loading) await (await loading).forceFlush?.(); },
    async shutdown() { if (loading) await (await loading).shutdown(); },
  };
  return proxy as unknown as E;
}
