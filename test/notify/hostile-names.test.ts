/**
 * Hostile names from the log itself, all the way: lines naming a provider, model and channel
 * with HTML, markdown, mentions and 5,000 characters go through the real pipeline and incident
 * model to the notifier and the fake chat APIs, which accept what they get (valid HTML within
 * 4096 characters, Discord and Slack limits) and show no markup taken from the log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { NotifyService } from "../../src/notify/service.ts";
import { LiveIncidents } from "../../src/serving/live-incidents.ts";
import { createLogger } from "../../src/sidecar/log.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { waitUntil } from "../sidecar/helpers.ts";
import { gatewayLog } from "../stack/scenarios/lines.ts";
import { fakeEnv, startFakeChats, type FakeChats } from "./fake-chats.ts";

let fake: FakeChats;
beforeAll(async () => { fake = await startFakeChats(); });
afterAll(() => fake.close());

const EVIL = `<b>pwn</b>&amp;<a href="javascript:alert(1)">x</a>**md**@everyone<!channel>${"L".repeat(5000)}`;

describe("hostile names from the log", () => {
  it("reach every chat as plain, bounded text", async () => {
    const store = new MetricStore();
    const live = new LiveIncidents();
    const pipeline = new Pipeline({ store, onEvent: (ev) => live.add(ev) });
    const now = Date.now();
    const log = gatewayLog("9.6", now);
    const fb = { event: "model_fallback_decision", runId: "r1", requestedProvider: EVIL, requestedModel: EVIL, total: 2, lane: "main", channel: EVIL, agentId: "main" };
    for (let k = 0; k < 3; k++) {
      log.a("provider-transport-fetch", "INFO", `[model-fetch] response provider=${EVIL} api=x model=${EVIL} status=429 elapsedMs=300 dispatcher=reused contentType=application/json`);
      log.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_failed", candidateProvider: EVIL, candidateModel: EVIL, attempt: 1, reason: "rate_limit", status: 429, nextCandidateProvider: EVIL, nextCandidateModel: EVIL }, "model fallback decision");
      log.b("agent/embedded", "WARN", { event: "auth_profile_failure_state_updated", runId: "r1", profileId: EVIL, provider: EVIL, reason: "rate_limit", windowType: "cooldown", windowReused: k > 0, errorCount: k + 1, cooldownUntil: now + 60_000 }, "auth profile failure state updated");
    }
    for (const [k, line] of log.done().entries()) pipeline.handle({ source: "log", profile: "", path: "/x.log", offset: k, line });
    pipeline.flushCounters();
    live.tick();
    expect(live.builder.ongoing().length, "the lines made incidents").toBeGreaterThan(0);

    const cfg = parseConfig(["--notify-group-wait", "0"], fakeEnv(fake.url));
    const service = new NotifyService(cfg.notify, "h", store, createLogger("error", () => {}));
    service.tick(live);
    await waitUntil("every chat took it", () => service.status().queued === 0 && fake.received.length >= 5, 10_000);
    await service.stop(100);
    expect(fake.received.map((r) => [r.api, r.status]).sort()).toEqual([["discord", 204], ["ntfy", 200], ["slack", 200], ["telegram", 200], ["webhook", 200]]);
    for (const r of fake.received) {
      // No markup from the log is interpreted, no long name passes: the names were bounded words or "other".
      expect(r.text, r.api).not.toMatch(/<b>pwn|javascript:|LLLLLLLLLL/);
    }
    // Names that are not plain words are "other" in the incident model (src/incidents/words.ts), the profile id hashed.
    const text = fake.accepted("telegram")[0]!.text;
    expect(text).toMatch(/^🟠 other rate-limited\n/);
    expect(text).toContain("fell back to other/other");
    expect(text).toMatch(/profile in cooldown until \d\d:\d\d:\d\d UTC \(sha256:[0-9a-f]{12}\)/);
  });
});
