/**
 * `openclaw-otel run`: the only file that knows every stage. It follows the log directory,
 * feeds each line through the pipeline, serves /metrics and the status page, exports OTLP,
 * and commits the checkpoint (file offsets + cumulative metric state in ONE atomic write).
 *
 * Exactness across crashes: lines are counted in memory and the checkpoint is written only
 * between polls, when every offset sits just after a line that has been counted. A SIGKILL
 * loses the in-memory counts AND rewinds the offsets to the same point, so after a restart the
 * lost lines are read and counted again: nothing is lost, nothing counted twice.
 */
import type { Config } from "../config/config.ts";
import { startHttpFace, webConfigOf } from "./http-face.ts";
import { Pipeline } from "../pipeline/pipeline.ts";
import { LiveIncidents } from "../serving/live-incidents.ts";
import { NotifyService } from "../notify/service.ts";
import { buildStatus } from "../serving/status-data.ts";
import { pageVerdict } from "../serving/gateway-verdict.ts";
import { recordVerdict } from "../telemetry/recording/verdict-metrics.ts";
import { CheckpointStore } from "../tail/checkpoint.ts";
import { restoreCheckpoint } from "./checkpoint-restore.ts";
import { DirectoryTailer } from "../tail/directory-tailer.ts";
import { healthFromTailer } from "../serving/health.ts";
import { tailerHandleCap } from "../serving/connection-cap.ts";
import { DEFAULT_MAX_OPEN_FILES } from "../tail/handle-pool.ts";
import type { HttpServer } from "../serving/http-server.ts";
import { MetricStore } from "../telemetry/storage/metric-store.ts";
// Types only: the OTLP SDK (~25 MB of RSS) is loaded in start() when an endpoint is set.
import type { OtlpExport } from "../telemetry/export/otlp-export.ts";
import { resourceAttributes } from "../telemetry/export/resource.ts";
import { renderPrometheus } from "../telemetry/export/prometheus-text.ts";
import { liveView } from "../telemetry/export/live-view.ts";
import { SelfEvents } from "./self-events.ts";
import type { Logger } from "./log.ts";
import { VERSION } from "./version.ts";
import { settleWithin } from "./settle.ts";
import { followWallClock, WallClock } from "./wall-clock.ts";
import { StoreFollower } from "../store/store-follower.ts";

/**
 * How long stop() waits for the last OTLP export. The checkpoint is already written by then,
 * so giving up loses nothing; waiting longer would outlast `docker stop`'s 10 s grace period
 * while the exporter retries an unreachable collector.
 */
const FINAL_EXPORT_WAIT_MS = 4000;


/**
 * After SIGTERM, how long the polls may go on visiting files (each reads at most its per-poll
 * budget), so a huge backlog cannot hold the stop: files not reached resume from the checkpoint.
 */
const FINAL_POLL_MS = 2000;
/** After SIGTERM, how long queued notifications may still go out; the rest wait in the checkpoint. */
const NOTIFY_STOP_MS = 1500;

/** The session store is read at most this often (src/store): an idle poll stats every transcript. */
const STORE_POLL_MS = 1000;

export class Sidecar {
  readonly store: MetricStore;
  readonly pipeline: Pipeline;
  readonly clock: WallClock; // watched for steps back (wall-clock.ts)
  /** The status page's incidents, usage today and charts, fed every counted event. */
  readonly live: LiveIncidents;
  /** Notifications from the same incidents (src/notify); inert without a target. */
  readonly notify: NotifyService;
  http: HttpServer | undefined;
  private readonly cfg: Config;
  private readonly log: Logger;
  private readonly checkpoints: CheckpointStore;
  private readonly tailer: DirectoryTailer;
  /** OpenClaw's session store (issue 23), unless `--openclaw-state off`. */
  readonly storeFollower: StoreFollower | undefined;
  private lastStorePoll = 0;
  private otlp: OtlpExport | undefined;
  private readonly startedAt = Date.now();
  private readonly self: SelfEvents;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  /** Bumped after every poll: what the HTTP bodies show may have changed (RENDER_REUSE_MS). */
  private generation = 0;
  private dirty = false; private lastSave = 0; private stopped = false;
  /** No checkpoint was found: this process decides where existing files start. */
  private readonly firstStart: boolean;

