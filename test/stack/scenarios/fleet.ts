/**
 * One real sidecar (`openclaw-otel run`, the CLI as shipped) per scenario, each following its
 * own log directory under its own host_name, and the bursts appended to those directories.
 * The sidecars are Prometheus' scrape targets; nothing here renders metrics text itself.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Child, startCli } from "../../sidecar/helpers.ts";
import { freePort } from "../e2e-harness.ts";
import { localDate, type Scenario } from "./lines.ts";

export interface Gateway {
  scenario: Scenario;
  child: Child;
  /** host:port of its /metrics. */
  target: string;
  logsDir: string;
  stateDir: string;
  /** Complete lines appended so far (log + JSONL), to know when a burst has been scraped. */
  linesWritten: number;
  /** SIGTERM, then the same command again on the same state directory and address. */
  restart(): Promise<void>;
}

const within = <T>(p: Promise<T>, ms: number, what: () => string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what()}: not within ${ms} ms`)), ms).unref())]);

export interface FleetOptions {
  /** Base OTLP/HTTP URL of a real Collector: every sidecar pushes there, every second. */
  collector?: string;
}

function cliArgs(g: Gateway, listen: string, closedPort: number, opts: FleetOptions, index: number): string[] {
  const own = g.scenario.sidecar?.args?.(closedPort, opts.collector) ?? [];
  // Both OTLP encodings reach the Collector: even scenarios send JSON, odd ones protobuf.
  const otlp = opts.collector === undefined || own.includes("--otlp-endpoint") ? [] : [
    "--otlp-endpoint", opts.collector, "--otlp-protocol", index % 2 === 0 ? "http/json" : "http/protobuf",
    "--metric-export-interval", "1000",
  ];
  return ["run", "--logs", g.logsDir, "--state-dir", g.stateDir, "--from-beginning", "--listen", listen,
    "--poll-interval", "50", "--host-name", g.scenario.host, ...otlp, ...own];
}

async function awaitServing(g: Gateway): Promise<void> {
  const url = await within(g.child.url, 20_000, () => `sidecar ${g.scenario.host}\n${g.child.stderr()}`);
  await within(g.child.ready, 20_000, () => `sidecar ${g.scenario.host}\n${g.child.stderr()}`);
  g.target = url.replace(/^http:\/\//, "");
}

export async function startFleet(scenarios: readonly Scenario[], opts: FleetOptions = {}): Promise<Gateway[]> {
  const closedPort = await freePort();
  const fleet: Gateway[] = scenarios.map((scenario, index) => {
    const logsDir = mkdtempSync(join(tmpdir(), `oc-e2e-${scenario.host}-logs-`));
    const stateDir = mkdtempSync(join(tmpdir(), `oc-e2e-${scenario.host}-state-`));
    const g: Gateway = { scenario, child: undefined as unknown as Child, target: "", logsDir, stateDir, linesWritten: 0, restart: async () => {} };
    g.child = startCli(cliArgs(g, "127.0.0.1:0", closedPort, opts, index));
    // Same state directory, same address: Prometheus keeps scraping one target.
    g.restart = async () => {
      await stopChild(g);
      g.child = startCli(cliArgs(g, g.target, closedPort, opts, index));
      await awaitServing(g);
    };
    return g;
  });
  try {
    for (const g of fleet) await awaitServing(g);
  } catch (err) {
    await stopFleet(fleet);
    throw err;
  }
  return fleet;
}

async function stopChild(g: Gateway): Promise<void> {
  if (g.child.proc.exitCode === null && g.child.proc.signalCode === null) {
    g.child.proc.kill("SIGTERM");
    const killer = setTimeout(() => g.child.proc.kill("SIGKILL"), 5_000);
    await g.child.exited;
    clearTimeout(killer);
  }
}

/** Appends burst `i` of every scenario, all stamped with the same `now`. */
export function writeBurst(fleet: Gateway[], i: number): void {
  const now = Date.now();
  for (const g of fleet) {
    const { log, jsonl } = g.scenario.burst(i, now);
    const date = localDate(now);
    appendFileSync(join(g.logsDir, `openclaw-${date}.log`), log.map((l) => `${l}\n`).join(""));
    if (jsonl !== undefined) appendFileSync(join(g.logsDir, `diagnostics-${date}.jsonl`), jsonl.map((l) => `${l}\n`).join(""));
    g.linesWritten += log.length + (jsonl?.length ?? 0);
    if (i === 0 && g.scenario.sidecar?.loseStateDir === true) {
      // The directory vanishes and a file takes its name: every later checkpoint write fails.
      rmSync(g.stateDir, { recursive: true, force: true });
      writeFileSync(g.stateDir, "not a directory\n");
    }
  }
}

/** SIGTERM, then SIGKILL after 5 s; removes the temporary directories. */
export async function stopFleet(fleet: Gateway[]): Promise<void> {
  await Promise.all(fleet.map(async (g) => {
    await stopChild(g);
    rmSync(g.logsDir, { recursive: true, force: true });
    rmSync(g.stateDir, { recursive: true, force: true });
  }));
}
