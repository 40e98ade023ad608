/**
 * The one-line answer at the top of the page and the report: healthy, degraded or down, why,
 * and since when. Down: every model failing, or the gateway silent after a heartbeat cadence.
 * Degraded: any other ongoing incident (channel errors from the third on). Healthy: none, since
 * the last incident ended.
 */
import type { Incident, Verdict } from "./types.ts";

export interface VerdictInput {
  ongoing: Incident[];
  closed: Incident[];
  firstTs?: number;
  lastTs?: number;
  heartbeats: number;
}

const LABEL: Record<string, string> = {
  rate_limit: "rate-limited", auth: "auth failures", billing: "billing failures", provider_errors: "errors",
  all_models_failed: "every model failing", session_attention: "sessions", lane_wait: "lane waits",
  queue_depth: "queue depth", channel: "channel trouble", gap: "gateway silent", log_loss: "log records lost",
};

/** A short phrase for one incident, for the verdict's reason. */
export function headline(inc: Incident): string {
  switch (inc.kind) {
    case "rate_limit": case "auth": case "billing": case "provider_errors": return `${inc.subject} ${LABEL[inc.kind]}`;
    case "session_attention": return `${inc.sessions ?? 1} session(s) ${inc.subject.replace("_", "-")}`;
    case "lane_wait": case "queue_depth": return `${LABEL[inc.kind]} on ${inc.subject}`;
    case "channel": return `${inc.subject} ${(inc.detail ?? "trouble").replace(/_/g, " ")}`;
    default: return LABEL[inc.kind] ?? inc.kind;
  }
}

/** A channel error now and then is the noise of a healthy bot; three or more is trouble. */
export const CHANNEL_DEGRADES_AT = 3;
const degrades = (i: Incident) => i.kind !== "channel" || i.count >= CHANNEL_DEGRADES_AT;

export function verdictOf(v: VerdictInput, now: number, gapMs: number): Verdict {
  if (v.lastTs === undefined) return { state: "unknown", reason: "no events read yet", incidents: [] };
  if (v.heartbeats >= 2 && now - v.lastTs > gapMs) {
    return { state: "down", reason: "gateway silent (no heartbeat or other event)", since: v.lastTs, incidents: [] };
  }
  const down = v.ongoing.filter((i) => i.severity === "down");
  const worst = down.length > 0 ? down : v.ongoing.filter(degrades);
  if (worst.length > 0) {
    const names = [...new Set(worst.map(headline))];
    const more = names.length > 3 ? ` and ${names.length - 3} more` : "";
    return {
      state: down.length > 0 ? "down" : "degraded",
      reason: names.slice(0, 3).join(", ") + more,
      since: Math.min(...worst.map((i) => i.start)),
      incidents: worst.map((i) => i.key),
    };
  }
  const lastEnd = [...v.closed, ...v.ongoing].filter(degrades).reduce((m, i) => Math.max(m, i.end ?? i.last), -Infinity);
  return {
    state: "healthy",
    reason: Number.isFinite(lastEnd) ? "no ongoing incident" : "no incident seen",
    since: Number.isFinite(lastEnd) ? lastEnd : v.firstTs,
    incidents: [],
  };
}
