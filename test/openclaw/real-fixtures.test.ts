// Lines captured from a real OpenClaw 2026.9.6 gateway (test/fixtures/real/README.md): every
// line of every captured file goes through the sidecar's parser without a crash or a rejection
// (a rejection there means our reading of OpenClaw's format is wrong), and the counts of parsed
// events by type are pinned, so a parser change that loses or invents events on real input
// shows here. Absent fixtures fail the test rather than skip it.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseLine } from "../../src/events/parse-line.ts";
import type { LineRecord } from "../../src/line/record.ts";
import { fixtureFiles, runFixture } from "../events/fixture-io.ts";

const DIR = path.join(import.meta.dirname, "../fixtures/real");

async function tally(file: string): Promise<Record<string, number>> {
  const source = file.endsWith(".jsonl") ? "diagnostics" : "log";
  const text = await readFile(path.join(DIR, file), "utf8");
  const counts: Record<string, number> = {};
  const bump = (k: string) => { counts[k] = (counts[k] ?? 0) + 1; };
  let offset = 0;
  for (const line of text.split("\n")) {
    const record: LineRecord = { source, profile: "", path: file, offset, line };
    offset += Buffer.byteLength(line) + 1;
    if (line === "") continue;
    const r = parseLine(record);
    if (r.kind === "ignored") bump("(ignored)");
    else if (r.kind === "rejected") bump(`(rejected:${r.reason})`);
    else for (const e of r.events) bump(`${e.origin}:${e.type}`);
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

describe("real OpenClaw 2026.9.6 captures", () => {
  it("has both sources in the fixture folder", async () => {
    const files = await readdir(DIR);
    expect(files.filter((f) => f.endsWith(".log")).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.endsWith(".jsonl")).length).toBeGreaterThan(0);
  });

  it("parses every line of every captured file with no rejection", () => {
    const files = fixtureFiles(DIR);
    expect(files.map((f) => path.basename(f))).toEqual(expect.arrayContaining(["diagnostics-2026-11-21.jsonl", "openclaw-2026-11-21.log"]));
    for (const file of files) {
      const run = runFixture(file);
      expect({ file: path.relative(DIR, file), rejects: run.summary.rejects }).toEqual({ file: path.relative(DIR, file), rejects: [] });
      expect(run.summary.lines).toBeGreaterThan(0);
    }
  });

  it("parses every line of the plugin's JSONL and pins the events by type", async () => {
    expect(await tally("diagnostics-2026-11-21.jsonl")).toEqual(PINNED_JSONL);
  });

  it("parses every line of the debug-level gateway log and pins the events by type", async () => {
    expect(await tally("openclaw-2026-11-21.log")).toEqual(PINNED_LOG);
  });
});

// Regenerate by printing tally() when the fixtures change on purpose; check the figures
// against the run's provider record (README) before pinning them. Cross-checks that held when
// these were pinned: 10 model.usage = 10 provider 200s; 26 model.fetch = 26 provider requests;
// 3 model.all_failed = 3 failed turns; echo counts equal the JSONL counts of the same types;
// every line yields at most one event (the sums equal the line counts, 400 and 811), except a
// chain end that exhausted the chain: model.all_failed and agent.turn.failed (3 lines here).
const PINNED_JSONL: Record<string, number> = {
  "jsonl:diagnostic.heartbeat": 3,
  "jsonl:diagnostic.other": 243,
  "jsonl:model.failover": 7,
  "jsonl:model.usage": 10,
  "jsonl:queue.lane.dequeue": 36,
  "jsonl:queue.lane.enqueue": 36,
  "jsonl:run.completed": 26,
  "jsonl:session.state": 39,
};
const PINNED_LOG: Record<string, number> = {
  "(ignored)": 593,
  "echo:diagnostic.heartbeat": 3,
  "echo:queue.lane.dequeue": 36,
  "echo:queue.lane.enqueue": 36,
  "echo:session.state": 39,
  // 3 failed turns = turns.json's 3 failed turns, each said twice: the gateway's res ✗ and its
  // chain end (chain_exhausted), both naming the run; the deduper counts one per run id (the
  // CLI's own error lines are not counted at all).
  "log:agent.turn.failed": 6,
  // 10 answered turns = turns.json's 10 ok turns; 8 of them answered by a fallback (provider
  // other than fakea in turns.json) = 8 candidate_succeeded lines.
  "log:agent.turn.completed": 10,
  "log:auth.profile.failure": 6,
  "log:auth.profile.rotation": 2,
  "log:auth.profile.rotation_cap": 1,
  "log:auth.provider.unavailable": 3,
  "log:model.all_failed": 3,
  // 14 failed attempts = the record's 16 non-2xx requests less the 2 hangs (a timed-out
  // attempt writes no agent-end record with isError).
  "log:model.call.error": 14,
  "log:model.candidate.succeeded": 8,
  "log:model.failover": 5,
  "log:model.fetch": 26,
  "log:model.retry": 6,
  "log:queue.lane.task_error": 16,
  "log:storage.slow": 1,
};
