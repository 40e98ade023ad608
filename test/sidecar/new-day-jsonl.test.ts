/**
 * A new day while `run` catches up (found by the issue 20 soak, bench/lib/soak.ts): the
 * gateway opens the day's log before the plugin opens the day's JSONL, so one poll sees the
 * new log (then known) and a later poll both files. The tailer read known files before new
 * ones, so that poll handed on the known log's backlog ahead of the new JSONL: past the 10,000
 * echoes the deduper holds, the oldest were released and decided at the JSONL's first line,
 * whose 60 s did not cover them: counted, then their twins again (1,939 of 12,000 here, 0.4 %
 * of turns in the soak). Every JSONL is now read before any log in a poll, known or new.
 *
 * Expected count from the script: N turns, each one `message processed` echo in the log and
 * one message.processed in the JSONL, a second apart: exactly N.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { DirectoryTailer } from "../../src/tail/directory-tailer.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { tslogLine } from "../fixtures/build/envelopes.ts";

const N = 12_000;
const T0 = Date.parse("2026-11-22T00:00:01.000Z");
const echo = (i: number) => tslogLine("9.6", {
  sub: "diagnostic", level: "DEBUG", at: new Date(T0 + i * 1000).toISOString(),
  args: [`message processed: channel=telegram chatId=4242 messageId=${i} sessionId=s-${i} sessionKey=agent:main:main outcome=completed duration=5ms`],
});
const twin = (i: number) => JSON.stringify({
  type: "message.processed", channel: "telegram", messageId: i, chatId: 4242, sessionKey: "agent:main:main", sessionId: `s-${i}`,
  durationMs: 5, outcome: "completed", ts: T0 + i * 1000, seq: i + 1,
});

let dir: string | undefined;
afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe("a new day's JSONL found after that day's log, while catching up", () => {
  it("every JSONL is read before any log in a poll, and each turn counts once", async () => {
    dir = mkdtempSync(join(tmpdir(), "new-day-"));
    const log = join(dir, "openclaw-2026-11-22.log"), jsonl = join(dir, "diagnostics-2026-11-22.jsonl");
    // Yesterday's JSONL (an hour before: it covers none of today): the profile has a plugin, so
    // `run` holds the log's echoes for their twins.
    const heartbeat = { type: "diagnostic.heartbeat", webhooks: { received: 0, processed: 0, errors: 0 }, active: 0, waiting: 0, queued: 0, ts: T0 - 3_600_000, seq: 1 };
    writeFileSync(join(dir, "diagnostics-2026-11-21.jsonl"), `${JSON.stringify(heartbeat)}\n`);
    writeFileSync(log, `${echo(0)}\n`);
    const store = new MetricStore();
    // A wall clock that stands still: held echoes are decided by their twins only, never by time.
    const pipeline = new Pipeline({ store, clock: () => T0 + 3_600_000 });
    const tailer = new DirectoryTailer({ dir, fromBeginning: true, files: [], onFound: (f) => pipeline.noteFile(f) });
    const order: LineRecord["source"][] = [];
    const poll = async () => {
      order.length = 0;
      await tailer.pollOnce((r) => { order.push(r.source); pipeline.handle(r); });
      pipeline.flushCounters();
    };
    await poll();
    // The rest of the day so far, and the plugin's file with every twin, before the next poll.
    const rest: string[] = [];
    for (let i = 1; i < N; i++) rest.push(echo(i));
    appendFileSync(log, `${rest.join("\n")}\n`);
    writeFileSync(jsonl, `${Array.from({ length: N }, (_, i) => twin(i)).join("\n")}\n`);
    await poll();
    const text = renderPrometheus(store, {});
    let counted = 0;
    for (const m of text.matchAll(/^openclaw_message_processed_total\{[^}]*\} (\d+)$/gm)) counted += Number(m[1]);
    expect(counted).toBe(N);
    expect(order.indexOf("log")).toBeGreaterThan(order.lastIndexOf("diagnostics"));
  });
});
