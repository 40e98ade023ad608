/**
 * The stack e2e assertions, run once per path (stack-run.ts): every expected alert reaches
 * the receiver, inhibited ones are held back, nothing else fires, every dashboard query has
 * data, and the restarted sidecar's counters never reset. Each alert's outcome is added to
 * ALERT_TABLE (path, alert, expected, fired), which e2e-scenarios.test.ts prints.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { RUNBOOK_BASE, type WebhookPost } from "./e2e-harness.ts";
import { type ExpectedAlert, SCENARIOS } from "./scenarios/index.ts";
import { RESTARTED, type StackPath, type StackRun, startStackRun } from "./stack-run.ts";
import { RATE_SENTINEL, listFiles, readText, substituteGrafana } from "./stack-helpers.ts";

export interface AlertRow { path: StackPath; alert: string; expected: "fires" | "inhibited" | "silent"; fired: string }
export const ALERT_TABLE: AlertRow[] = [];

/** Stands in for $__rate_interval: long enough to hold every burst of the run. */
const WINDOW = "3m";
const HEALTHY = "healthy";
const byHost = new Map(SCENARIOS.map((s) => [s.host, s]));

const matches = (a: { labels: Record<string, string> }, host: string, e: ExpectedAlert) =>
  a.labels.alertname === e.alertname && a.labels.host_name === host &&
  Object.entries(e.labels ?? {}).every(([k, v]) => a.labels[k] === v);
const delivered = (p: WebhookPost, host: string, e: ExpectedAlert) =>
  p.path === "/chat" && p.body.alerts.some((a) => a.status === "firing" && matches(a, host, e));
/** The alert's identifying labels as `k="v"` matchers (PromQL selector and Alertmanager filter). */
const matchers = (host: string, e: ExpectedAlert) =>
  Object.entries({ alertname: e.alertname, host_name: host, ...e.labels }).map(([k, v]) => `${k}="${v}"`);
const describeAlert = (host: string, e: ExpectedAlert) =>
  `${host} ${e.alertname}${Object.entries(e.labels ?? {}).map(([k, v]) => ` ${k}=${v}`).join("")}`;

