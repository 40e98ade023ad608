/**
 * A real OTLP/HTTP receiver for tests: POST /v1/metrics and /v1/traces on 127.0.0.1, in JSON or
 * protobuf, decoded into plain objects so tests assert on what actually went over the wire.
 * Protobuf is decoded with protobufjs and the OTLP schema in otlp.proto (from the published
 * opentelemetry-proto), not with the SDK's own serializer, so an encoding bug cannot hide.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import protobuf from "protobufjs";

export type AttrValue = string | number | boolean | AttrValue[] | { [key: string]: AttrValue } | null;
export type Attrs = Record<string, AttrValue>;

export interface ReceivedRequest {
  path: string;
  contentType: string;
  headers: IncomingHttpHeaders;
}
export interface ReceivedPoint {
  attributes: Attrs;
  startTimeUnixNano: string;
  timeUnixNano: string;
  /** Sum and gauge points. */
  value?: number;
  /** Histogram points. */
  count?: number;
  sum?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}
export interface ReceivedMetric {
  resource: Attrs;
  scope: string;
  name: string;
  description: string;
  unit: string;
  type: "sum" | "gauge" | "histogram" | "other";
  monotonic?: boolean;
  temporality?: "unspecified" | "delta" | "cumulative";
  points: ReceivedPoint[];
}
export interface ReceivedSpan {
  resource: Attrs;
  scope: string;
  name: string;
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code: "unset" | "ok" | "error"; message: string };
  attributes: Attrs;
}
export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  requests: ReceivedRequest[];
  metrics: ReceivedMetric[];
  spans: ReceivedSpan[];
  /** Answer the next `n` requests with this HTTP status instead of 200 (400 is not retried). */
  failNext(n: number, status?: number): void;
  /** Resolve once `pred()` holds, polling on request arrival; reject after `timeoutMs`. */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const root = protobuf.loadSync(fileURLToPath(new URL("./otlp.proto", import.meta.url)));
const MetricsRequest = root.lookupType("otlp.ExportMetricsServiceRequest");
const TraceRequest = root.lookupType("otlp.ExportTraceServiceRequest");
const TEMPORALITY = ["unspecified", "delta", "cumulative"] as const;
const STATUS = ["unset", "ok", "error"] as const;

// protobufjs' toObject and OTLP/JSON both use lowerCamelCase field names; they differ only in how
// 64-bit integers (string vs number) and bytes (Buffer vs hex string) come out, handled below.
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const TO_OBJECT = { longs: String, enums: Number, bytes: Array, defaults: false, oneofs: false } as const;

const num = (v: unknown): number => (v === undefined || v === null ? 0 : Number(v));
const nanos = (v: unknown): string => (v === undefined || v === null ? "0" : BigInt(v as string).toString());
const hex = (v: unknown): string =>
  v === undefined || v === null ? "" : typeof v === "string" ? v.toLowerCase() : Buffer.from(v as number[]).toString("hex");

function anyValue(v: Obj | undefined): AttrValue {
  if (!v) return null;
  if ("stringValue" in v) return v.stringValue as string;
  if ("boolValue" in v) return Boolean(v.boolValue);
  if ("intValue" in v) return num(v.intValue);
  if ("doubleValue" in v) return num(v.doubleValue);
  if ("arrayValue" in v) return ((v.arrayValue?.values ?? []) as Obj[]).map(anyValue);
  if ("kvlistValue" in v) return attrs(v.kvlistValue?.values);
  if ("bytesValue" in v) return hex(v.bytesValue);
  return null;
}
function attrs(kvs: Obj[] | undefined): Attrs {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key as string, anyValue(kv.value)]));
}

function decodeMetrics(body: Obj): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of (body.resourceMetrics ?? []) as Obj[]) {
    for (const sm of (rm.scopeMetrics ?? []) as Obj[]) {
      for (const m of (sm.metrics ?? []) as Obj[]) {
        const base = { resource: attrs(rm.resource?.attributes), scope: sm.scope?.name ?? "", name: m.name, description: m.description ?? "", unit: m.unit ?? "" };
        const data: Obj | undefined = m.sum ?? m.gauge ?? m.histogram;
        const type = m.sum ? "sum" : m.gauge ? "gauge" : m.histogram ? "histogram" : "other";
        const points = ((data?.dataPoints ?? []) as Obj[]).map((p): ReceivedPoint => {
          const common = { attributes: attrs(p.attributes), startTimeUnixNano: nanos(p.startTimeUnixNano), timeUnixNano: nanos(p.timeUnixNano) };
          if (type !== "histogram") return { ...common, value: num(p.asDouble ?? p.asInt) };
          return {
            ...common,
            count: num(p.count),
            sum: num(p.sum),
            bucketCounts: ((p.bucketCounts ?? []) as unknown[]).map(num),
            explicitBounds: ((p.explicitBounds ?? []) as unknown[]).map(num),
          };
        });
        out.push({
          ...base,
          type,
          ...(m.sum && { monotonic: Boolean(m.sum.isMonotonic) }),
          ...(data && type !== "gauge" && { temporality: TEMPORALITY[num(data.aggregationTemporality)] ?? "unspecified" }),
          points,
        });
      }
    }
  }
  return out;
}

function decodeSpans(body: Obj): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of (body.resourceSpans ?? []) as Obj[]) {
    for (const ss of (rs.scopeSpans ?? []) as Obj[]) {
      for (const s of (ss.spans ?? []) as Obj[]) {
        out.push({
          resource: attrs(rs.resource?.attributes),
          scope: ss.scope?.name ?? "",
          name: s.name,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          startTimeUnixNano: nanos(s.startTimeUnixNano),
          endTimeUnixNano: nanos(s.endTimeUnixNano),
          status: { code: STATUS[num(s.status?.code)] ?? "unset", message: s.status?.message ?? "" },
          attributes: attrs(s.attributes),
        });
      }
    }
  }
  return out;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const metrics: ReceivedMetric[] = [];
  const spans: ReceivedSpan[] = [];
  const waiters = new Set<() => void>();
  let failures = 0;
  let failStatus = 400;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
      requests.push({ path, contentType, headers: req.headers });
      try {
        if (req.method !== "POST" || (path !== "/v1/metrics" && path !== "/v1/traces")) {
          res.writeHead(404).end();
          return;
        }
        if (failures > 0) {
          failures--;
          res.writeHead(failStatus, { "content-type": "text/plain" }).end("failing on purpose");
          return;
        }
        let raw = Buffer.concat(chunks);
        if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
        const isProto = contentType === "application/x-protobuf";
        const type = path === "/v1/metrics" ? MetricsRequest : TraceRequest;
        const body: Obj = isProto ? type.toObject(type.decode(raw), TO_OBJECT) : JSON.parse(raw.toString("utf8"));
        if (path === "/v1/metrics") metrics.push(...decodeMetrics(body));
        else spans.push(...decodeSpans(body));
        // An empty Export*ServiceResponse is zero bytes in protobuf and {} in JSON.
        res.writeHead(200, { "content-type": isProto ? "application/x-protobuf" : "application/json" }).end(isProto ? "" : "{}");
      } catch (err) {
        res.writeHead(400, { "content-type": "text/plain" }).end(`cannot decode: ${(err as Error).message}`);
      } finally {
        for (const wake of waiters) wake();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    metrics,
    spans,
    failNext(n, status = 400) {
      failures = n;
      failStatus = status;
    },
    waitFor(pred, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!pred()) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`OTLP receiver: condition not met within ${timeoutMs} ms (${requests.length} requests seen)`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
