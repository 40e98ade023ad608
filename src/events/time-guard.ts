/**
 * Values in an event the sidecar will not believe, checked once per event line after parsing.
 *
 * Future times: the event clock behind the "active" gauges only moves forward and is
 * checkpointed, so one line dated in year 3000 would end every cooldown and stuck session at
 * once, for good. A line more than FUTURE_TOLERANCE_MS ahead of the wall clock at the time it
 * is read is rejected (`future_timestamp`, counted like any rejected line). Past times are
 * believed: `replay` and a `--from-beginning` start read old files on purpose, and an old time
 * cannot move a forward-only clock. "The wall clock" is the caller's: after the host clock stepped
 * back, `run` passes the latest time it showed, so lines written before the step are not
 * "future" (src/wall-clock.ts).
 *
 * Negative amounts: a queue size, wait or duration below zero is a broken line, and as a
 * histogram sample it would corrupt sums and buckets for good (cumulative). `invalid_value`.
 */
import type { OpenClawEvent } from "./types.ts";

/** Clock skew and a wrong time zone stay within this; a bogus date does not. */
export const FUTURE_TOLERANCE_MS = 3_600_000;

/** Fields that count or measure something; chatId (negative for Telegram groups) is not one. */
const AMOUNTS = [
  "queueSize", "waitMs", "queueDepth", "durationMs", "ageMs", "waitedMs", "elapsedMs", "costUsd",
  "lastProgressAgeMs", "queueAhead", "queued", "active", "waiting", "retryInMs", "delayMs", "dropped",
  "attempts", "intervalMs",
] as const;

export type Verdict = { reason: "future_timestamp" | "invalid_value"; detail: string } | undefined;

const iso = (ms: number) => (Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

export function checkEvents(events: readonly OpenClawEvent[], wallNowMs: number): Verdict {
  const limit = wallNowMs + FUTURE_TOLERANCE_MS;
  for (const ev of events) {
    if (ev.ts > limit) return { reason: "future_timestamp", detail: `${ev.type}: dated ${iso(ev.ts)}, ahead of the wall clock` };
    const negative = negativeField(ev);
    if (negative !== undefined) return { reason: "invalid_value", detail: `${ev.type}: ${negative} is negative` };
  }
  return undefined;
}

function negativeField(ev: OpenClawEvent): string | undefined {
  const rec = ev as unknown as Record<string, unknown>;
  for (const k of AMOUNTS) {
    const v = rec[k];
    if (typeof v === "number" && v < 0) return k;
  }
  for (const nested of ["usage", "context"] as const) {
    const o = rec[nested];
    if (typeof o !== "object" || o === null) continue;
    for (const [k, v] of Object.entries(o)) if (typeof v === "number" && v < 0) return `${nested}.${k}`;
  }
  return undefined;
}
