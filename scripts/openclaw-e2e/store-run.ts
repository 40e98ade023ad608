// The live session-store run (issue 23): a real log-only OpenClaw gateway (2026.7.35 in CI: JSONL
// transcripts) writes sessions while the real sidecar follows its state directory; the gateway
// deletes and resets sessions during the run (sessions.delete, sessions.reset, and its own
// maintenance removing `.deleted.` archives past `session.maintenance.pruneAfter`); the sidecar is
// SIGKILLed and restarted in the middle. At the end tokens and cost per provider/model on the
// sidecar's /metrics must equal the fake provider's record exactly, while a scan of the store
// then must come up short (else no deletion was tested). With --migrate-bin (2026.9.6) the same
// state is then migrated to SQLite: 9.6's `doctor --fix` (which refuses on a 7.35 state, exit 1,
// and imports nothing) and then the 9.6 gateway's own start-up migration, which imports the JSONL
// while the sidecar, resumed from its checkpoint of before, follows; nothing may count twice, and
// the 9.6 gateway's new turns (another SIGKILL) once.
//
// Usage: node scripts/openclaw-e2e/store-run.ts --bin <openclaw 7.35> --work <tmp> --out <dir> --cli <sidecar cli>
//          [--migrate-bin <openclaw 9.6>] [--stage-dir <dir>] [--capture <dir>]
import { readdir, readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { startFakeProvider } from "./fake-provider.ts";
import { ciSetup, freePort, prepare, run, startGateway, type Env, type Gateway } from "./gateway.ts";
import { StoreFollower } from "../../src/store/store-follower.ts";
import type { ModelUsage } from "../../src/events/types.ts";
import { differences, expectedFromRecord, fmt, settle, startSidecar, type ByModel, type Sidecar } from "./store-sidecar.ts";

const { values: args } = parseArgs({ options: {
  bin: { type: "string" }, work: { type: "string" }, out: { type: "string" }, cli: { type: "string" }, "migrate-bin": { type: "string" }, "stage-dir": { type: "string" },
  capture: { type: "string" },
} });
if (!args.bin || !args.work || !args.out || !args.cli) throw new Error("need --bin --work --out --cli");
const root = path.resolve(args.work), out = path.resolve(args.out);
const t0 = Date.now();
const log = (m: string) => process.stdout.write(`[store +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);
/** Sessions idle this long are pruned by the gateway, and `.deleted.` archives older than it removed. */
const PRUNE_AFTER_S = 20;

const provider = await startFakeProvider();
const setup = ciSetup("default");
// No bundled plugin loads (providers and failover are core): the gateway starts in seconds.
setup.bundledPlugins = false;
const stateDir = path.join(root, "state");
const e: Env = { bin: path.resolve(args.bin), root, stateDir, logDir: path.join(root, "logs"), port: await freePort(), vars: {}, setup };
e.vars = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("OPENCLAW_"))),
  HOME: path.join(root, "home"), OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: path.join(stateDir, "openclaw.json"),
  OPENCLAW_GATEWAY_TOKEN: "e2e-fake-gateway-token", OPENCLAW_PROFILE: "", NO_COLOR: "1", TZ: process.env.TZ ?? "UTC",
  ...(args["stage-dir"] ? { OPENCLAW_PLUGIN_STAGE_DIR: path.resolve(args["stage-dir"]) } : {}),
};
const sessionsDir = path.join(stateDir, "agents", "main", "sessions");
const providerOf = (model: string) => Object.entries(setup.providers).find(([, p]) => p.models.includes(model))?.[0] ?? "unknown";
const sideOpts = { logs: e.logDir, openclawState: stateDir, sidecarState: path.join(root, "sidecar-state") };
const problems: string[] = [];
const steps: Record<string, unknown>[] = [];
let gateway: Gateway | undefined;
let sidecar: Sidecar | undefined;
/** Every sidecar's stderr, across restarts. */
let sidecarLog = "";
async function stopSidecar(signal: "SIGTERM" | "SIGKILL"): Promise<void> {
  await sidecar?.stop(signal);
  sidecarLog += sidecar?.stderr() ?? "";
  sidecar = undefined;
}

/** One turn in session `agent:main:<name>`, on the primary model or `--model`; it must succeed (a failed turn would prove nothing). */
async function turn(name: string, model?: string): Promise<void> {
  const r = await run(e, ["agent", "--agent", "main", "--session-key", `agent:main:${name}`, "--message", `store run: ${name}, say hi`,
    ...(model ? ["--model", model] : []), "--json", "--timeout", "60"], { timeoutMs: 90_000 });
  steps.push({ step: "turn", session: name, model: model ?? setup.primary, code: r.code, ms: r.ms });
  log(`  turn ${name} on ${model ?? setup.primary}: exit ${r.code} in ${r.ms} ms`);
  if (r.code !== 0) throw new Error(`turn ${name} failed (${r.code}): ${r.stderr.slice(-2000)}${r.stdout.slice(-2000)}`);
}

/** A gateway method through the CLI (`openclaw gateway call`), as an operator or the Control UI would. */
async function call(method: string, params: Record<string, unknown>): Promise<void> {
  const r = await run(e, ["gateway", "call", method, "--params", JSON.stringify(params), "--json"], { timeoutMs: 30_000 });
  steps.push({ step: method, params, code: r.code, ms: r.ms });
  log(`  ${method} ${JSON.stringify(params)}: exit ${r.code}`);
  if (r.code !== 0) throw new Error(`${method} failed (${r.code}): ${r.stderr}${r.stdout}`);
}

const sessionIdOf = async (name: string): Promise<string> => {
  const index = JSON.parse(await readFile(path.join(sessionsDir, "sessions.json"), "utf8")) as Record<string, { sessionId?: string }>;
  const id = index[`agent:main:${name}`]?.sessionId;
  if (!id) throw new Error(`no session agent:main:${name} in sessions.json`);
  return id;
};
const filesOf = async (id: string) => (await readdir(sessionsDir)).filter((f) => f.startsWith(`${id}.jsonl`));

/** Compares the sidecar's totals with the record; `what` names the moment. */
async function check(what: string): Promise<void> {
  const want = expectedFromRecord(provider.records, providerOf);
  const diff = await settle(sidecar!, want);
  for (const [k, t] of want) log(`  ${diff.some((d) => d.startsWith(k)) ? "DIFF" : "ok  "} ${what}: ${k} ${t.calls} calls, ${fmt(t)}`);
  for (const d of diff) { problems.push(`${what}: ${d}`); log(`  DIFF ${what}: ${d}`); }
}

try {
  await mkdir(out, { recursive: true });
  await prepare(e, provider.url);
  // The gateway's own maintenance (mode enforce, the default) prunes idle sessions and removes
  // their `.deleted.` archives once older than pruneAfter: transcripts really vanish mid-run.
  // Through `config set`: a raw write of openclaw.json is taken for a clobber and the gateway
  // restores its last good copy (`openclaw.json.clobbered.<ts>`).
  const maintenance = { mode: "enforce", pruneAfter: `${PRUNE_AFTER_S}s` };
  const set = await run(e, ["config", "set", "session.maintenance", JSON.stringify(maintenance), "--strict-json"]);
  if (set.code !== 0) throw new Error(`config set session.maintenance failed (${set.code}): ${set.stderr}${set.stdout}`);
  sidecar = await startSidecar(args.cli, sideOpts);
  log(`sidecar ${sidecar.url} following ${stateDir}`);
  gateway = await startGateway(e, 400_000);
  log("gateway ready");

  // Sessions idle past pruneAfter are pruned by the gateway at any store write: each delete or
  // reset follows its session's last turn at once, so the session is still there to be named.
  await turn("s1");
  await turn("s2");
  await turn("s2", "fakeb/beta");
  const s2 = await sessionIdOf("s2");
  await call("sessions.delete", { key: "agent:main:s2" });
  const deletedAt = Date.now();
  log(`  s2 (${s2}) after sessions.delete: ${(await filesOf(s2)).join(", ") || "no file"}`);
  await turn("s3", "fakeb/beta");
  await check("before the SIGKILL");
  await stopSidecar("SIGKILL");
  log("sidecar SIGKILLed; a turn and a reset while it is down");
  await turn("s3");
  const s3 = await sessionIdOf("s3");
  await call("sessions.reset", { key: "agent:main:s3" });
  log(`  s3 (${s3}) after sessions.reset: ${(await filesOf(s3)).join(", ") || "no file"}`);
  sidecar = await startSidecar(args.cli, sideOpts);
  log("sidecar restarted from its checkpoint");
  await turn("s3");
  if (args.capture) await capture(path.resolve(args.capture));
  await new Promise((r) => setTimeout(r, Math.max(0, deletedAt + (PRUNE_AFTER_S + 2) * 1000 - Date.now())));
  // A store write runs the gateway's maintenance: the `.deleted.` archive of s2 is now past pruneAfter.
  await turn("s4");
  let left = await filesOf(s2);
  if (left.length > 0) {
    log(`  s2 archive still there after a turn (${left.join(", ")}); running the gateway's maintenance by hand`);
    const r = await run(e, ["sessions", "cleanup", "--enforce", "--json"], { timeoutMs: 60_000 });
    steps.push({ step: "sessions cleanup --enforce", code: r.code, ms: r.ms, stdout: r.stdout.slice(-4000), stderr: r.stderr.slice(-2000) });
    left = await filesOf(s2);
  }
  log(`  s2 files at the end: ${left.join(", ") || "none (removed by the gateway)"}`);
  if (left.length > 0) problems.push(`the gateway did not remove session s2's transcript (${left.join(", ")}): the run does not test a deleted session`);
  if (differences(expectedFromRecord(provider.records, providerOf), scanNow("after the removal")).length === 0) problems.push("a scan still finds every call: nothing was lost");
  await check("7.35 live, s2 deleted");
  await pageNotes();
  await stopSidecar("SIGTERM");
  await gateway.stop();
  gateway = undefined;
  log("gateway and sidecar stopped");
  if (args["migrate-bin"]) await migrate(path.resolve(args["migrate-bin"]));
} catch (err) {
  problems.push(`run failed: ${(err as Error).message}`);
  log(`FAILED: ${(err as Error).stack}`);
} finally {
  await stopSidecar("SIGTERM");
  await gateway?.stop();
  // The sidecar must have read every store without a complaint (7.35's own agent database included).
  for (const l of sidecarLog.split("\n").filter((x) => / (WARN|ERROR) .*session store/.test(x))) problems.push(`sidecar: ${l}`);
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "provider-record.json"), JSON.stringify(provider.records, null, 1));
  await writeFile(path.join(out, "steps.json"), JSON.stringify(steps, null, 1));
  await writeFile(path.join(out, "sidecar-stderr.txt"), sidecarLog);
  await provider.close();
}

