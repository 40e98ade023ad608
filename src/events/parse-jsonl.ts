/**
 * One line of the diagnostic JSONL -> one event (origin "jsonl").
 * Invalid JSON -> invalid_json; not `{type: string, ts: number}` -> schema_mismatch (ts of the
 * wrong kind -> invalid_timestamp); a known type failing its schema -> schema_mismatch with a
 * short detail; an unknown well-formed type -> diagnostic.other (never rejected for being new).
 */
import type { z } from "zod";
import type { EventBase, OpenClawEvent, ParseResult } from "./types.ts";
import { jsonlEvent, KNOWN_JSONL_TYPES } from "./jsonl-schemas.ts";
import { redactOpt, redactSecrets } from "../redact/redact.ts";

const MAX_DETAIL = 120;

function reject(reason: "invalid_json" | "schema_mismatch" | "invalid_timestamp", detail: string): ParseResult {
  return { kind: "rejected", reason, detail: detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail };
}

/** `session.stuck: ageMs required` from the first zod issue. */
function describe(type: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return `${type}: invalid`;
  const path = issue.path.map(String).join(".") || "(event)";
  const what = issue.code === "invalid_type" && /received undefined/.test(issue.message) ? "required" : issue.message.toLowerCase();
  return `${type}: ${path} ${what}`;
}

/** Free text of JSONL events is redacted like that of log lines. */
function redactFields(ev: OpenClawEvent): OpenClawEvent {
  switch (ev.type) {
    case "webhook.error": return { ...ev, error: redactSecrets(ev.error) };
    case "message.processed": return { ...ev, error: redactOpt(ev.error), reason: redactOpt(ev.reason) };
    case "tool.loop": return { ...ev, message: redactOpt(ev.message) };
    case "session.state": case "session.stuck": case "session.long_running": case "session.stalled":
      return { ...ev, reason: redactOpt(ev.reason) };
    case "model.failover": return { ...ev, reason: redactSecrets(ev.reason) };
    default: return ev;
  }
}

export function parseJsonlLine(line: string, profile: string): ParseResult {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return reject("invalid_json", "diagnostics line is not JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return reject("schema_mismatch", "diagnostics line is not an object");
  const obj = raw as Record<string, unknown>;
  const type = obj["type"];
  const ts = obj["ts"];
  if (typeof type !== "string" || type === "") return reject("schema_mismatch", "event: type required");
  if (ts === undefined) return reject("schema_mismatch", `${type}: ts required`);
  if (typeof ts !== "number" || !Number.isFinite(ts) || ts < 0) return reject("invalid_timestamp", `${type}: ts is not epoch ms`);

  const base: Omit<EventBase, "ts"> = { origin: "jsonl", profile };
  const trace = obj["trace"];
  if (typeof trace === "object" && trace !== null) {
    const t = trace as Record<string, unknown>;
    if (typeof t["traceId"] === "string") base.traceId = t["traceId"];
    if (typeof t["spanId"] === "string") base.spanId = t["spanId"];
  }
  // The companion plugin's own marker: it had to drop events (bounded queue).
  if (type === "sidecar.dropped") {
    const dropped = obj["dropped"];
    if (typeof dropped !== "number" || !Number.isInteger(dropped) || dropped < 0) return reject("schema_mismatch", "sidecar.dropped: dropped must be a whole number");
    return { kind: "events", events: [{ type: "log.loss", ts, ...base, kind: "plugin_queue_overflow", dropped }] };
  }
  if (!KNOWN_JSONL_TYPES.has(type)) {
    return { kind: "events", events: [{ type: "diagnostic.other", ts, ...base, originalType: type }] };
  }
  const parsed = jsonlEvent.safeParse(obj);
  if (!parsed.success) return reject("schema_mismatch", describe(type, parsed.error));
  const { type: t, ts: when, ...fields } = parsed.data;
  const ev = { type: t, ts: when, ...base, ...fields } as OpenClawEvent;
  return { kind: "events", events: [redactFields(ev)] };
}
