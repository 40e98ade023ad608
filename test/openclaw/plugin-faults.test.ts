/**
 * Faults of the companion plugin inside the gateway process (issue 20, item 7), each a case
 * that failed before its fix:
 * - plugin_restart_same_object: a service stopped and started again (an in-process gateway
 *   restart) re-subscribed but its writer stayed closed, so every later event was dropped;
 * - plugin_invalid_ts: `ts: 1e20` named a file diagnostics-NaN-NaN-NaN.jsonl, never read;
 * - plugin_bounded_redaction: a 50 MB free-text field was redacted whole before being cut
 *   (1.15 s on the gateway's event loop), a million-element array walked whole (1.08 s). The
 *   work is checked by count (characters handed to the regex engine, elements read through a
 *   Proxy), never by time; and a secret across the cut must not leave a part of itself.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventToLine, MAX_FREE_CHARS } from "../../plugin/event-line.js";
import { registerCompanion, type PluginApiLike } from "../../plugin/index.js";
import { RULES, redactSecrets } from "../../plugin/secret-rules.js";
import { createDiagnosticsWriter, formatLocalDate } from "../../plugin/writer.js";
import { parseLine } from "../../src/events/parse-line.ts";
import { prng } from "../support/prng.ts";

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(os.tmpdir(), "oc-plugin-faults-")); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const T0 = new Date(2026, 8, 6, 12, 0, 0).getTime();
const ev = (seq: number, extra: Record<string, unknown> = {}) => ({ type: "queue.lane.enqueue", lane: "main", queueSize: seq, seq, ts: T0 + seq, ...extra });
const linesOf = async (file: string) => (await readFile(path.join(dir, file), "utf8")).trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

describe("plugin_restart_same_object", () => {
  it("writes events after the service is stopped and started again on the same object", async () => {
    const services: { start: () => void | Promise<void>; stop?: () => void | Promise<void> }[] = [];
    const api: PluginApiLike = { config: {}, pluginConfig: { dir, flushIntervalMs: 60_000 }, registerService: (s) => { services.push(s); } };
    const listeners: Array<(e: unknown) => void> = [];
    const c = registerCompanion(api, { profile: "", subscribe: (l) => { listeners.push(l); return () => { listeners.splice(listeners.indexOf(l), 1); }; } });
    const svc = services[0]!;
    await svc.start();
    listeners.forEach((l) => l(ev(1)));
    await svc.stop?.();
    await svc.start();
    expect(listeners).toHaveLength(1);
    listeners.forEach((l) => l(ev(2)));
    await svc.stop?.();
    expect((await linesOf("diagnostics-2026-09-06.jsonl")).map((l) => l.seq)).toEqual([1, 2]);
    expect(c.writer.stats()).toMatchObject({ written: 2, dropped: 0, queued: 0 });
  });
});

describe("plugin_invalid_ts", () => {
  it("files an event whose ts is no usable date under the current time, and the line says so", async () => {
    const NOW = new Date(2026, 10, 21, 9, 30).getTime();
    const w = createDiagnosticsWriter({ dir, now: () => NOW });
    const bad = [1e20, Number.NaN, -5, "2026-11-21", undefined, 8.64e15];
    bad.forEach((ts, i) => w.push({ type: "queue.lane.enqueue", lane: "main", queueSize: 1, seq: i, ts }));
    w.push(ev(99)); // a good one stays on its own day
    await w.flush();
    expect((await readdir(dir)).sort()).toEqual(["diagnostics-2026-09-06.jsonl", "diagnostics-2026-11-21.jsonl"]);
    const got = await linesOf("diagnostics-2026-11-21.jsonl");
    expect(got.map((l) => [l.seq, l.ts, l.tsInvalid])).toEqual(bad.map((_, i) => [i, NOW, true]));
    expect((await linesOf("diagnostics-2026-09-06.jsonl"))[0]).not.toHaveProperty("tsInvalid");
    expect(w.stats()).toMatchObject({ written: bad.length + 1, badTs: bad.length });
    // and the sidecar reads them as events, not rejections
    for (const l of got) expect(parseLine({ source: "diagnostics", profile: "", path: "x.jsonl", offset: 0, line: JSON.stringify(l) }).kind).toBe("events");
    expect(formatLocalDate(NOW)).toBe("2026-11-21");
  });
});

/** Characters handed to the regex engine while `fn` runs: the largest single input and the sum. */
function regexInput<T>(fn: () => T): { result: T; max: number; total: number } {
  type Method = (this: RegExp, ...args: unknown[]) => unknown;
  const proto = RegExp.prototype as unknown as Record<typeof Symbol.replace | "test", Method>;
  const originals = { replace: proto[Symbol.replace], test: proto.test };
  let max = 0;
  let total = 0;
  const seen = (s: unknown) => { const n = String(s).length; max = Math.max(max, n); total += n; };
  proto[Symbol.replace] = function (...args) { seen(args[0]); return originals.replace.apply(this, args); };
  proto.test = function (...args) { seen(args[0]); return originals.test.apply(this, args); };
  try {
    return { result: fn(), max, total };
  } finally {
    proto[Symbol.replace] = originals.replace;
    proto.test = originals.test;
  }
}

