/**
 * What the alerts must do over a capture, from the truth alone (truth.ts: the fake provider's
 * record and the turns), never from the rules or the sidecar's output. The numbers are the
 * product's promises (issue 19), not the rules' windows read back:
 *
 * - A user-facing failure pages within PAGE_MIN of the moment it can be known: a dead key (401/403)
 *   or a spent credit (402) after its first answer, every model failing once the failing turn's
 *   chain has ended (at the latest when its episode ends).
 * - A rate-limit storm that lasts STORM_MIN or more pages within STORM_PAGE_MIN of its start; a
 *   shorter burst may page or not.
 * - No alert of a provider's trouble fires without an episode of that kind on that provider, and
 *   each firing ends within RESOLVE_MIN of the episode's last failure: alerts resolve after
 *   recovery, without a success line to tell them.
 * - Where the last turn was answered, nothing at all still fires at the end of the silence after
 *   the capture.
 */
import type { Episode, Truth, TruthKind } from "./truth.ts";

export const PAGE_MIN = 3;
export const STORM_MIN = 2;
export const STORM_PAGE_MIN = 5;
export const RESOLVE_MIN = 12;

/** The alert that tells each kind of trouble; `provider` says whether it carries openclaw_provider. */
export const ALERT_OF: Partial<Record<TruthKind, { alert: string; provider: boolean }>> = {
  rate_limit: { alert: "OpenClawProviderRateLimited", provider: true },
  auth: { alert: "OpenClawProviderAuthFailing", provider: true },
  billing: { alert: "OpenClawProviderBillingExhausted", provider: true },
  all_models_failed: { alert: "OpenClawAllModelsFailing", provider: false },
};

export interface Fired { alert: string; provider?: string | undefined; from: number; to: number }

/** Every way `fired` (epoch ms) departs from the truth; empty when the alerts told it right. `end`: the last evaluation. */
export function alertProblems(truth: Truth, fired: readonly Fired[], end: number): string[] {
  const problems: string[] = [];
  const min = (ms: number) => `${((ms - truth.first) / 60_000).toFixed(1)} min`;
  const of = (ep: Episode) => ALERT_OF[ep.kind];
  const matches = (f: Fired, ep: Episode) => of(ep)?.alert === f.alert && (!of(ep)!.provider || f.provider === ep.provider);
  for (const ep of truth.episodes) {
    const a = of(ep);
    if (a === undefined) continue;
    const what = `${ep.kind} of ${ep.provider} (${min(ep.start)} to ${min(ep.end)})`;
    let deadline: number | undefined;
    if (ep.kind === "rate_limit") {
      if (ep.end - ep.start >= STORM_MIN * 60_000) deadline = ep.start + STORM_PAGE_MIN * 60_000;
    } else if (ep.kind === "all_models_failed") deadline = ep.end + PAGE_MIN * 60_000;
    else deadline = ep.start + PAGE_MIN * 60_000;
    if (deadline === undefined) continue;
    const paged = fired.some((f) => matches(f, ep) && f.to >= ep.start && f.from <= deadline!);
    if (!paged) problems.push(`${what}: ${a.alert} did not fire by ${min(deadline)}`);
  }
  for (const f of fired) {
    const kinds = Object.entries(ALERT_OF).filter(([, a]) => a.alert === f.alert).map(([k]) => k);
    if (kinds.length === 0) continue;
    const eps = truth.episodes.filter((ep) => kinds.includes(ep.kind) && matches(f, ep));
    const label = `${f.alert}${f.provider === undefined ? "" : `{${f.provider}}`} (${min(f.from)} to ${min(f.to)})`;
    if (!eps.some((ep) => f.from >= ep.start && f.from <= ep.end + RESOLVE_MIN * 60_000)) {
      problems.push(`${label} fired with no ${kinds.join("/")} episode behind it`);
      continue;
    }
    const lastEnd = Math.max(...eps.filter((ep) => ep.start <= f.to).map((ep) => ep.end));
    if (f.to > lastEnd + RESOLVE_MIN * 60_000) problems.push(`${label} still fired ${RESOLVE_MIN} min after the last failure at ${min(lastEnd)}`);
  }
  if (truth.finalVerdict.includes("healthy")) {
    for (const f of fired) if (f.to >= end) problems.push(`${f.alert}${f.provider === undefined ? "" : `{${f.provider}}`} still fires at the end, though the last turn was answered`);
  }
  return problems;
}
