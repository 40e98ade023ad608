/**
 * The real `run` against the fake chat APIs (fake-chats.ts): a scenario written here, phase by
 * phase, must reach every target as the messages a person wants, in order (auth failing with
 * its cooldown, a rate limit with its cooldown and fallback, every model failing, the recovery
 * with its downtime) and nothing for the healthy phase; a SIGKILL and restart between the
 * outage and its end repeats no message and loses none (the notifier's state rides in the
 * checkpoint). The planted token, chat id and webhook URLs appear in no log line, page,
 * /status.json or checkpoint. Expected texts come from the lines written here.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/serving/live-incidents.ts";
import { startCli, waitUntil, delay, type Child } from "../sidecar/helpers.ts";
import { gatewayLog } from "../stack/scenarios/lines.ts";
import { CHAT, DISCORD_PATH, fakeEnv, HOOK_PATH, NTFY_PATH, SLACK_PATH, startFakeChats, TOKEN, type Api, type FakeChats } from "./fake-chats.ts";

const MIN = 60_000;
const utc = (ts: number) => `${new Date(ts).toISOString().slice(11, 19)} UTC`;
const APIS: Api[] = ["telegram", "discord", "slack", "ntfy", "webhook"];

let fake: FakeChats;
beforeAll(async () => { fake = await startFakeChats(); });
afterAll(() => fake.close());

describe("run sends notifications from the incidents", () => {
  it("tells auth, rate limit (cooldown, fallback), every model failing and the recovery once each, across a SIGKILL; no secret leaks", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-notify-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-notify-state-"));
    // Event times in the recent past (the notifier ignores history older than an hour), minutes apart.
    const base = Date.now() - 20 * MIN;
    const file = join(logs, `openclaw-${localDay(base)}.log`);
    const write = (lines: string[]) => appendFileSync(file, lines.join("\n") + "\n");

    // Phase A, healthy: chatter and a successful request.
    const a = gatewayLog("9.6", base + MIN);
    a.chatter(3);
    a.a("provider-transport-fetch", "DEBUG", "[model-fetch] response provider=anthropic api=anthropic-messages model=claude-opus-4-6 status=200 elapsedMs=900 dispatcher=reused contentType=application/json");
    writeFileSync(file, a.done().join("\n") + "\n");

    const env = fakeEnv(fake.url);
    const args = ["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50",
      "--checkpoint-interval", "100", "--notify-group-wait", "300", "--notify-page-url", "http://status.example:9464/"];
    let child: Child = startCli(args, env);
    const stderr: string[] = [];
    const url = await child.url;
    await child.ready;
    await delay(1500);
    expect(fake.received, "nothing is sent for the healthy phase").toEqual([]);

    const telegram = () => fake.accepted("telegram").map((r) => r.text);
    const waitMessages = (n: number) => waitUntil(() => `${n} telegram messages (got ${JSON.stringify(telegram())})`,
      () => APIS.every((api) => fake.accepted(api).length >= n), 15_000);

    // Phase B: openai's key refused (401), put in a one-hour cooldown.
    const authUntil = base + 2 * MIN + 3_600_000;
    const b = gatewayLog("9.6", base + 2 * MIN);
    b.a("provider-transport-fetch", "INFO", "[model-fetch] response provider=openai api=openai-responses model=gpt-5.4 status=401 elapsedMs=180 dispatcher=reused contentType=application/json");
    b.b("agent/embedded", "WARN", { event: "auth_profile_failure_state_updated", runId: "run-b", profileId: "sha256:0a1b2c3d4e5f", provider: "openai", reason: "auth", windowType: "cooldown", windowReused: false, errorCount: 1, cooldownUntil: authUntil }, "auth profile failure state updated");
    write(b.done());
    await waitMessages(1);

    // Phase C: anthropic answers 429, its key cools down for 5 minutes, the run falls back to google.
    const rlUntil = base + 3 * MIN + 5 * MIN;
    const c = gatewayLog("9.6", base + 3 * MIN);
    const fb = { event: "model_fallback_decision", runId: "run-c", requestedProvider: "anthropic", requestedModel: "claude-opus-4-6", total: 2, lane: "main", channel: "telegram", agentId: "main" };
    c.a("provider-transport-fetch", "INFO", "[model-fetch] response provider=anthropic api=anthropic-messages model=claude-opus-4-6 status=429 elapsedMs=300 dispatcher=reused contentType=application/json");
    c.b("agent/embedded", "WARN", { event: "auth_profile_failure_state_updated", runId: "run-c", profileId: "sha256:a0b1c2d3e4f5", provider: "anthropic", reason: "rate_limit", windowType: "cooldown", windowReused: false, errorCount: 1, cooldownUntil: rlUntil }, "auth profile failure state updated");
    c.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_failed", candidateProvider: "anthropic", candidateModel: "claude-opus-4-6", attempt: 1, reason: "rate_limit", status: 429, nextCandidateProvider: "google", nextCandidateModel: "gemini-2.5-pro" }, "model fallback decision");
    c.a("provider-transport-fetch", "DEBUG", "[model-fetch] response provider=google api=google-generative-ai model=gemini-2.5-pro status=200 elapsedMs=2100 dispatcher=reused contentType=text/event-stream");
    c.b("model-fallback/decision", "WARN", { ...fb, decision: "candidate_succeeded", candidateProvider: "google", candidateModel: "gemini-2.5-pro", attempt: 2 }, "model fallback decision");
    write(c.done());
    await waitMessages(2);

    // Phase D: every model fails.
    const dAt = base + 4 * MIN;
    const d = gatewayLog("9.6", dAt);
    d.c("ERROR", "Embedded agent failed before reply: All models failed (2): anthropic/claude-opus-4-6: 429 Too Many Requests (rate_limit) | google/gemini-2.5-pro: LLM idle timeout (30s): no response (timeout)");
    write(d.done());
    await waitMessages(3);

    // Told and checkpointed (interval 100 ms): SIGKILL, no final checkpoint, then start again.
    await delay(800);
    child.proc.kill("SIGKILL");
    await child.exited;
    stderr.push(child.stderr());
    child = startCli(args, env);
    const url2 = await child.url;
    await child.ready;
    await delay(1500);
    expect(telegram(), "nothing told again after the restart").toHaveLength(3);

    // Phase E, five minutes after D: anthropic answers again; the outage and the rate limit end.
    const e = gatewayLog("9.6", dAt + 5 * MIN);
    e.a("provider-transport-fetch", "DEBUG", "[model-fetch] response provider=anthropic api=anthropic-messages model=claude-opus-4-6 status=200 elapsedMs=800 dispatcher=reused contentType=text/event-stream");
    write(e.done());
    await waitMessages(4);
    await delay(1500);

    const got = telegram();
    expect(got, JSON.stringify(got, null, 1)).toHaveLength(4);
    expect(got[0]).toMatch(/openai auth failures/);
    expect(got[0]).toContain(`profile in cooldown until ${utc(authUntil)} (sha256:0a1b2c3d4e5f)`);
    expect(got[0]).toContain("401");
    expect(got[1]).toMatch(/anthropic rate-limited/);
    expect(got[1]).toContain(`profile in cooldown until ${utc(rlUntil)} (sha256:a0b1c2d3e4f5)`);
    expect(got[1]).toContain("fell back to google/gemini-2.5-pro");
    expect(got[2]).toMatch(/every model failing/);
    // The outage's end goes at once; the rate limit's is held (it may come back within 10 minutes).
    expect(got[3]).toMatch(/^✅ resolved: every model failing\n/);
    expect(got[3]).toContain("down 5 min");
    for (const t of got) expect(t).toContain("status page");
    // Every target got the same four messages.
    for (const api of APIS) expect(fake.accepted(api), api).toHaveLength(4);

    // Secrets: nowhere in the logs, the page, /status.json or the checkpoint.
    const page = await (await fetch(`${url2}/`)).text();
    const status = await (await fetch(`${url2}/status.json`)).text();
    expect(JSON.parse(status).notify).toMatchObject({ targets: ["telegram", "discord", "slack", "ntfy", "webhook"] });
    // Four messages to five targets, none failed.
    expect(page).toContain("Notifications to telegram, discord, slack, ntfy, webhook: 20 sent, 0 failed attempts, 0 dropped, 0 queued");
    child.proc.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    stderr.push(child.stderr());
    const checkpoint = readFileSync(join(state, "checkpoint.json"), "utf8");
    expect(JSON.parse(checkpoint).notify.notifier.entries.length).toBeGreaterThan(0);
    const secrets = [TOKEN, TOKEN.split(":")[1]!, CHAT, DISCORD_PATH.split("/").at(-1)!, SLACK_PATH.split("/").at(-1)!, NTFY_PATH.slice(1), HOOK_PATH.split("/").at(-1)!];
    for (const [where, text] of [["stderr", stderr.join("")], ["page", page], ["status.json", status], ["checkpoint", checkpoint]] as const) {
      for (const s of secrets) expect(text.includes(s), `${where} holds ${s}`).toBe(false);
    }
    expect(stderr.join("")).toMatch(/notifications to telegram, discord, slack, ntfy, webhook/);
  }, 90_000);

  it("a malformed saved notification state warns and starts afresh; the sidecar runs on", async () => {
    const logs = mkdtempSync(join(tmpdir(), "oc-notify-logs-"));
    const state = mkdtempSync(join(tmpdir(), "oc-notify-state-"));
    const args = ["run", "--logs", logs, "--state-dir", state, "--listen", "127.0.0.1:0", "--poll-interval", "50"];
    const first = startCli(args, fakeEnv(fake.url));
    await first.ready;
    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const file = join(state, "checkpoint.json");
    const cp = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(cp.notify).toMatchObject({ notifier: { version: 1, entries: [] }, outbox: [] });
    for (const bad of ["garbage", { notifier: { version: 7 } }, { notifier: { version: 1, seq: 0, entries: [] }, outbox: [{ target: "fax" }] }]) {
      writeFileSync(file, JSON.stringify({ ...cp, notify: bad }));
      const c = startCli(args, fakeEnv(fake.url));
      await c.ready;
      await waitUntil("the warning", () => /saved notification (state|outbox) dropped/.test(c.stderr()), 5000);
      c.proc.kill("SIGTERM");
      expect(await c.exited).toBe(0);
    }
  }, 40_000);
});
