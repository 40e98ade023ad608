// Starts and drives a real OpenClaw gateway for the live test: writes its config into a temp
// state dir (nothing under the user's home), stores the two fake keys of provider `fakea` as
// auth profiles through the CLI, starts `openclaw gateway run` on loopback, and runs agent
// turns with `openclaw agent`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

export const FAKE_KEYS = { a1: "sk-fake-a-0001", a2: "sk-fake-a-0002", b: "sk-fake-b-0003" } as const;
const GATEWAY_TOKEN = "e2e-fake-gateway-token";

export interface Env {
  /** The openclaw launcher (node_modules/.bin/openclaw). */
  bin: string;
  root: string;
  stateDir: string;
  logDir: string;
  port: number;
  vars: NodeJS.ProcessEnv;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function localDate(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function gatewayConfig(e: Env, providerUrl: string, pluginDir: string): unknown {
  const model = (id: string) => ({
    id, name: id, reasoning: false, input: ["text"], contextWindow: 32000, maxTokens: 1000,
    cost: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
  });
  // Short provider timeouts keep the hang phase and the whole run within a few minutes.
  const provider = (ids: string[], extra: Record<string, unknown> = {}) => ({
    baseUrl: `${providerUrl}/v1`, api: "openai-completions", timeoutSeconds: 6, models: ids.map(model), ...extra,
  });
  return {
    gateway: { mode: "local", port: e.port, bind: "loopback", auth: { mode: "token", token: GATEWAY_TOKEN } },
    // A dated rolling name: OpenClaw keeps switching it at midnight and prunes like the default.
    logging: { level: "debug", file: path.join(e.logDir, `openclaw-${localDate()}.log`) },
    diagnostics: { enabled: true },
    auth: {
      profiles: { "fakea:key1": { provider: "fakea", mode: "api_key" }, "fakea:key2": { provider: "fakea", mode: "api_key" } },
      order: { fakea: ["fakea:key1", "fakea:key2"] },
    },
    models: {
      mode: "replace",
      providers: { fakea: provider(["alpha"]), fakeb: provider(["beta"], { apiKey: FAKE_KEYS.b }) },
    },
    agents: { defaults: { workspace: path.join(e.root, "workspace"), model: { primary: "fakea/alpha", fallbacks: ["fakeb/beta"] } } },
    plugins: {
      load: { paths: [pluginDir] },
      entries: { "otel-sidecar-diagnostics": { enabled: true, config: { flushIntervalMs: 100 } } },
    },
  };
}

export interface RunResult { code: number; stdout: string; stderr: string; ms: number }

export function run(e: Env, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(e.bin, args, { env: e.vars, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("close", (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 }); });
    child.stdin.end(opts.input ?? "");
  });
}

/** Writes the config and stores both fake keys of `fakea` as auth profiles (secrets go to SQLite). */
export async function prepare(e: Env, providerUrl: string, pluginDir: string): Promise<void> {
  await mkdir(e.stateDir, { recursive: true });
  await mkdir(e.logDir, { recursive: true });
  await mkdir(path.join(e.root, "workspace"), { recursive: true });
  const cfgPath = path.join(e.stateDir, "openclaw.json");
  const cfg = gatewayConfig(e, providerUrl, pluginDir);
  await writeFile(cfgPath, JSON.stringify(cfg, null, 2));
  for (const [id, key] of [["fakea:key1", FAKE_KEYS.a1], ["fakea:key2", FAKE_KEYS.a2]] as const) {
    const r = await run(e, ["models", "auth", "paste-api-key", "--provider", "fakea", "--profile-id", id], { input: `${key}\n` });
    if (r.code !== 0) throw new Error(`paste-api-key ${id} failed (${r.code}): ${r.stderr}${r.stdout}`);
  }
  // paste-api-key puts the newest profile first in auth.order; restore key1, key2.
  await writeFile(cfgPath, JSON.stringify(cfg, null, 2));
  // The embedded runner retries transient failures (429, 5xx, timeouts) up to 9 times with
  // backoff growing to 30 s; one retry keeps each phase to seconds. Read from the agent's
  // global settings file (SettingsManager, `retry.provider.maxRetries`).
  const agentDir = path.join(e.stateDir, "agents", "main", "agent");
  await mkdir(agentDir, { recursive: true });
  await writeFile(path.join(agentDir, "settings.json"), JSON.stringify({ retry: { provider: { maxRetries: 1 } } }, null, 2));
}

export interface Gateway { child: ChildProcess; output: () => string; stop(): Promise<void> }

export async function startGateway(e: Env, readyTimeoutMs = 90_000): Promise<Gateway> {
  // detached: its own process group, so stop() ends the gateway and its workers and nothing else.
  const child = spawn(e.bin, ["gateway", "run", "--port", String(e.port), "--bind", "loopback"], {
    env: e.vars, stdio: ["ignore", "pipe", "pipe"], detached: true,
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr?.on("data", (d: Buffer) => { out += d.toString(); });
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
    const t = setTimeout(() => { try { process.kill(-(child.pid ?? 0), "SIGKILL"); } catch { /* gone */ } }, 15_000);
    await exited;
    clearTimeout(t);
  };
  const t0 = Date.now();
  // eslint-disable-next-line no-control-regex
  // The line is exactly "[gateway] ready" (other lines say "spawn broker ready pid=...").
  while (!/\[gateway\]\s+ready\s*$/m.test(out.replace(/\x1b\[[0-9;]*m/g, ""))) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}) before ready:\n${out}`);
    if (Date.now() - t0 > readyTimeoutMs) { await stop(); throw new Error(`gateway not ready after ${readyTimeoutMs} ms:\n${out}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => out, stop };
}

export interface TurnOutcome { label: string; code: number; ok: boolean; status: string; provider?: string; model?: string; ms: number }

/** One agent turn through the gateway; the CLI's JSON result is the ground truth for "the turn failed". */
export async function agentTurn(e: Env, label: string, message: string, timeoutS = 60): Promise<TurnOutcome> {
  const r = await run(e, ["agent", "--agent", "main", "--message", message, "--json", "--timeout", String(timeoutS)], { timeoutMs: (timeoutS + 30) * 1000 });
  // The JSON envelope nests the trace deeply and differs between commands; pick fields by name.
  const pick = (k: string) => new RegExp(`"${k}":\\s*"([^"]*)"`).exec(r.stdout)?.[1];
  const status = pick("status") ?? (r.code === 0 ? "ok" : "error");
  const provider = pick("winnerProvider");
  const model = pick("winnerModel");
  return { label, code: r.code, ok: r.code === 0, status, provider, model, ms: r.ms };
}

export async function readText(file: string): Promise<string> {
  try { return await readFile(file, "utf8"); } catch { return ""; }
}
