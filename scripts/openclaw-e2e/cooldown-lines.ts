// OpenClaw's own record of the cooldown and disabled windows it opened: the WARN
// `auth_profile_failure_state_updated` lines of its log (also at the default level), read as
// plain JSON. run.ts waits for them to end between phases; notify-check.ts holds the windows a
// message names to them.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

export interface LoggedWindow { provider: string; reason: string; cooldownUntil?: number; disabledUntil?: number }

/** Every window line in the `.log` files of `dir`, with the ends it carries. */
export async function loggedWindows(dir: string): Promise<LoggedWindow[]> {
  const out: LoggedWindow[] = [];
  for (const f of await readdir(dir)) {
    if (!f.endsWith(".log")) continue;
    for (const line of (await readFile(path.join(dir, f), "utf8")).split("\n")) {
      if (!line.includes("auth_profile_failure_state_updated")) continue;
      for (const v of Object.values(JSON.parse(line) as Record<string, unknown>)) {
        const e = v as { event?: string; provider?: string; reason?: string; cooldownUntil?: number; disabledUntil?: number };
        if (e?.event === "auth_profile_failure_state_updated" && e.provider) {
          out.push({ provider: e.provider, reason: e.reason ?? "", cooldownUntil: e.cooldownUntil, disabledUntil: e.disabledUntil });
        }
      }
    }
  }
  return out;
}
