/** Debian's headless Chromium through playwright-core, as the status page tests use it. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { canRun } from "./required.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);

/** CI installs chromium: there a missing browser fails (support/required.ts), elsewhere it skips. */
export function requireChromium(what: string): boolean {
  return canRun(what, hasChromium ? undefined : `${CHROMIUM} is absent (install the Debian chromium package)`);
}

export interface Browser { context: BrowserContext; close(): Promise<void> }

export async function launch(opts: { width: number; height: number; javaScript?: boolean; mobile?: boolean }): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "status-page-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    viewport: { width: opts.width, height: opts.height },
    javaScriptEnabled: opts.javaScript ?? true,
    isMobile: opts.mobile ?? false,
    hasTouch: opts.mobile ?? false,
    deviceScaleFactor: 1,
    timeout: 20_000,
  });
  return { context, close: async () => { await context.close(); rmSync(userDataDir, { recursive: true, force: true }); } };
}

type Doc = { document: { documentElement: { scrollWidth: number; clientWidth: number } } };
/** The page's width beyond its viewport (0 = no sideways scrolling). */
export const overflowX = (page: import("playwright-core").Page) =>
  page.evaluate(() => { const d = (globalThis as unknown as Doc).document.documentElement; return d.scrollWidth - d.clientWidth; });
