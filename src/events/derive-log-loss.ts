/**
 * Lines OpenClaw itself lost (docs/openclaw-formats.md §1.2, §6): the size-cap record
 * (2026.2.22-4.24, no _meta) and the 9.6 file-log queue overflow marker. Origin "log".
 */
import type { EventBase, OpenClawEvent } from "./types.ts";
import type { Envelope } from "./envelope.ts";

const SIZE_CAP = "log file size cap reached";
const OVERFLOW = /file log queue overflow; dropped (\d+) oldest records/;

/** The size-cap record (2.22-4.24, no _meta) and the 9.6 overflow marker: lines OpenClaw lost. */
export function deriveLogLoss(env: Envelope, base: EventBase): OpenClawEvent | null {
  if (env.text.startsWith(SIZE_CAP)) return { type: "log.loss", ...base, origin: "log", kind: "size_cap" };
  const m = OVERFLOW.exec(env.text);
  return m ? { type: "log.loss", ...base, origin: "log", kind: "queue_overflow", dropped: Number(m[1]) } : null;
}
