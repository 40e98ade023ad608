/**
 * What a log-only gateway at OpenClaw's default level (info, no companion plugin) cannot show,
 * and what brings each: facts from the real captures of 2026.4.24, 2026.7.35 and 2026.9.6
 * (docs/openclaw-formats.md §9, docs/events.md). Data only, so the status page, /status.json,
 * `report` and the README can say the same thing; nothing here reads a log.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the companion plugin is on this machine (issue 24: the page named /opt/... whatever the
 * install): the package's plugin/ folder, two levels above this file in a checkout (src/events)
 * and three in the npm package (dist/src/events); the documented path when neither holds it.
 */
export function pluginDir(): string {
  for (const rel of ["../../plugin", "../../../plugin"]) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(join(dir, "openclaw.plugin.json"))) return dir;
  }
  return "/opt/openclaw-otel-sidecar/plugin";
}

/** The command that installs it, as the page and `report` print it. */
export const pluginInstall = (): string => `openclaw plugins install ${pluginDir()}`;

export interface BlindSpot {
  /** Stable id for /status.json. */
  readonly id: "tokens_cost" | "successful_requests" | "queue_session_state";
  /** What is missing, in a person's words. */
  readonly what: string;
  /** The metrics that stay empty (or partial) without it. */
  readonly metrics: readonly string[];
  /** OpenClaw release lines where the default level lacks it. */
  readonly versions: string;
  /** What brings it. */
  readonly remedy: string;
}

export const DEFAULT_LEVEL_BLIND_SPOTS: readonly BlindSpot[] = [
  {
    id: "tokens_cost",
    what: "Tokens and cost: no log line at any level carries usage (model.usage is a diagnostic event).",
    metrics: ["openclaw.tokens", "openclaw.cost.usd", "openclaw.run.duration_ms", "openclaw.context.tokens", "openclaw.context.utilization"],
    versions: "all",
    remedy: "OpenClaw's session store, read by default (--openclaw-state), for tokens and cost; the companion plugin (plugin/, diagnostics JSONL) "
      + "for those and run durations and context use",
  },
  {
    id: "successful_requests",
    what: "Successful model requests: 9.6 logs [model-fetch] only for non-2xx at the default level, 4.24 has no [model-fetch] lines; failure ratios and last-success times are then unknown, not zero.",
    metrics: ["openclaw.model.request", "openclaw.model.last_success", "openclaw.model.request.duration"],
    versions: "2026.4.x, 2026.9.x (2026.7.x logs every request at info)",
    remedy: "OpenClaw's session store, read by default (every successful model call), logging.level debug (9.6), or the companion plugin's model.usage",
  },
  {
    id: "queue_session_state",
    what: "Queue and session state: lane enqueue/dequeue, session state changes, message outcomes and heartbeats are DEBUG echoes of diagnostic events.",
    metrics: ["openclaw.queue.depth", "openclaw.queue.wait_ms", "openclaw.session.state", "openclaw.message.processed", "openclaw.session.stuck.active"],
    versions: "all",
    remedy: "the companion plugin, or logging.level debug (text echoes)",
  },
];
