/**
 * Log events waiting for their profile's JSONL to catch up (docs/design.md, "Counting an event
 * once when two sources carry it"). The sidecar follows both files at once and the plugin writes
 * its lines in batches (every 250 ms), so a log echo can be read before the JSONL line of the
 * same moment. An echo or derived failover that no JSONL line read so far covers, of a profile
 * that has a JSONL file, waits here until it can be decided (Deduper.hold(), noteJsonlEvent(),
 * noteWallClock()).
 *
 * One FIFO queue per profile, in reading order; only the head of a queue is released, so a
 * profile's events keep their order. Saved in the checkpoint with the rest of the deduper's
 * state: a held event was read before the checkpoint's offsets and is not read again.
 */
import type { OpenClawEvent } from "./types.ts";

/** One held event and the wall clock when `run` read it. */
export interface Held { ev: OpenClawEvent; readAt: number }

/** At most this many events wait; past it the oldest is decided at once. */
const MAX_HELD = 10_000;

export class HeldEvents {
  private readonly queues = new Map<string, Held[]>();
  private size = 0;

  get count(): number { return this.size; }

  /** Holds `h`; returns the oldest held event of its profile when the bound is passed. */
  push(h: Held): Held | undefined {
    let q = this.queues.get(h.ev.profile);
    if (q === undefined) this.queues.set(h.ev.profile, (q = []));
    q.push(h);
    this.size++;
    return this.size > MAX_HELD ? this.shift(h.ev.profile) : undefined;
  }

  /** The heads of `profile`'s queue for which `ready` says yes, in order. */
  release(profile: string, ready: (h: Held) => boolean, out: Held[]): void {
    const q = this.queues.get(profile);
    while (q !== undefined && q.length > 0 && ready(q[0]!)) out.push(this.shift(profile)!);
  }

  /** As release(), over every profile. */
  releaseAll(ready: (h: Held) => boolean, out: Held[]): void {
    for (const profile of [...this.queues.keys()]) this.release(profile, ready, out);
  }

  snapshot(): Held[] {
    return [...this.queues.values()].flat().map((h) => ({ ...h }));
  }

  restore(saved: unknown): void {
    this.queues.clear();
    this.size = 0;
    if (!Array.isArray(saved)) return;
    for (const h of saved as Array<Partial<Held>>) {
      const ev = h?.ev as Partial<OpenClawEvent> | undefined;
      if (typeof ev !== "object" || ev === null || typeof ev.type !== "string" || typeof ev.profile !== "string"
        || typeof ev.ts !== "number" || !Number.isFinite(ev.ts) || typeof h.readAt !== "number") continue;
      this.push({ ev: ev as OpenClawEvent, readAt: h.readAt });
    }
  }

  private shift(profile: string): Held | undefined {
    const q = this.queues.get(profile);
    const h = q?.shift();
    if (h !== undefined) this.size--;
    if (q !== undefined && q.length === 0) this.queues.delete(profile);
    return h;
  }
}
