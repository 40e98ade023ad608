/**
 * Every committed default-level capture (test/fixtures/real/<version>/, issue 8) replayed through
 * the sidecar's own pipeline: each derived count against the fake provider's record (per
 * provider/model/status) and the CLI's turns, and every relevant message template either
 * recognised or listed in capture-pins.ts with the reason it carries no event. A capture committed
 * without figures there fails; so does a new relevant template the parser ignores.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RELEVANT, templatesOf } from "../../scripts/openclaw-e2e/templates.ts";
import { parseLine } from "../../src/events/parse-line.ts";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { readFileLines } from "../../src/tail/file-reader.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { PINNED, type Counts, type Pinned } from "./capture-pins.ts";

const DIR = join(import.meta.dirname, "../fixtures/real");
const PROVIDER: Record<string, string> = { alpha: "fakea", beta: "fakeb", gamma: "fakec" };

/**
 * Plain-text counts of the capture's raw lines, one line per event, without the parser. A chain
 * end is a candidate_failed decision with no next candidate (OpenClaw's "All models failed"
 * summary of the same run is the same failure, counted once).
 */
const RAW_COUNTS: Record<string, (line: string) => boolean> = {
  "model.retry": (l) => l.includes("same-model retry"),
  "auth.profile.rotation_cap": (l) => l.includes("rotation cap reached"),
  "storage.slow": (l) => l.includes('"slow SQLite '),
  "auth.state.rewarm": (l) => l.includes("provider auth state re-warmed"),
  "pricing.fetch_failed": (l) => l.includes("pricing fetch failed"),
  "model.all_failed": (l) => l.includes('"decision":"candidate_failed"') && !l.includes('"nextCandidateProvider"'),
};

interface Rec { model: string; status: number }
interface Turn { ok: boolean }
const key = (provider: string | undefined, model: string | undefined, status: number | string | undefined) => `${provider}/${model}/${status}`;
const bump = (c: Counts, k: string, n = 1) => { c[k] = (c[k] ?? 0) + n; };

function logText(version: string): string {
  const log = readdirSync(join(DIR, version)).find((f) => f.endsWith(".log")) ?? "";
  return readFileSync(join(DIR, version, log), "utf8");
}

function captures(): string[] {
  return readdirSync(DIR).filter((d) => /^\d{4}\.\d+\.\d+$/.test(d) && existsSync(join(DIR, d, "provider-record.json"))).sort();
}

async function replay(version: string): Promise<OpenClawEvent[]> {
  const events: OpenClawEvent[] = [];
  const pipeline = new Pipeline({ store: new MetricStore(), onEvent: (ev) => events.push(ev) });
  const log = readdirSync(join(DIR, version)).find((f) => f.endsWith(".log")) ?? "";
  await readFileLines(join(DIR, version, log), "log", "", (r) => pipeline.handle(r));
  return events;
}

describe("the committed default-level captures", () => {
  it("each have pinned figures here", () => {
    expect(captures().length).toBeGreaterThan(0);
    for (const v of captures()) expect(Object.keys(PINNED), v).toContain(v);
  });
});

