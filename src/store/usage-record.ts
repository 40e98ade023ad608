/**
 * One assistant message's usage, as read from a transcript (JSONL line or SQLite row), turned
 * into the `model.usage` event the plugin's JSONL also carries, so the same recorders count it
 * (recording/count-models.ts). Only these fields are ever read: provider, model, usage numbers,
 * cost total, timestamps, the session and agent (docs/openclaw-formats.md §11); the message's
 * content is never part of it.
 */
import type { ModelUsage } from "../events/types.ts";

/** The fields of one transcript entry the store reader projects (JSON numbers and strings only). */
export interface UsageFields {
  type?: unknown;
  role?: unknown;
  provider?: unknown;
  model?: unknown;
  /** `message.usage`: {input, output, cacheRead, cacheWrite, totalTokens, cost: {total}}. */
  usage?: unknown;
  /** `message.timestamp` (epoch ms), else the entry's `timestamp` (ISO), else the row's created_at. */
  messageTs?: unknown;
  entryTs?: unknown;
  createdAt?: unknown;
  /** The session's channel, where the store keeps it (SQLite `session_windows.channel`). */
  channel?: unknown;
}

/** OpenClaw's own transcript artifacts (delivery mirrors) are assistant messages without a model call. */
const ARTIFACT_PROVIDER = "openclaw";

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/** The time of the entry in epoch ms, or undefined when it has none usable. */
export function entryTime(f: UsageFields): number | undefined {
  const m = num(f.messageTs);
  if (m !== undefined && m > 0) return m;
  if (typeof f.entryTs === "string") {
    const t = Date.parse(f.entryTs);
    if (Number.isFinite(t)) return t;
  }
  const c = num(f.createdAt);
  return c !== undefined && c > 0 ? c : undefined;
}

/**
 * The model.usage event of an assistant message that carries usage, or undefined (another kind
 * of entry, an artifact, or usage that is all zero: an error reply that reached no model).
 */
export function usageEvent(f: UsageFields, at: { agentId: string; sessionId: string; profile: string }): ModelUsage | undefined {
  if (f.type !== "message" || f.role !== "assistant") return undefined;
  const u = f.usage;
  if (typeof u !== "object" || u === null || Array.isArray(u)) return undefined;
  const provider = str(f.provider);
  if (provider === ARTIFACT_PROVIDER) return undefined;
  const r = u as Record<string, unknown>;
  const input = num(r.input), output = num(r.output), cacheRead = num(r.cacheRead), cacheWrite = num(r.cacheWrite);
  const cost = typeof r.cost === "object" && r.cost !== null ? num((r.cost as Record<string, unknown>).total) : num(r.cost);
  const promptTokens = input === undefined && cacheRead === undefined && cacheWrite === undefined
    ? undefined : (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const total = num(r.totalTokens) ?? num(r.total) ?? (promptTokens !== undefined || output !== undefined ? (promptTokens ?? 0) + (output ?? 0) : undefined);
  if (!total && !cost) return undefined;
  const ts = entryTime(f);
  if (ts === undefined) return undefined;
  const usage: ModelUsage["usage"] = {};
  if (input !== undefined) usage.input = input;
  if (output !== undefined) usage.output = output;
  if (cacheRead !== undefined) usage.cacheRead = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWrite = cacheWrite;
  if (promptTokens !== undefined) usage.promptTokens = promptTokens;
  if (total !== undefined) usage.total = total;
  const ev: ModelUsage = {
    type: "model.usage", ts, origin: "store", profile: at.profile, agentId: at.agentId, sessionId: at.sessionId, usage,
  };
  if (provider !== undefined) ev.provider = provider;
  const model = str(f.model);
  if (model !== undefined) ev.model = model;
  const channel = str(f.channel);
  if (channel !== undefined) ev.channel = channel;
  if (cost !== undefined && cost > 0) ev.costUsd = cost;
  return ev;
}
