// Starts and drives a real OpenClaw gateway for the live test: writes its config into a temp
// state dir (nothing under the user's home), stores the fake keys as auth profiles (through the
// CLI where the version has `paste-api-key`, else by writing auth-profiles.json), starts
// `openclaw gateway run` on loopback, and runs agent turns with `openclaw agent`.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";

export const FAKE_KEYS = {
  a1: "sk-fake-a-0001", a2: "sk-fake-a-0002", b: "sk-fake-b-0003", b1: "sk-fake-b-0011", b2: "sk-fake-b-0012", c: "sk-fake-c-0021",
} as const;
const GATEWAY_TOKEN = "e2e-fake-gateway-token";

export interface Env {
  /** The openclaw launcher (node_modules/.bin/openclaw). */
  bin: string;
  root: string;
  stateDir: string;
  logDir: string;
  port: number;
  vars: NodeJS.ProcessEnv;
  setup: Setup;
}

/** What the gateway is configured with: providers, models, auth profiles, plugin, log level. */
export interface Setup {
  /** "default" leaves `logging.level` unset, as most operators run it. */
  logLevel: "default" | "debug";
  /** The companion plugin folder, or undefined for a log-only gateway. */
  plugin?: string;
  /** timeoutSeconds: this provider's request timeout (default 6 s, where the version accepts the key). */
  providers: Record<string, { models: string[]; apiKey?: string; timeoutSeconds?: number }>;
  /** Stored auth profiles, in the order OpenClaw should try them per provider. */
  profiles: { id: string; provider: string; key: string }[];
  primary: string;
  fallbacks: string[];
  /** 2026.4.x's `openclaw agent` wants an explicit session (it has no default session routing for --agent alone). */
  sessionIds: boolean;
  /** models.providers.*.timeoutSeconds: 2026.4.x's strict provider schema rejects the key. */
  providerTimeout: boolean;
  /** Bundled plugins to deny (plugins.deny). */
  denyPlugins: string[];
  /** false writes plugins.enabled=false (no bundled plugin loads; providers and failover are core). */
  bundledPlugins?: boolean;
}

/** The CI setup (unchanged): fakea with two stored keys, fakeb with one key in the config. */
export function ciSetup(logLevel: Setup["logLevel"], plugin?: string): Setup {
  return {
    logLevel, plugin, sessionIds: false, providerTimeout: true, denyPlugins: [],
    providers: { fakea: { models: ["alpha"] }, fakeb: { models: ["beta"], apiKey: FAKE_KEYS.b } },
    profiles: [{ id: "fakea:key1", provider: "fakea", key: FAKE_KEYS.a1 }, { id: "fakea:key2", provider: "fakea", key: FAKE_KEYS.a2 }],
    primary: "fakea/alpha", fallbacks: ["fakeb/beta"],
  };
}

/**
 * The issue-8 setup: two stored keys on each of fakea and fakeb (so rotation and cooldown lines
 * appear per provider), a third provider fakec with one key in the config, and a three-model
 * chain alpha -> beta -> gamma (so "All models failed (3)").
 */
