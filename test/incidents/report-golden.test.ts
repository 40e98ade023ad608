/**
 * `report` golden files (test/golden/report/): the real 2026.9.6 capture, the shipped fixtures
 * and the stack scenarios written to files at fixed times. UPDATE_GOLDEN=1 rewrites them; read
 * the diff before committing: they must be right, not only stable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { checkGolden as checkGoldenFile } from "../support/golden.ts";
import { pluginDir } from "../../src/events/visibility.ts";
import { report } from "../../src/report/index.ts";
import { writeScenario } from "../support/scenario-dir.ts";

const DIR = new URL("../golden/report/", import.meta.url);
const NOW = Date.UTC(2026, 11, 31);
const T0 = Date.UTC(2026, 10, 21, 20, 0, 0);
const tmp = mkdtempSync(join(tmpdir(), "report-golden-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(argv: string[]): Promise<string> {
  let text = "";
  const out = new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } });
  const err = Object.assign(new Writable({ write(_c, _e, cb) { cb(); } }), { isTTY: false });
  await report(argv, out, err, {}, NOW);
  // Where the plugin is on this machine differs between checkouts: the golden keeps a fixed one.
  return text.replaceAll(pluginDir(), "/opt/openclaw-otel-sidecar/plugin");
}

function checkGolden(name: string, got: string): void {
  checkGoldenFile(new URL(name, DIR), got);
}

/** A scenario's first `bursts` bursts, one minute apart, under a fixed file name (TZ-independent). */
const scenarioDir = (host: string, bursts: number): string => writeScenario(host, join(tmp, host), bursts, T0, "2026-11-21");

const fixture = (d: string) => new URL(`../fixtures/${d}/`, import.meta.url).pathname;
const INPUTS: Record<string, () => string> = {
  real: () => fixture("real"),
  "fixture-9.6": () => fixture("openclaw-2026.9.6-style"),
  "fixture-4.14": () => fixture("openclaw-2026.4.14-style"),
  "fixture-2.2": () => fixture("openclaw-2026.2-style"),
  "fixture-jsonl-and-echo": () => fixture("jsonl-and-echo"),
  ...Object.fromEntries(["healthy", "rate-limit-storm", "all-models-failing", "stuck-session", "discord-reconnect-loop", "sidecar-degraded"]
    .map((h) => [`scenario-${h}`, () => scenarioDir(h, 6)])),
};

describe("report goldens", () => {
  for (const [name, input] of Object.entries(INPUTS)) {
    it(`${name} (text)`, async () => checkGolden(`${name}.txt`, await run(["--utc", "--since", "all", input()])));
    it(`${name} (--json)`, async () => {
      const got = await run(["--json", "--since", "all", input()]);
      const parsed = JSON.parse(got) as { incidents: unknown[]; verdict: { state: string } };
      expect(["healthy", "degraded", "down", "unknown"]).toContain(parsed.verdict.state);
      checkGolden(`${name}.json`, got);
    });
  }
});
