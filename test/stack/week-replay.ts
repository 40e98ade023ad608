/**
 * A week of gateway log, replayed through the sidecar's own pipeline and sampled as Prometheus
 * would scrape it, turned into a promtool test. Baseline alerts need days of samples, which
 * the live stack cannot wait for; promtool evaluates the shipped rules over these samples
 * instead, so the series are the sidecar's output (names, labels, histograms, counters born
 * above 0), not hand-written values. Two gateways run the same normal week; in the last two
 * hours "storm" fails over three times as often, fails and slows on its model, and stops
 * processing messages.
 */
import { Pipeline } from "../../src/pipeline/pipeline.ts";
import { MetricStore } from "../../src/telemetry/storage/metric-store.ts";
import { renderPrometheus } from "../../src/telemetry/export/prometheus-text.ts";
import { gatewayLog } from "./scenarios/lines.ts";
import { addScrape, inputSeries, type Samples } from "./scrape-samples.ts";

export const STEP_MIN = 10;
export const WEEK_STEPS = 7 * 24 * 6;
export const JUMP_STEPS = 12;
const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
/** The series the foresight rules read; the rest of the sidecar's output is left out for speed. */
const KEEP = /^(openclaw_model_failover_total|openclaw_message_processed_total|openclaw_model_request_total|openclaw_model_request_duration_milliseconds_bucket|openclaw_model_last_success_seconds|openclaw_sidecar_lines_read_total)\{/;

/** The log lines of one 10-minute step of one gateway. */
function stepLines(step: number, storm: boolean): string[] {
  const jump = storm && step >= WEEK_STEPS;
  const log = gatewayLog("9.6", T0 + (step + 1) * STEP_MIN * 60_000);
  // 2 failovers an hour normally (one every third step); three times as many in the jump.
  const failovers = jump ? 1 : step % 3 === 0 ? 1 : 0;
  for (let f = 0; f < failovers; f++) {
    log.b("model-fallback/decision", "WARN", { event: "model_fallback_decision", runId: `r-${step}-${f}`, decision: "candidate_failed", requestedProvider: "google", requestedModel: "gemini-2.5-pro", candidateProvider: "google", candidateModel: "gemini-2.5-pro", attempt: 1, reason: "rate_limit", status: 429, nextCandidateProvider: "openai", nextCandidateModel: "gpt-5.4", total: 2, lane: "main" }, "model fallback decision");
  }
  // 20 requests a step: 1 failed and ~800 ms normally; 6 failed and ~20 s in the jump.
  for (let r = 0; r < 20; r++) {
    const failed = r < (jump ? 6 : 1);
    log.a("provider-transport-fetch", "DEBUG", `[model-fetch] response provider=google api=google-generative-ai model=gemini-2.5-pro status=${failed ? 429 : 200} elapsedMs=${jump ? 20000 + r : 800 + r} dispatcher=reused contentType=application/json`);
  }
  // 5 messages a step normally; none in the jump.
  for (let m = 0; m < (jump ? 0 : 5); m++) {
    log.echo(`message processed: channel=telegram chatId=${900 + m} messageId=${step * 10 + m} sessionId=s-${m} sessionKey=agent:main:telegram:direct:${900 + m} outcome=completed duration=${1500 + m}ms`);
  }
  log.chatter(1);
  return log.done();
}

/** promtool input_series: each kept series' sample at the end of every step. */
export function replayWeek(): Array<{ series: string; values: string }> {
  const samples: Samples = new Map();
  const gateways = [{ host: "storm", storm: true }, { host: "calm", storm: false }].map((g) => {
    const store = new MetricStore();
    return { ...g, store, pipeline: new Pipeline({ store }) };
  });
  let offset = 0;
  for (let step = 0; step <= WEEK_STEPS + JUMP_STEPS; step++) {
    for (const g of gateways) {
      for (const line of stepLines(step, g.storm)) {
        g.pipeline.handle({ source: "log", profile: "", path: `/tmp/openclaw/openclaw-${g.host}.log`, offset, line });
        offset += line.length + 1;
      }
      // As before every scrape of the sidecar: the batched self-metrics (lines read) go in.
      g.pipeline.flushCounters();
      addScrape(samples, renderPrometheus(g.store, { hostName: g.host, profile: "default" }), step, (l) => KEEP.test(l));
    }
  }
  return inputSeries(samples);
}
