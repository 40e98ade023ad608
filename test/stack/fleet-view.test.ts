/**
 * The fleet view against a real Prometheus 3 (issue 25): real sidecars, one per scenario and
 * host, scraped by the stack's Prometheus with the shipped rules; the Fleet dashboard's table
 * queries, as the committed JSON holds them, answer each host's state as its scenario script
 * dictates and each since as its own page says; stopping one sidecar turns its row to
 * "silent" and fires OpenClawSidecarMissing for that host only.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { waitUntil } from "../sidecar/helpers.ts";
import { startStack, type Stack } from "./e2e-harness.ts";
import { allModelsFailing } from "./scenarios/all-models-failing.ts";
import { startFleet, stopFleet, writeBurst, type Gateway } from "./scenarios/fleet.ts";
import { healthy } from "./scenarios/healthy.ts";
import { rateLimitStorm } from "./scenarios/rate-limit-storm.ts";
import { readText, stackBin, substituteGrafana } from "./stack-helpers.ts";

/** Each scenario's state, from its script (as test/serving/verdict-metric.test.ts says why). */
const WANT: Record<string, string> = { [healthy.host]: "healthy", [allModelsFailing.host]: "down", [rateLimitStorm.host]: "degraded" };
const STOPPED = rateLimitStorm.host;

type Row = { metric: Record<string, string>; value: [number, string] };
const tableQueries = (): string[] => {
  const d = JSON.parse(readText("grafana", "dashboards", "openclaw-fleet.json")) as { panels: Array<{ title?: string; targets?: Array<{ expr: string }> }> };
  const table = d.panels.find((p) => p.title === "Who is down");
  return (table?.targets ?? []).map((t) => substituteGrafana(t.expr.replaceAll('"$host"', '".*"').replaceAll('"$profile"', '".*"')));
};

const runs = canRun("fleet view against Prometheus", ["prometheus", "alertmanager"].every((b) => existsSync(stackBin(b as "prometheus"))) ? undefined : "prometheus/alertmanager not built (scripts/build-stack.sh)");

describe.skipIf(!runs)("fleet table and the silence alert, real sidecars into Prometheus 3", () => {
  let fleet: Gateway[] = [];
  let stack: Stack | undefined;
  beforeAll(async () => {
    fleet = await startFleet([healthy, allModelsFailing, rateLimitStorm]);
    for (let i = 0; i < 3; i++) writeBurst(fleet, i);
    stack = await startStack({ targets: fleet.map((g) => g.target) });
  }, 90_000);
  afterAll(async () => { await stopFleet(fleet); await stack?.stop(); }, 30_000);

  /** The table as Grafana's merge builds it: one row per host, a column per query. */
  async function table(): Promise<Map<string, { state?: string; reason?: string; since?: number; lastLine?: number; up?: number }>> {
    const [a, b, c, d] = await Promise.all(tableQueries().map((q) => stack!.query(q))) as Row[][];
    const rows = new Map<string, { state?: string; reason?: string; since?: number; lastLine?: number; up?: number }>();
    const row = (r: Row) => { const h = r.metric.host_name ?? "?"; const x = rows.get(h) ?? {}; rows.set(h, x); return x; };
    for (const r of a ?? []) Object.assign(row(r), { state: r.metric.openclaw_state, reason: r.metric.openclaw_reason });
    for (const r of b ?? []) row(r).since = Number(r.value[1]);
    for (const r of c ?? []) row(r).lastLine = Number(r.value[1]);
    for (const r of d ?? []) row(r).up = Number(r.value[1]);
    return rows;
  }

  it("shows each host's verdict as its scenario dictates, since as its page says", async () => {
    expect(tableQueries()).toHaveLength(4);
    let rows = await table();
    await waitUntil(() => `fleet table\n${JSON.stringify([...rows])}`, async () => {
      rows = await table();
      return Object.entries(WANT).every(([h, s]) => rows.get(h)?.state === s && rows.get(h)?.up === 1 && rows.get(h)?.lastLine !== undefined);
    }, 30_000);
    expect([...rows.keys()].sort()).toEqual(Object.keys(WANT).sort());
    for (const g of fleet) {
      const page = await (await fetch(`http://${g.target}/status.json`)).json() as { verdict: { state: string; since: number | null } };
      const r = rows.get(g.scenario.host)!;
      expect(r.state, g.scenario.host).toBe(page.verdict.state);
      expect(r.since, g.scenario.host).toBe(page.verdict.since);
      // The newest line read is the burst's (written a moment ago, not in the future).
      expect(Date.now() - r.lastLine!, g.scenario.host).toBeLessThan(120_000);
    }
  }, 60_000);

  it("a stopped sidecar: its row says silent and OpenClawSidecarMissing fires for its host only", async () => {
    const g = fleet.find((x) => x.scenario.host === STOPPED)!;
    g.child.proc.kill("SIGTERM");
    await g.child.exited;
    let rows = await table();
    let missing: Row[] = [];
    await waitUntil(() => `silent row and alert\n${JSON.stringify([...rows])}\n${JSON.stringify(missing)}`, async () => {
      rows = await table();
      missing = await stack!.query('ALERTS{alertname="OpenClawSidecarMissing", alertstate="firing"}');
      return rows.get(STOPPED)?.up === 0 && missing.length > 0;
    }, 30_000);
    expect(missing.map((m) => m.metric.host_name)).toEqual([STOPPED]);
    for (const h of Object.keys(WANT).filter((x) => x !== STOPPED)) expect(rows.get(h)?.up, h).toBe(1);
    // The silent host keeps its row: the newest line it read, no state (nobody knows it now).
    expect(rows.get(STOPPED)?.lastLine).toBeGreaterThan(0);
    expect(rows.get(STOPPED)?.state).toBeUndefined();
  }, 60_000);
});
