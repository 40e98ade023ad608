/**
 * Loaded into a child with NODE_OPTIONS=--import=<this file>: steps the process's wall clock
 * (Date.now) back by the number of milliseconds in the file named by CLOCK_STEP_FILE, as NTP
 * or a restored VM would step the host's clock. The monotonic clock (performance.now) is left
 * alone, as the kernel leaves CLOCK_MONOTONIC. Stepping the real system clock is not an option
 * in a test: every process on the machine would see it. Write the file with writeStep() (by rename).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";

const file = process.env.CLOCK_STEP_FILE;
if (file) {
  const real = Date.now.bind(Date);
  let offset = 0;
  let readAt = -Infinity;
  Date.now = () => {
    const t = real();
    // Re-read at most every 20 ms: the clock is read per event line.
    if (t - readAt >= 20) {
      readAt = t;
      try {
        // An empty or partial read (the file being rewritten) keeps the last offset: a
        // glitch to the real time for 20 ms would be a forward step the test never made.
        const text = readFileSync(file, "utf8").trim();
        if (/^\d+$/.test(text)) offset = Number(text);
      } catch {
        // Not written yet: no step.
      }
    }
    return t - offset;
  };
}

/** Sets the step for children started with this hook: written whole (temp file + rename). */
export function writeStep(path: string, offsetMs: number): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, String(offsetMs));
  renameSync(tmp, path);
}
