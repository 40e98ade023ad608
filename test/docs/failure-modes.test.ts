/**
 * docs/design.md's "Failure modes" table names its proofs: each must exist and be unable to
 * skip in CI. A cited test file must be there; a cited test id (`run_disk_full`) must name a test;
 * a cited reliability scenario must be registered in test/reliability/run.ts; and a cited file
 * that can skip at all must do it only through the helpers that fail in CI instead
 * (test/support/required.ts, requireTmpfs, requireChromium), never by it.skip or a bare skipIf.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const design = readFileSync(join(ROOT, "docs/design.md"), "utf8");
const section = design.slice(design.indexOf("### Failure modes"), design.indexOf("### Known limitations"));
const proofs = section.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Fault")).map((l) => l.split(" | ").at(-1)!.replace(/ \|$/, ""));

function testFiles(dir = join(ROOT, "test")): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === "artifacts" || n === "fixtures" ? [] : testFiles(p);
    return n.endsWith(".test.ts") ? [p] : [];
  });
}
const FILES = testFiles();
const text = new Map(FILES.map((f) => [f, readFileSync(f, "utf8")]));

/** Skips only through the CI-failing helpers (or plugin-disk-full's own REQUIRED). */
function skipsOnlyOutsideCi(file: string): string[] {
  const src = text.get(file)!;
  const bad: string[] = [];
  if (/\b(it|describe|test)\.(skip|todo)\(/.test(src)) bad.push("it.skip / todo");
  for (const m of src.matchAll(/\.(skipIf|runIf)\(([^\n]*)/g)) {
    if (!/canRun|requireTmpfs|requireChromium|REQUIRED|OPENCLAW_STACK_REQUIRED|\broot\b|HAVE_COLLECTOR/.test(m[2]!)) bad.push(m[0].slice(0, 80));
  }
  if (/\broot\b|HAVE_COLLECTOR/.test(src) && /skipIf\(!(root|HAVE_COLLECTOR)\)/.test(src) && !src.includes("canRun(")) bad.push("a skip flag not from canRun");
  return bad;
}

describe("design.md Failure modes: the proofs", () => {
  it("are listed for every row", () => {
    expect(proofs.length).toBeGreaterThan(25);
    for (const p of proofs) expect(p.trim(), "a row without a proof").not.toBe("");
  });

  it("name test files that exist and cannot skip in CI", () => {
    const cited = new Set(proofs.flatMap((p) => [...p.matchAll(/`((?:test\/)?[\w/.-]+\.test\.ts)`/g)].map((m) => m[1]!)));
    expect(cited.size).toBeGreaterThan(10);
    for (const name of cited) {
      const found = FILES.filter((f) => relative(ROOT, f) === name || f.endsWith(`/${name}`));
      expect(found.map((f) => relative(ROOT, f)), name).toHaveLength(1);
      expect(skipsOnlyOutsideCi(found[0]!), name).toEqual([]);
    }
  });

  it("name test ids that a test carries, in a file that cannot skip in CI", () => {
    const ids = new Set(proofs.flatMap((p) => [...p.matchAll(/(?<!reliability )`([a-z]+(?:_[a-z0-9]+)+)`/g)].map((m) => m[1]!)));
    expect(ids.size).toBeGreaterThan(10);
    for (const id of ids) {
      // A title starting with the id ("run_disk_full: old checkpoint kept, ...").
      const holders = FILES.filter((f) => new RegExp(`["\`']${id}\\b`).test(text.get(f)!));
      expect(holders.map((f) => relative(ROOT, f)), `a test named ${id}`).not.toEqual([]);
      for (const f of holders) expect(skipsOnlyOutsideCi(f), id).toEqual([]);
    }
  });

  it("name reliability scenarios that run.ts registers", () => {
    const registered = new Set([...readFileSync(join(ROOT, "test/reliability/run.ts"), "utf8").matchAll(/\["([a-z-]+)", \w+Scenario\]/g)].map((m) => m[1]));
    const cited = proofs.flatMap((p) => [...p.matchAll(/reliability `([a-z-]+)`/g)].map((m) => m[1]!));
    expect(cited.length).toBeGreaterThan(10);
    for (const name of cited) expect([...registered], name).toContain(name);
  });
});
