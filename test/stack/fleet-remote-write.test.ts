/**
 * The fleet path of issue 25, end to end with real programs: five sidecars with distinct hosts
 * and profiles push OTLP over TLS, each with its own bearer token, to the central Collector of
 * deploy/fleet/collector.yaml (the project's Collector build: bearertokenauth,
 * prometheusremotewrite), which remote-writes into a real Prometheus 3
 * (--web.enable-remote-write-receiver) running the shipped rules. The Fleet table shows each
 * host's state as its scenario script dictates; a sixth sidecar with a wrong token is refused
 * and counted on both sides; stopping one sidecar fires OpenClawSidecarMissing for that host
 * only. It prints the figures docs/fleet.md quotes (test/artifacts/fleet-figures.txt).
 *
 * The Collector is .stack/bin/otelcol-openclaw (scripts/build-stack.sh builds it with these
 * components), or FLEET_OTELCOL=path for a build elsewhere. Prometheus runs with a 15 s lookback
 * instead of 5 min so that a silent sender's series end within the test; `for:` is 1 s.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { writeScenario } from "../support/scenario-dir.ts";
import { makeTlsFiles, opensslMissing, type TlsFiles } from "../support/tls-files.ts";
import { startCli, waitUntil, type Child } from "../sidecar/helpers.ts";
import { freePort } from "./e2e-harness.ts";
import { startProc, type Proc } from "./otel-stack.ts";
import { at, listFiles, readText, stackBin, substituteGrafana } from "./stack-helpers.ts";

const OTELCOL = process.env.FLEET_OTELCOL ?? stackBin("otelcol-openclaw");
/** Host, profile and the state its scenario script gives it (as test/serving/page-scenarios.test.ts reads them). */
const SENDERS = [
  { host: "healthy", profile: "home", state: "healthy" },
  { host: "rate-limit-storm", profile: "customer-a", state: "degraded" },
  { host: "all-models-failing", profile: "customer-b", state: "down" },
  { host: "stuck-session", profile: "work", state: "degraded" },
  { host: "discord-reconnect-loop", profile: "bots", state: "degraded" },
] as const;
const INTRUDER = "intruder";
const STOPPED = "healthy";
/** The sidecar's default OTEL_METRIC_EXPORT_INTERVAL (src/config/settings.ts), for samples/s. */
const DEFAULT_INTERVAL_S = 60;

function missingPrograms(): string | undefined {
  const ssl = opensslMissing();
  if (ssl !== undefined) return ssl;
  for (const p of [stackBin("prometheus"), OTELCOL]) if (!existsSync(p)) return `${p} not built (scripts/build-stack.sh)`;
  const comps = execFileSync(OTELCOL, ["components"], { encoding: "utf8" });
  if (!/bearertokenauth/.test(comps) || !/prometheusremotewrite/.test(comps)) return `${OTELCOL} lacks bearertokenauth/prometheusremotewrite: rebuild it (scripts/build-stack.sh)`;
  return undefined;
}
const runs = canRun("fleet over TLS into Prometheus remote write", missingPrograms());

type Row = { metric: Record<string, string>; value: [number, string] };

