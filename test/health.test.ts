import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { healthOf } from "../src/serving/health.ts";

describe("health", () => {
  const dirs: string[] = [];
  const dir = () => { const d = mkdtempSync(join(tmpdir(), "openclaw-health-")); dirs.push(d); return d; };
  afterEach(() => { for (const d of dirs.splice(0)) { chmodSync(d, 0o700); rmSync(d, { recursive: true, force: true }); } });
  const base = { followed: 0, metricFailuresInARow: 0 };

  it("is ok with an empty log directory: OpenClaw may not have written yet", () => {
    expect(healthOf({ ...base, logsDir: dir() })).toEqual({ status: "ok", reasons: [], followed: 0 });
  });

  it("is unhealthy when the directory is missing, or its log files cannot be followed", () => {
    expect(healthOf({ ...base, logsDir: "/nonexistent/openclaw" }).reasons).toEqual(["cannot read the log directory /nonexistent/openclaw: ENOENT"]);
    const d = dir();
    writeFileSync(join(d, "openclaw-2026-11-30.log"), "{}\n");
    writeFileSync(join(d, "notes.txt"), "not ours\n");
    expect(healthOf({ ...base, logsDir: d }).reasons).toEqual([`1 OpenClaw log file(s) in ${d}, none readable by this user`]);
    expect(healthOf({ ...base, logsDir: d, followed: 1 }).status).toBe("ok");
  });

  it("is unhealthy once three metric exports in a row failed, not after one or two", () => {
    const d = dir();
    expect(healthOf({ ...base, logsDir: d, metricFailuresInARow: 2 }).status).toBe("ok");
    expect(healthOf({ ...base, logsDir: d, metricFailuresInARow: 3 }).reasons).toEqual(["the last 3 OTLP metric exports failed"]);
  });
});