  /** Throws with a clear message when the saved checkpoint cannot be read (checkpoint-restore.ts). */
  constructor(cfg: Config, log: Logger, clock: WallClock = new WallClock()) {
    this.cfg = cfg;
    this.log = log;
    this.clock = clock;
    this.live = new LiveIncidents(clock.now, clock.clockLimit);
    this.checkpoints = new CheckpointStore(cfg.stateDir);
    const { saved, pipeline } = restoreCheckpoint(this.checkpoints, clock, () => this.newPipeline(), log);
    this.pipeline = pipeline;
    this.store = pipeline.store;
    this.self = new SelfEvents(this.store, log, cfg.checkpointIntervalMs);
    this.firstStart = saved === undefined;
    const start = cfg.fromBeginning ? "reading existing files from their start" : "starting existing files at their end";
    log.info(saved ? `resuming from checkpoint ${this.checkpoints.path} (${saved.files.length} files)` : `no checkpoint yet in ${cfg.stateDir}; ${start}`);
    this.tailer = new DirectoryTailer({
      dir: cfg.logsDir, fromBeginning: cfg.fromBeginning, files: saved?.files,
      maxOpenFiles: tailerHandleCap(DEFAULT_MAX_OPEN_FILES),
      onError: (e) => log.warn(`${e.path}: ${e.message}`),
      onFound: (info) => this.pipeline.noteFile(info),
    });
    this.storeFollower = cfg.openclawState ? new StoreFollower({
      stateDir: cfg.openclawState, profile: "", saved: saved?.store, fromBeginning: cfg.fromBeginning, onError: (m) => log.warn(m), onFollow: (m) => log.info(m),
    }) : undefined;
    this.notify = new NotifyService(cfg.notify, cfg.hostName, this.store, log, { logsDir: cfg.logsDir });
    // A saved state that no longer restores is dropped with one warning each: nothing counted depends on it.
    for (const d of [this.live.restore(saved?.incidents), this.notify.restore(saved?.notify)]) if (d !== undefined) log.warn(`checkpoint ${this.checkpoints.path}: ${d}`);
  }

  private newPipeline(): Pipeline {
    return new Pipeline({
      store: new MetricStore({ seriesCap: this.cfg.seriesCap, wallClock: this.clock.guardNow, clockLimit: this.clock.clockLimit }),
      clock: Date.now, guardClock: this.clock.guardNow, defaultProfile: this.cfg.profile, onEvent: (ev) => this.live.add(ev),
      onReject: (r, reason, detail) => this.log.debugLimited(`rejected line (${reason}) at ${r.path}:${r.offset}: ${detail}`),
    });
  }

  /** Bytes of the followed files not read yet (the catch-up progress bar reads it). */
  unreadBytes(): number {
    return this.tailer.stats().unreadBytes.reduce((n, u) => n + u.bytes, 0);
  }

  async start(): Promise<void> {
    const { cfg, log } = this;
    // TLS and basic auth (web-config.ts) before anything starts; an unguarded non-loopback --listen needs the user's yes.
    const web = webConfigOf(cfg);
    if (cfg.export.metrics !== null || cfg.export.traces !== null) {
      const { startOtlpExport } = await import("../telemetry/export/otlp-export.ts");
      this.otlp = startOtlpExport(cfg, {
        produce: () => this.store.toScopeMetrics(Date.now()),
        onExportFailure: (signal, reason) => this.self.exportFailed(signal, reason),
        onExportSuccess: () => this.self.exportSucceeded(),
        onSpansDropped: (n) => this.self.spansDropped(n),
        log,
      });
      await this.pipeline.enableSpans(this.otlp.tracer);
    }
    if (cfg.listen) {
      const resource = resourceAttributes(cfg), view = liveView(this.store);
      this.http = await startHttpFace({ ...cfg, listen: cfg.listen }, web, {
        renderMetrics: (format) => renderPrometheus(this.store, { resource, hostName: cfg.hostName, profile: cfg.profile, format }),
        health: () => ({ ...healthFromTailer(cfg.logsDir, this.tailer.stats(), this.self.metricFailuresInARow), uptimeMs: Date.now() - this.startedAt }),
        status: () => buildStatus({
          cfg, view, tailer: this.tailer.stats(), startedAt: this.startedAt, version: VERSION, lastExportFailureAt: this.self.lastExportFailureAt, live: this.live,
          notify: this.notify.status(), storeFollowed: this.storeFollower?.followedCount(),
        }, Date.now()),
        onError: (path, err) => this.log.warn(`HTTP ${path}: ${(err as Error).message}`),
        generation: () => this.generation,
      }, log);
    }
    if (this.firstStart) {
      // "Start existing files at their end" must happen once per installation, not once per
      // process: commit those start offsets before following, even if no line ever arrives,
      // so a process killed before its first interval checkpoint (crash loop, OOM kill)
      // resumes from them instead of skipping to the end again.
      await this.pollOnce();
      this.saveCheckpoint();
    }
    this.log.info(`following ${cfg.logsDir}${this.otlp ? `; exporting OTLP to ${[cfg.export.metrics?.url, cfg.export.traces?.url].filter(Boolean).join(", ")}` : ""}`);
    this.schedule(0);
  }

