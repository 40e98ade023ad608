// The issue-8 capture scenario (run.ts --scenario failures): what a log-only operator at the
// default level sees when providers fail. Setup (gateway.ts failuresSetup): fakea and fakeb
// with two stored keys each, fakec with one config key, chain alpha -> beta -> gamma.
// Every request the fake provider answers is recorded with its phase, so a capture's counts
// can be checked per phase against provider-record.json.
import type { Mode } from "./fake-provider.ts";
import { FAKE_KEYS } from "./gateway.ts";

export interface ScenarioDriver {
  phase(name: string, rules: Record<string, Mode>, count: number, parallel?: boolean): Promise<void>;
  waitForCooldowns(providers: string[], capMs?: number): Promise<void>;
}

const k = (key: string) => `key:${key}`;

export async function failuresScenario(d: ScenarioDriver): Promise<void> {
  const a1 = k(FAKE_KEYS.a1), a2 = k(FAKE_KEYS.a2), b1 = k(FAKE_KEYS.b1), b2 = k(FAKE_KEYS.b2);
  await d.phase("baseline", {}, 2);
  // Dead keys on fakea: 401 on key1, 403 on key2 -> rotation, auth cooldowns, fallback to fakeb.
  await d.phase("auth", { [a1]: "401", [a2]: "403" }, 1);
  await d.waitForCooldowns(["fakea"]);
  // 429 storm on both stored providers: rotation on each, rotation cap, fallback to fakec/gamma;
  // the second turn meets fakea/fakeb in cooldown.
  await d.phase("rate_limit_storm", { [a1]: "429", [a2]: "429", [b1]: "429", [b2]: "429" }, 2);
  // Every model failing: fakea/fakeb still limited (or cooling down), gamma answers 503.
  await d.phase("all_failing", { [a1]: "429", [a2]: "429", [b1]: "429", [b2]: "429", "model:gamma": "503" }, 1);
  await d.waitForCooldowns(["fakea", "fakeb"]);
  // Quota exhausted on fakea (402 "exceeded your current quota"): OpenClaw calls it rate_limit.
  await d.phase("quota", { [a1]: "402", [a2]: "402" }, 1);
  await d.waitForCooldowns(["fakea", "fakeb"]);
  await d.phase("recovery", {}, 2);
}
