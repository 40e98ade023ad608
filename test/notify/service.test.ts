/**
 * The notify service as `run` wires it, against the fake APIs: failed deliveries counted in
 * the self-metrics by target and reason, the last failure kept for the page, one log line per
 * failing streak, the token in none of them; and one message a second per chat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import type { OpenClawEvent } from "../../src/events/types.ts";
import type { Incident } from "../../src/incidents/index.ts";
import { LiveIncidents } from "../../src/serving/live-incidents.ts";
import { NotifyService } from "../../src/notify/service.ts";
import { createLogger } from "../../src/sidecar/log.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { waitUntil } from "../sidecar/helpers.ts";
import { fakeEnv, startFakeChats, type FakeChats } from "./fake-chats.ts";

let fake: FakeChats;
beforeAll(async () => { fake = await startFakeChats(); });
afterAll(() => fake.close());

const incident = (subject: string, start = Date.now()): Incident =>
  ({ key: `auth:${subject}`, kind: "auth", severity: "degraded", subject, start, last: start, count: 1, reasons: { http_401: 1 } });

/** A live source holding `open` (its verdict: degraded by them, as the builder's would be). */
const live = (open: Incident[]) => ({
  builder: { ongoing: () => open, incidents: () => open, verdict: () => ({ state: "degraded" as const, reason: "", incidents: open.map((i) => i.key) }) },
  now: () => Date.now(),
});
const heartbeat = (ts: number): OpenClawEvent => ({ type: "diagnostic.heartbeat", ts, origin: "jsonl", profile: "", webhooks: { received: 0, processed: 0, errors: 0 }, active: 0, waiting: 0, queued: 0 });

