/**
 * `openclaw-otel demo`: the real captures replayed fast into a live sidecar; the page shows the
 * capture's incidents, /metrics has its counters, Ctrl-C exits 0 and removes the temp directory.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { StatusSnapshot } from "../../src/serving/status-page.ts";
import { CLI, waitUntil } from "./helpers.ts";

describe("openclaw-otel demo", () => {
  it("demo_replays_captures: page with incidents, /metrics with counters, clean Ctrl-C", async () => {
    const proc = spawn(process.execPath, [CLI, "demo", "--speed", "2000", "--listen", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    proc.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    const exited = new Promise<number | null>((r) => proc.on("exit", (c) => r(c)));
    // Bounded waits that fail by name: never run out and go on to the assertions.
    await waitUntil(() => `"replay finished" on stderr (stderr so far: ${err})`, () => /replay finished/.test(err), 10_000);
    const url = /status page (http:\/\/127\.0\.0\.1:\d+)\//.exec(err)?.[1];
    const tmp = /into (\/\S+)\/logs/.exec(err)?.[1];
    expect(url, err).toBeDefined();
    expect(tmp && existsSync(tmp)).toBe(true);
    let s: StatusSnapshot | undefined;
    await waitUntil("an all_models_failed entry on /status.json's timeline", async () => {
      s = await (await fetch(`${url}/status.json`)).json() as StatusSnapshot;
      return s.timeline.some((x) => x.kind === "all_models_failed");
    }, 5_000);
    expect(s!.timeline.map((x) => x.kind)).toEqual(expect.arrayContaining(["auth", "rate_limit", "all_models_failed", "billing"]));
    expect(s!.verdict.state).toBe("degraded");
    expect(s!.usage?.rows.map((r) => r.model).sort()).toEqual(["fakea/alpha", "fakeb/beta"]);
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain("fakea rate-limited");
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const failovers = /^openclaw_model_failover_total\{[^}]*\} (\d+)$/m.exec(metrics);
    expect(Number(failovers?.[1])).toBeGreaterThan(0);
    proc.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(existsSync(tmp!)).toBe(false);
  }, 30_000);
});
