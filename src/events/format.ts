/**
 * The printed form of an event (replay CLI output, golden files): JSON with `type` and `ts`
 * first, then the other keys in the order the parser set them; undefined fields are left out.
 */
import type { OpenClawEvent } from "./types.ts";

export function formatEvent(ev: OpenClawEvent): string {
  const { type, ts, ...rest } = ev;
  return JSON.stringify({ type, ts, ...rest });
}
