/**
 * The status page in Debian's headless Chromium, served from a fixed snapshot: hostile names
 * shown as text and nothing run, the verdict first, no sideways scrolling on a phone, the same
 * first paint with JavaScript off, and the refresh script swapping in new content (or saying it
 * cannot reach the sidecar).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpServer, type HttpServer } from "../../src/serving/http-server.ts";
import type { StatusSnapshot } from "../../src/serving/status-page.ts";
import { cellsFitProblems, launch, overflowX, requireChromium, tableCells, type Browser } from "../support/chromium.ts";
import { HOSTILE, HOSTILE_PROVIDER, sampleSnapshot } from "../support/status-snapshot.ts";

const ARTIFACTS = path.join(import.meta.dirname, "..", "artifacts", "page");

describe.skipIf(!requireChromium("status_page_in_chromium"))("status_page_in_chromium", () => {
  let server: HttpServer;
  let snapshot: StatusSnapshot;
  let failing = false;
  const browsers: Browser[] = [];
  const dialogs: string[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    snapshot = sampleSnapshot(Date.now());
    server = await startHttpServer({
      host: "127.0.0.1", port: 0, renderMetrics: () => "", health: () => ({}),
      status: () => {
        if (failing) throw new Error("down");
        return { ...snapshot, generatedAt: Date.now() };
      },
      statusRefreshMs: 1000,
    });
  }, 30_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.close();
  });

  async function open(opts: Parameters<typeof launch>[0]): Promise<Page> {
    const b = await launch(opts);
    browsers.push(b);
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on("console", (m) => { if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text()); });
    await page.goto(`${server.url}/`, { timeout: 10_000 });
    return page;
  }

  it("shows the verdict first, hostile names as text, and runs nothing from them", async () => {
    const page = await open({ width: 1280, height: 900 });
    expect(await page.locator("#verdict-state").textContent()).toBe("DEGRADED");
    expect(await page.locator("#verdict-reason").textContent()).toBe(`${HOSTILE_PROVIDER} rate-limited`);
    expect(await page.locator("#ongoing li").allTextContents()).toEqual([expect.stringContaining(`rate_limit on ${HOSTILE_PROVIDER}: 14 requests 429`)]);
    expect(await page.locator("#t-profiles tr td").nth(0).textContent()).toBe(HOSTILE_PROVIDER);
    expect(await page.locator("#t-profiles tr td").nth(1).textContent()).toBe("sha256:0a1b2c3d4e5f");
    expect(await page.locator("#t-models tr td").first().textContent()).toBe(`${HOSTILE_PROVIDER}/<b>m</b>`);
    await page.locator("#sidecar summary").click();
    expect(await page.locator("#t-files tr td:first-child").allTextContents()).toEqual(["/tmp/openclaw/openclaw-2026-11-21.log", HOSTILE]);
    // The verdict is the first thing on the page, above everything else.
    const top = (sel: string) => page.locator(sel).boundingBox().then((b) => b?.y ?? Infinity);
    expect(await top("#verdict")).toBeLessThan(await top("#ongoing"));
    expect(await top("#ongoing")).toBeLessThan(await top("#sidecar"));
    expect(await page.locator("img, script:not(:last-of-type)").count()).toBe(0);
    expect(await page.locator("svg rect").count()).toBeGreaterThan(20);
    expect(dialogs).toEqual([]);
    expect(cspErrors).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "sample-desktop.png"), fullPage: true });
  });

  it("fits a phone's width without sideways scrolling", async () => {
    const page = await open({ width: 375, height: 740, mobile: true });
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    const box = await page.locator("#verdict").boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await page.screenshot({ path: path.join(ARTIFACTS, "sample-phone.png"), fullPage: true });
  });

  // Issue 24: at 390 px the cooldown table's Until/Left sat off-screen, the profile hash wrapped a
  // character per line, "84.6 %" wrapped and "Last success" was clipped. Measured in the real browser.
  it("reflows every table into rows a thumb can read at 390 px", async () => {
    const page = await open({ width: 390, height: 844, mobile: true });
    await page.locator("#sidecar summary").click();
    expect(await overflowX(page)).toBeLessThanOrEqual(0);
    const cells = await tableCells(page);
    const width = await page.evaluate(() => (globalThis as unknown as { innerWidth: number }).innerWidth);
    expect(width).toBe(390);
    // Every table the sample fills is on the page (the profiles' Until and Left among them).
    for (const id of ["t-profiles", "t-providers", "t-models", "t-files", "t-lines", "t-events", "t-export"]) {
      expect(cells.filter((c) => c.table === id).length, id).toBeGreaterThan(1);
    }
    expect(cellsFitProblems(cells, width)).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, "sample-390.png"), fullPage: true });
  });

  it("paints the same page with JavaScript off", async () => {
    const page = await open({ width: 1024, height: 800, javaScript: false });
    expect(await page.locator("#verdict-state").textContent()).toBe("DEGRADED");
    expect(await page.locator("#t-profiles tr").count()).toBe(1);
    expect(await page.locator('noscript').count()).toBe(1);
    expect(await page.locator("svg").count()).toBe(4); // requests and failovers, hour and day: tokens and queue were never fed
    await page.screenshot({ path: path.join(ARTIFACTS, "sample-no-js.png"), fullPage: true });
  });

  it("refreshes itself, and says when it cannot reach the sidecar", async () => {
    const page = await open({ width: 1024, height: 800 });
    snapshot = { ...snapshot, verdict: { state: "down", reason: "every model failing", since: Date.now() - 60_000 } };
    await page.locator("#verdict-state", { hasText: /^DOWN$/ }).waitFor({ timeout: 5000 });
    failing = true;
    await page.locator("#conn", { hasText: /^disconnected$/ }).waitFor({ timeout: 5000 });
    failing = false;
    await page.locator("#conn", { hasText: /^live$/ }).waitFor({ timeout: 5000 });
  });
});
