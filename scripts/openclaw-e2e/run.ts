// The live OpenClaw run: fake provider + real gateway + the companion plugin, driven through
// phases that produce every signal the sidecar derives (healthy usage, dead keys, queueing, a
// 429 storm with profile rotation, cooldown and model fallback, a provider hang, 5xx and
// billing failures with every model failing). Leaves in <out>/: the gateway log and diagnostics JSONL files, the provider's
// record (ground truth), the turn outcomes and the gateway's console output.
//
// Usage: node scripts/openclaw-e2e/run.ts --bin <openclaw> --plugin <dir> --work <tmp> --out <dir>
import { copyFile, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { startFakeProvider, type Mode } from "./fake-provider.ts";
import { agentTurn, FAKE_KEYS, freePort, prepare, startGateway, type Env, type TurnOutcome } from "./gateway.ts";

const { values: args } = parseArgs({
  options: { bin: { type: "string" }, plugin: { type: "string" }, work: { type: "string" }, out: { type: "string" } },
});
if (!args.bin || !args.plugin || !args.work || !args.out) throw new Error("need --bin --plugin --work --out");
const root = path.resolve(args.work);
const out = path.resolve(args.out);

const t0 = Date.now();
const log = (m: string) => process.stdout.write(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);

const provider = await startFakeProvider();
const e: Env = {
  bin: path.resolve(args.bin),
  root,
  stateDir: path.join(root, "state"),
  logDir: path.join(root, "logs"),
  port: await freePort(),
  vars: {},
};
e.vars = {
  ...process.env,
  HOME: path.join(root, "home"),
  OPENCLAW_STATE_DIR: e.stateDir,
  OPENCLAW_CONFIG_PATH: path.join(e.stateDir, "openclaw.json"),
  OPENCLAW_GATEWAY_TOKEN: "e2e-fake-gateway-token",
  OPENCLAW_PROFILE: "",
  NO_COLOR: "1",
  TZ: process.env.TZ ?? "UTC",
};

async function setRules(phase: string, rules: Record<string, Mode>): Promise<void> {
  const r = await fetch(`${provider.url}/control`, { method: "POST", body: JSON.stringify({ phase, rules }) });
  if (!r.ok) throw new Error(`control ${r.status}`);
}

const turns: (TurnOutcome & { phase: string })[] = [];
async function phase(name: string, rules: Record<string, Mode>, count: number, parallel = false): Promise<void> {
  await setRules(name, rules);
  log(`phase ${name}: ${count} turn(s)${parallel ? " at once" : ""}, rules ${JSON.stringify(rules)}`);
  const one = async (i: number) => {
    const t = await agentTurn(e, `${name}-${i}`, `e2e ${name} turn ${i}: say hi`);
    turns.push({ ...t, phase: name });
    log(`  ${t.label}: ${t.status} via ${t.provider ?? "-"}/${t.model ?? "-"} in ${t.ms} ms`);
  };
  if (parallel) await Promise.all(Array.from({ length: count }, (_, i) => one(i + 1)));
  else for (let i = 1; i <= count; i++) await one(i);
}

/**
 * Sleeps until every cooldown window the log shows for `provider` has ended (at most 90 s), so
 * the next phase reaches the provider again instead of skipping its profiles.
 */
async function waitForCooldowns(provider: string): Promise<void> {
  let until = 0;
  for (const f of await readdir(e.logDir)) {
    if (!f.endsWith(".log")) continue;
    for (const line of (await readFile(path.join(e.logDir, f), "utf8")).split("\n")) {
      if (!line.includes("auth_profile_failure_state_updated")) continue;
      for (const v of Object.values(JSON.parse(line) as Record<string, unknown>)) {
        const m = v as { event?: string; provider?: string; cooldownUntil?: number };
        if (m?.event === "auth_profile_failure_state_updated" && m.provider === provider) until = Math.max(until, m.cooldownUntil ?? 0);
      }
    }
  }
  const ms = Math.min(90_000, until - Date.now() + 1000);
  if (ms > 0) { log(`waiting ${ms} ms for ${provider} cooldowns to end`); await new Promise((r) => setTimeout(r, ms)); }
}

let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
try {
  log(`fake provider ${provider.url}, gateway port ${e.port}, state ${root}`);
  await prepare(e, provider.url, path.resolve(args.plugin));
  log("config written, two fake keys stored for fakea");
  gateway = await startGateway(e);
  log("gateway ready");

  const a1 = `key:${FAKE_KEYS.a1}`;
  const a2 = `key:${FAKE_KEYS.a2}`;
  await phase("healthy", {}, 2);
  // Dead keys on fakea (401 on both): rotate key1 -> key2, auth cooldown windows, fall back.
  await phase("auth_failures", { [a1]: "401", [a2]: "401" }, 1);
  await phase("concurrent", {}, 4, true);
  await waitForCooldowns("fakea");
  // Both fakea keys rate-limited: rotate key1 -> key2, cooldown windows, fall back to fakeb/beta.
  await phase("rate_limit_storm", { [a1]: "429", [a2]: "429" }, 2);
  // fakea cools down; the fallback model hangs past timeoutSeconds: every candidate fails.
  await phase("timeout", { [a1]: "429", [a2]: "429", "model:beta": "hang" }, 1);
  // Everything fails: 5xx on the fallback, fakea still limited.
  await phase("all_failing", { [a1]: "429", [a2]: "429", "model:beta": "500" }, 1);
  // Billing exhausted on the fallback.
  await phase("billing", { [a1]: "429", [a2]: "429", "model:beta": "402" }, 1);
  await phase("recovered", {}, 1);
  // Let the plugin's 100 ms flush and OpenClaw's async log writer drain before stopping.
  await new Promise((r) => setTimeout(r, 1500));
} finally {
  await gateway?.stop();
  log("gateway stopped");
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, "provider-record.json"), JSON.stringify(provider.records, null, 1));
  await writeFile(path.join(out, "turns.json"), JSON.stringify(turns, null, 1));
  await writeFile(path.join(out, "gateway-console.txt"), gateway?.output() ?? "");
  await provider.close();
  for (const f of await readdir(e.logDir).catch(() => [] as string[])) await copyFile(path.join(e.logDir, f), path.join(out, f));
  log(`captured ${turns.length} turns, ${provider.records.length} provider requests into ${out}`);
}
