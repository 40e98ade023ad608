/**
 * Issue 22's figure: time from the failing log line being written to a message being accepted by
 * a (fake) chat API, on both paths, in the same run and for the same incidents:
 * - sidecar path: `run` with a Telegram target (its shipped poll interval and group wait) ->
 *   the fake Bot API of test/notify/fake-chats.ts;
 * - stack path: the same sidecars' /metrics <- Prometheus 3 (the shipped scrape and evaluation
 *   intervals, the shipped rules with their `for:`) -> Alertmanager (the shipped alertmanager.yml,
 *   its timings untouched, generic webhook block switched on) -> a webhook receiver.
 * N sidecars (one per host_name, as N gateways) each get one "All models failed" line, written
 * at moments spread over two scrape intervals so the samples meet every phase of the scrape and
 * evaluation clocks. Real programs from scripts/build-stack.sh; 127.0.0.1 only.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { parse as parseYaml, stringify as toYaml } from "yaml";
import { startFakeChats } from "../../test/notify/fake-chats.ts";
import { writeAlertmanagerConfig } from "../../test/stack/alertmanager-config.ts";
import { startProc, type Proc } from "../../test/stack/otel-stack.ts";
import { gatewayLog, localDate } from "../../test/stack/scenarios/lines.ts";
import { at, listFiles, stackBin } from "../../test/stack/stack-helpers.ts";
import type { GoalRow } from "./goals.ts";
import { freePort } from "./proc.ts";

export interface TellFigures { samples: number; sidecarMs: number[]; stackMs: number[]; missedSidecar: number; missedStack: number; timings: string }

const ALL_FAILED = "Embedded agent failed before reply: All models failed (2): anthropic/claude-opus-4-6: 429 Too Many Requests (rate_limit)"
  + " | openai/gpt-5.4: 503 Service Unavailable (overloaded)";

async function until<T>(what: string, f: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`time-to-tell bench: no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function measureTell(cli: string, dir: string, n: number): Promise<TellFigures> {
  const work = mkdtempSync(join(dir, "tell-"));
  const chats = await startFakeChats();
  const posts: Array<{ at: number; body: { alerts: Array<{ status: string; labels: Record<string, string> }> } }> = [];
  const hook = createServer((req, res) => {
    let s = "";
    req.on("data", (c: Buffer) => { s += c.toString(); });
    req.on("end", () => { posts.push({ at: Date.now(), body: JSON.parse(s) }); res.writeHead(200).end(); });
  });
  await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
  const procs: Proc[] = [];
  try {
    // n sidecars, one gateway each, notifying the fake Telegram with the shipped notify timings.
    const env = { OTEL_SDK_DISABLED: "true", OPENCLAW_STATE_DIR: join(work, "no-openclaw-state"),
      OPENCLAW_OTEL_TELEGRAM_API_URL: chats.url, OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "123456789:AAHfakeTOKENfor-tests_0123456789abcdef", OPENCLAW_OTEL_TELEGRAM_CHAT_ID: "-1001234567890" };
    const gws = [];
    for (let i = 0; i < n; i++) {
      const logs = join(work, `logs-${i}`);
      mkdirSync(logs);
      const file = join(logs, `openclaw-${localDate(Date.now())}.log`);
      const healthy = gatewayLog("9.6", Date.now());
      healthy.chatter(2);
      writeFileSync(file, healthy.done().join("\n") + "\n");
      const p = startProc(process.execPath, [cli, "run", "--logs", logs, "--state-dir", join(work, `state-${i}`), "--listen", "127.0.0.1:0", "--host-name", `bench-gw-${i}`], env);
      procs.push(p);
      const port = await until(`sidecar ${i} listening`, () => /serving http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(p.log())?.[1], 30_000);
      gws.push({ host: `bench-gw-${i}`, file, target: `127.0.0.1:${port}`, writtenAt: 0 });
    }
    // Prometheus and Alertmanager as shipped: global timings and rules untouched.
    const shipped = parseYaml(readFileSync(at("prometheus", "prometheus.yml"), "utf8")) as { global: Record<string, unknown> };
    const [promPort, amPort] = [await freePort(), await freePort()];
    const amConfig = writeAlertmanagerConfig(work, { blocks: ["webhook"], shippedTimings: true,
      secrets: { "webhook-url": `http://127.0.0.1:${(hook.address() as AddressInfo).port}/chat` } });
    writeFileSync(join(work, "prometheus.yml"), toYaml({
      global: shipped.global,
      rule_files: listFiles("prometheus/rules", ".yml").map((f) => at("prometheus", "rules", f)),
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
      scrape_configs: [{ job_name: "openclaw-sidecar", static_configs: [{ targets: gws.map((g) => g.target) }] }],
    }));
    const am = startProc(stackBin("alertmanager"), [`--config.file=${amConfig}`, `--storage.path=${join(work, "am")}`,
      `--web.listen-address=127.0.0.1:${amPort}`, "--cluster.listen-address="]);
    const prom = startProc(stackBin("prometheus"), [`--config.file=${join(work, "prometheus.yml")}`, `--storage.tsdb.path=${join(work, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${promPort}`], { OPENCLAW_RUNBOOK_BASE: "http://127.0.0.1:9464/runbook" });
    procs.push(am, prom);
    const promStarted = Date.now();
    const scrapeMs = Number.parseInt(String(shipped.global.scrape_interval ?? "15s"), 10) * 1000;
    // Two scrapes of every sidecar first: the failure then lands on a series Prometheus knows.
    await until("two scrapes of every sidecar", () => (Date.now() > promStarted + 2 * scrapeMs + 2000 ? true : undefined), 3 * scrapeMs + 10_000);
    for (let i = 0; i < n; i++) {
      const g = gws[i]!;
      await new Promise((r) => setTimeout(r, i === 0 ? 0 : (2 * scrapeMs) / n));
      const line = gatewayLog("9.6", Date.now());
      line.c("ERROR", ALL_FAILED);
      g.writtenAt = Date.now();
      appendFileSync(g.file, line.done().join("\n") + "\n");
    }
    const sidecarMs: number[] = [], stackMs: number[] = [];
    let missedSidecar = 0, missedStack = 0;
    const deadline = Date.now() + 5 * 60_000;
    for (const g of gws) {
      const told = await until(`message for ${g.host}`, () => chats.accepted("telegram").find((r) => r.text.includes(`gateway ${g.host}`) && r.text.includes("every model failing"))
        ?? (Date.now() > deadline ? null : undefined), 6 * 60_000);
      if (told === null) missedSidecar++; else sidecarMs.push(told.at - g.writtenAt);
      const fired = await until(`alert for ${g.host}`, () => posts.find((p) => p.body.alerts.some((a) => a.status === "firing" && a.labels.alertname === "OpenClawAllModelsFailing" && a.labels.host_name === g.host))
        ?? (Date.now() > deadline ? null : undefined), 6 * 60_000);
      if (fired === null) missedStack++; else stackMs.push(fired.at - g.writtenAt);
    }
    const rule = (parseYaml(readFileSync(at("prometheus", "rules", "models.yml"), "utf8")) as { groups: Array<{ rules: Array<{ alert?: string; for?: string }> }> })
      .groups.flatMap((g) => g.rules).find((r) => r.alert === "OpenClawAllModelsFailing");
    const timings = `scrape ${shipped.global.scrape_interval}, evaluation ${shipped.global.evaluation_interval}, for: ${rule?.for ?? "0s"}, alertmanager.yml as shipped; sidecar defaults`;
    return { samples: n, sidecarMs, stackMs, missedSidecar, missedStack, timings };
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await chats.close();
    await new Promise((r) => hook.close(r));
  }
}

/** Nearest-rank percentile of `xs` (p in 0..100); with 12 samples p99 is the slowest one. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** The rows `npm run bench` prints: the sidecar path against its 5 s goal, and the stack path beside it. */
export function tellRows(f: TellFigures): GoalRow[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const [sp50, sp99, kp50, kp99] = [percentile(f.sidecarMs, 50), percentile(f.sidecarMs, 99), percentile(f.stackMs, 50), percentile(f.stackMs, 99)];
  const all = f.missedSidecar === 0 && f.missedStack === 0;
  return [
    { figure: `time to tell, sidecar path (${f.samples} incidents), p99`, value: all ? sp99 / 1000 : Number.POSITIVE_INFINITY, op: "<=", target: 5, shown: s(sp99),
      goal: "p99 < 5 s (issue 22)", raw: `p50 ${s(sp50)}, p99 ${s(sp99)}; ${f.missedSidecar} never told` },
    { figure: "time to tell, Prometheus + Alertmanager path vs sidecar, p50", value: kp50 / sp50, op: ">=", target: 1, shown: `${(kp50 / sp50).toFixed(1)}x`,
      goal: "said, not a goal (shipped timings)", raw: `stack p50 ${s(kp50)}, p99 ${s(kp99)}; ${f.missedStack} never delivered; ${f.timings}` },
  ];
}
