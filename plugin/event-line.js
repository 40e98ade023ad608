// Turns one diagnostic event into one JSON line, or null when it must not be written.
// Only an allow-listed set of fields per event type is written: the fields the sidecar reads
// (src/events/jsonl-schemas.ts) plus the envelope (type, ts, seq, trace). Anything else,
// however OpenClaw grows its events, stays in the gateway: a new field can carry user content.
// Free-text fields (error, message, reason, ...) are redacted with the sidecar's own rules
// (secret-rules.js, generated from the sidecar; a test keeps them equal), and keys named
// content/text/prompt/body are removed at any depth inside allowed objects. `log.record` events
// (every file-log record re-emitted as an event, >= 2026.4.24) are skipped because the
// sidecar reads the log file itself, and so are the high-volume types the sidecar has no use
// for, the same list OpenClaw's public listener leaves out in 9.6.
import { redactSecrets } from "./secret-rules.js";

/** Keys whose values can hold user or model text; removed wherever they appear. */
const CONTENT_KEYS = new Set(["content", "text", "prompt", "body"]);
/**
 * Event types never written: the same ones OpenClaw's own public listener leaves out (9.6).
 * The one list: index.js also passes it to the subscription as `exclude`.
 */
export const EXCLUDED_TYPES = ["log.record", "gateway.rpc", "gateway.event_loop.sample", "diagnostic.gc"];
const SKIPPED_TYPES = new Set(EXCLUDED_TYPES);
/** Free text: redacted before it is written (strings, or arrays of strings). */
const FREE_TEXT = new Set(["error", "message", "reason", "reasons", "lastError", "detail"]);
/** Long strings are cut so one odd event cannot make a huge line. */
const MAX_STRING = 2048;
/**
 * Free text is cut before it is redacted (a 50 MB field once held the gateway's event loop
 * for a second), but redaction sees this much past the cut, so a secret that starts before
 * the cut is seen whole: the longest secret shape of bounded length is under 200 characters.
 * Longer ones (a quoted value, a URL password) cannot be told from their start, so the kept
 * text's end is also redacted as if the cut closed them (closeCut).
 */
const LOOKAHEAD = 512;
/** Nesting deeper than this is replaced by null; diagnostic events are shallow. */
const MAX_DEPTH = 8;
/** Items walked per array and keys per object; the rest are left out. */
export const MAX_ITEMS = 64;
/** Values walked per event, however they nest; past it, values are left out (null in arrays). */
export const MAX_NODES = 512;
/** Free text handed to the redactor per event; past it, free strings are written as "…". */
export const MAX_FREE_CHARS = 16 * 1024;
/** What could close a secret the cut left open: quotes (plain, escaped) and a URL's "@host". */
const CLOSERS = ['"', "'", '\\"', "\\'", "@x"];

/** Every event: its type, times, order and W3C trace context. */
const ENVELOPE = ["type", "ts", "seq", "trace"];
const SESSION = ["sessionKey", "sessionId"];
const ATTENTION = [...SESSION, "state", "ageMs", "queueDepth", "reason", "classification", "activeWorkKind", "lastProgressAgeMs"];
const MODEL_CALL = [...SESSION, "runId", "provider", "model", "channel", "agentId", "durationMs", "outcome", "errorCategory", "attempt", "status"];

/** The fields written per type, beyond the envelope; a type not listed keeps the envelope only. */
export const ALLOWED_FIELDS = {
  "model.usage": [...SESSION, "channel", "agentId", "provider", "model", "usage", "context", "costUsd", "durationMs"],
  "webhook.received": ["channel", "updateType", "chatId"],
  "webhook.processed": ["channel", "updateType", "chatId", "durationMs"],
  "webhook.error": ["channel", "updateType", "chatId", "error"],
  "message.queued": [...SESSION, "channel", "source", "queueDepth"],
  "message.processed": [...SESSION, "channel", "messageId", "chatId", "durationMs", "outcome", "reason", "error"],
  "session.state": [...SESSION, "prevState", "state", "reason", "queueDepth"],
  "session.stuck": ATTENTION,
  "session.long_running": ATTENTION,
  "session.stalled": ATTENTION,
  "queue.lane.enqueue": ["lane", "queueSize"],
  "queue.lane.dequeue": ["lane", "queueSize", "waitMs"],
  "run.attempt": [...SESSION, "runId", "attempt"],
  "run.started": [...SESSION, "runId", "provider", "model", "channel"],
  "run.completed": [...SESSION, "runId", "provider", "model", "channel", "durationMs", "outcome", "errorCategory"],
  "diagnostic.heartbeat": ["webhooks", "active", "waiting", "queued"],
  "tool.loop": [...SESSION, "toolName", "level", "action", "detector", "count", "message", "pairedToolName"],
  "diagnostic.liveness.warning": ["reasons", "intervalMs", "eventLoopDelayP99Ms", "eventLoopDelayMaxMs", "eventLoopUtilization", "cpuCoreRatio", "active", "waiting", "queued"],
  "diagnostic.memory.pressure": ["level", "reason", "thresholdBytes", "memory"],
  "model.failover": [...SESSION, "fromProvider", "fromModel", "toProvider", "toModel", "reason", "lane", "suspended"],
  "model.call.started": MODEL_CALL,
  "model.call.completed": MODEL_CALL,
  "model.call.error": [...MODEL_CALL, "error"],
};

