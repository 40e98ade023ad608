/**
 * The doctor's empty OTLP export over gRPC: one unary call of the OTLP service's Export method
 * with an empty request (zero bytes are a valid, empty protobuf message), with the configured
 * headers as metadata, as the SDK's gRPC exporter sends them. @grpc/grpc-js is imported only
 * here, when a target chooses grpc, as the exporter does.
 */
import type { OtlpTarget } from "../config/otel.ts";

export interface TlsMaterial { ca?: Buffer; cert?: Buffer; key?: Buffer }
/** What one export attempt came back with: an HTTP status, a gRPC code, or a transport error. */
export type Answer = { http: number; body: string } | { grpc: number; details: string } | { error: NodeJS.ErrnoException };

const SERVICE = {
  metrics: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
  traces: "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
} as const;

export async function grpcExport(t: OtlpTarget, signal: "metrics" | "traces", secure: boolean, tls: TlsMaterial): Promise<Answer> {
  const grpc = await import("@grpc/grpc-js");
  const u = new URL(t.url);
  const address = `${u.hostname}:${u.port || (secure ? 443 : 80)}`;
  const creds = secure ? grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : grpc.credentials.createInsecure();
  const client = new grpc.Client(address, creds);
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(t.headers)) metadata.set(k.toLowerCase(), v);
  try {
    return await new Promise<Answer>((resolve) => {
      client.makeUnaryRequest(SERVICE[signal], (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), metadata, { deadline: Date.now() + t.timeoutMs },
        (err) => resolve(err ? { grpc: err.code, details: err.details } : { grpc: 0, details: "" }));
    });
  } finally {
    client.close();
  }
}
