// The default-level, log-only captures of issue 8 (test/fixtures/real/<version>/, README.md
// there): each version's folder must hold the gateway log, the fake provider's record (the
// ground truth) and the CLI's turn outcomes, and the record must agree with the turns. A missing
// capture fails here: the versions are listed, not discovered.
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const DIR = path.join(import.meta.dirname, "../fixtures/real");
const VERSIONS = ["2026.4.24", "2026.7.35", "2026.9.6"] as const;
const STATUSES = new Set([200, 401, 402, 403, 429, 500, 503, -1]);

interface RecordEntry { seq: number; t: number; phase: string; model: string; keyTail: string; mode: string; status: number; promptTokens: number; completionTokens: number }
interface Turn { label: string; ok: boolean; status: string; provider?: string; model?: string; phase: string }
interface RunInfo { version: string; logLevel: string; plugin: boolean; scenario: string; profiles: { id: string; provider: string; keyTail: string }[]; providers: Record<string, { models: string[]; keyTail?: string }> }

/** Pinned ground truth per capture: requests by status, and turns ok/failed (README lists them). */
const PINNED: Record<(typeof VERSIONS)[number], { byStatus: Record<string, number>; turnsOk: number; turnsFailed: number }> = {
  "2026.4.24": { byStatus: { "200": 8, "401": 1, "402": 2, "403": 1, "429": 118, "503": 8 }, turnsOk: 8, turnsFailed: 1 },
  "2026.7.35": { byStatus: { "200": 7, "401": 1, "403": 1, "429": 60, "503": 6 }, turnsOk: 3, turnsFailed: 3 },
  "2026.9.6": { byStatus: { "200": 8, "401": 1, "402": 2, "403": 1, "429": 14, "503": 2 }, turnsOk: 8, turnsFailed: 1 },
};

async function load(version: string) {
  const dir = path.join(DIR, version);
  const files = await readdir(dir);
  const record = JSON.parse(await readFile(path.join(dir, "provider-record.json"), "utf8")) as RecordEntry[];
  const turns = JSON.parse(await readFile(path.join(dir, "turns.json"), "utf8")) as Turn[];
  const info = JSON.parse(await readFile(path.join(dir, "run-info.json"), "utf8")) as RunInfo;
  return { dir, files, record, turns, info };
}

describe.each(VERSIONS)("real capture openclaw %s (default level, no plugin)", (version) => {
  it("has the log, the provider record, the turns and the run info", () => {
    const dir = path.join(DIR, version);
    expect(existsSync(dir), `${dir} missing`).toBe(true);
    for (const f of ["provider-record.json", "turns.json", "run-info.json"]) expect(existsSync(path.join(dir, f)), f).toBe(true);
  });

  it("was captured as issue 8 asks: this version, default level, no plugin, failures scenario", async () => {
    const { files, info } = await load(version);
    expect(info).toMatchObject({ version, logLevel: "default", plugin: false, scenario: "failures" });
    expect(files.filter((f) => /^openclaw-\d{4}-\d{2}-\d{2}\.log$/.test(f))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith(".jsonl"))).toEqual([]);
  });

  it("has a gateway log of JSON lines only, with no stored key in clear", async () => {
    const { dir, files, info } = await load(version);
    const text = await readFile(path.join(dir, files.find((f) => f.endsWith(".log")) ?? "-"), "utf8");
    const lines = text.split("\n").filter((l) => l !== "");
    expect(lines.length).toBeGreaterThan(20);
    for (const l of lines) expect(() => JSON.parse(l) as unknown, l.slice(0, 120)).not.toThrow();
    for (const l of lines) expect((JSON.parse(l) as { time?: unknown }).time, l.slice(0, 120)).toEqual(expect.any(String));
    // The fake keys are sk-fake-<p>-<4 digits>; none may appear whole in a committed capture.
    expect(info.profiles.length).toBeGreaterThan(1);
    expect(text).not.toMatch(/sk-fake-[a-z]-\d{4}/);
  });

  it("has a provider record that parses and is internally consistent", async () => {
    const { record, info } = await load(version);
    expect(record.length).toBeGreaterThan(0);
    const tails = new Set([...info.profiles.map((p) => p.keyTail), ...Object.values(info.providers).map((p) => p.keyTail)]);
    const models = new Set(Object.values(info.providers).flatMap((p) => p.models));
    record.forEach((r, i) => {
      expect(r.seq).toBe(i + 1);
      if (i > 0) expect(r.t).toBeGreaterThanOrEqual(record[i - 1]!.t);
      expect(STATUSES.has(r.status), `status ${r.status}`).toBe(true);
      expect(r.status === 200 ? "normal" : r.status === -1 ? "hang" : String(r.status)).toBe(r.mode);
      expect(tails.has(r.keyTail), `key ${r.keyTail}`).toBe(true);
      expect(models.has(r.model), `model ${r.model}`).toBe(true);
      if (r.status !== 200) expect(r.promptTokens + r.completionTokens).toBe(0);
    });
  });

  it("agrees with the turns: each turn's winning model has its 200 in the turn's phase, a phase without a winner has none", async () => {
    const { record, turns } = await load(version);
    const phases = new Set(turns.map((t) => t.phase));
    for (const r of record) expect(phases.has(r.phase), `request in unknown phase ${r.phase}`).toBe(true);
    for (const t of turns.filter((x) => x.ok)) expect(t.model, `${t.label} ok without a winner`).toBeDefined();
    for (const p of phases) {
      const inPhase = turns.filter((t) => t.phase === p);
      const winners = inPhase.filter((t) => t.model);
      const ok200 = record.filter((r) => r.phase === p && r.status === 200);
      // At least one 200 per winning turn; more only where the CLI gave up on the gateway and
      // re-ran the turn embedded (2026.7.35 capture, README), never a 200 without a winner.
      expect(ok200.length, `200s in ${p}`).toBeGreaterThanOrEqual(winners.length);
      if (winners.length === 0) expect(ok200, `200s in ${p} without a winning turn`).toEqual([]);
      for (const t of winners) expect(ok200.some((r) => r.model === t.model), `${t.label} won on ${t.model}`).toBe(true);
    }
  });

  it("matches its pinned ground-truth figures", async () => {
    const { record, turns } = await load(version);
    const byStatus: Record<string, number> = {};
    for (const r of record) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect({ byStatus, turnsOk: turns.filter((t) => t.ok).length, turnsFailed: turns.filter((t) => !t.ok).length }).toEqual(PINNED[version]);
  });
});
