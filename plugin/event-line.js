// Turns one diagnostic event into one JSON line, or null when it must not be written.
// The line is the event as OpenClaw emitted it (type, ts, seq, trace and its own fields), minus
// anything that can carry message content: keys named content/text/prompt/body at any depth are
// removed. `log.record` events (every file-log record re-emitted as an event, ≥ 2026.4.24) are
// skipped because the sidecar reads the log file itself, and so are the high-volume types the
// sidecar has no use for, the same list OpenClaw's public listener leaves out in 9.6.

/** Keys whose values can hold user or model text; removed wherever they appear. */
const CONTENT_KEYS = new Set(["content", "text", "prompt", "body"]);
/** Event types never written. */
const SKIPPED_TYPES = new Set(["log.record", "gateway.rpc", "gateway.event_loop.sample", "diagnostic.gc"]);
/** Long strings are cut so one odd event cannot make a huge line. */
const MAX_STRING = 2048;
/** Nesting deeper than this is replaced by null; diagnostic events are shallow. */
const MAX_DEPTH = 8;

/**
 * @param {unknown} value
 * @param {number} depth
 * @param {Set<object>} seen objects on the current path, to cut cycles
 * @returns {unknown}
 */
function clean(value, depth, seen) {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
      return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
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
    if (Array.isArray(obj)) return obj.map((v) => clean(v, depth + 1, seen) ?? null);
    if (obj instanceof Date) return obj.toISOString();
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(obj)) {
      if (CONTENT_KEYS.has(k)) continue;
      const c = clean(v, depth + 1, seen);
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
 * @returns {string | null} one line without the trailing newline, or null to skip
 */
export function eventToLine(event) {
  if (event === null || typeof event !== "object") return null;
  const type = /** @type {{type?: unknown}} */ (event).type;
  if (typeof type !== "string" || type === "" || SKIPPED_TYPES.has(type)) return null;
  const cleaned = clean(event, 0, new Set());
  return JSON.stringify(cleaned);
}
