/**
 * The stack's pieces agree with each other: service names, ports and endpoints across
 * docker-compose.yml, the collector, Prometheus, Alertmanager and Grafana provisioning; the
 * collector config only wires components it defines, of types that exist.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hostMatcher } from "../../src/serving/host-check.ts";
import { writeAlertmanagerConfig } from "./alertmanager-config.ts";
import { at, loadRules, readText, readYaml, run, stackBin } from "./stack-helpers.ts";
import { canRun } from "../support/required.ts";

type Obj = Record<string, unknown>;
const compose = readYaml("docker-compose.yml") as { services: Record<string, { ports?: string[]; volumes?: string[]; environment?: Record<string, string>; command?: string[] }> };
const services = new Set(Object.keys(compose.services));
const collector = readYaml("otel-collector", "config.yaml") as Record<"receivers" | "processors" | "exporters" | "extensions", Record<string, Obj>> & { service: { extensions: string[]; pipelines: Record<string, Record<"receivers" | "processors" | "exporters", string[]>> } };
const prom = readYaml("prometheus", "prometheus.yml") as { rule_files: string[]; alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> }; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
const am = readYaml("alertmanager", "alertmanager.yml") as { route: Obj & { routes: Obj[] }; receivers: Array<{ name: string }>; inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[] }> };
const datasources = (readYaml("grafana", "provisioning", "datasources", "openclaw.yml") as { datasources: Array<{ uid: string; type: string; url: string }> }).datasources;

/** "host:port" from a URL or endpoint string. */
const hostPort = (s: string): [string, number] => {
  const m = /^(?:[a-z]+:\/\/)?([^/:]+):(\d+)/.exec(s);
  if (m === null) throw new Error(`no host:port in ${s}`);
  return [m[1] ?? "", Number(m[2])];
};
const publishedTargets = (svc: string): number[] => (compose.services[svc]?.ports ?? []).map((p) => Number(p.split(":").at(-1)));
const jobTargets = (job: string): string[] => prom.scrape_configs.find((j) => j.job_name === job)?.static_configs.flatMap((c) => c.targets) ?? [];
/** Container path a repo path is mounted at, in one service. */
const mountOf = (svc: string, repoPath: string): string | undefined =>
  compose.services[svc]?.volumes?.map((v) => v.split(":")).find(([src]) => src === repoPath)?.[1];

// Component types of the pinned contrib distribution we rely on (README of each component).
const KNOWN = {
  receivers: new Set(["otlp", "prometheus", "filelog", "hostmetrics"]),
  processors: new Set(["memory_limiter", "batch", "transform", "resource", "attributes", "filter"]),
  exporters: new Set(["prometheus", "otlp_grpc", "otlp_http", "otlp", "otlphttp", "debug", "prometheusremotewrite"]),
  extensions: new Set(["health_check", "pprof", "zpages"]),
} as const;

