/**
 * The notifications `run` sends, wired: the notifier (when to tell, notifier.ts) composes a
 * message after a poll, the delivery (delivery.ts) sends it to every target off the poll loop,
 * and this file counts what happens (self-metrics), logs it once per failing streak, keeps the
 * last failure for the page, and saves and restores both parts with the checkpoint. Logged
 * text names targets only and is scrubbed of every credential.
 */
import type { NotifyConfig, TargetName } from "../config/notify.ts";
import { secretsOf } from "../config/notify.ts";
import type { Logger } from "../sidecar/log.ts";
import { countNotifyDropped, countNotifyFailure, countNotifySent } from "../telemetry/recording/self-metrics.ts";
import type { MetricStore } from "../telemetry/storage/metric-store.ts";
import type { Incident, Verdict } from "../incidents/index.ts";
import { Delivery, type DeliveryOptions } from "./delivery.ts";
import type { Note } from "./note.ts";
import { Notifier, type IncidentSource } from "./notifier.ts";
import { SelfTrouble, SIDECAR_BLIND, SIDECAR_STATE, type Condition } from "./self-trouble.ts";
import { BudgetWatch, type UsageToday } from "./budget.ts";
import { Digest } from "./digest.ts";
import { healthFromTailer } from "../serving/health.ts";
import type { TailerStats } from "../tail/tailer-options.ts";
import { checkOutbox, type SavedNotify } from "./notifier-state.ts";
import { scrubber, senderOf } from "./targets.ts";

/** What `run` holds: the live incident builder, the page's clock and today's usage (serving/live-incidents.ts). */
export interface LiveSource {
  builder: IncidentSource & { verdict(now: number): Verdict };
  now(): number;
  usageToday?(): UsageToday;
}

/** The sidecar's own state after a poll: the tailer's last scan, and why the checkpoint last failed (if it did). */
export interface SelfState { files?: TailerStats; checkpointProblem?: string }

/**
 * The gateway gone silent is no incident while it lasts (the builder records the gap once a line
 * comes back); the verdict says it. It is told as the incident the builder will record, same
 * key and start, so the gap closed later is its end (with the downtime).
 */
function withSilence(live: LiveSource): IncidentSource {
  const b = live.builder;
  const now = live.now();
  const v = b.verdict(now);
  if (v.state !== "down" || v.incidents.length > 0 || v.since === undefined) return b;
  const gap: Incident = { key: "gap:gateway", kind: "gap", severity: "down", subject: "gateway", start: v.since, last: v.since, count: 1, reasons: {}, maxMs: now - v.since };
  return { ongoing: () => [gap, ...b.ongoing()], incidents: () => b.incidents() };
}

export interface NotifyStatus {
  targets: string[];
  queued: number;
  lastFailure: { at: number; target: string; detail: string } | null;
}

export class NotifyService {
  readonly notifier: Notifier;
  readonly delivery: Delivery;
  private readonly log: Logger;
  private readonly streak = new Map<TargetName, number>();
  private lastFailure: NotifyStatus["lastFailure"] = null;
  private changed = false;
  private readonly self: SelfTrouble;
  private readonly budget: BudgetWatch;
  private readonly digest: Digest;
  private readonly logsDir: string;
  private readonly wall: () => number;
  private broken = false;

  constructor(cfg: NotifyConfig, host: string, store: MetricStore, log: Logger, more: { delivery?: Partial<DeliveryOptions>; logsDir?: string; wall?: () => number } = {}) {
    this.log = log;
    this.logsDir = more.logsDir ?? "the log directory";
    this.wall = more.wall ?? Date.now;
    const scrub = scrubber(secretsOf(cfg.targets));
    this.notifier = new Notifier(cfg, host, this.wall);
    this.self = new SelfTrouble(this.wall);
    this.budget = new BudgetWatch(cfg.budget ?? { steps: [] });
    this.digest = new Digest(cfg.digestHour);
    this.delivery = new Delivery(cfg.targets.map((t) => senderOf(t, scrub)), {
      sent: (target) => {
        countNotifySent(store, target);
        const failed = this.streak.get(target) ?? 0;
        if (failed > 0) log.info(`notify ${target}: delivered again after ${failed} failed attempt(s)`);
        this.streak.set(target, 0);
      },
      failed: (target, reason, detail, final, retryInMs) => {
        countNotifyFailure(store, target, reason);
        if (final) countNotifyDropped(store, target, reason.startsWith("http_4") && reason !== "http_429" || reason === "refused" ? "refused" : "retries_exhausted");
        this.lastFailure = { at: Date.now(), target, detail };
        const n = (this.streak.get(target) ?? 0) + 1;
        this.streak.set(target, n);
        if (final) log.warn(`notify ${target}: message dropped: ${detail}`);
        else if (n === 1) log.warn(`notify ${target}: ${detail}; retrying in ${Math.round((retryInMs ?? 0) / 1000)} s (logged again once it succeeds or a message is dropped)`);
      },
      overflow: (target) => {
        countNotifyDropped(store, target, "queue_full");
        log.warn(`notify ${target}: queue full, the oldest message was dropped`);
      },
      changed: () => { this.changed = true; },
    }, more.delivery);
    if (cfg.targets.length > 0) {
      log.info(`notifications to ${cfg.targets.map((t) => t.name).join(", ")} (minimum severity ${cfg.minSeverity}, group wait ${cfg.groupWaitMs} ms)`);
    } else {
      log.info("notifications off: no target set (OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN, ..._DISCORD_WEBHOOK_URL, ...), so nothing pages anyone");
    }
  }

