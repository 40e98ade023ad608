/**
 * The collector leg of the real stack, on 127.0.0.1: our otel-collector/config.yaml run by the
 * Collector built from its Go modules (scripts/build-stack.sh), with only its listen
 * addresses moved to free loopback ports and its traces exporter pointed at a trace sink
 * (the built Jaeger, or a second Collector writing spans to a file) that the tests read back.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { freePort } from "./e2e-harness.ts";
import { at, stackBin } from "./stack-helpers.ts";

export interface Proc { child: ChildProcess; log: () => string; stop(): Promise<void> }

export function startProc(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let out = "";
  const keep = (b: Buffer) => { out = (out + b.toString("utf8")).slice(-30_000); };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    child, log: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await new Promise((r) => child.once("exit", r));
      clearTimeout(killer);
    },
  };
}

export async function waitHttp(url: string, proc: Proc, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.child.exitCode !== null) throw new Error(`${url}: process exited ${proc.child.exitCode}\n${proc.log()}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${ms} ms\n${proc.log()}`);
}

/** One span as the traces leg delivered it, whichever store received it. */
export interface StoredSpan { name: string; traceId: string; parentSpanId: string; startUs: number; durationUs: number; service: string }

/**
 * Where the Collector's traces exporter sends spans: the built Jaeger when there is one (its
 * query API reads them back), else a second instance of the built Collector receiving OTLP
 * gRPC and writing what it gets to a file (Jaeger's Go build is too heavy for every CI run;
 * scripts/build-stack.sh builds it only with STACK_BUILD_JAEGER=1).
 */
export interface TraceSink {
  kind: "jaeger" | "collector-file";
  /** host:port of its OTLP gRPC receiver. */
  otlpGrpc: string;
  spansOf(traceId: string): Promise<StoredSpan[]>;
  stop(): Promise<void>;
}

export async function startTraceSink(): Promise<TraceSink> {
  // OPENCLAW_TRACE_SINK=file forces the file sink (to test it where Jaeger is built).
  return existsSync(stackBin("jaeger")) && process.env.OPENCLAW_TRACE_SINK !== "file" ? startJaeger() : startFileSink();
}

async function startJaeger(): Promise<TraceSink> {
  const [grpc, query, queryGrpc, health] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const proc = startProc(stackBin("jaeger"), [`--config=${at("scripts", "stack-build", "jaeger-test.yaml")}`], {
    JAEGER_OTLP_GRPC_PORT: String(grpc), JAEGER_QUERY_HTTP_PORT: String(query),
    JAEGER_QUERY_GRPC_PORT: String(queryGrpc), JAEGER_HEALTH_PORT: String(health), JAEGER_LOG_LEVEL: "warn",
  });
  const queryUrl = `http://127.0.0.1:${query}`;
  await waitHttp(`${queryUrl}/api/services`, proc, 30_000);
  return {
    kind: "jaeger", otlpGrpc: `127.0.0.1:${grpc}`, stop: () => proc.stop(),
    async spansOf(traceId) {
      const res = await fetch(`${queryUrl}/api/traces/${traceId}`);
      if (!res.ok) return [];
      type J = { spans: Array<{ operationName: string; traceID: string; startTime: number; duration: number; references?: Array<{ spanID: string }>; processID: string }>; processes: Record<string, { serviceName: string }> };
      const trace = ((await res.json()) as { data: J[] }).data[0];
      return (trace?.spans ?? []).map((x) => ({
        name: x.operationName, traceId: x.traceID, parentSpanId: x.references?.[0]?.spanID ?? "",
        startUs: x.startTime, durationUs: x.duration, service: trace?.processes[x.processID]?.serviceName ?? "",
      }));
    },
  };
}

