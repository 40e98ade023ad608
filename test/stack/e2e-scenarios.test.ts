/**
 * stack_scenarios, the acceptance test of the stack: one real sidecar (`openclaw-otel run`)
 * per scenario follows a directory that the scenario's bursts are appended to; a real
 * Prometheus scrapes the sidecars' /metrics every second and evaluates the shipped rules
 * (`for:` shortened to 1s); a real Alertmanager routes and inhibits with the shipped
 * alertmanager.yml and posts to a webhook on 127.0.0.1. Every alert a scenario must raise is
 * waited for at the webhook; every dashboard query must return data for some scenario.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, type WebhookPost, startStack } from "./e2e-harness.ts";
import { type Gateway, startFleet, stopFleet, writeBurst } from "./scenarios/fleet.ts";
import { type ExpectedAlert, SCENARIOS } from "./scenarios/index.ts";
import { RATE_SENTINEL, listFiles, readText, substituteGrafana } from "./stack-helpers.ts";

const BINARIES = ["/usr/bin/prometheus", "/usr/bin/prometheus-alertmanager"];
const missing = BINARIES.filter((b) => !existsSync(b));
const BURSTS = 6;
/** Stands in for $__rate_interval: long enough to hold every burst of the run. */
const WINDOW = "3m";
/** Dashboard queries that may stay empty, with the reason. None today. */
const EMPTY_ALLOWED = new Map<string, string>();

const HEALTHY = "healthy";
const byHost = new Map(SCENARIOS.map((s) => [s.host, s]));

const matches = (a: { labels: Record<string, string> }, host: string, e: ExpectedAlert) =>
  a.labels.alertname === e.alertname && a.labels.host_name === host &&
  Object.entries(e.labels ?? {}).every(([k, v]) => a.labels[k] === v);
const delivered = (p: WebhookPost, host: string, e: ExpectedAlert) =>
  p.path === "/webhook" && p.body.alerts.some((a) => a.status === "firing" && matches(a, host, e));
/** The alert's identifying labels as `k="v"` matchers (PromQL selector and Alertmanager filter). */
const matchers = (host: string, e: ExpectedAlert) =>
  Object.entries({ alertname: e.alertname, host_name: host, ...e.labels }).map(([k, v]) => `${k}="${v}"`);

