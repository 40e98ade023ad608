/**
 * Whether a test that needs something of the machine may run. CI (CI=true, or
 * OPENCLAW_STACK_REQUIRED=1 once the stack is built) runs as root with every program the tests
 * start installed: there a missing prerequisite throws while the file is collected, so the run
 * fails by name instead of showing a skip. Elsewhere the test skips and says why on stderr.
 */
export const REQUIRED = process.env.CI === "true" || process.env.OPENCLAW_STACK_REQUIRED === "1";

/** True when `what` can run; `missing` says what it lacks (undefined: nothing). */
export function canRun(what: string, missing: string | undefined): boolean {
  if (missing === undefined) return true;
  if (REQUIRED) throw new Error(`${what} cannot run in CI: ${missing}`);
  console.warn(`${what} skipped: ${missing}`);
  return false;
}
