// The companion plugin's own logic, run for real on a temp dir: batching, the bounded queue and
// its drop marker, pruning, the date switch, and that no content is written. OpenClaw's SDK is
// replaced by a fake registration object (the SDK itself is OpenClaw's, exercised by the live
// test in scripts/test-openclaw.sh).
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDiagnosticsWriter, formatLocalDate } from "../../plugin/writer.js";
import { eventToLine } from "../../plugin/event-line.js";
import { loadSubscribe, profileSegment, registerCompanion, resolveLogDir, type PluginApiLike } from "../../plugin/index.js";

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), "oc-plugin-")); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const T0 = new Date(2026, 8, 6, 12, 0, 0).getTime(); // local noon, 2026-09-06
const ev = (seq: number, extra: Record<string, unknown> = {}) =>
  ({ type: "queue.lane.enqueue", lane: "main", queueSize: seq, seq, ts: T0 + seq, ...extra });

async function lines(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(path.join(dir, file), "utf8");
  expect(text.endsWith("\n")).toBe(true);
  return text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("diagnostics writer", () => {
  it("writes each event as one JSON line in diagnostics-<local date>.jsonl, fields as emitted", async () => {
    const w = createDiagnosticsWriter({ dir });
    const usage = { type: "model.usage", provider: "fakea", model: "alpha", usage: { input: 101, output: 21 }, costUsd: 0.0001, seq: 7, ts: T0, trace: { traceId: "ab" } };
    w.push(usage);
    w.push(ev(8));
    await w.flush();
    expect(await readdir(dir)).toEqual(["diagnostics-2026-09-06.jsonl"]);
    expect(await lines("diagnostics-2026-09-06.jsonl")).toEqual([usage, ev(8)]);
    expect(w.stats()).toMatchObject({ written: 2, dropped: 0, queued: 0 });
  });

  it("does nothing on disk inside push and flushes by itself after the interval", async () => {
    const w = createDiagnosticsWriter({ dir, flushIntervalMs: 20 });
    for (let i = 1; i <= 5; i++) w.push(ev(i));
    expect(existsSync(path.join(dir, "diagnostics-2026-09-06.jsonl"))).toBe(false);
    expect(w.stats().queued).toBe(5);
    await vi.waitFor(async () => expect((await lines("diagnostics-2026-09-06.jsonl")).length).toBe(5), { timeout: 2000, interval: 10 });
  });

  it("splits a large queue into appends no bigger than maxBatchBytes and keeps the order", async () => {
    const w = createDiagnosticsWriter({ dir, maxBatchBytes: 1024 });
    for (let i = 1; i <= 200; i++) w.push(ev(i, { pad: "x".repeat(40) }));
    await w.flush();
    const got = await lines("diagnostics-2026-09-06.jsonl");
    expect(got.map((l) => l.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it("drops the oldest lines past maxQueue and says how many in a marker line", async () => {
    const w = createDiagnosticsWriter({ dir, maxQueue: 16, now: () => T0 + 1000 });
    for (let i = 1; i <= 40; i++) w.push(ev(i));
    await w.flush();
    const got = await lines("diagnostics-2026-09-06.jsonl");
    expect(got[0]).toEqual({ type: "sidecar.dropped", ts: T0 + 1000, dropped: 24 });
    expect(got.slice(1).map((l) => l.seq)).toEqual(Array.from({ length: 16 }, (_, i) => i + 25));
    expect(w.stats().dropped).toBe(24);
  });

  it("switches file at local midnight by the event's timestamp", async () => {
    const w = createDiagnosticsWriter({ dir });
    const beforeMidnight = new Date(2026, 8, 6, 23, 59, 59, 900).getTime();
    const afterMidnight = new Date(2026, 8, 7, 0, 0, 0, 100).getTime();
    w.push({ ...ev(1), ts: beforeMidnight });
    w.push({ ...ev(2), ts: afterMidnight });
    await w.flush();
    expect((await readdir(dir)).sort()).toEqual(["diagnostics-2026-09-06.jsonl", "diagnostics-2026-09-07.jsonl"]);
    expect((await lines("diagnostics-2026-09-07.jsonl")).map((l) => l.seq)).toEqual([2]);
  });

  it("names files with the profile segment when a profile is set", async () => {
    const w = createDiagnosticsWriter({ dir, profile: "work" });
    w.push(ev(1));
    await w.flush();
    expect(await readdir(dir)).toEqual(["diagnostics-work-2026-09-06.jsonl"]);
  });

  it("prunes only its own files older than the retention", async () => {
    const old = (Date.now() - 30 * 3_600_000) / 1000;
    const names = ["diagnostics-2026-09-01.jsonl", "diagnostics-work-2026-09-01.jsonl", "openclaw-2026-09-01.log", "diagnostics-2026-09-02.jsonl.bak"];
    for (const n of names) { await writeFile(path.join(dir, n), "{}\n"); await utimes(path.join(dir, n), old, old); }
    await writeFile(path.join(dir, "diagnostics-2026-09-05.jsonl"), "{}\n"); // recent: kept
    const w = createDiagnosticsWriter({ dir, retentionMs: 24 * 3_600_000 });
    w.push({ ...ev(1), ts: Date.now() });
    await w.flush();
    const left = (await readdir(dir)).sort();
    expect(left).toEqual([
      "diagnostics-2026-09-02.jsonl.bak", "diagnostics-2026-09-05.jsonl", `diagnostics-${formatLocalDate(Date.now())}.jsonl`,
      "diagnostics-work-2026-09-01.jsonl", "openclaw-2026-09-01.log",
    ].sort());
    expect(w.stats().pruned).toBe(1);
  });

  it("never throws when the disk fails, counts the loss and reports it in the next marker", async () => {
    const blocker = path.join(dir, "not-a-dir");
    await writeFile(blocker, "");
    const errors: unknown[] = [];
    const w = createDiagnosticsWriter({ dir: blocker, onError: (e) => { errors.push(e); throw new Error("logger broke too"); } });
    w.push(ev(1));
    w.push(ev(2));
    await expect(w.flush()).resolves.toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    expect(w.stats()).toMatchObject({ written: 0, dropped: 2 });
    await rm(blocker);
    w.push(ev(3));
    await w.flush();
    const got = await readFile(path.join(blocker, "diagnostics-2026-09-06.jsonl"), "utf8");
    const parsed = got.trimEnd().split("\n").map((l) => JSON.parse(l) as { type: string; dropped?: number; seq?: number });
    expect(parsed[0]).toMatchObject({ type: "sidecar.dropped", dropped: 2 });
    expect(parsed[1]?.seq).toBe(3);
  });

  it("writes what is still queued synchronously on exit", async () => {
    const w = createDiagnosticsWriter({ dir, flushIntervalMs: 60_000 });
    w.push(ev(1));
    w.flushSync();
    expect((await lines("diagnostics-2026-09-06.jsonl")).map((l) => l.seq)).toEqual([1]);
  });
});

describe("event lines", () => {
  it("removes content, text, prompt and body at any depth but keeps look-alike keys", () => {
    const line = eventToLine({
      type: "model.call.completed", seq: 1, ts: T0, content: "secret", promptStats: { totalChars: 12 },
      nested: { text: "hi", body: "b", list: [{ prompt: "p", keep: 1 }] }, errorCategory: "x",
    });
    // promptStats and nested are not on model.call.completed's allow-list (plugin-allowlist.test.ts).
    expect(JSON.parse(line ?? "null")).toEqual({ type: "model.call.completed", seq: 1, ts: T0, errorCategory: "x" });
    const usage = eventToLine({ type: "model.usage", seq: 2, ts: T0, usage: { input: 1, text: "hi", list: [{ prompt: "p", keep: 1 }] } });
    expect(JSON.parse(usage ?? "null")).toEqual({ type: "model.usage", seq: 2, ts: T0, usage: { input: 1, list: [{ keep: 1 }] } });
  });

  it("skips log.record and the high-volume types, and values that are not events", () => {
    for (const type of ["log.record", "gateway.rpc", "gateway.event_loop.sample", "diagnostic.gc"]) {
      expect(eventToLine({ type, seq: 1, ts: T0 })).toBeNull();
    }
    expect(eventToLine(null)).toBeNull();
    expect(eventToLine({ seq: 1 })).toBeNull();
    expect(eventToLine("model.usage")).toBeNull();
  });

  it("survives cycles, bigints and very long strings", () => {
    const usage: Record<string, unknown> = { n: 5n };
    usage.self = usage;
    const a: Record<string, unknown> = { type: "model.usage", seq: 1, ts: T0, usage, provider: "z".repeat(5000) };
    const parsed = JSON.parse(eventToLine(a) ?? "null") as { usage: { n: number; self: unknown }; provider: string };
    expect(parsed.usage.n).toBe(5);
    expect(parsed.usage.self).toBeNull();
    expect(parsed.provider.length).toBe(2049);
  });
});

describe("plugin registration", () => {
  function fakeApi(config: Record<string, unknown>) {
    const services: { id: string; start: () => void | Promise<void>; stop?: () => void | Promise<void> }[] = [];
    const logs: string[] = [];
    const api: PluginApiLike = {
      config: {},
      pluginConfig: config,
      logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m) },
      registerService: (s) => { services.push(s); },
    };
    return { api, services, logs };
  }

  it("subscribes when the service starts, writes events, and unsubscribes and flushes on stop", async () => {
    const { api, services } = fakeApi({ dir, flushIntervalMs: 60_000 });
    let listener: ((e: unknown) => void) | undefined;
    let unsubscribed = false;
    const c = registerCompanion(api, { profile: "", subscribe: (l) => { listener = l; return () => { unsubscribed = true; }; } });
    expect(services.map((s) => s.id)).toEqual(["diagnostics-jsonl"]);
    expect(listener).toBeUndefined();
    await services[0]?.start();
    listener?.(ev(1));
    listener?.({ type: "log.record", seq: 2, ts: T0 });
    const circular: Record<string, unknown> = { type: "weird", seq: 3, ts: T0 };
    circular.me = circular;
    expect(() => listener?.(circular)).not.toThrow();
    await services[0]?.stop?.();
    expect(unsubscribed).toBe(true);
    expect(c.dir).toBe(dir);
    expect((await lines("diagnostics-2026-09-06.jsonl")).map((l) => l.type)).toEqual(["queue.lane.enqueue", "weird"]);
  });

  it("logs a warning instead of throwing when no SDK subpath has a listener", async () => {
    const { api, services, logs } = fakeApi({ dir });
    registerCompanion(api, { importer: async () => ({}) });
    await expect(services[0]?.start()).resolves.toBeUndefined();
    expect(logs.join("\n")).toMatch(/not started: .*no OpenClaw SDK subpath/);
  });

  it("prefers onInternalDiagnosticEvent with the exclusion filter, falling back across subpaths", async () => {
    const calls: { spec: string; filter?: unknown }[] = [];
    const importer = async (spec: string): Promise<Record<string, unknown>> => {
      if (spec.endsWith("diagnostic-runtime")) return { onDiagnosticEvent: () => () => {} };
      return { onInternalDiagnosticEvent: (_l: unknown, filter: unknown) => { calls.push({ spec, filter }); return () => {}; } };
    };
    const sub = await loadSubscribe(importer);
    sub(() => {});
    // diagnostic-runtime has only the public listener here, and it is used: the first subpath wins.
    expect(calls).toEqual([]);
    const sub2 = await loadSubscribe(async (spec) => (spec.endsWith("diagnostic-runtime") ? Promise.reject(new Error("missing")) : importer(spec)));
    sub2(() => {});
    expect(calls).toEqual([{ spec: "openclaw/plugin-sdk/diagnostics-otel", filter: { exclude: ["log.record", "gateway.rpc", "gateway.event_loop.sample", "diagnostic.gc"] } }]);
  });

  it("encodes the profile like OpenClaw's log file names and finds the log dir from logging.file", () => {
    expect(profileSegment({ OPENCLAW_PROFILE: "Work_1-x" })).toBe("-1work-01--x");
    expect(profileSegment({ OPENCLAW_PROFILE: "default" })).toBe("");
    expect(profileSegment({})).toBe("");
    expect(resolveLogDir({ logging: { file: "/var/log/oc/openclaw-2026-09-06.log" } })).toBe("/var/log/oc");
  });
});
