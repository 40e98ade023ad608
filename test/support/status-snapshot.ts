/** A status snapshot with distinctive numbers and a file name that tries to inject markup. */
import type { StatusSnapshot } from "../../src/serving/status-page.ts";
import { MinuteRing } from "../../src/serving/minute-ring.ts";

export const HOSTILE = `/tmp/openclaw/</script><img src=x onerror="alert(1)">.log`;
/** A provider name as a hostile log line could carry it (the parser bounds names; the page must not rely on it). */
export const HOSTILE_PROVIDER = `evil<script>alert(2)</script>`;

export function sampleSnapshot(now: number): StatusSnapshot {
  const ring = new MinuteRing();
  for (let m = 0; m < 60; m++) {
    ring.add("ok", now - m * 60_000, 10 + (m % 7));
    if (m % 9 === 0) ring.add("failed", now - m * 60_000, 4);
  }
  ring.add("failovers", now - 5 * 60_000, 3);
  const inc = (key: string, kind: "rate_limit" | "all_models_failed" | "channel", start: number, end: number | null, text: string) =>
    ({ key, kind, severity: kind === "all_models_failed" ? "down" as const : "degraded" as const, subject: key.split(":")[1]!, start, last: end ?? now - 1000, end, text });
  const ongoing = [inc(`rate_limit:${HOSTILE_PROVIDER}`, "rate_limit", now - 600_000, null, `rate_limit on ${HOSTILE_PROVIDER}: 14 requests 429 in 9 min`)];
  return {
    generatedAt: now,
    now,
    verdict: { state: "degraded", reason: `${HOSTILE_PROVIDER} rate-limited`, since: now - 600_000 },
    blind: null,
    ongoing,
    timeline: [...ongoing, inc("all_models_failed:gateway", "all_models_failed", now - 7_200_000, now - 5_000_000, "all models failed (35 min): 9 runs failed")],
    profiles: [{ provider: HOSTILE_PROVIDER, id: "sha256:0a1b2c3d4e5f", window: "cooldown", until: now + 300_000, failures: 3, reasons: "rate_limit 3" }],
    providers: [
      { provider: HOSTILE_PROVIDER, ok: 0, failed: 14, turns: 0, lastSuccessAt: null, lastFailureAt: now - 1000, lastFailureReason: "http_429" },
      { provider: "anthropic", ok: 120, failed: 2, turns: 0, lastSuccessAt: now - 5000, lastFailureAt: now - 900_000, lastFailureReason: "timeout" },
    ],
    missing: [{ what: "Tokens, cost and successful turns", fix: "not in the gateway log; install the companion plugin: openclaw plugins install /opt/openclaw-otel-sidecar/plugin" }],
    usage: null,
    charts: { hour: ring.chart(now, 60, 1), day: ring.chart(now, 1440, 30) },
    startedAt: now - 3_600_000,
    version: "0.1.0",
    logsDir: "/tmp/openclaw",
    files: [
      { path: "/tmp/openclaw/openclaw-2026-11-21.log", source: "log", sizeBytes: 5_242_880, unreadBytes: 4096, lastLineAt: now - 2000 },
      { path: HOSTILE, source: "jsonl", sizeBytes: 100, unreadBytes: 0, lastLineAt: null },
    ],
    lines: [
      { source: "log", read: 123_457, ignored: 120_001, rejected: 3 },
      { source: "jsonl", read: 812, ignored: 0, rejected: 0 },
    ],
    rejected: [{ source: "log", reason: "schema_mismatch", count: 3 }],
    events: [
      { type: "model.usage", count: 777, lastAt: now - 5000 },
      { type: "session.stuck", count: 2, lastAt: now - 60_000 },
    ],
    cooldowns: [{ provider: "google", window: "cooldown", until: now + 300_000 }],
    models: [
      { provider: HOSTILE_PROVIDER, model: "<b>m</b>", lastSuccessAt: null, lastFailureAt: now - 30_000, inARow: 6 },
      { provider: "anthropic", model: "claude-sonnet-4-5", lastSuccessAt: now - 5_000, lastFailureAt: null, inARow: 0 },
    ],
    stuckSessions: [{ state: "processing", ageMs: 7_200_000, queueDepth: 4 }],
    export: { enabled: true, metricsUrl: "http://collector:4318/v1/metrics", tracesUrl: null, failures: { metrics: 5, traces: 0 }, lastFailureAt: now - 30_000 },
    notify: { targets: [], queued: 0, counts: [], lastFailure: null },
  };
}

