/**
 * Every committed default-level capture (test/fixtures/real/<version>/, issue 8) replayed through
 * the sidecar's own pipeline: each derived count against the fake provider's record (per
 * provider/model/status) and the CLI's turns, and every relevant message template either
 * recognised or listed here with the reason it carries no event. A capture committed without
 * figures here fails; so does a new relevant template the parser ignores.
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

const DIR = join(import.meta.dirname, "../fixtures/real");
const PROVIDER: Record<string, string> = { alpha: "fakea", beta: "fakeb", gamma: "fakec" };

type Counts = Record<string, number>;
interface Pinned {
  /** [model-fetch] response lines: every request (7.x), only non-2xx ones (9.6), none (4.24). */
  fetchLogs: "all" | "non_2xx" | "none";
  /**
   * Failed attempts the record has but the log has no agent-end record for, and why. Checked for
   * every version against the record's own timing: the gap is the provider client re-sending a
   * failed request itself (no agent-end of its own), so per model/status it equals the record's
   * requests answered the same as the same key's previous one < 1 s before.
   */
  callErrorGap: Counts;
  /** Event types this version's default-level log cannot show, each with why; pinned at 0. */
  notInVersion: Record<string, string>;
  /**
   * How soon after the same key's previous request a same-status request counts as the client's
   * re-send (default 1000 ms). The SDK waits ~0.5 s, then ~1 s with jitter.
   */
  resendWithinMs?: number;
  /** Failed turns of turns.json the gateway never answered with `res ✗` (the CLI gave up first). */
  turnGap: number;
  /**
   * Counts with no ground truth outside the log (the fake provider sees requests, not the
   * gateway's retry, rotation, storage or re-warm decisions): regression pins, as the capture
   * report lists them. Each is also counted from the raw lines by its message text (RAW_COUNTS),
   * independently of the parser, and must agree.
   */
  other: Counts;
  /** Starts of the relevant templates (masked, as templates.ts prints them) that carry no event, each with why. */
  ignored: Record<string, string>;
}

const COMMON_IGNORED: Record<string, string> = {
  "embedded run failover decision {event=embedded_run_failover_decision decision=fallback_model}": "the same switch as its model fallback decision line, counted there (docs/events.md, Counting once)",
  "starting channels and sidecars...": "start-up text ('channels' matched the vocabulary)",
  "started (interval: ": "health monitor start-up",
};

