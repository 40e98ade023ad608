/**
 * Text echoes of diagnostic events written by the `diagnostic` subsystem (docs/openclaw-formats.md
 * §2.3, templates of 2026.4.12 and the 9.6 changes), plus the `diagnostic.memory.pressure`
 * echo of `gateway/diagnostics/memory`. They get origin "echo" so the deduper can drop them
 * where the same gateway's diagnostic JSONL covers their time (jsonl-coverage.ts). The `lane wait exceeded` / `lane task
 * error` lines of the same subsystem carry no diagnostic event: they are derived (origin "log").
 *
 * A template that matches but whose values do not parse throws EchoMismatch (-> rejected
 * schema_mismatch). Templates that carry no event (`lane task done`, `active runs`, …) give null.
 */
import type { EventBase, OpenClawEvent } from "./types.ts";
import { durationMs, EchoMismatch, oneOf, optNum, optStr, parseKv, reqNum, reqStr, type Kv } from "./kv.ts";
import { redactOpt, redactSecrets } from "../redact/redact.ts";

type Maker = (kv: Kv, base: EventBase) => OpenClawEvent;

const echo = (base: EventBase): EventBase => ({ ...base, origin: "echo" });
const log = (base: EventBase): EventBase => ({ ...base, origin: "log" });
const session = (kv: Kv) => ({ sessionId: optStr(kv, "sessionId"), sessionKey: optStr(kv, "sessionKey") });

/** `lastProgressAge=416s`, read leniently: an odd value must not cost the warning itself. */
const progressAgeMs = (kv: Kv): number | undefined => {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(optStr(kv, "lastProgressAge") ?? "");
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
};

function attention(kv: Kv, what: string) {
  return {
    ...session(kv),
    state: optStr(kv, "state"),
    ageMs: Math.round(reqNum(kv, "age", what, "s") * 1000),
    queueDepth: optNum(kv, "queueDepth", what),
    reason: redactOpt(optStr(kv, "reason")),
    classification: optStr(kv, "classification"),
    activeWorkKind: optStr(kv, "activeWorkKind"),
    lastProgressAgeMs: progressAgeMs(kv),
  };
}

function heartbeatCounts(kv: Kv) {
  const parts = reqStr(kv, "webhooks", "diagnostic.heartbeat").split("/").map(Number);
  const [received, processed, errors] = parts;
  if (parts.length !== 3 || received === undefined || processed === undefined || errors === undefined || parts.some((x) => !Number.isFinite(x))) {
    throw new EchoMismatch("diagnostic.heartbeat: webhooks not a/b/c");
  }
  return { received, processed, errors };
}

const OTHER = (originalType: string): Maker => (_kv, b) => ({ type: "diagnostic.other", ...echo(b), originalType });

