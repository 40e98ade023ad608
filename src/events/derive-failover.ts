/**
 * Events derived from the failover and auth-profile lines (docs/openclaw-formats.md
 * §3.1–§3.3, §8). All get origin "log".
 *
 * Counting rules (docs/events.md explains them for users):
 * - model.failover comes only from `model fallback decision` candidate_failed with a next
 *   candidate. `embedded run failover decision` fallback_model describes the same switch and is
 *   not counted again; continue_normal is written at every run end and is no failover (§8).
 * - model.all_failed: candidate_failed with no next candidate, or the last candidate skipped,
 *   in a chain of two or more (`chain_end`; 9.6 writes no summary), and the `All models failed
 *   (n)` summary text (`summary`). The deduper counts a summary right after a chain_end once.
 * - model.candidate.succeeded: candidate_succeeded, the success line a default-level log has.
 */
import type { EventBase, OpenClawEvent } from "./types.ts";
import type { Envelope } from "./envelope.ts";
import { EchoMismatch } from "./kv.ts";
import { redactOpt, redactSecrets } from "../redact/redact.ts";

type Meta = Record<string, unknown>;

const str = (m: Meta, k: string): string | undefined => (typeof m[k] === "string" && m[k] !== "" ? (m[k] as string) : undefined);
const num = (m: Meta, k: string): number | undefined => (typeof m[k] === "number" && Number.isFinite(m[k]) ? (m[k] as number) : undefined);
const bool = (m: Meta, k: string): boolean | undefined => (typeof m[k] === "boolean" ? (m[k] as boolean) : undefined);

const log = (base: EventBase): EventBase => ({ ...base, origin: "log" });

/**
 * The end of a fallback chain is "every model failed" only when there was a chain: a turn pinned
 * to one model (`--model`, total 1) that fails is a failed turn, not every model failing.
 * Unknown totals (older lines) keep the old reading.
 */
const chained = (m: Meta): boolean => (num(m, "total") ?? 2) >= 2;
/** The last candidate of its chain (attempt n of n). */
const lastOfChain = (m: Meta): boolean => {
  const a = num(m, "attempt"), t = num(m, "total");
  return a !== undefined && t !== undefined && a >= t;
};

function fallbackDecision(m: Meta, b: EventBase): OpenClawEvent | OpenClawEvent[] | null {
  const decision = str(m, "decision");
  const reason = redactSecrets(str(m, "reason") ?? "unknown");
  const runId = str(m, "runId");
  const requested = { requestedProvider: str(m, "requestedProvider"), requestedModel: str(m, "requestedModel") };
  if (decision === "candidate_failed") {
    const toProvider = str(m, "nextCandidateProvider");
    const toModel = str(m, "nextCandidateModel");
    if (toProvider === undefined && toModel === undefined) {
      // 7.35/9.6 name the chain's outcome: exhausted, the run ends with no answer. A turn whose every
      // candidate answered empty (incomplete turn) has no `res ✗` line: this is its only trace. A
      // `gateway-fallback-<uuid>` run is the CLI running again, embedded, a turn the gateway had
      // (and counted): not another turn (the first 2026.7.35 capture's all_failing-1).
      const turn: OpenClawEvent[] = str(m, "fallbackStepFinalOutcome") === "chain_exhausted" && !runId?.startsWith("gateway-fallback-")
        ? [{ type: "agent.turn.failed", ...log(b), errorCode: "none", reason: "all_models_failed", runId, via: "chain_end" }] : [];
      if (!chained(m)) return turn.length > 0 ? turn : null;
      return [{
        type: "model.all_failed", ...log(b), via: "chain_end", last: "failed", attempts: num(m, "attempt"), runId, lastReason: reason,
        provider: str(m, "candidateProvider"), model: str(m, "candidateModel"),
      }, ...turn];
    }
    return {
      type: "model.failover", ...log(b), sessionId: str(m, "sessionId"), sessionKey: str(m, "sessionKey"),
      fromProvider: str(m, "candidateProvider"), fromModel: str(m, "candidateModel"), toProvider, toModel, ...requested,
      reason, decision, lane: str(m, "lane"), runId, status: num(m, "status"),
    };
  }
  if (decision === "skip_candidate") {
    const provider = str(m, "candidateProvider");
    if (provider === undefined) throw new EchoMismatch("auth.provider.unavailable: candidateProvider required");
    const skip: OpenClawEvent = { type: "auth.provider.unavailable", ...log(b), provider, model: str(m, "candidateModel"), reason: redactOpt(str(m, "reason")), runId };
    // The last candidate skipped (its keys all cooling down) ends the chain with no answer and no
    // candidate_failed line: every model failed all the same (real 9.6 all-failed turns).
    if (!lastOfChain(m) || !chained(m)) return skip;
    return [skip, { type: "model.all_failed", ...log(b), via: "chain_end", last: "skipped", attempts: num(m, "attempt"), runId, lastReason: reason }];
  }
  if (decision === "candidate_succeeded") {
    return { type: "model.candidate.succeeded", ...log(b), provider: str(m, "candidateProvider"), model: str(m, "candidateModel"), ...requested, runId };
  }
  return null; // probe_cooldown_candidate
}

