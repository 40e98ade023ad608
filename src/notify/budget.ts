/**
 * Budget thresholds: a message when today's usage (the page's "Tokens and cost today", from
 * whichever source has usage: the plugin's JSONL or OpenClaw's session store) crosses a step of
 * a daily budget, in tokens or in US dollars. Each step is told once per local day and kind; a
 * jump over several steps at once is one message naming the highest. What was told rides in the
 * checkpoint, so a restart does not tell a step again.
 */
import type { BudgetConfig } from "../config/notify.ts";
import type { NotifySeverity } from "../config/notify-settings.ts";
import type { NoteItem } from "./note.ts";


export interface UsageToday { day: string; rows: Array<{ model: string; tokens: number; costUsd: number }> }

/** Highest step told today, per kind. */
export interface BudgetState { day: string; tokens: number; usd: number }

type Kind = "tokens" | "usd";

/** How loud a step is: the budget spent pages, most of it warns, the early steps inform. */
export function stepSeverity(pct: number): NotifySeverity {
  return pct >= 100 ? "critical" : pct >= 80 ? "warning" : "info";
}

const amount = (kind: Kind, v: number) => (kind === "usd" ? `$${v.toFixed(2)}` : `${Math.round(v).toLocaleString("en-US")} tokens`);

export class BudgetWatch {
  private state: BudgetState = { day: "", tokens: 0, usd: 0 };
  private readonly cfg: BudgetConfig;

  constructor(cfg: BudgetConfig) {
    this.cfg = cfg;
  }

  get active(): boolean { return this.cfg.tokens !== undefined || this.cfg.usd !== undefined; }

  /**
   * The items to tell now (at most one per kind). `allow` says whether a severity may go now
   * (quiet hours): a step held back is not recorded, so it goes once it may.
   */
  check(usage: UsageToday, allow: (s: NotifySeverity) => boolean): { items: NoteItem[]; commit: () => void } {
    if (usage.day !== this.state.day) this.state = { day: usage.day, tokens: 0, usd: 0 };
    const items: NoteItem[] = [];
    const marks: Array<[Kind, number]> = [];
    for (const kind of ["tokens", "usd"] as const) {
      const budget = this.cfg[kind];
      if (budget === undefined || budget <= 0) continue;
      const used = usage.rows.reduce((a, r) => a + (kind === "usd" ? r.costUsd : r.tokens), 0);
      const pct = (used / budget) * 100;
      const step = [...this.cfg.steps].reverse().find((s) => pct >= s);
      if (step === undefined || step <= this.state[kind] || !allow(stepSeverity(step))) continue;
      const top = [...usage.rows].sort((a, b) => (kind === "usd" ? b.costUsd - a.costUsd : b.tokens - a.tokens)).slice(0, 3)
        .map((r) => `${r.model}: ${amount(kind, kind === "usd" ? r.costUsd : r.tokens)}`);
      items.push({
        change: "opened", kind: "budget", severity: stepSeverity(step), subject: kind,
        head: `${kind === "usd" ? "cost" : "token"} budget: ${step} % used today`,
        start: Date.parse(`${usage.day}T00:00:00`) || 0,
        text: `${amount(kind, used)} of ${amount(kind, budget)} today (${usage.day}, local day): ${pct.toFixed(1)} %`,
        facts: top.length > 0 ? [`most: ${top.join(", ")}`] : [],
      });
      marks.push([kind, step]);
    }
    return { items, commit: () => { for (const [k, s] of marks) this.state[k] = s; } };
  }

  toJSON(): BudgetState {
    return { ...this.state };
  }

  restore(saved: unknown): void {
    const s = saved as Partial<BudgetState> | null | undefined;
    if (typeof s?.day === "string" && Number.isFinite(s.tokens) && Number.isFinite(s.usd)) this.state = { day: s.day, tokens: s.tokens!, usd: s.usd! };
  }
}
