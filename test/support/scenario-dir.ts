/** A stack scenario's first bursts written as the files its gateway would have left (one minute apart). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SCENARIOS } from "../stack/scenarios/index.ts";

export function writeScenario(host: string, dir: string, bursts: number, t0: number): string {
  const sc = SCENARIOS.find((s) => s.host === host);
  if (sc === undefined) throw new Error(`no scenario ${host}`);
  mkdirSync(dir, { recursive: true });
  const log: string[] = [], jsonl: string[] = [];
  for (let i = 0; i < bursts; i++) {
    const b = sc.burst(i, t0 + i * 60_000);
    log.push(...b.log);
    jsonl.push(...(b.jsonl ?? []));
  }
  const d = new Date(t0);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
  writeFileSync(join(dir, `openclaw-${day}.log`), log.join("\n") + "\n");
  if (jsonl.length) writeFileSync(join(dir, `diagnostics-${day}.jsonl`), jsonl.join("\n") + "\n");
  return dir;
}
