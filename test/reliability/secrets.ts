/**
 * secrets: >= 50 secret shapes (test/events/secret-shapes.ts) planted in every place a line can
 * carry text — free text (error, message, reason, errorPreview), label fields (provider, model,
 * channel, lane, reason, state, tool), identifiers (profileId, sessionKey, runId), JSONL fields
 * and unparseable lines — of a pre-2026.4.25 log (OpenClaw wrote secrets in clear) and a plugin
 * JSONL, and the OTLP endpoint's own `user:password@`. The real CLI reads them and exports to a
 * real receiver (JSON and protobuf decoded); no secret may appear in the OTLP payloads,
 * /metrics, the status page, /status.json, the checkpoint file or the sidecar's stderr.
 *
 * Runnable alone: `node test/reliability/secrets.ts [--quick]`; `runSecretsScenario()` is what
 * the reliability suite and test/telemetry/secrets-scenario.test.ts call.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tslogLine } from "../fixtures/build/envelopes.ts";
import { SHAPES, type SecretShape } from "../events/secret-shapes.ts";
import { startCli, waitFor } from "../sidecar/helpers.ts";
import { startOtlpReceiver } from "../support/otlp-receiver.ts";

export interface SecretsResult {
  trials: number;
  expected: string;
  observed: string;
  verdict: "PASS" | "FAIL";
  /** `<shape> in <sink>` for every leak found (empty on PASS). */
  leaks: string[];
}
export interface SecretsOptions { protocols?: ("http/json" | "http/protobuf")[]; shapes?: readonly SecretShape[] }

/** Lines planted per shape (12 gateway-log, 12 JSONL), each with the secret in several fields. */
const PLACES_PER_SHAPE = 24;
const ENDPOINT_PASSWORD = "EndpointPw9xQ2vL7mK4";
const DAY = () => new Date(Date.now() - 600_000).toISOString().slice(0, 10);

/** The middle third of a secret: a redaction that keeps a prefix must not keep more. */
const core = (s: string) => s.slice(Math.floor(s.length / 3), 2 * Math.floor(s.length / 3));

function gatewayLog(shapes: readonly SecretShape[], t0: number): string {
  let t = t0;
  const at = () => new Date((t += 10)).toISOString();
  const L = (o: Parameters<typeof tslogLine>[1]) => tslogLine("4.14", o);
  const lines: string[] = [];
  for (const s of shapes) {
    const q = s.text.replaceAll('"', "'");
    lines.push(
      L({ sub: "diagnostic", level: "ERROR", at: at(), args: [`webhook error: channel=${s.label} type=${s.label} chatId=${s.label} error="401 ${q}" errors=1`] }),
      L({ sub: "diagnostic", level: "ERROR", at: at(), args: [`message processed: channel=${s.label} chatId=1 messageId=2 sessionId=${s.label} sessionKey=${s.label} outcome=error duration=12ms reason=${s.label} error="${q}"`] }),
      L({ sub: "diagnostic", level: "WARN", at: at(), args: [`stuck session: sessionId=${s.label} sessionKey=${s.label} state=${s.label} age=130s queueDepth=1 reason="${q}"`] }),
      L({ sub: "diagnostic", level: "WARN", at: at(), args: [`tool loop: sessionKey=${s.label} tool=${s.label} level=critical action=block detector=${s.label} count=20 message="${q}"`] }),
      L({ sub: "diagnostic", level: "WARN", at: at(), args: [`lane wait exceeded: lane=${s.label} waitedMs=45000 queueAhead=3`] }),
      L({ sub: "diagnostic", level: "ERROR", at: at(), args: [`lane task error: lane=${s.label} durationMs=5 error="${q}"`] }),
      L({ sub: "agent/embedded", level: "WARN", at: at(), args: [{ event: "auth_profile_failure_state_updated", runId: s.label, profileId: s.secret, provider: s.label, reason: s.label, windowType: "cooldown", errorCount: 2, cooldownUntil: t0 + 3_600_000 }, "auth profile failure state updated"] }),
      L({ sub: "model-fallback/decision", level: "WARN", at: at(), args: [{ event: "model_fallback_decision", runId: s.label, decision: "candidate_failed", candidateProvider: s.label, candidateModel: s.label, reason: s.label, status: 429, nextCandidateProvider: s.label, nextCandidateModel: s.label, errorPreview: s.text, lane: s.label }, "model fallback decision"] }),
      L({ sub: "gateway/channels/telegram", level: "ERROR", at: at(), args: [`Telegram network error: Network request for '${s.label}' failed! | ${q}; retrying in 2.1s.`] }),
      L({ level: "ERROR", at: at(), args: [`Embedded agent failed before reply: All models failed (2): ${s.label}/${s.label}: 401 (auth) ${q}`] }),
      `{"0":"not json ${s.text.replaceAll('"', "'")}`,
      L({ sub: "gateway", level: "INFO", at: at(), args: [`ignored line carrying ${s.text}`] }),
    );
  }
  return lines.join("\n") + "\n";
}