describe("collector config", () => {
  it("wires only components it defines, of real component types", () => {
    for (const kind of ["receivers", "processors", "exporters", "extensions"] as const) {
      for (const id of Object.keys(collector[kind])) expect(KNOWN[kind], `${kind} ${id}`).toContain(id.split("/")[0]);
    }
    for (const id of collector.service.extensions) expect(Object.keys(collector.extensions)).toContain(id);
    for (const [name, p] of Object.entries(collector.service.pipelines)) {
      for (const kind of ["receivers", "processors", "exporters"] as const) {
        expect(p[kind].length, `${name} ${kind}`).toBeGreaterThan(0);
        for (const id of p[kind]) expect(Object.keys(collector[kind]), `${name} uses ${id}`).toContain(id);
      }
      expect(p.processors[0], `${name}: memory_limiter first`).toBe("memory_limiter");
      expect(p.processors, name).toContain("batch");
    }
  });

  it("translates names with suffixes, keeps only host.name and openclaw.profile, and labels series with them", () => {
    const pe = collector.exporters.prometheus ?? {};
    expect(pe.translation_strategy).toBe("UnderscoreEscapingWithSuffixes");
    expect(pe).not.toHaveProperty("add_metric_suffixes");
    expect(pe.resource_to_telemetry_conversion).toEqual({ enabled: true });
    const metrics = collector.service.pipelines.metrics;
    expect(metrics?.exporters).toEqual(["prometheus"]);
    const transformId = metrics?.processors.find((p) => p.startsWith("transform")) ?? "";
    const statements = JSON.stringify(collector.processors[transformId]);
    expect(statements).toContain('keep_keys(attributes, [\\"host.name\\", \\"openclaw.profile\\"])');
    expect(statements).toContain('"context":"resource"');
  });

  it("receives OTLP on 4317 (grpc) and 4318 (http) where the sidecar sends it", () => {
    const otlp = collector.receivers.otlp as { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } };
    expect(hostPort(otlp.protocols.grpc.endpoint)[1]).toBe(4317);
    const httpPort = hostPort(otlp.protocols.http.endpoint)[1];
    expect(httpPort).toBe(4318);
    const [host, port] = hostPort(compose.services.sidecar?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT ?? "");
    expect(host).toBe("otel-collector");
    expect(services).toContain(host);
    expect(port).toBe(httpPort);
    expect(publishedTargets("otel-collector")).toEqual(expect.arrayContaining([4317, 4318]));
  });

  it("sends traces to the traces store service and exposes its health check", () => {
    const traceExporters = collector.service.pipelines.traces?.exporters ?? [];
    for (const id of traceExporters) {
      const [host, port] = hostPort(String(collector.exporters[id]?.endpoint));
      expect(services).toContain(host);
      expect(port).toBe(4317);
    }
    const [, healthPort] = hostPort(String(collector.extensions.health_check?.endpoint));
    expect(publishedTargets("otel-collector")).toContain(healthPort);
  });

  it("mounts the config where the command reads it", () => {
    const arg = compose.services["otel-collector"]?.command?.find((c) => c.startsWith("--config="))?.slice("--config=".length);
    expect(mountOf("otel-collector", "./otel-collector/config.yaml")).toBe(arg);
  });
});