function runFailoverDecision(m: Meta, b: EventBase): OpenClawEvent | null {
  const decision = str(m, "decision");
  const reason = redactSecrets(str(m, "failoverReason") ?? str(m, "profileFailureReason") ?? "unknown");
  const common = { provider: str(m, "provider"), model: str(m, "model"), reason, runId: str(m, "runId") };
  switch (decision) {
    case "rotate_profile": return { type: "auth.profile.rotation", ...log(b), ...common, profileId: str(m, "profileId") };
    case "surface_error": return { type: "model.failover.surfaced", ...log(b), ...common };
    case "skip_candidate": {
      const provider = common.provider;
      if (provider === undefined) throw new EchoMismatch("auth.provider.unavailable: provider required");
      return { type: "auth.provider.unavailable", ...log(b), provider, model: common.model, reason, runId: common.runId };
    }
    default: return null; // fallback_model (counted by its model fallback decision), continue_normal
  }
}

function profileFailure(m: Meta, b: EventBase): OpenClawEvent {
  const w = "auth.profile.failure";
  const provider = str(m, "provider");
  const windowType = str(m, "windowType");
  if (provider === undefined) throw new EchoMismatch(`${w}: provider required`);
  if (windowType !== "cooldown" && windowType !== "disabled") throw new EchoMismatch(`${w}: windowType not one of cooldown|disabled`);
  return {
    type: w, ...log(b), provider, reason: redactSecrets(str(m, "reason") ?? "unknown"), windowType,
    windowReused: bool(m, "windowReused"), errorCount: num(m, "errorCount"), cooldownUntil: num(m, "cooldownUntil"),
    disabledUntil: num(m, "disabledUntil"), profileId: str(m, "profileId"), runId: str(m, "runId"),
  };
}

/** Structured lines (pattern B) of agent/embedded and model-fallback*. */
export function deriveFailover(env: Envelope, base: EventBase): OpenClawEvent | OpenClawEvent[] | null {
  const m = env.meta;
  if (m === undefined) return null;
  switch (env.text) {
    case "model fallback decision": return fallbackDecision(m, base);
    case "embedded run failover decision": return runFailoverDecision(m, base);
    case "auth profile failure state updated": return profileFailure(m, base);
    default: return null;
  }
}

const SUMMARY = /(?:Embedded|Followup) agent failed before reply: .*?All models failed \((\d+)\)/;
/** FailoverReason words in parentheses: `(rate_limit)`; the last one belongs to the last attempt. */
const REASON = /\(([a-z_]+)\)/g;

/** Root-logger `… failed before reply: All models failed (n): p/m: err (reason) | …`. */
export function deriveSummary(env: Envelope, base: EventBase): OpenClawEvent | null {
  const m = SUMMARY.exec(env.text);
  if (!m) return null;
  const last = env.text.slice(env.text.lastIndexOf("|") + 1);
  return {
    type: "model.all_failed", ...log(base), via: "summary", attempts: Number(m[1]),
    lastReason: [...last.matchAll(REASON)].at(-1)?.[1],
  };
}
