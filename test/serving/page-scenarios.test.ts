/**
 * What an operator sees: a real `run --from-beginning` sidecar per stack scenario (its first six
 * bursts written one minute apart, ending now) and one on the real 2026.9.6 capture, the page
 * opened in headless Chromium. Asserts the verdict, the ongoing incidents and the cooldown table
 * as shown; screenshots go to test/artifacts/page/ (docs/img/status-page.png is a copy of one).
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellsFitProblems, launch, overflowX, requireChromium, tableCells, type Browser } from "../support/chromium.ts";
import { writeScenario } from "../support/scenario-dir.ts";
import { startCli, waitUntil, type Child } from "../sidecar/helpers.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "artifacts", "page");
const REAL = join(import.meta.dirname, "..", "fixtures", "real");

interface Expect { state: string; reason: RegExp; ongoing: RegExp[]; profiles: RegExp[] | "none" }

// Every figure below comes from its source, not from the page: the scenario scripts
// (test/stack/scenarios/*.ts, BURSTS of them written), the redaction formula, the capture's own lines.
const BURSTS = 6;
/** How OpenClaw 9.6 redacts a profile id (its redact-identifier; the scenarios log raw ids). */
const redacted = (id: string) => `sha256:${createHash("sha256").update(id).digest("hex").slice(0, 12)}`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** healthy.ts: a getUpdates network error in bursts 1 and 3. */
const GETUPDATES_ERRORS = [1, 3].filter((i) => i < BURSTS).length;
/** rate-limit-storm.ts: key i % 3 fails all 4 runs of burst i: each key is the failing one in BURSTS / 3 bursts. */
const STORM_FAILS_PER_KEY = (BURSTS / 3) * 4;
/** all-models-failing.ts: 3 runs per burst, every one failed. */
const ALL_FAILED_RUNS = BURSTS * 3;
/** discord-reconnect-loop.ts: 3 zombie reconnects per burst. */
const DISCORD_RECONNECTS = BURSTS * 3;

/** The real capture: the profile whose cooldown ends last, and its failure-state lines per reason, read as plain JSON. */
function realCooldown(): { provider: string; profile: string; reasons: string } {
  const updates = readFileSync(join(REAL, "openclaw-2026-11-21.log"), "utf8").split("\n")
    .filter((l) => l.includes('"auth_profile_failure_state_updated"'))
    .map((l) => Object.values(JSON.parse(l) as Record<string, unknown>).find((v) => typeof v === "object" && v !== null && "profileId" in v) as { provider: string; profileId: string; reason: string; cooldownUntil: number });
  const last = updates.reduce((a, b) => (b.cooldownUntil > a.cooldownUntil ? b : a));
  const counts = new Map<string, number>();
  for (const u of updates) if (u.profileId === last.profileId) counts.set(u.reason, (counts.get(u.reason) ?? 0) + 1);
  return { provider: last.provider, profile: last.profileId, reasons: [...counts].sort().map(([r, n]) => `${r} ${n}`).join(", ") };
}
const real = realCooldown();

const CASES: Record<string, Expect> = {
  healthy: { state: "HEALTHY", reason: /^no incident seen$/, ongoing: [new RegExp(`telegram getUpdates network error x${GETUPDATES_ERRORS}`)], profiles: "none" },
  "rate-limit-storm": {
    state: "DEGRADED", reason: /^anthropic rate-limited, openai rate-limited$/, ongoing: [/^rate_limit on anthropic \(profiles sha256:/, /^rate_limit on openai: all profiles unavailable, skipped (once|\d+ times)/],
    profiles: [0, 1, 2].map((k) => new RegExp(`^anthropic ${redacted(`sha256:anthr0key${k}`)} cooldown rate_limit ${STORM_FAILS_PER_KEY}`)),
  },
  // Each provider's status as the scenario script answers it, in whatever order the page lists them.
  "all-models-failing": {
    state: "DOWN", reason: /^every model failing$/, ongoing: [new RegExp(`^all models failed \\(\\d+ min so far\\): ${ALL_FAILED_RUNS} runs failed; (?=.*429 anthropic)(?=.*401 openai)(?=.*timeout google)`)],
    profiles: [new RegExp(`^openai ${redacted("sha256:opena1key0")} cooldown auth \\d`)],
  },
  "stuck-session": { state: "DEGRADED", reason: /^1 session\(s\) stuck, 1 session\(s\) long-running, lane waits on main/, ongoing: [/^session stuck \(1 session/, /^lane main waits over 30 s/], profiles: "none" },
  "discord-reconnect-loop": { state: "DEGRADED", reason: /^discord websocket close, discord reconnect/, ongoing: [new RegExp(`^discord reconnect x${DISCORD_RECONNECTS} \\(zombie\\)`)], profiles: "none" },
  "sidecar-degraded": { state: "DEGRADED", reason: /^log records lost$/, ongoing: [/^log records lost: queue_overflow/], profiles: "none" },
  real: {
    // fakea still cooling down; fakeb's 402 is over: the recovery turn at 11:09:48 was answered by
    // fakeb (turns.json, provider-record.json). The row: the capture's last cooldown, its profile
    // as logged and its failure-state lines per reason.
    state: "DEGRADED", reason: new RegExp(`^${real.provider} rate-limited$`), ongoing: [new RegExp(`^rate_limit on ${real.provider}`)],
    profiles: [new RegExp(`^${real.provider} ${esc(real.profile)} cooldown ${real.reasons}`)],
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
      await waitUntil(`${name}: the backlog read`, async () => {
        const s = await (await fetch(`${url}/status.json`)).json() as { files: { unreadBytes: number }[]; lines: { read: number }[] };
        return s.files.length > 0 && s.files.every((f) => f.unreadBytes === 0) && s.lines.some((l) => l.read > 0);
      }, 10_000);
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
      // A phone (issue 24): every table reflowed, nothing off-screen, no short value wrapped.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await overflowX(page)).toBeLessThanOrEqual(0);
      expect(cellsFitProblems(await tableCells(page), 390)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-390.png`), fullPage: true });
      await page.close();
    }, 40_000);
  }
});
