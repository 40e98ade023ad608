// The sidecar and the ground truth of the live store run (store-run.ts, issue 23): starts the
// real sidecar (`node <cli> run`, log-only: the gateway's log plus OpenClaw's session store), reads
// its /metrics, and sums the fake provider's record into the tokens and cost OpenClaw must have
// written (the price of every fake model is in gateway.ts gatewayConfig: 1 USD per million input
// tokens, 2 per million output; OpenClaw's calculateCost multiplies them out, as below).
import { spawn, type ChildProcess } from "node:child_process";
import type { RecordEntry } from "./fake-provider.ts";

export interface Totals { input: number; output: number; cost: number; calls: number }
export type ByModel = Map<string, Totals>;

/** Per `provider/model`: what the fake provider put in its 200 answers, and what that costs at the configured price. */
export function expectedFromRecord(records: RecordEntry[], providerOf: (model: string) => string): ByModel {
  const out: ByModel = new Map();
  for (const r of records) {
    if (r.status !== 200) continue;
    const k = `${providerOf(r.model)}/${r.model}`;
    const t = out.get(k) ?? { input: 0, output: 0, cost: 0, calls: 0 };
    t.input += r.promptTokens; t.output += r.completionTokens; t.calls++;
    t.cost += (1 / 1e6) * r.promptTokens + (2 / 1e6) * r.completionTokens;
    out.set(k, t);
  }
  return out;
}

/** The same figures from the sidecar's /metrics (openclaw_tokens_total, openclaw_cost_usd_total), summed over other labels. */
export function totalsFromMetrics(text: string): ByModel {
  const out: ByModel = new Map();
  for (const line of text.split("\n")) {
    const m = /^openclaw_(tokens|cost_usd)_total\{([^}]*)\} (\S+)$/.exec(line);
    if (m === null) continue;
    const labels = Object.fromEntries([...m[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
    const k = `${labels.openclaw_provider}/${labels.openclaw_model}`;
    const t = out.get(k) ?? { input: 0, output: 0, cost: 0, calls: 0 };
    const v = Number(m[3]);
    if (m[1] === "cost_usd") t.cost += v;
    else if (labels.openclaw_token === "input") t.input += v;
    else if (labels.openclaw_token === "output") t.output += v;
    out.set(k, t);
  }
  return out;
}

/** One line per provider/model that differs (tokens exactly, cost to 1e-12 USD: float sums in another order). */
export function differences(want: ByModel, got: ByModel): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...want.keys(), ...got.keys()])].sort()) {
    const a = want.get(k), b = got.get(k);
    if (a === undefined || b === undefined || a.input !== b.input || a.output !== b.output || Math.abs(a.cost - b.cost) > 1e-12) {
      out.push(`${k}: provider ${fmt(a)}; sidecar ${fmt(b)}`);
    }
  }
  return out;
}

export function fmt(t: Totals | undefined): string {
  return t === undefined ? "nothing" : `in ${t.input}, out ${t.output}, cost ${t.cost.toFixed(9)} USD`;
}

export interface Sidecar { child: ChildProcess; url: string; stderr: () => string; stop(signal: "SIGTERM" | "SIGKILL"): Promise<number | null> }

/**
 * Starts `node <cli> run` reading the gateway's log directory and OpenClaw's state directory
 * (no plugin JSONL: log-only), checkpointing into `sidecarState` every 200 ms, metrics on a free port.
 */
export async function startSidecar(cli: string, o: { logs: string; openclawState: string; sidecarState: string }): Promise<Sidecar> {
  const args = [cli, "run", "--logs", o.logs, "--openclaw-state", o.openclawState, "--state-dir", o.sidecarState,
    "--listen", "127.0.0.1:0", "--checkpoint-interval", "200"];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], env: quietEnv() });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const t0 = Date.now();
  let url: string | undefined;
  while (url === undefined || !/ INFO following /.test(err)) {
    url ??= /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(err)?.[1];
    if (child.exitCode !== null) throw new Error(`sidecar exited (${child.exitCode}):\n${err}`);
    if (Date.now() - t0 > 30_000) { child.kill("SIGKILL"); throw new Error(`sidecar not ready after 30 s:\n${err}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  const base = url;
  return {
    child, url: base, stderr: () => err,
    stop: async (signal) => { if (child.exitCode === null) child.kill(signal); return exited; },
  };
}

/** The caller's environment without OpenClaw's, the sidecar's or OTLP settings: only the flags above apply. */
function quietEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OPENCLAW_|OTEL_)/.test(k)));
}

export async function sidecarTotals(s: Sidecar): Promise<ByModel> {
  return totalsFromMetrics(await (await fetch(`${s.url}/metrics`)).text());
}

/** Waits (at most `ms`) until the sidecar's totals equal `want`, then 2 s more; returns what still differs. */
export async function settle(s: Sidecar, want: ByModel, ms = 20_000): Promise<string[]> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms && differences(want, await sidecarTotals(s)).length > 0) await new Promise((r) => setTimeout(r, 250));
  await new Promise((r) => setTimeout(r, 2000));
  return differences(want, await sidecarTotals(s));
}
