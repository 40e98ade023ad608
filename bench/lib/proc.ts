/**
 * Child processes for the benches: a timed one-shot run (wall clock from here, peak RSS and CPU
 * from GNU time's rusage, which sees the child's whole life), and a followed `run` sidecar whose
 * memory and CPU are read from /proc while it lives. Listeners are on 127.0.0.1 only.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { freePort } from "../../test/stack/e2e-harness.ts";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const CLI = join(ROOT, "src", "cli.ts");
/** The Node running the bench (scripts/ensure-node.sh puts Node 24 first on PATH). */
export const NODE = process.execPath;

/**
 * BENCH_NODE_OPTIONS becomes the children's NODE_OPTIONS (e.g. "--max-semi-space-size=1"), so
 * V8 settings can be tried on the sidecar without changing the bench process itself.
 */
function childEnv(): NodeJS.ProcessEnv {
  const extra = process.env["BENCH_NODE_OPTIONS"];
  return extra ? { ...process.env, NODE_OPTIONS: extra } : process.env;
}

export interface TimedRun { wallS: number; userS: number; sysS: number; maxRssMb: number; stderr: string }

/** Runs `cmd args` to completion under /usr/bin/time (for rusage); stdout discarded unless `stdoutPath`. */
export async function timedRun(cmd: string, args: readonly string[], opts: { timeoutMs?: number; stdoutPath?: string } = {}): Promise<TimedRun> {
  const dir = mkdtempSync(join(tmpdir(), "bench-time-"));
  const out = join(dir, "rusage");
  try {
    const t0 = process.hrtime.bigint();
    const stdout = opts.stdoutPath === undefined ? "ignore" : openSync(opts.stdoutPath, "w");
    const child = spawn("/usr/bin/time", ["-f", "%M %U %S", "-o", out, cmd, ...args], { stdio: ["ignore", stdout, "pipe"], env: childEnv() });
    if (typeof stdout === "number") closeSync(stdout);
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (d: string) => { if (stderr.length < 64_000) stderr += d; });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    clearTimeout(timer);
    const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`);
    const [maxKb, user, sys] = readFileSync(out, "utf8").trim().split("\n").at(-1)!.split(" ").map(Number);
    return { wallS, userS: user!, sysS: sys!, maxRssMb: maxKb! / 1024, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** VmHWM (peak resident set) and VmRSS of a live process, in MB. */
export function memoryOf(pid: number): { hwmMb: number; rssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { hwmMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
}

let clockTicks: number | undefined;
/** utime + stime of a live process in seconds (/proc/<pid>/stat fields 14 and 15). */
export function cpuSecondsOf(pid: number): number {
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces; the fields after its closing ")" do not.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / clockTicks;
}

/** The test harness's: never the same port twice in one process (two in a row once collided). */
export { freePort };

export async function getText(url: string, timeoutMs = 2000): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.text();
}

export interface FollowedSidecar { pid: number; url: string; child: ChildProcess; stderr: () => string; stop: () => Promise<void> }

/** Starts `node <cli> run` on `logsDir` (given state dir, 250 ms poll) and waits for /healthz. */
export async function startSidecar(cli: string, logsDir: string, stateDir: string, extra: readonly string[] = []): Promise<FollowedSidecar> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(NODE, [cli, "run", "--logs", logsDir, "--state-dir", stateDir, "--listen", `127.0.0.1:${port}`, "--poll-interval", "250", ...extra], {
    stdio: ["ignore", "ignore", "pipe"], env: childEnv(),
  });
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => { err = (err + d).slice(-8000); });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sidecar exited ${child.exitCode}: ${err}`);
    try {
      await getText(`${url}/healthz`, 500);
      break;
    } catch {
      if (Date.now() > deadline) { await stop(); throw new Error(`sidecar not healthy after 15 s: ${err}`); }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { pid: child.pid!, url, child, stderr: () => err, stop };
}

/** The value of one series line `name{...labels...} value` in Prometheus text, 0 if absent. */
export function seriesValue(text: string, name: string, labelFragment: string): number {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}{`) && line.includes(labelFragment)) return Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return 0;
}
