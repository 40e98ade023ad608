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

export interface Cell { table: string; text: string; left: number; right: number; lines: number }

/** Every table cell as laid out: its box and on how many lines its value sits (getBoundingClientRect, getClientRects). */
export const tableCells = (page: import("playwright-core").Page): Promise<Cell[]> =>
  page.locator("td").evaluateAll((tds) => tds.map((td) => {
    const r = td.getBoundingClientRect();
    const range = td.ownerDocument.createRange();
    range.selectNodeContents(td);
    // Lines of the value: fragments (of any font size) that overlap vertically share a line.
    let lines = 0, bottom = -Infinity;
    for (const q of [...range.getClientRects()].filter((q) => q.width > 0).sort((a, b) => a.top - b.top)) {
      if (q.top >= bottom - 1) { lines++; bottom = q.bottom; } else bottom = Math.max(bottom, q.bottom);
    }
    return { table: td.closest("tbody")?.id ?? "", text: (td.textContent ?? "").trim(), left: r.left, right: r.right, lines };
  }));

/** Issue 24's phone rule: no cell beyond the viewport, no short value (a time, "84.6 %", a hash) wrapped. */
export function cellsFitProblems(cells: Cell[], width: number): string[] {
  const bad: string[] = [];
  for (const c of cells) {
    if (c.left < 0 || c.right > width) bad.push(`${c.table} "${c.text}" spans ${Math.round(c.left)}..${Math.round(c.right)} of ${width} px`);
    if (c.text.length > 0 && c.text.length <= 24 && c.lines !== 1) bad.push(`${c.table} "${c.text}" wraps onto ${c.lines} lines`);
  }
  return bad;
}
