/**
 * One run of the real stack for the e2e test, on either path users take:
 *  - direct:    sidecars' /metrics <- Prometheus (job openclaw-sidecar), as without Docker;
 *  - collector: sidecars --OTLP/HTTP (json and protobuf)--> Collector --> its Prometheus
 *               exporter <- Prometheus (job otel-collector; sidecars scraped for `up` only),
 *               spans --> Collector --> Jaeger (or a Collector writing a file, when Jaeger
 *               is not built), as `docker compose up` wires it.
 * Then Prometheus 3 evaluates the shipped rules and Alertmanager routes them to receivers on
 * 127.0.0.1. Every program is the real one built by scripts/build-stack.sh.
 * Each burst is scraped before the next is written, so the order of events is the order of
 * samples; one sidecar is restarted mid-scenario (its counters must not reset).
 */
import { type Stack, startStack } from "./e2e-harness.ts";
import { type Collector, type TraceSink, startCollector, startTraceSink } from "./otel-stack.ts";
import { type Gateway, startFleet, stopFleet, writeBurst } from "./scenarios/fleet.ts";
import { SCENARIOS } from "./scenarios/index.ts";

export type StackPath = "direct" | "collector";
export const BURSTS = 6;
/** Restarted after this many bursts. */
export const RESTARTED = { host: "rate-limit-storm", afterBurst: 3 };

export interface StackRun {
  path: StackPath;
  fleet: Gateway[];
  stack: Stack;
  collector?: Collector;
  traces?: TraceSink;
  q: Stack["query"];
  stop(): Promise<void>;
}

export async function startStackRun(path: StackPath): Promise<StackRun> {
  let traces: TraceSink | undefined;
  let collector: Collector | undefined;
  let fleet: Gateway[] = [];
  let stack: Stack | undefined;
  const stop = async () => {
    await stack?.stop();
    await stopFleet(fleet);
    await collector?.stop();
    await traces?.stop();
  };
  try {
    if (path === "collector") {
      traces = await startTraceSink();
      collector = await startCollector(traces.otlpGrpc);
    }
    fleet = await startFleet(SCENARIOS, { collector: collector?.otlpHttp });
    stack = await startStack({ targets: fleet.map((g) => g.target), collector: collector?.promTarget });
    const q = stack.query.bind(stack);
    const end = Date.now() + 20_000;
    while ((await q('up{job="openclaw-sidecar"} == 1')).length < fleet.length) {
      if (Date.now() > end) throw new Error("Prometheus never scraped every sidecar");
      await new Promise((r) => setTimeout(r, 100));
    }
    for (let i = 0; i < BURSTS; i++) {
      if (i === RESTARTED.afterBurst) await fleet.find((g) => g.scenario.host === RESTARTED.host)!.restart();
      const started = Date.now();
      writeBurst(fleet, i);
      await waitScraped(q, fleet, 15_000);
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }
    return { path, fleet, stack, collector, traces, q, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Until Prometheus holds every line written so far, per host (through whichever path). */
async function waitScraped(q: Stack["query"], fleet: Gateway[], ms: number): Promise<void> {
  const end = Date.now() + ms;
  let seen = new Map<string, number>();
  while (Date.now() < end) {
    seen = new Map((await q("sum by (host_name) (openclaw_sidecar_lines_read_total)")).map((r) => [r.metric.host_name ?? "", Number(r.value[1])]));
    if (fleet.every((g) => seen.get(g.scenario.host) === g.linesWritten)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not scraped within ${ms} ms: ${JSON.stringify(fleet.map((g) => [g.scenario.host, g.linesWritten, seen.get(g.scenario.host)]))}`);
}
