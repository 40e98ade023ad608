/**
 * A real Prometheus and a real Alertmanager (built by scripts/build-stack.sh) on 127.0.0.1,
 * scraping real sidecars' /metrics (`targets`, job openclaw-sidecar) and/or the real
 * Collector's Prometheus exporter (`collector`, job otel-collector), evaluating a test copy of
 * our rules (with `for:` shortened), and notifying a local webhook through our real
 * alertmanager.yml (its webhook and dead man's switch blocks switched on, waits shortened).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { writeAlertmanagerConfig } from "./alertmanager-config.ts";
import { at, listFiles, readYaml, stackBin } from "./stack-helpers.ts";

export interface WebhookPost { path: string; body: { status: string; alerts: Array<{ status: string; labels: Record<string, string>; annotations: Record<string, string> }> } }

export interface Stack {
  promUrl: string;
  amUrl: string;
  posts: WebhookPost[];
  /** Resolves with the first webhook post that satisfies `match`, or rejects after `ms`. */
  waitForPost(match: (p: WebhookPost) => boolean, ms: number): Promise<WebhookPost>;
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

/** Ports this process handed out: the kernel may give a just-closed port again at once. */
const handedOut = new Set<number>();

/**
 * A 127.0.0.1 port nothing listens on now, never one this process handed out before: two calls
 * in a row once returned the same port, and a Collector then bound its health check and its
 * Prometheus exporter to it ("address already in use", seen in CI).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const srv = createNetServer();
    await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
    const { port } = srv.address() as AddressInfo;
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => { let s = ""; req.setEncoding("utf8"); req.on("data", (c: string) => { s += c; }); req.on("end", () => resolve(s)); req.on("error", reject); });

/** What the stack's Prometheus is told the runbook base is: not the rules' fallback, so a delivered link proves the wiring. */
export const RUNBOOK_BASE = "http://127.0.0.1:19464/runbook";

/** Our rules with every `for:` set to `forDuration`, written into `dir`. */
function writeTestRules(dir: string, forDuration: string): string[] {
  return listFiles("prometheus/rules", ".yml").map((file) => {
    const doc = parseYaml(readFileSync(at("prometheus", "rules", file), "utf8")) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    for (const g of doc.groups) for (const r of g.rules) if (r.alert !== undefined) r.for = forDuration;
    const out = join(dir, file);
    writeFileSync(out, toYaml(doc));
    return out;
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited ${child.exitCode}\n${log()}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${ms} ms\n${log()}`);
}

function startProcess(cmd: string, args: string[], env?: Record<string, string>): { child: ChildProcess; log: () => string } {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...(env === undefined ? {} : { env: { ...process.env, ...env } }) });
  let out = "";
  const keep = (b: Buffer) => { out = (out + b.toString("utf8")).slice(-20_000); };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, log: () => out };
}

export interface StackOptions {
  /** host:port of real /metrics endpoints, scraped as job openclaw-sidecar. */
  targets?: string[];
  /**
   * host:port of the Collector's Prometheus exporter, scraped as job otel-collector. The
   * sidecar targets then give `up` only, as prometheus/prometheus.yml does in the stack.
   */
  collector?: string;
  forDuration?: string;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "openclaw-e2e-prom-"));
  const posts: WebhookPost[] = [];
  const waiters: Array<() => void> = [];
  const hook = await listen((req, res) => {
    void readBody(req).then((text) => {
      posts.push({ path: req.url ?? "", body: JSON.parse(text) as WebhookPost["body"] });
      for (const w of waiters.splice(0)) w();
      res.writeHead(200).end();
    });
  });
  const [promPort, amPort] = [await freePort(), await freePort()];

  // The shipped config with its generic webhook and dead man's switch blocks switched on.
  const amConfig = writeAlertmanagerConfig(dir, {
    blocks: ["webhook", "deadmansswitch"],
    secrets: { "webhook-url": `http://127.0.0.1:${hook.port}/chat`, "deadmansswitch-url": `http://127.0.0.1:${hook.port}/watchdog` },
  });
  const rulesDir = join(dir, "rules");
  mkdirSync(rulesDir);
  const ruleFiles = writeTestRules(rulesDir, opts.forDuration ?? "1s");
  writeFileSync(join(dir, "prometheus.yml"), toYaml({
    // The shipped external labels (the runbook base, expanded from the environment as in the stack).
    global: { scrape_interval: "1s", evaluation_interval: "1s", external_labels: (readYaml("prometheus", "prometheus.yml") as { global: { external_labels: Record<string, string> } }).global.external_labels },
    rule_files: ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
    scrape_configs: [
      ...(opts.collector === undefined ? [] : [{ job_name: "otel-collector", static_configs: [{ targets: [opts.collector] }] }]),
      ...(opts.targets === undefined ? [] : [{
        job_name: "openclaw-sidecar", static_configs: [{ targets: opts.targets }],
        ...(opts.collector === undefined ? {} : { metric_relabel_configs: [{ source_labels: ["__name__"], regex: ".+", action: "drop" }] }),
      }]),
    ],
  }));

  const am = startProcess(stackBin("alertmanager"), [
    `--config.file=${amConfig}`, `--storage.path=${join(dir, "am")}`,
    `--web.listen-address=127.0.0.1:${amPort}`, "--cluster.listen-address=",
  ]);
  const prom = startProcess(stackBin("prometheus"), [
    `--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "tsdb")}`,
    `--web.listen-address=127.0.0.1:${promPort}`, "--rules.alert.resend-delay=1s",
  ], { OPENCLAW_RUNBOOK_BASE: RUNBOOK_BASE });
  const promUrl = `http://127.0.0.1:${promPort}`;
  const amUrl = `http://127.0.0.1:${amPort}`;
  const stop = async () => {
    for (const c of [prom.child, am.child]) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all([prom.child, am.child].map((c) => (c.exitCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r)))));
    await new Promise((r) => hook.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${amUrl}/-/ready`, am.child, am.log, 20_000);
    await waitReady(`${promUrl}/-/ready`, prom.child, prom.log, 20_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    promUrl, amUrl, posts, stop,
    waitForPost(match, ms) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching webhook post in ${ms} ms; got ${JSON.stringify(posts.map((p) => [p.path, p.body.alerts.map((a) => a.labels.alertname)]))}`)), ms);
        const check = () => {
          const hit = posts.find(match);
          if (hit !== undefined) { clearTimeout(timer); resolve(hit); } else waiters.push(check);
        };
        check();
      });
    },
    async query(expr) {
      const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (body.status !== "success") throw new Error(`${expr}: ${body.error ?? res.status}`);
      return body.data.result;
    },
  };
}
