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
import { Notifier, type IncidentSource } from "./notifier.ts";
import { SIDECAR_BLIND } from "./note.ts";
import { healthFromTailer } from "../serving/health.ts";
import type { TailerStats } from "../tail/tailer-options.ts";
import { checkOutbox, type SavedNotify } from "./notifier-state.ts";
import { scrubber, senderOf } from "./targets.ts";

/** What `run` holds: the live incident builder and the page's clock (serving/live-incidents.ts). */
export interface LiveSource {
  builder: IncidentSource & { verdict(now: number): Verdict };
  now(): number;
}

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

/** How long the sidecar must stay blind before it is told. */
export const BLIND_AFTER_MS = 60_000;

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
  private blind: Incident | undefined;
  private blindSince: number | undefined;
  private blindEnded: Incident | undefined;
  private readonly logsDir: string;
  private readonly wall: () => number;
  private broken = false;

  constructor(cfg: NotifyConfig, host: string, store: MetricStore, log: Logger, more: { delivery?: Partial<DeliveryOptions>; logsDir?: string; wall?: () => number } = {}) {
    this.log = log;
    this.logsDir = more.logsDir ?? "the log directory";
    this.wall = more.wall ?? Date.now;
    const scrub = scrubber(secretsOf(cfg.targets));
    this.notifier = new Notifier(cfg, host, this.wall);
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

  /** After each poll: compose what changed and queue it; never waits for a send. `files`: the tailer's last scan. */
  tick(live: LiveSource, files?: TailerStats): void {
    if (!this.active) return;
    let note;
    try {
      note = this.notifier.tick(this.withBlindness(withSilence(live), files));
    } catch (err) {
      // A bug here must cost notifications, never the poll loop (offsets, counters, checkpoint).
      if (!this.broken) this.log.error(`notify: ${(err as Error).stack ?? err}`);
      this.broken = true;
      return;
    }
    if (note === undefined) return;
    this.changed = true;
    this.log.info(`notify: "${note.title}" (${note.items.length} item(s)) to ${this.delivery.targets.join(", ")}`);
    this.delivery.enqueue(note);
  }

  /**
   * The sidecar blind (the log directory or every log file unreadable, as /healthz says) as an
   * incident of its own while it lasts, and as ended once the tailer reads again.
   */
  private withBlindness(source: IncidentSource, files: TailerStats | undefined): IncidentSource {
    if (files === undefined) return source;
    // /healthz's own verdict on the files (export failures are not blindness).
    const reasons = healthFromTailer(this.logsDir, files, 0).reasons;
    const now = this.wall();
    if (reasons.length === 0) this.blindSince = undefined;
    else this.blindSince ??= now;
    // A directory that appears a moment later (the gateway starting) is no news: a minute first.
    if (this.blindSince !== undefined && now - this.blindSince >= BLIND_AFTER_MS) {
      this.blind ??= { key: `${SIDECAR_BLIND}:sidecar`, kind: SIDECAR_BLIND, severity: "down", subject: "sidecar", start: this.blindSince, last: now, count: 1, reasons: {} };
      this.blind.last = now;
      this.blind.detail = reasons.join("; ");
    } else if (this.blind !== undefined && this.blindSince === undefined) {
      this.blindEnded = { ...this.blind, end: now, endedBy: "cleared" };
      this.blind = undefined;
    }
    const on = this.blind, ended = this.blindEnded;
    if (on === undefined && ended === undefined) return source;
    return {
      ongoing: () => (on ? [on, ...source.ongoing()] : source.ongoing()),
      incidents: () => (ended ? [...source.incidents(), ended] : source.incidents()),
    };
  }

  /** True once after something to save changed (a message composed, sent or dropped). */
  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  toJSON(): SavedNotify {
    return { notifier: this.notifier.toJSON(), outbox: this.delivery.pending() };
  }

  /** A warning when the saved state cannot be used (then notifications start afresh), else undefined. */
  restore(saved: unknown): string | undefined {
    if (saved === undefined) return undefined;
    const s = saved as Partial<SavedNotify> | null;
    if (typeof s !== "object" || s === null) return "saved notification state dropped, notifications start afresh: not an object";
    const bad = this.notifier.restore(s.notifier);
    if (bad !== undefined) return bad;
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
