/**
 * `npm run test:reliability [-- --quick] [-- --seed N]`: the reliability suite (issue 14). Each
 * scenario generates its own input with known ground truth, runs the real CLI, and reports
 * expected vs observed; resource use is checked as a ratio to a plain replay of the same size
 * run here (never absolute times). Quick mode (or CI=true): fewer trials. Exit 1 on any FAIL.
 */
import { cleanup, prng, verdict, type Ctx, type Row } from "./lib.ts";
import { sigkillScenario, sigtermScenario } from "./scenarios-crash.ts";
import { diskFullScenario, readOnlyScenario } from "./scenarios-disk.ts";
import { hugeFileScenario, symlinkScenario } from "./scenarios-files.ts";
import { distinctScenario, hostileScenario, timestampScenario } from "./scenarios-input.ts";
import { pluginDiskFullScenario } from "./scenarios-plugin.ts";
import { collectorOutageScenario, manyFilesScenario, secretsScenario } from "./scenarios-scale.ts";
import { twoSourcesScenario } from "./scenarios-sources.ts";
import { twoSidecarsScenario } from "./scenarios-state.ts";
import { clockStepScenario } from "./scenarios-clock.ts";
import { memoryScenario } from "./scenarios-memory.ts";

const argv = process.argv.slice(2);
const seedAt = argv.indexOf("--seed");
const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 14;
const quick = argv.includes("--quick") || process.env.CI === "true";
const only = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--seed");
if (!Number.isSafeInteger(seed)) throw new Error("--seed takes an integer");

const SCENARIOS: Array<[string, (ctx: Ctx) => Promise<Row>]> = [
  ["sigkill", sigkillScenario], ["sigterm", sigtermScenario], ["disk-full", diskFullScenario], ["read-only", readOnlyScenario],
  ["hostile", hostileScenario], ["distinct", distinctScenario], ["timestamps", timestampScenario], ["many-files", manyFilesScenario],
  ["collector-outage", collectorOutageScenario], ["secrets", secretsScenario], ["plugin-disk-full", pluginDiskFullScenario],
  ["two-sources", twoSourcesScenario], ["symlink", symlinkScenario], ["huge-file", hugeFileScenario],
  ["collector-outage", collectorOutageScenario], ["secrets", secretsScenario], ["two-sidecars", twoSidecarsScenario],
  ["clock-step", clockStepScenario], ["memory", memoryScenario],
];

const rows: Row[] = [];
for (const [name, scenario] of SCENARIOS) {
  if (only.length > 0 && !only.includes(name)) continue;
  // Each scenario gets its own stream, so running one alone sees the same inputs as in the suite.
  const ctx: Ctx = { seed, quick, rand: prng(seed * 1000 + rows.length), dirs: [] };
  const started = Date.now();
  try {
    rows.push(await scenario(ctx));
  } catch (err) {
    rows.push({ scenario: name, trials: 0, expected: "completes", observed: `threw: ${(err as Error).message.split("\n")[0]}`, pass: false });
  } finally {
    cleanup(ctx);
  }
  process.stderr.write(`${name}: ${verdict(rows.at(-1)!)} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

const ratio = (r: Row, k: "rssKiB" | "cpuMs", b: number) =>
  r.usage && r.baseline ? `${(r.usage[k] / r.baseline[k]).toFixed(2)} (<= ${b})` : "-";
const table = [["scenario", "trials", "expected", "observed", "RSS/replay", "CPU/replay", "verdict"]];
for (const r of rows) {
  table.push([r.scenario, String(r.trials), r.expected, r.observed, ratio(r, "rssKiB", r.bound?.rss ?? 0), ratio(r, "cpuMs", r.bound?.cpu ?? 0), r.skip ? "SKIP" : verdict(r)]);
}
const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c]!)).join(" | ")} |`;
process.stdout.write(`reliability suite, seed ${seed}, ${quick ? "quick" : "full"}\n`);
process.stdout.write([line(table[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...table.slice(1).map(line)].join("\n") + "\n");
// A skip is only ever written outside CI (lib.ts cannotRun); a skipped row never passes.
process.exitCode = rows.some((r) => !r.skip && verdict(r) === "FAIL") ? 1 : 0;
