/**
 * Which provider answered a turn. A default-level log names the provider of a failure, never of
 * a success: 9.6 logs no 2xx, only `[agent] run <id> ended with stopReason=stop` (no provider)
 * and, when a fallback answered, `candidate_succeeded` (with it). So each run's current
 * candidate is followed from its own lines: the requested model until a failover moves it on.
 * A run with no line before its end was answered by the model it asked for: the primary, as
 * the decision lines name it (`requestedProvider`).
 *
 * Run ids live here only, in memory, for RUN_KEEP_MS and at most MAX_RUNS runs: they never
 * reach an incident, the checkpoint, the page or `report` (like attempts.ts).
 */

const RUN_KEEP_MS = 30 * 60_000;
const MAX_RUNS = 256;

interface Run { t: number; provider?: string; model?: string; ended: boolean; credited?: boolean }

export class RunLedger {
  private readonly runs = new Map<string, Run>();

  /**
   * A line of run `id` about `provider`: it is the run's candidate now (a failure, a rotation, a
   * failover's target). `undefined`: the run moved on to a candidate its lines do not name.
   */
  candidate(id: string | undefined, t: number, provider: string | undefined, model?: string): void {
    if (id === undefined) return;
    const r = this.get(id, t);
    r.provider = provider;
    r.model = model;
  }

  /** The run's answer was credited already (its fallback's candidate_succeeded). */
  credit(id: string | undefined, t: number): void {
    if (id !== undefined) this.get(id, t).credited = true;
  }

  /**
   * The run ended with an answer: the provider and model that gave it, `undefined` provider when
   * its lines did not say; `first` false when this run's end was already seen (the gateway and
   * the CLI both write it).
   */
  ended(id: string | undefined, t: number): { first: boolean; seen: boolean; credited: boolean; provider?: string; model?: string } {
    if (id === undefined) return { first: true, seen: false, credited: false };
    const known = this.runs.get(id);
    const r = this.get(id, t);
    const first = !r.ended;
    r.ended = true;
    return { first, seen: known !== undefined, credited: r.credited === true, provider: r.provider, model: r.model };
  }

  private get(id: string, t: number): Run {
    let r = this.runs.get(id);
    if (r === undefined) {
      r = { t, ended: false };
      this.runs.set(id, r);
      if (this.runs.size > MAX_RUNS) this.prune(t);
    }
    return r;
  }

  private prune(now: number): void {
    for (const [id, r] of this.runs) {
      if (this.runs.size <= MAX_RUNS && now - r.t <= RUN_KEEP_MS) break;
      this.runs.delete(id);
    }
  }
}