/** A Proxy over `target` that counts the values read from it (indexed reads and key lookups). */
function counted<T extends object>(target: T, count: { reads: number }): T {
  return new Proxy(target, {
    get(t, k, r) { if (typeof k === "string" && k !== "length" && k !== "constructor") count.reads++; return Reflect.get(t, k, r); },
    getOwnPropertyDescriptor(t, k) { count.reads++; return Reflect.getOwnPropertyDescriptor(t, k); },
  });
}

describe("plugin_bounded_redaction", () => {
  // One pass is the hint test plus every rule; a cut string gets one more pass per closer (5).
  const PASSES = 6 * (RULES.length + 1);

  it("redacts at most a few KiB of a huge free-text field, and at most the per-event budget in all", () => {
    const huge = `upstream said: ${"lorem ipsum token=abc ".repeat(250_000)}`; // 5.5 MB
    const one = regexInput(() => eventToLine({ type: "webhook.error", ts: T0, seq: 1, channel: "telegram", error: huge }));
    expect(one.max).toBeLessThanOrEqual(4096);
    expect(one.total).toBeLessThanOrEqual(PASSES * 4096);
    expect(JSON.parse(one.result!).error).toMatch(/^upstream said: lorem ipsum token=\*\*\*/);
    const many = regexInput(() => eventToLine({ type: "diagnostic.liveness.warning", ts: T0, seq: 2, reasons: Array.from({ length: 2000 }, () => huge.slice(0, 100_000)) }));
    expect(many.max).toBeLessThanOrEqual(4096);
    expect(many.total).toBeLessThanOrEqual(PASSES * (MAX_FREE_CHARS + 4096));
  });

  it("reads a bounded number of elements of a huge array, a huge object and a wide nested structure", () => {
    const arr = { reads: 0 };
    eventToLine({ type: "diagnostic.liveness.warning", ts: T0, seq: 1, reasons: counted(Array.from({ length: 200_000 }, (_, i) => `r${i}`), arr) });
    expect(arr.reads).toBeLessThanOrEqual(100);
    const obj = { reads: 0 };
    eventToLine({ type: "model.usage", ts: T0, seq: 2, usage: counted(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])), obj) });
    expect(obj.reads).toBeLessThanOrEqual(256); // a key is looked up at most twice (enumerable? own?) and read once
    // 60 x 60 x 60 leaves through shared children: every level is within the per-array bound.
    const wide = { reads: 0 };
    const leaf = counted(Array.from({ length: 60 }, (_, i) => i), wide);
    const mid = counted(Array.from({ length: 60 }, () => leaf), wide);
    const top = counted(Array.from({ length: 60 }, () => mid), wide);
    eventToLine({ type: "model.usage", ts: T0, seq: 3, usage: { top } });
    expect(wide.reads).toBeLessThanOrEqual(1024);
  });

  it("leaves no part of a secret that runs across the cut", () => {
    const rand = prng(20);
    const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const secret = Array.from({ length: 3000 }, () => alnum[Math.floor(rand() * alnum.length)]).join("");
    // [what comes before the secret, what closes it]; the secret starts `kept` characters before the cut.
    const shapes: Array<[string, string]> = [
      ['"password": "', '"'], ["'client_secret': '", "'"], ['\\"apiKey\\":\\"', '\\"'], ['password="', '"'],
      ["https://ada:", "@db.example.com/x"], ["Authorization: Bearer ", ""], ["OPENAI_API_KEY=", ""], ["sk-ant-", ""],
    ];
    for (const [opener, closer] of shapes) {
      for (const kept of [1, 3, 5, 7, 9, 12, 40, 400]) {
        const filler = `${"word ".repeat(500).slice(0, 2047 - kept - opener.length)} `;
        const text = `${filler}${opener}${secret}${closer} and more text after it`;
        expect(redactSecrets(text).includes(opener + secret[0]), `the rules hide ${opener} in the whole text`).toBe(false);
        const error = JSON.parse(eventToLine({ type: "webhook.error", ts: T0, seq: 1, channel: "telegram", error: text })!).error as string;
        expect(error.length).toBeLessThanOrEqual(2049);
        expect(error.startsWith(filler)).toBe(true);
        expect(error.includes(opener + secret[0]), `${opener} with ${kept} characters before the cut`).toBe(false);
      }
    }
  });
});
