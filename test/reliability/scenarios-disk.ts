/**
 * The state directory on a tiny tmpfs in a private mount namespace (root only): filled to
 * 4 KiB free while lines arrive, then freed; and mounted read-only from the start. The
 * checkpoint must never be replaced by a partial file, failures are counted and logged once,
 * counting goes on, and saving resumes when space returns.
 */
import { appendFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../sidecar/helpers.ts";
import { canMountTmpfs, fillDisk as fill, seenBy, withTmpfs } from "../tail/tmpfs.ts";
import { cannotRun, checkpointTotals, diagLine, measured, measuredRun, replayUsage, stop, tempDir, started, type Ctx, type Row } from "./lib.ts";

const FAILURES = /^openclaw_sidecar_checkpoint_failure_total(?:\{[^}]*\})? (\d+)$/m;
const READ = /^openclaw_sidecar_lines_read_total\{[^}]*\} (\d+)$/m;


const scrape = async (url: string, re: RegExp) => Number(re.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
const args = (logs: string, state: string) => ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20", "--checkpoint-interval", "100"];
const skipped = (scenario: string): Row => cannotRun(scenario, "needs root + unshare", "cannot mount a tmpfs");

export async function diskFullScenario(ctx: Ctx): Promise<Row> {
  const scenario = "disk full (state on tmpfs)";
  if (!canMountTmpfs()) return skipped(scenario);
  const logs = tempDir(ctx, "full-logs");
  const state = tempDir(ctx, "full-state");
  const file = join(logs, "diagnostics-2026-11-21.jsonl");
  const write = (from: number, to: number) => { for (let i = from; i < to; i++) appendFileSync(file, `${diagLine(i)}\n`); };
  write(0, 40);
  const { child, out } = measuredRun(ctx, args(logs, state), {}, (argv) => withTmpfs(state, 256, argv));
  const url = await started(child, child.url);
  const inside = seenBy(child.proc.pid!, state);
  const lines = () => { try { return checkpointTotals(inside)?.lines; } catch { return "corrupt"; } };
  const before = await waitFor(() => lines() === 40);
  fill(join(inside, "filler"), 0); // the diagnostics checkpoint is small: no room at all
  write(40, 80);
  const failed = await waitFor(async () => (await scrape(url, FAILURES)) >= 3);
  const kept = lines();
  const leftovers = readdirSync(inside).filter((n) => n.includes(".tmp-")).length;
  rmSync(join(inside, "filler"));
  const resumed = await waitFor(() => lines() === 80);
  const warnings = child.stderr().match(/checkpoint write failed/g)?.length ?? 0;
  const failures = await scrape(url, FAILURES);
  const code = await stop(child);
  const pass = before && failed && kept === 40 && leftovers === 0 && resumed && warnings === 1 && code === 0;
  return {
    scenario, trials: 1,
    expected: "old cp kept (40), no tmp, 1 warning, resumes at 80", observed: `cp ${kept}, tmp ${leftovers}, ${warnings} warning(s) / ${failures} failures, ${resumed ? "resumed at 80" : `stuck at ${lines()}`}`,
    pass, usage: measured(out), baseline: replayUsage(ctx, [file]), bound: { rss: 2.5, cpu: 8 },
  };
}

export async function readOnlyScenario(ctx: Ctx): Promise<Row> {
  const scenario = "read-only state directory";
  if (!canMountTmpfs()) return skipped(scenario);
  const logs = tempDir(ctx, "ro-logs");
  const state = tempDir(ctx, "ro-state");
  const file = join(logs, "diagnostics-2026-11-21.jsonl");
  for (let i = 0; i < 50; i++) appendFileSync(file, `${diagLine(i)}\n`);
  const ro = (argv: string[]): [string, string[]] =>
    ["unshare", ["-m", "sh", "-c", 'mount -t tmpfs -o size=64k tmpfs "$0" && mount -o remount,ro "$0" && exec "$@"', state, ...argv]];
  const { child, out } = measuredRun(ctx, args(logs, state), {}, ro);
  const url = await started(child, child.url);
  const counted = await waitFor(async () => (await scrape(url, READ)) === 50 && (await scrape(url, FAILURES)) >= 2);
  const failures = await scrape(url, FAILURES);
  const warnings = child.stderr().match(/checkpoint write failed/g)?.length ?? 0;
  const code = await stop(child);
  return {
    scenario, trials: 1,
    expected: "50 lines counted, failures counted, 1 warning, exit 0", observed: `${counted ? 50 : "not 50"} lines, ${failures} failures, ${warnings} warning(s), exit ${code}`,
    pass: counted && warnings === 1 && code === 0, usage: measured(out), baseline: replayUsage(ctx, [file]), bound: { rss: 2.5, cpu: 8 },
  };
}
