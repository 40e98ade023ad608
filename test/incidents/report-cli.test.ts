import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const cli = new URL("../../src/cli.ts", import.meta.url).pathname;
const real = new URL("../fixtures/real/", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [cli, "report", ...args], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });

describe("openclaw-otel report (command line)", () => {
  it.each([
    [["--since", "yesterday", real], /--since must be a duration/],
    [["--until", "soon", real], /--until must be a duration/],
    [["--since", "1h", "--until", "2026-11-21T10:00:00Z", "--bogus", real], /Unknown option '--bogus'/],
    [["--since", "all", "/nonexistent/x.log"], /cannot read \/nonexistent\/x.log: ENOENT/],
    [["--since", "all", new URL("../incidents/", import.meta.url).pathname], /holds no OpenClaw log/],
  ])("exits 2 with a clear message for %j", (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("says where the events are when the range holds none of them, and that --since all shows them (issue 24)", () => {
    // The 9.6 capture's log was written on 2026-11-30 between 04:3x and 04:5x UTC (its file name and lines).
    const dir = join(real, "2026.9.6");
    const r = run("--since", "2026-12-01T00:00:00Z", "--until", "2026-12-02T00:00:00Z", dir);
    expect(r.status).toBe(0);
    const hint = /^ {2}(\d+) events of these files lie before the range, the newest at (2026-11-30 \d\d:\d\d:\d\d): --since all shows them$/m.exec(r.stdout);
    expect(hint, r.stdout).not.toBeNull();
    // Every event the files hold is before that range: as many as --since all reports.
    const all = JSON.parse(run("--since", "all", "--json", dir).stdout) as { events: number; firstEvent: number; lastEvent: number };
    expect(Number(hint![1])).toBe(all.events);
    // The newest event, within what the files cover (their end may be a later line that is no event).
    const newest = Date.parse(`${hint![2]!.replace(" ", "T")}Z`);
    expect(newest).toBeGreaterThanOrEqual(Math.floor(all.firstEvent / 1000) * 1000);
    expect(newest).toBeLessThanOrEqual(all.lastEvent);
    // And inside a range that holds events, no hint.
    expect(run("--since", "all", dir).stdout).not.toContain("lie before the range");
  });

  it("names what to do when the default log directory is missing", () => {
    const r = spawnSync(process.execPath, [cli, "report"], { encoding: "utf8", env: { ...process.env, OPENCLAW_OTEL_LOGS: "/nonexistent/openclaw" } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("openclaw-otel: cannot read /nonexistent/openclaw: ENOENT: name the log files or directories to read (report DIR|FILE...), or set OPENCLAW_OTEL_LOGS\n");
  });

  it("prints the report of a directory, in local time (TZ=UTC here), and nothing on stderr off a terminal", () => {
    const r = run("--since", "2026-11-21T11:09:00Z", "--until", "2026-11-21T11:10:00Z", real);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    // The range cuts the 401 phase (11:08) off: only later trouble shows.
    expect(r.stdout).not.toContain("auth on fakea");
    expect(r.stdout).toContain("11:09:11  rate_limit on fakea");
    expect(r.stdout).toMatch(/Verdict at 11:10:00: DEGRADED/);
  });

  it("skips a subdirectory, a FIFO and a dangling link named like logs, as run does, and says so (issue 20, item 6)", () => {
    const dir = mkdtempSync(join(tmpdir(), "report-odd-"));
    try {
      for (const f of ["openclaw-2026-11-21.log", "diagnostics-2026-11-21.jsonl"]) copyFileSync(join(real, f), join(dir, f));
      const range = ["--since", "2026-11-21T11:00:00Z", "--until", "2026-11-21T12:00:00Z"];
      // The oracle: the same directory before the odd entries exist.
      const clean = run(...range, dir);
      expect(clean.status).toBe(0);
      expect(clean.stdout).toContain("rate_limit on fakea");
      mkdirSync(join(dir, "openclaw-2026-11-20.log"));
      execFileSync("mkfifo", [join(dir, "openclaw-2026-11-19.log")]);
      symlinkSync(join(dir, "gone"), join(dir, "diagnostics-2026-11-20.jsonl"));
      const r = run(...range, dir);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(clean.stdout);
      expect(r.stderr).toContain(`skipped ${join(dir, "openclaw-2026-11-20.log")}: a directory`);
      expect(r.stderr).toContain(`skipped ${join(dir, "openclaw-2026-11-19.log")}: a FIFO`);
      expect(r.stderr).toContain(`skipped ${join(dir, "diagnostics-2026-11-20.jsonl")}: a dangling symlink`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
