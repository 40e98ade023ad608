// The issue-19 capture scenario (run.ts --scenario incidents, E2E_SCENARIO=incidents): the
// incidents people must be told about, each phase ending in recovery turns, so a capture can
// check that incidents open, page and close as the fake provider's record says. Same providers,
// keys and chain as `failures` (gateway.ts failuresSetup), except fakea's request timeout.
//
// Phases (each request's phase is in provider-record.json):
// - baseline: one healthy turn.
// - short_storm (~1 min of 429s on both fakea keys; turns fall back to fakeb), short_recovery.
// - long_storm (429s on both fakea keys until they span LONG_STORM_MS, turns every ~30 s going to
//   the fallback), long_recovery after fakea's cooldowns ended (at most 5 min).
// - hang: the primary's first request of the turn never answers; every later request is normal
//   again, so one request hangs until fakea's timeoutSeconds (HANG_TIMEOUT_S) drops it and the
//   turn goes on. hang_recovery.
// - incomplete: every model answers 200 with no text (mode `empty`): OpenClaw retries, then gives
//   the turn up as incomplete (`incomplete turn detected … surfacing error to user`). recovery.
import type { Mode, RecordEntry } from "./fake-provider.ts";
import { failuresSetup, FAKE_KEYS, type Setup } from "./gateway.ts";
import type { ScenarioDriver } from "./scenario-failures.ts";

export interface IncidentsDriver extends ScenarioDriver {
  turn(phase: string, i: number, timeoutS?: number): Promise<void>;
  setRules(phase: string, rules: Record<string, Mode>): Promise<void>;
  records(): readonly RecordEntry[];
  log(message: string): void;
}

/**
 * fakea's request timeout: long enough for OpenClaw's `stalled session` warning (300 s without
 * progress) and a hang of about 7 minutes. OpenClaw 2026.9.6 bounds its stream-idle watchdog by
 * the provider's timeoutSeconds (and the run's --timeout), and disables its 120 s cloud default
 * for a loopback base URL (llm-idle-timeout.ts), so this is the hang's length.
 */
export const HANG_TIMEOUT_S = 420;
/** The hang turn's CLI --timeout: above the provider timeout, so the run outlives the hang. */
const HANG_TURN_TIMEOUT_S = 600;
const SHORT_STORM_MS = 60_000;
/** The long storm's 429s must span at least this long (issue 19: a storm that must page). */
const LONG_STORM_MS = 6.5 * 60_000;
/** Give up extending the long storm after this long (OpenClaw may stop trying fakea at all). */
const LONG_STORM_CAP_MS = 11 * 60_000;

export function incidentsSetup(logLevel: Setup["logLevel"], plugin?: string): Setup {
  const s = failuresSetup(logLevel, plugin);
  s.providers.fakea = { ...s.providers.fakea!, timeoutSeconds: HANG_TIMEOUT_S };
  return s;
}

const k = (key: string) => `key:${key}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function incidentsScenario(d: IncidentsDriver): Promise<void> {
  const a1 = k(FAKE_KEYS.a1), a2 = k(FAKE_KEYS.a2);
  const storm: Record<string, Mode> = { [a1]: "429", [a2]: "429" };
  /** First and last 429 of fakea's keys in a phase. */
  const span429 = (phase: string): number => {
    const ts = d.records().filter((r) => r.phase === phase && r.status === 429 && r.model === "alpha").map((r) => r.t);
    return ts.length < 2 ? 0 : Math.max(...ts) - Math.min(...ts);
  };

  await d.phase("baseline", {}, 1);

  // A short burst: turns for about a minute, each waiting out fakea's 30 s cooldown so the next
  // one asks fakea again.
  await d.setRules("short_storm", storm);
  const shortStart = Date.now();
  for (let i = 1; i === 1 || Date.now() - shortStart < SHORT_STORM_MS; i++) {
    await d.turn("short_storm", i);
    if (Date.now() - shortStart < SHORT_STORM_MS) await d.waitForCooldowns(["fakea"], 35_000);
  }
  await d.waitForCooldowns(["fakea"], 90_000);
  await d.phase("short_recovery", {}, 1);

  // A long storm: OpenClaw's cooldowns grow to 5 min, but it probes the primary near their end
  // (30 s throttle), so turns every ~30 s keep meeting fakea's 429s.
  await d.setRules("long_storm", storm);
  const longStart = Date.now();
  for (let i = 1; span429("long_storm") < LONG_STORM_MS && Date.now() - longStart < LONG_STORM_CAP_MS; i++) {
    await d.turn("long_storm", i);
    await sleep(30_000);
  }
  d.log(`long_storm: fakea 429s span ${(span429("long_storm") / 60_000).toFixed(1)} min`);
  await d.setRules("long_recovery", {});
  await d.waitForCooldowns(["fakea"], 300_000);
  await d.phase("long_recovery", {}, 2);

  // One hanging request: hang on both fakea keys until the first one arrives, then normal again.
  await d.setRules("hang", { [a1]: "hang", [a2]: "hang" });
  let settled = false;
  const hangTurn = d.turn("hang", 1, HANG_TURN_TIMEOUT_S).finally(() => { settled = true; });
  while (!settled && !d.records().some((r) => r.phase === "hang" && r.mode === "hang")) await sleep(200);
  await d.setRules("hang", {});
  await hangTurn;
  await d.waitForCooldowns(["fakea"], 90_000);
  await d.phase("hang_recovery", {}, 1);

  // An incomplete turn: every candidate answers with no text.
  await d.phase("incomplete", { "*": "empty" }, 1);
  await d.waitForCooldowns(["fakea", "fakeb"], 90_000);
  await d.phase("recovery", {}, 2);
}
