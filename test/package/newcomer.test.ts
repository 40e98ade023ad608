/**
 * The first ten minutes (issue 24), scripted: a fresh `git clone` of this repository, the
 * machine's Node 20 first on PATH, then the README's first command exactly as written there
 * (read out of README.md, not copied here): one line saying which Node it needs. Then Node 24
 * got the way the README tells a newcomer (its `source scripts/...` command, run in the clone)
 * and the same command: a working sidecar, /metrics and the page answering on 127.0.0.1.
 * The defaults are moved by environment only (a temp log and state dir, port 0), so the command
 * stays as typed and /tmp/openclaw is left alone. npm uses its cache (prefer-offline): CI's own
 * `npm ci` filled it, so the clone's install costs seconds, not a download.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";
import { linesReadIn } from "../sidecar/helpers.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const NODE20 = "/usr/bin/node";
const LOG = join(ROOT, "test", "fixtures", "real", "openclaw-2026-11-21.log");
const ONE_LINE = /^openclaw-otel needs Node >= 22\.12 \(24 recommended, as OpenClaw uses\); this is v20\.\d+\.\d+\. Install Node 24 .*ensure-node\.sh`\.\n$/;

/** The README's first command and how it says to get Node 24, both from "## Two commands". */
function readmeCommands(): { first: string; getNode: string } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Two commands"));
  if (!section) throw new Error("README.md has no '## Two commands' section");
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const first = block.split("\n")[0]!.replace(/\s+#.*$/, "").trim();
  const getNode = /`(source scripts\/[^`]+)`/.exec(section)?.[1];
  if (!first || !getNode) throw new Error("README.md's 'Two commands' lacks the command block or the way to get Node 24");
  return { first, getNode };
}

const node20Major = existsSync(NODE20) ? Number(execFileSync(NODE20, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).trim()) : NaN;
const ok = canRun("newcomer", node20Major === 20 ? (existsSync(join(ROOT, ".git")) ? undefined : "not a git checkout") : `${NODE20} is not Node 20`);

describe.runIf(ok)("a newcomer's first ten minutes, from a fresh clone", () => {
  const work = mkdtempSync(join(tmpdir(), "newcomer-"));
  const clone = join(work, "openclaw-otel-sidecar");
  const logs = join(work, "logs"), state = join(work, "state");
  // Node 20's npm and node first, as on this kind of machine; HOME's npm cache kept (it is the cache CI filled).
  const env = {
    ...process.env, PATH: `/usr/bin:/bin:/usr/sbin:/sbin`, npm_config_prefer_offline: "true", npm_config_fund: "false", npm_config_audit: "false",
    OPENCLAW_OTEL_LOGS: logs, OPENCLAW_OTEL_STATE_DIR: state, OPENCLAW_OTEL_LISTEN: "127.0.0.1:0", OPENCLAW_OTEL_FROM_BEGINNING: "true",
    OPENCLAW_STATE_DIR: join(work, "no-openclaw-state"),
  };
  for (const k of Object.keys(env)) if (k.startsWith("npm_") && !/^npm_config_(prefer_offline|fund|audit|cache)$/.test(k)) delete (env as Record<string, unknown>)[k];
  for (const k of ["NODE_OPTIONS", "NODE", "INIT_CWD"]) delete (env as Record<string, unknown>)[k];
  const seconds: Record<string, number> = {};
  afterAll(() => { console.log(`newcomer timings (s): ${JSON.stringify(seconds)}`); rmSync(work, { recursive: true, force: true }); });

  it("Node 20: the README's first command says in one line which Node it needs", () => {
    const t0 = Date.now();
    execFileSync("git", ["clone", "--quiet", ROOT, clone]);
    const { first } = readmeCommands();
    const r = spawnSync("bash", ["-c", `exec 2>&1; ${first}`], { cwd: clone, env, encoding: "utf8", timeout: 60_000 });
    seconds.node20 = (Date.now() - t0) / 1000;
    expect(r.stdout).toMatch(ONE_LINE);
    expect(r.status).toBe(1);
    expect(existsSync(join(clone, "node_modules"))).toBe(false);
  }, 90_000);

  it("Node 24 the README's way: the same command runs a sidecar that answers /metrics and the page", async () => {
    mkdirSync(logs);
    copyFileSync(LOG, join(logs, "openclaw-2026-11-21.log"));
    const lines = readFileSync(LOG, "utf8").split("\n").filter((l) => l.length > 0).length;
    const { first, getNode } = readmeCommands();
    const t0 = Date.now();
    const child = spawn("bash", ["-c", `${getNode} && node --version >&2 && ${first}`], { cwd: clone, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no sidecar within 240 s:\n${out}`)), 240_000);
        child.stderr.on("data", () => { const m = /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out); if (m) { clearTimeout(timer); resolve(m[1]!); } });
        void exited.then((c) => { clearTimeout(timer); reject(new Error(`exited ${c} before serving:\n${out}`)); });
      });
      seconds.node24ToServing = (Date.now() - t0) / 1000;
      expect(out).toMatch(/^v24\./m);
      // Every line of the log read (counted by the file, not by the sidecar).
      let metrics = "";
      for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 200))) {
        metrics = await (await fetch(`${url}/metrics`)).text();
        if (linesReadIn(metrics) >= lines) break;
      }
      expect(linesReadIn(metrics)).toBe(lines);
      const page = await fetch(`${url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<div id="verdict-state">(HEALTHY|DEGRADED|DOWN)<\/div>/);
      expect(existsSync(join(state))).toBe(true);
    } finally {
      try { process.kill(-child.pid!, "SIGTERM"); } catch { /* already gone */ }
      await exited;
    }
  }, 300_000);
});