  /**
   * One cycle: poll every file, update the self-metrics, maybe commit a checkpoint. True when
   * a file has more to read than one poll's budget: the next poll follows at once.
   */
  async pollOnce(): Promise<boolean> {
    const lines = this.live.lineClock();
    const behind = await this.tailer.pollOnce((record) => {
      this.dirty = true;
      this.pipeline.handle(record);
      lines.note(record);
    });
    lines.done();
    const storeBehind = this.pollStore();
    this.pipeline.flushCounters();
    followWallClock(this.clock, this.store, this.live, (m) => this.log.warn(m));
    this.live.tick();
    const files = this.tailer.stats();
    this.notify.tick(this.live, { files, checkpointProblem: this.self.checkpointProblem });
    if (this.notify.takeChanged()) this.dirty = true;
    this.self.filesObserved(files);
    // The page's verdict as gauges, once per poll (issue 25: the fleet table reads them).
    recordVerdict(this.store, pageVerdict(this.live, this.cfg.logsDir, files));
    this.generation++;
    if (this.dirty && Date.now() - this.lastSave >= this.cfg.checkpointIntervalMs) this.saveCheckpoint();
    return behind || storeBehind;
  }

  /** Usage from the session store, at most every STORE_POLL_MS unless it has more rows waiting. */
  private pollStore(): boolean {
    if (this.storeFollower === undefined || Date.now() - this.lastStorePoll < STORE_POLL_MS) return false;
    this.lastStorePoll = Date.now();
    const more = this.storeFollower.pollOnce((ev) => { this.dirty = true; this.pipeline.handleStoreEvent(ev); });
    if (more) this.lastStorePoll = 0;
    return more;
  }

  /** Final poll, checkpoint, export flush, close. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.tailer.finishWithin(FINAL_POLL_MS);
    await this.polling;
    await this.pollOnce().catch((err: unknown) => this.log.warn(`final poll: ${(err as Error).message}`));
    await this.notify.stop(NOTIFY_STOP_MS);
    this.saveCheckpoint();
    await this.tailer.close();
    this.storeFollower?.close();
    if (this.otlp) {
      const otlp = this.otlp;
      await settleWithin(otlp.forceFlush().then(() => otlp.shutdown()), FINAL_EXPORT_WAIT_MS);
    }
    await this.http?.close();
  }

  saveCheckpoint(): void {
    try {
      // savedAt: the latest time the host's clock has shown (after a step back, not the stepped
      // clock), so a restart can tell that lines and entries from before the step are not bogus.
      this.checkpoints.save({
        version: 1, savedAt: this.clock.guardNow(), files: this.tailer.snapshot(), telemetry: this.pipeline.snapshotState(),
        incidents: this.live.toJSON(), notify: this.notify.toJSON(), store: this.storeFollower?.snapshot(),
      });
      this.dirty = false;
      this.lastSave = Date.now();
      this.self.checkpointSaved();
    } catch (err) {
      // Retry at the checkpoint interval, not at every poll (SelfEvents says so once per streak).
      this.lastSave = Date.now();
      this.self.checkpointFailed(err);
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollOnce()
        .catch((err: unknown) => { this.log.error(`poll failed: ${(err as Error).stack ?? err}`); return false; })
        // Catching up (a budget ran out): the next poll at once, still through the timer so
        // HTTP, signals and checkpoints get their turn between polls.
        .then((behind) => this.schedule(behind ? 0 : this.cfg.pollIntervalMs));
    }, delayMs);
  }
}
