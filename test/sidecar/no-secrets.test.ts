/**
 * no_secrets_exported: a pre-2026.4.25 log holds API keys and tokens in clear (OpenClaw did not
 * redact its file log then) and identifiers everywhere. The real `run` process exports it over
 * OTLP (JSON and protobuf, decoded by a real receiver) and serves /metrics: none of the secrets
 * and none of the identifiers may appear in any payload or on /metrics.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tslogLine } from "../fixtures/build/envelopes.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";
import { startCli } from "./helpers.ts";

const SECRETS = [
  "sk-abcdefghijklmnopqrstuvwxyz0123456789", "AIzaSyD-abcdefghijklmnopqrstuvwxyz01234", "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
  "123456789:AAEhBOweik6ad9r_QXMENQjcrGbqCr4K-xxyy", "Bearer eyJhbGciOiJIUzI1NiJ9.abcdefghijklmnop", "hunter2-password-value",
];
const IDS = ["sess-4f1d2c", "agent:main:telegram:direct:998877", "run-77aa", "chat-55bb", "msg-66cc", "prof-ab12cd"];

function secretLog(): string {
  let t = Date.parse("2026-11-21T09:00:00.000Z");
  const at = () => new Date((t += 1000)).toISOString();
  const L = (o: Parameters<typeof tslogLine>[1]) => tslogLine("4.14", o);
  return [
    L({ level: "ERROR", at: at(), args: [`Embedded agent failed before reply: All models failed (2): openai/gpt-5.4: 401 (auth) apiKey=${SECRETS[0]} | google/gemini: 429 key=${SECRETS[1]} (rate_limit)`] }),
    L({ sub: "diagnostic", level: "ERROR", at: at(), args: [`webhook error: channel=telegram type=message chatId=${IDS[3]} error="401 Authorization: ${SECRETS[4]}" errors=1`] }),
    L({ sub: "diagnostic", level: "ERROR", at: at(), args: [`message processed: channel=telegram chatId=${IDS[3]} messageId=${IDS[4]} sessionId=${IDS[0]} sessionKey=${IDS[1]} outcome=error duration=1200ms error="fetch https://api.telegram.org/bot${SECRETS[3]}/sendMessage failed token=${SECRETS[2]}"`] }),
    L({ sub: "diagnostic", level: "WARN", at: at(), args: [`stuck session: sessionId=${IDS[0]} sessionKey=${IDS[1]} state=processing age=130s queueDepth=2`] }),
    L({ sub: "diagnostic", level: "ERROR", at: at(), args: [`tool loop: sessionId=${IDS[0]} sessionKey=${IDS[1]} tool=exec level=critical action=block detector=generic_repeat count=20 message="password=${SECRETS[5]} ${SECRETS[2]}"`] }),
    L({ sub: "diagnostic", level: "WARN", at: at(), args: [`lane wait exceeded: lane=session:${IDS[1]} waitedMs=45000 queueAhead=3`] }),
    L({ sub: "agent/embedded", level: "WARN", at: at(), args: [{ event: "auth_profile_failure_state_updated", runId: IDS[2], profileId: IDS[5], provider: "openai", reason: "auth", windowType: "cooldown", errorCount: 2, cooldownUntil: t + 60_000 }, "auth profile failure state updated"] }),
    L({ sub: "model-fallback/decision", level: "WARN", at: at(), args: [{ event: "model_fallback_decision", runId: IDS[2], decision: "candidate_failed", candidateProvider: SECRETS[1], candidateModel: "gemini-3", reason: "rate_limit", status: 429, nextCandidateProvider: "openai", nextCandidateModel: "gpt-5.4", errorPreview: `429 for key ${SECRETS[1]}` }, "model fallback decision"] }),
    L({ sub: "gateway/channels/telegram", level: "ERROR", at: at(), args: [`Telegram network error: Network request for 'getUpdates' failed! | fetch failed bot${SECRETS[3]}; retrying in 2.1s.`] }),
  ].join("\n") + "\n";
}

function assertClean(where: string, text: string): void {
  for (const s of [...SECRETS, ...IDS]) expect(text.includes(s), `${where} contains ${s}`).toBe(false);
  // Parts of secrets too: the redaction keeps at most a short prefix.
  for (const s of SECRETS) expect(text.includes(s.slice(8, 24)), `${where} contains part of ${s}`).toBe(false);
}

describe("secrets and identifiers never leave the process", () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => { receiver = await startOtlpReceiver(); });
  afterAll(async () => { await receiver.close(); });

  for (const protocol of ["http/json", "http/protobuf"] as const) {
    it(`no_secrets_exported over ${protocol} and /metrics`, async () => {
      const logs = mkdtempSync(join(tmpdir(), "oc-secret-logs-"));
      writeFileSync(join(logs, "openclaw-2026-11-21.log"), secretLog());
      const before = { m: receiver.metrics.length, s: receiver.spans.length };
      const child = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), "oc-secret-state-")), "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20", "--host-name", "gw-test", "--profile", "dev"], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_METRIC_EXPORT_INTERVAL: "1000",
      });
      const url = await child.url;
      let metrics = "";
      for (let i = 0; i < 100 && !metrics.includes("openclaw_channel_network_error_total"); i++) {
        metrics = await (await fetch(`${url}/metrics`)).text();
        await new Promise((r) => setTimeout(r, 50));
      }
      const status = await (await fetch(`${url}/status.json`)).text();
      const page = await (await fetch(`${url}/`)).text();
      child.proc.kill("SIGTERM");
      expect(await child.exited).toBe(0);

      // The log was really read and exported: the test must be able to fail.
      expect(metrics).toContain("openclaw_session_stuck_total");
      expect(metrics).toContain("openclaw_auth_window_opened_total");
      const exported = receiver.metrics.slice(before.m);
      const spans = receiver.spans.slice(before.s);
      expect(exported.some((m) => m.name === "openclaw.model.all_failed")).toBe(true);
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(["openclaw.message.processed", "openclaw.webhook.error", "openclaw.session.stuck"]));

      // Names, units, values and the resource as the sidecar sent them (the last export wins).
      const last = (name: string) => exported.filter((m) => m.name === name).at(-1)!;
      const stuck = last("openclaw.session.stuck");
      expect(stuck.resource).toMatchObject({ "service.name": "openclaw", "host.name": "gw-test", "openclaw.profile": "dev" });
      expect(stuck.resource).not.toHaveProperty("service.instance.id");
      expect({ unit: stuck.unit, type: stuck.type, monotonic: stuck.monotonic, temporality: stuck.temporality }).toEqual({ unit: "1", type: "sum", monotonic: true, temporality: "cumulative" });
      expect(stuck.points).toEqual([expect.objectContaining({ attributes: { "openclaw.state": "processing" }, value: 1 })]);
      const waited = last("openclaw.queue.lane.exceeded_wait");
      expect(waited.unit).toBe("ms");
      expect(waited.points).toEqual([expect.objectContaining({ attributes: { "openclaw.lane": "session" }, count: 1, sum: 45000 })]);
      const stuckSpan = spans.find((x) => x.name === "openclaw.session.stuck")!;
      expect(stuckSpan.status.code).toBe("error");
      expect(BigInt(stuckSpan.endTimeUnixNano) - BigInt(stuckSpan.startTimeUnixNano)).toBe(130_000_000_000n);

      assertClean("/metrics", metrics);
      assertClean("/status.json", status);
      assertClean("status page", page);
      assertClean("OTLP metrics", JSON.stringify(exported));
      assertClean("OTLP spans", JSON.stringify(spans));
      assertClean("stderr", child.stderr());
    }, 30_000);
  }
});
