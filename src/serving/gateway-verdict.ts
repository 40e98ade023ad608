/**
 * The gateway's verdict exactly as the status page shows it, in one place: the incident
 * builder's verdict at the page's clock, its reason replaced by why the sidecar reads nothing
 * when it is blind. The page (status-data.ts) and the `openclaw.gateway.verdict` gauges
 * (telemetry/recording/verdict-metrics.ts, set once per poll) both take it from here, so a
 * fleet table can never disagree with the page of the host it lists (issue 25).
 */
import type { IncidentKind, VerdictState } from "../incidents/index.ts";
import type { TailerStats } from "../tail/tailer-options.ts";
import { blindReason } from "./blind-reason.ts";
import type { LiveIncidents } from "./live-incidents.ts";

/**
 * The reason as a bounded word for a label: the worst ongoing incident's kind, `gap` (gateway
 * silent), `none` (healthy), `no_events` (nothing read yet) or `blind` (nothing can be read).
 */
export type ReasonKind = IncidentKind | "none" | "no_events" | "blind";

export interface PageVerdict {
  state: VerdictState;
  reason: string;
  /** Epoch ms (page clock), null while unknown. */
  since: number | null;
  kind: ReasonKind;
}

const KINDS: ReadonlySet<string> = new Set<IncidentKind>([
  "rate_limit", "auth", "billing", "provider_errors", "all_models_failed", "session_attention", "lane_wait", "queue_depth", "channel", "gap", "log_loss",
]);

/** `blind`: blindReason() of the tailer's last scan, when the caller has it already. */
export function pageVerdict(live: LiveIncidents, logsDir: string, tailer: Pick<TailerStats, "dirError" | "logNames" | "filesOpen">,
  blind = blindReason(logsDir, tailer)): PageVerdict {
  const v = live.builder.verdict(live.now());
  const since = v.since ?? null;
  if (v.state === "unknown") {
    // Nothing read yet because nothing can be: the cause is the answer, not "no events read yet".
    return blind === undefined ? { state: v.state, reason: v.reason, since, kind: "no_events" } : { state: v.state, reason: blind, since, kind: "blind" };
  }
  if (v.state === "healthy") return { state: v.state, reason: v.reason, since, kind: "none" };
  // Incident keys are `kind:subject[:detail]`, worst first; a silent gateway has no incident yet.
  const first = v.incidents[0]?.split(":")[0] ?? "gap";
  return { state: v.state, reason: v.reason, since, kind: KINDS.has(first) ? (first as IncidentKind) : "gap" };
}
