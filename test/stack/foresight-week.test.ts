/**
 * Baseline alerts over a replayed week (week-replay.ts): the shipped rules, evaluated by the
 * real promtool over the sidecar's own output. "storm" fires each baseline alert only after
 * its two-hour jump; "calm", which runs the same week without it, fires none.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify as toYaml } from "yaml";
import { METRIC_BY_NAME } from "../../src/telemetry/naming/catalogue.ts";
import { at, loadRules, run, stackBin } from "./stack-helpers.ts";
import { JUMP_STEPS, replayWeek, STEP_MIN, WEEK_STEPS } from "./week-replay.ts";

const BASELINE_ALERTS = ["OpenClawFailoverRateAboveBaseline", "OpenClawModelErrorRateAboveBaseline", "OpenClawModelLatencyAboveBaseline", "OpenClawMessagesBelowBaseline"];

/**
 * The p95 the latency alert prints, by histogram_quantile's formula rather than copied from its
 * output: in the jump every request takes 20000..20019 ms (week-replay.ts), and the hour before
 * the check lies wholly inside the jump, so all of that hour's requests sit in one bucket (lo, hi]
 * of openclaw.model.request.duration, and histogram_quantile interpolates linearly inside it.
 */
function jumpP95Ms(): number {
  if (JUMP_STEPS * STEP_MIN < 60 + STEP_MIN) throw new Error("the jump no longer covers the hour the rule looks at");
  const bounds = METRIC_BY_NAME.get("openclaw.model.request.duration")!.buckets!;
  const hi = bounds.find((b) => b >= 20019)!;
  const lo = bounds.filter((b) => b < 20000).at(-1)!;
  return lo + (hi - lo) * 0.95;
}

/** What each alert says about the storm: the figures of the jump (6 failovers an hour, three times the week's 2, 6 of 20 requests failing at ~20 s, no message), as the rules extrapolate them. */
const SAYS: Record<string, string> = {
  OpenClawFailoverRateAboveBaseline: "6 failovers in the last hour, several times the hourly mean of the last 7 days.",
  OpenClawModelErrorRateAboveBaseline: "30% of requests to google/gemini-2.5-pro failed over the last hour, several times its 7-day mean.",
  OpenClawModelLatencyAboveBaseline: `p95 latency of google/gemini-2.5-pro is ${jumpP95Ms().toFixed(0)} ms over the last hour, several times its 7-day mean.`,
  OpenClawMessagesBelowBaseline: "0 messages were processed in the last hour, far below the hourly mean of the last 7 days.",
};
function annotationsOf(alert: string): Record<string, string> {
  const rule = loadRules().find((r) => r.alert === alert)!;
  return { summary: rule.annotations.summary ?? "", description: `On storm (default) ${SAYS[alert]}`, runbook_url: `http://127.0.0.1:9464/runbook#${alert.toLowerCase()}` };
}

describe("baselines over a week replayed through the sidecar", () => {
  it("fire for the gateway that departs from its week, and only after it departs", () => {
    const input = replayWeek();
    expect(input.length).toBeGreaterThan(20);
    const model = { openclaw_provider: "google", openclaw_model: "gemini-2.5-pro" };
    const before = `${(WEEK_STEPS - 1) * STEP_MIN}m`, after = `${(WEEK_STEPS + JUMP_STEPS) * STEP_MIN}m`;
    const labelsOf = (alert: string) => ({ severity: "warning", host_name: "storm", openclaw_profile: "default", ...(alert.startsWith("OpenClawModel") ? model : {}) });
    const test = {
      rule_files: ["increases.yml", "knobs.yml", "foresight.yml"].map((f) => at("prometheus", "rules", f)),
      evaluation_interval: `${STEP_MIN}m`,
      group_eval_order: ["openclaw-increases", "openclaw-knobs", "openclaw-recording", "openclaw-foresight-recording", "openclaw-foresight"],
      tests: [{
        interval: `${STEP_MIN}m`,
        input_series: input,
        alert_rule_test: BASELINE_ALERTS.flatMap((alertname) => [
          { eval_time: before, alertname, exp_alerts: [] },
          { eval_time: after, alertname, exp_alerts: [{ exp_labels: labelsOf(alertname), exp_annotations: annotationsOf(alertname) }] },
        ]),
      }],
    };
    const dir = mkdtempSync(join(tmpdir(), "openclaw-week-"));
    try {
      writeFileSync(join(dir, "week.test.yml"), toYaml(test, { lineWidth: 0 }));
      const r = run(stackBin("promtool"), ["test", "rules", join(dir, "week.test.yml")]);
      expect(r.stdout + r.stderr).toContain("SUCCESS");
      expect(r.code, r.stdout + r.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
