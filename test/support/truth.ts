/**
 * The oracle: what really happened in a live capture, derived only from what the fake provider
 * answered (`provider-record.json`: every request, its phase, model, status) and how each turn
 * ended (`turns.json`), never from the sidecar's output. Tests hold `report`, the live page and
 * the alerts to it (issue 19).
 *
 * - A provider episode is a run of failed requests to one provider of one kind (by the HTTP
 *   status the provider sent: 401/403 auth, 402 billing, 429 rate_limit, anything else failed,
 *   a hang included, provider_errors) that no success of that provider interrupts.
 * - An every-model-failing episode is a phase in which a turn got no answer and no request of
 *   any provider succeeded; it spans the phase (the turn's chain ends when its last candidate
 *   gives up, after its requests).
 * - A session-attention episode is a request unanswered for STALL_MS or more (subject `stalled`).
 * - The final verdict follows the last turn: answered by the primary, healthy; answered by a
 *   fallback, not down; no answer, not healthy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export type TruthKind = "rate_limit" | "auth" | "billing" | "provider_errors" | "all_models_failed" | "session_attention";

export interface Episode { kind: TruthKind; provider: string; start: number; end: number; statuses: number[] }

export interface Truth {
  episodes: Episode[];
  /** States the final verdict may take. */
  finalVerdict: Array<"healthy" | "degraded" | "down">;
  /** Turns that got no answer at all (no winner). */
  failedTurns: number;
  /** First and last request the provider saw. */
  first: number;
  last: number;
}

interface Request { t: number; endT?: number; phase: string; model: string; status: number; mode?: string }
interface Turn { label: string; ok: boolean; status: string; phase: string; provider?: string; model?: string; pinned?: boolean }
interface RunInfo { providers?: Record<string, { models: string[] }>; primary?: string }

/**
 * The harness's fixed setup when a capture has no run-info.json (the 2026-11-21 debug capture,
 * test/fixtures/real/README.md): one model per fake provider.
 */
/** OpenClaw's stalled-session warning comes after this long without progress (openclaw-formats.md §8). */
const STALL_MS = 300_000;

const DEFAULT_PROVIDERS: Record<string, string> = { alpha: "fakea", beta: "fakeb", gamma: "fakec" };

/** A request's failure kind: by the status the provider sent; a 200 with no text (mode `empty`) is no answer either. */
export function kindOfStatus(status: number, mode?: string): Exclude<TruthKind, "all_models_failed" | "session_attention"> | undefined {
  if (status >= 200 && status < 300) return mode === "empty" ? "provider_errors" : undefined;
  if (status === 429) return "rate_limit";
  if (status === 401 || status === 403) return "auth";
  if (status === 402) return "billing";
  return "provider_errors";
}

/** Every folder under `root` (itself included) holding a capture with its truth. */
export function captureDirs(root: string): string[] {
  const dirs = [root, ...readdirSync(root).map((d) => join(root, d)).filter((d) => statSync(d).isDirectory())];
  return dirs.filter((d) => existsSync(join(d, "provider-record.json")) && existsSync(join(d, "turns.json")));
}

export function truthOf(dir: string): Truth {
  const record = JSON.parse(readFileSync(join(dir, "provider-record.json"), "utf8")) as Request[];
  const turns = JSON.parse(readFileSync(join(dir, "turns.json"), "utf8")) as Turn[];
  const info: RunInfo = existsSync(join(dir, "run-info.json")) ? JSON.parse(readFileSync(join(dir, "run-info.json"), "utf8")) : {};
  const providerOf = (model: string): string => {
    for (const [p, v] of Object.entries(info.providers ?? {})) if (v.models.includes(model)) return p;
    return DEFAULT_PROVIDERS[model] ?? model;
  };
  const reqs = [...record].sort((a, b) => a.t - b.t);
  const episodes: Episode[] = [];
  const open = new Map<string, Episode>();
  for (const r of reqs) {
    const provider = providerOf(r.model);
    const kind = kindOfStatus(r.status, r.mode);
    if (kind === undefined) {
      // A success of the provider ends each of its episodes.
      for (const k of [...open.keys()]) if (k.startsWith(`${provider}|`)) open.delete(k);
      continue;
    }
    const key = `${provider}|${kind}`;
    // A failed request fails until its answer or until the client gives up (endT): a hang is
    // known only when OpenClaw's timeout drops it, minutes after it was sent (the 2026.9.6-incidents
    // capture logs its `[model-fetch] error … LLM idle timeout (420s)` at endT, not at t).
    const end = Math.max(r.t, r.endT ?? r.t);
    const ep = open.get(key);
    if (ep) { ep.end = Math.max(ep.end, end); if (!ep.statuses.includes(r.status)) ep.statuses.push(r.status); continue; }
    const fresh: Episode = { kind, provider, start: r.t, end, statuses: [r.status] };
    open.set(key, fresh);
    episodes.push(fresh);
  }
  // Phases in record order, each spanning until the next one's first request.
  const phases: string[] = [];
  for (const r of reqs) if (!phases.includes(r.phase)) phases.push(r.phase);
  const span = (phase: string): [number, number] => {
    const inPhase = reqs.filter((r) => r.phase === phase);
    const next = reqs.find((r) => phases.indexOf(r.phase) > phases.indexOf(phase));
    return [inPhase[0]!.t, next?.t ?? inPhase.at(-1)!.t];
  };
  // A failed turn's provider/model in turns.json is only what the CLI named: for the incomplete
  // turn of the 2026.9.6-incidents capture it is the last candidate tried (fakec/gamma, exit 1,
  // "⚠️ Agent couldn't generate a response"), which never answered. A failed turn is answered
  // only where its model has an answered request in its phase (the 2026.7.35 CLI re-ran timed-out
  // turns embedded and got one).
  const answeredIn = (t: Turn) => reqs.some((r) => r.phase === t.phase && r.model === t.model && r.status >= 200 && r.status < 300 && kindOfStatus(r.status, r.mode) === undefined);
  const unanswered = (t: Turn) => !t.ok && (t.provider === undefined || !answeredIn(t));
  for (const phase of phases) {
    const failedTurn = turns.some((t) => t.phase === phase && unanswered(t) && t.pinned !== true);
    const anySuccess = reqs.some((r) => r.phase === phase && kindOfStatus(r.status, r.mode) === undefined);
    if (!failedTurn || anySuccess) continue;
    const [start, end] = span(phase);
    episodes.push({ kind: "all_models_failed", provider: "gateway", start, end, statuses: [] });
  }
  // A request left unanswered for minutes is a session that needs attention while it waits
  // (OpenClaw warns `stalled session` from 300 s, at the default level).
  for (const r of reqs) {
    if (r.endT !== undefined && r.endT - r.t >= STALL_MS) episodes.push({ kind: "session_attention", provider: "stalled", start: r.t + STALL_MS, end: r.endT, statuses: [] });
  }
  const lastTurn = turns.at(-1);
  const primary = info.primary?.split("/")[0] ?? turns.find((t) => t.ok)?.provider;
  const finalVerdict: Truth["finalVerdict"] = lastTurn === undefined || unanswered(lastTurn) ? ["degraded", "down"]
    : lastTurn.provider === primary ? ["healthy"] : ["healthy", "degraded"];
  return {
    episodes, finalVerdict, failedTurns: turns.filter(unanswered).length,
    first: reqs[0]?.t ?? NaN, last: reqs.at(-1)?.t ?? NaN,
  };
}
