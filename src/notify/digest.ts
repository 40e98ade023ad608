/**
 * The daily digest: once a day, during the local hour the owner chose, one message on the last
 * 24 hours: the gateway's state now, the incidents that touched those hours (how many of each,
 * the downtime of the outages), and today's usage so far. Sent whatever the minimum severity
 * and quiet hours say (the owner asked for it at that hour). The day it was last sent rides in
 * the checkpoint, so a restart within the hour does not send it twice; a sidecar stopped for the
 * whole hour skips that day's digest rather than sending it late.
 */
import { formatDuration, headline, type Incident, type Verdict } from "../incidents/index.ts";
import { localDay } from "../serving/live-incidents.ts";
import type { UsageToday } from "./budget.ts";
import type { NoteItem } from "./note.ts";

const DAY_MS = 24 * 60 * 60_000;

export class Digest {
  private lastDay = "";
  private readonly hour: number | undefined;

  constructor(hour: number | undefined) {
    this.hour = hour;
  }

  /** True during the chosen local hour of a day not yet digested. */
  due(now: number): boolean {
    return this.hour !== undefined && new Date(now).getHours() === this.hour && localDay(now) !== this.lastDay;
  }

  /** The digest's one item; call `sent(now)` once it is queued. */
  compose(now: number, verdict: Verdict, incidents: readonly Incident[], usage: UsageToday): NoteItem {
    const recent = incidents.filter((i) => (i.end ?? now) >= now - DAY_MS);
    const counts = new Map<string, number>();
    for (const i of recent) counts.set(headline(i), (counts.get(headline(i)) ?? 0) + 1);
    const down = recent.filter((i) => i.severity === "down").reduce((a, i) => a + (i.end ?? now) - Math.max(i.start, now - DAY_MS), 0);
    const tokens = usage.rows.reduce((a, r) => a + r.tokens, 0);
    const cost = usage.rows.reduce((a, r) => a + r.costUsd, 0);
    const facts = [
      recent.length === 0 ? "no incident in the last 24 h" : `${recent.length} incident(s): ${[...counts].slice(0, 8).map(([h, n]) => (n > 1 ? `${h} x${n}` : h)).join(", ")}`,
      down > 0 ? `down ${formatDuration(down)} in all` : "no downtime",
      usage.rows.length > 0 ? `today so far: ${tokens.toLocaleString("en-US")} tokens${cost > 0 ? `, $${cost.toFixed(2)}` : ""}` : "no usage seen today",
    ];
    return {
      change: "opened", kind: "digest", severity: "info", subject: "gateway", head: `daily digest: ${verdict.state}`,
      start: now - DAY_MS, text: `now ${verdict.state}${verdict.reason ? `: ${verdict.reason}` : ""}; the last 24 hours:`, facts,
    };
  }

  sent(now: number): void {
    this.lastDay = localDay(now);
  }

  toJSON(): string {
    return this.lastDay;
  }

  restore(saved: unknown): void {
    if (typeof saved === "string" && /^\d{4}-\d\d-\d\d$/.test(saved)) this.lastDay = saved;
  }
}