export function failuresSetup(logLevel: Setup["logLevel"], plugin?: string): Setup {
  return {
    logLevel, plugin, sessionIds: false, providerTimeout: true,
    // These bundled plugins install npm packages on first use (2026.4.24 spent minutes per run,
    // and its agent turns waited on it) or advertise over mDNS; none touches model traffic.
    denyPlugins: ["acpx", "bonjour", "browser", "document-extract", "microsoft", "web-readability"],
    providers: { fakea: { models: ["alpha"] }, fakeb: { models: ["beta"] }, fakec: { models: ["gamma"], apiKey: FAKE_KEYS.c } },
    profiles: [
      { id: "fakea:key1", provider: "fakea", key: FAKE_KEYS.a1 }, { id: "fakea:key2", provider: "fakea", key: FAKE_KEYS.a2 },
      { id: "fakeb:key1", provider: "fakeb", key: FAKE_KEYS.b1 }, { id: "fakeb:key2", provider: "fakeb", key: FAKE_KEYS.b2 },
    ],
    primary: "fakea/alpha", fallbacks: ["fakeb/beta", "fakec/gamma"],
  };
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

export function gatewayConfig(e: Env, providerUrl: string): unknown {
  const su = e.setup;
  const model = (id: string) => ({
    id, name: id, reasoning: false, input: ["text"], contextWindow: 32000, maxTokens: 1000,
    cost: { input: 1, output: 2, cacheRead: 0, cacheWrite: 0 },
  });
  // Short provider timeouts keep the hang phase and the whole run within a few minutes.
  const providers = Object.fromEntries(Object.entries(su.providers).map(([name, p]) => [name, {
    baseUrl: `${providerUrl}/v1`, api: "openai-completions", models: p.models.map(model),
    ...(su.providerTimeout ? { timeoutSeconds: p.timeoutSeconds ?? 6 } : {}),
    ...(p.apiKey ? { apiKey: p.apiKey } : {}),
  }]));
  const order: Record<string, string[]> = {};
  for (const p of su.profiles) (order[p.provider] ??= []).push(p.id);
  return {
    gateway: { mode: "local", port: e.port, bind: "loopback", auth: { mode: "token", token: GATEWAY_TOKEN } },
    // A dated rolling name: OpenClaw keeps switching it at midnight and prunes like the default.
    logging: { ...(su.logLevel === "debug" ? { level: "debug" } : {}), file: path.join(e.logDir, `openclaw-${localDate()}.log`) },
    ...(su.plugin ? { diagnostics: { enabled: true } } : {}),
    auth: {
      profiles: Object.fromEntries(su.profiles.map((p) => [p.id, { provider: p.provider, mode: "api_key" }])),
      order,
    },
    models: { mode: "replace", providers },
    agents: { defaults: { workspace: path.join(e.root, "workspace"), model: { primary: su.primary, fallbacks: su.fallbacks } } },
    ...(su.plugin || su.denyPlugins.length > 0 || su.bundledPlugins === false ? {
      plugins: {
        ...(su.bundledPlugins === false ? { enabled: false } : {}),
        ...(su.denyPlugins.length > 0 ? { deny: su.denyPlugins } : {}),
        ...(su.plugin ? {
          load: { paths: [su.plugin] },
          entries: { "otel-sidecar-diagnostics": { enabled: true, config: { flushIntervalMs: 100 } } },
        } : {}),
      },
    } : {}),
  };
}

export interface RunResult { code: number; stdout: string; stderr: string; ms: number }

export function run(e: Env, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    // detached: the launcher re-spawns itself (openclaw -> openclaw-agent); on a timeout the
    // whole group is killed, else the orphan keeps the pipes open and "close" never comes.
    const child = spawn(e.bin, args, { env: e.vars, stdio: ["pipe", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { try { process.kill(-(child.pid ?? 0), "SIGKILL"); } catch { child.kill("SIGKILL"); } }, opts.timeoutMs ?? 120_000);
    child.on("close", (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - t0 }); });
    child.stdin.end(opts.input ?? "");
  });
}

/**
 * Writes the config and stores the fake keys as auth profiles. `paste-api-key` (2026.7+) goes
 * through OpenClaw's own store (SQLite on 2026.9); 2026.4.x has only `paste-token`, so its
 * auth-profiles.json (store version 1, `{type:"api_key",provider,key}` per profile) is written
 * directly, as that version's upsertAuthProfile would.
 */
