/**
 * Real 2026.7.35 transcripts (test/fixtures/real/2026.7.35-store/, captured by the live store run,
 * scripts/openclaw-e2e/store-run.ts --capture): read by the store reader, tokens and cost per
 * provider/model equal the fake provider's record of the same run (its 200 answers, priced at the
 * configured 1 and 2 USD per million tokens). Replayed as the gateway wrote them: first as live
 * transcripts, then renamed to the `.deleted.`/`.reset.` archives the gateway made, then the
 * deleted session's archive removed as the gateway's maintenance does; counted once, none lost.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import type { ModelUsage } from "../../src/events/types.ts";
import { StoreFollower } from "../../src/store/store-follower.ts";
import type { RecordEntry } from "../../scripts/openclaw-e2e/fake-provider.ts";
import { differences, expectedFromRecord, type ByModel } from "../../scripts/openclaw-e2e/store-sidecar.ts";

const FIXTURE = path.join(import.meta.dirname, "../fixtures/real/2026.7.35-store");
const PROVIDER_OF: Record<string, string> = { alpha: "fakea", beta: "fakeb" };
const root = mkdtempSync(path.join(tmpdir(), "oc-store-real-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const totals = (events: ModelUsage[]): ByModel => {
  const out: ByModel = new Map();
  for (const e of events) {
    const k = `${e.provider}/${e.model}`, t = out.get(k) ?? { input: 0, output: 0, cost: 0, calls: 0 };
    t.input += e.usage.input ?? 0; t.output += e.usage.output ?? 0; t.cost += e.costUsd ?? 0; t.calls++;
    out.set(k, t);
  }
  return out;
};

it("counts every call of real 7.35 transcripts once, through the renames and the removal the gateway made", () => {
  const record = JSON.parse(readFileSync(path.join(FIXTURE, "provider-record.json"), "utf8")) as RecordEntry[];
  const want = expectedFromRecord(record, (m) => PROVIDER_OF[m] ?? "unknown");
  const names = readdirSync(path.join(FIXTURE, "sessions"));
  const archives = names.filter((n) => /\.jsonl\.(deleted|reset)\./.test(n));
  const deleted = names.find((n) => n.includes(".jsonl.deleted."));
  expect(archives.length).toBeGreaterThanOrEqual(2);
  expect(deleted).toBeDefined();

  const sessions = path.join(root, "agents", "main", "sessions");
  mkdirSync(sessions, { recursive: true });
  // As the gateway first wrote them: every archive under its live name.
  for (const n of names) cpSync(path.join(FIXTURE, "sessions", n), path.join(sessions, n.replace(/\.jsonl\..*$/, ".jsonl")));
  const f = new StoreFollower({ stateDir: root, profile: "", fromBeginning: true });
  const events: ModelUsage[] = [];
  const poll = () => { for (let i = 0; i < 10; i++) f.pollOnce((ev) => events.push(ev)); };
  poll();
  // sessions.delete / sessions.reset: renamed to the archive names, read again from their start.
  for (const n of archives) renameSync(path.join(sessions, n.replace(/\.jsonl\..*$/, ".jsonl")), path.join(sessions, n));
  poll();
  // Maintenance past pruneAfter: the deleted session's archive is gone.
  rmSync(path.join(sessions, deleted!));
  poll();
  f.close();
  expect(record.filter((r) => r.status === 200).length).toBe(events.length);
  expect(differences(want, totals(events))).toEqual([]);
});

it("reads the archives too: the capture as it lay on disk, read once from the start, equals the record", () => {
  const record = JSON.parse(readFileSync(path.join(FIXTURE, "provider-record.json"), "utf8")) as RecordEntry[];
  const dir = path.join(root, "as-is");
  cpSync(path.join(FIXTURE, "sessions"), path.join(dir, "agents", "main", "sessions"), { recursive: true });
  const f = new StoreFollower({ stateDir: dir, profile: "", fromBeginning: true });
  const events: ModelUsage[] = [];
  for (let i = 0; i < 10; i++) f.pollOnce((ev) => events.push(ev));
  f.close();
  expect(differences(expectedFromRecord(record, (m) => PROVIDER_OF[m] ?? "unknown"), totals(events))).toEqual([]);
});
