/** A status snapshot with distinctive numbers and a file name that tries to inject markup. */
import type { StatusSnapshot } from "../../src/serving/status-page.ts";

export const HOSTILE = `/tmp/openclaw/</script><img src=x onerror="alert(1)">.log`;

export function sampleSnapshot(now: number): StatusSnapshot {
  return {
    generatedAt: now,
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
      { provider: "google", model: "gemini-2.5-pro", lastSuccessAt: null, lastFailureAt: now - 30_000, inARow: 6 },
      { provider: "anthropic", model: "claude-sonnet-4-5", lastSuccessAt: now - 5_000, lastFailureAt: null, inARow: 0 },
    ],
    stuckSessions: [{ state: "processing", ageMs: 7_200_000, queueDepth: 4 }],
    export: { enabled: true, metricsUrl: "http://collector:4318/v1/metrics", tracesUrl: null, failures: { metrics: 5, traces: 0 }, lastFailureAt: now - 30_000 },
  };
}