const PINNED: Record<string, Pinned> = {
  "2026.4.24": {
    fetchLogs: "none",
    // 4.24 logs one agent-end record per attempt, but its provider client re-sends each 429 and
    // 5xx once, ~0.5 s later, without a line (retry.provider.maxRetries: 1): 2 requests per
    // record. 401/402/403 are not re-sent.
    callErrorGap: { "fakea/alpha/429": 32, "fakeb/beta/429": 27, "fakec/gamma/503": 4 },
    // The one failed turn (all_failing-1) ran embedded in the CLI after a ws handshake timeout;
    // its reply runner's `Embedded agent failed before reply` is counted, so no gap.
    turnGap: 0,
    // Rotation caps: 8 lines (storm 2 turns x 2 models, all_failing CLI run x 2 models, the
    // gateway's late all_failing run x 1, quota x 1). all_failed: the CLI run's chain end, its
    // summary line deduplicated; the gateway's late run never finished.
    other: { "auth.profile.rotation_cap": 8, "pricing.fetch_failed": 2, "model.all_failed": 1 },
    notInVersion: {
      "model.fetch": "4.24 writes no [model-fetch] lines at any level: the failed attempt's status is read from rawErrorPreview",
      "model.retry": "4.24 writes no same-model retry line: its retries show only as repeated agent-end records and the unlogged client re-sends",
      "auth.state.rewarm": "no auth re-warm line before 7.x",
      "storage.slow": "no SQLite session store before 8.2",
    },
    ignored: {
      ...COMMON_IGNORED,
      "Gateway agent failed; falling back to embedded": "the CLI running the turn itself; its attempts are counted from their own lines and a failure from its reply runner's line",
      "gateway connect failed: Error: gateway closed": "the CLI's side of the same fallback (one per connect try)",
      "handshake timeout conn=": "the gateway too busy to finish a client's ws handshake (harness host load); the turn it pushed into the CLI is counted from its own lines; no event type for gateway stalls yet",
      "[channels] failed to load bundled channel qqbot": "a bundled, unconfigured channel plugin whose runtime deps were being staged by another process (ENOTEMPTY in the harness's stage dir); no configured channel affected",
    },
  },
  "2026.9.6": {
    fetchLogs: "non_2xx", callErrorGap: {}, turnGap: 0,
    notInVersion: {
      "auth.state.rewarm": "9.6 writes no auth re-warm line (captures report)",
      "pricing.fetch_failed": "9.6 writes no pricing fetch line (its remote catalog refresh is not one)",
    },
    other: { "model.retry": 7, "auth.profile.rotation_cap": 3, "storage.slow": 9, "model.all_failed": 1 },
    ignored: {
      ...COMMON_IGNORED,
      "[openclaw] The CLI command failed.": "the CLI's line about a turn the gateway's res ✗ already counts (docs/events.md, Failed turns, once)",
      "[openclaw] Reason: All models failed": "the CLI's line about the same failed turn",
      "gateway startup outcomes: ": "start-up summary",
      "remote model catalog refresh failed": "a model catalogue refresh (no network in the harness), not pricing; no metric wanted yet",
      "memory_index_chunks_vec not updated": "memory plugin without embeddings (harness setup)",
    },
  },
  "2026.7.35": {
    fetchLogs: "all",
    // The all_failing turn reached gamma once; the provider client sent that request 3 times (at
    // +0, +488 and +1513 ms: the second re-send 1025 ms after the first, hence the window), a
    // [model-fetch] pair each, and the run wrote one agent-end record. The record's timing shows
    // it (the re-send check below). (The first 7.35 capture, 2026-11-30, had the CLI's embedded
    // re-runs too: 4 re-sends there.)
    callErrorGap: { "fakec/gamma/503": 2 },
    resendWithinMs: 1100,
    // The one failed turn (all_failing-1): its chain end (chain_exhausted) and the gateway's res ✗
    // name the same run; counted once. With the CLI's --timeout at 300 s no turn timed out in the CLI.
    turnGap: 0,
    notInVersion: {
      "storage.slow": "no SQLite session store before 8.2",
      "pricing.fetch_failed": "7.35 writes no pricing fetch line (captures report)",
    },
    other: { "model.retry": 18, "auth.profile.rotation_cap": 7, "auth.state.rewarm": 8, "model.all_failed": 1 },
    ignored: {
      ...COMMON_IGNORED,
      "GatewayClientRequestError: FallbackSummaryError: All models failed": "the CLI's line about the failed turn the gateway's res ✗ counts",
      "agent runtime plugins pre-warmed in <n>ms": "start-up ('re-warm' matched the vocabulary)",
      "[model-fetch] start ": "the request's start; its response line is counted",
    },
  },
  "2026.8.2": {
    fetchLogs: "all",
    // As on 7.35: the provider client re-sent gamma's 503 twice (+450 and +1442 ms), without an
    // agent-end record of its own.
    callErrorGap: { "fakec/gamma/503": 2 },
    turnGap: 0,
    notInVersion: {
      "pricing.fetch_failed": "8.2 writes no pricing fetch line (its remote catalog refresh is not one)",
    },
    other: { "model.retry": 18, "auth.profile.rotation_cap": 7, "auth.state.rewarm": 8, "model.all_failed": 1 },
    ignored: {
      ...COMMON_IGNORED,
      "[openclaw] Reason: All models failed": "the CLI's line about the failed turn the gateway's res ✗ counts",
      "gateway startup outcomes: ": "start-up summary",
      "remote model catalog refresh failed": "a model catalogue refresh (no network in the harness), not pricing; no metric wanted yet",
      "memory sync failed (session": "the memory plugin finds no embedding provider among the fake ones (harness setup)",
      "[model-fetch] start ": "the request's start; its response line is counted",
    },
  },
};

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
