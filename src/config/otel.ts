/**
 * The OTEL_* parts of the settings schema and how they become export targets, following the
 * OpenTelemetry SDK environment specification where the sidecar can:
 *
 * - OTEL_{TRACES,METRICS}_EXPORTER: comma-separated `otlp`, `console`, `none` (and `prometheus`
 *   for metrics: the pull endpoint /metrics, which the sidecar always serves unless --listen off).
 * - OTEL_EXPORTER_OTLP[_SIGNAL]_PROTOCOL: default `http/protobuf` (the spec's default); `grpc` is
 *   loaded only when chosen (its exporter pulls in @grpc/grpc-js).
 * - OTEL_EXPORTER_OTLP[_SIGNAL]_TIMEOUT (ms, default 10000) and _COMPRESSION (`gzip`, `none`).
 * - OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: only `cumulative`. The store's counters are
 *   cumulative by design and survive restarts through the checkpoint; `delta` would need the
 *   sidecar to remember what each backend already received, so it is refused at start-up
 *   rather than silently ignored (a collector's cumulativetodelta processor does it downstream).
 *
 * Unlike the SDK, OTLP stays off until an endpoint is set: the sidecar must not spray
 * localhost:4318 with failing exports on machines that only scrape /metrics.
 */
import { fail, ok, oneOf, wholeNumber, type Check, type Checked } from "./values.ts";

export type OtlpProtocol = "http/json" | "http/protobuf" | "grpc";
export type Compression = "gzip" | "none";
export interface OtlpTarget {
  /** `otlp` sends to `url`; `console` prints to stdout (url is "stdout"). */
  exporter: "otlp" | "console";
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  timeoutMs: number;
  compression: Compression;
}

export const protocol = oneOf<OtlpProtocol>(["http/protobuf", "http/json", "grpc"], "expected http/protobuf, http/json or grpc");
export const timeout = wholeNumber(1, 600_000, "expected milliseconds, a whole number from 1 to 600000");
export const compression = oneOf<Compression>(["gzip", "none"], "expected gzip or none");

/** A list of exporter names (a config file may give an array): lower-cased, deduplicated. */
export function exporterNames(list: readonly string[], allowed: readonly string[]): Checked<string[]> {
  const names = [...new Set(list.map((s) => s.trim().toLowerCase()).filter((s) => s !== ""))];
  const bad = names.filter((n) => !allowed.includes(n));
  if (bad.length > 0) return fail(`unsupported exporter ${bad.map((b) => `"${b}"`).join(", ")}; expected a comma-separated list of ${allowed.join(", ")}`);
  // "none" wins over anything listed with it, as in the SDK.
  return ok(names.includes("none") ? ["none"] : names);
}
/**
 * The specification's booleans (OTEL_SDK_DISABLED): "true" in any case is true, and ANY other
 * value is false (issue 24: `TRUE` stopped start-up and `1` disabled export). A flag or a
 * config-file boolean passes as it is.
 */
export const otelBool: Check<boolean> = (raw) =>
  typeof raw === "boolean" ? ok(raw) : ok(typeof raw === "string" && raw.trim().toLowerCase() === "true");

export const TRACES_EXPORTERS = ["otlp", "console", "none"] as const;
export const METRICS_EXPORTERS = ["otlp", "console", "prometheus", "none"] as const;
const exporterList = (allowed: readonly string[]): Check<string[]> => (raw) =>
  typeof raw === "string" ? exporterNames(raw.split(","), allowed) : fail("Invalid input");
export const tracesExporters = exporterList(TRACES_EXPORTERS);
export const metricsExporters = exporterList(METRICS_EXPORTERS);

export function parseTemporality(raw: string): Checked<"cumulative"> {
  const v = raw.trim().toLowerCase();
  if (v === "cumulative") return ok("cumulative");
  return fail(v === "delta" || v === "lowmemory"
    ? `"${v}" is not supported: the sidecar's counters are cumulative and survive restarts through its checkpoint, `
        + "so it only exports cumulative temporality; unset it or use a collector's cumulativetodelta processor"
    : `expected cumulative (delta and lowmemory are not supported), got "${raw}"`);
}
export const temporality: Check<"cumulative"> = (raw) => (typeof raw === "string" ? parseTemporality(raw) : fail("Invalid input: expected string, received boolean"));