describe("NotifyService", () => {
  it("counts a refused message (401) by target and reason, keeps it for the page, logs it without the token", async () => {
    const env = { ...fakeEnv(fake.url), OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "555:plantedBADtokenXYZ" };
    const cfg = parseConfig(["--notify-group-wait", "0"], env);
    const store = new MetricStore();
    const lines: string[] = [];
    const service = new NotifyService(cfg.notify, "h", store, createLogger("debug", (s) => lines.push(s)));
    const open = [incident("openai")];
    service.tick(live(open));
    await waitUntil("every target answered", () => service.status().queued === 0, 10_000);
    await service.stop(100);
    const prom = renderPrometheus(store, {});
    expect(prom).toMatch(/^openclaw_sidecar_notify_failure_total\{openclaw_notify_target="telegram",openclaw_reason="http_401"\} 1$/m);
    expect(prom).toMatch(/^openclaw_sidecar_notify_dropped_total\{openclaw_notify_target="telegram",openclaw_reason="refused"\} 1$/m);
    for (const t of ["discord", "slack", "ntfy", "webhook"]) expect(prom).toContain(`openclaw_sidecar_notify_sent_total{openclaw_notify_target="${t}"} 1`);
    expect(service.status().lastFailure).toMatchObject({ target: "telegram", detail: expect.stringMatching(/HTTP 401: Unauthorized/) });
    const log = lines.join("");
    expect(log).toMatch(/WARN notify telegram: message dropped: HTTP 401/);
    expect(log + JSON.stringify(service.status()) + JSON.stringify(service.toJSON())).not.toMatch(/plantedBADtoken|555:/);
  });

  it("sends to one chat at most about once a second", async () => {
    const telegramOnly = Object.fromEntries(Object.entries(fakeEnv(fake.url)).filter(([k]) => k.includes("TELEGRAM")));
    const cfg = parseConfig(["--notify-group-wait", "0"], telegramOnly);
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), createLogger("error", () => {}));
    const before = fake.accepted("telegram").length;
    const open: Incident[] = [];
    for (const p of ["p1", "p2", "p3"]) {
      open.push(incident(p));
      service.tick(live(open));
    }
    await waitUntil("three messages", () => fake.accepted("telegram").length >= before + 3, 10_000);
    await service.stop(100);
    const at = fake.accepted("telegram").slice(before).map((r) => r.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1000);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1000);
  });

  it("tells the gateway silent (after a heartbeat cadence) as critical, and its end with the downtime once a line comes back", async () => {
    const hook = Object.fromEntries(Object.entries(fakeEnv(fake.url)).filter(([k]) => k.includes("NOTIFY_WEBHOOK")));
    const cfg = parseConfig(["--notify-group-wait", "0"], hook);
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), createLogger("error", () => {}));
    const t0 = Date.now() - 30 * 60_000;
    let wall = t0;
    const li = new LiveIncidents(() => wall, () => wall + 60_000);
    li.add(heartbeat(t0 - 60_000)); li.add(heartbeat(t0 - 30_000)); li.tick();
    const before = fake.accepted("webhook").length;
    service.tick(li);
    // Six minutes with nothing read: past the builder's 5-minute gap.
    wall += 6 * 60_000; li.tick();
    service.tick(li);
    await waitUntil("silence told", () => fake.accepted("webhook").length > before, 5000);
    const told = fake.accepted("webhook").at(-1)!.json;
    expect(told).toMatchObject({ level: "critical", items: [{ change: "opened", kind: "gap", subject: "gateway", start: new Date(t0 - 30_000).toISOString() }] });
    // The gateway speaks again at t0 + 5.5 min: silent from t0 - 30 s, 6 minutes.
    li.add(heartbeat(t0 + 330_000)); li.tick();
    service.tick(li);
    await waitUntil("end told", () => fake.accepted("webhook").length > before + 1, 5000);
    const end = fake.accepted("webhook").at(-1)!.json;
    expect(end).toMatchObject({ level: "resolved", items: [{ change: "resolved", kind: "gap" }] });
    expect(end.items[0].facts[0]).toMatch(/^down 6 min /);
    service.tick(li);
    await service.stop(500);
    expect(fake.accepted("webhook").length).toBe(before + 2);
  });

  it("tells the sidecar blind (log directory unreadable for a minute) as critical, and its end once it reads again", async () => {
    const hook = Object.fromEntries(Object.entries(fakeEnv(fake.url)).filter(([k]) => k.includes("NOTIFY_WEBHOOK")));
    const cfg = parseConfig(["--notify-group-wait", "0"], hook);
    let wall = Date.now();
    const service = new NotifyService(cfg.notify, "h", new MetricStore(), createLogger("error", () => {}), { logsDir: "/var/log/oc", wall: () => wall });
    const stats = (dirError?: string) => ({ filesOpen: { log: dirError ? 0 : 1, diagnostics: 0 }, handles: { open: 0, cap: 1, backoffs: 0 }, unreadBytes: [], followed: [],
      linksSkipped: 0, logNames: dirError ? 0 : 1, ...(dirError ? { dirError } : {}) });
    const before = fake.accepted("webhook").length;
    service.tick(live([]), { files: stats("EACCES") });
    wall += 30_000; service.tick(live([]), { files: stats("EACCES") });
    // Half a minute: nothing yet (a directory may appear as the gateway starts).
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.accepted("webhook").length).toBe(before);
    wall += 31_000; service.tick(live([]), { files: stats("EACCES") });
    await waitUntil("blindness told", () => fake.accepted("webhook").length > before, 5000);
    const told = fake.accepted("webhook").at(-1)!.json;
    expect(told).toMatchObject({ level: "critical", items: [{ change: "opened", subject: "sidecar" }] });
    expect(told.items[0].text).toContain("cannot read the log directory /var/log/oc: EACCES");
    wall += 5 * 60_000; service.tick(live([]), { files: stats() });
    await waitUntil("end told", () => fake.accepted("webhook").length > before + 1, 5000);
    expect(fake.accepted("webhook").at(-1)!.json).toMatchObject({ level: "resolved", items: [{ change: "resolved", subject: "sidecar" }] });
    await service.stop(500);
  });
});
