/**
 * Memory over a long run (issue 20 item 9): `run` follows a gateway whose chats, session ids,
 * per-session lanes, run ids and models keep changing, with a new day's files every 100k log
 * lines and the files of the day before yesterday deleted, while lines arrive at 30,000 a
 * second (bench/lib/soak.ts, turn script test/fixtures/build/soak-lines.ts, seeded).
 *
 * Expected: every line read, every turn and failover counted once (the script's own counts:
 * the log's echoes and the plugin's JSONL carry each of them), and the resident set flat: its
 * peak (VmHWM, as every scenario's RSS) at most 1.35x the peak of a plain `replay` of the last
 * two days' files (what is left in the directory), run here. Before the heap settings of
 * src/sidecar/heap-tuning.ts, V8's young generation kept growing over such a run: main's
 * `node src/cli.ts run` peaked at 187-190 MB over 1.2M lines (1.58x that replay; 124 MB,
 * 1.16x, after), and before the tailer read every JSONL first it counted 0.1-0.6 % of turns
 * twice in some runs (45,487 of 45,435 here; test/sidecar/new-day-jsonl.test.ts).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { measureSoak } from "../../bench/lib/soak.ts";
import { CLI } from "../sidecar/helpers.ts";
import { replayUsage, tempDir, type Ctx, type Row } from "./lib.ts";

export async function memoryScenario(ctx: Ctx, cli = CLI): Promise<Row> {
  const lines = ctx.quick ? 1_200_000 : 2_400_000;
  const dir = tempDir(ctx, "memory");
  const f = await measureSoak(cli, dir, "churn", lines, 30_000, 100_000, { seed: 1 + Math.floor(ctx.rand() * 1e6) });
  const logs = join(dir, "soak-churn-logs");
  const baseline = replayUsage(ctx, readdirSync(logs).map((n) => join(logs, n)));
  const exact = f.counted.messages === f.turns && f.counted.failovers === f.failovers;
  return {
    scenario: `${(f.lines / 1e6).toFixed(1)}M lines with churn, ${f.days} days of files`, trials: 1,
    expected: `${f.turns} turns and ${f.failovers} failovers counted, peak RSS <= 1.35x replay`,
    observed: `${f.counted.messages} turns, ${f.counted.failovers} failovers; plateau ${f.plateauRssMb.toFixed(0)} MB (VmHWM ${f.hwmMb.toFixed(0)})`,
    pass: exact,
    usage: { rssKiB: f.hwmMb * 1024, cpuMs: f.cpuS * 1000 }, baseline, bound: { rss: 1.35, cpu: 8 },
  };
}
