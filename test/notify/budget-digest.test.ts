/**
 * What the notifier tells besides incidents, through the real service and the fake webhook:
 * budget steps (each once a day, the highest of a jump, critical through quiet hours, not again
 * after a restart), the daily digest (once in its hour, not again after a restart, again the
 * next day) and the sidecar's state not saved (a full disk lasting a minute, then its end).
 * Expected figures come from the usage and incidents written here (percent = used / budget).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import type { Incident } from "../../src/incidents/index.ts";
import { NotifyService, type LiveSource } from "../../src/notify/service.ts";
import { createLogger } from "../../src/sidecar/log.ts";
import { SelfEvents } from "../../src/sidecar/self-events.ts";
import { localDay } from "../../src/serving/live-incidents.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { waitUntil } from "../sidecar/helpers.ts";
import { fakeEnv, startFakeChats, type FakeChats } from "./fake-chats.ts";

let fake: FakeChats;
beforeAll(async () => { fake = await startFakeChats(); });
afterAll(() => fake.close());

const hookOnly = () => Object.fromEntries(Object.entries(fakeEnv(fake.url)).filter(([k]) => k.includes("NOTIFY_WEBHOOK")));
const quietLog = createLogger("error", () => {});
const MIN = 60_000;

/** A live source with `incidents` (ongoing when no end) and today's usage as `tokens` / `usd` per model. */
function live(wall: () => number, incidents: Incident[], usage: Array<[string, number, number]>): LiveSource {
  return {
    builder: { ongoing: () => incidents.filter((i) => i.end === undefined), incidents: () => incidents, verdict: () => ({ state: "healthy" as const, reason: "", incidents: [] }) },
    now: wall,
    usageToday: () => ({ day: localDay(wall()), rows: usage.map(([model, tokens, costUsd]) => ({ model, tokens, costUsd, turns: 1 })) }),
  };
}

/** The webhook's messages after `from`, once `n` more have arrived. */
async function next(from: number, n: number): Promise<any[]> {
  await waitUntil(`${n} more webhook message(s)`, () => fake.accepted("webhook").length >= from + n, 5000);
  await new Promise((r) => setTimeout(r, 200));
  return fake.accepted("webhook").slice(from).map((r) => r.json);
}

describe("budget steps", () => {
  it("tells each step once a day, the highest of a jump, and nothing again after a restart", async () => {
    let wall = new Date(2026, 11, 7, 12, 0, 0).getTime();
    const cfg = parseConfig(["--notify-group-wait", "0", "--notify-budget-tokens", "1000", "--notify-budget-usd", "2"], hookOnly());
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), quietLog, { wall: () => wall });
    const usage: Array<[string, number, number]> = [["openai/gpt-5.4", 300, 0.5], ["anthropic/claude", 100, 0.1]];
    const start = fake.accepted("webhook").length;
    service.tick(live(() => wall, [], usage));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.accepted("webhook").length, "400 of 1000 tokens and $0.60 of $2: below every step").toBe(start);

    usage[0] = ["openai/gpt-5.4", 420, 0.5]; // 520 tokens: 52 %
    service.tick(live(() => wall, [], usage));
    let got = await next(start, 1);
    expect(got[0]).toMatchObject({ level: "info", items: [{ head: "token budget: 50 % used today", subject: "tokens" }] });
    expect(got[0].items[0].text).toContain("520 tokens of 1,000 tokens today");
    expect(got[0].items[0].text).toContain("52.0 %");

    usage[0] = ["openai/gpt-5.4", 860, 1.95]; // 960 tokens (96 %) and $2.05 (102.5 %): a jump over 80 and 95, and over 100
    service.tick(live(() => wall, [], usage));
    got = await next(start + 1, 1);
    expect(got[0].level).toBe("critical");
    expect(got[0].items.map((i: any) => i.head)).toEqual(["token budget: 95 % used today", "cost budget: 100 % used today"]);
    expect(got[0].items[1].text).toContain("$2.05 of $2.00 today");

    service.tick(live(() => wall, [], usage));
    const saved = service.toJSON();
    await service.stop(200);
    const again = new NotifyService(cfg.notify, "h", new MetricStore(), quietLog, { wall: () => wall });
    expect(again.restore(JSON.parse(JSON.stringify(saved)))).toBeUndefined();
    again.tick(live(() => wall, [], usage));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.accepted("webhook").length, "the same steps, same day, after a restart: nothing").toBe(start + 2);

    wall += 24 * 60 * MIN; // the next day: 600 tokens is 60 %
    again.tick(live(() => wall, [], [["openai/gpt-5.4", 600, 0]]));
    got = await next(start + 2, 1);
    expect(got[0].items[0].head).toBe("token budget: 50 % used today");
    await again.stop(200);
  });

  it("holds a step below critical through quiet hours; the budget spent still pages", async () => {
    const wall = new Date(2026, 11, 7, 12, 0, 0).getTime();
    const cfg = parseConfig(["--notify-group-wait", "0", "--notify-budget-tokens", "1000", "--notify-quiet-hours", "11:00-13:00"], hookOnly());
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), quietLog, { wall: () => wall });
    const start = fake.accepted("webhook").length;
    service.tick(live(() => wall, [], [["m/x", 850, 0]]));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.accepted("webhook").length, "85 % at noon, quiet until 13:00").toBe(start);
    service.tick(live(() => wall, [], [["m/x", 1000, 0]]));
    const got = await next(start, 1);
    expect(got[0]).toMatchObject({ level: "critical", items: [{ head: "token budget: 100 % used today" }] });
    await service.stop(200);
  });
});

