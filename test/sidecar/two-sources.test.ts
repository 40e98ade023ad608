/**
 * Two sources, one gateway (issue 20, item 1): the JSONL wins over the log's echoes and derived
 * failovers only for the time its own lines cover (src/events/jsonl-coverage.ts). Expected
 * counts come from the generator (test/support/two-sources.ts) or, for the real capture, from
 * the fake provider's record and the plugin's own file, never from the sidecar.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { replay } from "../../src/commands/replay.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { prng } from "../support/prng.ts";
import { cases, observed, perProfile, twoSources, writeCases, type Expected } from "../support/two-sources.ts";

const REAL = join(import.meta.dirname, "../fixtures/real");

async function replayText(files: string[]): Promise<string> {
  const out = new PassThrough();
  let text = "";
  out.on("data", (c: Buffer) => { text += c.toString(); });
  await replay(["--format", "prometheus", "--host-name", "h", "--no-progress", ...files], out, new PassThrough());
  return text;
}

describe("two sources of one gateway: the JSONL wins only for the time it covers", () => {
  let expected: Record<string, Expected>;
  let seen: Record<string, Expected>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "two-sources-"));
    expected = writeCases(dir, cases(12), prng(20));
    // Logs named first: replay reads every JSONL first whatever the order, as run does.
    const files = readdirSync(dir).sort((a, b) => (a.startsWith("openclaw") ? -1 : 1) - (b.startsWith("openclaw") ? -1 : 1));
    seen = observed(await replayText(files.map((f) => join(dir, f))));
  });

  it("plugin installed mid-day: the morning's log failovers count, the afternoon's are counted once", () => {
    expect(expected.midday).toEqual({ failovers: 24, enqueues: 24, heartbeats: 46 });
    expect(seen.midday).toEqual(expected.midday);
  });
  it("plugin stopped: log events after the JSONL's last line + grace count", () => {
    expect(seen.stopped).toEqual(expected.stopped);
  });
  it("an old JSONL from the day before does not silence today's log", () => {
    expect(seen.old).toEqual(expected.old);
  });
  it("an empty JSONL file does not silence the log", () => {
    expect(seen.empty).toEqual(expected.empty);
  });
});

describe("a log line read before the JSONL line of the same moment (run)", () => {
  const rec = (source: LineRecord["source"], line: string): LineRecord => ({ source, profile: "", path: source, offset: 0, line });
  // The gateway idle for 30 min, then one activity: the log's lines reach the sidecar one poll
  // before the plugin's batch with their twins (it writes every 250 ms).
  const before = twoSources([{ from: Date.parse("2026-11-21T10:00:00Z"), activities: 2, plugin: true }], prng(1));
  const after = twoSources([{ from: Date.parse("2026-11-21T10:40:00Z"), activities: 1, plugin: true }], prng(2));
  // The plugin stopped: one more activity, in the log only, 20 min later.
  const stopped = twoSources([{ from: Date.parse("2026-11-21T11:00:00Z"), activities: 1, plugin: false }], prng(3));
  // after: the lane echo and the failover, then a heartbeat (its lines are in time order).
  const logs = (from: number, to: number) => after.log.slice(from, to).map((l) => rec("log", l));
  const jsonls = (from: number, to: number) => after.jsonl.slice(from, to).map((l) => rec("diagnostics", l));
  const beforeJsonl = before.jsonl.map((l) => rec("diagnostics", l));
  const beforeLog = before.log.map((l) => rec("log", l));
  const stoppedLog = stopped.log.map((l) => rec("log", l));
  const truth = {
    failovers: 4, enqueues: 4,
    heartbeats: before.expected.heartbeats + after.expected.heartbeats + stopped.expected.heartbeats,
  };

  /** Each step is one poll's lines, a restart from the checkpoint, or 5 s of wall clock. */
  type Step = LineRecord[] | "restart" | "wait";
  function follow(steps: Step[]): Expected {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const make = () => {
      const p = new Pipeline({ store: new MetricStore(), clock: () => now });
      p.noteFile({ source: "diagnostics", profile: "" });
      return p;
    };
    let p = make();
    for (const step of steps) {
      if (step === "restart") {
        const saved = JSON.parse(JSON.stringify(p.snapshotState())) as unknown;
        p = make();
        p.restoreState(saved);
        continue;
      }
      if (step === "wait") now += 5_000;
      else for (const r of step) p.handle(r);
      p.flushCounters();
      now += 250;
    }
    return observed(renderPrometheus(p.store, {}))[""]!;
  }

  it("counts each event once: the log's twins wait for the JSONL", () => {
    expect([after.log.length, after.jsonl.length, truth.heartbeats > 0]).toEqual([3, 3, true]);
    expect(follow([beforeJsonl, beforeLog, logs(0, 2), jsonls(0, 2), logs(2, 3), jsonls(2, 3), stoppedLog, "wait"])).toEqual(truth);
  });
  it("decides the same across restarts (the coverage and the waiting events are in the checkpoint)", () => {
    expect(follow([
      beforeJsonl, "restart", beforeLog, logs(0, 2), "restart", jsonls(0, 2), logs(2, 3), jsonls(2, 3), stoppedLog, "restart", "wait",
    ])).toEqual(truth);
  });
  it("counts a waiting log event after 5 s of wall clock when the JSONL never comes (plugin stopped)", () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const p = new Pipeline({ store: new MetricStore(), clock: () => now });
    p.noteFile({ source: "diagnostics", profile: "" });
    for (const l of before.jsonl) p.handle(rec("diagnostics", l));
    for (const r of logs(0, 2)) p.handle(r);
    p.flushCounters();
    expect(observed(renderPrometheus(p.store, {}))[""]?.failovers ?? 0).toBe(2);
    now += 5_000;
    p.flushCounters();
    expect(observed(renderPrometheus(p.store, {}))[""]).toMatchObject({ failovers: 3, enqueues: 3 });
    expect(p.stats.duplicates).toEqual({});
  });
  it("ends the wait at once when the host clock steps back an hour", () => {
    let now = Date.parse("2026-12-01T00:00:00Z");
    const p = new Pipeline({ store: new MetricStore(), clock: () => now });
    p.noteFile({ source: "diagnostics", profile: "" });
    for (const l of before.jsonl) p.handle(rec("diagnostics", l));
    for (const r of logs(0, 2)) p.handle(r);
    p.flushCounters();
    now -= 3_600_000;
    p.flushCounters();
    expect(observed(renderPrometheus(p.store, {}))[""]).toMatchObject({ failovers: 3, enqueues: 3 });
  });
});

