/** The scenarios the stack e2e test replays, one sidecar (one host_name) each. */
import { allModelsFailing } from "./all-models-failing.ts";
import { discordReconnectLoop } from "./discord-reconnect-loop.ts";
import { firstAllFailed, firstAuth, firstBilling, firstProviderSkip } from "./first-events.ts";
import { messagesStopped, spendHigh, usageGrowth } from "./foresight.ts";
import { healthy } from "./healthy.ts";
import type { Scenario } from "./lines.ts";
import { rateLimitStorm } from "./rate-limit-storm.ts";
import { sidecarDegraded } from "./sidecar-degraded.ts";
import { stuckSession } from "./stuck-session.ts";

export type { Burst, ExpectedAlert, Scenario } from "./lines.ts";
export const SCENARIOS: readonly Scenario[] = [
  healthy, rateLimitStorm, allModelsFailing, stuckSession, discordReconnectLoop, sidecarDegraded,
  firstAllFailed, firstBilling, firstAuth, firstProviderSkip, usageGrowth, messagesStopped, spendHigh,
];
