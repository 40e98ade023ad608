/**
 * The host clock steps back (issue 20, item 3): NTP stepping a clock that ran ahead, a VM
 * restored. The real CLI with its Date.now stepped by test/support/clock-step-hook.ts (the
 * monotonic clock untouched); the gateway's lines are dated by the same stepped clock. Steps
 * of 1 h and 2 h while running (plus random ones in full mode) and one while stopped. After
 * each: a new cooldown shows in the gauge, every stuck session warned so far is active, the
 * page's clock is the host's; lines written just before a step and read after it are counted;
 * a line dated year 3000 is still refused; at the end the checkpoint equals one in-memory pass.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tslogLine } from "../fixtures/build/envelopes.ts";
import { cumulativeSamples, delay, startCli, truthFor, waitFor, type Child } from "../sidecar/helpers.ts";
import { writeStep } from "../support/clock-step-hook.ts";
import { checkpointTotals, sameSamples, started, tempDir, type Ctx, type Row } from "./lib.ts";

const HOOK = join(import.meta.dirname, "../support/clock-step-hook.ts");
const MIN = 60_000;
const HOUR = 60 * MIN;

const L = (at: number, sub: string, level: "WARN" | "ERROR", args: unknown[]) => tslogLine("4.14", { sub, level, at: new Date(at).toISOString(), args });
const cooldown = (at: number, provider: string, until: number) => L(at, "agent/embedded", "WARN", [
  { event: "auth_profile_failure_state_updated", runId: "r", profileId: `${provider}:default`, provider, reason: "rate_limit", windowType: "cooldown", errorCount: 1, cooldownUntil: until },
  "auth profile failure state updated"]);
const stuck = (at: number, session: string) => L(at, "diagnostic", "WARN", [`stuck session: sessionId=${session} sessionKey=agent:main:${session} state=processing age=130s queueDepth=1`]);
const webhookError = (at: number, i: number) => L(at, "diagnostic", "ERROR", [`webhook error: channel=telegram type=message chatId=${i % 5} error="timeout" errors=1`]);

const sample = (text: string, name: string, label: string) =>
  Number(new RegExp(`^${name}\\{[^}]*${label}[^}]*\\} (\\S+)$`, "m").exec(text)?.[1] ?? 0);

export async function clockStepScenario(ctx: Ctx): Promise<Row> {
  const scenario = "clock steps back";
  const logs = tempDir(ctx, "step-logs");
  const state = tempDir(ctx, "step-state");
  const stepFile = join(tempDir(ctx, "step-ctl"), "offset");
  let offset = 0;
  const step = (ms: number) => { offset += ms; writeStep(stepFile, offset); };
  step(0);
  const hostNow = () => Date.now() - offset;
  const file = join(logs, "openclaw-2026-11-21.log");
  writeFileSync(file, "");
  const lines: string[] = [];
  const write = (batch: string[]) => { lines.push(...batch); appendFileSync(file, batch.map((l) => `${l}\n`).join("")); };
  const traffic = (n: number) => Array.from({ length: n }, (_, i) => webhookError(hostNow() - n + i, lines.length + i));
  const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20", "--checkpoint-interval", "100"];
  const env = { NODE_OPTIONS: `--import=${HOOK}`, CLOCK_STEP_FILE: stepFile };
  let child: Child = startCli(args, env);
  let url = await started(child, child.url);
  const metrics = async () => (await fetch(`${url}/metrics`)).text();

  const steps = ctx.quick ? [HOUR, 2 * HOUR] : [HOUR, 2 * HOUR, ...Array.from({ length: 3 }, () => Math.round((0.5 + ctx.rand() * 4.5) * HOUR))];
  const failures: string[] = [];
  let stuckWarned = 0;
  const afterStep = async (k: number) => {
    // Dated by the stepped-back clock: a window of 10-50 min and a stuck session.
    const provider = `p${k}`;
    write([cooldown(hostNow(), provider, hostNow() + (10 + Math.floor(ctx.rand() * 40)) * MIN), stuck(hostNow(), `s${k}`)]);
    stuckWarned++;
    const shown = await waitFor(async () => sample(await metrics(), "openclaw_auth_cooldown_active", `openclaw_provider="${provider}"`) === 1, 5000);
    if (!shown) failures.push(`step ${k}: new cooldown not shown`);
    const active = sample(await metrics(), "openclaw_session_stuck_active", 'openclaw_kind="stuck"');
    if (active !== stuckWarned) failures.push(`step ${k}: ${active} of ${stuckWarned} stuck sessions active`);
    const now = ((await (await fetch(`${url}/status.json`)).json()) as { now: number }).now;
    if (Math.abs(now - hostNow()) > MIN) failures.push(`step ${k}: page clock ${Math.round((now - hostNow()) / MIN)} min off`);
  };

  write(traffic(20));
  for (const [k, d] of steps.entries()) {
    write(traffic(1 + Math.floor(ctx.rand() * 30)));
    // Written just before the step, read after it: dated on the old timeline.
    const backlog = traffic(1 + Math.floor(ctx.rand() * 10));
    await waitFor(async () => sample(await metrics(), "openclaw_sidecar_lines_read_total", 'openclaw_source="log"') === lines.length, 5000);
    step(d);
    await delay(150);
    write(backlog);
    await afterStep(k);
  }
  // Stopped, then the clock steps back 45 min while it is down (the restart sees savedAt ahead).
  child.proc.kill("SIGTERM");
  if ((await child.exited) !== 0) failures.push("first run did not stop cleanly");
  step(45 * MIN);
  child = startCli(args, env);
  url = await started(child, child.url);
  await afterStep(steps.length);
  write([stuck(Date.UTC(3000, 0, 1), "bogus")]);
  const refused = await waitFor(async () => sample(await metrics(), "openclaw_sidecar_lines_rejected_total", 'reason="future_timestamp"') === 1, 5000);
  if (!refused) failures.push("year-3000 line not refused");
  child.proc.kill("SIGTERM");
  const code = await child.exited;
  // The oracle: one in-memory pass over every line (its guard uses the real clock, never stepped).
  const truth = cumulativeSamples(truthFor(lines.map((line) => ({ source: "log" as const, profile: "", path: file, offset: 0, line }))));
  const got = checkpointTotals(state);
  const exact = code === 0 && got !== undefined && got.lines === lines.length && sameSamples(got.samples, truth);
  if (!exact) failures.push(`checkpoint ${got?.lines ?? "none"} of ${lines.length} lines${got && !sameSamples(got.samples, truth) ? ", counters differ" : ""}`);
  return {
    scenario, trials: steps.length + 1,
    expected: "after each step back: new cooldown + stuck shown, page clock = host's; year 3000 refused; checkpoint exact",
    observed: failures.length === 0 ? `${steps.length} steps running + 1 while down: all shown; ${lines.length} lines exact` : failures.slice(0, 3).join("; "),
    pass: failures.length === 0,
  };
}
