/**
 * Issue 19, the live page: a real `run --from-beginning` sidecar per committed capture, its
 * `/status.json` once the files are read, held to the same truth as `report`
 * (test/support/truth.ts: the fake provider's record and the turns' outcomes). The page's clock
 * is the capture's own (the newest line read plus the wall time since), so its verdict is the
 * one for the end of the capture.
 */
import { copyFileSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { IncidentRow } from "../../src/serving/status-types.ts";
import { startCli, waitFor, type Child } from "../sidecar/helpers.ts";
import { captureDirs, truthOf } from "../support/truth.ts";

const ROOT = join(import.meta.dirname, "..", "fixtures", "real");
const BEFORE_MS = 5_000;
const AFTER_MS = 60_000;

interface Status {
  verdict: { state: string; reason: string };
  timeline: Array<IncidentRow & { end: number | null }>;
  files: { unreadBytes: number }[];
  lines: { read: number }[];
}

describe("the live page against the truth of each real capture", () => {
  const children: Child[] = [];
  afterAll(async () => {
    for (const c of children) c.proc.kill("SIGTERM");
    await Promise.all(children.map((c) => c.exited));
  }, 30_000);

  for (const dir of captureDirs(ROOT)) {
    const name = relative(ROOT, dir) || "2026.9.6-debug";
    it(`${name}: verdict and incidents as the truth says`, async () => {
      const truth = truthOf(dir);
      const logs = mkdtempSync(join(tmpdir(), "truth-page-"));
      for (const f of readdirSync(dir).filter((f) => /^(openclaw|diagnostics)-.*\.(log|jsonl)$/.test(f))) copyFileSync(join(dir, f), join(logs, f));
      const child = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), "truth-state-")), "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"]);
      children.push(child);
      const url = await Promise.race([child.url, child.exited.then((c) => { throw new Error(`sidecar exited ${c}: ${child.stderr()}`); })]);
      let s: Status | undefined;
      const read = await waitFor(async () => {
        s = await (await fetch(`${url}/status.json`)).json() as Status;
        return s.files.length > 0 && s.files.every((f) => f.unreadBytes === 0) && s.lines.some((l) => l.read > 0);
      }, 30_000);
      expect(read, `the capture was not read within 30 s: ${child.stderr().slice(-500)}`).toBe(true);
      // One poll more after the last line, so the clock has caught up with it.
      await new Promise((r) => setTimeout(r, 1200));
      s = await (await fetch(`${url}/status.json`)).json() as Status;
      expect(truth.finalVerdict, `page verdict ${s.verdict.state} (${s.verdict.reason})`).toContain(s.verdict.state);
      const inside = (inc: IncidentRow, t: number) => truth.episodes.some((ep) => ep.kind === inc.kind && ep.provider === inc.subject && t >= ep.start - BEFORE_MS && t <= ep.end + AFTER_MS);
      const stray = s.timeline.filter((inc) => !inside(inc, inc.start) || !inside(inc, inc.last)).map((i) => i.key);
      expect(stray, "incidents the truth has no episode for").toEqual([]);
      const missed = truth.episodes.filter((ep) => !s!.timeline.some((inc) => inc.kind === ep.kind && inc.subject === ep.provider
        && inc.start <= ep.end + AFTER_MS && (inc.end ?? Infinity) >= ep.start - BEFORE_MS)).map((e) => `${e.kind}:${e.provider}`);
      expect(missed, "truth episodes the page does not show").toEqual([]);
    }, 60_000);
  }
});
