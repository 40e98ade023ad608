/**
 * `openclaw-otel doctor` and the start-up hints of `run`, on the real CLI (node src/cli.ts):
 * each check's verdict and the exit code (1 when something blocks telemetry). Network checks
 * use ports on 127.0.0.1 only.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../stack/e2e-harness.ts";
import { CLI, startCli } from "../sidecar/helpers.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../support/otlp-receiver.ts";

const run = promisify(execFile);
async function doctor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, "doctor", ...args], { env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: "", ...env }, timeout: 30_000 });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

/** A log line as OpenClaw 2026.3.2+ writes it (local-offset time), at `ms`. */
function line(ms: number, level: string, text: string): string {
  const time = new Date(ms).toISOString().replace("Z", "+00:00");
  return JSON.stringify({ "0": text, _meta: { runtime: "node", runtimeVersion: "24.21.0", date: new Date(ms).toISOString(), logLevelName: level, name: "openclaw" }, time });
}
function logDir(lines: string[], jsonl = true): string {
  const dir = mkdtempSync(join(tmpdir(), "doctor-logs-"));
  writeFileSync(join(dir, "openclaw-2026-11-21.log"), lines.join("\n") + "\n");
  if (jsonl) writeFileSync(join(dir, "diagnostics-2026-11-21.jsonl"), '{"type":"diagnostic.heartbeat","ts":1,"seq":1}\n');
  return dir;
}
const servers: Server[] = [];
async function listening(): Promise<number> {
  const s = createServer((c) => c.destroy());
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return (s.address() as { port: number }).port;
}
const receivers: OtlpReceiver[] = [];
afterAll(async () => { for (const s of servers) s.close(); await Promise.all(receivers.map((r) => r.close())); });