function diagnosticsJsonl(shapes: readonly SecretShape[], t0: number): string {
  let t = t0, seq = 0;
  const J = (o: Record<string, unknown>) => JSON.stringify({ ...o, ts: (t += 10), seq: seq++ });
  const lines: string[] = [];
  for (const s of shapes) {
    lines.push(
      J({ type: "model.usage", channel: s.label, provider: s.label, model: s.label, sessionKey: s.secret, usage: { input: 1, output: 1 }, durationMs: 5 }),
      J({ type: "webhook.error", channel: s.label, updateType: s.label, chatId: s.secret, error: s.text }),
      J({ type: "message.processed", channel: s.label, outcome: "error", reason: s.label, error: s.text, sessionKey: s.secret, messageId: s.secret }),
      J({ type: "session.stuck", sessionKey: s.secret, state: s.label, ageMs: 130_000, reason: s.text, classification: s.label }),
      J({ type: "model.failover", fromProvider: s.label, fromModel: s.label, toProvider: s.label, toModel: s.label, reason: s.text, lane: s.label }),
      J({ type: "queue.lane.enqueue", lane: s.label, queueSize: 1 }),
      J({ type: "tool.loop", toolName: s.label, level: "warning", action: "warn", detector: s.label, count: 3, message: s.text, pairedToolName: s.label }),
      J({ type: "run.attempt", runId: s.secret, attempt: 1, sessionKey: s.secret }),
      J({ type: s.label, note: s.text }),
      `{"type":"model.usage","ts":"${s.secret}"}`,
      J({ type: "diagnostic.memory.pressure", level: "warning", reason: s.label }),
      J({ type: "session.state", sessionKey: s.secret, state: s.label, reason: s.text }),
    );
  }
  return lines.join("\n") + "\n";
}

