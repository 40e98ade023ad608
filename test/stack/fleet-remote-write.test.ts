/**
 * The fleet path of issue 25, end to end with real programs: five sidecars with distinct hosts
 * and profiles push OTLP over TLS, each with its own bearer token, to the central Collector of
 * deploy/fleet/collector.yaml (the project's Collector build: bearertokenauth,
 * prometheusremotewrite), which remote-writes into a real Prometheus 3
 * (--web.enable-remote-write-receiver) running the shipped rules, and sends spans on to a traces
 * store (a second Collector of ours as its stand-in: fleet-central.ts). The central side starts
 * from deploy/fleet's files (fleet-central.ts). The Fleet table shows each host's state as its
 * scenario script dictates; a sixth sidecar with a wrong token is refused and counted on both
 * sides; spans arrive in the traces store; stopping one sidecar fires OpenClawSidecarMissing for
 * that host only, and the fleet's Alertmanager notifies it as that gateway's own group. It
 * prints the figures docs/fleet.md quotes (test/artifacts/fleet-figures.txt).
 *
 * The Collector is .stack/bin/otelcol-openclaw (scripts/build-stack.sh builds it with these
 * components), or FLEET_OTELCOL=path for a build elsewhere. Prometheus runs with a 15 s lookback
 * instead of 5 min so that a silent sender's series end within the test; `for:` is 1 s.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { writeScenario } from "../support/scenario-dir.ts";
import { makeTlsFiles, opensslMissing } from "../support/tls-files.ts";
import { startCli, waitUntil, type Child } from "../sidecar/helpers.ts";
import { startCentral, type Central, type Row } from "./fleet-central.ts";
import { at, readText, stackBin, substituteGrafana } from "./stack-helpers.ts";

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
  for (const p of [stackBin("prometheus"), stackBin("alertmanager"), OTELCOL]) if (!existsSync(p)) return `${p} not built (scripts/build-stack.sh)`;
  const comps = execFileSync(OTELCOL, ["components"], { encoding: "utf8" });
  if (!/bearertokenauth/.test(comps) || !/prometheusremotewrite/.test(comps)) return `${OTELCOL} lacks bearertokenauth/prometheusremotewrite: rebuild it (scripts/build-stack.sh)`;
  return undefined;
}
const runs = canRun("fleet over TLS into Prometheus remote write", missingPrograms());

describe.skipIf(!runs)("fleet: sidecars over TLS with per-sender tokens, central Collector, Prometheus 3 remote write", () => {
  const dir = mkdtempSync(join(tmpdir(), "fleet-"));
  let central: Central;
  const sidecars = new Map<string, Child>();
  const urls = new Map<string, string>();
  const query = (expr: string): Promise<Row[]> => central.query(expr);

  beforeAll(async () => {
    const tls = makeTlsFiles(dir);
    const tokens = Object.fromEntries(SENDERS.map((s) => [s.host, `tok-${s.host}-${Math.random().toString(36).slice(2)}`]));
    writeFileSync(join(dir, "senders.tokens"), SENDERS.map((s) => `${tokens[s.host]}  # ${s.host}\n`).join(""));
    central = await startCentral(dir, tls, join(dir, "senders.tokens"), OTELCOL);
    const start = (host: string, profile: string, token: string, index: number) => {
      const logs = writeScenario(host === INTRUDER ? "healthy" : host, mkdtempSync(join(tmpdir(), `fleet-${host}-`)), 6, Date.now() - 6 * 60_000);
      const c = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), `fleet-${host}-state-`)), "--from-beginning",
        "--listen", "127.0.0.1:0", "--poll-interval", "50", "--host-name", host, "--profile", profile,
        "--otlp-endpoint", central.otlpHttp, "--otlp-protocol", index % 2 === 0 ? "http/protobuf" : "http/json",
        "--otlp-headers", `Authorization=Bearer%20${token}`, "--metric-export-interval", "1000"],
      // The sidecar side stays environment only: the CA it trusts is the standard OTLP variable
      // (read by the SDK's exporter itself) for half of them, Node's NODE_EXTRA_CA_CERTS for the others.
      index % 2 === 0 ? { OTEL_EXPORTER_OTLP_CERTIFICATE: tls.ca } : { NODE_EXTRA_CA_CERTS: tls.ca });
      sidecars.set(host, c);
    };
    SENDERS.forEach((s, i) => start(s.host, s.profile, tokens[s.host]!, i));
    start(INTRUDER, "home", "tok-not-on-the-list", 0);
    for (const [host, c] of sidecars) urls.set(host, await Promise.race([c.url, new Promise<string>((_, rej) => setTimeout(() => rej(new Error(`${host}: ${c.stderr()}`)), 20_000))]));
  }, 90_000);

  afterAll(async () => {
    for (const c of sidecars.values()) if (c.proc.exitCode === null) c.proc.kill("SIGTERM");
    await Promise.all([...sidecars.values()].map((c) => c.exited));
    await central?.stop();
  }, 30_000);

  it("the Fleet table shows each host's state as its scenario dictates, with its profile", async () => {
    const d = JSON.parse(readText("grafana", "dashboards", "openclaw-fleet.json")) as { panels: Array<{ title?: string; targets?: Array<{ expr: string }> }> };
    const stateQuery = substituteGrafana(d.panels.find((p) => p.title === "Who is down")!.targets![0]!.expr.replaceAll('"$host"', '".*"').replaceAll('"$profile"', '".*"'));
    let rows: Row[] = [];
    await waitUntil(() => `fleet states\n${JSON.stringify(rows.map((r) => r.metric))}\n${central.collectorLog().slice(-3000)}`, async () => {
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
      // Counted with the collector's answer as the reason: the 401, not a vague failure.
      const m = /^openclaw_sidecar_export_failure_total\{(?=[^}]*openclaw_signal="metrics")(?=[^}]*openclaw_reason="http_401")[^}]*\} (\S+)/m
        .exec(await (await fetch(`${urls.get(INTRUDER)}/metrics`)).text());
      failures = Number(m?.[1] ?? 0);
      // The Collector's own telemetry (service.telemetry in collector.yaml): its OTLP/HTTP server's requests by status.
      const own = await (await fetch(`http://${central.colTelemetry}/metrics`)).text();
      refused = [...own.matchAll(/^http[._]server[._]request[._]duration(?:_seconds)?_count\{[^}]*http_response_status_code="401"[^}]*\} (\S+)/gm)]
        .reduce((n, m) => n + Number(m[1]), 0);
      return failures > 0 && refused > 0;
    }, 30_000);
    expect(intruder.stderr()).toMatch(/OTLP metrics export to https:\/\/127\.0\.0\.1:\d+\/v1\/metrics failed: HTTP 401/);
    // The senders on the list were never refused: the failures are the wrong token's.
    for (const s of SENDERS) {
      const own = await (await fetch(`${urls.get(s.host)}/metrics`)).text();
      expect(/^openclaw_sidecar_export_failure_total\{[^}]*openclaw_signal="metrics"[^}]*\} (\S+)/m.exec(own)?.[1] ?? "0", s.host).toBe("0");
    }
    expect(await query(`count({host_name="${INTRUDER}"})`)).toEqual([]);
  }, 40_000);

  it("measures series per gateway from the sidecar's own output and in the store", async () => {
    const lines: string[] = ["host                    series(/metrics)  series(store)  samples/s@60s"];
    let total = 0, withJsonl = 0;
    for (const s of SENDERS) {
      const ownLines = (await (await fetch(`${urls.get(s.host)}/metrics`)).text()).split("\n").filter((l) => /^[a-z_]+(\{|\s)/.test(l));
      const own = ownLines.length;
      // Pushed series only: the rules' recorded series (names with ":") and ALERTS are the store's own, on top.
      const stored = Number((await query(`count({host_name="${s.host}", __name__!~".*:.*|ALERTS.*"})`))[0]?.value[1] ?? 0);
      // The store holds what the sidecar serves, give or take series only one path has.
      expect(stored, s.host).toBeGreaterThan(own * 0.8);
      expect(stored, s.host).toBeLessThan(own * 1.2);
      total += stored;
      // The healthy scenario is the one with the plugin's JSONL (tokens, cost, webhooks, queues).
      if (s.host === "healthy") withJsonl = stored;
      lines.push(`${s.host.padEnd(24)}${String(own).padStart(16)}${String(stored).padStart(15)}${(stored / DEFAULT_INTERVAL_S).toFixed(1).padStart(15)}`);
    }
    const mean = total / SENDERS.length;
    lines.push(`mean per gateway: ${mean.toFixed(0)} series pushed, ${(mean / DEFAULT_INTERVAL_S).toFixed(2)} samples/s at the default 60 s interval`);
    const perDay = (series: number, n: number) => `${((series * n * 86_400) / DEFAULT_INTERVAL_S / 1e6).toFixed(1)} million samples/day`;
    for (const n of [10, 1000, 10000]) {
      lines.push(`${n} gateways: ${Math.round(mean * n)} active series, ${Math.round((mean * n) / DEFAULT_INTERVAL_S)} samples/s in, ${perDay(mean, n)}`
        + `; all like healthy (JSONL): ${withJsonl * n} series, ${Math.round((withJsonl * n) / DEFAULT_INTERVAL_S)} samples/s, ${perDay(withJsonl, n)}`);
    }
    mkdirSync(at("test", "artifacts"), { recursive: true });
    writeFileSync(at("test", "artifacts", "fleet-figures.txt"), `${lines.join("\n")}\n`);
    console.log(`\n${lines.join("\n")}\n`);
    expect(mean).toBeGreaterThan(0);
  }, 30_000);

  it("spans pass the central Collector (TLS + token) into the traces store; none of the intruder's", async () => {
    // Every scenario but discord-reconnect-loop has events that are spans; its script holds channel reconnects only, which are none.
    const tracing = SENDERS.filter((s) => s.host !== "discord-reconnect-loop");
    await waitUntil(() => `spans per host\n${JSON.stringify([...new Set(central.spans().map((x) => x.host))])}`,
      async () => tracing.every((s) => central.spans().some((x) => x.host === s.host)), 30_000);
    const spans = central.spans();
    // The all-models-failing script's outage becomes its own span (src/telemetry/recording/spans.ts names it).
    expect(spans.some((x) => x.host === "all-models-failing" && x.name === "openclaw.model.all_failed")).toBe(true);
    expect(spans.some((x) => x.host === INTRUDER)).toBe(false);
  }, 40_000);

  it("stopping one sidecar fires OpenClawSidecarMissing for that host only, notified by Alertmanager as its own group", async () => {
    // The fleet's Alertmanager groups as the single-host one does (its routing and inhibitions are the shipped ones).
    const fleetAm = parseYaml(readText("deploy", "fleet", "alertmanager.yml")) as { route: { group_by: string[] }; inhibit_rules: unknown };
    const shipped = parseYaml(readText("alertmanager", "alertmanager.yml")) as typeof fleetAm;
    expect(fleetAm.route.group_by).toEqual(["alertname", "host_name", "openclaw_profile"]);
    expect(fleetAm.inhibit_rules).toEqual(shipped.inhibit_rules);
    const c = sidecars.get(STOPPED)!;
    c.proc.kill("SIGTERM");
    await c.exited;
    let firing: Row[] = [];
    const missing = () => central.notifications.filter((n) => n.groupLabels.alertname === "OpenClawSidecarMissing" && n.status === "firing");
    await waitUntil(() => `OpenClawSidecarMissing\n${JSON.stringify(firing.map((r) => r.metric))}\n${JSON.stringify(central.notifications.map((n) => n.groupLabels))}`, async () => {
      firing = await query('ALERTS{alertname="OpenClawSidecarMissing", alertstate="firing"}');
      return firing.length > 0 && missing().length > 0;
    }, 60_000);
    // A little longer: nobody else follows.
    await new Promise((r) => setTimeout(r, 3000));
    firing = await query('ALERTS{alertname="OpenClawSidecarMissing", alertstate="firing"}');
    expect(firing.map((r) => [r.metric.host_name, r.metric.openclaw_profile])).toEqual([[STOPPED, "home"]]);
    // One group for that gateway, holding that gateway's alert alone.
    expect(new Set(missing().map((n) => n.groupKey)).size).toBe(1);
    expect(missing()[0]!.groupLabels).toEqual({ alertname: "OpenClawSidecarMissing", host_name: STOPPED, openclaw_profile: "home" });
    expect(missing().flatMap((n) => n.alerts.map((a) => [a.labels.host_name, a.labels.openclaw_profile]))).toEqual(missing().flatMap((n) => n.alerts.map(() => [STOPPED, "home"])));
    // Every notification of the fleet (the scenarios' own alerts too) is about one gateway.
    for (const n of central.notifications) {
      expect(n.groupLabels.host_name, JSON.stringify(n.groupLabels)).toBeDefined();
      expect(n.alerts.every((a) => a.labels.host_name === n.groupLabels.host_name && a.labels.openclaw_profile === n.groupLabels.openclaw_profile)).toBe(true);
    }
  }, 80_000);
});