describe("openclaw-otel doctor", () => {
  it("a healthy setup: every check ok, exit 0, with the format, levels and Node version the lines show", async () => {
    const now = Date.now();
    const dir = logDir([line(now - 5000, "INFO", "gateway ready"), line(now - 1000, "DEBUG", "lane enqueue")]);
    const otlp = await startOtlpReceiver();
    receivers.push(otlp);
    const r = await doctor(["--logs", dir, "--state-dir", join(dir, "state"), "--listen", `127.0.0.1:${await freePort()}`, "--otlp-endpoint", otlp.url]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok +OpenClaw log +1 file\(s\) in .*newest openclaw-2026-11-21\.log; profiles: default$/m);
    expect(r.out).toMatch(/^ok +log format +OpenClaw 2026\.3\.2 or later .*DEBUG 1, INFO 1|INFO 1, DEBUG 1.*Node 24\.21\.0$/m);
    expect(r.out).toMatch(/^ok +clock +the newest line is from the last two minutes$/m);
    expect(r.out).toMatch(/^ok +plugin JSONL/m);
    expect(r.out).toMatch(/^ok +state +no checkpoint yet; /m);
    const port = new URL(otlp.url).port;
    expect(r.out).toMatch(new RegExp(`^ok +OTLP metrics +http://127\\.0\\.0\\.1:${port}/v1/metrics \\(http/protobuf, timeout 10000 ms\\): an empty export was accepted \\(HTTP 200\\)$`, "m"));
    // The doctor's export really went over the wire, empty: one request per signal, no data in it.
    expect(otlp.requests.map((q) => [q.path, q.contentType]).sort()).toEqual([["/v1/metrics", "application/x-protobuf"], ["/v1/traces", "application/x-protobuf"]]);
    expect(otlp.metrics.length + otlp.spans.length).toBe(0);
    expect(r.out).toMatch(/^ok +\/metrics +http:\/\/127\.0\.0\.1:\d+\/metrics can be served$/m);
    expect(r.out).toContain("nothing blocks telemetry.");
  }, 40_000);

  it("no log, no plugin: says where OpenClaw writes its log and how to get tokens and cost; exit 1", async () => {
    const empty = mkdtempSync(join(tmpdir(), "doctor-empty-"));
    const r = await doctor(["--logs", empty, "--listen", "off"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`FAIL  OpenClaw log  no OpenClaw log found in ${empty}; OpenClaw writes its log where logging.file says`);
    expect(r.out).toMatch(/WARN +plugin JSONL .*tokens and cost need the companion plugin: add \S+plugin to plugins\.load\.paths/);
    // With an OpenClaw state directory holding agents, tokens and cost come from its session store: the plugin adds the rest.
    const state = mkdtempSync(join(tmpdir(), "doctor-state-"));
    mkdirSync(join(state, "agents", "main", "sessions"), { recursive: true });
    const withStore = await doctor(["--logs", empty, "--listen", "off", "--openclaw-state", state]);
    expect(withStore.out).toMatch(/WARN +plugin JSONL .*tokens and cost come from OpenClaw's session store \(--openclaw-state\); the companion plugin adds turn outcomes/);
    expect(withStore.out).not.toContain("tokens and cost need the companion plugin");
    expect((await doctor(["--logs", join(empty, "missing"), "--listen", "off"])).out).toMatch(/FAIL +log directory .*missing does not exist/);
    // Root may write anywhere; a state dir below a regular file is unwritable for everyone.
    writeFileSync(join(empty, "file"), "");
    expect((await doctor(["--logs", empty, "--listen", "off", "--state-dir", join(empty, "file", "state")])).out).toMatch(/FAIL +state +.*file is not writable by this user: no checkpoint/);
  }, 40_000);

  it("an unreachable endpoint, a clock far behind the log and a /metrics port taken by another program: exit 1", async () => {
    const dir = logDir([line(Date.now() + 3 * 3_600_000, "INFO", "from the future")], false);
    const taken = await listening();
    const closed = await freePort();
    const r = await doctor(["--logs", dir, "--listen", `127.0.0.1:${taken}`], { OTEL_EXPORTER_OTLP_ENDPOINT: `http://user:pw@127.0.0.1:${closed}`, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL +clock +the newest line is 180 min ahead of this clock/);
    expect(r.out).toMatch(new RegExp(`FAIL +OTLP metrics +http://127\\.0\\.0\\.1:${closed}/? \\(grpc, timeout 10000 ms\\): connection refused: nothing listens on 127\\.0\\.0\\.1:${closed} \\(is the collector running\\? is the port right\\?\\)`));
    expect(r.out).not.toContain("pw@");
    expect(r.out).toMatch(new RegExp(`FAIL +/metrics +127\\.0\\.0\\.1:${taken} is in use by another program`));
    expect(r.out).toContain("4 problem(s) block telemetry."); // clock, metrics, traces, /metrics
  }, 40_000);

  it("names symbolic links like logs as never followed, and does not read through them", async () => {
    const now = Date.now();
    const dir = logDir([line(now - 5000, "INFO", "gateway ready")]);
    const outside = mkdtempSync(join(tmpdir(), "doctor-secret-"));
    // Newer than the real log and with another Node version: read through the link, it would win.
    writeFileSync(join(outside, "secret.json"), `${line(now - 1000, "INFO", "s3cr3t").replace("24.21.0", "99.9.9")}\n`, { mode: 0o600 });
    symlinkSync(join(outside, "secret.json"), join(dir, "openclaw-2026-11-22.log"));
    const r = await doctor(["--logs", dir, "--state-dir", join(dir, "state"), "--listen", "off"]);
    expect(r.out).toMatch(/^WARN +symbolic links +1 name\(s\) like a log in .* are symbolic links \(openclaw-2026-11-22\.log\): never followed/m);
    expect(r.out).toMatch(/^ok +OpenClaw log +1 file\(s\) in .*newest openclaw-2026-11-21\.log; /m);
    expect(r.out).toContain("Node 24.21.0");
    expect(r.out).not.toContain("99.9.9");
  }, 40_000);

  it("is listed in help", async () => {
    const { stdout } = await run(process.execPath, [CLI, "help"]);
    expect(stdout).toMatch(/doctor \[options\] +check the setup/);
    expect((await run(process.execPath, [CLI, "help", "doctor"])).stdout).toContain("Usage: openclaw-otel doctor");
  });
});

describe("openclaw-otel run start-up hints", () => {
  it("says, one line each, that no log was found and that tokens and cost need the plugin", async () => {
    const empty = mkdtempSync(join(tmpdir(), "run-hints-"));
    const state = join(empty, "state");
    mkdirSync(state);
    const logs = join(empty, "logs");
    mkdirSync(logs);
    const child = startCli(["run", "--logs", logs, "--state-dir", state, "--listen", "off"], { OTEL_EXPORTER_OTLP_ENDPOINT: "" });
    await child.ready;
    child.proc.kill("SIGTERM");
    await child.exited;
    const err = child.stderr();
    expect(err).toMatch(new RegExp(`WARN no OpenClaw log found in ${logs}; OpenClaw writes its log where logging\\.file says`));
    expect(err).toMatch(/INFO no diagnostics-\*\.jsonl in .*: tokens and cost need the companion plugin/);
    expect(err.split("\n").filter((l) => l.includes("no OpenClaw log found"))).toHaveLength(1);
  }, 40_000);
});