  get active(): boolean { return this.delivery.targets.length > 0; }

  /** After each poll: compose what changed and queue it; never waits for a send. */
  tick(live: LiveSource, state: SelfState = {}): void {
    if (!this.active) return;
    try {
      this.send(this.notifier.tick(this.self.wrap(withSilence(live), this.conditions(state))));
      this.extras(live);
    } catch (err) {
      // A bug here must cost notifications, never the poll loop (offsets, counters, checkpoint).
      if (!this.broken) this.log.error(`notify: ${(err as Error).stack ?? err}`);
      this.broken = true;
    }
  }

  private send(note: Note | undefined): void {
    if (note === undefined) return;
    this.changed = true;
    this.log.info(`notify: "${note.title}" (${note.items.length} item(s)) to ${this.delivery.targets.join(", ")}`);
    this.delivery.enqueue(note);
  }

  /** /healthz's own verdict on the files (export failures are not blindness), and the checkpoint's last failure. */
  private conditions(state: SelfState): Condition[] {
    const out: Condition[] = [{ kind: SIDECAR_STATE, reasons: state.checkpointProblem ? [`checkpoint not written: ${state.checkpointProblem}`] : [] }];
    if (state.files !== undefined) out.unshift({ kind: SIDECAR_BLIND, reasons: healthFromTailer(this.logsDir, state.files, 0).reasons });
    return out;
  }

  /** Budget steps crossed and the daily digest: messages of their own, not incidents. */
  private extras(live: LiveSource): void {
    const now = this.wall();
    if (!this.budget.active && !this.digest.due(now)) return;
    const usage = live.usageToday?.() ?? { day: "", rows: [] };
    if (this.budget.active) {
      const b = this.budget.check(usage, (sev) => sev === "critical" || !this.notifier.quiet(now));
      if (b.items.length > 0) { this.send(this.notifier.noteOf(b.items)); b.commit(); }
    }
    if (this.digest.due(now)) {
      const b = live.builder;
      this.send(this.notifier.noteOf([this.digest.compose(now, b.verdict(live.now()), b.incidents(), usage)]));
      this.digest.sent(now);
    }
  }

  /** True once after something to save changed (a message composed, sent or dropped). */
  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  toJSON(): SavedNotify {
    return { notifier: this.notifier.toJSON(), outbox: this.delivery.pending(), budget: this.budget.toJSON(), digest: this.digest.toJSON() };
  }

  /** A warning when the saved state cannot be used (then notifications start afresh), else undefined. */
  restore(saved: unknown): string | undefined {
    if (saved === undefined) return undefined;
    const s = saved as Partial<SavedNotify> | null;
    if (typeof s !== "object" || s === null) return "saved notification state dropped, notifications start afresh: not an object";
    const bad = this.notifier.restore(s.notifier);
    if (bad !== undefined) return bad;
    this.budget.restore(s.budget);
    this.digest.restore(s.digest);
    try {
      this.delivery.restore(checkOutbox(s.outbox ?? []));
      return undefined;
    } catch (err) {
      return `saved notification outbox dropped: ${(err as Error).message}`;
    }
  }

  status(): NotifyStatus {
    return { targets: this.delivery.targets, queued: this.delivery.pending().length, lastFailure: this.lastFailure };
  }

  /** Gives queued messages up to `ms` to go, then stops; what is left stays for the checkpoint. */
  async stop(ms: number): Promise<void> {
    await this.delivery.settle(ms);
    this.delivery.stop();
  }
}