describe.skipIf(!runs)("fleet: sidecars over TLS with per-sender tokens, central Collector, Prometheus 3 remote write", () => {
  const dir = mkdtempSync(join(tmpdir(), "fleet-"));
  let tls: TlsFiles;
  let prom: Proc | undefined, col: Proc | undefined;
  let promUrl = "", colTelemetry = "";
  const sidecars = new Map<string, Child>();
  const urls = new Map<string, string>();
  const query = async (expr: string): Promise<Row[]> => {
    const body = await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)).json() as { status: string; error?: string; data: { result: Row[] } };
    if (body.status !== "success") throw new Error(`${expr}: ${body.error}`);
    return body.data.result;
  };

  beforeAll(async () => {
    tls = makeTlsFiles(dir);
    const tokens = Object.fromEntries(SENDERS.map((s) => [s.host, `tok-${s.host}-${Math.random().toString(36).slice(2)}`]));
    writeFileSync(join(dir, "senders.tokens"), SENDERS.map((s) => `${tokens[s.host]}  # ${s.host}\n`).join(""));
    const [promPort, grpc, http, health, telemetry] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    promUrl = `http://127.0.0.1:${promPort}`;
    colTelemetry = `127.0.0.1:${telemetry}`;
    // The shipped rules, `for:` shortened; Prometheus scrapes only the Collector's own telemetry.
    const rules = listFiles("prometheus/rules", ".yml").map((f) => {
      const doc = parseYaml(readText("prometheus", "rules", f)) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
      for (const g of doc.groups) for (const r of g.rules) if (r.alert !== undefined) r.for = "1s";
      writeFileSync(join(dir, f), toYaml(doc));
      return join(dir, f);
    });
    writeFileSync(join(dir, "prometheus.yml"), toYaml({
      global: { scrape_interval: "1s", evaluation_interval: "1s" }, rule_files: rules,
      scrape_configs: [{ job_name: "fleet-collector", static_configs: [{ targets: [colTelemetry] }] }],
    }));
    prom = startProc(stackBin("prometheus"), [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${promPort}`, "--web.enable-remote-write-receiver", "--query.lookback-delta=15s"]);
    col = startProc(OTELCOL, ["--config", at("deploy", "fleet", "collector.yaml")], {
      FLEET_TLS_CERT: tls.cert, FLEET_TLS_KEY: tls.key, FLEET_TOKENS: join(dir, "senders.tokens"),
      FLEET_OTLP_GRPC: `127.0.0.1:${grpc}`, FLEET_OTLP_HTTP: `127.0.0.1:${http}`, FLEET_HEALTH: `127.0.0.1:${health}`,
      FLEET_TELEMETRY_PORT: String(telemetry), FLEET_REMOTE_WRITE_URL: `${promUrl}/api/v1/write`,
    });
    await waitUntil(() => `prometheus and collector ready\n${prom!.log()}\n${col!.log()}`, async () => {
      try { return (await fetch(`${promUrl}/-/ready`)).ok && (await fetch(`http://127.0.0.1:${health}/`)).ok; } catch { return false; }
    }, 30_000);
    const start = (host: string, profile: string, token: string, index: number) => {
      const logs = writeScenario(host === INTRUDER ? "healthy" : host, mkdtempSync(join(tmpdir(), `fleet-${host}-`)), 6, Date.now() - 6 * 60_000);
      const c = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), `fleet-${host}-state-`)), "--from-beginning",
        "--listen", "127.0.0.1:0", "--poll-interval", "50", "--host-name", host, "--profile", profile,
        "--otlp-endpoint", `https://127.0.0.1:${http}`, "--otlp-protocol", index % 2 === 0 ? "http/protobuf" : "http/json",
        "--otlp-headers", `Authorization=Bearer%20${token}`, "--metric-export-interval", "1000"],
      // The sidecar side stays environment only: the CA it trusts is Node's NODE_EXTRA_CA_CERTS.
      { NODE_EXTRA_CA_CERTS: tls.ca });
      sidecars.set(host, c);
    };
    SENDERS.forEach((s, i) => start(s.host, s.profile, tokens[s.host]!, i));
    start(INTRUDER, "home", "tok-not-on-the-list", 0);
    for (const [host, c] of sidecars) urls.set(host, await Promise.race([c.url, new Promise<string>((_, rej) => setTimeout(() => rej(new Error(`${host}: ${c.stderr()}`)), 20_000))]));
  }, 90_000);

  afterAll(async () => {
    for (const c of sidecars.values()) if (c.proc.exitCode === null) c.proc.kill("SIGTERM");
    await Promise.all([...sidecars.values()].map((c) => c.exited));
    await col?.stop();
    await prom?.stop();
  }, 30_000);

  it("the Fleet table shows each host's state as its scenario dictates, with its profile", async () => {
    const d = JSON.parse(readText("grafana", "dashboards", "openclaw-fleet.json")) as { panels: Array<{ title?: string; targets?: Array<{ expr: string }> }> };
    const stateQuery = substituteGrafana(d.panels.find((p) => p.title === "Who is down")!.targets![0]!.expr.replaceAll('"$host"', '".*"').replaceAll('"$profile"', '".*"'));
    let rows: Row[] = [];
    await waitUntil(() => `fleet states\n${JSON.stringify(rows.map((r) => r.metric))}\n${col!.log().slice(-3000)}`, async () => {
      rows = await query(stateQuery);
      return SENDERS.every((s) => rows.some((r) => r.metric.host_name === s.host && r.metric.openclaw_state === s.state));
    }, 45_000);
    for (const s of SENDERS) {
      const mine = rows.filter((r) => r.metric.host_name === s.host);
      expect(mine.map((r) => [r.metric.openclaw_profile, r.metric.openclaw_state]), s.host).toEqual([[s.profile, s.state]]);
    }
    expect(rows.some((r) => r.metric.host_name === INTRUDER)).toBe(false);
  }, 60_000);

  it("refuses the wrong token and counts it on both sides", async () => {
    const intruder = sidecars.get(INTRUDER)!;
    let failures = 0, refused = 0;
    await waitUntil(() => `refusal counted: sidecar ${failures}, collector ${refused}`, async () => {
      const m = /^openclaw_sidecar_export_failure_total\{[^}]*openclaw_signal="metrics"[^}]*\} (\S+)/m.exec(await (await fetch(`${urls.get(INTRUDER)}/metrics`)).text());
      failures = Number(m?.[1] ?? 0);
      // The Collector's own telemetry (service.telemetry in collector.yaml): its OTLP/HTTP server's requests by status.
      const own = await (await fetch(`http://${colTelemetry}/metrics`)).text();
      refused = [...own.matchAll(/^http[._]server[._]request[._]duration(?:_seconds)?_count\{[^}]*http_response_status_code="401"[^}]*\} (\S+)/gm)]
        .reduce((n, m) => n + Number(m[1]), 0);
      return failures > 0 && refused > 0;
    }, 30_000);
    expect(intruder.stderr()).toMatch(/401/);
    expect(await query(`count({host_name="${INTRUDER}"})`)).toEqual([]);
  }, 40_000);

  it("measures series per gateway from the sidecar's own output and in the store", async () => {
    const lines: string[] = ["host                    series(/metrics)  series(store)  samples/s@60s"];
    let total = 0;
    for (const s of SENDERS) {
      const ownLines = (await (await fetch(`${urls.get(s.host)}/metrics`)).text()).split("\n").filter((l) => /^[a-z_]+(\{|\s)/.test(l));
      const own = ownLines.length;
      // Pushed series only: the rules' recorded series (names with ":") and ALERTS are the store's own, on top.
      const stored = Number((await query(`count({host_name="${s.host}", __name__!~".*:.*|ALERTS.*"})`))[0]?.value[1] ?? 0);
      // The store holds what the sidecar serves, give or take series only one path has.
      expect(stored, s.host).toBeGreaterThan(own * 0.8);
      expect(stored, s.host).toBeLessThan(own * 1.2);
      total += stored;
      lines.push(`${s.host.padEnd(24)}${String(own).padStart(16)}${String(stored).padStart(15)}${(stored / DEFAULT_INTERVAL_S).toFixed(1).padStart(15)}`);
    }
    const mean = total / SENDERS.length;
    lines.push(`mean per gateway: ${mean.toFixed(0)} series pushed, ${(mean / DEFAULT_INTERVAL_S).toFixed(2)} samples/s at the default 60 s interval`);
    for (const n of [10, 1000, 10000]) lines.push(`${n} gateways: ${Math.round(mean * n)} active series, ${Math.round((mean * n) / DEFAULT_INTERVAL_S)} samples/s in`);
    mkdirSync(at("test", "artifacts"), { recursive: true });
    writeFileSync(at("test", "artifacts", "fleet-figures.txt"), `${lines.join("\n")}\n`);
    console.log(`\n${lines.join("\n")}\n`);
    expect(mean).toBeGreaterThan(0);
  }, 30_000);

  it("stopping one sidecar fires OpenClawSidecarMissing for that host only", async () => {
    const c = sidecars.get(STOPPED)!;
    c.proc.kill("SIGTERM");
    await c.exited;
    let firing: Row[] = [];
    await waitUntil(() => `OpenClawSidecarMissing\n${JSON.stringify(firing.map((r) => r.metric))}`, async () => {
      firing = await query('ALERTS{alertname="OpenClawSidecarMissing", alertstate="firing"}');
      return firing.length > 0;
    }, 60_000);
    // A little longer: nobody else follows.
    await new Promise((r) => setTimeout(r, 3000));
    firing = await query('ALERTS{alertname="OpenClawSidecarMissing", alertstate="firing"}');
    expect(firing.map((r) => [r.metric.host_name, r.metric.openclaw_profile])).toEqual([[STOPPED, "home"]]);
  }, 80_000);
});
