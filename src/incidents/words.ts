/**
 * Turning event fields into the bounded words an incident may carry: failure causes, status
 * labels, lane classes, profile ids as OpenClaw redacts them, and digests for session keys.
 */
// node:crypto is taken on first use (process.getBuiltinModule), not at start-up: an idle
// sidecar then does not carry it (+3.5 MB RSS; bench/README.md, issue 11).
const createHash = (algorithm: string) => process.getBuiltinModule("node:crypto").createHash(algorithm);
import { looksLikeSecret, redactSecrets } from "../redact/redact.ts";
import type { IncidentKind } from "./types.ts";

/**
 * A reason word from OpenClaw's enums (`rate_limit`, `auth_permanent`) or a provider/model
 * name, else "other". A word that reads like a credential is "other" too: an API key in a
 * provider field (pre-4.25 logs) would otherwise reach the page, `report` and the checkpoint.
 */
export function word(value: string | undefined): string {
  if (value === undefined || value === "") return "unknown";
  const hit = WORDS.get(value);
  if (hit !== undefined) return hit;
  const w = !/^[A-Za-z][A-Za-z0-9_.-]{0,39}$/.test(value) ? "other"
    : redactSecrets(value) === value && !looksLikeSecret(value) ? value : "other";
  // The secret check runs the redactor's rules: once per distinct value, not per event.
  if (WORDS.size >= 10_000) WORDS.clear();
  WORDS.set(value, w);
  return w;
}
const WORDS = new Map<string, string>();

/** Which provider incident a failover/profile reason belongs to. */
export function causeOfReason(reason: string | undefined): "rate_limit" | "auth" | "billing" | "provider_errors" {
  if (reason === "rate_limit") return "rate_limit";
  if (reason === "auth" || reason === "auth_permanent") return "auth";
  if (reason === "billing") return "billing";
  return "provider_errors";
}

/** Which provider incident an HTTP status belongs to (undefined for a success). */
export function causeOfStatus(status: number | undefined, outcome: string): IncidentKind | undefined {
  if (outcome === "success") return undefined;
  if (status === 429) return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 402) return "billing";
  return "provider_errors";
}

/** `http_429`, `timeout`, `network_error`: what a failed attempt says in a few characters. */
export function fetchLabel(status: number | undefined, outcome: string): string {
  return status !== undefined && outcome === "http_error" ? `http_${status}` : word(outcome);
}

/**
 * A lane's class: `session:agent:main:telegram:…` names a session, so only the part before the
 * first colon is kept (`main`, `session`, `cron`, `subagent`).
 */
const LANE_CLASS_RE = /^[a-z][a-z0-9_-]{0,23}$/;

export function laneClass(lane: string): string {
  // indexOf + slice, not split: this runs for every lane event (about half of a debug log's).
  const colon = lane.indexOf(":");
  const head = colon === -1 ? lane : lane.slice(0, colon);
  return LANE_CLASS_RE.test(head) ? head : "other";
}

/**
 * A profile id for display. OpenClaw 9.6 logs `sha256:<12 hex>` (its redact-identifier), older
 * versions a masked `anthr…ab12`: both are kept. Anything else (a raw `google:me@example.com`)
 * is hashed the way 9.6 does, so the same profile shows the same name across versions.
 */
export function profileName(id: string | undefined): string | undefined {
  if (id === undefined || id === "") return undefined;
  if (/^sha256:[0-9a-f]{6,16}$/.test(id)) return id;
  if (/^[A-Za-z0-9_.:-]{1,8}…[A-Za-z0-9_-]{1,6}$/.test(id)) return id;
  return `sha256:${createHash("sha256").update(id).digest("hex").slice(0, 12)}`;
}

/** A one-way digest to tell sessions apart without keeping their keys. */
export function digest(id: string): string {
  return createHash("sha256").update(id).digest("hex").slice(0, 16);
}

/** Adds one to a bounded word count; past `max` distinct words, new ones count as "other". */
export function bump(m: Record<string, number>, key: string, n = 1, max = 12): void {
  if (m[key] === undefined && Object.keys(m).length >= max) key = "other";
  m[key] = (m[key] ?? 0) + n;
}
