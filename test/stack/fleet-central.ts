/**
 * The fleet's central side as deploy/fleet ships it, started from its files for the fleet
 * tests: Prometheus 3 from deploy/fleet/prometheus.yml (the remote-write receiver on, the
 * shipped rules with `for:` shortened, its targets pointed at this run's ports), Alertmanager
 * from deploy/fleet/alertmanager.yml (its webhook URL file pointing at a local receiver that
 * records each notification, waits shortened), the Collector of deploy/fleet/collector.yaml
 * with TLS and a token file, and a second Collector of ours as the traces store's stand-in: an
 * OTLP/gRPC receiver writing each span it gets to a file (Jaeger 2 takes the same OTLP/gRPC,
 * but is not built by default: scripts/build-stack.sh STACK_BUILD_JAEGER=1).
 */
import { writeFileSync, readFileSync, existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { waitUntil } from "../sidecar/helpers.ts";
import type { TlsFiles } from "../support/tls-files.ts";
import { freePort } from "./e2e-harness.ts";
import { startProc, type Proc } from "./otel-stack.ts";
import { at, listFiles, readText, stackBin } from "./stack-helpers.ts";

export type Row = { metric: Record<string, string>; value: [number, string] };
/** One webhook notification as Alertmanager posts it. */
export interface Notification { status: string; groupKey: string; groupLabels: Record<string, string>; alerts: Array<{ status: string; labels: Record<string, string> }> }

export interface Central {
  promUrl: string;
  /** host:port of the central Collector's own telemetry (service.telemetry). */
  colTelemetry: string;
  /** https://127.0.0.1:port of its OTLP/HTTP receiver. */
  otlpHttp: string;
  collectorLog: () => string;
  query(expr: string): Promise<Row[]>;
  notifications: Notification[];
  /** Every span the traces store's stand-in received: resource host.name and span name. */
  spans(): Array<{ host: string; name: string }>;
  stop(): Promise<void>;
}

export async function startCentral(dir: string, tls: TlsFiles, tokensFile: string, otelcol: string): Promise<Central> {
  const [promPort, amPort, grpc, http, health, telemetry, tracesPort] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
  const promUrl = `http://127.0.0.1:${promPort}`;
  const colTelemetry = `127.0.0.1:${telemetry}`;
  const notifications: Notification[] = [];
  const hook: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => { body += c.toString("utf8"); });
    req.on("end", () => { notifications.push(JSON.parse(body) as Notification); res.writeHead(200).end(); });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  writeFileSync(join(dir, "fleet-webhook-url"), `http://127.0.0.1:${(hook.address() as { port: number }).port}/fleet`);

  const am = parseYaml(readText("deploy", "fleet", "alertmanager.yml").replaceAll("/etc/alertmanager/secrets/", `${dir}/`)) as { route: Record<string, unknown> & { routes: Array<Record<string, unknown>> } };
  for (const r of [am.route, ...am.route.routes]) if ("group_wait" in r) Object.assign(r, { group_wait: "1s", group_interval: "1s" });
  writeFileSync(join(dir, "alertmanager.yml"), toYaml(am));

  // The shipped rules, `for:` shortened; the shipped prometheus.yml with this run's addresses.
  const rules = listFiles("prometheus/rules", ".yml").map((f) => {
    const doc = parseYaml(readText("prometheus", "rules", f)) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    for (const g of doc.groups) for (const r of g.rules) if (r.alert !== undefined) r.for = "1s";
    writeFileSync(join(dir, f), toYaml(doc));
    return join(dir, f);
  });
  const prom = parseYaml(readText("deploy", "fleet", "prometheus.yml")
    .replace("alertmanager:9093", `127.0.0.1:${amPort}`).replace("fleet-collector:8888", colTelemetry)) as Record<string, unknown>;
  Object.assign(prom, { global: { ...(prom.global as object), scrape_interval: "1s", evaluation_interval: "1s" }, rule_files: rules });
  writeFileSync(join(dir, "prometheus.yml"), toYaml(prom));

  // The traces store's stand-in: OTLP/gRPC in, every span to a file (OTLP JSON lines).
  const spansFile = join(dir, "spans.jsonl");
  writeFileSync(join(dir, "traces-store.yaml"), toYaml({
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${tracesPort}` } } } },
    exporters: { file: { path: spansFile, flush_interval: "200ms" } },
    service: { telemetry: { metrics: { level: "none" } }, pipelines: { traces: { receivers: ["otlp"], exporters: ["file"] } } },
  }));

  const procs: Proc[] = [
    startProc(stackBin("alertmanager"), [`--config.file=${join(dir, "alertmanager.yml")}`, `--storage.path=${join(dir, "am")}`,
      `--web.listen-address=127.0.0.1:${amPort}`, "--cluster.listen-address="]),
    startProc(stackBin("prometheus"), [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${promPort}`, "--web.enable-remote-write-receiver", "--query.lookback-delta=15s", "--rules.alert.resend-delay=1s"]),
    startProc(otelcol, ["--config", join(dir, "traces-store.yaml")]),
    startProc(otelcol, ["--config", at("deploy", "fleet", "collector.yaml")], {
      FLEET_TLS_CERT: tls.cert, FLEET_TLS_KEY: tls.key, FLEET_TOKENS: tokensFile,
      FLEET_OTLP_GRPC: `127.0.0.1:${grpc}`, FLEET_OTLP_HTTP: `127.0.0.1:${http}`, FLEET_HEALTH: `127.0.0.1:${health}`,
      FLEET_TELEMETRY_PORT: String(telemetry), FLEET_REMOTE_WRITE_URL: `${promUrl}/api/v1/write`, FLEET_TRACES_ENDPOINT: `127.0.0.1:${tracesPort}`,
    }),
  ];
  const col = procs[3]!;
  const stop = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await new Promise((r) => hook.close(r));
  };
  try {
    await waitUntil(() => `central side ready\n${procs.map((p) => p.log().slice(-2000)).join("\n")}`, async () => {
      try {
        return (await fetch(`${promUrl}/-/ready`)).ok && (await fetch(`http://127.0.0.1:${amPort}/-/ready`)).ok && (await fetch(`http://127.0.0.1:${health}/`)).ok;
      } catch { return false; }
    }, 30_000);
  } catch (err) { await stop(); throw err; }

  const query = async (expr: string): Promise<Row[]> => {
    const body = await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json() as { status: string; error?: string; data: { result: Row[] } };
    if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
    return body.data.result;
  };
  type Attr = { key: string; value: { stringValue?: string } };
  type Line = { resourceSpans?: Array<{ resource?: { attributes?: Attr[] }; scopeSpans?: Array<{ spans?: Array<{ name: string }> }> }> };
  const spans = () => {
    if (!existsSync(spansFile)) return [];
    return readFileSync(spansFile, "utf8").split("\n").filter((l) => l.trim() !== "").flatMap((l) => (JSON.parse(l) as Line).resourceSpans ?? [])
      .flatMap((rs) => {
        const host = rs.resource?.attributes?.find((a) => a.key === "host.name")?.value.stringValue ?? "?";
        return (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => ({ host, name: s.name })));
      });
  };
  return { promUrl, colTelemetry, otlpHttp: `https://127.0.0.1:${http}`, collectorLog: () => col.log(), query, notifications, spans, stop };
}
