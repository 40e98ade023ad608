/**
 * What a notification says, before any chat's format: built from the incident model alone
 * (src/incidents), the same incidents and the same one-line text the status page and `report`
 * show, so the three never disagree. A Note carries bounded words, times and counts only (an
 * incident holds no secret or identifier), so it may be kept in the checkpoint until sent.
 */
import type { NotifySeverity } from "../config/notify-settings.ts";
import { formatDuration, headline, type Incident } from "../incidents/index.ts";
import { formatTime, incidentText } from "../incidents/describe.ts";
import { CHANNEL_DEGRADES_AT } from "../incidents/verdict.ts";
import { SELF_WORDS } from "./self-trouble.ts";

export type Change = "opened" | "update" | "still" | "resolved" | "test";

export interface NoteItem {
  change: Change;
  kind: string;
  severity: NotifySeverity;
  /** Provider, channel, lane class or "gateway": a bounded word. */
  subject: string;
  /** `rate-limited: anthropic`, `every model failing`. */
  head: string;
  start: number;
  end?: number;
  /** The incident's line as the page and `report` print it. */
  text: string;
  /** What the person can act on: cooldown until, fell back to, downtime. */
  facts: string[];
}

export interface Note {
  /** Unique per message (wall ms + sequence): a message restored from the checkpoint keeps it. */
  id: string;
  /** Wall time the message was composed. */
  at: number;
  /** The worst item's severity, or "resolved" when every item ended. */
  level: NotifySeverity | "resolved";
  /** One line: what happened, first item first. */
  title: string;
  items: NoteItem[];
  /** host.name of the sidecar: which gateway this is about. */
  host: string;
  link?: string;
}

export const SEVERITY_RANK: Record<NotifySeverity, number> = { info: 0, warning: 1, critical: 2 };

/** How loud a kind is: every model failing pages, lane waits and queues only inform. */
export function severityOf(inc: Incident): NotifySeverity {
  if (inc.severity === "down") return "critical";
  return inc.kind === "lane_wait" || inc.kind === "queue_depth" ? "info" : "warning";
}

/** Worth telling at all: the verdict's own rule for channels (a rare channel error is noise). */
export function tellable(inc: Incident, min: NotifySeverity): boolean {
  if (inc.kind === "channel" && inc.count < CHANNEL_DEGRADES_AT) return false;
  return SEVERITY_RANK[severityOf(inc)] >= SEVERITY_RANK[min];
}

const utc = (ts: number) => `${formatTime(ts, { utc: true, withDate: false })} UTC`;

/**
 * The facts a person acts on, each a short line; their keys say which were told already, so a
 * later message tells only what is new (a fallback once per target, a window once per type).
 */
export function factsOf(inc: Incident): Map<string, string> {
  const out = new Map<string, string>();
  const windows = (inc.profiles ?? []).filter((p) => p.window !== undefined && p.until !== undefined);
  for (const type of ["cooldown", "disabled"] as const) {
    const ps = windows.filter((p) => p.window === type);
    if (ps.length === 0) continue;
    const until = Math.max(...ps.map((p) => p.until!));
    out.set(`window:${type}`, `${ps.length === 1 ? "profile" : `${ps.length} profiles`} ${type === "cooldown" ? "in cooldown" : "disabled"} until ${utc(until)} (${ps.map((p) => p.id).join(", ")})`);
  }
  for (const fb of inc.fallbacks ?? []) out.set(`fallback:${fb.target}`, `fell back to ${fb.target}`);
  return out;
}

export function itemOf(inc: Incident, change: Change, facts: string[]): NoteItem {
  // The sidecar's own trouble (self-trouble.ts) has its own words; its `detail` is the reason.
  const self = SELF_WORDS[inc.kind];
  const item: NoteItem = {
    change, kind: inc.kind, severity: severityOf(inc), subject: inc.subject, head: self ? self.head : headline(inc),
    start: inc.start, text: self ? `${inc.detail ?? "unknown reason"}; ${self.then}` : incidentText(inc), facts: [...facts],
  };
  if (change === "resolved" && inc.end !== undefined) {
    item.end = inc.end;
    item.facts.push(endFact(inc, inc.end));
  } else {
    item.facts.unshift(`since ${utc(inc.start)}`);
  }
  return item;
}

/** How it ended: the downtime of an outage; for the rest, what ended it and when. */
function endFact(inc: Incident, end: number): string {
  const span = end - inc.start >= 1000 ? `${formatDuration(end - inc.start)} (${utc(inc.start)} to ${utc(end)})` : `at ${utc(inc.start)}`;
  if (inc.severity === "down") return `down ${span}`;
  const how = inc.endedBy === "success" ? "a request succeeded again" : inc.endedBy === "cleared" ? "the condition cleared" : "no new trouble since its last sign";
  return inc.endedBy === "quiet" ? `${how} at ${utc(inc.last)} (first at ${utc(inc.start)})` : `${how}; lasted ${span}`;
}

const VERB: Record<Change, string> = { opened: "", update: "update: ", still: "still going on: ", resolved: "resolved: ", test: "" };

export function noteOf(id: string, at: number, host: string, items: NoteItem[], link?: string): Note {
  const live = items.filter((i) => i.change !== "resolved");
  const level = live.length === 0 ? "resolved" : live.reduce<NotifySeverity>((w, i) => (SEVERITY_RANK[i.severity] > SEVERITY_RANK[w] ? i.severity : w), "info");
  const first = live[0] ?? items[0]!;
  const more = items.length > 1 ? ` (+${items.length - 1} more)` : "";
  const note: Note = { id, at, level, title: `${VERB[first.change]}${first.head}${more}`, items, host };
  if (link !== undefined) note.link = link;
  return note;
}
