/**
 * Issue 19's lines: what a default-level log says about a turn's success or failure, and the
 * lines the held-out captures found misread. Each expected value is read off the line itself.
 */
import { describe, expect, it } from "vitest";
import { parseLine } from "../../src/events/parse-line.ts";
import type { OpenClawEvent, ParseResult } from "../../src/events/types.ts";
import { tslogLine } from "../fixtures/build/envelopes.ts";

const AT = "2026-11-30T04:45:51.920Z";
const log = (line: string): ParseResult => parseLine({ source: "log", profile: "", path: "o.log", offset: 0, line });
const sub = (s: string, args: unknown[], level: "DEBUG" | "INFO" | "WARN" | "ERROR" = "WARN") => log(tslogLine("9.6", { sub: s, level, at: AT, args }));
function events(r: ParseResult): OpenClawEvent[] {
  expect(r.kind, JSON.stringify(r)).toBe("events");
  return r.kind === "events" ? r.events : [];
}
const decision = (fields: Record<string, unknown>) => sub("model-fallback/decision", [{ event: "model_fallback_decision", runId: "r-1", requestedProvider: "fakea", requestedModel: "alpha", ...fields }, "model fallback decision"]);

describe("a turn's end at the default level", () => {
  it("an answered run is agent.turn.completed with its stop reason and run id", () => {
    expect(events(sub("agents/agent-command", ["[agent] run 22fa1cf2-3710-4081-a8e7-bf953d7e61e0 ended with stopReason=stop"], "INFO")))
      .toMatchObject([{ type: "agent.turn.completed", stopReason: "stop", runId: "22fa1cf2-3710-4081-a8e7-bf953d7e61e0" }]);
  });
  it("a run that ended in error or was aborted is no completion", () => {
    for (const r of ["error", "aborted", "timeout"]) {
      expect(sub("agents/agent-command", [`[agent] run r-2 ended with stopReason=${r}`], "ERROR")).toEqual({ kind: "ignored" });
    }
  });
  it("candidate_succeeded names the fallback that answered and the model asked for", () => {
    expect(events(decision({ decision: "candidate_succeeded", candidateProvider: "fakeb", candidateModel: "beta", attempt: 2, total: 3 })))
      .toMatchObject([{ type: "model.candidate.succeeded", provider: "fakeb", model: "beta", requestedProvider: "fakea", requestedModel: "alpha", runId: "r-1" }]);
  });
  it("the verbose ws lifecycle event of a failed run is a failed turn", () => {
    expect(events(sub("gateway/ws", ["→ event agent run=8bcaee65…6fb6 stream=lifecycle aseq=9 phase=error error=⚠️ Agent run failed: tool loop"], "INFO")))
      .toMatchObject([{ type: "agent.turn.failed", errorCode: "none", reason: "other", via: "ws_event" }]);
    expect(sub("gateway/ws", ["→ event agent run=8bcaee65…6fb6 stream=lifecycle aseq=9 phase=end"], "INFO")).toEqual({ kind: "ignored" });
  });
});

describe("every model failing, from the chain", () => {
  it("a one-candidate chain that fails (a turn pinned with --model) is not every model failing", () => {
    expect(decision({ decision: "candidate_failed", candidateProvider: "fakea", candidateModel: "alpha", attempt: 1, total: 1, reason: "format", status: 400 })).toEqual({ kind: "ignored" });
  });
  it("a chain of three ending in candidate_failed is", () => {
    expect(events(decision({ decision: "candidate_failed", candidateProvider: "fakec", candidateModel: "gamma", attempt: 3, total: 3, reason: "overloaded" })))
      .toMatchObject([{ type: "model.all_failed", via: "chain_end", last: "failed", attempts: 3 }]);
  });
  it("a chain whose last candidate is skipped (its keys all cooling down) ends in every model failing too", () => {
    const evs = events(decision({ decision: "skip_candidate", candidateProvider: "fakeb", candidateModel: "beta", attempt: 2, total: 2, reason: "rate_limit" }));
    expect(evs.map((e) => e.type)).toEqual(["auth.provider.unavailable", "model.all_failed"]);
    expect(evs[1]).toMatchObject({ via: "chain_end", last: "skipped", attempts: 2 });
    // A skip before the last candidate is only a skip.
    expect(events(decision({ decision: "skip_candidate", candidateProvider: "fakea", candidateModel: "alpha", attempt: 1, total: 2, reason: "rate_limit" })).map((e) => e.type))
      .toEqual(["auth.provider.unavailable"]);
  });
});

describe("lines the held-out captures found misread", () => {
  it("message processed with channel=unknown (a heartbeat turn) is accepted, its channel kept", () => {
    const r = sub("diagnostic", ["message processed: channel=unknown chatId=heartbeat messageId=m-1 sessionId=s-1 sessionKey=agent:main:main outcome=completed duration=1200ms"], "DEBUG");
    expect(events(r)).toMatchObject([{ type: "message.processed", channel: "unknown", outcome: "completed", durationMs: 1200 }]);
  });
  it("7.35's raw JSON body gives its status by error type", () => {
    const body = '{"type":"error","error":{"type":"billing_error","message":"Your credit balance is too low"},"request_id":"req_1"}';
    const r = sub("agent/embedded", [{ event: "embedded_run_agent_end", runId: "r-3", isError: true, provider: "fakea", model: "alpha", failoverReason: "billing", rawErrorPreview: body }, "embedded run agent end"]);
    expect(events(r)).toMatchObject([{ type: "model.call.error", status: 402, reason: "billing" }]);
    const rl = sub("agent/embedded", [{ event: "embedded_run_agent_end", runId: "r-4", isError: true, provider: "fakea", model: "alpha", failoverReason: "rate_limit", rawErrorPreview: body.replace("billing_error", "rate_limit_error") }, "embedded run agent end"]);
    expect(events(rl)).toMatchObject([{ status: 429 }]);
  });
  it("the SQLite coordinator lock wait is storage.slow lock_wait", () => {
    const r = sub("sqlite/transaction", [{ async: false, database: "agent", elapsedMs: 340, isMainThread: true, operation: "session.write", thresholdMs: 100 }, "slow SQLite coordinator lock wait"]);
    expect(events(r)).toMatchObject([{ type: "storage.slow", kind: "lock_wait", elapsedMs: 340 }]);
  });
});
