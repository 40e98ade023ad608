/**
 * The parts of a tslog gateway-log record the derivers need (docs/openclaw-formats.md §1.3, §1.7):
 * time, subsystem, the message text, the structured meta object (pattern B) and trace ids.
 */

export interface Envelope {
  /** Epoch ms from `time` (UTC `Z` before 2026.3.2, local offset after), else `_meta.date`. */
  ts: number;
  /** `gateway/channels/telegram`, `diagnostic`, …; "" for the root logger. */
  subsystem: string;
  /** The message text with ANSI colour codes removed. */
  text: string;
  /** The first object argument (pattern B meta, or pattern D's `{message}`). */
  meta: Record<string, unknown> | undefined;
  traceId?: string;
  spanId?: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

export function stripAnsi(s: string): string {
  return s.indexOf("\u001b") === -1 ? s : s.replace(ANSI, "");
}

function subsystemOf(obj: Obj, meta: Obj | undefined): string {
  const name = meta?.["name"];
  const raw = typeof name === "string" && name.startsWith("{") ? name : typeof obj["0"] === "string" && obj["0"].startsWith('{"subsystem"') ? obj["0"] : undefined;
  if (raw === undefined) return typeof obj["subsystem"] === "string" ? obj["subsystem"] : "";
  try {
    const b: unknown = JSON.parse(raw);
    if (isObj(b)) {
      if (typeof b["subsystem"] === "string") return b["subsystem"];
      if (typeof b["module"] === "string") return b["module"];
    }
  } catch {
    /* a name that only looks like JSON: treat as root */
  }
  return "";
}

function timeOf(obj: Obj, meta: Obj | undefined): number {
  const t = obj["time"];
  if (typeof t === "string") {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  const d = meta?.["date"];
  return typeof d === "string" ? Date.parse(d) : Number.NaN;
}

/** Builds the envelope; `ts` is NaN when the record has no usable time. */
export function envelopeOf(obj: Obj): Envelope {
  const tsMeta = isObj(obj["_meta"]) ? obj["_meta"] : undefined;
  const subsystem = subsystemOf(obj, tsMeta);
  let text: string | undefined;
  let meta: Obj | undefined;
  // Numeric keys in order; for subsystem loggers "0" is the binding and is skipped.
  for (let i = subsystem === "" ? 0 : 1; ; i++) {
    const v = obj[String(i)];
    if (v === undefined) break;
    if (typeof v === "string") text = v;
    else if (meta === undefined && isObj(v)) meta = v;
  }
  // Pattern D: `{"0":{"message":…},"1":"verbose"}`; size-cap record: top-level `message`.
  if ((text === undefined || text === "verbose") && typeof meta?.["message"] === "string") text = meta["message"];
  if (text === undefined && typeof obj["message"] === "string") text = obj["message"];
  const env: Envelope = { ts: timeOf(obj, tsMeta), subsystem, text: stripAnsi(text ?? ""), meta };
  const trace = isObj(meta?.["trace"]) ? meta["trace"] : undefined;
  const traceId = typeof obj["traceId"] === "string" ? obj["traceId"] : trace?.["traceId"];
  const spanId = typeof obj["spanId"] === "string" ? obj["spanId"] : trace?.["spanId"];
  if (typeof traceId === "string") env.traceId = traceId;
  if (typeof spanId === "string") env.spanId = spanId;
  return env;
}