/** The page of a log-only sidecar that follows the store: usage from it, and tokens and cost not called unseen. */
async function pageNotes(): Promise<void> {
  const st = await (await fetch(`${sidecar!.url}/status.json`)).json() as { usageSource: string | null; missing: { what: string }[] };
  const missing = st.missing.map((m) => m.what);
  log(`  page: usage from ${st.usageSource}; unseen: ${missing.join("; ") || "nothing"}`);
  if (st.usageSource !== "session store" || missing.some((m) => /tokens|cost|successful requests/i.test(m))) problems.push(`page: ${JSON.stringify(st.missing)}`);
}

/** What a reader that scans the store now (instead of following it) would count: short by the sessions the gateway removed. */
function scanNow(what: string): ByModel {
  const f = new StoreFollower({ stateDir, profile: "", fromBeginning: true });
  const events: ModelUsage[] = [];
  for (let i = 0; i < 100 && f.pollOnce((ev) => events.push(ev)); i++);
  f.close();
  const got: ByModel = new Map();
  for (const ev of events) {
    const k = `${ev.provider}/${ev.model}`, t = got.get(k) ?? { input: 0, output: 0, cost: 0, calls: 0 };
    t.input += ev.usage.input ?? 0; t.output += ev.usage.output ?? 0; t.cost += ev.costUsd ?? 0; t.calls++;
    got.set(k, t);
  }
  log(`  a scan of the store now (${what}): ${[...got].map(([k, t]) => `${k} ${t.calls} calls, ${fmt(t)}`).join("; ")}`);
  return got;
}

