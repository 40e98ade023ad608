/**
 * `openclaw-otel replay --format events FILE...`: one JSON object per event on stdout (the
 * parser's golden events, less what dedupe drops), and the summary on stderr.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "./helpers.ts";

const DIR = join(import.meta.dirname, "../fixtures");

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, "replay", "--no-progress", ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("openclaw-otel replay", () => {
  for (const f of ["openclaw-2026.9.6-style/openclaw-dev-2026-11-21.log", "openclaw-2026.2-style/openclaw-2026-02-25.log", "diagnostics-jsonl/diagnostics-2026-11-21.jsonl"]) {
    it(`prints the golden events of ${f} and a summary`, () => {
      const { code, out, err } = run(["--format", "events", join(DIR, f)]);
      expect(code).toBe(0);
      const golden = readFileSync(join(DIR, `${f}.events.golden.jsonl`), "utf8").split("\n").filter(Boolean);
      const summary = JSON.parse(readFileSync(join(DIR, `${f}.summary.golden.json`), "utf8")) as { lines: number; events: number; ignored: number };
      const printed = out.split("\n").filter(Boolean);
      for (const line of printed) {
        const ev = JSON.parse(line) as Record<string, unknown>;
        expect(Object.keys(ev).slice(0, 2)).toEqual(["type", "ts"]);
        expect(typeof ev.ts).toBe("number");
        expect(golden).toContain(line);
      }
      const dropped = Number(/duplicates dropped: (\d+)/.exec(err)?.[1] ?? 0);
      expect(printed.length).toBe(golden.length - dropped);
      expect(err).toContain(`lines read: ${summary.lines}\n`);
      expect(err).toContain(`ignored: ${summary.ignored}\n`);
      expect(err).toMatch(/rejected: \d+/);
    });
  }

  it("counts each event once when a JSONL and its debug echoes are replayed together", () => {
    const pair = ["jsonl-and-echo/diagnostics-2026-11-21.jsonl", "jsonl-and-echo/openclaw-2026-11-21.log"].map((f) => join(DIR, f));
    const { code, out, err } = run(["--format", "events", ...pair]);
    expect(code).toBe(0);
    const types = out.split("\n").filter(Boolean).map((l) => (JSON.parse(l) as { type: string; origin: string }));
    expect(types.filter((e) => e.origin === "echo")).toEqual([]);
    const perType = new Map<string, number>();
    for (const e of types) perType.set(e.type, (perType.get(e.type) ?? 0) + 1);
    expect(perType.get("session.stuck")).toBe(1);
    expect(err).toMatch(/duplicates dropped: [1-9]/);
  });

  it("refuses an unknown format with exit 2", () => {
    const { code, err } = run(["--format", "yaml", join(DIR, "diagnostics-jsonl/diagnostics-2026-11-21.jsonl")]);
    expect(code).toBe(2);
    expect(err).toContain('--format must be events or prometheus, got "yaml"');
  });
});
