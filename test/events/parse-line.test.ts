import { describe, expect, it } from "vitest";
import { parseLine } from "../../src/events/parse-line.ts";
import type { OpenClawEvent, ParseResult } from "../../src/events/types.ts";
import { tslogLine, type Style } from "../fixtures/build/envelopes.ts";

const AT = "2026-11-21T10:00:00.000Z";
const TS = Date.parse(AT);

function jsonl(obj: unknown, profile = ""): ParseResult {
  return parseLine({ source: "diagnostics", profile, path: "d.jsonl", offset: 0, line: typeof obj === "string" ? obj : JSON.stringify(obj) });
}
function log(line: string, profile = ""): ParseResult {
  return parseLine({ source: "log", profile, path: "o.log", offset: 0, line });
}
function sub(sub: string, args: unknown[], style: Style = "9.6", level: "DEBUG" | "INFO" | "WARN" | "ERROR" = "WARN", ctx?: Record<string, string>) {
  return log(tslogLine(style, { sub, level, at: AT, args, ...(ctx ? { ctx } : {}) }));
}
function one(r: ParseResult): OpenClawEvent {
  expect(r.kind).toBe("events");
  if (r.kind !== "events") throw new Error("no events");
  expect(r.events).toHaveLength(1);
  return r.events[0]!;
}

describe("parseLine on the diagnostic JSONL", () => {
  it("accepts session.stuck and keeps trace ids from the event's trace", () => {
    const ev = one(jsonl({ type: "session.stuck", ts: TS, seq: 4, state: "processing", ageMs: 130000, extra: 1, trace: { traceId: "a".repeat(32), spanId: "b".repeat(16) } }, "dev"));
    expect(ev).toEqual({ type: "session.stuck", ts: TS, origin: "jsonl", profile: "dev", traceId: "a".repeat(32), spanId: "b".repeat(16), state: "processing", ageMs: 130000 });
  });
  it("rejects a line that claims session.stuck without ageMs", () => {
    expect(jsonl({ type: "session.stuck", ts: TS, state: "processing" })).toEqual({ kind: "rejected", reason: "schema_mismatch", detail: "session.stuck: ageMs required" });
  });
  it("turns an unknown but well-formed type into diagnostic.other", () => {
    expect(one(jsonl({ type: "talk.event", ts: TS, talkEventType: "turn.ended" }))).toMatchObject({ type: "diagnostic.other", originalType: "talk.event" });
  });
  it("rejects invalid JSON as invalid_json", () => {
    expect(jsonl('{"type":"model.usage",')).toMatchObject({ kind: "rejected", reason: "invalid_json" });
  });
  it("rejects a ts that is not epoch milliseconds as invalid_timestamp", () => {
    const r = jsonl({ type: "queue.lane.enqueue", ts: "2026-11-21", lane: "main", queueSize: 1 });
    expect(r.kind === "rejected" && r.reason).toBe("invalid_timestamp");
  });
  it("flattens the memory object of diagnostic.memory.pressure", () => {
    const ev = one(jsonl({ type: "diagnostic.memory.pressure", ts: TS, level: "warning", reason: "rss_threshold", memory: { rssBytes: 5, heapUsedBytes: 3, externalBytes: 1 } }));
    expect(ev).toMatchObject({ rssBytes: 5, heapUsedBytes: 3 });
    expect(ev).not.toHaveProperty("memory");
  });
  it("redacts secrets in the error text of webhook.error", () => {
    const ev = one(jsonl({ type: "webhook.error", ts: TS, channel: "telegram", error: "401 Bearer abcdefghijklmnopqrstuvwxyz" }));
    expect(ev).toMatchObject({ error: "401 Bearer ***" });
  });
});

