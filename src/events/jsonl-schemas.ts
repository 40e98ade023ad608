/**
 * zod schemas for the diagnostic JSONL written by our companion plugin: one event per line,
 * `{type, ts, seq, ...fields, trace?}` (docs/openclaw-formats.md §2.2). A discriminated union on `type`
 * covers the 13 original types and the later ones types.ts models; any other well-formed type
 * becomes diagnostic.other. Objects strip unknown keys (OpenClaw keeps adding fields): never
 * `.strict()`.
 */
import { z } from "zod";
import type { EventBase, EventOf } from "./types.ts";

const str = z.string();
const num = z.number();
const idLike = z.union([z.string(), z.number()]);
const ts = z.number();
const sessionRef = { sessionKey: str.optional(), sessionId: str.optional() };
const attention = {
  ...sessionRef, state: str.optional(), ageMs: num, queueDepth: num.optional(), reason: str.optional(),
  classification: str.optional(), activeWorkKind: str.optional(), lastProgressAgeMs: num.optional(),
};
const outcome3 = z.enum(["completed", "skipped", "error"]);

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ts, ...shape });

export const schemas = {
  "model.usage": ev("model.usage", {
    ...sessionRef, channel: str.optional(), agentId: str.optional(), provider: str.optional(), model: str.optional(),
    usage: z.object({
      input: num.optional(), output: num.optional(), cacheRead: num.optional(), cacheWrite: num.optional(),
      promptTokens: num.optional(), total: num.optional(),
    }),
    context: z.object({ limit: num.optional(), used: num.optional() }).optional(),
    costUsd: num.optional(), durationMs: num.optional(),
  }),
  "webhook.received": ev("webhook.received", { channel: str, updateType: str.optional(), chatId: idLike.optional() }),
  "webhook.processed": ev("webhook.processed", { channel: str, updateType: str.optional(), chatId: idLike.optional(), durationMs: num.optional() }),
  "webhook.error": ev("webhook.error", { channel: str, updateType: str.optional(), chatId: idLike.optional(), error: str }),
  "message.queued": ev("message.queued", { ...sessionRef, channel: str.optional(), source: str, queueDepth: num.optional() }),
  "message.processed": ev("message.processed", {
    ...sessionRef, channel: str, messageId: idLike.optional(), chatId: idLike.optional(), durationMs: num.optional(),
    outcome: outcome3, reason: str.optional(), error: str.optional(),
  }),
  "session.state": ev("session.state", { ...sessionRef, prevState: str.optional(), state: str, reason: str.optional(), queueDepth: num.optional() }),
  "session.stuck": ev("session.stuck", { ...attention, state: str }),
  "queue.lane.enqueue": ev("queue.lane.enqueue", { lane: str, queueSize: num }),
  "queue.lane.dequeue": ev("queue.lane.dequeue", { lane: str, queueSize: num, waitMs: num }),
  "run.attempt": ev("run.attempt", { ...sessionRef, runId: str, attempt: num }),
  "diagnostic.heartbeat": ev("diagnostic.heartbeat", {
    webhooks: z.object({ received: num, processed: num, errors: num }), active: num, waiting: num, queued: num,
  }),
  "tool.loop": ev("tool.loop", {
    ...sessionRef, toolName: str, level: z.enum(["warning", "critical"]), action: z.enum(["warn", "block"]),
    detector: str, count: num, message: str.optional(), pairedToolName: str.optional(),
  }),
  "session.long_running": ev("session.long_running", attention),
  "session.stalled": ev("session.stalled", attention),
  "diagnostic.liveness.warning": ev("diagnostic.liveness.warning", {
    reasons: z.array(str), intervalMs: num.optional(), eventLoopDelayP99Ms: num.optional(), eventLoopDelayMaxMs: num.optional(),
    eventLoopUtilization: num.optional(), cpuCoreRatio: num.optional(), active: num.optional(), waiting: num.optional(), queued: num.optional(),
  }),
  // The JSONL nests byte counts in `memory`; the event carries them flat.
  "diagnostic.memory.pressure": ev("diagnostic.memory.pressure", {
    level: z.enum(["warning", "critical"]), reason: str, thresholdBytes: num.optional(),
    memory: z.object({ rssBytes: num.optional(), heapUsedBytes: num.optional() }).optional(),
  }).transform(({ memory, ...rest }) => ({ ...rest, rssBytes: memory?.rssBytes, heapUsedBytes: memory?.heapUsedBytes })),
  "run.completed": ev("run.completed", {
    ...sessionRef, runId: str.optional(), provider: str.optional(), model: str.optional(), channel: str.optional(),
    durationMs: num, outcome: str, errorCategory: str.optional(),
  }),
  "model.failover": ev("model.failover", {
    ...sessionRef, fromProvider: str.optional(), fromModel: str.optional(), toProvider: str.optional(), toModel: str.optional(),
    reason: str, lane: str.optional(), suspended: z.boolean().optional(),
  }),
} as const;

export type KnownJsonlType = keyof typeof schemas;

export const jsonlEvent = z.discriminatedUnion("type", [
  schemas["model.usage"], schemas["webhook.received"], schemas["webhook.processed"], schemas["webhook.error"],
  schemas["message.queued"], schemas["message.processed"], schemas["session.state"], schemas["session.stuck"],
  schemas["queue.lane.enqueue"], schemas["queue.lane.dequeue"], schemas["run.attempt"], schemas["diagnostic.heartbeat"],
  schemas["tool.loop"], schemas["session.long_running"], schemas["session.stalled"], schemas["diagnostic.liveness.warning"],
  schemas["diagnostic.memory.pressure"], schemas["run.completed"], schemas["model.failover"],
]);

export const KNOWN_JSONL_TYPES: ReadonlySet<string> = new Set(Object.keys(schemas));

// ---- Compile-time check: each schema's output, plus the base fields the parser adds, is the
// event type of the same name in types.ts. A drift between the two fails `tsc`.
type Added = Omit<EventBase, "ts">;
type Fits<K extends KnownJsonlType> = [z.output<(typeof schemas)[K]> & Added] extends [EventOf<K>] ? true : false;
type AllTrue<T extends Record<KnownJsonlType, true>> = T;
export type SchemasFitEvents = AllTrue<{ [K in KnownJsonlType]: Fits<K> }>;
