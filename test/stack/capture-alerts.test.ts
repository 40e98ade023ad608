/**
 * The shipped alerts against the truth of every committed real capture (issue 19): each capture
 * replayed through the sidecar as it was written (capture-replay.ts), its exposition evaluated
 * by the real promtool with the shipped rules and timings (capture-alerts.ts), and what fired
 * held to what the fake provider's record and the turns say must fire, stay silent and resolve
 * (test/support/alert-truth.ts). The series are the direct path's (the sidecar's /metrics);
 * the collector path's are the same names and labels (wiring.test.ts, the stack e2e).
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { alertProblems, ALERT_OF, type Fired } from "../support/alert-truth.ts";
import { canRun } from "../support/required.ts";
import { captureDirs, truthOf } from "../support/truth.ts";
import { firingOver } from "./capture-alerts.ts";
import { replayCapture, STEP_S } from "./capture-replay.ts";
import { at, stackBin } from "./stack-helpers.ts";

const promtool = stackBin("promtool");
const runs = canRun("alerts against the truth of real captures", existsSync(promtool) ? undefined : `${promtool} not built (scripts/build-stack.sh)`);
const CAPTURES = captureDirs(at("test", "fixtures", "real"));

describe.runIf(runs)("alerts against the truth of each real capture", () => {
  it("finds the committed captures", () => {
    expect(CAPTURES.length).toBeGreaterThanOrEqual(4);
  });

  for (const dir of CAPTURES) {
    it(`${dir.split("/real")[1] || "/2026-11-21 debug"}: fire, stay silent and resolve as the truth says`, () => {
      const truth = truthOf(dir);
      const series = replayCapture(dir);
      const got = firingOver(series);
      const fired: Fired[] = got.map((f) => ({
        alert: f.alert, provider: f.labels.openclaw_provider,
        from: series.t0 + f.from * 1000, to: series.t0 + f.to * 1000,
      }));
      const end = series.t0 + (series.steps - 1) * STEP_S * 1000;
      // The check can fail: every capture holds at least one episode an alert must tell.
      expect(truth.episodes.some((ep) => ALERT_OF[ep.kind] !== undefined)).toBe(true);
      expect(alertProblems(truth, fired, end)).toEqual([]);
      // The figure to keep (issue 19): from the scrape that first shows every model failing to
      // the first evaluation with the page firing (15 s scrapes, shipped `for`, 30 s resolution).
      const born = series.input.filter((x) => x.series.startsWith("openclaw_model_all_failed_total")).map((x) => x.values.split(" ").findIndex((v) => v !== "_"));
      const page = got.find((f) => f.alert === "OpenClawAllModelsFailing");
      if (born.length > 0 && page !== undefined) console.log(`${dir.split("/").at(-1)}: every model failing paged ${page.from - Math.min(...born) * STEP_S} s after the sidecar first showed it`);
      // And the texts say whole numbers: increases are exact, not extrapolated.
      for (const f of got) expect(f.annotations.description, f.alert).not.toMatch(/\b\d+\.\d{3}\b(?! ms)/);
    }, 120_000);
  }
});