describe("parseLine on gateway log lines", () => {
  it("ignores an empty line and chatter from gateway/ws", () => {
    expect(log("")).toEqual({ kind: "ignored" });
    expect(sub("gateway/ws", ["ws ← req id=1 method=chat.history"], "9.6", "DEBUG")).toEqual({ kind: "ignored" });
  });
  it("rejects a torn line as invalid_json even for an uninteresting subsystem", () => {
    const line = tslogLine("9.6", { sub: "gateway/ws", level: "DEBUG", at: AT, args: ["x"] });
    expect(log(line.slice(0, 60))).toMatchObject({ kind: "rejected", reason: "invalid_json" });
  });
  it("rejects plain text and ANSI-coloured text, since these files have no raw text format", () => {
    expect(log("Gateway crashed")).toMatchObject({ kind: "rejected", reason: "invalid_json" });
    expect(log("\u001b[31mboom\u001b[0m")).toMatchObject({ kind: "rejected", reason: "invalid_json" });
  });
  it("reads a lane dequeue echo with origin echo", () => {
    expect(one(sub("diagnostic", ["lane dequeue: lane=main waitMs=12 queueSize=0"], "4.14", "DEBUG"))).toEqual({
      type: "queue.lane.dequeue", ts: TS, origin: "echo", profile: "", lane: "main", queueSize: 0, waitMs: 12,
    });
  });
  it("reads UTC Z times of 2026.2 and local offsets of later versions to the same instant", () => {
    const z = one(sub("diagnostic", ["lane enqueue: lane=main queueSize=1"], "2.2x", "DEBUG"));
    const off = one(sub("diagnostic", ["lane enqueue: lane=main queueSize=1"], "4.14", "DEBUG"));
    expect(z.ts).toBe(TS);
    expect(off.ts).toBe(TS);
  });
  it("rejects an echo whose template matches but whose numbers do not parse", () => {
    expect(sub("diagnostic", ["lane enqueue: lane=main queueSize=lots"])).toEqual({ kind: "rejected", reason: "schema_mismatch", detail: "queue.lane.enqueue: queueSize not a number" });
  });
  it("ignores diagnostic lines that carry no event, such as lane task done", () => {
    expect(sub("diagnostic", ["lane task done: lane=main durationMs=5 active=0 queued=0"])).toEqual({ kind: "ignored" });
  });
  it("reads the quoted error of a lane task error even when it contains quotes", () => {
    const ev = one(sub("diagnostic", ['lane task error: lane=main durationMs=9 error="Error: bad "x" value"'], "9.6", "ERROR"));
    expect(ev).toMatchObject({ type: "queue.lane.task_error", origin: "log", error: 'Error: bad "x" value', durationMs: 9 });
  });
  it("takes traceId and spanId from the top-level fields of 2026.4.26+ lines", () => {
    const ev = one(sub("diagnostic", ["lane enqueue: lane=main queueSize=1"], "9.6", "DEBUG", { traceId: "c".repeat(32), spanId: "d".repeat(16) }));
    expect(ev).toMatchObject({ traceId: "c".repeat(32), spanId: "d".repeat(16) });
  });
  it("derives model.failover only from candidate_failed with a next candidate", () => {
    const meta = { decision: "candidate_failed", candidateProvider: "a", candidateModel: "m1", reason: "rate_limit", status: 429, nextCandidateProvider: "b", nextCandidateModel: "m2" };
    expect(one(sub("model-fallback/decision", [meta, "model fallback decision"]))).toMatchObject({ type: "model.failover", fromProvider: "a", toProvider: "b", reason: "rate_limit", status: 429 });
    const { nextCandidateProvider: _p, nextCandidateModel: _m, ...last } = meta;
    expect(one(sub("model-fallback/decision", [{ ...last, attempt: 3 }, "model fallback decision"]))).toMatchObject({ type: "model.all_failed", via: "chain_end", attempts: 3 });
  });
  it("counts neither fallback_model nor continue_normal run decisions", () => {
    for (const decision of ["fallback_model", "continue_normal"]) {
      expect(sub("agent/embedded", [{ decision, provider: "a", model: "m" }, "embedded run failover decision"])).toEqual({ kind: "ignored" });
    }
  });
  it("maps rotate_profile and surface_error run decisions", () => {
    const base = { provider: "a", model: "m", failoverReason: "auth", runId: "r" };
    expect(one(sub("agent/embedded", [{ ...base, decision: "rotate_profile" }, "embedded run failover decision"])).type).toBe("auth.profile.rotation");
    expect(one(sub("agent/embedded", [{ ...base, decision: "surface_error" }, "embedded run failover decision"])).type).toBe("model.failover.surfaced");
  });
  it("counts a promoted Discord message and ignores its pattern-D copy", () => {
    const text = "discord gateway: Gateway reconnect scheduled in 1200ms (zombie, resume=true)";
    expect(log(tslogLine("4.14", { level: "DEBUG", at: AT, args: [{ message: text }, "verbose"] }))).toEqual({ kind: "ignored" });
    expect(one(sub("gateway/channels/discord", [text], "4.14", "INFO"))).toMatchObject({ type: "channel.discord.reconnect", reason: "zombie", resume: true, delayMs: 1200 });
  });
  it("strips ANSI codes before matching a Telegram reply failure", () => {
    const ev = one(sub("gateway/channels/telegram", ["\u001b[31mtelegram block reply failed: HttpError: Network request for 'sendMessage' failed!\u001b[39m"], "4.14", "ERROR"));
    expect(ev).toMatchObject({ type: "channel.telegram.network_error", phase: "send", method: "sendMessage" });
  });
  it("classifies model-fetch lines by status and error text", () => {
    const f = (t: string) => one(sub("provider-transport-fetch", [t], "9.6", "INFO"));
    expect(f("[model-fetch] response provider=p api=x model=m status=204 elapsedMs=5")).toMatchObject({ outcome: "success", status: 204 });
    expect(f("[model-fetch] response provider=p api=x model=m status=503 elapsedMs=5")).toMatchObject({ outcome: "http_error" });
    expect(f("[model-fetch] error provider=p api=x model=m message=LLM idle timeout (30s)")).toMatchObject({ outcome: "timeout" });
    expect(f("[model-fetch] error provider=p api=x model=m message=fetch failed")).toMatchObject({ outcome: "network_error" });
  });
  it("redacts an API key held in clear by a pre-4.25 summary line", () => {
    const r = log(tslogLine("4.14", { level: "ERROR", at: AT, args: ["Embedded agent failed before reply: All models failed (2): a/m: boom (auth) apiKey=sk-abcdefghijklmnopqrstuvwxyz123456"] }));
    expect(JSON.stringify(r)).not.toContain("sk-abcdefghij");
    // The reply runner's line is both the chain's summary and a failed turn (docs/events.md, Failed turns, once).
    expect(r).toMatchObject({ kind: "events", events: [
      { type: "model.all_failed", via: "summary", attempts: 2, lastReason: "auth" },
      { type: "agent.turn.failed", errorCode: "none", reason: "all_models_failed" },
    ] });
  });
  it("counts a reply runner's failed turn whatever the cause, and nothing for the CLI's gateway fallback line", () => {
    expect(one(log(tslogLine("4.14", { level: "ERROR", at: AT, args: ["Embedded agent failed before reply: Unknown model: openai/x"] }))))
      .toMatchObject({ type: "agent.turn.failed", errorCode: "none", reason: "other" });
    expect(one(log(tslogLine("4.14", { level: "ERROR", at: AT, args: ["Followup agent failed before reply: request timed out"] }))))
      .toMatchObject({ type: "agent.turn.failed", reason: "timeout" });
    expect(log(tslogLine("4.14", { level: "ERROR", at: AT, args: ["Gateway agent failed; falling back to embedded: Error: gateway closed (1000 normal closure): no close reason"] })))
      .toEqual({ kind: "ignored" });
  });
  it("turns the size-cap record and the 9.6 overflow marker into log.loss", () => {
    expect(log(JSON.stringify({ time: AT, level: "warn", subsystem: "logging", message: "log file size cap reached; suppressing writes" })))
      .toMatchObject({ kind: "events", events: [{ type: "log.loss", kind: "size_cap" }] });
    expect(log(JSON.stringify({ "0": "[openclaw] file log queue overflow; dropped 3 oldest records", _meta: { name: "openclaw" }, time: AT, dropped: 3 })))
      .toMatchObject({ kind: "events", events: [{ type: "log.loss", kind: "queue_overflow", dropped: 3 }] });
  });
  it("turns the companion plugin's sidecar.dropped marker into log.loss and rejects a bad count", () => {
    const jsonl = (line: string) => parseLine({ source: "diagnostics", profile: "", path: "d.jsonl", offset: 0, line });
    expect(jsonl('{"type":"sidecar.dropped","ts":1795255200000,"dropped":17}'))
      .toMatchObject({ kind: "events", events: [{ type: "log.loss", kind: "plugin_queue_overflow", dropped: 17, origin: "jsonl" }] });
    expect(jsonl('{"type":"sidecar.dropped","ts":1795255200000,"dropped":"many"}')).toMatchObject({ kind: "rejected", reason: "schema_mismatch" });
  });
  it("rejects a line too long for the tailer", () => {
    expect(parseLine({ source: "log", profile: "", path: "o.log", offset: 0, line: "", error: "line_too_long" })).toMatchObject({ kind: "rejected", reason: "line_too_long" });
  });
});
