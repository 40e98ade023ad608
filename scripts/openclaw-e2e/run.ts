// The live OpenClaw run: fake provider + real gateway (+ the companion plugin unless log-only),
// driven through the phases of a scenario. `ci` produces every signal the sidecar derives
// (healthy usage, dead keys, queueing, a 429 storm with profile rotation, cooldown and model
// fallback, a provider hang, 5xx and billing failures with every model failing); `failures` is
// the issue-8 capture (scenario-failures.ts), `incidents` the issue-19 one (scenario-incidents.ts). Leaves in <out>/: the gateway log (and diagnostics
// JSONL with the plugin), the provider's record (ground truth), the turn outcomes, the gateway's
// console output and run-info.json (version, log level, plugin, scenario, how keys were stored).
//
// Usage: node scripts/openclaw-e2e/run.ts --bin <openclaw> --work <tmp> --out <dir>
//          [--plugin <dir>] [--log-level debug|default] [--scenario ci|failures|incidents] [--version <v>]
//          [--stage-dir <dir>] [--ready-timeout <s>] [--turn-timeout <s>]  (first start of 2026.4.x stages plugin deps for minutes)
//          [--sidecar <cli>]  the real sidecar `run` beside the gateway, telling fake chats (live-sidecar.ts)
// --version only selects version quirks (2026.4.x gets one --session-id per turn).
import { copyFile, mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { startFakeProvider, type Mode } from "./fake-provider.ts";
import { agentTurn, ciSetup, failuresSetup, FAKE_KEYS, freePort, prepare, startGateway, type Env, type TurnOutcome } from "./gateway.ts";
import { failuresScenario } from "./scenario-failures.ts";
import { incidentsScenario, incidentsSetup } from "./scenario-incidents.ts";
import { LiveSidecar } from "./live-sidecar.ts";
import { loggedWindows } from "./cooldown-lines.ts";

const { values: args } = parseArgs({
  options: {
    bin: { type: "string" }, plugin: { type: "string" }, work: { type: "string" }, out: { type: "string" },
    "log-level": { type: "string", default: "debug" }, "stage-dir": { type: "string" }, "ready-timeout": { type: "string", default: "90" }, "turn-timeout": { type: "string", default: "60" }, scenario: { type: "string", default: "ci" }, version: { type: "string", default: "" },
    sidecar: { type: "string" },
  },
});
if (!args.bin || !args.work || !args.out) throw new Error("need --bin --work --out");
const logLevel = args["log-level"];
if (logLevel !== "default" && logLevel !== "debug") throw new Error(`--log-level must be default or debug, got ${logLevel}`);
if (!["ci", "failures", "incidents"].includes(args.scenario)) throw new Error(`--scenario must be ci, failures or incidents, got ${args.scenario}`);
const plugin = args.plugin ? path.resolve(args.plugin) : undefined;
const setup = args.scenario === "ci" ? ciSetup(logLevel, plugin) : args.scenario === "incidents" ? incidentsSetup(logLevel, plugin) : failuresSetup(logLevel, plugin);
// Version quirks found in the published packages (test/fixtures/real/README.md): 2026.4.x's
// `openclaw agent` gets one --session-id per turn and its provider schema has no timeoutSeconds.
const old = /^2026\.[1-6]\./.test(args.version ?? "");
setup.sessionIds = old;
setup.providerTimeout = !old;
// 2026.4.x's bundled file logger never reads logging.* from the config (its lazy
// require("../config/config.js") has no target in dist/), so it writes to the default
// /tmp/openclaw/openclaw-YYYY-MM-DD.log at info. Read it there, from the offset it had at start.
const SHARED_LOG_DIR = "/tmp/openclaw";
const root = path.resolve(args.work);
const out = path.resolve(args.out);

/**
 * Refuses a --stage-dir inside an npm project. OpenClaw (2026.4.24, dist/bundled-runtime-deps-*.js)
 * runs `npm install <specs>` with the cwd <stage>/openclaw-<version>-<hash>/ (and, for plugins it
 * loads from its own mirror, <stage>/openclaw-unknown-<hash>/) and then looks for the packages in
 * that folder's node_modules. Inside a project npm walks up to the nearest package.json or
 * node_modules and installs there, so OpenClaw never finds them and every process (gateway and
 * each `openclaw agent`) installed them again, 27-40 s each: no 2026.4.24 turn reached the
 * provider while the stage dir was .openclaw-e2e/versions/<v>/plugin-runtime-deps.
 */
async function checkStageDir(dir: string): Promise<void> {
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    for (const f of ["package.json", "node_modules"]) {
      if (await stat(path.join(d, f)).catch(() => undefined)) throw new Error(`--stage-dir ${dir} is inside an npm project (${path.join(d, f)}): OpenClaw's runtime-deps installs would land there`);
    }
  }
}
if (args["stage-dir"]) await checkStageDir(args["stage-dir"]);

const t0 = Date.now();
const log = (m: string) => process.stdout.write(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);

