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
