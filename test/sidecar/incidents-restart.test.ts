/**
 * The page must not forget an ongoing incident because the sidecar restarted: the incident
 * state rides in the checkpoint (`incidents`) next to the pipeline state. A saved incident
 * state that cannot be used is dropped with a warning; the sidecar runs on.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StatusSnapshot } from "../../src/serving/status-page.ts";
import { writeScenario } from "../support/scenario-dir.ts";
import { startCli, type Child } from "./helpers.ts";

async function statusWhen(url: string, ok: (s: StatusSnapshot) => boolean): Promise<StatusSnapshot> {
  let s: StatusSnapshot | undefined;
  for (let i = 0; i < 200; i++) {
    s = await (await fetch(`${url}/status.json`)).json() as StatusSnapshot;
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  return s!;
}

async function stop(c: Child): Promise<void> {
  c.proc.kill("SIGTERM");
  expect(await c.exited).toBe(0);
}

const hasAllFailed = (s: StatusSnapshot) => s.ongoing.some((i) => i.kind === "all_models_failed");

describe("incidents across a restart", () => {
  it("incidents_survive_restart: an ongoing every-model-failing incident is still shown after SIGTERM and start", async () => {
    const logs = writeScenario("all-models-failing", mkdtempSync(join(tmpdir(), "oc-inc-logs-")), 4, Date.now() - 4 * 60_000);
    const state = mkdtempSync(join(tmpdir(), "oc-inc-state-"));
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"];
    const first = startCli(args);
    const before = await statusWhen(await first.url, hasAllFailed);
    expect(before.verdict.state).toBe("down");
    expect(before.verdict.reason).toContain("every model failing");
    expect(before.files.every((f) => f.unreadBytes === 0)).toBe(true);
    await stop(first);
    const saved = JSON.parse(readFileSync(join(state, "checkpoint.json"), "utf8")) as { incidents?: { builder?: { open?: unknown[] } } };
    expect(saved.incidents?.builder?.open?.length).toBeGreaterThan(0);

    // No new line is read after the restart: what the page shows comes from the checkpoint.
    const second = startCli(args);
    const url = await second.url;
    const after = await statusWhen(url, hasAllFailed);
    expect(after.ongoing.map((i) => i.key)).toEqual(before.ongoing.map((i) => i.key));
    expect(after.verdict).toMatchObject({ state: "down", since: before.verdict.since });
    await stop(second);
  }, 30_000);

  it("bad_incident_state_dropped: a malformed or older saved incident state warns and starts afresh", async () => {
    const logs = writeScenario("rate-limit-storm", mkdtempSync(join(tmpdir(), "oc-inc-logs-")), 2, Date.now() - 2 * 60_000);
    const state = mkdtempSync(join(tmpdir(), "oc-inc-state-"));
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"];
    const first = startCli(args);
    await statusWhen(await first.url, (s) => s.ongoing.length > 0);
    await stop(first);
    const file = join(state, "checkpoint.json");
    const cp = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    for (const bad of [{ version: 0, builder: {} }, { version: 1, builder: { version: 1, open: "nope" } }, "garbage"]) {
      writeFileSync(file, JSON.stringify({ ...cp, incidents: bad }));
      const c = startCli(args);
      const s = await statusWhen(await c.url, () => true);
      expect(s.ongoing).toEqual([]);
      expect(s.verdict.state).toBe("unknown");
      expect(c.stderr()).toMatch(/saved incident state dropped, incidents start afresh/);
      await stop(c);
    }
  }, 40_000);
});