async function oneRun(protocol: "http/json" | "http/protobuf", shapes: readonly SecretShape[]): Promise<{ leaks: string[]; sinks: number; problems: string[] }> {
  const receiver = await startOtlpReceiver();
  const logs = mkdtempSync(join(tmpdir(), "rel-secrets-logs-"));
  const state = mkdtempSync(join(tmpdir(), "rel-secrets-state-"));
  const problems: string[] = [];
  try {
    const t0 = Date.now() - 600_000;
    const logText = gatewayLog(shapes, t0);
    const jsonlText = diagnosticsJsonl(shapes, t0);
    writeFileSync(join(logs, `openclaw-${DAY()}.log`), logText);
    // Another profile's JSONL, so the default profile's text echoes are counted too.
    writeFileSync(join(logs, `diagnostics-plug-${DAY()}.jsonl`), jsonlText);
    const written = (logText.match(/\n/g) ?? []).length + (jsonlText.match(/\n/g) ?? []).length;
    const endpoint = receiver.url.replace("http://", `http://otlp:${ENDPOINT_PASSWORD}@`);
    const child = startCli(["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20", "--log-level", "debug"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_METRIC_EXPORT_INTERVAL: "1000",
    });
    const url = await Promise.race([child.url, child.exited.then(() => { throw new Error(`sidecar exited: ${child.stderr()}`); })]);
    // Wait until every written line is read (both sources), not for a fixed time.
    let metrics = "";
    const linesRead = () => [...metrics.matchAll(/^openclaw_sidecar_lines_read_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const allRead = await waitFor(async () => { metrics = await (await fetch(`${url}/metrics`)).text(); return linesRead() >= written; }, 20_000);
    if (!allRead) problems.push(`read ${linesRead()} of ${written} lines within 20 s`);
    const page = await (await fetch(`${url}/`)).text();
    const status = await (await fetch(`${url}/status.json`)).text();
    await receiver.waitFor(() => receiver.spans.some((s) => s.name === "openclaw.webhook.error"), 10_000).catch(() => problems.push("no webhook.error span arrived"));
    // The cooldown gauge goes out with the next metric export (every 1 s here): wait for it.
    await receiver.waitFor(() => receiver.metrics.some((m) => m.name === "openclaw.auth.cooldown.active"), 10_000).catch(() => { /* reported below */ });
    child.proc.kill("SIGTERM");
    const code = await child.exited;
    if (code !== 0) problems.push(`sidecar exited ${code}`);
    const checkpoint = readdirSync(state).filter((f) => f.startsWith("checkpoint")).map((f) => readFileSync(join(state, f), "utf8")).join("\n");
    // The run must really have read, counted and exported the lines, or the check proves nothing.
    if (!metrics.includes("openclaw_webhook_error_total")) problems.push("/metrics has no webhook errors");
    if (!receiver.spans.some((s) => s.name === "openclaw.message.processed")) problems.push("no message.processed span exported");
    if (!receiver.metrics.some((m) => m.name === "openclaw.auth.cooldown.active")) problems.push("no cooldown gauge exported");
    if (checkpoint === "") problems.push("no checkpoint written");
    const sinks: Record<string, string> = {
      "OTLP metrics": JSON.stringify(receiver.metrics), "OTLP spans": JSON.stringify(receiver.spans),
      "OTLP requests": JSON.stringify(receiver.requests), "/metrics": metrics, "status page": page,
      "/status.json": status, checkpoint, stderr: child.stderr(),
    };
    const leaks: string[] = [];
    for (const [sink, text] of Object.entries(sinks)) {
      for (const s of shapes) if (text.includes(s.secret) || text.includes(core(s.secret))) leaks.push(`${s.name} in ${sink} (${protocol})`);
      if (text.includes(ENDPOINT_PASSWORD)) leaks.push(`endpoint password in ${sink} (${protocol})`);
    }
    return { leaks, sinks: Object.keys(sinks).length, problems };
  } finally {
    await receiver.close();
    rmSync(logs, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

export async function runSecretsScenario(opts: SecretsOptions = {}): Promise<SecretsResult> {
  const protocols = opts.protocols ?? ["http/json", "http/protobuf"];
  const shapes = opts.shapes ?? SHAPES;
  const leaks: string[] = [];
  const problems: string[] = [];
  let sinks = 0;
  for (const p of protocols) {
    const r = await oneRun(p, shapes);
    leaks.push(...r.leaks);
    problems.push(...r.problems);
    sinks = r.sinks;
  }
  const trials = protocols.length * (shapes.length * PLACES_PER_SHAPE + 1);
  return {
    trials,
    expected: `0 of ${shapes.length} shapes (+ endpoint password) in ${sinks} sinks`,
    observed: problems.length > 0 ? `run incomplete: ${problems.join("; ")}` : `${leaks.length} leaks${leaks.length ? `: ${leaks.slice(0, 5).join(", ")}` : ""}`,
    verdict: leaks.length === 0 && problems.length === 0 ? "PASS" : "FAIL",
    leaks,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  const r = await runSecretsScenario(quick ? { protocols: ["http/protobuf"] } : {});
  process.stdout.write(`scenario  trials  expected  observed  verdict\nsecrets  ${r.trials}  ${r.expected}  ${r.observed}  ${r.verdict}\n`);
  for (const l of r.leaks) process.stdout.write(`  leak: ${l}\n`);
  process.exitCode = r.verdict === "PASS" ? 0 : 1;
}
