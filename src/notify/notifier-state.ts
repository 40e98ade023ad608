/**
 * The notifier's state as the checkpoint carries it (`notify`, next to `incidents`): which
 * incidents were told and what about them, and the messages not yet accepted by a target.
 * Incident ids are `kind:subject@start` (bounded words and a time); a message is a Note
 * (bounded words, no secret). Checked on restore: a malformed state is dropped with a warning.
 */
import type { TargetName } from "../config/notify.ts";
import type { Outgoing } from "./delivery.ts";

export const MAX_ENTRIES = 500;

export interface Entry {
  /** `kind:subject@start` of the incident. */
  id: string;
  /** told: its opening went out; resolved: its end went out too. */
  phase: "told" | "resolved";
  /** Keys of the facts told (note.ts factsOf): `fallback:openai/gpt-5.4`, `window:cooldown`. */
  told: string[];
  /** Wall time of the last message about it. */
  lastSentAt: number;
}

/** waiting: ids of incidents seen but not told yet (within the group wait), owed after a restart. */
export interface NotifierState { version: 1; seq: number; entries: Entry[]; waiting?: string[] }

/** Every part, as saved (budget: budget.ts's BudgetState; digest: the local day last sent). */
export interface SavedNotify { notifier: NotifierState; outbox: Outgoing[]; budget?: unknown; digest?: unknown }

const isEntry = (v: unknown): v is Entry => {
  const e = v as Partial<Entry> | null;
  return typeof e === "object" && e !== null && typeof e.id === "string" && (e.phase === "told" || e.phase === "resolved")
    && Array.isArray(e.told) && e.told.every((k) => typeof k === "string") && typeof e.lastSentAt === "number" && Number.isFinite(e.lastSentAt);
};

export function checkNotifierState(saved: unknown): NotifierState {
  const s = saved as Partial<NotifierState> | null;
  if (typeof s !== "object" || s === null || s.version !== 1) throw new Error("not version 1");
  if (!Array.isArray(s.entries) || s.entries.length > MAX_ENTRIES || !s.entries.every(isEntry)) throw new Error("malformed entries");
  if (typeof s.seq !== "number" || !Number.isFinite(s.seq)) throw new Error("malformed seq");
  if (s.waiting !== undefined && (!Array.isArray(s.waiting) || s.waiting.length > MAX_ENTRIES || !s.waiting.every((w) => typeof w === "string"))) throw new Error("malformed waiting");
  return structuredClone(s as NotifierState);
}

const TARGETS: readonly TargetName[] = ["telegram", "discord", "slack", "ntfy", "webhook"];
const isNote = (v: unknown): boolean => {
  const n = v as { id?: unknown; at?: unknown; level?: unknown; title?: unknown; host?: unknown; items?: unknown } | null;
  return typeof n === "object" && n !== null && typeof n.id === "string" && typeof n.at === "number" && typeof n.level === "string"
    && typeof n.title === "string" && typeof n.host === "string" && Array.isArray(n.items) && n.items.every((i: unknown) => {
      const it = i as { head?: unknown; text?: unknown; facts?: unknown; start?: unknown; change?: unknown; severity?: unknown } | null;
      return typeof it === "object" && it !== null && typeof it.head === "string" && typeof it.text === "string" && typeof it.start === "number"
        && typeof it.change === "string" && typeof it.severity === "string" && Array.isArray(it.facts) && it.facts.every((f) => typeof f === "string");
    });
};

export function checkOutbox(saved: unknown): Outgoing[] {
  if (!Array.isArray(saved)) throw new Error("outbox is not a list");
  return saved.map((o: unknown) => {
    const x = o as Partial<Outgoing> | null;
    if (typeof x !== "object" || x === null || !TARGETS.includes(x.target as TargetName) || !isNote(x.note) || typeof x.attempts !== "number") {
      throw new Error("malformed outbox message");
    }
    return structuredClone(x as Outgoing);
  });
}
