/**
 * The builder's whole state as plain JSON, so the sidecar's checkpoint can carry it and a
 * restart resumes ongoing incidents instead of forgetting them. Everything in it is bounded
 * (see the MAX_* limits) and free of identifiers: sessions appear only as digests.
 */
import type { Incident, ProviderSummary } from "./types.ts";

export const STATE_VERSION = 1;
export const MAX_OPEN = 64;
export const MAX_PROVIDERS = 32;
export const MAX_PROFILES = 16;
export const MAX_ATTENTION = 64;

/** A provider's record: the public summary plus when each profile's unbroken window run began. */
export interface ProviderState extends ProviderSummary {
  /** Profile id -> start of its current unbroken run of windows. */
  runStart: Record<string, number>;
  /** Written by older versions; unused (attempts.ts links lines now), dropped from summaries. */
  lastFetchFailure?: number;
}

export interface IncidentState {
  version: typeof STATE_VERSION;
  firstTs?: number;
  lastTs?: number;
  lastHeartbeat?: number;
  heartbeats: number;
  /** `[model-fetch]` lines were seen: they count failed attempts, decisions do not (attempts.ts). */
  fetchLines?: boolean;
  /** model.usage (plugin JSONL) was seen: it counts turns, so turn-end lines do not again. */
  usageSeen?: boolean;
  /** `provider/model` the turns ask for, from the decision lines (bounded words; runs.ts). */
  primary?: string;
  open: Incident[];
  /** Oldest first. */
  closed: Incident[];
  /** Closed incidents dropped by the retention or count limit. */
  dropped: number;
  providers: ProviderState[];
  /** Digests of sessions with an attention warning and no return to idle since. */
  attention: string[];
  /**
   * Sessions (digests) whose last warning said a model call made no progress, with when it last
   * did: the line that ends that call (other-track.ts callEnded) ends their stall.
   */
  stalledCalls?: { session: string; since: number }[];
}

export function emptyState(): IncidentState {
  return { version: STATE_VERSION, heartbeats: 0, open: [], closed: [], dropped: 0, providers: [], attention: [] };
}

const isNum = (v: unknown): boolean => v === undefined || (typeof v === "number" && Number.isFinite(v));
const isIncident = (v: unknown): boolean => {
  const i = v as Partial<Incident> | null;
  return typeof i === "object" && i !== null && typeof i.key === "string" && typeof i.kind === "string"
    && typeof i.start === "number" && typeof i.last === "number" && typeof i.count === "number"
    && typeof i.reasons === "object" && i.reasons !== null;
};
const isProvider = (v: unknown): boolean => {
  const p = v as Partial<ProviderState> | null;
  return typeof p === "object" && p !== null && typeof p.provider === "string" && Array.isArray(p.profiles)
    && typeof p.runStart === "object" && p.runStart !== null;
};

/** Checks a saved state; throws saying what is wrong (the caller decides to start empty). */
export function checkState(saved: unknown): IncidentState {
  const s = saved as Partial<IncidentState> | null;
  if (typeof s !== "object" || s === null || s.version !== STATE_VERSION) {
    throw new Error(`saved incident state is not version ${STATE_VERSION}`);
  }
  const ok = Array.isArray(s.open) && s.open.every(isIncident) && s.open.length <= MAX_OPEN
    && Array.isArray(s.closed) && s.closed.every(isIncident)
    && Array.isArray(s.providers) && s.providers.every(isProvider) && s.providers.length <= MAX_PROVIDERS
    && Array.isArray(s.attention) && s.attention.length <= MAX_ATTENTION && s.attention.every((a) => typeof a === "string")
    && (s.stalledCalls === undefined || (Array.isArray(s.stalledCalls) && s.stalledCalls.length <= MAX_ATTENTION
      && s.stalledCalls.every((c) => typeof c?.session === "string" && typeof c.since === "number")))
    && typeof s.heartbeats === "number" && typeof s.dropped === "number"
    && isNum(s.firstTs) && isNum(s.lastTs) && isNum(s.lastHeartbeat);
  if (!ok) throw new Error("saved incident state is malformed (open, closed, providers, attention)");
  return structuredClone(s as IncidentState);
}