describe.each(captures())("capture %s replayed", (version) => {
  const pin = PINNED[version] as Pinned;
  const record = JSON.parse(readFileSync(join(DIR, version, "provider-record.json"), "utf8")) as Rec[];
  const turns = JSON.parse(readFileSync(join(DIR, version, "turns.json"), "utf8")) as Turn[];

  it("counts model.fetch per provider/model/status equal to the provider's record (or pins it as not in this version)", async () => {
    if (pin.fetchLogs === "none") {
      expect(pin.notInVersion["model.fetch"], "a version without [model-fetch] lines must say so").toBeDefined();
      expect(logText(version)).not.toContain("[model-fetch]");
    }
    const truth: Counts = {};
    if (pin.fetchLogs !== "none") for (const r of record) if (pin.fetchLogs === "all" || r.status !== 200) bump(truth, key(PROVIDER[r.model], r.model, r.status === -1 ? "timeout" : r.status));
    const got: Counts = {};
    for (const e of await replay(version)) if (e.type === "model.fetch") bump(got, key(e.provider, e.model, e.status ?? e.outcome));
    expect(got).toEqual(truth);
  });

  it("counts failed attempts (model.call.error) per provider/model/status equal to the record's failures, less the pinned gap", async () => {
    const truth: Counts = {};
    for (const r of record) if (r.status !== 200) bump(truth, key(PROVIDER[r.model], r.model, r.status));
    for (const [k, n] of Object.entries(pin.callErrorGap)) bump(truth, k, -n);
    for (const k of Object.keys(truth)) if (truth[k] === 0) delete truth[k];
    const got: Counts = {};
    for (const e of await replay(version)) if (e.type === "model.call.error") bump(got, key(e.provider, e.model, e.status));
    expect(got).toEqual(truth);
  });

  it("explains the failed-attempt gap (none on 9.6) as the provider client's re-sends, by the record's own timing", () => {
    const resent: Counts = {};
    const last = new Map<string, number>();
    for (const r of record as (Rec & { t: number; keyTail: string })[]) {
      const k = `${r.model}/${r.keyTail}/${r.status}`;
      const prev = last.get(k);
      if (r.status !== 200 && prev !== undefined && r.t - prev < (pin.resendWithinMs ?? 1000)) bump(resent, key(PROVIDER[r.model], r.model, r.status));
      last.set(k, r.t);
    }
    expect(resent).toEqual(pin.callErrorGap);
  });

  it("shows none of the figures this version cannot write, each with a reason", async () => {
    const got: Counts = Object.fromEntries(Object.keys(pin.notInVersion).map((t) => [t, 0]));
    for (const e of await replay(version)) if (e.type in got) bump(got, e.type);
    expect(got).toEqual(Object.fromEntries(Object.keys(pin.notInVersion).map((t) => [t, 0])));
    for (const [t, why] of Object.entries(pin.notInVersion)) expect(why.length, t).toBeGreaterThan(20);
  });

  it("gives each failed attempt the status its [model-fetch] line saw, beside OpenClaw's reason", async () => {
    const events = await replay(version);
    const fetched = new Map<string, number | undefined>();
    for (const e of events) if (e.type === "model.fetch") fetched.set(`${e.traceId}/${e.spanId}`, e.status);
    const paired = events.filter((e) => e.type === "model.call.error" && fetched.has(`${e.traceId}/${e.spanId}`));
    if (pin.fetchLogs === "none") {
      // Not in this version: no [model-fetch] line (and no trace ids) to pair with. The status
      // is then only the head of rawErrorPreview: every failed attempt must still carry one.
      expect(paired).toEqual([]);
      const calls = events.filter((e) => e.type === "model.call.error");
      expect(calls.length).toBeGreaterThan(0);
      for (const e of calls) if (e.type === "model.call.error") expect(e.status, JSON.stringify(e)).toBeTypeOf("number");
    } else expect(paired.length).toBeGreaterThan(0);
    for (const e of paired) if (e.type === "model.call.error") expect(e.status).toBe(fetched.get(`${e.traceId}/${e.spanId}`));
    // The quota phase (9.6, 4.24): the provider said 402, OpenClaw says rate_limit; both are kept.
    if (record.some((r) => r.status === 402)) {
      expect(events.some((e) => e.type === "model.call.error" && e.status === 402 && e.reason === "rate_limit")).toBe(true);
    }
  });

  it("counts each failed turn once (the gateway's res ✗, not the CLI's own lines), less the pinned gap", async () => {
    const failed = (await replay(version)).filter((e) => e.type === "agent.turn.failed");
    expect(failed.length).toBe(turns.filter((t) => !t.ok).length - pin.turnGap);
    for (const e of failed) if (e.type === "agent.turn.failed") expect(e.reason).toBe("all_models_failed");
  });

  it("counts retries, rotation caps, slow storage, re-warms and chain ends as the raw lines show them (and as pinned)", async () => {
    const lines = logText(version).split("\n");
    const raw: Counts = {};
    for (const [type, match] of Object.entries(RAW_COUNTS)) {
      const n = lines.filter(match).length;
      if (n > 0) raw[type] = n;
    }
    expect(raw, "raw line counts against the pinned figures").toEqual(pin.other);
    const got: Counts = {};
    for (const e of await replay(version)) if (e.type in RAW_COUNTS) bump(got, e.type);
    expect(got).toEqual(raw);
  });

  it("recognises every relevant template, or says here why it carries no event", () => {
    const log = readdirSync(join(DIR, version)).find((f) => f.endsWith(".log")) ?? "";
    const { templates } = templatesOf(readFileSync(join(DIR, version, log), "utf8"));
    const ignored: string[] = [];
    for (const t of templates) {
      if (!RELEVANT.test(t.template)) continue;
      const r = parseLine({ source: "log", profile: "", path: log, offset: 0, line: t.example }, () => Date.parse("2100-01-01"));
      expect(r.kind, t.template).not.toBe("rejected");
      if (r.kind === "ignored") ignored.push(t.template);
    }
    const listed = Object.keys(pin.ignored);
    const unexplained = ignored.filter((t) => !listed.some((start) => t.startsWith(start)));
    expect(unexplained, "relevant templates the parser ignores: recognise them or say why here").toEqual([]);
    const stale = listed.filter((start) => !ignored.some((t) => t.startsWith(start)));
    expect(stale, "listed as ignored but not (any more) in the capture, or now recognised").toEqual([]);
  });
});