describe("the real capture (log + JSONL of one 2026.9.6 run)", () => {
  interface Req { status: number }
  const jsonlTypes = readFileSync(join(REAL, "diagnostics-2026-11-21.jsonl"), "utf8").split("\n").filter(Boolean)
    .map((l) => (JSON.parse(l) as { type: string }).type);
  const count = (t: string) => jsonlTypes.filter((x) => x === t).length;
  const record = JSON.parse(readFileSync(join(REAL, "provider-record.json"), "utf8")) as Req[];

  it("counts as the provider's record and the plugin's file say, in either file order", async () => {
    const log = join(REAL, "openclaw-2026-11-21.log");
    const jsonl = join(REAL, "diagnostics-2026-11-21.jsonl");
    const text = await replayText([log, jsonl]);
    expect(await replayText([jsonl, log])).toBe(text);
    const sum = (re: RegExp) => perProfile(text, re)[""] ?? 0;
    expect(sum(/^openclaw_model_request_total\{/)).toBe(record.length);
    expect(sum(/^openclaw_tokens_total\{.*openclaw_token="input"/)).toBe(1030);
    expect(observed(text)[""]).toEqual({
      failovers: count("model.failover"), enqueues: count("queue.lane.enqueue"), heartbeats: count("diagnostic.heartbeat"),
    });
  });
});
