/**
 * Issue 20, item 3: the host clock steps back (NTP, a VM restored). The real CLI, with its
 * Date.now stepped by test/support/clock-step-hook.ts (the monotonic clock untouched, as the
 * kernel leaves it). Before the fix, after one hour back a new cooldown and a stuck session
 * dated on the new timeline did not show in the gauges (the event clock only moved forward),
 * the page's clock stayed an hour ahead, and after two more hours back the lines written just
 * before that step were rejected as `future_timestamp`.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/sidecar/log.ts";
import { Sidecar } from "../../src/sidecar/sidecar.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { MAX_STEP_MS, STEP_SLACK_MS, WallClock } from "../../src/sidecar/wall-clock.ts";
import { tslogLine } from "../fixtures/build/envelopes.ts";
import { writeStep } from "../support/clock-step-hook.ts";
import { delay, startCli, waitFor, type Child } from "./helpers.ts";

const HOOK = join(import.meta.dirname, "../support/clock-step-hook.ts");
const HOUR = 3_600_000;
const dirs: string[] = [];
let child: Child | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  if (child && child.proc.exitCode === null) child.proc.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cooldown = (at: number, provider: string, untilMs: number) => tslogLine("4.14", {
  sub: "agent/embedded", level: "WARN", at: new Date(at).toISOString(),
  args: [{ event: "auth_profile_failure_state_updated", runId: "r1", profileId: `${provider}:default`, provider, reason: "rate_limit", windowType: "cooldown", errorCount: 1, cooldownUntil: untilMs }, "auth profile failure state updated"],
});
const stuck = (at: number, session: string) => tslogLine("4.14", {
  sub: "diagnostic", level: "WARN", at: new Date(at).toISOString(),
  args: [`stuck session: sessionId=${session} sessionKey=agent:main:${session} state=processing age=130s queueDepth=1`],
});

const sample = (text: string, name: string, label: string): number | undefined => {
  const m = new RegExp(`^${name}\\{[^}]*${label}[^}]*\\} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : undefined;
};

describe("the host clock steps back (issue 20, item 3)", () => {
  it("clock_step_back: new cooldowns and stuck sessions show, the page's clock follows, lines from before a 2 h step are counted", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-step-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-step-state-"));
    dirs.push(logs, state);
    const stepFile = join(state, "..", `${state.split("/").pop()}-step`);
    dirs.push(stepFile);
    let offset = 0;
    const step = (ms: number) => { offset += ms; writeStep(stepFile, offset); };
    step(0);
    // The gateway's clock is the host's: it dates its lines with the stepped clock too.
    const hostNow = () => Date.now() - offset;
    const file = join(logs, "openclaw-2026-11-21.log");
    const write = (...lines: string[]) => appendFileSync(file, lines.map((l) => `${l}\n`).join(""));
    writeFileSync(file, "");
    child = startCli(["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20", "--checkpoint-interval", "100"],
      { NODE_OPTIONS: `--import=${HOOK}`, CLOCK_STEP_FILE: stepFile });
    const url = await Promise.race([child.url, child.exited.then((c) => { throw new Error(`exited ${c}: ${child!.stderr()}`); })]);
    const metrics = async () => (await fetch(`${url}/metrics`)).text();

    // Before: a cooldown of 30 min, read on time.
    write(cooldown(hostNow(), "pa", hostNow() + 30 * 60_000));
    expect(await waitFor(async () => sample(await metrics(), "openclaw_auth_cooldown_active", 'openclaw_provider="pa"') === 1)).toBe(true);

    step(HOUR);
    await delay(300); // the hook sees the step within 20 ms; polls run every 20 ms
    // After: a 10 min cooldown and a stuck session, dated by the stepped-back clock.
    write(cooldown(hostNow(), "pb", hostNow() + 10 * 60_000), stuck(hostNow(), "s1"));
    expect(await waitFor(async () => sample(await metrics(), "openclaw_auth_cooldown_active", 'openclaw_provider="pb"') === 1, 5000)).toBe(true);
    expect(sample(await metrics(), "openclaw_session_stuck_active", 'openclaw_kind="stuck"')).toBe(1);
    // The page's clock is the host's again, not an hour ahead.
    const status = await (await fetch(`${url}/status.json`)).json() as { now: number };
    expect(Math.abs(status.now - hostNow())).toBeLessThan(60_000);

    // Two more hours back; lines the gateway wrote just before that step are read after it.
    const before = hostNow();
    step(2 * HOUR);
    await delay(300);
    write(stuck(before - 2000, "s2"), stuck(before - 1000, "s3"));
    // A line dated far ahead of any time this host's clock showed is still refused.
    write(stuck(Date.UTC(3000, 0, 1), "s4"));
    expect(await waitFor(async () => sample(await metrics(), "openclaw_sidecar_lines_rejected_total", 'reason="future_timestamp"') === 1, 5000)).toBe(true);
    const text = await metrics();
    expect(sample(text, "openclaw_session_stuck_active", 'openclaw_kind="stuck"')).toBe(3);
    expect(sample(text, "openclaw_sidecar_lines_read_total", 'openclaw_source="log"')).toBe(6);

    // Each step was noticed, measured and told once.
    expect(child.stderr().match(/the wall clock stepped back \d+ s/g)?.map((m) => Math.round(Number(/(\d+) s/.exec(m)![1]) / 60))).toEqual([60, 120]);
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  }, 60_000);

  it("clock_step_while_down: a restart 59 min behind the checkpoint's savedAt re-bases the clock, so a new 10 min cooldown shows", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-step-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-step-state-"));
    dirs.push(logs, state);
    const t0 = Date.UTC(2026, 10, 21, 12, 0, 0);
    let wall = t0;
    vi.spyOn(Date, "now").mockImplementation(() => wall);
    const file = join(logs, "openclaw-2026-11-21.log");
    writeFileSync(file, `${cooldown(t0, "pa", t0 + 30 * 60_000)}\n`);
    const cfg = parseConfig(["--logs", logs, "--state-dir", state, "--listen", "off", "--from-beginning"], {});
    const said: string[] = [];
    const log = createLogger("info", (m) => said.push(m));
    const first = new Sidecar(cfg, log);
    await first.pollOnce();
    await first.stop();
    // Down while NTP steps the clock back 59 min: within the hour the future guard tolerates,
    // so the saved event clock (t0) was kept, ahead of every new line.
    wall = t0 + 5000 - 59 * 60_000;
    const second = new Sidecar(cfg, log);
    await second.pollOnce();
    appendFileSync(file, `${cooldown(wall, "pb", wall + 10 * 60_000)}\n`);
    wall += 1000;
    await second.pollOnce();
    const text = renderPrometheus(second.store, {});
    await second.stop();
    expect(sample(text, "openclaw_auth_cooldown_active", 'openclaw_provider="pb"')).toBe(1);
    expect(sample(text, "openclaw_auth_cooldown_active", 'openclaw_provider="pa"')).toBe(1);
    expect(said.join("")).toMatch(/the wall clock stepped back 3535 s/);
  });
});

describe("WallClock", () => {
  const fake = () => {
    const c = { wall: 1_000_000_000, mono: 0 };
    return { c, clock: new WallClock(() => c.wall, () => c.mono) };
  };

  it("tells a step back measured against the monotonic clock, once, and not slewing or a step forward", () => {
    const { c, clock } = fake();
    c.wall += 1000; c.mono += 1000;
    expect(clock.tick().stepMs).toBe(0);
    c.wall += 1000 - (STEP_SLACK_MS - 1); c.mono += 1000; // slewing, poll jitter
    expect(clock.tick().stepMs).toBe(0);
    c.wall += 2 * 3_600_000; c.mono += 1000; // forward: nothing to re-base
    expect(clock.tick().stepMs).toBe(0);
    c.wall -= 3_600_000; c.mono += 1000;
    expect(clock.tick().stepMs).toBe(3_600_000 + 1000);
    expect(clock.tick().stepMs).toBe(0);
  });

  it("keeps the future guard at the latest time shown and the clocks' limit near the wall until the new timeline catches up", () => {
    const { c, clock } = fake();
    const shown = c.wall;
    expect(clock.guardNow()).toBe(shown);
    expect(clock.clockLimit()).toBe(shown + 3_600_000);
    c.wall -= 2 * 3_600_000;
    clock.tick();
    expect(clock.guardNow()).toBe(shown);
    expect(clock.clockLimit()).toBe(c.wall + STEP_SLACK_MS);
    c.wall = shown - 1000; // caught up
    expect(clock.guardNow()).toBe(c.wall);
    expect(clock.clockLimit()).toBe(c.wall + 3_600_000);
  });

  it("does not believe a clock that was more than a day ahead, and takes a checkpoint's savedAt as a time shown", () => {
    const { c, clock } = fake();
    c.wall -= MAX_STEP_MS + 60_000;
    expect(clock.tick().stepMs).toBe(MAX_STEP_MS + 60_000);
    expect(clock.guardNow()).toBe(c.wall);
    const other = fake();
    other.clock.noteSeen(other.c.wall + 3_000_000);
    expect(other.clock.guardNow()).toBe(other.c.wall + 3_000_000);
    expect(other.clock.tick().stepMs).toBe(3_000_000);
    other.clock.noteSeen(other.c.wall + STEP_SLACK_MS - 1); // a saved time just ahead: skew, not a step
    expect(other.clock.tick().stepMs).toBe(0);
  });
});
