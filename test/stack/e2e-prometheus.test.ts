/**
 * alert_delivery: metrics text -> real Prometheus (our rules, `for:` shortened) -> real
 * Alertmanager (our routing and inhibition) -> a webhook on 127.0.0.1. The metrics come from a
 * synthetic source today; swap `source` for the sidecar's replay output once it exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MetricsSource, type Stack, startStack } from "./e2e-harness.ts";
import { listFiles, promql, readText, substituteGrafana } from "./stack-helpers.ts";

const ID = 'host_name="gw1",openclaw_profile="e2e"';
/** Counters advance on every scrape, so increase() and rate() see movement. */
function syntheticSource(): MetricsSource {
  let n = 0;
  return () => {
    n += 1;
    return [
      "# TYPE openclaw_model_all_failed_total counter",
      `openclaw_model_all_failed_total{${ID},openclaw_reason="rate_limit"} ${n}`,
      "# TYPE openclaw_model_failover_total counter",
      `openclaw_model_failover_total{${ID},openclaw_provider="google",openclaw_model="gemini-2.5-pro",openclaw_failover_to_provider="openai",openclaw_failover_to_model="gpt-5",openclaw_failover_reason="rate_limit",openclaw_failover_suspended="false",openclaw_lane="session"} ${5 * n}`,
      "# TYPE openclaw_message_processed_total counter",
      `openclaw_message_processed_total{${ID},openclaw_channel="telegram",openclaw_outcome="completed"} ${2 * n}`,
      "# TYPE openclaw_tokens_total counter",
      `openclaw_tokens_total{${ID},openclaw_token="total",openclaw_channel="telegram",openclaw_provider="openai",openclaw_model="gpt-5"} ${1000 * n}`,
      `openclaw_tokens_total{${ID},openclaw_token="input",openclaw_channel="telegram",openclaw_provider="openai",openclaw_model="gpt-5"} ${700 * n}`,
      "# TYPE openclaw_sidecar_lines_read_total counter",
      `openclaw_sidecar_lines_read_total{${ID},openclaw_source="log"} ${100 * n}`,
      "# TYPE openclaw_sidecar_files_open gauge",
      `openclaw_sidecar_files_open{${ID},openclaw_source="log"} 2`,
      "",
    ].join("\n");
  };
}

describe("alert_delivery", () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack({ metrics: syntheticSource() }); }, 45_000);
  afterAll(async () => { await stack?.stop(); });

  it("delivers OpenClawAllModelsFailing to the webhook with its labels and annotations", async () => {
    const post = await stack.waitForPost((p) => p.path === "/webhook" && p.body.alerts.some((a) => a.labels.alertname === "OpenClawAllModelsFailing"), 40_000);
    const alert = post.body.alerts.find((a) => a.labels.alertname === "OpenClawAllModelsFailing");
    expect(alert?.status).toBe("firing");
    expect(alert?.labels).toMatchObject({ severity: "critical", host_name: "gw1", openclaw_profile: "e2e" });
    expect(alert?.annotations.summary).toBe("Every model candidate is failing.");
    expect(alert?.annotations.description).toMatch(/^On gw1 \(e2e\) [\d.]+ runs in the last 5 minutes failed on every model/);
    expect(alert?.annotations.runbook_url).toMatch(/runbook\.md#openclawallmodelsfailing$/);
  }, 45_000);

  it("routes the always-firing watchdog to its own receiver", async () => {
    const post = await stack.waitForPost((p) => p.path === "/watchdog", 20_000);
    expect(post.body.alerts.map((a) => a.labels.alertname)).toEqual(["OpenClawWatchdog"]);
  }, 25_000);

  it("holds back the failover storm while every model is failing (inhibition)", async () => {
    const end = Date.now() + 20_000;
    let state: Array<{ status: { state: string; inhibitedBy: string[] } }> = [];
    while (Date.now() < end) {
      const res = await fetch(`${stack.amUrl}/api/v2/alerts?filter=${encodeURIComponent('alertname="OpenClawModelFailoverStorm"')}`);
      state = (await res.json()) as typeof state;
      if (state.length > 0 && state[0]?.status.state === "suppressed") break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(state.length).toBe(1);
    expect(state[0]?.status.state).toBe("suppressed");
    expect(state[0]?.status.inhibitedBy.length).toBe(1);
    const delivered = stack.posts.flatMap((p) => p.body.alerts.map((a) => a.labels.alertname));
    expect(delivered).not.toContain("OpenClawModelFailoverStorm");
  }, 25_000);

  it("answers every dashboard query whose series the source provides", async () => {
    const present = new Set((await stack.query('{__name__=~"openclaw[_:].+"}')).map((r) => r.metric.__name__ ?? ""));
    let checked = 0;
    for (const file of listFiles("grafana/dashboards", ".json")) {
      const d = JSON.parse(readText("grafana", "dashboards", file)) as { panels: Array<{ title?: string; targets?: Array<{ expr?: string }> }> };
      for (const p of d.panels) {
        for (const t of p.targets ?? []) {
          if (t.expr === undefined) continue;
          const expr = substituteGrafana(t.expr).replaceAll("317s", "30s").replaceAll('"gw1"', '".*"').replaceAll('"telegram"', '".*"');
          const metrics = promql(expr).metrics;
          if (metrics.length === 0 || !metrics.every((m) => present.has(m))) continue;
          if (/openclaw_outcome="error"/.test(expr)) continue; // the source has no error outcomes
          checked += 1;
          expect((await stack.query(expr)).length, `${file} / ${p.title}: ${expr}`).toBeGreaterThan(0);
        }
      }
    }
    expect(checked, `${checked} dashboard queries checked`).toBeGreaterThanOrEqual(10);
  }, 20_000);
});