const provider = await startFakeProvider();
const e: Env = {
  bin: path.resolve(args.bin),
  root,
  stateDir: path.join(root, "state"),
  logDir: old ? SHARED_LOG_DIR : path.join(root, "logs"),
  port: await freePort(),
  vars: {},
  setup,
};
// OpenClaw reads OPENCLAW_* itself (OPENCLAW_LOG_LEVEL overrides logging.level): pass none of
// the caller's, only the ones set here.
const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENCLAW_")));
e.vars = {
  ...inherited,
  HOME: path.join(root, "home"),
  OPENCLAW_STATE_DIR: e.stateDir,
  OPENCLAW_CONFIG_PATH: path.join(e.stateDir, "openclaw.json"),
  OPENCLAW_GATEWAY_TOKEN: "e2e-fake-gateway-token",
  OPENCLAW_PROFILE: "",
  NO_COLOR: "1",
  TZ: process.env.TZ ?? "UTC",
  // Where bundled plugins stage the runtime deps they install on first use (default: under the
  // temp state dir, so every run would download them again; 2026.4.x spends minutes on it).
  ...(args["stage-dir"] ? { OPENCLAW_PLUGIN_STAGE_DIR: path.resolve(args["stage-dir"]) } : {}),
};

async function setRules(phase: string, rules: Record<string, Mode>): Promise<void> {
  const r = await fetch(`${provider.url}/control`, { method: "POST", body: JSON.stringify({ phase, rules }) });
  if (!r.ok) throw new Error(`control ${r.status}`);
}

const turns: (TurnOutcome & { phase: string })[] = [];
/** One agent turn labelled `<phase>-<i>`, recorded in turns.json; `timeoutS` overrides --turn-timeout. */
async function turn(name: string, i: number, timeoutS = Number(args["turn-timeout"])): Promise<void> {
  const t = await agentTurn(e, `${name}-${i}`, `e2e ${name} turn ${i}: say hi`, timeoutS);
  turns.push({ ...t, phase: name });
  log(`  ${t.label}: ${t.status} via ${t.provider ?? "-"}/${t.model ?? "-"} in ${t.ms} ms`);
}
async function phase(name: string, rules: Record<string, Mode>, count: number, parallel = false): Promise<void> {
  await setRules(name, rules);
  log(`phase ${name}: ${count} turn(s)${parallel ? " at once" : ""}, rules ${JSON.stringify(rules)}`);
  if (parallel) await Promise.all(Array.from({ length: count }, (_, i) => turn(name, i + 1)));
  else for (let i = 1; i <= count; i++) await turn(name, i);
  await crashOnce(name);
}

/**
 * The live sidecar (--sidecar) crashes once in the middle of the trouble, whatever the scenario: after the
 * first phase with a failing answer, once that was told. Its restart must repeat none of what
 * it sent and lose none of what comes next (notify-check.ts).
 */
async function crashOnce(name: string): Promise<void> {
  if (!sidecar || sidecar.kills.length > 0 || !provider.records.some((r) => r.phase === name && r.status !== 200)) return;
  if (!(await sidecar.waitForTelegram(/./, 20_000))) log(`live sidecar: nothing told within 20 s of phase ${name}`);
  // Delivery is at least once (README): a message a chat accepted within the last checkpoint
  // interval (500 ms here) before a SIGKILL goes again. Kill outside that window.
  await new Promise((r) => setTimeout(r, 1500));
  await sidecar.crash();
}

/**
 * Sleeps until every cooldown/disabled window OpenClaw recorded for `providers` has ended (at
 * most `capMs`), so the next phase reaches the provider again instead of skipping its profiles.
 * Windows come from the log's `auth_profile_failure_state_updated` lines (WARN, so also at the
 * default level) and from the agent's auth JSON files (2026.4.x/7.x keep
 * `usageStats.<profile>.cooldownUntil` in auth-profiles.json or auth-state.json).
 */
async function waitForCooldowns(providers: string[], capMs = 90_000): Promise<void> {
  let until = 0;
  for (const w of await loggedWindows(e.logDir)) {
    if (providers.includes(w.provider)) until = Math.max(until, w.cooldownUntil ?? 0, w.disabledUntil ?? 0);
  }
  const agentDir = path.join(e.stateDir, "agents", "main", "agent");
  for (const f of ["auth-profiles.json", "auth-state.json"]) {
    const text = await readFile(path.join(agentDir, f), "utf8").catch(() => "");
    if (!text) continue;
    const stats = (JSON.parse(text) as { usageStats?: Record<string, { cooldownUntil?: number; disabledUntil?: number }> }).usageStats ?? {};
    for (const [id, st] of Object.entries(stats)) {
      if (providers.some((p) => id.startsWith(`${p}:`))) until = Math.max(until, st.cooldownUntil ?? 0, st.disabledUntil ?? 0);
    }
  }
  const ms = Math.min(capMs, until - Date.now() + 1000);
  if (ms > 0) { log(`waiting ${ms} ms for ${providers.join(",")} cooldowns to end`); await new Promise((r) => setTimeout(r, ms)); }
}

