/**
 * Golden files, compared or rewritten on purpose. A run that rewrites a golden compares it with
 * itself and proves nothing, so it must not pass: with `UPDATE_GOLDEN=1` (or the test's own
 * flag) the goldens are written and the test then FAILS with "golden rewritten, review and
 * rerun"; a missing golden is written and fails the same way. CI (CI=true) refuses the flag.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

const pathOf = (file: string | URL) => (typeof file === "string" ? file : fileURLToPath(file));

/** Each [golden file, text the code produced now]: equal, or written and the test failed. */
export function checkGoldens(pairs: readonly (readonly [string | URL, string])[], flag = "UPDATE_GOLDEN"): void {
  const update = process.env[flag] === "1";
  if (update && process.env.CI === "true") throw new Error(`${flag}=1 is refused in CI: rewrite goldens locally, review the diff and commit it`);
  const toWrite = pairs.filter(([file]) => update || !existsSync(file));
  for (const [file, got] of toWrite) {
    mkdirSync(dirname(pathOf(file)), { recursive: true });
    writeFileSync(file, got);
  }
  if (toWrite.length > 0) {
    const names = toWrite.map(([file]) => pathOf(file)).join(", ");
    throw new Error(`golden rewritten, review and rerun${update ? ` without ${flag}` : " (it was missing)"}: ${names}`);
  }
  for (const [file, got] of pairs) expect(got, pathOf(file)).toBe(readFileSync(file, "utf8"));
}

export const checkGolden = (file: string | URL, got: string, flag?: string): void => checkGoldens([[file, got]], flag);
