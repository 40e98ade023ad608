/**
 * Issue 19: the story `report` tells of each committed live capture against what really
 * happened (test/support/truth.ts derives it from the fake provider's record and the turns'
 * outcomes, never from the sidecar). For every capture: the final verdict is the one the last
 * turn allows; every incident maps to a truth episode of its kind and provider (overlapping in
 * time), and every truth episode has its incident; failed turns equal the turns with no answer.
 */
import { PassThrough } from "node:stream";
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { Incident } from "../../src/incidents/types.ts";
import { report } from "../../src/report/command.ts";
import { captureDirs, truthOf, type Episode } from "../support/truth.ts";
import { replayPrometheus } from "../support/replay-text.ts";

const ROOT = new URL("../fixtures/real/", import.meta.url).pathname;
/** An incident starts when the log says so, after the request; it may end after the last one. */
const BEFORE_MS = 5_000;
const AFTER_MS = 60_000;

const overlaps = (inc: Incident, at: number, ep: Episode) =>
  inc.start <= ep.end + AFTER_MS && (inc.end ?? at) >= ep.start - BEFORE_MS;
const sameSubject = (inc: Incident, ep: Episode) => inc.kind === ep.kind && inc.subject === ep.provider;
const show = (x: { kind: string; start: number; end?: number }, subject: string) =>
  `${x.kind}:${subject} ${new Date(x.start).toISOString().slice(11, 19)}-${x.end === undefined ? "ongoing" : new Date(x.end).toISOString().slice(11, 19)}`;

async function reportJson(dir: string) {
  const out = new PassThrough(), err = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  err.resume();
  await report(["--since", "all", "--json", dir], out, err, {}, Date.parse("2027-01-01T00:00:00Z"));
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as { verdictAt: number; verdict: { state: string; reason: string }; incidents: Incident[] };
}

const dirs = captureDirs(ROOT);

describe("report against the truth of each real capture", () => {
  it("finds the committed captures", () => {
    // The debug 9.6 capture and the default-level 4.24, 7.35 and 9.6 ones (test/fixtures/real/README.md).
    expect(dirs.length).toBeGreaterThanOrEqual(4);
  });

  for (const dir of dirs) {
    const name = relative(ROOT, dir) || "2026.9.6-debug";
    describe(name, () => {
      const truth = truthOf(dir);

      it("ends with the verdict the last turn allows", async () => {
        const r = await reportJson(dir);
        expect(truth.finalVerdict, `verdict ${r.verdict.state} (${r.verdict.reason})`).toContain(r.verdict.state);
      });

      it("tells only incidents that happened, each of its kind and provider", async () => {
        const r = await reportJson(dir);
        // Its first and its last evidence both fall in an episode of its kind and provider: a
        // 402 added to a rate-limit storm that had ended is a stray too.
        const inside = (inc: Incident, t: number) => truth.episodes.some((ep) => sameSubject(inc, ep) && t >= ep.start - BEFORE_MS && t <= ep.end + AFTER_MS);
        const stray = r.incidents.filter((inc) => !inside(inc, inc.start) || !inside(inc, inc.last));
        expect(stray.map((i) => show(i, i.subject)), `truth: ${truth.episodes.map((e) => show(e, e.provider)).join(", ")}`).toEqual([]);
      });

      it("has an incident for every episode of the truth", async () => {
        const r = await reportJson(dir);
        const missed = truth.episodes.filter((ep) => !r.incidents.some((inc) => sameSubject(inc, ep) && overlaps(inc, r.verdictAt, ep)));
        expect(missed.map((e) => show(e, e.provider)), `report: ${r.incidents.map((i) => show(i, i.subject)).join(", ")}`).toEqual([]);
      });

      it("counts the turns that got no answer", async () => {
        const text = await replayPrometheus(dir);
        const failed = [...text.matchAll(/^openclaw_agent_turn_failed_total\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
        expect(failed).toBe(truth.failedTurns);
      });
    });
  }
});
