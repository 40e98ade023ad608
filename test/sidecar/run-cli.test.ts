/**
 * The real `run` process: serves /metrics, /healthz and the status page on 127.0.0.1, shows
 * a newly appended line on /metrics, stops cleanly on SIGTERM, resumes without a counter reset,
 * and serves the same series and values as `replay --format prometheus` over the same file.
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, cumulativeSamples, fixtureLines, startCli } from "./helpers.ts";

const FIXTURE = join(import.meta.dirname, "../fixtures/openclaw-2026.4.14-style/openclaw-2026-04-20.log");
const LOOP = /^openclaw_tool_loop_total\{[^}]*\} (\d+)$/m;

/** Runs the CLI expecting it to fail; its exit code and stderr. */
function failingCli(args: string[]): { code: number; err: string } {
  try {
    execFileSync(process.execPath, [CLI, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    return { code: (e as { status: number }).status, err: (e as { stderr: string }).stderr };
  }
  return { code: 0, err: "" };
}

async function scrapeUntil(url: string, done: (text: string) => boolean, tries = 200): Promise<string> {
  let text = "";
  for (let i = 0; i < tries; i++) {
    text = await (await fetch(`${url}/metrics`)).text();
    if (done(text)) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
  return text;
}

describe("openclaw-otel run", () => {
  it("run_serves_and_resumes: new lines appear, SIGTERM checkpoints, a restart continues the counters", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-run-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-run-state-"));
    const file = join(logs, "openclaw-2026-11-21.log");
    copyFileSync(FIXTURE, file);
    const loopLine = fixtureLines(FIXTURE).find((l) => l.includes("tool loop:"))!;
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"];

    const first = startCli(args);
    const url = await first.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const initial = await scrapeUntil(url, (t) => LOOP.test(t));
    const before = Number(LOOP.exec(initial)?.[1]);
    expect(before).toBeGreaterThan(0);

    appendFileSync(file, loopLine + "\n");
    const after = await scrapeUntil(url, (t) => Number(LOOP.exec(t)?.[1]) === before + 1);
    expect(Number(LOOP.exec(after)?.[1])).toBe(before + 1);

    const health = await (await fetch(`${url}/healthz`)).json() as { status: string };
    expect(health.status).toBe("ok");
    const page = await fetch(`${url}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const status = await (await fetch(`${url}/status.json`)).json() as { events: Array<{ type: string; count: number }> };
    expect(status.events.find((e) => e.type === "tool.loop")?.count).toBe(before + 1);

    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.stderr()).toContain("final checkpoint");

    // Written while the sidecar was down: counted once after the restart, on top of the old totals.
    appendFileSync(file, loopLine + "\n");
    const second = startCli(args);
    const url2 = await second.url;
    const resumed = await scrapeUntil(url2, (t) => Number(LOOP.exec(t)?.[1]) === before + 2);
    expect(Number(LOOP.exec(resumed)?.[1])).toBe(before + 2);

    // replay over the same bytes prints the same gateway series and values as run serves.
    const replayed = execFileSync(process.execPath, [CLI, "replay", "--format", "prometheus", "--no-progress", file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const strip = (lines: string[]) => lines.map((l) => l.replace(/host_name="[^"]*",?/, "").replace(/\{\}/, ""));
    expect(strip(cumulativeSamples(resumed))).toEqual(strip(cumulativeSamples(replayed)));
    expect(cumulativeSamples(replayed).length).toBeGreaterThan(20);

    second.proc.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 60_000);

  it("bad_setting_stops_startup: a bad value names the setting and exits 2", () => {
    const { code, err } = failingCli(["run", "--listen", "nowhere"]);
    expect(code).toBe(2);
    expect(err).toContain("--listen (OPENCLAW_OTEL_LISTEN)");
  });

  it("replay_rejects_missing_file: a clear message, exit 2", () => {
    const { code, err } = failingCli(["replay", "/nonexistent/openclaw-2026-11-21.log"]);
    expect(code).toBe(2);
    expect(err).toContain("cannot read /nonexistent/openclaw-2026-11-21.log: ENOENT");
  });
});

describe("openclaw-otel run stops in time", () => {
  it("sigterm_with_unreachable_collector: exits within docker stop's 10 s, checkpoint written first", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-stop-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-stop-state-"));
    copyFileSync(FIXTURE, join(logs, "openclaw-2026-11-21.log"));
    // Port 9 (discard) on loopback: nothing listens, every export fails and would be retried.
    const child = startCli(["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"],
      { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:9", OTEL_METRIC_EXPORT_INTERVAL: "1000" });
    const url = await child.url;
    await scrapeUntil(url, (t) => LOOP.test(t));
    const started = Date.now();
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(9000);
    expect(child.stderr()).toContain("final checkpoint");
  }, 30_000);
});

describe("openclaw-otel run with both sources", () => {
  it("jsonl_wins_over_echoes: a profile's JSONL makes run drop that profile's debug echoes", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-pair-logs-"));
    const pair = join(import.meta.dirname, "../fixtures/jsonl-and-echo");
    for (const f of ["diagnostics-2026-11-21.jsonl", "openclaw-2026-11-21.log"]) copyFileSync(join(pair, f), join(logs, f));
    const child = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), "oc-pair-state-")), "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"]);
    const url = await child.url;
    const text = await scrapeUntil(url, (t) => /openclaw_sidecar_events_duplicate_total/.test(t) && /openclaw_session_stuck_total/.test(t));
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    expect(text).toMatch(/^openclaw_sidecar_events_duplicate_total\{[^}]*\} [1-9]/m);
    expect(text).not.toContain('openclaw_origin="echo"');
    expect(text).toMatch(/^openclaw_session_stuck_total\{[^}]*\} 1$/m);
  }, 30_000);
});
