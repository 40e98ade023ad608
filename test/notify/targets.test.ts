/**
 * Each target's request against a local fake of its API (fake-chats.ts checks the documented
 * shape and limits and answers as the API does): formats, escaping and length limits with
 * hostile names, error answers said plainly, 429 waits honoured, and no credential in any
 * error text. Expected texts are the names and facts written here, not the program's output.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig, type TargetConfig } from "../../src/config/config.ts";
import { secretsOf } from "../../src/config/notify.ts";
import { Delivery } from "../../src/notify/delivery.ts";
import type { Note, NoteItem } from "../../src/notify/note.ts";
import { scrubber, senderOf, type SendResult } from "../../src/notify/targets.ts";
import { closedPort, CHAT, DISCORD_PATH, fakeEnv, HOOK_PATH, NTFY_PATH, SLACK_PATH, startFakeChats, TOKEN, type FakeChats } from "./fake-chats.ts";

let fake: FakeChats;
let targets: TargetConfig[];
beforeAll(async () => {
  fake = await startFakeChats();
  targets = parseConfig([], fakeEnv(fake.url)).notify.targets;
});
afterAll(() => fake.close());

const HOSTILE = `<b>x</b> & <a href="javascript:alert(1)">y</a> **bold** __u__ @everyone <!channel> <https://evil|click> \`code\` &amp;`;
const item = (over: Partial<NoteItem> = {}): NoteItem => ({
  change: "opened", kind: "rate_limit", severity: "warning", subject: "anthropic", head: "anthropic rate-limited", start: Date.UTC(2026, 10, 21, 20, 22, 14),
  text: "rate_limit on anthropic: 14 requests 429 in 3 min", facts: ["fell back to openai/gpt-5.4"], ...over,
});
const note = (items: NoteItem[], over: Partial<Note> = {}): Note => ({ id: "n1", at: Date.UTC(2026, 10, 21, 20, 23), level: "warning", title: items[0]!.head, items, host: "vps-1", ...over });
const scrub = () => scrubber(secretsOf(targets));
const sender = (name: string, list = targets) => senderOf(list.find((t) => t.name === name)!, scrub());
const last = (api: Parameters<FakeChats["accepted"]>[0]) => fake.accepted(api).at(-1)!;

describe("request shapes and escaping", () => {
  it("telegram: POST /bot<token>/sendMessage, chat_id, parse_mode HTML; hostile names arrive as plain text", async () => {
    const n = note([item({ subject: HOSTILE, head: `${HOSTILE} rate-limited`, text: `rate_limit on ${HOSTILE}` })], { title: `${HOSTILE} rate-limited` });
    expect(await sender("telegram").send(n, 5000)).toEqual({ ok: true });
    const r = last("telegram");
    expect(r.path).toBe(`/bot${TOKEN}/sendMessage`);
    expect(r.json).toMatchObject({ chat_id: CHAT, parse_mode: "HTML" });
    // The fake parsed the HTML as Telegram does: the hostile text is there, as text.
    expect(r.text).toContain(`${HOSTILE} rate-limited`);
    expect(r.text).toContain(`rate_limit on ${HOSTILE}`);
    expect(r.text).toContain("fell back to openai/gpt-5.4");
    expect(r.json.text).not.toContain("<a href=\"javascript");
  });

  it("telegram: 60 items with 5,000-character names stay within 4096 characters and say how many were left out", async () => {
    const long = "m".repeat(5000);
    const items = Array.from({ length: 60 }, (_, k) => item({ subject: `${k}${long}`, head: `p${k} ${long}`, text: `t${k} ${long}`, facts: [long, long] }));
    expect(await sender("telegram").send(note(items), 5000)).toEqual({ ok: true });
    const r = last("telegram");
    expect(r.text.length).toBeLessThanOrEqual(4096);
    expect(r.text).toMatch(/… and \d+ more/);
  });

  it("discord: embeds within every documented limit, mentions off, hostile markdown escaped", async () => {
    const long = "d".repeat(9000);
    const items = [item({ head: `${HOSTILE} rate-limited`, text: `rate_limit on ${HOSTILE}` }), ...Array.from({ length: 14 }, () => item({ head: long, text: long, facts: [long] }))];
    expect(await sender("discord").send(note(items, { title: `${HOSTILE}` }), 5000)).toEqual({ ok: true });
    const r = last("discord");
    expect(r.path).toBe(DISCORD_PATH);
    expect(r.json.allowed_mentions).toEqual({ parse: [] });
    expect(r.json.embeds.length).toBeLessThanOrEqual(10);
    expect(r.json.embeds.at(-1).title).toMatch(/… and \d+ more/);
    // Every markdown character of the hostile name is escaped: **bold** is not bold.
    expect(r.json.embeds[0].title).toContain("\\*\\*bold\\*\\*");
    expect(r.json.embeds[0].title).not.toMatch(/(?<!\\)\*\*bold/);
  });

  it("slack: header and sections within limits, < > & escaped so no link or mention is formed", async () => {
    const items = [item({ head: `${HOSTILE} rate-limited`, text: `rate_limit on ${HOSTILE}` }), ...Array.from({ length: 70 }, () => item({ text: "s".repeat(5000) }))];
    expect(await sender("slack").send(note(items, { title: HOSTILE.repeat(5) }), 5000)).toEqual({ ok: true });
    const r = last("slack");
    expect(r.path).toBe(SLACK_PATH);
    expect(r.json.blocks.length).toBeLessThanOrEqual(50);
    const section = r.json.blocks.find((b: any) => b.type === "section").text.text as string;
    expect(section).toContain("&lt;!channel&gt;");
    expect(section).not.toMatch(/<!channel>|<https:\/\/evil/);
  });

  it("ntfy: body within 4096 bytes, ASCII Title, Priority 4 for a warning, Tags", async () => {
    const items = Array.from({ length: 30 }, (_, k) => item({ text: `ü${k}`.repeat(900) }));
    expect(await sender("ntfy").send(note(items, { title: "Überlastung 🔥 anthropic" }), 5000)).toEqual({ ok: true });
    const r = last("ntfy");
    expect(r.path).toBe(NTFY_PATH);
    expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(4096);
    expect(r.headers.title).toBe("?berlastung ?? anthropic");
    expect(r.headers.priority).toBe("4");
    expect(r.headers.tags).toBe("warning");
  });

  it("webhook: the note as JSON with stable fields", async () => {
    const it0 = item();
    expect(await sender("webhook").send(note([it0], { link: "http://status.example/" }), 5000)).toEqual({ ok: true });
    const r = last("webhook");
    expect(r.path).toBe(HOOK_PATH);
    expect(r.json).toMatchObject({ source: "openclaw-otel-sidecar", version: 1, level: "warning", host: "vps-1", link: "http://status.example/" });
    expect(r.json.items[0]).toMatchObject({ change: "opened", kind: "rate_limit", subject: "anthropic", start: "2026-11-21T20:22:14.000Z", end: null, facts: ["fell back to openai/gpt-5.4"] });
  });
});

describe("error answers", () => {
  const env = () => fakeEnv(fake.url);
  const failure = (r: SendResult) => (r.ok ? "" : r.detail);
  const noSecret = (text: string) => {
    for (const s of [TOKEN, CHAT, DISCORD_PATH, SLACK_PATH, NTFY_PATH.slice(1), HOOK_PATH, "SECRET"]) expect(text).not.toContain(s);
  };

  it("telegram 401 (bad token) and 400 chat not found say what to fix, without the token or chat id", async () => {
    const badToken = parseConfig([], { ...env(), OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "999:wrongTOKENwrongTOKENwrong" }).notify.targets;
    const r1 = await senderOf(badToken[0]!, scrubber(secretsOf(badToken))).send(note([item()]), 5000);
    expect(r1).toMatchObject({ ok: false, retry: false, reason: "http_401" });
    expect(failure(r1)).toMatch(/Unauthorized.*bot token/);
    expect(failure(r1)).not.toContain("wrongTOKEN");
    const badChat = parseConfig([], { ...env(), OPENCLAW_OTEL_TELEGRAM_CHAT_ID: "-100999" }).notify.targets;
    const r2 = await senderOf(badChat[0]!, scrubber(secretsOf(badChat))).send(note([item()]), 5000);
    expect(r2).toMatchObject({ ok: false, retry: false, reason: "http_400" });
    expect(failure(r2)).toMatch(/chat not found.*CHAT_ID/);
    expect(failure(r2)).not.toContain("-100999");
  });

  it("discord 404 unknown webhook, slack 404 no_service, ntfy and webhook 404: refused, said plainly", async () => {
    const wrong = parseConfig([], { ...env(), OPENCLAW_OTEL_DISCORD_WEBHOOK_URL: `${fake.url}/api/webhooks/1/SECRETgone`, OPENCLAW_OTEL_SLACK_WEBHOOK_URL: `${fake.url}/services/T/B/SECRETgone` }).notify.targets;
    const d = await senderOf(wrong.find((t) => t.name === "discord")!, scrubber(secretsOf(wrong))).send(note([item()]), 5000);
    expect(d).toMatchObject({ ok: false, retry: false, reason: "http_404" });
    expect(failure(d)).toMatch(/Unknown Webhook.*webhook URL/);
    const s = await senderOf(wrong.find((t) => t.name === "slack")!, scrubber(secretsOf(wrong))).send(note([item()]), 5000);
    expect(s).toMatchObject({ ok: false, retry: false, reason: "http_404" });
    expect(failure(s)).toMatch(/no_service/);
    noSecret(failure(d) + failure(s));
  });

  it("network failure and timeout are retryable and name no URL", async () => {
    const closed = parseConfig([], { OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${await closedPort()}/hook/SECRETnet` }).notify.targets;
    const r = await senderOf(closed[0]!, scrubber(secretsOf(closed))).send(note([item()]), 5000);
    expect(r).toMatchObject({ ok: false, retry: true, reason: "network" });
    expect(failure(r)).toMatch(/ECONNREFUSED/);
    noSecret(failure(r));
  });

  it("429s: Telegram's parameters.retry_after, Discord's and Slack's Retry-After are waited out before the retry", async () => {
    fake.failNext("telegram", { status: 429, body: JSON.stringify({ ok: false, error_code: 429, description: "Too Many Requests: retry after 2", parameters: { retry_after: 2 } }) });
    fake.failNext("discord", { status: 429, body: JSON.stringify({ message: "You are being rate limited.", retry_after: 1.5, global: false }), headers: { "retry-after": "2" } });
    fake.failNext("slack", { status: 429, body: "rate_limited", headers: { "retry-after": "2" } });
    const failures: string[] = [];
    const sent: string[] = [];
    const picked = targets.filter((t) => ["telegram", "discord", "slack"].includes(t.name));
    const d = new Delivery(picked.map((t) => senderOf(t, scrub())), {
      sent: (t) => sent.push(t), failed: (t, reason, _d, final) => failures.push(`${t} ${reason} ${final}`), overflow: () => {}, changed: () => {},
    }, { backoffMs: 50 });
    const before = fake.received.length;
    d.enqueue(note([item({ head: "retry me" })]));
    await d.settle(10_000);
    d.stop();
    expect(sent.sort()).toEqual(["discord", "slack", "telegram"]);
    expect(failures.sort()).toEqual(["discord http_429 false", "slack http_429 false", "telegram http_429 false"]);
    for (const api of ["telegram", "discord", "slack"] as const) {
      const tries = fake.received.slice(before).filter((r) => r.api === api);
      expect(tries.map((t) => t.status)).toEqual([429, api === "discord" ? 204 : 200]);
      // Waited what the API asked (2 s), not the 50 ms back-off.
      expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1900);
    }
  }, 15_000);

  it("a refused message is dropped at once; a queue past its cap drops its oldest, counted", async () => {
    const bad = parseConfig([], { OPENCLAW_OTEL_NOTIFY_WEBHOOK_URL: `${fake.url}/hook/SECRETnope` }).notify.targets;
    const events: string[] = [];
    const d = new Delivery(bad.map((t) => senderOf(t, scrubber(secretsOf(bad)))), {
      sent: () => events.push("sent"), failed: (_t, reason, _d, final) => events.push(`${reason} ${final}`), overflow: () => events.push("overflow"), changed: () => {},
    }, { queueCap: 2 });
    for (let k = 0; k < 4; k++) d.enqueue(note([item({ head: `m${k}` })]));
    await d.settle(5000);
    d.stop();
    // Four queued at once into a queue of two: two pushed out; the others refused (404), never retried.
    expect(events.filter((e) => e === "overflow")).toHaveLength(2);
    expect(events.filter((e) => e === "http_404 true")).toHaveLength(2);
    expect(d.pending()).toEqual([]);
  });
});
