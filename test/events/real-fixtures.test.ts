/**
 * Logs written by a real OpenClaw gateway (test/fixtures/real/, filled by the real-gateway
 * helper): every line must parse without an exception and without a rejection, since a
 * rejection there means our reading of OpenClaw's format is wrong.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, fixtureFiles, runFixture } from "./fixture-io.ts";

const REAL = join(FIXTURES, "real");
const files = existsSync(REAL) ? fixtureFiles(REAL) : [];

describe.skipIf(files.length === 0)("real OpenClaw fixtures", () => {
  for (const file of files) {
    it(`parses ${relative(FIXTURES, file)} with no rejected line`, () => {
      const run = runFixture(file);
      expect(run.summary.rejects).toEqual([]);
      expect(run.summary.lines).toBeGreaterThan(0);
    });
  }
});
