/**
 * The realistic debug-level gateway log every bench reads: a weighted mix of chatter (WebSocket
 * requests, plugin loading, channel updates, embedded-run start/done, cron ticks; about three
 * quarters of the lines) and event-bearing lines (diagnostic echoes, model-fetch responses,
 * JSON-structured failover decisions). Envelopes come from the fixture builder
 * (test/fixtures/build/envelopes.ts, tslog 5 / OpenClaw 2026.9.6 key order), so the bytes look
 * like a real gateway's; a fixed-seed LCG makes every run read the same file.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { tslogLine, type Level } from "../../test/fixtures/build/envelopes.ts";

/** [weight, subsystem | undefined (root), level, text or meta+text]. */
type Kind = [number, string | undefined, Level, (i: number) => unknown[]];

const CHATTER: Kind[] = [
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
];

const EVENTS: Kind[] = [
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

const KINDS = [...CHATTER, ...EVENTS];
const TABLE: Kind[] = KINDS.flatMap((k) => Array<Kind>(k[0]).fill(k));

/** Deterministic generator of debug-log lines: `next()` returns line i (no newline). */
export function debugLogLines(startIso = "2026-11-21T10:00:00.000Z", stepMs = 7): { next: () => string } {
  const start = Date.parse(startIso);
  let seed = 42;
  let i = 0;
  return {
    next() {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      // The high bits: an LCG modulo 2^31 has short cycles in its low bits, which skewed the mix.
      const [, sub, level, args] = TABLE[(seed >>> 8) % TABLE.length]!;
      const line = tslogLine("9.6", { ...(sub === undefined ? {} : { sub }), level, at: new Date(start + i * stepMs).toISOString(), args: args(i) });
      i++;
      return line;
    },
  };
}

/** Writes `lines` lines to `path` in 4 MB chunks (a 1M-line file is ~380 MB: never one string). */
export function writeDebugLog(path: string, lines: number): { bytes: number } {
  const gen = debugLogLines();
  const fd = openSync(path, "w");
  let bytes = 0;
  try {
    let chunk: string[] = [];
    let size = 0;
    for (let i = 0; i < lines; i++) {
      const l = gen.next();
      chunk.push(l);
      size += l.length + 1;
      if (size >= 4 << 20 || i === lines - 1) {
        bytes += writeSync(fd, `${chunk.join("\n")}\n`);
        chunk = [];
        size = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { bytes };
}

/**
 * One `lane enqueue` echo at wall-clock time `at` on lane `lane` (a prefix such as "bench"):
 * counted by openclaw_queue_lane_enqueue_total{lane=...}, which is how the follow benches see a
 * line arrive on /metrics.
 */
export function laneEnqueueLine(at: Date, lane: string, n: number): string {
  return tslogLine("9.6", { sub: "diagnostic", level: "DEBUG", at: at.toISOString(), args: [`lane enqueue: lane=${lane}:${n} queueSize=0`] });
}
