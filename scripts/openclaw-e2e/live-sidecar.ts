// The sidecar beside the live gateway (run.ts --sidecar): the real `run` follows the gateway's
// log directory (log + the plugin's JSONL) and OpenClaw's own session store as they are
// written, and tells fake chat APIs on 127.0.0.1 (test/notify/fake-chats.ts, which checks each
// request as the API documents it). `crash()` SIGKILLs it and starts it again from its
// checkpoint, so the run shows what a restart in the middle of an outage repeats or loses.
// At the end it leaves in <out>/: notify-received.json (every request the fake chats got, in
// arrival order), live-metrics.txt (its /metrics) and live-sidecar.txt (its stderr).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fakeEnv, startFakeChats, type FakeChats } from "../../test/notify/fake-chats.ts";

export interface LiveSidecarOptions {
  /** The CLI entry to run (src/cli.ts runs on Node 24 as is). */
  cli: string;
  logDir: string;
  /** OpenClaw's state directory (OPENCLAW_STATE_DIR): the session store the sidecar follows. */
  openclawState: string;
  /** The sidecar's own state (checkpoint). */
  stateDir: string;
  log: (m: string) => void;
}

/** How long a message waits for more of its burst: short, so a live phase's message is not merged into the next phase's. */
export const LIVE_GROUP_WAIT_MS = 1500;
/** A daily token budget the CI run's turns cross (its steps are the default 50,80,95,100). */
export const LIVE_BUDGET_TOKENS = 1000;

export class LiveSidecar {
  private proc: ChildProcess | undefined;
  private stderr = "";
  private url = "";
  /** Wall times of each SIGKILL, for the check (a message repeated after one is a repeat). */
  readonly kills: number[] = [];

  private readonly o: LiveSidecarOptions;
  readonly chats: FakeChats;

  private constructor(o: LiveSidecarOptions, chats: FakeChats) {
    this.o = o;
    this.chats = chats;
  }

  static async start(o: LiveSidecarOptions): Promise<LiveSidecar> {
    const s = new LiveSidecar(o, await startFakeChats());
    await s.spawn();
    return s;
  }

  private async spawn(): Promise<void> {
    const args = [this.o.cli, "run", "--logs", this.o.logDir, "--state-dir", this.o.stateDir, "--openclaw-state", this.o.openclawState,
      "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "200", "--checkpoint-interval", "500",
      "--notify-group-wait", String(LIVE_GROUP_WAIT_MS), "--notify-page-url", "http://127.0.0.1:9464/",
      "--notify-budget-tokens", String(LIVE_BUDGET_TOKENS)];
    // Only the fake chats' settings: nothing of the caller's OPENCLAW_OTEL_* (a real token) reaches this run.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENCLAW_")));
    const proc = spawn(process.execPath, args, { env: { ...env, ...fakeEnv(this.chats.url), OTEL_SDK_DISABLED: "true" }, stdio: ["ignore", "ignore", "pipe"] });
    this.proc = proc;
    this.url = "";
    // This process's own start-up lines (the listener's port changes with every start).
    let mine = "";
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`live sidecar not ready in 30 s: ${mine.slice(-2000)}`)), 30_000);
      proc.stderr!.on("data", (d: Buffer) => {
        this.stderr += d.toString();
        if (mine.length < 20_000) mine += d.toString();
        const m = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(mine);
        if (m) this.url = m[1]!;
        if (this.url !== "" && / INFO following /.test(mine)) { clearTimeout(timer); resolve(); }
      });
      proc.once("exit", (code) => { clearTimeout(timer); reject(new Error(`live sidecar exited ${code}: ${mine.slice(-2000)}`)); });
    });
    await ready;
    this.o.log(`live sidecar serving ${this.url}`);
  }

  /** Waits until the fake Telegram accepted a message matching `re` (at most `ms`); false on timeout. */
  async waitForTelegram(re: RegExp, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (this.chats.accepted("telegram").some((r) => re.test(r.text))) return true;
      await new Promise((r) => setTimeout(r, 200));
    }
    return false;
  }

  /** SIGKILL (no shutdown, no last checkpoint), then a fresh `run` on the same state. */
  async crash(): Promise<void> {
    const p = this.proc!;
    const gone = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await gone;
    this.kills.push(Date.now());
    this.stderr += `\n--- SIGKILL at ${new Date().toISOString()}, restarting ---\n`;
    this.o.log("live sidecar SIGKILLed; restarting from its checkpoint");
    await this.spawn();
  }

  /** Leaves the figures and messages in `out`, then stops the sidecar (SIGTERM) and the fake chats. */
  async finish(out: string): Promise<void> {
    await mkdir(out, { recursive: true });
    // The last turn's usage reaches the session store as the turn ends; the sidecar reads it within a second.
    await new Promise((r) => setTimeout(r, 2500));
    const metrics = this.url ? await fetch(`${this.url}/metrics`).then((r) => r.text()).catch((e: Error) => `# scrape failed: ${e.message}\n`) : "";
    await writeFile(path.join(out, "live-metrics.txt"), metrics);
    const p = this.proc;
    if (p && p.exitCode === null) {
      const gone = new Promise((r) => p.once("exit", r));
      p.kill("SIGTERM");
      await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
    }
    await writeFile(path.join(out, "live-sidecar.txt"), this.stderr);
    const received = this.chats.received.map(({ api, at, status, text }) => ({ api, at, status, text }));
    await writeFile(path.join(out, "notify-received.json"), JSON.stringify({ kills: this.kills, received }, null, 1));
    await this.chats.close();
  }
}