export interface OtelSettings {
  otlpEndpoint?: string | undefined;
  otlpProtocol: OtlpProtocol;
  otlpHeaders?: Record<string, string> | undefined;
  otlpTimeoutMs: number;
  otlpCompression: Compression;
  otlpMetricsEndpoint?: string | undefined;
  otlpMetricsProtocol?: OtlpProtocol | undefined;
  otlpMetricsHeaders?: Record<string, string> | undefined;
  otlpMetricsTimeoutMs?: number | undefined;
  otlpMetricsCompression?: Compression | undefined;
  otlpTracesEndpoint?: string | undefined;
  otlpTracesProtocol?: OtlpProtocol | undefined;
  otlpTracesHeaders?: Record<string, string> | undefined;
  otlpTracesTimeoutMs?: number | undefined;
  otlpTracesCompression?: Compression | undefined;
  tracesExporter: string[];
  metricsExporter: string[];
  sdkDisabled: boolean;
}

type Signal = "metrics" | "traces";

/**
 * Where one signal goes: otlp when chosen and an endpoint applies, else console when chosen,
 * else nowhere (null). OTLP and console together: OTLP wins, a console exporter beside a
 * working one would only duplicate what the collector shows.
 */
export function resolveTarget(s: OtelSettings, signal: Signal): OtlpTarget | null {
  if (s.sdkDisabled) return null;
  const chosen = signal === "metrics" ? s.metricsExporter : s.tracesExporter;
  const sig = signal === "metrics"
    ? { endpoint: s.otlpMetricsEndpoint, protocol: s.otlpMetricsProtocol, headers: s.otlpMetricsHeaders, timeout: s.otlpMetricsTimeoutMs, compression: s.otlpMetricsCompression }
    : { endpoint: s.otlpTracesEndpoint, protocol: s.otlpTracesProtocol, headers: s.otlpTracesHeaders, timeout: s.otlpTracesTimeoutMs, compression: s.otlpTracesCompression };
  const common = {
    protocol: sig.protocol ?? s.otlpProtocol,
    headers: { ...s.otlpHeaders, ...sig.headers },
    timeoutMs: sig.timeout ?? s.otlpTimeoutMs,
    compression: sig.compression ?? s.otlpCompression,
  };
  if (chosen.includes("otlp")) {
    const url = sig.endpoint ?? (s.otlpEndpoint === undefined ? undefined : baseUrl(s.otlpEndpoint, common.protocol, signal));
    if (url !== undefined) return { exporter: "otlp", url, ...common };
  }
  if (chosen.includes("console")) return { exporter: "console", url: "stdout", ...common };
  return null;
}

/**
 * What the chosen exporters will not do, said at start-up instead of silently (issue 24): one
 * exporter per signal (OTLP wins over console), and an exporter list asking for otlp with no
 * endpoint anywhere. `explicit`: the signals whose exporter the user set (the default otlp
 * without an endpoint is the normal /metrics-only install, not worth a word).
 */
export function exportNotes(s: OtelSettings, explicit: Record<Signal, boolean>, targets: Record<Signal, OtlpTarget | null>): string[] {
  if (s.sdkDisabled) return [];
  const notes: string[] = [];
  for (const signal of ["metrics", "traces"] as const) {
    const chosen = signal === "metrics" ? s.metricsExporter : s.tracesExporter;
    const env = signal === "metrics" ? "OTEL_METRICS_EXPORTER" : "OTEL_TRACES_EXPORTER";
    const target = targets[signal];
    if (chosen.includes("otlp") && chosen.includes("console") && target?.exporter === "otlp") {
      notes.push(`${env}=${chosen.join(",")}: one exporter per signal, so ${signal} go over OTLP and not to the console`);
    }
    if (explicit[signal] && chosen.includes("otlp") && target?.exporter !== "otlp") {
      const where = `OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
      notes.push(`${env}=${chosen.join(",")} asks for OTLP but no endpoint is set (${where}): no ${signal} are exported; /metrics still serves everything`);
    }
  }
  return notes;
}

/** OTLP/HTTP appends the signal path to the base endpoint; gRPC uses it as it is (spec). */
function baseUrl(endpoint: string, proto: OtlpProtocol, signal: Signal): string {
  const base = endpoint.replace(/\/+$/, "");
  return proto === "grpc" ? base : `${base}/v1/${signal}`;
}
