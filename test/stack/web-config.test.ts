/**
 * `--web-config-file` (issue 25) against a real Prometheus 3: one web config file, in the
 * exporter toolkit's YAML, guards the sidecar with TLS (a CA and certificate made by openssl)
 * and basic auth (a bcrypt hash). Prometheus itself proves the file is the format it reads: it
 * serves its own endpoints with the same file (Go's bcrypt and TLS, not ours). Then Prometheus
 * scrapes the sidecar with the matching scrape_config, a job without credentials gets 401,
 * the page and /status.json are guarded the same way, /healthz stays open; a non-loopback
 * --listen without a guard stops start-up unless --insecure-listen says so.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { stringify as toYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { makeTlsFiles, opensslMissing, type TlsFiles } from "../support/tls-files.ts";
import { startCli, waitUntil, type Child } from "../sidecar/helpers.ts";
import { freePort } from "./e2e-harness.ts";
import { startProc, type Proc } from "./otel-stack.ts";
import { stackBin } from "./stack-helpers.ts";

const USER = "prometheus";
const PASSWORD = "scrape-Secret-42";
const runs = canRun("web config with a real Prometheus", opensslMissing() ?? (existsSync(stackBin("prometheus")) ? undefined : "prometheus not built (scripts/build-stack.sh)"));

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: string }
function get(url: string, ca: string, auth?: string): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readCa(ca), headers: auth === undefined ? {} : { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => { body += c; });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
const readCa = (file: string): Buffer => readFileSync(file);

async function exitOf(c: Child, ms: number): Promise<number | null | "running"> {
  return Promise.race([c.exited, new Promise<"running">((r) => setTimeout(() => r("running"), ms))]);
}

describe.skipIf(!runs)("TLS and basic auth on /metrics and the page, scraped by Prometheus 3", () => {
  const dir = mkdtempSync(join(tmpdir(), "web-config-"));
  let tls: TlsFiles;
  let webConfig: string;
  const children: Child[] = [];
  let prom: Proc | undefined;
  let sidecarUrl = "";
  let promUrl = "";

  beforeAll(async () => {
    tls = makeTlsFiles(dir);
    webConfig = join(dir, "web.yml");
    // Relative paths: the toolkit reads them relative to the file, and so must the sidecar.
    writeFileSync(webConfig, toYaml({
      tls_server_config: { cert_file: "server.crt", key_file: "server.key" },
      basic_auth_users: { [USER]: bcrypt.hashSync(PASSWORD, 10).replace(/^\$2b\$/, "$2y$") },
    }));
    const child = startCli(["run", "--logs", mkdtempSync(join(tmpdir(), "web-logs-")), "--state-dir", mkdtempSync(join(tmpdir(), "web-state-")),
      "--listen", "127.0.0.1:0", "--poll-interval", "50", "--host-name", "tls-gw", "--web-config-file", webConfig]);
    children.push(child);
    await waitUntil(() => `sidecar serving https\n${child.stderr()}`, () => /serving https:\/\/127\.0\.0\.1:\d+\/metrics/.test(child.stderr()), 20_000);
    sidecarUrl = /serving (https:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(child.stderr())![1]!;
    const target = sidecarUrl.replace("https://", "");
    const port = await freePort();
    promUrl = `https://127.0.0.1:${port}`;
    writeFileSync(join(dir, "prometheus.yml"), toYaml({
      global: { scrape_interval: "1s" },
      scrape_configs: [
        { job_name: "guarded", scheme: "https", tls_config: { ca_file: tls.ca }, basic_auth: { username: USER, password: PASSWORD }, static_configs: [{ targets: [target] }] },
        { job_name: "no-credentials", scheme: "https", tls_config: { ca_file: tls.ca }, static_configs: [{ targets: [target] }] },
        { job_name: "wrong-password", scheme: "https", tls_config: { ca_file: tls.ca }, basic_auth: { username: USER, password: "nope" }, static_configs: [{ targets: [target] }] },
      ],
    }));
    // Prometheus serves its own API with the SAME web config file.
    prom = startProc(stackBin("prometheus"), [`--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${port}`, `--web.config.file=${webConfig}`]);
    await waitUntil(() => `prometheus ready over TLS\n${prom!.log()}`, async () => {
      try { return (await get(`${promUrl}/-/ready`, tls.ca, `${USER}:${PASSWORD}`)).status === 200; } catch { return false; }
    }, 30_000);
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill("SIGTERM");
    await Promise.all(children.map((c) => c.exited));
    await prom?.stop();
  }, 30_000);

  it("is a web config Prometheus itself reads: its own API needs the same credentials", async () => {
    expect((await get(`${promUrl}/-/ready`, tls.ca, `${USER}:${PASSWORD}`)).status).toBe(200);
    expect((await get(`${promUrl}/-/ready`, tls.ca)).status).toBe(401);
  });

  it("Prometheus scrapes the sidecar with the matching scrape_config; without credentials or with a wrong password it gets 401", async () => {
    type Target = { labels: { job: string }; health: string; lastError: string };
    let targets: Target[] = [];
    await waitUntil(() => `targets\n${JSON.stringify(targets, null, 1)}`, async () => {
      const body = JSON.parse((await get(`${promUrl}/api/v1/targets`, tls.ca, `${USER}:${PASSWORD}`)).body) as { data: { activeTargets: Target[] } };
      targets = body.data.activeTargets;
      return targets.length === 3 && targets.every((t) => t.health !== "unknown");
    }, 30_000);
    const by = new Map(targets.map((t) => [t.labels.job, t]));
    expect(by.get("guarded")?.health).toBe("up");
    for (const job of ["no-credentials", "wrong-password"]) {
      expect(by.get(job)?.health, job).toBe("down");
      expect(by.get(job)?.lastError, job).toMatch(/401/);
    }
    // The scraped series arrived: the sidecar's own verdict, as a remote Prometheus sees it.
    const q = JSON.parse((await get(`${promUrl}/api/v1/query?query=${encodeURIComponent('openclaw_gateway_verdict{job="guarded"} == 1')}`, tls.ca, `${USER}:${PASSWORD}`)).body) as
      { data: { result: Array<{ metric: Record<string, string> }> } };
    expect(q.data.result.map((r) => [r.metric.host_name, r.metric.openclaw_state])).toEqual([["tls-gw", "unknown"]]);
  }, 40_000);

  it("guards the page and /status.json the same way; /healthz stays open", async () => {
    for (const path of ["/", "/status.json", "/metrics", "/runbook"]) {
      const none = await get(`${sidecarUrl}${path}`, tls.ca);
      expect(none.status, path).toBe(401);
      expect(String(none.headers["www-authenticate"]), path).toMatch(/^Basic realm=/);
      expect(none.body, path).not.toMatch(/openclaw_|verdict/);
      expect((await get(`${sidecarUrl}${path}`, tls.ca, `${USER}:wrong`)).status, path).toBe(401);
      expect((await get(`${sidecarUrl}${path}`, tls.ca, `nobody:${PASSWORD}`)).status, path).toBe(401);
      expect((await get(`${sidecarUrl}${path}`, tls.ca, `${USER}:${PASSWORD}`)).status, path).not.toBe(401);
    }
    const page = await get(`${sidecarUrl}/`, tls.ca, `${USER}:${PASSWORD}`);
    expect(page.body).toContain('id="verdict"');
    expect((await get(`${sidecarUrl}/healthz`, tls.ca)).status).toBe(200);
  });

  it("refuses a non-loopback --listen without TLS or basic auth, unless --insecure-listen says so", async () => {
    const base = (extra: string[]) => startCli(["run", "--logs", mkdtempSync(join(tmpdir(), "web-logs-")), "--state-dir", mkdtempSync(join(tmpdir(), "web-state-")),
      "--poll-interval", "50", ...extra]);
    const refused = base(["--listen", "0.0.0.0:0"]);
    children.push(refused);
    expect(await exitOf(refused, 15_000)).toBe(2);
    expect(refused.stderr()).toMatch(/--listen 0\.0\.0\.0:0 is not a loopback address and nothing guards it: give --web-config-file/);
    for (const extra of [["--insecure-listen"], ["--web-config-file", webConfig]]) {
      const c = base(["--listen", "0.0.0.0:0", ...extra]);
      children.push(c);
      await c.ready;
      expect(await exitOf(c, 200), extra.join(" ")).toBe("running");
      // Unguarded by choice: still warned about; guarded: not.
      expect(/binds every network interface/.test(c.stderr()), extra.join(" ")).toBe(extra[0] === "--insecure-listen");
      c.proc.kill("SIGTERM");
      await c.exited;
    }
  }, 60_000);
});
