/**
 * /healthz on the real CLI: 503 with the reason while no log can be read or every recent
 * export failed, 200 otherwise. And the compose stack's security model, on this kernel: the
 * sidecar as uid 0 with every capability but DAC_READ_SEARCH dropped reads a 0700 log
 * directory owned by someone else and writes its group-0 state directory; with no capability
 * at all it cannot, and says so through /healthz.
 */
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../stack/e2e-harness.ts";
import { canRun } from "../support/required.ts";
import { type Child, startCli } from "./helpers.ts";

const children: Child[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) { c.proc.kill("SIGKILL"); await c.exited; }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function healthUntil(c: Child, want: number, ms: number): Promise<{ status: number; body: { status: string; reasons: string[] } }> {
  const url = await c.url;
  const end = Date.now() + ms;
  let last = { status: 0, body: { status: "", reasons: [] as string[] } };
  while (Date.now() < end) {
    const res = await fetch(`${url}/healthz`);
    last = { status: res.status, body: (await res.json()) as typeof last.body };
    if (last.status === want) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`healthz never ${want}: ${JSON.stringify(last)}\n${c.stderr()}`);
}

const run = (args: string[], wrap?: (argv: string[]) => [string, string[]], env: NodeJS.ProcessEnv = {}) => {
  const c = startCli(["run", "--listen", "127.0.0.1:0", "--poll-interval", "50", ...args], env, wrap);
  children.push(c);
  return c;
};

describe("healthz", () => {
  it("503 while the log directory cannot be read, 200 once it can", async () => {
    const root = mkdtempSync(join(tmpdir(), "oc-health-"));
    dirs.push(root);
    const logs = join(root, "logs");
    const c = run(["--logs", logs, "--state-dir", join(root, "state")]);
    const down = await healthUntil(c, 503, 15_000);
    expect(down.body.reasons).toEqual([`cannot read the log directory ${logs}: ENOENT`]);
    // The page and /status.json, where a person looks first, say the cause and the remedy too.
    const url = await c.url;
    const status = (await (await fetch(`${url}/status.json`)).json()) as { verdict: { state: string; reason: string }; blind: string | null };
    expect(status.verdict.state).toBe("unknown");
    expect(status.verdict.reason).toBe(`the log directory ${logs} does not exist (ENOENT): start OpenClaw once, or point --logs (OPENCLAW_OTEL_LOGS) at the directory holding openclaw-YYYY-MM-DD.log`);
    expect(status.blind).toBe(status.verdict.reason);
    expect(await (await fetch(`${url}/`)).text()).toContain(`<div id="verdict-reason">the log directory ${logs} does not exist (ENOENT)`);
    mkdirSync(logs);
    await healthUntil(c, 200, 15_000);
    const after = (await (await fetch(`${url}/status.json`)).json()) as { verdict: { reason: string }; blind: string | null };
    expect(after.blind).toBeNull();
    expect(after.verdict.reason).toBe("no events read yet");
  }, 40_000);

  it("503 once the last three OTLP metric exports failed", async () => {
    const root = mkdtempSync(join(tmpdir(), "oc-health-"));
    dirs.push(root);
    const closed = await freePort();
    const c = run(["--logs", root, "--state-dir", join(root, "state"), "--otlp-endpoint", `http://127.0.0.1:${closed}`, "--metric-export-interval", "1000"]);
    expect((await healthUntil(c, 200, 10_000)).body.status).toBe("ok");
    const down = await healthUntil(c, 503, 40_000);
    expect(down.body.reasons[0]).toMatch(/^the last \d+ OTLP metric exports failed$/);
  }, 60_000);

  it("200 again once an export is accepted after failures", async () => {
    const root = mkdtempSync(join(tmpdir(), "oc-health-"));
    dirs.push(root);
    // A collector that refuses the first exports, then accepts.
    let seen = 0;
    const server = createServer((req, res) => { req.resume(); req.on("end", () => { seen++; res.writeHead(seen <= 4 ? 503 : 200).end(); }); });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as AddressInfo).port;
      const c = run(["--logs", root, "--state-dir", join(root, "state"), "--otlp-endpoint", `http://127.0.0.1:${port}`, "--metric-export-interval", "1000"],
        undefined, { OTEL_EXPORTER_OTLP_TIMEOUT: "500" });
      await healthUntil(c, 503, 40_000);
      await healthUntil(c, 200, 40_000);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }, 90_000);

  // CI runs as root with util-linux's setpriv: there this check fails rather than skip.
  const root = canRun("the DAC_READ_SEARCH check", process.getuid?.() !== 0 ? "needs root" : existsSync("/usr/bin/setpriv") ? undefined : "needs /usr/bin/setpriv");
  it.skipIf(!root)("reads a foreign 0700 log directory with DAC_READ_SEARCH alone, and nothing without it", async () => {
    const base = mkdtempSync(join(tmpdir(), "oc-caps-"));
    dirs.push(base);
    chmodSync(base, 0o755);
    const logs = join(base, "openclaw");
    mkdirSync(logs, { mode: 0o700 });
    writeFileSync(join(logs, "openclaw-2026-11-30.log"), `${JSON.stringify({ 0: "hello", _meta: { logLevelName: "INFO", date: new Date().toISOString() }, time: new Date().toISOString() })}\n`, { mode: 0o600 });
    chownSync(join(logs, "openclaw-2026-11-30.log"), 4242, 4242);
    chownSync(logs, 4242, 4242);
    // The image's state dir: owner node (1000), group 0, 0770.
    const state = join(base, "state");
    mkdirSync(state, { mode: 0o770 });
    chownSync(state, 1000, 0);
    chmodSync(state, 0o770);
    const caps = (set: string) => (argv: string[]): [string, string[]] => ["setpriv", [`--bounding-set=${set}`, "--inh-caps=-all", "--", ...argv]];

    const without = run(["--logs", logs, "--state-dir", join(base, "state-none"), "--from-beginning"], caps("-all"));
    const denied = await healthUntil(without, 503, 15_000);
    expect(denied.body.reasons).toEqual([`cannot read the log directory ${logs}: EACCES`]);
    const page = (await (await fetch(`${await without.url}/status.json`)).json()) as { verdict: { reason: string } };
    expect(page.verdict.reason).toMatch(new RegExp(`^cannot read the log directory ${logs} \\(EACCES as uid \\d+; OpenClaw creates it with mode 0700\\): run the sidecar as the gateway's user, or grant read access`));

    const withRead = run(["--logs", logs, "--state-dir", state, "--from-beginning", "--checkpoint-interval", "200"], caps("-all,+dac_read_search"));
    await healthUntil(withRead, 200, 15_000);
    const end = Date.now() + 15_000;
    let text = "";
    while (Date.now() < end && !/openclaw_sidecar_lines_read_total\{[^}]*\} 1$/m.test(text)) {
      text = await (await fetch(`${await withRead.url}/metrics`)).text();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(text).toMatch(/openclaw_sidecar_lines_read_total\{[^}]*\} 1$/m);
    // It could write its checkpoint through group 0, and nothing made it able to write the logs.
    const checkpoint = JSON.parse(readFileSync(join(state, "checkpoint.json"), "utf8")) as { files: unknown[] };
    expect(checkpoint.files.length).toBe(1);
  }, 60_000);
});
