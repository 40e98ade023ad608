/**
 * Issue 24: when the log directory is missing or unreadable, the page says the cause and the
 * remedy first (it used to say only "no events read yet"). A real sidecar per case, the page
 * in headless Chromium, screenshots in test/artifacts/page/. The unreadable case is real
 * although CI runs as root (which reads any directory): on a 0700 directory of uid 1000, the
 * sidecar runs as nobody (uid 65534, setpriv) when nobody can read this checkout and its Node,
 * else as root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH (setpriv drops them from its
 * bounding set: what compose without `cap_add: DAC_READ_SEARCH` gives). Either way EACCES.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, requireChromium, type Browser } from "../support/chromium.ts";
import { canRun } from "../support/required.ts";
import { CLI, startCli, type Child } from "../sidecar/helpers.ts";

const ARTIFACTS = join(import.meta.dirname, "..", "artifacts", "page");
const GATEWAY_UID = 1000;
const NOBODY = 65534;
const SETPRIV = "/usr/bin/setpriv";
const asNobody = (argv: string[]): [string, string[]] => [SETPRIV, [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--", ...argv]];
const withoutDac = (argv: string[]): [string, string[]] => [SETPRIV, ["--bounding-set=-dac_override,-dac_read_search", "--", ...argv]];
const isRoot = process.getuid?.() === 0;
const canDrop = canRun("blind_page_unreadable", existsSync(SETPRIV) ? (isRoot ? undefined : "needs root (to own the directory as another uid)") : "setpriv is absent");

describe.skipIf(!requireChromium("blind_page"))("the page of a sidecar that cannot read its log directory", () => {
  let browser: Browser;
  const children: Child[] = [];
  beforeAll(async () => { browser = await launch({ width: 1100, height: 800 }); mkdirSync(ARTIFACTS, { recursive: true }); }, 30_000);
  afterAll(async () => {
    for (const c of children) c.proc.kill("SIGTERM");
    await Promise.all(children.map((c) => c.exited));
    await browser?.close();
  }, 30_000);

  async function pageOf(name: string, logs: string, wrap?: (argv: string[]) => [string, string[]], uid?: number): Promise<{ state: string; reason: string; first: string }> {
    const state = mkdtempSync(join(tmpdir(), `blind-${name}-state-`));
    if (uid !== undefined) chownSync(state, uid, uid);
    const child = startCli(["run", "--logs", logs, "--state-dir", state, "--listen", "127.0.0.1:0", "--poll-interval", "50"], {}, wrap);
    children.push(child);
    const url = await Promise.race([child.url, child.exited.then(() => { throw new Error(`sidecar exited: ${child.stderr()}`); })]);
    const page = await browser.context.newPage();
    await page.goto(`${url}/`, { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, `blind-${name}.png`) });
    const out = {
      state: (await page.locator("#verdict-state").textContent()) ?? "",
      reason: (await page.locator("#verdict-reason").textContent()) ?? "",
      // What a person reads first: the first section's text.
      first: (await page.locator("main > section").first().textContent()) ?? "",
    };
    await page.close();
    return out;
  }

  it("missing directory: ENOENT and what to do, in the verdict", async () => {
    const logs = join(mkdtempSync(join(tmpdir(), "blind-missing-")), "openclaw");
    const p = await pageOf("missing", logs);
    expect(p.state).toBe("UNKNOWN");
    expect(p.reason).toContain(`${logs} does not exist (ENOENT)`);
    expect(p.reason).toMatch(/start OpenClaw once, or point --logs/);
    expect(p.first).toContain("ENOENT");
  }, 30_000);

  it.skipIf(!canDrop)("unreadable directory: EACCES as the sidecar's uid and what to do, in the verdict", async () => {
    const logs = mkdtempSync(join(tmpdir(), "blind-unreadable-"));
    writeFileSync(join(logs, "openclaw-2026-12-07.log"), "");
    // The gateway user's, mode 0700, as OpenClaw leaves /tmp/openclaw.
    chownSync(logs, GATEWAY_UID, GATEWAY_UID);
    chmodSync(logs, 0o700);
    // Can nobody run this checkout's CLI (its Node, its sources)? Where CI clones under /root, not.
    const [file, argv] = asNobody([process.execPath, "-e", `require("node:fs").accessSync(${JSON.stringify(CLI)}, 4)`]);
    const nobody = spawnSync(file, argv, { timeout: 10_000 }).status === 0;
    const p = await pageOf("unreadable", logs, nobody ? asNobody : withoutDac, nobody ? NOBODY : undefined);
    expect(p.state).toBe("UNKNOWN");
    expect(p.reason).toContain(`cannot read the log directory ${logs} (EACCES as uid ${nobody ? NOBODY : 0}`);
    expect(p.reason).toMatch(/run the sidecar as the gateway's user, or grant read access \(setfacl .*keep cap_add DAC_READ_SEARCH$/);
    expect(p.first).toContain("EACCES");
  }, 30_000);
});
