/**
 * The notify service as `run` wires it, against the fake APIs: failed deliveries counted in
 * the self-metrics by target and reason, the last failure kept for the page, one log line per
 * failing streak, the token in none of them; and one message a second per chat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import type { Incident } from "../../src/incidents/index.ts";
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

describe("NotifyService", () => {
  it("counts a refused message (401) by target and reason, keeps it for the page, logs it without the token", async () => {
    const env = { ...fakeEnv(fake.url), OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "555:plantedBADtokenXYZ" };
    const cfg = parseConfig(["--notify-group-wait", "0"], env);
    const store = new MetricStore();
    const lines: string[] = [];
    const service = new NotifyService(cfg.notify, "h", store, createLogger("debug", (s) => lines.push(s)));
    const open = [incident("openai")];
    service.tick({ ongoing: () => open, incidents: () => open });
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
      service.tick({ ongoing: () => open, incidents: () => open });
    }
    await waitUntil("three messages", () => fake.accepted("telegram").length >= before + 3, 10_000);
    await service.stop(100);
    const at = fake.accepted("telegram").slice(before).map((r) => r.at);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1000);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1000);
  });
});