/** The CI run's phases (unchanged): every signal the sidecar derives, with the plugin on. */
async function ciScenario(): Promise<void> {
  const a1 = `key:${FAKE_KEYS.a1}`;
  const a2 = `key:${FAKE_KEYS.a2}`;
  await phase("healthy", {}, 2);
  // Dead keys on fakea (401 on both): rotate key1 -> key2, auth cooldown windows, fall back.
  await phase("auth_failures", { [a1]: "401", [a2]: "401" }, 1);
  await phase("concurrent", {}, 4, true);
  await waitForCooldowns(["fakea"]);
  // Both fakea keys rate-limited: rotate key1 -> key2, cooldown windows, fall back to fakeb/beta.
  await phase("rate_limit_storm", { [a1]: "429", [a2]: "429" }, 2);
  // fakea cools down; the fallback model hangs past timeoutSeconds: every candidate fails.
  await phase("timeout", { [a1]: "429", [a2]: "429", "model:beta": "hang" }, 1);
  // Everything fails: 5xx on the fallback, fakea still limited.
  await phase("all_failing", { [a1]: "429", [a2]: "429", "model:beta": "500" }, 1);
  // Billing exhausted on the fallback.
  await phase("billing", { [a1]: "429", [a2]: "429", "model:beta": "402" }, 1);
  await phase("recovered", {}, 1);
}

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
let sidecar: LiveSidecar | undefined;
let stored = "";
let saved = false;
/** Size of each file already in the log dir before the gateway started (non-zero only in /tmp/openclaw). */
const startOffsets = new Map<string, number>();
// The gateway runs in its own process group: on a timeout (test-openclaw.sh's `timeout`) stop it
// rather than leave it running, and keep what was captured so far.
process.once("SIGTERM", () => { log("SIGTERM: saving what was captured"); void save().finally(() => process.exit(143)); });
try {
  log(`fake provider ${provider.url}, gateway port ${e.port}, state ${root}`);
  for (const f of await readdir(e.logDir).catch(() => [] as string[])) startOffsets.set(f, (await stat(path.join(e.logDir, f))).size);
  stored = await prepare(e, provider.url);
  log(`config written (log level ${logLevel}, ${plugin ? "plugin" : "no plugin"}), ${setup.profiles.length} fake keys stored via ${stored}`);
  gateway = await startGateway(e, Number(args["ready-timeout"]) * 1000);
  log("gateway ready");
  if (args.sidecar) {
    sidecar = await LiveSidecar.start({ cli: path.resolve(args.sidecar), logDir: e.logDir, openclawState: e.stateDir, stateDir: path.join(root, "sidecar"), log });
  }
  const driver = {
    phase, waitForCooldowns, turn, log,
    setRules: (name: string, rules: Record<string, Mode>) => { log(`phase ${name}: rules ${JSON.stringify(rules)}`); return setRules(name, rules); },
    records: () => provider.records,
  };
  if (args.scenario === "failures") await failuresScenario(driver);
  else if (args.scenario === "incidents") await incidentsScenario(driver);
  else await ciScenario();
  // Let the plugin's 100 ms flush and OpenClaw's async log writer drain before stopping.
  await new Promise((r) => setTimeout(r, 1500));
  // The recovery's message (every model failing ended, with its downtime) goes after a group wait.
  if (sidecar && !(await sidecar.waitForTelegram(/resolved: every model failing/, 20_000))) log("live sidecar: no resolved message within 20 s of the end");
} finally {
  await save();
}

/** Stops the gateway and writes the artifacts (once: the SIGTERM handler and finally both call it). */
async function save(): Promise<void> {
  if (saved) return;
  saved = true;
  await sidecar?.finish(out).catch((err: Error) => log(`live sidecar: ${err.message}`));
  await gateway?.stop();
  log("gateway stopped");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "provider-record.json"), JSON.stringify(provider.records, null, 1));
  await writeFile(path.join(out, "turns.json"), JSON.stringify(turns, null, 1));
  await writeFile(path.join(out, "gateway-console.txt"), gateway?.output() ?? "");
  await writeFile(path.join(out, "run-info.json"), JSON.stringify({
    version: args.version, logLevel, logDir: old ? SHARED_LOG_DIR : "<work>/logs", plugin: Boolean(plugin), scenario: args.scenario, keysStoredVia: stored,
    sessionIds: setup.sessionIds, profiles: setup.profiles.map((p) => ({ id: p.id, provider: p.provider, keyTail: p.key.slice(-4) })),
    providers: Object.fromEntries(Object.entries(setup.providers).map(([n, p]) => [n, { models: p.models, keyTail: p.apiKey?.slice(-4), timeoutSeconds: p.timeoutSeconds }])),
    primary: setup.primary, fallbacks: setup.fallbacks,
  }, null, 1));
  await provider.close();
  for (const f of await readdir(e.logDir).catch(() => [] as string[])) {
    if (!f.endsWith(".log") && !f.endsWith(".jsonl")) continue;
    const from = startOffsets.get(f) ?? 0;
    if (from === 0) await copyFile(path.join(e.logDir, f), path.join(out, f));
    else await writeFile(path.join(out, f), (await readFile(path.join(e.logDir, f))).subarray(from));
  }
  log(`captured ${turns.length} turns, ${provider.records.length} provider requests into ${out}`);
}
