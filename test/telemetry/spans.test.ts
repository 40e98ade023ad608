import { SpanStatusCode } from "@opentelemetry/api";
import { hrTimeToMilliseconds } from "@opentelemetry/core";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { spanForEvent } from "../../src/telemetry/recording/spans.ts";

const TS = Date.UTC(2026, 8, 10, 12, 0, 0);
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

function spansOf(...events: OpenClawEvent[]) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer("openclaw");
  for (const ev of events) spanForEvent(tracer, ev);
  return exporter.getFinishedSpans();
}

describe("spans", () => {
  it("back-dates a completed event by its duration and parents it on the line's trace", () => {
    const [span] = spansOf({ ts: TS, origin: "jsonl", profile: "", traceId: TRACE, spanId: "00f067aa0ba902b7", type: "webhook.processed", channel: "telegram", updateType: "message", chatId: 99, durationMs: 250 });
    expect(span?.name).toBe("openclaw.webhook.processed");
    expect(hrTimeToMilliseconds(span!.startTime)).toBe(TS - 250);
    expect(hrTimeToMilliseconds(span!.endTime)).toBe(TS);
    expect(span?.spanContext().traceId).toBe(TRACE);
    expect(span?.parentSpanContext?.spanId).toBe("00f067aa0ba902b7");
    expect(span?.parentSpanContext?.isRemote).toBe(true);
  });

  it("exports no session, chat, message or run id", () => {
    const spans = spansOf(
      { ts: TS, origin: "jsonl", profile: "", type: "message.processed", channel: "telegram", sessionKey: "agent:main:main", sessionId: "sess-1", chatId: 42, messageId: 7, durationMs: 5, outcome: "completed" },
      { ts: TS, origin: "jsonl", profile: "", type: "model.usage", sessionKey: "agent:main:main", sessionId: "sess-1", usage: { input: 1 } },
      { ts: TS, origin: "log", profile: "", type: "model.all_failed", via: "summary", runId: "run-9" },
    );
    // First the spans themselves, carrying what the events said: an absent span would pass
    // the id check below without testing it.
    expect(spans.map((s) => s.name)).toEqual(["openclaw.message.processed", "openclaw.model.usage", "openclaw.model.all_failed"]);
    expect(spans[0]!.attributes).toMatchObject({ "openclaw.channel": "telegram", "openclaw.outcome": "completed" });
    expect(spans[1]!.attributes).toMatchObject({ "openclaw.tokens.input": 1 });
    expect(spans[2]!.attributes).toMatchObject({ "openclaw.all_failed.via": "summary" });
    const text = JSON.stringify(spans.map((s) => s.attributes));
    for (const id of ["sess-1", "agent:main", "run-9", "42", "chatId", "messageId", "sessionId"]) expect(text).not.toContain(id);
  });

  it("marks failures as ERROR with redacted text", () => {
    const [span] = spansOf({ ts: TS, origin: "jsonl", profile: "", type: "webhook.error", channel: "telegram", error: "401 for Bearer abcdefghijklmnopqrstuvwxyz" });
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toBe("401 for Bearer ***");
    expect(span?.attributes["openclaw.error"]).toBe("401 for Bearer ***");
  });

  it("joins the line's trace when it carries a trace id but no span id", () => {
    const [span] = spansOf({ ts: TS, origin: "log", profile: "", traceId: TRACE, type: "model.failover", reason: "timeout" });
    expect(span?.name).toBe("openclaw.model.failover");
    expect(span?.spanContext().traceId).toBe(TRACE);
  });

  it("starts a new trace when the line's trace id is malformed", () => {
    const [span] = spansOf({ ts: TS, origin: "log", profile: "", traceId: "not-a-trace", spanId: "xyz", type: "model.failover", reason: "timeout" });
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.spanContext().traceId).not.toBe("not-a-trace");
  });

  it("emits nothing for events that are not spans", () => {
    expect(spansOf({ ts: TS, origin: "jsonl", profile: "", type: "queue.lane.enqueue", lane: "main", queueSize: 1 })).toHaveLength(0);
  });
});