export async function prepare(e: Env, providerUrl: string): Promise<"paste-api-key" | "auth-profiles.json"> {
  await mkdir(e.stateDir, { recursive: true });
  await mkdir(e.logDir, { recursive: true });
  await mkdir(path.join(e.root, "workspace"), { recursive: true });
  const cfgPath = path.join(e.stateDir, "openclaw.json");
  const cfg = gatewayConfig(e, providerUrl);
  await writeFile(cfgPath, JSON.stringify(cfg, null, 2));
  const agentDir = path.join(e.stateDir, "agents", "main", "agent");
  await mkdir(agentDir, { recursive: true });
  const help = await run(e, ["models", "auth", "--help"]);
  const paste = help.stdout.includes("paste-api-key");
  if (paste) {
    for (const p of e.setup.profiles) {
      const r = await run(e, ["models", "auth", "paste-api-key", "--provider", p.provider, "--profile-id", p.id], { input: `${p.key}\n` });
      if (r.code !== 0) throw new Error(`paste-api-key ${p.id} failed (${r.code}): ${r.stderr}${r.stdout}`);
    }
  } else {
    const profiles = Object.fromEntries(e.setup.profiles.map((p) => [p.id, { type: "api_key", provider: p.provider, key: p.key }]));
    await writeFile(path.join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles }, null, 2));
  }
  // paste-api-key puts the newest profile first in auth.order; restore the configured order.
  await writeFile(cfgPath, JSON.stringify(cfg, null, 2));
  // The embedded runner retries transient failures (429, 5xx, timeouts) up to 9 times with
  // backoff growing to 30 s; one retry keeps each phase to seconds. Read from the agent's
  // global settings file (SettingsManager, `retry.provider.maxRetries`).
  await writeFile(path.join(agentDir, "settings.json"), JSON.stringify({ retry: { provider: { maxRetries: 1 } } }, null, 2));
  return paste ? "paste-api-key" : "auth-profiles.json";
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
  // The line is "[gateway] ready" (other lines say "spawn broker ready pid=...").
  // 2026.4.x appends "(6 plugins: ...; 23.4s)".
  while (!/\[gateway\]\s+ready(\s*$|\s+\()/m.test(out.replace(/\x1b\[[0-9;]*m/g, ""))) {
    if (child.exitCode !== null) throw new Error(`gateway exited (${child.exitCode}) before ready:\n${out}`);
    if (Date.now() - t0 > readyTimeoutMs) { await stop(); throw new Error(`gateway not ready after ${readyTimeoutMs} ms:\n${out}`); }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => out, stop };
}

export interface TurnOutcome { label: string; code: number; ok: boolean; status: string; provider?: string; model?: string; ms: number }

/** One agent turn through the gateway; the CLI's JSON result is the ground truth for "the turn failed". */
export async function agentTurn(e: Env, label: string, message: string, timeoutS = 60): Promise<TurnOutcome> {
  const session = e.setup.sessionIds ? ["--session-id", `e2e-${label}`] : [];
  const r = await run(e, ["agent", "--agent", "main", ...session, "--message", message, "--json", "--timeout", String(timeoutS)], { timeoutMs: (timeoutS + 30) * 1000 });
  // The JSON envelope nests the trace deeply and differs between commands; pick fields by name.
  const pick = (k: string) => new RegExp(`"${k}":\\s*"([^"]*)"`).exec(r.stdout)?.[1];
  const status = pick("status") ?? (r.code === 0 ? "ok" : "error");
  // 2026.4.x has no winner* fields: the model that answered is meta.agentMeta.{provider,model}.
  const meta = agentMeta(r.stdout);
  const provider = pick("winnerProvider") ?? meta?.provider;
  const model = pick("winnerModel") ?? meta?.model;
  return { label, code: r.code, ok: r.code === 0, status, provider, model, ms: r.ms };
}

/** The first `agentMeta` object with a provider and model in the CLI's JSON output, if any. */
function agentMeta(stdout: string): { provider: string; model: string } | undefined {
  let doc: unknown;
  try { doc = JSON.parse(stdout.slice(stdout.indexOf("{"))); } catch { return undefined; }
  const stack = [doc];
  while (stack.length > 0) {
    const v = stack.pop();
    if (!v || typeof v !== "object") continue;
    const m = (v as { agentMeta?: { provider?: unknown; model?: unknown } }).agentMeta;
    if (typeof m?.provider === "string" && typeof m.model === "string") return { provider: m.provider, model: m.model };
    stack.push(...Object.values(v));
  }
  return undefined;
}

export async function readText(file: string): Promise<string> {
  try { return await readFile(file, "utf8"); } catch { return ""; }
}