/** Template head (text before the first ": ") -> event maker. */
const TEMPLATES: Record<string, Maker> = {
  "webhook received": (kv, b) => ({
    type: "webhook.received", ...echo(b), channel: reqStr(kv, "channel", "webhook.received"),
    updateType: optStr(kv, "type"), chatId: optStr(kv, "chatId"),
  }),
  "webhook processed": (kv, b) => ({
    type: "webhook.processed", ...echo(b), channel: reqStr(kv, "channel", "webhook.processed"),
    updateType: optStr(kv, "type"), chatId: optStr(kv, "chatId"), durationMs: optNum(kv, "duration", "webhook.processed", "ms"),
  }),
  "webhook error": (kv, b) => ({
    type: "webhook.error", ...echo(b), channel: reqStr(kv, "channel", "webhook.error"),
    updateType: optStr(kv, "type"), chatId: optStr(kv, "chatId"), error: redactSecrets(kv["error"] ?? "unknown"),
  }),
  "message queued": (kv, b) => ({
    type: "message.queued", ...echo(b), ...session(kv), source: reqStr(kv, "source", "message.queued"),
    queueDepth: optNum(kv, "queueDepth", "message.queued"),
  }),
  "message processed": (kv, b) => ({
    // `channel=unknown` is a real value here (heartbeat turns, 9.6), not a missing field.
    type: "message.processed", ...echo(b), ...session(kv), channel: kv["channel"] || reqStr(kv, "channel", "message.processed"),
    chatId: optStr(kv, "chatId"), messageId: optStr(kv, "messageId"),
    outcome: oneOf(kv, "outcome", "message.processed", ["completed", "skipped", "error"] as const),
    durationMs: optNum(kv, "duration", "message.processed", "ms"),
    reason: redactOpt(optStr(kv, "reason")), error: redactOpt(kv["error"]),
  }),
  "session state": (kv, b) => ({
    type: "session.state", ...echo(b), ...session(kv), prevState: optStr(kv, "prev"),
    state: reqStr(kv, "new", "session.state"), reason: redactOpt(optStr(kv, "reason")),
    queueDepth: optNum(kv, "queueDepth", "session.state"),
  }),
  "stuck session": (kv, b) => ({
    type: "session.stuck", ...echo(b), ...attention(kv, "session.stuck"), state: reqStr(kv, "state", "session.stuck"),
  }),
  "stalled session": (kv, b) => ({ type: "session.stalled", ...echo(b), ...attention(kv, "session.stalled") }),
  "long-running session": (kv, b) => ({ type: "session.long_running", ...echo(b), ...attention(kv, "session.long_running") }),
  "run attempt": (kv, b) => ({
    type: "run.attempt", ...echo(b), ...session(kv), runId: reqStr(kv, "runId", "run.attempt"),
    attempt: reqNum(kv, "attempt", "run.attempt"),
  }),
  "tool loop": (kv, b) => ({
    type: "tool.loop", ...echo(b), ...session(kv), toolName: reqStr(kv, "tool", "tool.loop"),
    level: oneOf(kv, "level", "tool.loop", ["warning", "critical"] as const),
    action: oneOf(kv, "action", "tool.loop", ["warn", "block"] as const),
    detector: reqStr(kv, "detector", "tool.loop"), count: reqNum(kv, "count", "tool.loop"),
    pairedToolName: optStr(kv, "pairedTool"), message: redactOpt(kv["message"]),
  }),
  heartbeat: (kv, b) => ({
    type: "diagnostic.heartbeat", ...echo(b), webhooks: heartbeatCounts(kv),
    active: reqNum(kv, "active", "diagnostic.heartbeat"), waiting: reqNum(kv, "waiting", "diagnostic.heartbeat"),
    queued: reqNum(kv, "queued", "diagnostic.heartbeat"),
  }),
  "lane enqueue": (kv, b) => ({
    type: "queue.lane.enqueue", ...echo(b), lane: reqStr(kv, "lane", "queue.lane.enqueue"),
    queueSize: reqNum(kv, "queueSize", "queue.lane.enqueue"),
  }),
  "lane dequeue": (kv, b) => ({
    type: "queue.lane.dequeue", ...echo(b), lane: reqStr(kv, "lane", "queue.lane.dequeue"),
    queueSize: reqNum(kv, "queueSize", "queue.lane.dequeue"), waitMs: reqNum(kv, "waitMs", "queue.lane.dequeue"),
  }),
  "lane wait exceeded": (kv, b) => ({
    type: "queue.lane.wait_exceeded", ...log(b), lane: reqStr(kv, "lane", "queue.lane.wait_exceeded"),
    waitedMs: reqNum(kv, "waitedMs", "queue.lane.wait_exceeded"), queueAhead: optNum(kv, "queueAhead", "queue.lane.wait_exceeded"),
  }),
  "lane task error": (kv, b) => ({
    type: "queue.lane.task_error", ...log(b), lane: reqStr(kv, "lane", "queue.lane.task_error"),
    durationMs: optNum(kv, "durationMs", "queue.lane.task_error"), error: redactSecrets(kv["error"] ?? "unknown"),
  }),
  "liveness warning": (kv, b) => {
    const w = "diagnostic.liveness.warning";
    const interval = optStr(kv, "interval");
    const intervalMs = interval === undefined ? undefined : durationMs(interval);
    if (interval !== undefined && intervalMs === undefined) throw new EchoMismatch(`${w}: interval not a duration`);
    return {
      type: w, ...echo(b), reasons: reqStr(kv, "reasons", w).split(","), intervalMs,
      eventLoopDelayP99Ms: optNum(kv, "eventLoopDelayP99Ms", w), eventLoopDelayMaxMs: optNum(kv, "eventLoopDelayMaxMs", w),
      eventLoopUtilization: optNum(kv, "eventLoopUtilization", w), cpuCoreRatio: optNum(kv, "cpuCoreRatio", w),
      active: optNum(kv, "active", w), waiting: optNum(kv, "waiting", w), queued: optNum(kv, "queued", w),
    };
  },
  // 9.6 message-flow echoes: diagnostic types we do not model, counted by type downstream.
  "message received": OTHER("message.received"),
  "message dispatch started": OTHER("message.dispatch.started"),
  "message dispatch completed": OTHER("message.dispatch.completed"),
};

/** The `diagnostic` subsystem's line -> event, null when the template carries none. */
export function parseDiagnosticEcho(text: string, base: EventBase): OpenClawEvent | null {
  const colon = text.indexOf(": ");
  if (colon === -1) return null;
  const make = TEMPLATES[text.slice(0, colon)];
  return make === undefined ? null : make(parseKv(text, colon + 2), base);
}

/** `memory pressure: level=… reason=… rssBytes=… heapUsedBytes=…` (gateway/diagnostics/memory, 9.6). */
export function parseMemoryPressure(text: string, base: EventBase): OpenClawEvent | null {
  if (!text.startsWith("memory pressure: ")) return null;
  const kv = parseKv(text, 17);
  const w = "diagnostic.memory.pressure";
  return {
    type: w, ...echo(base), level: oneOf(kv, "level", w, ["warning", "critical"] as const),
    reason: reqStr(kv, "reason", w), rssBytes: optNum(kv, "rssBytes", w),
    heapUsedBytes: optNum(kv, "heapUsedBytes", w), thresholdBytes: optNum(kv, "thresholdBytes", w),
  };
}
