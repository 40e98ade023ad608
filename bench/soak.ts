/**
 * The soak row of `npm run bench` on its own (issue 20 item 9): `run` follows a steady gateway
 * and a churning one for the same number of lines, at the same rate, in this process; prints
 * both plateaus and their ratio. Sizes from the environment, so the issue's 4M-line soak is
 *   SOAK_LINES=4000000 node bench/soak.ts
 * SOAK_RATE (lines/s, default 20000), SOAK_DAY_LINES (log lines per day, default 100000),
 * SOAK_ONLY=churn|steady, BENCH_NODE_OPTIONS for V8 flags on the sidecar (lib/proc.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDist } from "./lib/build.ts";
import { fmtInt } from "./lib/report.ts";
import { measureSoak, soakSettings, type SoakFigures } from "./lib/soak.ts";

const s = soakSettings(false);
const only = process.env["SOAK_ONLY"];
const dir = mkdtempSync(join(tmpdir(), "soak-bench-"));
const build = buildDist();
try {
  const out: SoakFigures[] = [];
  for (const mode of ["steady", "churn"] as const) {
    if (only !== undefined && only !== mode) continue;
    console.log(`${mode}: ${fmtInt(s.lines)} lines at ${fmtInt(s.rate)} lines/s${mode === "churn" ? `, a day every ${fmtInt(s.dayLines)} log lines` : ""}`);
    const f = await measureSoak(build.cli, dir, mode, s.lines, s.rate, s.dayLines);
    out.push(f);
    console.log(`  plateau ${f.plateauRssMb.toFixed(0)} MB, VmHWM ${f.hwmMb.toFixed(0)} MB, ${f.cpuS.toFixed(1)} CPU s in ${f.seconds.toFixed(0)} s`);
    console.log(`  ${f.days} day(s) of files, reader at most ${fmtInt(f.maxLagLines)} lines behind`);
    console.log(`  counted ${fmtInt(f.counted.messages)} of ${fmtInt(f.turns)} turns, ${fmtInt(f.counted.failovers)} of ${fmtInt(f.failovers)} failovers`);
    console.log(`  curve (lines, MB): ${f.curve.map(([w, r]) => `${Math.round(w / 1000)}k ${r}`).join(", ")}`);
  }
  if (out.length === 2) console.log(`churn / steady plateau: ${(out[1]!.plateauRssMb / out[0]!.plateauRssMb).toFixed(2)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  build.cleanup();
}