describe.skipIf(missing.length > 0)(missing.length > 0 ? `stack_scenarios (skipped: ${missing.join(", ")} not installed)` : "stack_scenarios", () => {
  let fleet: Gateway[] = [];
  let stack: Stack | undefined;
  const q = (expr: string) => stack!.query(expr);

  /** Until Prometheus holds every line written so far, per host (one scrape after the burst). */
  async function waitScraped(ms: number): Promise<void> {
    const end = Date.now() + ms;
    let seen = new Map<string, number>();
    while (Date.now() < end) {
      seen = new Map((await q("sum by (host_name) (openclaw_sidecar_lines_read_total)")).map((r) => [r.metric.host_name ?? "", Number(r.value[1])]));
      if (fleet.every((g) => seen.get(g.scenario.host) === g.linesWritten)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`not scraped within ${ms} ms: ${JSON.stringify(fleet.map((g) => [g.scenario.host, g.linesWritten, seen.get(g.scenario.host)]))}`);
  }

  beforeAll(async () => {
    fleet = await startFleet(SCENARIOS);
    stack = await startStack({ targets: fleet.map((g) => g.target) });
    const end = Date.now() + 15_000;
    while ((await q('up{job="openclaw-sidecar"} == 1')).length < fleet.length) {
      if (Date.now() > end) throw new Error("Prometheus never scraped every sidecar");
      await new Promise((r) => setTimeout(r, 100));
    }
    // Each burst is scraped before the next is written, so every counter rises between two
    // scrapes (rate/increase see it) and the order of events is the order of samples.
    for (let i = 0; i < BURSTS; i++) {
      const started = Date.now();
      writeBurst(fleet, i);
      await waitScraped(10_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await stopFleet(fleet);
  }, 20_000);

  it("every scenario's alerts reach the webhook through Alertmanager", async () => {
    const expected = SCENARIOS.flatMap((s) => s.fires.map((e) => ({ host: s.host, e })));
    expect(expected.length).toBeGreaterThanOrEqual(10);
    const posts = await Promise.all(expected.map(({ host, e }) =>
      stack!.waitForPost((p) => delivered(p, host, e), 40_000).then((p) => ({ host, e, p }))));
    for (const { host, e, p } of posts) {
      const alert = p.body.alerts.find((a) => matches(a, host, e));
      expect(alert?.annotations.summary, `${host} ${e.alertname}`).toMatch(/\S/);
      expect(alert?.annotations.runbook_url, `${host} ${e.alertname}`).toMatch(new RegExp(`#${e.alertname.toLowerCase()}$`));
      expect(alert?.annotations.description, `${host} ${e.alertname}`).toContain(`On ${host} `);
    }
    const watchdog = await stack!.waitForPost((p) => p.path === "/watchdog", 10_000);
    expect(watchdog.body.alerts.map((a) => a.labels.alertname)).toEqual(["OpenClawWatchdog"]);
  }, 45_000);

  it("holds back the per-model alerts while every model is failing (inhibition)", async () => {
    const [host, scenario] = [...byHost].find(([, s]) => (s.inhibited ?? []).length > 0)!;
    for (const e of scenario.inhibited ?? []) {
      const end = Date.now() + 20_000;
      let state: Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }> = [];
      // Firing in Prometheus, suppressed in Alertmanager.
      while (Date.now() < end) {
        const firing = await q(`ALERTS{${[...matchers(host, e), 'alertstate="firing"'].join(",")}}`);
        const res = await fetch(`${stack!.amUrl}/api/v2/alerts?${matchers(host, e).map((m) => `filter=${encodeURIComponent(m)}`).join("&")}`);
        state = (await res.json()) as typeof state;
        if (firing.length > 0 && state.length > 0 && state.every((a) => a.status.state === "suppressed")) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(state.length, `${e.alertname} reached Alertmanager`).toBeGreaterThan(0);
      for (const a of state) {
        expect(a.status.state, `${e.alertname} ${JSON.stringify(a.labels)}`).toBe("suppressed");
        expect(a.status.inhibitedBy.length).toBe(1);
      }
    }
  }, 60_000);

  it("every dashboard query returns data for its scenario", async () => {
    const hosts = [...byHost.keys()];
    const hostValues = ((await (await fetch(`${stack!.promUrl}/api/v1/label/host_name/values`)).json()) as { data: string[] }).data;
    expect(hostValues.sort()).toEqual([...hosts].sort());
    const channels = ((await (await fetch(`${stack!.promUrl}/api/v1/label/openclaw_channel/values`)).json()) as { data: string[] }).data;
    expect(channels).toEqual(expect.arrayContaining(["discord", "heartbeat", "telegram"]));

    const targets = listFiles("grafana/dashboards", ".json").flatMap((file) => {
      const d = JSON.parse(readText("grafana", "dashboards", file)) as { panels: Array<{ title?: string; targets?: Array<{ expr?: string }> }> };
      return d.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [{ who: `${file} / ${p.title ?? ""}`, expr: t.expr }])));
    });
    expect(targets.length).toBeGreaterThan(60);
    // Late data (the first OTLP export failure comes after the exporter's retries) gets a
    // bounded second chance.
    const end = Date.now() + 25_000;
    const empty: string[] = [];
    const coverage = new Map<string, number>();
    for (const t of targets) {
      let answered: string[] = [];
      while (answered.length === 0) {
        for (const host of hosts) {
          const expr = substituteGrafana(t.expr.replaceAll('"$channel"', '".*"').replaceAll('"$host"', `"${host}"`)).replaceAll(RATE_SENTINEL, WINDOW);
          const rows = await q(expr);
          if (rows.some((r) => Number.isFinite(Number(r.value[1])))) answered.push(host);
        }
        if (answered.length > 0 || Date.now() > end) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      if (answered.length === 0 && !EMPTY_ALLOWED.has(t.expr)) empty.push(`${t.who}: ${t.expr}`);
      for (const h of answered) coverage.set(h, (coverage.get(h) ?? 0) + 1);
    }
    expect(empty, "dashboard queries with no data in any scenario").toEqual([]);
    // Every scenario feeds some panel (the sidecar dashboard alone covers each host).
    for (const h of hosts) expect(coverage.get(h) ?? 0, h).toBeGreaterThan(10);
  }, 60_000);

  it("raises nothing for the healthy gateway, and nothing a scenario does not expect", async () => {
    // The healthy noise is really there and really below the thresholds it tests.
    const [ratio] = await q(`sum(rate(openclaw_webhook_error_total{host_name="${HEALTHY}"}[10m])) / sum(rate(openclaw_webhook_received_total{host_name="${HEALTHY}"}[10m]))`);
    expect(Number(ratio?.value[1])).toBeGreaterThan(0);
    expect(Number(ratio?.value[1])).toBeLessThan(0.05);
    const [netErrors] = await q(`sum(increase(openclaw_channel_network_error_total{host_name="${HEALTHY}"}[15m]))`);
    expect(Number(netErrors?.value[1])).toBeGreaterThan(0);
    expect(Number(netErrors?.value[1])).toBeLessThanOrEqual(5);

    const healthyAlerts = await q(`ALERTS{host_name="${HEALTHY}"}`);
    expect(healthyAlerts.map((r) => `${r.metric.alertname} ${r.metric.alertstate}`)).toEqual([]);
    const posts = stack!.posts;
    expect(posts.filter((p) => p.body.alerts.some((a) => a.labels.host_name === HEALTHY))).toEqual([]);

    for (const [host, s] of byHost) {
      const known = new Set([...s.fires, ...(s.inhibited ?? [])].map((e) => e.alertname));
      const firing = (await q(`ALERTS{host_name="${host}",alertstate="firing"}`)).map((r) => r.metric.alertname ?? "");
      expect(firing.filter((n) => !known.has(n)), `${host} fires alerts its scenario does not list`).toEqual([]);
      for (const e of s.inhibited ?? []) {
        expect(posts.filter((p) => p.body.alerts.some((a) => matches(a, host, e))), `${host} ${e.alertname} was delivered`).toEqual([]);
      }
    }
  }, 20_000);
});