describe("Prometheus", () => {
  it("passes promtool check config (rules included)", () => {
    const r = run("promtool", ["check", "config", at("prometheus", "prometheus.yml")]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it("scrapes the collector's Prometheus exporter and the sidecar on their real ports", () => {
    const [exporterHost, exporterPort] = hostPort(String(collector.exporters.prometheus?.endpoint));
    expect(exporterHost).toBe("0.0.0.0");
    expect(jobTargets("otel-collector")).toEqual([`otel-collector:${exporterPort}`]);
    const listen = compose.services.sidecar?.environment?.OPENCLAW_OTEL_LISTEN ?? "";
    const sidecarPort = hostPort(listen)[1];
    expect(jobTargets("openclaw-sidecar")).toEqual([`sidecar:${sidecarPort}`]);
    // The sidecar answers only Host names it is configured for (DNS rebinding guard): the name
    // Prometheus scrapes it by must be one, or every scrape gets 403.
    const allowed = String(compose.services.sidecar?.environment?.OPENCLAW_OTEL_ALLOWED_HOSTS ?? "").split(",");
    const answers = hostMatcher(hostPort(listen)[0], allowed);
    for (const target of jobTargets("openclaw-sidecar")) expect(answers(target), target).toBe(true);
    expect(answers("evil.example:9464")).toBe(false);
    expect(publishedTargets("sidecar")).toEqual([sidecarPort]);
    expect(readText("Dockerfile")).toContain(`EXPOSE ${sidecarPort}`);
  });

  it("sends alerts to the Alertmanager service and loads the rules directory it mounts", () => {
    const targets = prom.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets));
    expect(targets).toEqual(["alertmanager:9093"]);
    expect(publishedTargets("alertmanager")).toEqual([9093]);
    expect(mountOf("prometheus", "./prometheus")).toBe("/etc/prometheus");
    expect(prom.rule_files).toEqual(["rules/*.yml"]);
  });

  it("knows every job an alert rule selects", () => {
    const jobs = new Set(prom.scrape_configs.map((j) => j.job_name));
    for (const r of loadRules()) for (const m of r.expr.matchAll(/job="([^"]+)"/g)) expect(jobs, r.alert).toContain(m[1]);
  });
});

describe("Alertmanager", () => {
  const alerts = loadRules().filter((r) => r.alert !== undefined);
  it("passes amtool check-config as shipped, and with every receiver block switched on", () => {
    const r = run(stackBin("amtool"), ["check-config", at("alertmanager", "alertmanager.yml")]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Debian's amtool 0.25 predates the *_file fields: the rest needs the built one, and in CI
    // (which builds it) a missing one fails instead of passing half-checked.
    if (!canRun("amtool check-config with every receiver block", stackBin("amtool").startsWith(at(".stack")) ? undefined : "the built amtool is absent (run scripts/build-stack.sh)")) return;
    const dir = mkdtempSync(join(tmpdir(), "openclaw-amtool-"));
    try {
      const cfg = writeAlertmanagerConfig(dir, { blocks: ["telegram", "discord", "slack", "webhook", "deadmansswitch"], secrets: {
        "telegram-bot-token": "1:x", "discord-webhook-url": "http://127.0.0.1:1/d", "slack-webhook-url": "http://127.0.0.1:1/s",
        "webhook-url": "http://127.0.0.1:1/w", "deadmansswitch-url": "http://127.0.0.1:1/p" } });
      const all = run(stackBin("amtool"), ["check-config", cfg]);
      expect(all.code, all.stdout + all.stderr).toBe(0);
      expect(all.stdout).toMatch(/- 3 receivers/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("routes every severity the rules use to a defined receiver", () => {
    const receivers = new Set(am.receivers.map((r) => r.name));
    const routes = [am.route, ...am.route.routes];
    for (const r of routes) expect(receivers).toContain(r.receiver);
    const matchers = JSON.stringify(am.route.routes.map((r) => r.matchers));
    for (const sev of new Set(alerts.map((a) => a.labels.severity))) expect(matchers, sev).toContain(sev);
    expect(readText("alertmanager", "alertmanager.yml")).toMatch(/#\s+telegram_configs:/);
  });

  it("inhibits only alerts that exist", () => {
    const names = new Set(alerts.map((a) => a.alert));
    for (const rule of am.inhibit_rules) {
      for (const m of [...rule.source_matchers, ...rule.target_matchers]) {
        const value = /alertname=~?"([^"]+)"/.exec(m)?.[1];
        if (value !== undefined) for (const n of value.split("|")) expect(names, n).toContain(n);
      }
    }
    expect(JSON.stringify(am.inhibit_rules[0])).toContain("OpenClawAllModelsFailing");
  });
});

describe("Grafana provisioning", () => {
  it("points every data source at a compose service on its real port", () => {
    const ports: Record<string, number> = { prometheus: 9090, jaeger: 16686, alertmanager: 9093 };
    for (const ds of datasources) {
      const [host, port] = hostPort(ds.url);
      expect(services, ds.uid).toContain(host);
      expect(port, ds.uid).toBe(ports[host]);
      expect(ds.uid).toMatch(/^openclaw-[a-z]+$/);
    }
  });

  it("loads dashboards from the folder compose mounts, including the home dashboard", () => {
    const providers = (readYaml("grafana", "provisioning", "dashboards", "openclaw.yml") as { providers: Array<{ options: { path: string } }> }).providers;
    const target = mountOf("grafana", "./grafana/dashboards");
    expect(providers.map((p) => p.options.path)).toEqual([target]);
    expect(mountOf("grafana", "./grafana/provisioning")).toBe("/etc/grafana/provisioning");
    const home = compose.services.grafana?.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? "";
    expect(home.startsWith(`${target}/`)).toBe(true);
    expect(existsSync(at("grafana", "dashboards", home.slice((target ?? "").length + 1)))).toBe(true);
  });

  it("mounts only paths that exist in the repository", () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(":")[0] ?? "";
        if (src.startsWith("./")) expect(existsSync(at(src)), src).toBe(true);
      }
    }
  });
});
