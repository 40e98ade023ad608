/**
 * Every receiver block of alertmanager/alertmanager.yml, switched on as a user would
 * (uncommented, secret in its file), makes the real Alertmanager post to that service's API:
 * fake Telegram, Discord, Slack and webhook endpoints on 127.0.0.1 record what arrives. The
 * shipped file as it is (every block commented) loads and sends nowhere.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { enableBlocks, writeAlertmanagerConfig } from "./alertmanager-config.ts";
import { freePort } from "./e2e-harness.ts";
import { type Proc, startProc, waitHttp } from "./otel-stack.ts";
import { at, stackBin } from "./stack-helpers.ts";

interface Hit { path: string; body: string }
const BOT_TOKEN = "123456:TEST-bot-token";
const built = existsSync(stackBin("alertmanager"));

describe.skipIf(!built && process.env.OPENCLAW_STACK_REQUIRED !== "1")("alertmanager receivers (real Alertmanager, fake chat APIs)", () => {
  const hits: Hit[] = [];
  let api: Server;
  let am: Proc;
  let amUrl = "";
  let dir = "";

  beforeAll(async () => {
    api = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => { body += c.toString("utf8"); });
      req.on("end", () => {
        hits.push({ path: req.url ?? "", body });
        // Telegram answers {ok:true,...}; the others accept any 2xx.
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, result: { message_id: 1 } }));
      });
    });
    await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), "openclaw-am-receivers-"));
    const config = writeAlertmanagerConfig(dir, {
      blocks: ["telegram", "discord", "slack", "webhook", "deadmansswitch"],
      secrets: {
        "telegram-bot-token": BOT_TOKEN, "discord-webhook-url": `${base}/discord/api/webhooks/1/abc`,
        "slack-webhook-url": `${base}/slack/services/T0/B0/xyz`, "webhook-url": `${base}/webhook`,
        "deadmansswitch-url": `${base}/ping/dms`,
      },
      extra: { telegram_configs: { api_url: `${base}/telegram` } },
    });
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = startProc(stackBin("alertmanager"), [`--config.file=${config}`, `--storage.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`, "--cluster.listen-address="]);
    await waitHttp(`${amUrl}/-/ready`, am, 20_000);
    const now = new Date().toISOString();
    const alert = (labels: Record<string, string>, summary: string) => ({
      labels, startsAt: now,
      annotations: { summary, description: `On gw1 (default) ${summary}`, runbook_url: "http://127.0.0.1:9464/runbook#x" },
    });
    const res = await fetch(`${amUrl}/api/v2/alerts`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify([
        alert({ alertname: "OpenClawAllModelsFailing", severity: "critical", host_name: "gw1", openclaw_profile: "default" }, "Every model candidate is failing."),
        alert({ alertname: "OpenClawWatchdog", severity: "info" }, "The alert pipeline is working."),
      ]),
    });
    expect(res.status).toBe(200);
  }, 40_000);

  afterAll(async () => {
    await am?.stop();
    await new Promise((r) => api?.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitHit(prefix: string): Promise<Hit> {
    const end = Date.now() + 20_000;
    while (Date.now() < end) {
      const h = hits.find((x) => x.path.startsWith(prefix));
      if (h !== undefined) return h;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nothing posted to ${prefix}; got ${hits.map((h) => h.path).join(", ")}\n${am.log()}`);
  }

  it("telegram: sendMessage with the bot token from its file and the chat id", async () => {
    const h = await waitHit("/telegram");
    expect(h.path).toBe(`/telegram/bot${BOT_TOKEN}/sendMessage`);
    expect(h.body).toContain("123456789");
    expect(h.body).toContain("OpenClawAllModelsFailing");
  });

  it("discord: the webhook URL from its file, an embed naming the alert", async () => {
    const h = await waitHit("/discord");
    expect(h.path).toBe("/discord/api/webhooks/1/abc");
    expect((JSON.parse(h.body) as { embeds: Array<{ title: string }> }).embeds[0]?.title).toContain("OpenClawAllModelsFailing");
  });

  it("slack: the incoming-webhook URL from its file, our text with summary and runbook", async () => {
    const h = await waitHit("/slack");
    const body = JSON.parse(h.body) as { channel: string; attachments: Array<{ text: string }> };
    expect(body.channel).toBe("#openclaw");
    expect(body.attachments[0]?.text).toContain("Every model candidate is failing.");
    expect(body.attachments[0]?.text).toContain("http://127.0.0.1:9464/runbook#x");
  });

  it("webhook: Alertmanager's JSON with the firing alert", async () => {
    const h = await waitHit("/webhook");
    const body = JSON.parse(h.body) as { status: string; alerts: Array<{ labels: Record<string, string> }> };
    expect(body.status).toBe("firing");
    expect(body.alerts.map((a) => a.labels.alertname)).toContain("OpenClawAllModelsFailing");
  });

  it("dead man's switch: the Watchdog goes to its ping URL, and only there", async () => {
    const h = await waitHit("/ping/dms");
    expect(h.body).toContain("OpenClawWatchdog");
    expect(hits.filter((x) => !x.path.startsWith("/ping")).some((x) => x.body.includes("OpenClawWatchdog"))).toBe(false);
  });

  it("the shipped file, every block commented, is valid and has no integration configured", () => {
    const doc = parseYaml(readFileSync(at("alertmanager", "alertmanager.yml"), "utf8")) as { receivers: Array<Record<string, unknown>> };
    // nobody (the aftermath's), chat and watchdog: none configured as shipped.
    expect(doc.receivers.map((r) => Object.keys(r))).toEqual([["name"], ["name"], ["name"]]);
    const all = parseYaml(enableBlocks(readFileSync(at("alertmanager", "alertmanager.yml"), "utf8"), ["telegram", "discord", "slack", "webhook", "deadmansswitch"])) as { receivers: Array<Record<string, unknown>> };
    expect(all.receivers.map((r) => Object.keys(r).sort())).toEqual([["name"], ["discord_configs", "name", "slack_configs", "telegram_configs", "webhook_configs"], ["name", "webhook_configs"]]);
  });
});
