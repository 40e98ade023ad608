/**
 * Sending, apart from the poll loop: one queue per target, each drained by its own async
 * loop, so a slow or dead chat API never holds a poll, a checkpoint or another target. Bounded
 * everywhere: a queue holds at most `queueCap` messages (the oldest goes, counted), a request
 * at most `timeoutMs`, a message at most `maxAttempts` tries with doubling back-off, or the
 * API's own wait (429 with `retry_after` / `Retry-After`), capped at `maxWaitMs`. Messages
 * still queued are saved in the checkpoint (pending()) and sent after a restart.
 */
import type { TargetName } from "../config/notify.ts";
import type { Note } from "./note.ts";
import type { SendResult, Sender } from "./targets.ts";

export interface Outgoing { target: TargetName; note: Note; attempts: number }

export interface DeliveryHooks {
  sent(target: TargetName, note: Note): void;
  /** One failed attempt; `final` when the message is given up (refused, or out of attempts). */
  failed(target: TargetName, reason: string, detail: string, final: boolean, retryInMs?: number): void;
  /** The queue was full: its oldest message was dropped. */
  overflow(target: TargetName): void;
  /** Something to save changed (a message sent or dropped). */
  changed(): void;
}

export interface DeliveryOptions { queueCap: number; maxAttempts: number; backoffMs: number; maxWaitMs: number; timeoutMs: number }
/** 8 tries 2 s apart doubling: a message outlives about 4 minutes of an unreachable API. */
export const DELIVERY_DEFAULTS: DeliveryOptions = { queueCap: 20, maxAttempts: 8, backoffMs: 2000, maxWaitMs: 300_000, timeoutMs: 10_000 };

interface Lane { sender: Sender; queue: Outgoing[]; running: boolean; nextAt: number }

export class Delivery {
  private readonly lanes = new Map<TargetName, Lane>();
  private readonly hooks: DeliveryHooks;
  private readonly opts: DeliveryOptions;
  private stopped = false;
  private readonly sleepers = new Set<() => void>();
  private readonly idleWaiters = new Set<() => void>();

  constructor(senders: readonly Sender[], hooks: DeliveryHooks, opts: Partial<DeliveryOptions> = {}) {
    this.hooks = hooks;
    this.opts = { ...DELIVERY_DEFAULTS, ...opts };
    for (const sender of senders) this.lanes.set(sender.name, { sender, queue: [], running: false, nextAt: 0 });
  }

  get targets(): TargetName[] { return [...this.lanes.keys()]; }

  /** Queues `note` for every target (or the one named). */
  enqueue(note: Note, only?: TargetName): void {
    for (const [name, lane] of this.lanes) {
      if (only !== undefined && name !== only) continue;
      this.push(lane, { target: name, note, attempts: 0 });
    }
  }

  /** Messages not yet accepted, for the checkpoint. */
  pending(): Outgoing[] {
    return [...this.lanes.values()].flatMap((l) => l.queue.map((o) => ({ ...o })));
  }

  /** Re-queues saved messages (of targets still configured; the rest are dropped). */
  restore(saved: readonly Outgoing[]): void {
    for (const o of saved) {
      const lane = this.lanes.get(o.target);
      if (lane !== undefined) this.push(lane, { ...o });
    }
  }

  idle(): boolean {
    return [...this.lanes.values()].every((l) => l.queue.length === 0);
  }

  /** Resolves when every queue is empty or after `ms`, whichever first (stop waits this long at most). */
  async settle(ms: number): Promise<void> {
    if (this.idle()) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); this.idleWaiters.delete(done); resolve(); };
      this.idleWaiters.add(done);
      timer = setTimeout(done, ms);
    });
  }

  /** Ends every loop; what is queued stays in pending() for the checkpoint. */
  stop(): void {
    this.stopped = true;
    for (const wake of [...this.sleepers]) wake();
  }

  private push(lane: Lane, o: Outgoing): void {
    lane.queue.push(o);
    if (lane.queue.length > this.opts.queueCap) {
      lane.queue.shift();
      this.hooks.overflow(lane.sender.name);
    }
    this.hooks.changed();
    if (!lane.running && !this.stopped) void this.drain(lane);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => { clearTimeout(timer); this.sleepers.delete(wake); resolve(); };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async drain(lane: Lane): Promise<void> {
    lane.running = true;
    try {
      while (lane.queue.length > 0 && !this.stopped) {
        await this.sleep(lane.nextAt - Date.now());
        if (this.stopped) break;
        const o = lane.queue[0]!;
        const r: SendResult = await lane.sender.send(o.note, this.opts.timeoutMs).catch((err: unknown) =>
          ({ ok: false, retry: true, reason: "error", detail: (err as Error).name }));
        lane.nextAt = Date.now() + lane.sender.minGapMs;
        // The queue may have moved meanwhile (an overflow dropped its head): act on `o` only.
        const at = lane.queue.indexOf(o);
        if (r.ok) {
          if (at !== -1) lane.queue.splice(at, 1);
          this.hooks.sent(lane.sender.name, o.note);
          this.hooks.changed();
          continue;
        }
        o.attempts++;
        const final = !r.retry || o.attempts >= this.opts.maxAttempts;
        const wait = Math.min(this.opts.maxWaitMs, r.retryAfterMs ?? this.opts.backoffMs * 2 ** (o.attempts - 1));
        this.hooks.failed(lane.sender.name, r.reason, r.detail, final, final ? undefined : wait);
        if (final) {
          if (at !== -1) lane.queue.splice(at, 1);
          this.hooks.changed();
        } else {
          lane.nextAt = Math.max(lane.nextAt, Date.now() + wait);
        }
      }
    } finally {
      lane.running = false;
      if (this.idle()) for (const done of [...this.idleWaiters]) done();
    }
  }
}