export function stackPathSuite(path: StackPath, extra?: (run: () => StackRun) => void): void {
  let run: StackRun | undefined;
  const q = (expr: string) => run!.q(expr);

  beforeAll(async () => { run = await startStackRun(path); }, 150_000);
  afterAll(async () => { await run?.stop(); }, 30_000);

  it("delivers every scenario's alerts through Alertmanager, single first events included", async () => {
    const expected = SCENARIOS.flatMap((s) => s.fires.map((e) => ({ host: s.host, e })));
    expect(expected.length).toBeGreaterThanOrEqual(15);
    const outcomes = await Promise.all(expected.map(({ host, e }) =>
      run!.stack.waitForPost((p) => delivered(p, host, e), 45_000).then((p) => ({ host, e, p }), () => ({ host, e, p: undefined }))));
    for (const { host, e, p } of outcomes) ALERT_TABLE.push({ path, alert: describeAlert(host, e), expected: "fires", fired: p === undefined ? "no" : "yes" });
    for (const { host, e, p } of outcomes) {
      expect(p, `${path}: ${describeAlert(host, e)} delivered`).toBeDefined();
      const alert = p!.body.alerts.find((a) => matches(a, host, e));
      expect(alert?.annotations.summary, `${host} ${e.alertname}`).toMatch(/\S/);
      expect(alert?.annotations.runbook_url, `${host} ${e.alertname}`).toBe(`${RUNBOOK_BASE}#${e.alertname.toLowerCase()}`);
      expect(alert?.annotations.description, `${host} ${e.alertname}`).toContain(`On ${host} `);
    }
    const watchdog = await run!.stack.waitForPost((p) => p.path === "/watchdog", 10_000);
    expect(watchdog.body.alerts.map((a) => a.labels.alertname)).toEqual(["OpenClawWatchdog"]);
  }, 60_000);

  it("holds back the per-model alerts while every model is failing (inhibition)", async () => {
    for (const [host, scenario] of byHost) {
      for (const e of scenario.inhibited ?? []) {
        const end = Date.now() + 25_000;
        let state: Array<{ labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }> = [];
        let firing = 0;
        while (Date.now() < end) {
          firing = (await q(`ALERTS{${[...matchers(host, e), 'alertstate="firing"'].join(",")}}`)).length;
          const res = await fetch(`${run!.stack.amUrl}/api/v2/alerts?${matchers(host, e).map((m) => `filter=${encodeURIComponent(m)}`).join("&")}`);
          state = (await res.json()) as typeof state;
          if (firing > 0 && state.length > 0 && state.every((a) => a.status.state === "suppressed")) break;
          await new Promise((r) => setTimeout(r, 250));
        }
        // Held by the outage and its aftermath (both fire during it), by nothing else.
        const held = firing > 0 && state.length > 0 && state.every((a) => a.status.state === "suppressed" && a.status.inhibitedBy.length >= 1 && a.status.inhibitedBy.length <= 2);
        ALERT_TABLE.push({ path, alert: describeAlert(host, e), expected: "inhibited", fired: held ? "held back" : `no (${firing} firing, ${state.map((a) => a.status.state).join("/") || "not in AM"})` });
        expect(held, `${path}: ${describeAlert(host, e)} fires and is suppressed`).toBe(true);
      }
    }
  }, 90_000);

  it("every dashboard query returns data for some scenario", async () => {
    const hosts = [...byHost.keys()];
    const hostValues = ((await (await fetch(`${run!.stack.promUrl}/api/v1/label/host_name/values`)).json()) as { data: string[] }).data;
    expect(hostValues.sort()).toEqual([...hosts].sort());
    const targets = listFiles("grafana/dashboards", ".json").flatMap((file) => {
      const d = JSON.parse(readText("grafana", "dashboards", file)) as { panels: Array<{ title?: string; targets?: Array<{ expr?: string }> }> };
      return d.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => (t.expr === undefined ? [] : [{ who: `${file} / ${p.title ?? ""}`, expr: t.expr }])));
    });
    expect(targets.length).toBeGreaterThan(60);
    // Late data (the first OTLP export failure comes after the exporter's retries) gets a
    // bounded second chance.
    const end = Date.now() + 25_000;
    const empty: string[] = [];
    for (const t of targets) {
      let answered = false;
      while (!answered) {
        const expr = substituteGrafana(t.expr.replaceAll('"$channel"', '".*"').replaceAll('"$host"', '".*"').replaceAll('"$profile"', '".*"')).replaceAll(RATE_SENTINEL, WINDOW);
        answered = (await q(expr)).some((r) => Number.isFinite(Number(r.value[1])));
        if (answered || Date.now() > end) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      if (!answered) empty.push(`${t.who}: ${t.expr}`);
    }
    expect(empty, `${path}: dashboard queries with no data in any scenario`).toEqual([]);
  }, 90_000);

  it("raises nothing for the healthy gateway, and nothing a scenario does not expect", async () => {
    // The healthy noise is really there and really below the threshold, as the rule sees it.
    const [ratio] = await q(`sum(openclaw:webhook_error:increase10m{host_name="${HEALTHY}"}) / sum(openclaw:webhook_received:increase10m{host_name="${HEALTHY}"})`);
    expect(Number(ratio?.value[1])).toBeGreaterThan(0);
    expect(Number(ratio?.value[1])).toBeLessThan(0.05);
    const healthyAlerts = await q(`ALERTS{host_name="${HEALTHY}"}`);
    ALERT_TABLE.push({ path, alert: `${HEALTHY} (any alert)`, expected: "silent", fired: healthyAlerts.length === 0 ? "no" : healthyAlerts.map((r) => r.metric.alertname).join(", ") });
    expect(healthyAlerts.map((r) => `${r.metric.alertname} ${r.metric.alertstate}`)).toEqual([]);
    const posts = run!.stack.posts;
    expect(posts.filter((p) => p.body.alerts.some((a) => a.labels.alertname === "OpenClawAllModelsFailingAftermath")), "the aftermath is told to nobody").toEqual([]);
    expect(posts.filter((p) => p.body.alerts.some((a) => a.labels.host_name === HEALTHY))).toEqual([]);
    for (const [host, s] of byHost) {
      const known = new Set([...s.fires, ...(s.inhibited ?? [])].map((e) => e.alertname));
      // Every model failing brings its aftermath, which only holds alerts back (routed to nobody).
      if (known.has("OpenClawAllModelsFailing")) known.add("OpenClawAllModelsFailingAftermath");
      const firing = (await q(`ALERTS{host_name="${host}",alertstate="firing"}`)).map((r) => r.metric.alertname ?? "");
      expect(firing.filter((n) => !known.has(n)), `${path}: ${host} fires alerts its scenario does not list`).toEqual([]);
      for (const e of s.inhibited ?? []) {
        expect(posts.filter((p) => p.body.alerts.some((a) => matches(a, host, e))), `${host} ${e.alertname} was delivered`).toEqual([]);
      }
    }
  }, 30_000);

  it("a sidecar restarted mid-scenario causes no counter reset in Prometheus", async () => {
    const g = run!.fleet.find((x) => x.scenario.host === RESTARTED.host)!;
    expect(g.child.stderr()).toMatch(/resuming from checkpoint/);
    // On the direct path each series is scraped from the sidecar (job openclaw-sidecar), on the
    // collector path from the Collector: one job per series either way.
    const sel = `{__name__=~"openclaw_.+_(total|bucket|count|sum)",host_name="${RESTARTED.host}"}`;
    const counted = await q(`count(last_over_time(${sel}[5m]))`);
    expect(Number(counted[0]?.value[1])).toBeGreaterThan(20);
    const resets = await q(`sum(resets(label_replace(${sel}, "name", "$1", "__name__", "(.+)")[5m:1s]))`);
    expect(Number(resets[0]?.value[1]), `${path}: resets after the restart`).toBe(0);
  });

  extra?.(() => run!);
}
