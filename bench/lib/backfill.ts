/**
 * Backfill of issue 11: `run --from-beginning` on a directory holding the big bench file as
 * today's log, timed until /metrics says every line was read. Done twice: once under a
 * pseudo-terminal (`script -q -c`, so stderr is a TTY) where a catch-up progress line must
 * show, once with stderr a pipe where it must not. Issue 20: once more on a pipe while
 * `clients` HTTP clients loop on /metrics, /status.json and / (lib/http-clients.ts).
 */
import { spawn } from "node:child_process";
import { linkSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loopClients } from "./http-clients.ts";
import { freePort, getText, NODE, seriesValue } from "./proc.ts";

const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
/** What `run` prints while behind (src/sidecar/catch-up-progress.ts). */
export const PROGRESS_RE = /behind/;

export interface BackfillFigures { wallS: number; progressShown: boolean; stderrSample: string; requests?: number }

/** `clients` > 0: that many HTTP clients loop meanwhile; `name` tells runs in one directory apart. */
export async function backfill(cli: string, file: string, dir: string, lines: number, tty: boolean, clients = 0, name = ""): Promise<BackfillFigures> {
  const tag = `${tty ? "tty" : "pipe"}${name}`;
  const logs = join(dir, `backfill-${tag}`);
  mkdirSync(logs);
  linkSync(file, join(logs, `openclaw-${localDate(new Date())}.log`));
  const port = await freePort();
  const args = [cli, "run", "--from-beginning", "--logs", logs, "--state-dir", join(dir, `backfill-state-${tag}`), "--listen", `127.0.0.1:${port}`, "--poll-interval", "250"];
  const out = join(dir, `backfill-${tag}.out`);
  const t0 = performance.now();
  const child = tty
    ? spawn("script", ["-q", "-e", "-c", `exec ${[NODE, ...args].map((a) => `'${a}'`).join(" ")}`, out], { stdio: ["pipe", "ignore", "ignore"], env: { ...process.env, COLUMNS: "120" } })
    : spawn(NODE, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => { err = (err + d).slice(-20_000); });
  let read = 0;
  let wallS = 0;
  const load = clients > 0 ? loopClients(`http://127.0.0.1:${port}`, clients) : undefined;
  let requests: number | undefined;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`backfill (${tag}) exited ${child.exitCode}: ${err}`);
      if (performance.now() - t0 > 180_000) throw new Error(`backfill (${tag}) read ${read} of ${lines} lines in 180 s: ${tty ? readFileSync(out, "utf8").slice(-2000) : err}`);
      try { read = seriesValue(await getText(`http://127.0.0.1:${port}/metrics`, 2000), "openclaw_sidecar_lines_read_total", 'openclaw_source="log"'); } catch { /* starting */ }
      if (read >= lines) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    wallS = (performance.now() - t0) / 1000;
  } finally {
    requests = await load?.stop();
    // Under `script`, the sidecar is script's child (exec): stop it by its own pid and let
    // script exit by itself, which is when it flushes its transcript (a SIGTERM loses it).
    if (tty) {
      try {
        for (const pid of readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(" ").filter(Boolean)) process.kill(Number(pid), "SIGTERM");
      } catch { /* already gone */ }
    } else {
      child.kill("SIGTERM");
    }
    const exited = new Promise((r) => child.once("exit", r));
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(timer);
  }
  // Read only once script has exited: it flushes its transcript then.
  const text = tty ? readFileSync(out, "utf8") : err;
  return { wallS, progressShown: PROGRESS_RE.test(text), stderrSample: text.slice(-300), ...(requests === undefined ? {} : { requests }) };
}
