/**
 * Parse-stage throughput: generates a realistic 300k-line debug-level gateway log (mostly
 * chatter, some events) in a temp dir, then in the same run times
 *   (a) readline + JSON.parse per line (the baseline of product.md), and
 *   (b) readline + parseLine,
 * and prints lines/s for both and the ratio b/a (target >= 0.8).
 * Run: node bench/parse-throughput.ts [lines]
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseLine } from "../src/events/parse-line.ts";
import { tslogLine, type Level } from "../test/fixtures/build/envelopes.ts";

const LINES = Number(process.argv[2] ?? 300_000);
const ROUNDS = 5;

/** [weight, subsystem | undefined (root), level, text or meta+text] of a debug log mix. */
type Kind = [number, string | undefined, Level, (i: number) => unknown[]];
const KINDS: Kind[] = [
  [30, "gateway/ws", "DEBUG", (i) => [`ws ← req id=${i} method=chat.history ok=true durationMs=${i % 40}`]],
  [10, "gateway/ws", "DEBUG", (i) => [`ws → event agent seq=${i} clients=2 bytes=${300 + (i % 900)}`]],
  [6, "plugins", "INFO", (i) => [`plugin loaded: id=memory-core version=2026.9.${i % 7} source=bundled`]],
  [6, "gateway/channels/telegram", "DEBUG", (i) => [`[default] update ${i}: message from 4242 (text, 18 chars)`]],
  [5, "agent/embedded", "DEBUG", (i) => [`embedded run start: runId=run-${i} sessionId=s-${i % 50} provider=anthropic model=claude-opus-4-6 thinking=low messageChannel=telegram`]],
  [5, "agent/embedded", "DEBUG", (i) => [`embedded run done: runId=run-${i} sessionId=s-${i % 50} durationMs=${800 + (i % 500)} aborted=false`]],
  [4, "provider-transport-fetch", "DEBUG", (i) => [`[model-fetch] start provider=anthropic api=anthropic-messages model=claude-opus-4-6 dispatcher=reused req=${i}`]],
  [4, undefined, "DEBUG", (i) => [{ message: `discord gateway: Gateway heartbeat ack latency=${i % 90}ms` }, "verbose"]],
  [3, undefined, "INFO", (i) => [`[openclaw] cron tick ${i}: 0 jobs due`]],
  [3, "gateway/health", "DEBUG", (i) => [`health snapshot ok channels=3 uptimeMs=${i * 250}`]],
  // Events (about a fifth of the lines at debug level).
  [6, "diagnostic", "DEBUG", (i) => [`lane enqueue: lane=session:agent:main:telegram:direct:${i % 50} queueSize=${i % 3}`]],
  [6, "diagnostic", "DEBUG", (i) => [`lane dequeue: lane=session:agent:main:telegram:direct:${i % 50} waitMs=${i % 30} queueSize=0`]],
  [3, "diagnostic", "DEBUG", (i) => [`session state: sessionId=s-${i % 50} sessionKey=agent:main:main prev=idle new=processing reason="message_start" queueDepth=1`]],
  [2, "diagnostic", "DEBUG", (i) => [`message processed: channel=telegram chatId=4242 messageId=${i} sessionId=s-1 sessionKey=agent:main:main outcome=completed duration=${i % 2000}ms`]],
  [2, "diagnostic", "DEBUG", (i) => [`lane task done: lane=main durationMs=${i % 900} active=0 queued=0`]],
  [3, "provider-transport-fetch", "DEBUG", (i) => [`[model-fetch] response provider=anthropic api=anthropic-messages model=claude-opus-4-6 status=200 elapsedMs=${i % 999} dispatcher=reused`]],
  [2, "agent/embedded", "INFO", (i) => [{ event: "embedded_run_failover_decision", runId: `run-${i}`, decision: "continue_normal", provider: "anthropic", model: "claude-opus-4-6" }, "embedded run failover decision"]],
  [1, "model-fallback/decision", "WARN", (i) => [{ event: "model_fallback_decision", runId: `run-${i}`, decision: "candidate_failed", candidateProvider: "anthropic", candidateModel: "claude-opus-4-6", reason: "rate_limit", status: 429, nextCandidateProvider: "openai", nextCandidateModel: "gpt-5.4" }, "model fallback decision"]],
  [1, "diagnostic", "DEBUG", () => ["heartbeat: webhooks=17/17/0 active=1 waiting=0 queued=0"]],
];

function generate(path: string): void {
  const total = KINDS.reduce((s, k) => s + k[0], 0);
  const table: Kind[] = KINDS.flatMap((k) => Array<Kind>(k[0]).fill(k));
  const start = Date.parse("2026-11-21T10:00:00.000Z");
  const out: string[] = [];
  let seed = 42;
  for (let i = 0; i < LINES; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const [, sub, level, args] = table[seed % total]!;
    out.push(tslogLine("9.6", { ...(sub === undefined ? {} : { sub }), level, at: new Date(start + i * 7).toISOString(), args: args(i) }));
  }
  writeFileSync(path, `${out.join("\n")}\n`);
}

async function timeBaseline(path: string): Promise<[number, number]> {
  const t0 = process.hrtime.bigint();
  let n = 0;
  let keys = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    keys += Object.keys(JSON.parse(line) as object).length > 0 ? 1 : 0;
    n++;
  }
  if (keys < 0) console.log(keys);
  return [n, Number(process.hrtime.bigint() - t0) / 1e9];
}

async function timeParse(path: string): Promise<[number, number, number]> {
  const t0 = process.hrtime.bigint();
  let n = 0;
  let events = 0;
  let offset = 0;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    const r = parseLine({ source: "log", profile: "", path, offset, line });
    offset += line.length + 1;
    if (r.kind === "events") events += r.events.length;
    n++;
  }
  return [n, Number(process.hrtime.bigint() - t0) / 1e9, events];
}

const dir = mkdtempSync(join(tmpdir(), "parse-bench-"));
const file = join(dir, "openclaw-2026-11-21.log");
try {
  generate(file);
  const base: number[] = [];
  const ours: number[] = [];
  let events = 0;
  await timeBaseline(file); // warm-up of both paths
  await timeParse(file);
  for (let r = 0; r < ROUNDS; r++) {
    const [n1, s1] = await timeBaseline(file);
    const [n2, s2, ev] = await timeParse(file);
    base.push(n1 / s1);
    ours.push(n2 / s2);
    events = ev;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const a = median(base);
  const b = median(ours);
  console.log(`lines: ${LINES}, events: ${events} (${((100 * events) / LINES).toFixed(1)}% of lines), rounds: ${ROUNDS} (median)`);
  console.log(`(a) readline + JSON.parse: ${Math.round(a).toLocaleString("en")} lines/s`);
  console.log(`(b) readline + parseLine:  ${Math.round(b).toLocaleString("en")} lines/s`);
  console.log(`ratio b/a: ${(b / a).toFixed(2)} (target >= 0.80)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