async function startFileSink(): Promise<TraceSink> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-trace-sink-"));
  const [grpc, health] = [await freePort(), await freePort()];
  const file = join(dir, "spans.jsonl");
  const config = join(dir, "config.yaml");
  writeFileSync(config, toYaml({
    extensions: { health_check: { endpoint: `127.0.0.1:${health}` } },
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${grpc}` } } } },
    exporters: { file: { path: file, format: "json" } },
    service: { extensions: ["health_check"], telemetry: { metrics: { level: "none" } }, pipelines: { traces: { receivers: ["otlp"], exporters: ["file"] } } },
  }));
  const proc = startProc(stackBin("otelcol-openclaw"), [`--config=${config}`]);
  await waitHttp(`http://127.0.0.1:${health}/`, proc, 30_000);
  return {
    kind: "collector-file", otlpGrpc: `127.0.0.1:${grpc}`,
    async stop() { await proc.stop(); rmSync(dir, { recursive: true, force: true }); },
    async spansOf(traceId) {
      if (!existsSync(file)) return [];
      const out: StoredSpan[] = [];
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (line === "") continue;
        type R = { resourceSpans: Array<{ resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Array<{ name: string; traceId: string; parentSpanId?: string; startTimeUnixNano: string; endTimeUnixNano: string }> }> }> };
        for (const rs of (JSON.parse(line) as R).resourceSpans) {
          const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value.stringValue ?? "";
          for (const ss of rs.scopeSpans) for (const x of ss.spans) {
            if (x.traceId.toLowerCase() !== traceId) continue;
            const start = BigInt(x.startTimeUnixNano), end = BigInt(x.endTimeUnixNano);
            out.push({ name: x.name, traceId: x.traceId.toLowerCase(), parentSpanId: (x.parentSpanId ?? "").toLowerCase(), startUs: Number(start / 1000n), durationUs: Number((end - start) / 1000n), service });
          }
        }
      }
      return out;
    },
  };
}

export interface Collector {
  /** Base OTLP/HTTP URL for the sidecars (http://127.0.0.1:port). */
  otlpHttp: string;
  /** OTLP/gRPC URL of the same receiver (http://127.0.0.1:port, the 4317-equivalent). */
  otlpGrpc: string;
  /** host:port of the Prometheus exporter, scraped as job otel-collector. */
  promTarget: string;
  proc: Proc;
  stop(): Promise<void>;
}

/** Our config, unchanged but for addresses: loopback ports, traces to `tracesTo`. */
export async function startCollector(tracesTo: string): Promise<Collector> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-otelcol-"));
  const [grpc, http, prom, health] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const cfg = parseYaml(readFileSync(at("otel-collector", "config.yaml"), "utf8")) as Record<string, any>;
  cfg.receivers.otlp.protocols.grpc.endpoint = `127.0.0.1:${grpc}`;
  cfg.receivers.otlp.protocols.http.endpoint = `127.0.0.1:${http}`;
  cfg.exporters.prometheus.endpoint = `127.0.0.1:${prom}`;
  cfg.extensions.health_check.endpoint = `127.0.0.1:${health}`;
  const tracesExporter = Object.keys(cfg.exporters).find((k) => k.startsWith("otlp"));
  if (tracesExporter === undefined) throw new Error("otel-collector/config.yaml has no otlp exporter for traces");
  cfg.exporters[tracesExporter].endpoint = tracesTo;
  // Test speed only: spans and points leave within 200 ms instead of 5 s.
  cfg.processors.batch.timeout = "200ms";
  // The collector's own metrics would listen on :8888 of every interface.
  cfg.service.telemetry = { metrics: { level: "none" } };
  const file = join(dir, "config.yaml");
  writeFileSync(file, toYaml(cfg));
  const proc = startProc(stackBin("otelcol-openclaw"), [`--config=${file}`]);
  await waitHttp(`http://127.0.0.1:${health}/`, proc, 30_000);
  return {
    otlpHttp: `http://127.0.0.1:${http}`, otlpGrpc: `http://127.0.0.1:${grpc}`, promTarget: `127.0.0.1:${prom}`, proc,
    async stop() { await proc.stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
