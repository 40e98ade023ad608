/**
 * Golden files (mtail style): for each fixture `<name>` the events it yields, one per line as
 * the replay CLI prints them (`<name>.events.golden.jsonl`), and a summary
 * (`<name>.summary.golden.json`). `UPDATE_GOLDEN=1` rewrites them on purpose, and
 * that run fails (support/golden.ts): review the diff and rerun.
 */
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { checkGoldens } from "../support/golden.ts";
import { formatEvent } from "../../src/events/format.ts";
import type { EventType } from "../../src/events/types.ts";
import { FIXTURES, fixtureFiles, runFixture } from "./fixture-io.ts";

const files = fixtureFiles(FIXTURES, ["real"]);

/** Every type of the union; `satisfies` makes a type added to types.ts fail to compile here. */
const ALL_TYPES = {
  "model.usage": 1, "webhook.received": 1, "webhook.processed": 1, "webhook.error": 1, "message.queued": 1,
  "message.processed": 1, "session.state": 1, "session.stuck": 1, "queue.lane.enqueue": 1, "queue.lane.dequeue": 1,
  "run.attempt": 1, "diagnostic.heartbeat": 1, "tool.loop": 1, "session.long_running": 1, "session.stalled": 1,
  "diagnostic.liveness.warning": 1, "diagnostic.memory.pressure": 1, "run.completed": 1, "model.failover": 1,
  "diagnostic.other": 1, "auth.profile.rotation": 1, "model.failover.surfaced": 1, "model.all_failed": 1,
  "auth.profile.failure": 1, "auth.provider.unavailable": 1, "queue.lane.wait_exceeded": 1, "queue.lane.task_error": 1,
  "channel.telegram.network_error": 1, "channel.discord.reconnect": 1, "channel.websocket.close": 1,
  "channel.health_monitor.restart": 1, "channel.lifecycle": 1, "model.fetch": 1, "log.loss": 1,
  "model.call.error": 1, "model.retry": 1, "auth.profile.rotation_cap": 1, "agent.turn.failed": 1, "storage.slow": 1,
  "auth.state.rewarm": 1, "pricing.fetch_failed": 1, "agent.turn.completed": 1, "model.candidate.succeeded": 1,
} as const satisfies Record<EventType, 1>;

describe("fixture goldens", () => {
  it("finds the version-tagged fixtures", () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  for (const file of files) {
    it(`parses ${relative(FIXTURES, file)} to its golden events and summary`, () => {
      const run = runFixture(file);
      const events = run.events.map((ev) => `${formatEvent(ev)}\n`).join("");
      const summary = `${JSON.stringify(run.summary, null, 2)}\n`;
      const eventsPath = `${file}.events.golden.jsonl`;
      const summaryPath = `${file}.summary.golden.json`;
      checkGoldens([[eventsPath, events], [summaryPath, summary]]);
    });
  }

  it("has every event type of the union in some golden", () => {
    const seen = new Set<string>();
    for (const file of files) for (const ev of runFixture(file).events) seen.add(ev.type);
    const missing = Object.keys(ALL_TYPES).filter((t) => !seen.has(t));
    expect(missing).toEqual([]);
  });

  it("prints events with type and ts as the first keys", () => {
    for (const file of files) {
      for (const ev of runFixture(file).events) expect(Object.keys(JSON.parse(formatEvent(ev))).slice(0, 2)).toEqual(["type", "ts"]);
    }
  });
});
