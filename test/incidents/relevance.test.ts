/**
 * `report` feeds the incident builder only the events the trackers declare they read (plus a
 * time mark for the rest): over every committed fixture and capture, that must give exactly the
 * incidents and verdict the builder makes of all events. And the two thresholds the incidents
 * use are the ones the alert knobs hold.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { IncidentBuilder } from "../../src/incidents/index.ts";
import { relevanceFilter } from "../../src/incidents/relevance.ts";
import { LANE_WAIT_MS, QUEUE_DEPTH } from "../../src/incidents/thresholds.ts";
import { eventPipeline, readAll, describe as describeFile } from "../../src/pipeline/read-files.ts";
import { PassThrough } from "node:stream";
import { fixtureFiles, FIXTURES } from "../events/fixture-io.ts";
import { captureDirs } from "../support/truth.ts";
import { readdirSync } from "node:fs";

async function eventsOf(paths: string[]): Promise<OpenClawEvent[]> {
  const evs: OpenClawEvent[] = [];
  const err = new PassThrough();
  err.resume();
  await readAll(paths.map(describeFile), eventPipeline((ev) => evs.push(ev)), err, false, "test");
  return evs.sort((a, b) => a.ts - b.ts);
}

const captures = captureDirs(join(FIXTURES, "real")).map((d) => readdirSync(d).filter((f) => /^(openclaw|diagnostics)-.*\.(log|jsonl)$/.test(f)).map((f) => join(d, f)));
const inputs = [...fixtureFiles().map((f) => [f]), ...captures];

describe("report's event filter", () => {
  it("has inputs to check", () => {
    expect(inputs.length).toBeGreaterThanOrEqual(8);
  });
  for (const paths of inputs) {
    it(`loses no incident of ${paths.map((p) => p.slice(FIXTURES.length + 1)).join(" + ")}`, async () => {
      const evs = await eventsOf(paths);
      const all = new IncidentBuilder({ retentionMs: Infinity, maxClosed: 100_000 });
      const filtered = new IncidentBuilder({ retentionMs: Infinity, maxClosed: 100_000 });
      const keep = relevanceFilter();
      for (const ev of evs) {
        all.add(ev);
        if (keep(ev)) filtered.add(ev);
        else filtered.seen(ev.ts);
      }
      const at = evs.at(-1)?.ts ?? 0;
      all.advance(at);
      filtered.advance(at);
      expect(filtered.incidents()).toEqual(all.incidents());
      expect(filtered.verdict(at)).toEqual(all.verdict(at));
    });
  }
});

describe("the incidents' thresholds", () => {
  it("are the alert knobs' (prometheus/rules/knobs.yml)", () => {
    const knobs = parseYaml(readFileSync(join(import.meta.dirname, "..", "..", "prometheus", "rules", "knobs.yml"), "utf8")) as { groups: Array<{ rules: Array<{ record?: string; expr?: string }> }> };
    const value = (name: string) => knobs.groups.flatMap((g) => g.rules).find((r) => r.record === name)?.expr;
    expect(value("openclaw:knob:lane_wait_p95_ms")).toBe(`vector(${LANE_WAIT_MS})`);
    expect(value("openclaw:knob:queue_depth_p95")).toBe(`vector(${QUEUE_DEPTH})`);
  });
});
