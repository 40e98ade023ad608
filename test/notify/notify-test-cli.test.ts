/**
 * `openclaw-otel notify test`: one message to each target, and per target a clear answer,
 * from the real CLI against the fake APIs: ok, a bad token (401), a chat not found (400),
 * an unreachable API (network), one target only with --target, nothing configured (exit 2).
 * No credential appears in what it prints.
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI } from "../sidecar/helpers.ts";
import { closedPort, CHAT, fakeEnv, startFakeChats, TOKEN, type FakeChats } from "./fake-chats.ts";

let fake: FakeChats;
beforeAll(async () => { fake = await startFakeChats(); });
afterAll(() => fake.close());

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  // Asynchronous: the fake APIs answer from this process.
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, "notify", "test", ...args], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env }, timeout: 30_000 },
      (error, out, err) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out, err }));
  });
}

describe("notify test", () => {
  it("sends one test message to every target and says ok for each", async () => {
    const before = fake.received.length;
    const r = await cli([], fakeEnv(fake.url));
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["telegram", "discord", "slack", "ntfy", "webhook"].map((t) => `${t}: ok, test message accepted`));
    expect(fake.received.slice(before).map((x) => [x.api, x.status])).toEqual([["telegram", 200], ["discord", 204], ["slack", 200], ["ntfy", 200], ["webhook", 200]]);
    expect(fake.received.at(-5)!.text).toContain("test message from the OpenClaw sidecar");
  });

  it("says what failed: bad token, chat not found, network; exit 1; no secret printed", async () => {
    const bad = await cli(["--target", "telegram"], { ...fakeEnv(fake.url), OPENCLAW_OTEL_TELEGRAM_BOT_TOKEN: "42:notTheRightTokenAtAll" });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/^telegram: FAILED: HTTP 401: Unauthorized \(the bot token is wrong or revoked/);
    expect(bad.out).not.toContain("notTheRightTokenAtAll");
    const chat = await cli(["--target", "telegram"], { ...fakeEnv(fake.url), OPENCLAW_OTEL_TELEGRAM_CHAT_ID: "-100777" });
    expect(chat.code).toBe(1);
    expect(chat.out).toMatch(/^telegram: FAILED: HTTP 400: Bad Request: chat not found \(check OPENCLAW_OTEL_TELEGRAM_CHAT_ID/);
    expect(chat.out).not.toContain("-100777");
    const net = await cli(["--target", "telegram"], fakeEnv(`http://127.0.0.1:${await closedPort()}`));
    expect(net.code).toBe(1);
    expect(net.out).toMatch(/^telegram: FAILED: network error \(ECONNREFUSED\): cannot reach the API \(temporary: try again later\)/);
    for (const r of [bad, chat, net]) { expect(r.out + r.err).not.toContain(TOKEN); expect(r.out + r.err).not.toContain(CHAT); }
  });

  it("sends to the named target only; with none configured it exits 2 saying what to set", async () => {
    const before = fake.received.length;
    const one = await cli(["--target", "discord"], fakeEnv(fake.url));
    expect(one.out.trim()).toBe("discord: ok, test message accepted");
    expect(fake.received.slice(before).map((x) => x.api)).toEqual(["discord"]);
    const none = await cli([], {});
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/no notification target is configured/);
  });
});
