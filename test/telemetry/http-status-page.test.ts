import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import type { StatusSnapshot } from "../../src/serving/status-page.ts";
import { HOSTILE, sampleSnapshot } from "../support/status-snapshot.ts";

const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = path.join(import.meta.dirname, "..", "artifacts");
const hasChromium = existsSync(CHROMIUM);
// CI installs chromium (scripts/apt-packages.txt) and sets OPENCLAW_STACK_REQUIRED=1: there a
// missing browser is a failure, not a skip.
if (!hasChromium && process.env.OPENCLAW_STACK_REQUIRED === "1") throw new Error(`${CHROMIUM} is absent (install the Debian chromium package)`);
if (!hasChromium) console.warn(`status_page_in_chromium skipped: ${CHROMIUM} is absent (install the Debian chromium package)`);

describe.skipIf(!hasChromium)("status_page_in_chromium", () => {
  let server: HttpServer;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  let snapshot: StatusSnapshot;
  let failing = false;
  const dialogs: string[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    snapshot = sampleSnapshot(Date.now());
    server = await startHttpServer({
      host: "127.0.0.1",
      port: 0,
      renderMetrics: () => "",
      health: () => ({}),
      status: () => {
        if (failing) throw new Error("down");
        return { ...snapshot, generatedAt: Date.now() };
      },
      statusRefreshMs: 150,
    });
    userDataDir = mkdtempSync(path.join(os.tmpdir(), "status-page-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
      viewport: { width: 1280, height: 900 },
      timeout: 20_000,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${server.url}/`, { timeout: 10_000 });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Waits (bounded) until the element's whole text is `text`: the page re-rendered. */
  const waitText = (selector: string, text: string) =>
    page.locator(selector, { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) }).waitFor({ timeout: 5000 });
  const card = (id: string) => page.locator(`#${id} b`).textContent();
  const rows = (id: string) => page.locator(`#${id} tr`).evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? "")));

  it("renders the snapshot's numbers in the summary cards", async () => {
    expect(await card("c-read")).toBe((123_457 + 812).toLocaleString("en-US"));
    expect(await card("c-events")).toBe("779");
    expect(await card("c-rejected")).toBe("3");
    expect(await card("c-unread")).toBe("4.0 KiB");
    expect(await card("c-cooldowns")).toBe("1");
    expect(await card("c-stuck")).toBe("1");
    expect(await card("c-export")).toBe("5 failed");
    expect(await page.locator("#c-export").getAttribute("class")).toContain("bad");
  });

  it("fills every table from the snapshot", async () => {
    expect(await rows("t-lines")).toEqual([["log", "123,457", "120,001", "3"], ["jsonl", "812", "0", "0"]]);
    expect(await rows("t-rejected")).toEqual([["log", "schema_mismatch", "3"]]);
    const events = await rows("t-events");
    expect(events.map((r) => r.slice(0, 2))).toEqual([["model.usage", "777"], ["session.stuck", "2"]]);
    expect(events[0]?.[2]).toMatch(/^\d+ s ago$/);
    expect((await rows("t-cooldowns"))[0]?.slice(0, 2)).toEqual(["google", "cooldown"]);
    expect((await rows("t-stuck"))[0]).toEqual(["processing", "2.0 h", "4"]);
    // Model health: a model never seen succeeding is "unknown", not 0 or "never".
    const models = await rows("t-models");
    expect(models.map((r) => [r[0], r[3]])).toEqual([["google/gemini-2.5-pro", "6"], ["anthropic/claude-sonnet-4-5", "0"]]);
    expect(models[0]?.[1]).toBe("unknown");
    expect(models[1]?.[1]).toMatch(/^\d+ s ago$/);
    expect(models[1]?.[2]).toBe("never");
    const exp = await rows("t-export");
    expect(exp[0]).toEqual(["metrics", "http://collector:4318/v1/metrics", "5"]);
    expect(exp[1]).toEqual(["traces", "off", "0"]);
  });

  it("shows a hostile file name as text and runs nothing from it", async () => {
    const files = await rows("t-files");
    expect(files.map((r) => r[0])).toEqual(["/tmp/openclaw/openclaw-2026-11-21.log", HOSTILE]);
    expect(files[0]?.slice(2, 4)).toEqual(["5.0 MiB", "4.0 KiB"]);
    expect(files[1]?.[4]).toBe("never");
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it("follows new numbers by polling /status.json, and says when it cannot", async () => {
    snapshot = { ...snapshot, lines: [{ source: "log", read: 200_000, ignored: 1, rejected: 0 }], stuckSessions: [] };
    await waitText("#c-read b", "200,000");
    expect(await card("c-stuck")).toBe("0");
    expect(await rows("t-stuck")).toEqual([["no stuck sessions"]]);
    failing = true;
    await waitText("#conn", "disconnected");
    failing = false;
    await waitText("#conn", "live");
  });

  it("lays every card and table out on screen, none overflowing, and saves a screenshot", async () => {
    snapshot = sampleSnapshot(Date.now());
    await waitText("#c-read b", "124,269");
    // What a human would see: each card and table visible with a real size, inside the
    // viewport's width (no sideways scrolling), cards side by side rather than stacked.
    const ids = ["c-read", "c-events", "c-rejected", "c-unread", "c-cooldowns", "c-stuck", "c-export",
      "t-files", "t-lines", "t-rejected", "t-events", "t-cooldowns", "t-models", "t-stuck", "t-export"];
    const boxes = await Promise.all(ids.map(async (id) => {
      // A table body's box is its table's (an empty tbody still has a header row above it).
      const r = await page.locator(id.startsWith("t-") ? `table:has(#${id})` : `#${id}`).boundingBox();
      return { id, w: r?.width ?? 0, h: r?.height ?? 0, top: r?.y ?? 0, right: r ? r.x + r.width : Infinity };
    }));
    for (const b of boxes) expect({ id: b.id, shown: b.w > 20 && b.h > 10, inside: b.right <= 1280 }).toEqual({ id: b.id, shown: true, inside: true });
    type Doc = { document: { documentElement: { scrollWidth: number } } };
    expect(await page.evaluate(() => (globalThis as unknown as Doc).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const cardTops = new Set(boxes.filter((b) => b.id.startsWith("c-")).map((b) => Math.round(b.top)));
    expect(cardTops.size).toBeLessThan(7);
    expect(await page.title()).not.toBe("");
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "status-page.png"), fullPage: true });
  });
});