/** @typedef {{nodes: number, freeChars: number}} Budget what one event may still cost */

/**
 * Cuts first and redacts the cut text (plus the lookahead), never the whole string.
 * @param {string} s @param {boolean} free @param {Budget} budget
 */
function cutString(s, free, budget) {
  if (!free) return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
  const window = s.length > MAX_STRING + LOOKAHEAD ? s.slice(0, MAX_STRING + LOOKAHEAD) : s;
  if (window.length > budget.freeChars) return "…";
  budget.freeChars -= window.length;
  const red = redactSecrets(window);
  if (red.length <= MAX_STRING && window.length === s.length) return red;
  return `${closeCut(red.slice(0, MAX_STRING)).slice(0, MAX_STRING)}…`; // a closed secret can grow by a quote
}

/**
 * Redacts the end of a cut text as if each closer followed it: `"password": "abc` (cut inside
 * the value) then loses `abc`. A closer the redaction did not swallow is taken off again.
 * @param {string} kept
 */
function closeCut(kept) {
  let out = kept;
  for (const c of CLOSERS) {
    const r = redactSecrets(out + c);
    out = r.endsWith(c) ? r.slice(0, -c.length) : r;
  }
  return out;
}

/**
 * @param {unknown} value
 * @param {number} depth
 * @param {Set<object>} seen objects on the current path, to cut cycles
 * @param {boolean} free whether strings here are free text (redacted)
 * @param {Budget} budget
 * @returns {unknown}
 */
function clean(value, depth, seen, free, budget) {
  if (value === null) return null;
  if (--budget.nodes < 0) return undefined;
  switch (typeof value) {
    case "string":
      return cutString(value, free, budget);
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value;
    case "bigint":
      return Number(value);
    case "object":
      break;
    default:
      return undefined; // functions, symbols, undefined: JSON has no place for them
  }
  const obj = /** @type {object} */ (value);
  if (depth >= MAX_DEPTH || seen.has(obj)) return null;
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      /** @type {unknown[]} */
      const items = [];
      const n = Math.min(obj.length, MAX_ITEMS);
      for (let i = 0; i < n && budget.nodes > 0; i++) items.push(clean(obj[i], depth + 1, seen, free, budget) ?? null);
      return items;
    }
    if (obj instanceof Date) return Number.isFinite(obj.getTime()) ? obj.toISOString() : null;
    /** @type {Record<string, unknown>} */
    const out = {};
    let taken = 0;
    // for-in stops after MAX_ITEMS keys are read. V8 still lists a dictionary object's keys
    // natively before the first one (a million keys: seconds); Object.keys/entries would too.
    for (const k in obj) {
      if (taken >= MAX_ITEMS || budget.nodes <= 0) break;
      if (CONTENT_KEYS.has(k) || !Object.hasOwn(obj, k)) continue;
      taken++;
      const c = clean(/** @type {Record<string, unknown>} */ (obj)[k], depth + 1, seen, free || FREE_TEXT.has(k), budget);
      if (c !== undefined) out[k] = c;
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

/**
 * Serialises a diagnostic event for the JSONL file.
 * @param {unknown} event what the SDK listener received
 * @param {number} [tsNow] set when the event's own ts cannot be filed (not a date, or absent):
 *   written as ts instead, with `tsInvalid: true`
 * @returns {string | null} one line without the trailing newline, or null to skip
 */
export function eventToLine(event, tsNow) {
  if (event === null || typeof event !== "object") return null;
  const type = /** @type {{type?: unknown}} */ (event).type;
  if (typeof type !== "string" || type === "" || SKIPPED_TYPES.has(type)) return null;
  const allowed = [...ENVELOPE, ...(/** @type {Record<string, string[]>} */ (ALLOWED_FIELDS)[type] ?? [])];
  /** @type {Record<string, unknown>} */
  const out = {};
  const seen = new Set([event]);
  const budget = { nodes: MAX_NODES, freeChars: MAX_FREE_CHARS };
  for (const key of allowed) {
    if (!Object.hasOwn(event, key)) continue;
    const c = clean(/** @type {Record<string, unknown>} */ (event)[key], 1, seen, FREE_TEXT.has(key), budget);
    if (c !== undefined) out[key] = c;
  }
  if (tsNow !== undefined) {
    out.ts = tsNow;
    out.tsInvalid = true;
  }
  return JSON.stringify(out);
}