describe("daily digest", () => {
  it("goes once in its hour with the last 24 hours' incidents and downtime, not again after a restart, and again the next day", async () => {
    let wall = new Date(2026, 11, 7, 9, 5, 0).getTime();
    const cfg = parseConfig(["--notify-group-wait", "0", "--notify-digest-hour", "9"], hookOnly());
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), quietLog, { wall: () => wall });
    // An outage that ended 2 h ago after 12 minutes, and an old one from 30 h ago (outside the 24 h).
    const outage: Incident = { key: "all_models_failed:gateway", kind: "all_models_failed", severity: "down", subject: "gateway",
      start: wall - 2 * 60 * MIN - 12 * MIN, last: wall - 2 * 60 * MIN, end: wall - 2 * 60 * MIN, endedBy: "success", count: 3, reasons: {} };
    const old: Incident = { ...outage, start: wall - 30 * 60 * MIN, last: wall - 29 * 60 * MIN, end: wall - 29 * 60 * MIN };
    const start = fake.accepted("webhook").length;
    service.tick(live(() => wall, [old, outage], [["openai/gpt-5.4", 12_345, 0.42]]));
    const got = await next(start, 1);
    expect(got[0]).toMatchObject({ level: "info", items: [{ kind: "digest", head: "daily digest: healthy" }] });
    const facts: string[] = got[0].items[0].facts;
    expect(facts).toContain("1 incident(s): every model failing");
    expect(facts).toContain("down 12 min in all");
    expect(facts).toContain("today so far: 12,345 tokens, $0.42");

    wall += 10 * MIN;
    service.tick(live(() => wall, [old, outage], []));
    const saved = JSON.parse(JSON.stringify(service.toJSON()));
    await service.stop(200);
    const again = new NotifyService(cfg.notify, "h", new MetricStore(), quietLog, { wall: () => wall });
    again.restore(saved);
    again.tick(live(() => wall, [], []));
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.accepted("webhook").length, "same hour, same day, after a restart: no second digest").toBe(start + 1);
    wall += 24 * 60 * MIN;
    again.tick(live(() => wall, [], []));
    const next2 = await next(start + 1, 1);
    expect(next2[0].items[0].facts).toEqual(["no incident in the last 24 h", "no downtime", "no usage seen today"]);
    await again.stop(200);
  });
});

describe("the sidecar's own state", () => {
  it("tells a checkpoint the full disk refuses for a minute (warning), and its end once one is written", async () => {
    let wall = Date.now();
    const cfg = parseConfig(["--notify-group-wait", "0"], hookOnly());
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), quietLog, { wall: () => wall });
    const self = new SelfEvents(new MetricStore(), quietLog, 1000);
    const start = fake.accepted("webhook").length;
    self.checkpointFailed(Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }));
    service.tick(live(() => wall, [], []), { checkpointProblem: self.checkpointProblem });
    wall += 30_000;
    service.tick(live(() => wall, [], []), { checkpointProblem: self.checkpointProblem });
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.accepted("webhook").length, "half a minute: not yet").toBe(start);
    wall += 31_000;
    service.tick(live(() => wall, [], []), { checkpointProblem: self.checkpointProblem });
    let got = await next(start, 1);
    expect(got[0]).toMatchObject({ level: "warning", items: [{ change: "opened", head: "sidecar cannot save its state" }] });
    expect(got[0].items[0].text).toContain("checkpoint not written: the disk is full (ENOSPC)");
    self.checkpointSaved();
    wall += 5_000;
    service.tick(live(() => wall, [], []), { checkpointProblem: self.checkpointProblem });
    got = await next(start + 1, 1);
    expect(got[0]).toMatchObject({ level: "resolved", items: [{ change: "resolved", head: "sidecar cannot save its state" }] });
    await service.stop(200);
  });
});
