/**
 * `openclaw.gateway.verdict` says what the page says (issue 25): a real `run` sidecar per
 * scenario, its /status.json verdict and its /metrics gauges read from the same process. The
 * expected state and reason kind come from each scenario's script (test/stack/scenarios), as
 * test/serving/page-scenarios.test.ts reads them off the page; an empty and a missing log
 * directory give the two unknowns. Then both must agree with each other, since included.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeScenario } from "../support/scenario-dir.ts";
import { startCli, waitUntil, type Child } from "../sidecar/helpers.ts";

interface Case { state: string; kind: string; write?: (dir: string) => void; missing?: boolean }
const CASES: Record<string, Case> = {
  // healthy.ts: two getUpdates errors (below the channel threshold of 3), nothing else.
  healthy: { state: "healthy", kind: "none" },
  // all-models-failing.ts: every run of every burst fails on all three providers.
  "all-models-failing": { state: "down", kind: "all_models_failed" },
  // rate-limit-storm.ts: 429s on anthropic keys, openai skipped: rate limiting only.
  "rate-limit-storm": { state: "degraded", kind: "rate_limit" },
  // sidecar-degraded.ts: OpenClaw's queue-overflow marker, nothing else wrong.
  "sidecar-degraded": { state: "degraded", kind: "log_loss" },
  empty: { state: "unknown", kind: "no_events", write: () => {} },
  missing: { state: "unknown", kind: "blind", missing: true },
};

interface Sample { labels: Record<string, string>; value: number }
function samples(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = new RegExp(`^${name}(?:\\{([^}]*)\\})? (\\S+)`).exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const kv of (m[1] ?? "").matchAll(/([a-z_]+)="([^"]*)"/g)) labels[kv[1]!] = kv[2]!;
    out.push({ labels, value: Number(m[2]) });
  }
  return out;
}

const children: Child[] = [];
afterAll(async () => {
  for (const c of children) c.proc.kill("SIGTERM");
  await Promise.all(children.map((c) => c.exited));
}, 20_000);

describe("the verdict gauges agree with the page", () => {
  for (const [name, want] of Object.entries(CASES)) {
    it(`${name}: ${want.state} (${want.kind})`, async () => {
      let logs = mkdtempSync(join(tmpdir(), `verdict-${name}-`));
      if (want.missing) logs = join(logs, "not-there");
      else if (want.write) want.write(logs);
      else writeScenario(name, logs, 6, Date.now() - 6 * 60_000);
      const child = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), "verdict-state-")), "--from-beginning",
        "--listen", "127.0.0.1:0", "--poll-interval", "50", "--host-name", `h-${name}`]);
      children.push(child);
      const url = await child.url;
      await child.ready;
      type Status = { verdict: { state: string; reason: string; since: number | null }; files: { unreadBytes: number }[] };
      let status: Status | undefined, metrics = "";
      // Both read after the backlog is in and the gauges show the page's state (the next poll sets them).
      await waitUntil(() => `${name}: the page's verdict as gauges\n${JSON.stringify(status?.verdict)}\n${metrics.split("\n").filter((l) => l.includes("verdict")).join("\n")}`, async () => {
        status = await (await fetch(`${url}/status.json`)).json() as Status;
        metrics = await (await fetch(`${url}/metrics`)).text();
        const one = samples(metrics, "openclaw_gateway_verdict").filter((s) => s.value === 1);
        return status.files.every((f) => f.unreadBytes === 0) && status.verdict.state === want.state && one[0]?.labels["openclaw_state"] === want.state;
      }, 15_000);
      const v = status!.verdict;
      const rows = samples(metrics, "openclaw_gateway_verdict");
      // Exactly one series is 1: the page's state with the scenario's reason kind; any other (shown before) is 0.
      expect(rows.filter((r) => r.value === 1).map((r) => [r.labels["openclaw_state"], r.labels["openclaw_reason"]])).toEqual([[v.state, want.kind]]);
      for (const r of rows) {
        expect([0, 1], JSON.stringify(r.labels)).toContain(r.value);
        expect(r.labels["host_name"]).toBe(`h-${name}`);
      }
      const since = samples(metrics, "openclaw_gateway_verdict_since_seconds");
      expect(since.map((s) => Math.round(s.value * 1000))).toEqual([v.since ?? 0]);
      if (want.kind === "blind") expect(v.reason).toMatch(/does not exist \(ENOENT\)/);
    }, 30_000);
  }
});

describe("recordVerdict", () => {
  it("keeps every (state, reason) shown, the current one 1 and the others 0, so a pushed copy never shows two states", async () => {
    const { MetricStore } = await import("../../src/telemetry/storage/metric-store.ts");
    const { recordVerdict } = await import("../../src/telemetry/recording/verdict-metrics.ts");
    const store = new MetricStore();
    const rows = () => store.listMetrics().filter((m) => m.def.name.startsWith("openclaw.gateway.verdict"))
      .flatMap((m) => [...m.series.values()].map((s) => `${m.def.name} ${JSON.stringify(s.attrs)} ${s.value}`)).sort();
    recordVerdict(store, { state: "degraded", kind: "rate_limit", since: 1_000_000 });
    recordVerdict(store, { state: "down", kind: "gap", since: 2_000_000 });
    expect(rows()).toEqual([
      'openclaw.gateway.verdict {"openclaw.reason":"gap","openclaw.state":"down"} 1',
      'openclaw.gateway.verdict {"openclaw.reason":"rate_limit","openclaw.state":"degraded"} 0',
      "openclaw.gateway.verdict.since {} 2000",
    ].sort());
    recordVerdict(store, { state: "unknown", kind: "no_events", since: null });
    recordVerdict(store, { state: "degraded", kind: "rate_limit", since: 3_000_000 });
    expect(rows()).toEqual([
      'openclaw.gateway.verdict {"openclaw.reason":"gap","openclaw.state":"down"} 0',
      'openclaw.gateway.verdict {"openclaw.reason":"no_events","openclaw.state":"unknown"} 0',
      'openclaw.gateway.verdict {"openclaw.reason":"rate_limit","openclaw.state":"degraded"} 1',
      "openclaw.gateway.verdict.since {} 3000",
    ].sort());
  });
});
