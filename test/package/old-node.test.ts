/**
 * A Node too old for the sidecar gets one line saying which version it is and how to get Node
 * 24, from the installed command, `npm start` and `npm run demo`, before anything of the CLI is
 * loaded (issue 24: on Node 20 `npm start` ran silently and the demo crashed on `.ts`). Proved
 * with the machine's own Node 20 where it has one (these machines and CI ship it), and by
 * making Node 24 report an old version.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canRun } from "../support/required.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "openclaw-otel.mjs");
const ONE_LINE = /^openclaw-otel needs Node >= 22\.12 \(24 recommended, as OpenClaw uses\); this is v\d+\.\d+\.\d+\. Install Node 24 .*ensure-node\.sh`\.\n$/;

/** Node 24 made to say it is `version` before the command loads. */
function asIfNode(version: string, args: string[]) {
  const fake = `Object.defineProperty(process, "versions", { value: { ...process.versions, node: "${version}" } }); Object.defineProperty(process, "version", { value: "v${version}" });`;
  return spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(fake)}`, ...args], { encoding: "utf8", timeout: 20_000 });
}

describe("an unsupported Node", () => {
  it("gets one line and exit 1 from the command, before the CLI is loaded", () => {
    for (const v of ["20.20.2", "22.11.0", "18.0.0"]) {
      const r = asIfNode(v, [BIN, "--version"]);
      expect(r.stderr, v).toMatch(ONE_LINE);
      expect(r.stderr, v).toContain(`this is v${v}.`);
      expect(r.stdout).toBe("");
      expect(r.status).toBe(1);
    }
  });

  it("passes a supported Node on to the CLI", () => {
    const r = asIfNode("22.12.0", [join(ROOT, "bin", "require-node.mjs")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("is checked first by npm start and npm run demo, and npm refuses to install on it", () => {
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toMatch(/^node bin\/openclaw-otel\.mjs /);
    expect(scripts.demo).toMatch(/^node bin\/require-node\.mjs && /);
    // engine-strict: `npm ci` on Node 20 stops with EBADENGINE naming "engines" instead of 86 warnings.
    expect(readFileSync(join(ROOT, ".npmrc"), "utf8")).toMatch(/^engine-strict=true$/m);
  });

  const node20 = "/usr/bin/node";
  const major = existsSync(node20) ? Number(execFileSync(node20, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).trim()) : NaN;
  const real = canRun("the machine's own old Node", major < 22 ? undefined : `${node20} is not an old Node (${Number.isNaN(major) ? "absent" : `v${major}`})`);
  it.runIf(real)("gets the same line from the machine's real old Node", () => {
    const r = spawnSync(node20, [BIN, "run"], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toMatch(ONE_LINE);
    expect(r.status).toBe(1);
  });
});