/**
 * --capture: the transcripts as they are now (live, `.deleted.` and `.reset.` archives; not the
 * trajectories) and the provider's record so far, for test/fixtures/real/2026.7.35-store/; the
 * temp folder name is replaced by /tmp/openclaw-store-e2e.XXXXXX.
 */
async function capture(dir: string): Promise<void> {
  await mkdir(path.join(dir, "sessions"), { recursive: true });
  for (const f of (await readdir(sessionsDir)).filter((n) => /\.jsonl(\.(deleted|reset)\..*)?$/.test(n) && !n.includes(".trajectory."))) {
    await writeFile(path.join(dir, "sessions", f), (await readFile(path.join(sessionsDir, f), "utf8")).replaceAll(root, "/tmp/openclaw-store-e2e.XXXXXX"));
  }
  await writeFile(path.join(dir, "provider-record.json"), JSON.stringify(provider.records, null, 1));
  await writeFile(path.join(dir, "steps.json"), JSON.stringify(steps, null, 1));
  log(`  captured ${(await readdir(path.join(dir, "sessions"))).length} transcript(s) into ${dir}`);
}

/** Sessions in the agent database's transcript_events (0 while it is 7.35's schema-1 database). */
function importedSessions(): number {
  const db = new DatabaseSync(path.join(stateDir, "agents", "main", "agent", "openclaw-agent.sqlite"), { readOnly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcript_events'").get() !== undefined;
    return has ? (db.prepare("SELECT count(DISTINCT session_id) AS n FROM transcript_events").get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

/** 7.35's JSONL state migrated by 9.6's `doctor --fix`, then followed on by the same sidecar checkpoint. */
async function migrate(bin: string): Promise<void> {
  const e96: Env = { ...e, bin };
  // 9.6's doctor stops at its shared-auth-store step on a 7.35 state (exit 1; docs/openclaw-formats.md
  // §11.1), sometimes before its transcript import; then the explicit import mode, then the
  // gateway's own start-up migration. Each is recorded; the import must have happened by the end.
  for (const argv of [["doctor", "--fix", "--non-interactive"], ["doctor", "--session-sqlite", "import", "--non-interactive"]]) {
    const r = await run(e96, argv, { timeoutMs: 180_000 });
    const n = importedSessions();
    steps.push({ step: `9.6 ${argv.join(" ")}`, code: r.code, ms: r.ms, importedSessions: n });
    await writeFile(path.join(out, `${argv[1]!.replace(/^--/, "")}.txt`), `${r.stdout}\n${r.stderr}`);
    log(`9.6 ${argv.join(" ")}: exit ${r.code} in ${r.ms} ms; ${n} session(s) in SQLite transcript_events`);
    if (n > 0) break;
  }
  sidecar = await startSidecar(args.cli!, sideOpts);
  await check("after the 9.6 doctor, same checkpoint");
  e.bin = bin;
  gateway = await startGateway(e, 400_000);
  const n = importedSessions();
  log(`9.6 gateway ready on the 7.35 state: ${n} session(s) in SQLite transcript_events`);
  if (n === 0) problems.push("no transcript imported into SQLite by 9.6 (doctor or gateway start): the migration check proves nothing");
  await check("9.6 gateway started on the migrated state");
  if (!/SQLite .*openclaw-agent\.sqlite \(read-only\)/.test(sidecar.stderr())) problems.push("the sidecar did not follow the migrated SQLite store");
  await turn("s1");
  await stopSidecar("SIGKILL");
  await turn("s5", "fakeb/beta");
  sidecar = await startSidecar(args.cli!, sideOpts);
  await turn("s5");
  await check("9.6 live after the migration and a SIGKILL");
}

log(problems.length === 0 ? "every figure matches the provider's record" : `${problems.length} problem(s):\n${problems.join("\n")}`);
process.exit(problems.length === 0 ? 0 : 1);
