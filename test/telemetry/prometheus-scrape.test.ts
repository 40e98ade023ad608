/**
 * The /metrics formats checked by Prometheus' own parsers, on 127.0.0.1:
 *  - `promtool check metrics` on the 0.0.4 text of a store holding every scenario: no parse
 *    error, and only the naming lints inherited from upstream's metric names (the Collector
 *    serves the same names);
 *  - a real Prometheus 3 scraping the sidecar's HTTP server in both formats (scrape_protocols
 *    pinned per job), gzip included (Prometheus always asks for it);
 *  - the direct-scrape label clash: with a plain scrape config target_info's job becomes
 *    exported_job; the two configs docs/otel.md gives (honor_labels, or dropping target_info)
 *    leave no exported_job.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import type { MetricsFormat } from "../../src/serving/metrics-negotiation.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { freePort } from "../stack/e2e-harness.ts";
import { stackBin } from "../stack/stack-helpers.ts";
import { canRun } from "../support/required.ts";
import { sampleSnapshot } from "../support/status-snapshot.ts";
import { SCENARIOS } from "./scenario-events.ts";

const OPTS = { hostName: "box", resource: { "service.name": "openclaw", "host.name": "box" } };
function fullStore(): MetricStore {
  const s = new MetricStore();
  for (const ev of Object.values(SCENARIOS).flat()) countEvent(s, ev);
  return s;
}

/** Lints about names and labels that come from upstream diagnostics-otel, not from the format. */
const INHERITED_LINTS = [/use base unit "seconds" instead of "milliseconds"/, /should not contain abbreviated units/, /label names should be written in 'snake_case'/];

// Without promtool or the built Prometheus 3 these suites skip, except in CI, where they fail by
// name (support/required.ts): CI installs Debian's prometheus and builds the stack.
const PROMTOOL = stackBin("promtool");
describe.skipIf(!canRun("promtool check metrics", existsSync(PROMTOOL) ? undefined : `${PROMTOOL} is absent`))("promtool check metrics", () => {
  it("parses the 0.0.4 text of every scenario; only inherited naming lints remain", () => {
    const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: renderPrometheus(fullStore(), OPTS), encoding: "utf8", timeout: 30_000 });
    const out = `${r.stdout}${r.stderr}`;
    expect(out).not.toMatch(/error|parsing/i);
    expect([0, 3]).toContain(r.status); // 3: lint findings only
    for (const line of out.split("\n").filter((l) => l.trim() !== "")) {
      expect(INHERITED_LINTS.some((re) => re.test(line)), line).toBe(true);
    }
  });

  it("finds a broken exposition (the check is not vacuous)", () => {
    const r = spawnSync(PROMTOOL, ["check", "metrics"], { input: "# TYPE a counter\nbroken{ 1\n", encoding: "utf8", timeout: 30_000 });
    expect(r.status).toBe(1);
  });
});

const PROMETHEUS = stackBin("prometheus");
const major = existsSync(PROMETHEUS) ? Number(/version (\d+)\./.exec(execFileSync(PROMETHEUS, ["--version"], { encoding: "utf8" }))?.[1] ?? 0) : 0;

// scrape_protocols needs Prometheus >= 2.49: the built Prometheus 3, not Debian's 2.42.
describe.skipIf(!canRun("a real Prometheus scraping /metrics", major >= 3 ? undefined : `${PROMETHEUS} is not Prometheus 3 (run scripts/build-stack.sh)`))("a real Prometheus scraping /metrics", () => {
  let server: HttpServer;
  let prom: ReturnType<typeof spawn>;
  let promUrl = "";
  let dir = "";
  const served: { format: MetricsFormat }[] = [];
  const store = fullStore();

  beforeAll(async () => {
    server = await startHttpServer({
      host: "127.0.0.1", port: 0, health: () => ({}), status: () => sampleSnapshot(Date.now()),
      renderMetrics: (format) => { served.push({ format }); return renderPrometheus(store, { ...OPTS, format }); },
    });
    const target = `127.0.0.1:${server.port}`;
    dir = mkdtempSync(join(tmpdir(), "prom-scrape-"));
    const job = (name: string, extra: string) => `  - job_name: ${name}\n    scrape_interval: 1s\n    static_configs: [{ targets: ["${target}"] }]\n${extra}`;
    writeFileSync(join(dir, "prometheus.yml"), [
      "scrape_configs:",
      job("om-honor", "    scrape_protocols: [OpenMetricsText1.0.0]\n    honor_labels: true\n"),
      job("text-drop", "    scrape_protocols: [PrometheusText0.0.4]\n    metric_relabel_configs:\n      - source_labels: [__name__]\n        regex: target_info\n        action: drop\n"),
      job("plain", "    scrape_protocols: [PrometheusText0.0.4]\n"),
    ].join("\n"));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn(PROMETHEUS, [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: "ignore" });
    // Bounded wait until every job has scraped once.
    for (let i = 0; i < 150; i++) {
      try {
        const up = await query("up");
        if (up.length === 3 && up.every((r) => r.value[1] === "1")) break;
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
  afterAll(async () => {
    prom?.kill("SIGTERM");
    if (prom && prom.exitCode === null) await new Promise((r) => prom.once("exit", r));
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Row { metric: Record<string, string>; value: [number, string] }
  async function query(q: string): Promise<Row[]> {
    const body = (await (await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: Row[] } };
    return body.data.result;
  }

  it("scrapes both formats without error and stores the same series from each", async () => {
    const targets = (await (await fetch(`${promUrl}/api/v1/targets`)).json()) as { data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] } };
    expect(targets.data.activeTargets.map((t) => [t.labels.job, t.health, t.lastError]).sort()).toEqual([["om-honor", "up", ""], ["plain", "up", ""], ["text-drop", "up", ""]]);
    expect(new Set(served.map((s) => s.format))).toEqual(new Set(["openmetrics", "prometheus"]));
    // Without the created-timestamps feature flag Prometheus stores OpenMetrics' _created lines
    // as series of their own (docs/otel.md says so); everything else is the same.
    const count = async (job: string) => Number((await query(`count({job="${job}",__name__=~"openclaw_.+",__name__!~".+_created"})`))[0]?.value[1]);
    const om = await count("om-honor");
    expect(om).toBeGreaterThan(100);
    expect(await count("text-drop")).toBe(om);
    const created = await query('openclaw_tokens_created{job="om-honor"}');
    expect(created.length).toBeGreaterThan(0);
    expect(Math.round(Number(created[0]!.value[1]) * 1000)).toBe(store.listMetrics().find((m) => m.def.name === "openclaw.tokens")!.startMs);
    const tokens = await query('sum by (job) (openclaw_tokens_total{job=~"om-honor|text-drop"})');
    expect(tokens.map((r) => r.value[1])).toEqual([tokens[0]!.value[1], tokens[0]!.value[1]]);
  });

  it("target_info's job clashes in a plain scrape; honor_labels or dropping target_info avoids it", async () => {
    const exported = await query('count by (job) ({exported_job!=""})');
    expect(exported.map((r) => r.metric.job)).toEqual(["plain"]);
    // honor_labels keeps target_info's own job (the service name), as the collector path's labels.
    expect((await query('target_info{host_name="box"}')).map((r) => r.metric.job).sort()).toEqual(["openclaw", "plain"]);
    expect(await query('{job="text-drop",__name__="target_info"}')).toEqual([]);
  });
});
