import { existsSync, readdirSync, readFileSync } from "node:fs";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { checkGolden as checkGoldenFile } from "../support/golden.ts";
import type { EventType, OpenClawEvent } from "../../src/events/types.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { countEvent } from "../../src/telemetry/recording/count-event.ts";
import { profileTag, withProfile } from "../../src/telemetry/recording/metric-sink.ts";
import { spanForEvent } from "../../src/telemetry/recording/spans.ts";
import { metricLines, spanLines } from "./golden-format.ts";
import { SCENARIOS, T0 } from "./scenario-events.ts";

const DIR = new URL("../golden/scenarios/", import.meta.url);

// Every member of the union, so a new event type needs a scenario before this passes.
const ALL_TYPES: Record<EventType, true> = {
  "model.usage": true, "webhook.received": true, "webhook.processed": true, "webhook.error": true,
  "message.queued": true, "message.processed": true, "session.state": true, "session.stuck": true,
  "queue.lane.enqueue": true, "queue.lane.dequeue": true, "run.attempt": true, "diagnostic.heartbeat": true,
  "tool.loop": true, "session.long_running": true, "session.stalled": true, "diagnostic.liveness.warning": true,
  "diagnostic.memory.pressure": true, "run.completed": true, "model.failover": true, "diagnostic.other": true,
  "auth.profile.rotation": true, "model.failover.surfaced": true, "model.all_failed": true,
  "auth.profile.failure": true, "auth.provider.unavailable": true, "queue.lane.wait_exceeded": true,
  "queue.lane.task_error": true, "channel.telegram.network_error": true, "channel.discord.reconnect": true,
  "channel.websocket.close": true, "channel.health_monitor.restart": true, "channel.lifecycle": true, "model.fetch": true,
  "log.loss": true, "model.call.error": true, "model.retry": true, "auth.profile.rotation_cap": true,
  "agent.turn.failed": true, "storage.slow": true, "auth.state.rewarm": true, "pricing.fetch_failed": true,
  "agent.turn.completed": true, "model.candidate.succeeded": true,
};

function run(events: readonly OpenClawEvent[]): string {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer("openclaw");
  const store = new MetricStore({ now: () => T0 });
  for (const ev of events) {
    // As replay does: the first event's profile is the default; any other gets openclaw.profile.
    countEvent(withProfile(store, profileTag(ev.profile, events[0]?.profile)), ev);
    spanForEvent(tracer, ev);
  }
  const metrics = metricLines(store.toScopeMetrics(T0 + 3_600_000));
  const spans = spanLines(exporter.getFinishedSpans());
  return ["# metrics", ...metrics, "# spans", ...spans, ""].join("\n");
}

function checkGolden(name: string, got: string): void {
  checkGoldenFile(new URL(`${name}.txt`, DIR), got);
}

/** The events helper's golden events for each shipped fixture (test/fixtures/<dir>/*.events.golden.jsonl). */
function fixtureEventFiles(): { name: string; events: OpenClawEvent[] }[] {
  const root = new URL("../fixtures/", import.meta.url);
  // No fixtures folder would mean no tests at all, passing: fail instead.
  if (!existsSync(root)) throw new Error(`${root.pathname} is missing: the fixture goldens cannot be checked`);
  return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) =>
    readdirSync(new URL(`${d.name}/`, root)).filter((f) => f.endsWith(".events.golden.jsonl")).map((f) => ({
      name: `fixture_${d.name}_${f.replace(/\.events\.golden\.jsonl$/, "")}`.replace(/[^A-Za-z0-9_.-]/g, "_"),
      events: readFileSync(new URL(`${d.name}/${f}`, root), "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as OpenClawEvent),
    })));
}

describe("golden scenarios", () => {
  it("cover every event type", () => {
    const seen = new Set(Object.values(SCENARIOS).flat().map((e) => e.type));
    expect([...seen].sort()).toEqual(Object.keys(ALL_TYPES).sort());
  });

  for (const [name, events] of Object.entries(SCENARIOS)) {
    it(name, () => checkGolden(name, run(events)));
  }

  for (const { name, events } of fixtureEventFiles()) {
    it(name, () => {
      const got = run(events);
      // Whatever the fixture carries, no session/run/profile/chat id reaches a label or span.
      for (const ev of events) {
        const ids = ["sessionKey", "sessionId", "runId", "profileId", "chatId", "messageId"]
          .map((k) => (ev as unknown as Record<string, unknown>)[k]).filter((v) => v !== undefined && String(v).length > 3);
        for (const id of ids) expect(got).not.toContain(String(id));
      }
      checkGolden(name, got);
    });
  }
});
