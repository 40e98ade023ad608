import { describe, expect, it } from "vitest";
import { healthOf } from "../src/serving/health.ts";

// The verdict from the tailer's scan facts; the real directory cases (missing, unreadable
// files, links) run end to end in test/sidecar/healthz*.test.ts and symlink-not-followed.test.ts.
describe("health", () => {
  const base = { logsDir: "/tmp/openclaw", followed: 0, metricFailuresInARow: 0, logNames: 0 };

  it("is ok with an empty log directory: OpenClaw may not have written yet", () => {
    expect(healthOf(base)).toEqual({ status: "ok", reasons: [], followed: 0 });
  });

  it("is unhealthy when the directory cannot be listed, or its log files cannot be followed", () => {
    expect(healthOf({ ...base, logsDir: "/nonexistent/openclaw", dirError: "ENOENT" }).reasons).toEqual(["cannot read the log directory /nonexistent/openclaw: ENOENT"]);
    expect(healthOf({ ...base, logNames: 1 }).reasons).toEqual(["1 OpenClaw log file(s) in /tmp/openclaw, none readable by this user"]);
    expect(healthOf({ ...base, logNames: 2, linksSkipped: 2 }).reasons).toEqual(["2 OpenClaw log file(s) in /tmp/openclaw, none readable by this user (2 of them symbolic links, which are never followed)"]);
    expect(healthOf({ ...base, logNames: 1, followed: 1 }).status).toBe("ok");
  });

  it("is unhealthy once three metric exports in a row failed, not after one or two", () => {
    expect(healthOf({ ...base, metricFailuresInARow: 2 }).status).toBe("ok");
    expect(healthOf({ ...base, metricFailuresInARow: 3 }).reasons).toEqual(["the last 3 OTLP metric exports failed"]);
  });
});
