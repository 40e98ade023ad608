/** A stack scenario's first bursts written as the files its gateway would have left (one minute apart). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localDay } from "../../src/serving/live-incidents.ts";
import { SCENARIOS } from "../stack/scenarios/index.ts";

/**
 * Files are named by t0's local day, as OpenClaw names them; `day` fixes the name instead, for
 * goldens that must not depend on the machine's time zone.
 */
export function writeScenario(host: string, dir: string, bursts: number, t0: number, day: string = localDay(t0)): string {
  const sc = SCENARIOS.find((s) => s.host === host);
  if (sc === undefined) throw new Error(`no scenario ${host}`);
  mkdirSync(dir, { recursive: true });
  const log: string[] = [], jsonl: string[] = [];
  for (let i = 0; i < bursts; i++) {
    const b = sc.burst(i, t0 + i * 60_000);
    log.push(...b.log);
    jsonl.push(...(b.jsonl ?? []));
  }
  writeFileSync(join(dir, `openclaw-${day}.log`), log.join("\n") + "\n");
  if (jsonl.length) writeFileSync(join(dir, `diagnostics-${day}.jsonl`), jsonl.join("\n") + "\n");
  return dir;
}
