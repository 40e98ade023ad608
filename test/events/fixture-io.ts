/**
 * Runs parseLine over a fixture file the way the sidecar will: one LineRecord per line, source
 * and profile taken from the file name as OpenClaw names its files.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { LineRecord } from "../../src/line/record.ts";
import type { OpenClawEvent } from "../../src/events/types.ts";
import { parseLine } from "../../src/events/parse-line.ts";
import { classifyFileName } from "../../src/tail/file-names.ts";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures");

/** Source and profile from the file name, by the tailer's own classifier. */
export function sourceOf(path: string): Pick<LineRecord, "source" | "profile"> {
  const info = classifyFileName(basename(path));
  if (info === undefined) throw new Error(`not an OpenClaw or diagnostics file name: ${basename(path)}`);
  return { source: info.source, profile: info.profile };
}

/** Every fixture file (logs and JSONL, not goldens), optionally under one folder. */
export function fixtureFiles(dir = FIXTURES, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skip.includes(name) && name !== "build") out.push(...fixtureFiles(path, skip));
    } else if (!name.includes(".golden.") && classifyFileName(name) !== undefined) {
      out.push(path);
    }
  }
  return out;
}

export interface FixtureRun {
  events: OpenClawEvent[];
  summary: {
    lines: number; events: number; ignored: number; rejected: Record<string, number>;
    byType: Record<string, number>; rejects: { line: number; reason: string; detail: string }[];
  };
}

export function runFixture(path: string): FixtureRun {
  const { source, profile } = sourceOf(path);
  const text = readFileSync(path, "utf8");
  const lines = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const run: FixtureRun = { events: [], summary: { lines: lines.length, events: 0, ignored: 0, rejected: {}, byType: {}, rejects: [] } };
  let offset = 0;
  lines.forEach((line, i) => {
    const r = parseLine({ source, profile, path, offset, line });
    offset += Buffer.byteLength(line) + 1;
    const s = run.summary;
    if (r.kind === "ignored") s.ignored++;
    else if (r.kind === "rejected") {
      s.rejected[r.reason] = (s.rejected[r.reason] ?? 0) + 1;
      s.rejects.push({ line: i + 1, reason: r.reason, detail: r.detail });
    } else {
      for (const ev of r.events) {
        run.events.push(ev);
        s.events++;
        s.byType[ev.type] = (s.byType[ev.type] ?? 0) + 1;
      }
    }
  });
  run.summary.byType = Object.fromEntries(Object.entries(run.summary.byType).sort(([a], [b]) => a.localeCompare(b)));
  return run;
}
