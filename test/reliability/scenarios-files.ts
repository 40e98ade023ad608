/**
 * What lands in the log directory besides OpenClaw's own files (issue 20, items 4 and 5):
 * - `symlink`: links named like logs (to a 0600 file outside the directory, to a followed file
 *   inside it, dangling, a loop, one more made while running) next to a real JSONL. None may
 *   be read: nothing of the outside file on /metrics, /status.json or in the checkpoint, and
 *   the real lines counted exactly.
 * - `huge-file`: sparse files of 256 GiB (quick) or 2 TiB (holes: no disk used) appear next to
 *   the live JSONL while lines are appended. Every round of appends must be counted and
 *   checkpointed while they are being read, SIGTERM must end each run within 10 s with exit 0,
 *   and after a restart the checkpoint must hold every real line exactly once.
 */
import { appendFileSync, closeSync, ftruncateSync, openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { linesReadIn, startCli, waitFor, type Child } from "../sidecar/helpers.ts";
import { checkpointTotals, diagLine, sameSamples, started, tempDir, truthSamples, type Ctx, type Row } from "./lib.ts";

const SECRET = "s3cr3tvalue";
const args = (logs: string, state: string) => ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50", "--checkpoint-interval", "200"];
const scrapeLines = async (url: string) => linesReadIn(await (await fetch(`${url}/metrics`)).text());

/** SIGTERM, then the exit code and how long it took; null code when not gone within `ms`. */
async function term(child: Child, ms: number): Promise<{ code: number | null; tookMs: number }> {
  const at = Date.now();
  child.proc.kill("SIGTERM");
  const gone = await waitFor(() => child.proc.exitCode !== null || child.proc.signalCode !== null, ms);
  if (!gone) child.proc.kill("SIGKILL");
  const code = await child.exited;
  return { code: gone ? code : null, tookMs: Date.now() - at };
}

export async function symlinkScenario(ctx: Ctx): Promise<Row> {
  const logs = tempDir(ctx, "link-logs");
  const state = tempDir(ctx, "link-state");
  const outside = join(tempDir(ctx, "link-root-only"), "secret.json");
  const n = ctx.quick ? 300 : 3000;
  writeFileSync(outside, Array.from({ length: n }, (_, i) => `${diagLine(i, SECRET)}\n`).join(""), { mode: 0o600 });
  const real: string[] = [];
  const file = join(logs, "diagnostics-2026-11-21.jsonl");
  const write = (k: number) => { for (let j = 0; j < k; j++) { const l = diagLine(real.length); real.push(l); appendFileSync(file, `${l}\n`); } };
  write(n);
  const kinds: Array<[string, string]> = [
    ["openclaw-2026-11-21.log", outside], ["diagnostics-2026-11-22.jsonl", outside], ["openclaw-ops-2026-11-21.2.log", outside],
    ["openclaw-2026-11-22.log", file], ["openclaw-2026-11-23.log", join(logs, "gone")], ["openclaw-2026-11-24.log", join(logs, "openclaw-2026-11-24.log")],
  ];
  // A seeded subset (at least two), so different seeds try different mixes.
  const links = kinds.filter((_, i) => i < 2 || ctx.rand() < 0.6);
  for (const [name, target] of links) symlinkSync(target, join(logs, name));

  const child = startCli(args(logs, state));
  const url = await started(child, child.url);
  const first = await waitFor(async () => (await scrapeLines(url)) >= n);
  symlinkSync(outside, join(logs, "diagnostics-2026-11-25.jsonl")); // made while running
  write(ctx.quick ? 50 : 500);
  const second = await waitFor(async () => (await scrapeLines(url)) >= real.length);
  await waitFor(() => (checkpointTotals(state)?.lines ?? 0) >= real.length);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const status = await (await fetch(`${url}/status.json`)).text();
  const { code } = await term(child, 10_000);
  const got = checkpointTotals(state);
  const checkpoint = readFileSync(join(state, "checkpoint.json"), "utf8");
  const leaked = [["/metrics", metrics], ["/status.json", status], ["checkpoint", checkpoint]].filter(([, body]) => body!.includes(SECRET)).map(([w]) => w);
  const warned = [...links.map(([name]) => name), "diagnostics-2026-11-25.jsonl"]
    .filter((name) => child.stderr().split("\n").filter((l) => l.includes(`${join(logs, name)}: skipped: a symbolic link`)).length === 1).length;
  const exact = got !== undefined && got.lines === real.length && sameSamples(got.samples, truthSamples(real));
  const pass = first && second && exact && leaked.length === 0 && warned === links.length + 1 && code === 0;
  return {
    scenario: "symlink (links named like logs)", trials: 1,
    expected: `${real.length} lines exact, 0 leaks, ${links.length + 1} links warned once, exit 0`,
    observed: `${got?.lines ?? "no"} lines${exact ? " exact" : ""}, leaks: ${leaked.join(", ") || "0"}, ${warned} warned once, exit ${code}`,
    pass,
  };
}

export async function hugeFileScenario(ctx: Ctx): Promise<Row> {
  const logs = tempDir(ctx, "huge-logs");
  const state = tempDir(ctx, "huge-state");
  const live = join(logs, "diagnostics-2026-11-21.jsonl");
  const real: string[] = [];
  const write = (k: number) => { for (let j = 0; j < k; j++) { const l = diagLine(real.length); real.push(l); appendFileSync(live, `${l}\n`); } };
  const size = ctx.quick ? 2 ** 38 : 2 ** 41;
  // Visited before the live file in every poll: same day, older rotations; and a log file.
  const huge = ["diagnostics-2026-11-21.4.jsonl", "openclaw-2026-11-21.3.log"].slice(0, ctx.quick ? 1 : 2);
  write(20);
  const rounds = ctx.quick ? 3 : 6;
  let counted = 0;
  let checkpointed = 0;
  const exits: string[] = [];
  let clean = 0;
  for (let run = 0; run < 2; run++) {
    const child = startCli(args(logs, state));
    const url = await started(child, child.url);
    if (run === 0) for (const name of huge) { const fd = openSync(join(logs, name), "w"); ftruncateSync(fd, size); closeSync(fd); }
    for (let r = 0; r < rounds; r++) {
      write(5 + Math.floor(ctx.rand() * 40));
      if (await waitFor(async () => (await scrapeLines(url)) >= real.length, 20_000)) counted++;
      else break; // starved: no point in waiting through the other rounds
      if (await waitFor(() => (checkpointTotals(state)?.lines ?? 0) >= real.length, 20_000)) checkpointed++;
    }
    write(3); // read by the final poll or after the restart: exact either way
    const { code, tookMs } = await term(child, 10_000);
    exits.push(code === null ? "no exit in 10 s" : `exit ${code} in ${(tookMs / 1000).toFixed(1)} s`);
    if (code === 0) clean++;
    if (counted < (run + 1) * rounds) break;
  }
  // A last run, the huge files still there, reads what the stops left.
  const child = startCli(args(logs, state));
  await started(child, child.url); // served before any poll: a starved first poll cannot hang the scenario
  await waitFor(async () => (checkpointTotals(state)?.lines ?? 0) >= real.length, 20_000);
  const last = await term(child, 10_000);
  const got = checkpointTotals(state);
  const exact = got !== undefined && got.lines === real.length && sameSamples(got.samples, truthSamples(real));
  return {
    scenario: `huge-file (${huge.length} x ${size / 2 ** 30} GiB sparse)`, trials: 2 * rounds,
    expected: `${2 * rounds}/${2 * rounds} rounds counted + checkpointed, SIGTERM exit 0 in <= 10 s x2, ${real.length} lines exact`,
    observed: `${counted}/${checkpointed} counted/checkpointed, ${exits.join(", ")}, ${got?.lines ?? "no"} lines${exact ? " exact" : ""}`,
    pass: counted === 2 * rounds && checkpointed === 2 * rounds && clean === 2 && last.code === 0 && exact,
  };
}
