/**
 * The operator's part of the status snapshot, from the live incident builder: the verdict,
 * ongoing incidents, the last 24 h, profiles in a window, providers, what the inputs cannot
 * show, usage today and the charts. One implementation of incidents (src/incidents) behind
 * this page and `report`; only the shaping for the page is here.
 */
import { profileName, type Incident } from "../incidents/index.ts";
import { incidentText } from "../incidents/describe.ts";
import { pluginInstall } from "../events/visibility.ts";
import type { LiveIncidents } from "./live-incidents.ts";
import type { IncidentRow, StatusSnapshot } from "./status-types.ts";

const DAY = 24 * 3_600_000;
const MAX_TIMELINE = 100;
export const PLUGIN_INSTALL = pluginInstall();

const row = (i: Incident): IncidentRow => ({
  key: i.key, kind: i.kind, severity: i.severity, subject: i.subject, start: i.start, last: i.last, end: i.end ?? null, text: incidentText(i),
});

type Part = Pick<StatusSnapshot, "now" | "ongoing" | "timeline" | "profiles" | "providers" | "missing" | "usage" | "usageSource" | "charts">;

/**
 * `hasStore`: OpenClaw's session store is followed (src/store), so tokens and cost are known
 * without the plugin (per model call); turn outcomes and run durations still need the plugin.
 */
export function incidentPart(live: LiveIncidents, hasJsonl: boolean, hasStore = false): Part {
  const b = live.builder;
  const now = live.now();
  const providers = b.providers();
  const profiles: Part["profiles"] = [];
  for (const p of providers) {
    for (const pr of p.profiles) {
      if (pr.window === undefined || pr.until === undefined || pr.until <= now) continue;
      const reasons = Object.entries(pr.reasons).map(([k, n]) => `${k} ${n}`).join(", ");
      // Ids are OpenClaw's redacted forms already; profileName re-hashes anything else.
      profiles.push({ provider: p.provider, id: profileName(pr.id) ?? "unknown", window: pr.window, until: pr.until, failures: pr.failures, reasons });
    }
  }
  profiles.sort((a, b) => a.until - b.until);
  const okSeen = providers.some((p) => p.ok > 0);
  const missing: Part["missing"] = [];
  if (!hasJsonl && !hasStore) {
    missing.push({ what: "Tokens, cost and successful turns", fix: `not in the gateway log; install the companion plugin: ${PLUGIN_INSTALL}`
      + " (or let the sidecar read OpenClaw's session store: --openclaw-state)" });
  } else if (!hasJsonl) {
    missing.push({ what: "Successful turns and run durations",
      fix: `tokens and cost come from OpenClaw's session store (one row per model call); turns need the companion plugin: ${PLUGIN_INSTALL}` });
  }
  // Only once the log has said something: with no line read, no version can be blamed. With the
  // store followed every successful model call is seen there (one assistant message with usage
  // each, provider-success.ts), so none seen is a fact, not a blind spot.
  if (!okSeen && !hasJsonl && !hasStore && b.coverage().lastTs !== undefined) {
    const fix = "this log shows none (OpenClaw 2026.9.x logs them only at debug level): set logging.level to \"debug\" (or install the plugin, which reports every turn)";
    missing.push({ what: "Successful requests", fix });
  }
  return {
    now,
    ongoing: b.ongoing().map(row),
    timeline: b.incidents().filter((i) => (i.end ?? now) >= now - DAY).reverse().slice(0, MAX_TIMELINE).map(row),
    profiles: profiles.slice(0, 100),
    providers: providers.map((p) => ({
      provider: p.provider, ok: p.ok, failed: p.failed, turns: p.turns, lastSuccessAt: p.lastSuccess ?? null,
      lastFailureAt: p.lastFailure ?? null, lastFailureReason: p.lastFailureReason ?? null,
    })),
    missing,
    usage: hasJsonl || hasStore ? live.usageToday() : null,
    usageSource: hasJsonl && hasStore ? "plugin and session store" : hasJsonl ? "plugin" : hasStore ? "session store" : null,
    charts: { hour: live.ring.chart(now, 60, 1), day: live.ring.chart(now, 24 * 60, 30) },
  };
}
