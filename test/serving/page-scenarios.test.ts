/**
 * What an operator sees: a real `run --from-beginning` sidecar per stack scenario (its first six
 * bursts written one minute apart, ending now) and one on the real 2026.9.6 capture, the page
 * opened in headless Chromium. Asserts the verdict, the ongoing incidents and the cooldown table
 * as shown; screenshots go to test/artifacts/page/ (docs/img/status-page.png is a copy of one).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, overflowX, requireChromium, type Browser } from "../support/chromium.ts";
import { writeScenario } from "../support/scenario-dir.ts";
import { startCli, type Child } from "../sidecar/helpers.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "artifacts", "page");
const REAL = join(import.meta.dirname, "..", "fixtures", "real");

interface Expect { state: string; reason: RegExp; ongoing: RegExp[]; profiles: RegExp[] | "none" }
const CASES: Record<string, Expect> = {
  healthy: { state: "HEALTHY", reason: /^no incident seen$/, ongoing: [/telegram getUpdates network error x2/], profiles: "none" },
  "rate-limit-storm": {
    state: "DEGRADED", reason: /^anthropic rate-limited, openai rate-limited$/, ongoing: [/^rate_limit on anthropic \(profiles sha256:/, /^rate_limit on openai: all profiles unavailable, skipped (once|\d+ times)/],
    profiles: [/^anthropic sha256:1774324c1faa cooldown rate_limit 8/, /^anthropic sha256:53cf507b5179 cooldown rate_limit 8/, /^anthropic sha256:3ada1bab9532 cooldown rate_limit 8/],
  },
  "all-models-failing": {
    state: "DOWN", reason: /^every model failing$/, ongoing: [/^all models failed \(\d+ min so far\): 18 runs failed; 429 anthropic, 401 openai, timeout google/],
    profiles: [/^openai sha256:791cb8549398 cooldown auth \d/],
  },
  "stuck-session": { state: "DEGRADED", reason: /^1 session\(s\) stuck, 1 session\(s\) long-running, lane waits on main/, ongoing: [/^session stuck \(1 session/, /^lane main waits over 30 s/], profiles: "none" },
  "discord-reconnect-loop": { state: "DEGRADED", reason: /^discord websocket close, discord reconnect/, ongoing: [/^discord reconnect x18 \(zombie\)/], profiles: "none" },
  "sidecar-degraded": { state: "DEGRADED", reason: /^log records lost$/, ongoing: [/^log records lost: queue_overflow/], profiles: "none" },
  real: {
    // fakea still cooling down; fakeb's 402 is over: the recovery turn at 11:09:48 was answered by
    // fakeb (turns.json, provider-record.json).
    state: "DEGRADED", reason: /^fakea rate-limited$/, ongoing: [/^rate_limit on fakea/],
    profiles: [/^fakea sha256:a6ae1e8b9c8b cooldown auth 1, rate_limit 3/],
  },
};

describe.skipIf(!requireChromium("status_page_scenarios"))("status page per scenario, in chromium", () => {
  let browser: Browser;
  const children: Child[] = [];
  beforeAll(async () => { browser = await launch({ width: 1100, height: 900 }); mkdirSync(ARTIFACTS, { recursive: true }); }, 30_000);
  afterAll(async () => {
    for (const c of children) c.proc.kill("SIGTERM");
    const late = setTimeout(() => { for (const c of children) c.proc.kill("SIGKILL"); }, 10_000);
    await Promise.all(children.map((c) => c.exited));
    clearTimeout(late);
    await browser?.close();
  }, 30_000);

  for (const [name, want] of Object.entries(CASES)) {
    it(`${name}: ${want.state}`, async () => {
      const logs = mkdtempSync(join(tmpdir(), `page-${name}-`));
      if (name === "real") for (const f of readdirSync(REAL).filter((f) => /\.(log|jsonl)$/.test(f))) copyFileSync(join(REAL, f), join(logs, f));
      else writeScenario(name, logs, 6, Date.now() - 6 * 60_000);
      const child = startCli(["run", "--logs", logs, "--state-dir", mkdtempSync(join(tmpdir(), "page-state-")), "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"]);
      children.push(child);
      const url = await child.url;
      await child.ready;
      // Until the backlog is read (nothing unread, some line read).
      for (let i = 0; i < 100; i++) {
        const s = await (await fetch(`${url}/status.json`)).json() as { files: { unreadBytes: number }[]; lines: { read: number }[] };
        if (s.files.length > 0 && s.files.every((f) => f.unreadBytes === 0) && s.lines.some((l) => l.read > 0)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const page = await browser.context.newPage();
      await page.goto(`${url}/`, { timeout: 10_000 });
      expect(await page.locator("#verdict-state").textContent()).toBe(want.state);
      expect(await page.locator("#verdict-reason").textContent()).toMatch(want.reason);
      const ongoing = await page.locator("#ongoing li .what").allTextContents();
      for (const re of want.ongoing) expect(ongoing, `ongoing incidents of ${name}`).toContainEqual(expect.stringMatching(re));
      const profiles = (await page.locator("#t-profiles tr").evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 4).map((td) => td.textContent ?? "").join(" "))));
      if (want.profiles === "none") expect(profiles).toEqual(["no auth profile in a cooldown or disabled window"]);
      else for (const re of want.profiles) expect(profiles, `cooldown rows of ${name}`).toContainEqual(expect.stringMatching(re));
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
      // The first screen alone (docs/img/status-page.png is all-models-failing-top.png, copied by hand).
      await page.screenshot({ path: join(ARTIFACTS, `${name}-top.png`) });
      await page.close();
    }, 40_000);
  }
});
