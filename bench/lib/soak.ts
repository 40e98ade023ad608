/**
 * The soak row of issue 20 (item 9, "Memory over a long run"): `run` (compiled build) follows a
 * directory while this process appends a gateway's turns to it at `rate` lines/s (log + the
 * plugin's JSONL, test/fixtures/build/soak-lines.ts), for `lines` lines, and samples the sidecar's VmRSS every
 * 250 ms. Done twice in the same run: `steady` (the same turns over 50 chats, one model, one
 * file) and `churn` (chats, session ids, per-session lanes, run ids and models rotating, a new
 * day's files every `dayLines` lines, files two days old deleted as OpenClaw prunes them).
 * The plateau is the median VmRSS of the samples taken once half the lines were written;
 * VmHWM is the whole life's peak. Every line written must be read (else it throws), and the
 * turns and failovers /metrics counted are returned beside the script's own counts.
 *
 * Timestamps start far enough in the past that the last line is still before now (the
 * sidecar rejects lines from the future), one simulated day per `dayLines` log lines.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { cpuSecondsOf, getText, memoryOf, startSidecar } from "./proc.ts";
import { median } from "./report.ts";
import { soakLines, type SoakMode } from "../../test/fixtures/build/soak-lines.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY_MS = 86_400_000;

export interface SoakFigures {
  mode: SoakMode; lines: number; seconds: number; cpuS: number; plateauRssMb: number; hwmMb: number; maxLagLines: number; days: number;
  /** Turns and failovers written (the script's truth) and what /metrics counted at the end. */
  turns: number; failovers: number; counted: { messages: number; failovers: number };
  /** [lines written, VmRSS MB] every ~5 % of the run, for the README. */
  curve: Array<[number, number]>;
}

/** Sum of a counter's series in Prometheus text. */
function total(text: string, name: string): number {
  let sum = 0;
  for (const l of text.split("\n")) if (l.startsWith(`${name}{`)) sum += Number(l.slice(l.lastIndexOf(" ") + 1));
  return sum;
}

/** Lines read so far (log and JSONL) from /metrics, undefined while it does not answer. */
async function linesRead(url: string): Promise<number | undefined> {
  try {
    return total(await getText(`${url}/metrics`, 5000), "openclaw_sidecar_lines_read_total");
  } catch {
    return undefined;
  }
}

/** `seed`: the turn script's (test/fixtures/build/soak-lines.ts); `args`: more `run` flags. */
export interface SoakOptions { seed?: number; args?: readonly string[] }

export async function measureSoak(cli: string, dir: string, mode: SoakMode, lines: number, rate: number, dayLines: number, opts: SoakOptions = {}): Promise<SoakFigures> {
  const logs = join(dir, `soak-${mode}-logs`);
  mkdirSync(logs);
  const sc = await startSidecar(cli, logs, join(dir, `soak-${mode}-state`), opts.args);
  // About 30 log lines and 10 JSONL lines a turn: lines / dayLines days of log, plus margin.
  const days = Math.ceil((lines * 0.8) / dayLines) + 2;
  const gen = soakLines(mode, Date.now() - days * DAY_MS, DAY_MS / dayLines, opts.seed);
  const fds = new Map<string, number>();
  const fileOf = (name: string) => {
    let fd = fds.get(name);
    if (fd === undefined) fds.set(name, (fd = openSync(join(logs, name), "a")));
    return fd;
  };
  const daysSeen: string[] = [];
  let dayCount = 0;
  const samples: Array<[number, number]> = [];
  let written = 0, read = 0, maxLag = 0, lastScrape = 0, turns = 0, failovers = 0;
  const t0 = performance.now();
  try {
    while (written < lines) {
      const due = Math.min(lines, Math.floor(((performance.now() - t0) / 1000) * rate)) - written;
      // Backpressure: never more than 10 s of lines ahead of the reader (a slow machine).
      if (due > 0 && written - read < rate * 10) {
        const b = gen.next(Math.min(due, rate));
        const name = b.day;
        if (daysSeen.at(-1) !== name) {
          daysSeen.push(name);
          dayCount++;
          // OpenClaw keeps about a day of files: the day before yesterday's go.
          for (const old of daysSeen.splice(0, Math.max(0, daysSeen.length - 2))) {
            for (const f of [`openclaw-${old}.log`, `diagnostics-${old}.jsonl`]) {
              const fd = fds.get(f);
              if (fd !== undefined) { closeSync(fd); fds.delete(f); }
              rmSync(join(logs, f), { force: true });
            }
          }
        }
        if (b.log.length > 0) writeSync(fileOf(`openclaw-${name}.log`), `${b.log.join("\n")}\n`);
        if (b.jsonl.length > 0) writeSync(fileOf(`diagnostics-${name}.jsonl`), `${b.jsonl.join("\n")}\n`);
        written += b.log.length + b.jsonl.length;
        turns += b.turns;
        failovers += b.failovers;
      }
      if (performance.now() - lastScrape >= 1000) {
        lastScrape = performance.now();
        read = (await linesRead(sc.url)) ?? read;
        maxLag = Math.max(maxLag, written - read);
      }
      samples.push([written, memoryOf(sc.pid).rssMb]);
      await sleep(250);
    }
    const tEnd = performance.now();
    while ((read = (await linesRead(sc.url)) ?? read) < written) {
      if (performance.now() - tEnd > 120_000) throw new Error(`soak (${mode}): ${read} of ${written} lines read 120 s after the last write: ${sc.stderr()}`);
      samples.push([written, memoryOf(sc.pid).rssMb]);
      await sleep(250);
    }
    const seconds = (performance.now() - t0) / 1000;
    const mem = memoryOf(sc.pid);
    const cpuS = cpuSecondsOf(sc.pid);
    const text = await getText(`${sc.url}/metrics`, 5000);
    const counted = { messages: total(text, "openclaw_message_processed_total"), failovers: total(text, "openclaw_model_failover_total") };
    const secondHalf = samples.filter(([w]) => w >= lines / 2).map(([, r]) => r);
    const curve: Array<[number, number]> = [];
    for (let k = 1; k <= 20; k++) {
      const s = samples.find(([w]) => w >= (lines * k) / 20);
      if (s) curve.push([s[0], Math.round(s[1])]);
    }
    return { mode, lines: written, seconds, cpuS, plateauRssMb: median(secondHalf), hwmMb: mem.hwmMb, maxLagLines: maxLag, days: dayCount, turns, failovers, counted, curve };
  } finally {
    for (const fd of fds.values()) closeSync(fd);
    await sc.stop();
  }
}

/** Sizes of the soak: `npm run bench` defaults, SOAK_LINES / SOAK_RATE / SOAK_DAY_LINES to change them. */
export function soakSettings(quick: boolean): { lines: number; rate: number; dayLines: number } {
  const env = (k: string, d: number) => {
    const v = Number(process.env[k] ?? d);
    if (!Number.isSafeInteger(v) || v <= 0) throw new Error(`${k} must be a positive integer`);
    return v;
  };
  return { lines: env("SOAK_LINES", quick ? 300_000 : 1_000_000), rate: env("SOAK_RATE", 20_000), dayLines: env("SOAK_DAY_LINES", quick ? 50_000 : 100_000) };
}
