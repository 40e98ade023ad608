/**
 * The time-to-tell rows of `npm run bench` alone (bench/lib/rows-tell.ts), about 3 minutes:
 *   node bench/time-to-tell.ts [N]   (N gateways, default 12)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDist } from "./lib/build.ts";
import { printGoals } from "./lib/goals.ts";
import { measureTell, tellRows } from "./lib/rows-tell.ts";

const n = Number(process.argv[2] ?? 12);
const dir = mkdtempSync(join(tmpdir(), "tell-bench-"));
const build = buildDist();
try {
  const f = await measureTell(build.cli, dir, n);
  console.log(`sidecar ms: ${f.sidecarMs.join(", ")}\nstack ms:   ${f.stackMs.join(", ")}`);
  printGoals(tellRows(f));
} finally {
  rmSync(dir, { recursive: true, force: true });
  build.cleanup();
}
