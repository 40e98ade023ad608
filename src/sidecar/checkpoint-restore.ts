/**
 * What `run` starts from: the saved checkpoint restored into a new pipeline, or nothing (a
 * first start). A checkpoint that cannot be read (permissions) throws: the user can fix that
 * (exit 2). One that is read but unusable (torn, not JSON, another version, telemetry state
 * that does not restore) is moved aside with a warning and counted in
 * openclaw.sidecar.checkpoint.failure, and the sidecar starts afresh: refusing to start kept it
 * down for good (systemd does not restart exit 2), and nothing in such a file can be trusted.
 */
import type { Logger } from "./log.ts";
import type { Pipeline } from "../pipeline/pipeline.ts";
import { CheckpointStore, UnusableCheckpoint, type Checkpoint } from "../tail/checkpoint.ts";
import { countCheckpointFailure } from "../telemetry/recording/self-metrics.ts";
import type { WallClock } from "./wall-clock.ts";

export function restoreCheckpoint(
  checkpoints: CheckpointStore, clock: WallClock, newPipeline: () => Pipeline, log: Logger,
): { saved: Checkpoint | undefined; pipeline: Pipeline } {
  let saved: Checkpoint | undefined;
  let unusable: string | undefined;
  try {
    saved = checkpoints.load();
  } catch (err) {
    if (!(err instanceof UnusableCheckpoint)) throw err;
    unusable = err.message;
  }
  // Saved at a time this host's clock showed: now far behind it, the clock stepped back while down.
  if (saved !== undefined) clock.noteSeen(saved.savedAt);
  let pipeline = newPipeline();
  if (saved?.telemetry !== undefined) {
    try {
      pipeline.restoreState(saved.telemetry);
    } catch (err) {
      unusable = `checkpoint ${checkpoints.path}: ${(err as Error).message}`;
      saved = undefined;
      // restoreState may have filled part of the store before it threw.
      pipeline = newPipeline();
    }
  }
  if (unusable !== undefined) {
    const to = checkpoints.setAside();
    countCheckpointFailure(pipeline.store);
    log.warn(`${unusable}; ${to ? `moved aside to ${to}` : "could not move it aside (the next checkpoint replaces it)"}, starting afresh as on a first start (counters from zero)`);
  }
  return { saved, pipeline };
}
