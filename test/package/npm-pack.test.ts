/**
 * The npm package as a user gets it: `npm pack` (prepack builds dist/), the tarball unpacked as
 * node_modules/openclaw-otel-sidecar of a clean directory, and its bins run through `npm exec`
 * (what `npx openclaw-otel-sidecar` does): `help`, and a short `replay` of a real log.
 * Offline: the production dependencies (`npm ls --omit=dev`) are linked from this checkout, so a
 * runtime import of a devDependency or a file missing from `files` fails here. (`npm install
 * --offline` of the tarball needs every packument in the npm cache, which a checkout installed
 * with `npm ci` does not have: ENOTCACHED.)
 * Also: the systemd user unit passes `systemd-analyze verify`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at } from "../stack/stack-helpers.ts";
import { canRun } from "../support/required.ts";

const ROOT = at();
const npm = (args: string[], cwd: string) => execFileSync("npm", args, { cwd, encoding: "utf8", timeout: 120_000, stdio: ["ignore", "pipe", "pipe"] });

describe("npm package", () => {
  let dir = "";
  let files: string[] = [];
  let app = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "npm-pack-"));
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], ROOT)) as { filename: string; files: { path: string }[] }[];
    files = packed[0]!.files.map((f) => f.path);
    app = join(dir, "app");
    const pkg = join(app, "node_modules", "openclaw-otel-sidecar");
    mkdirSync(pkg, { recursive: true });
    execFileSync("tar", ["-xzf", join(dir, packed[0]!.filename), "-C", pkg, "--strip-components=1"]);
    for (const line of npm(["ls", "--omit=dev", "--all", "--parseable"], ROOT).split("\n")) {
      const rel = line.startsWith(ROOT + "/") ? line.slice(ROOT.length + 1) : "";
      // Top-level packages only; nested node_modules come along inside them.
      if (!rel.startsWith("node_modules/") || rel.indexOf("/node_modules/") !== -1 || existsSync(join(app, rel))) continue;
      mkdirSync(dirname(join(app, rel)), { recursive: true });
      symlinkSync(join(ROOT, rel), join(app, rel));
    }
    const bins = (JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")) as { bin: Record<string, string> }).bin;
    mkdirSync(join(app, "node_modules", ".bin"));
    for (const [name, target] of Object.entries(bins)) {
      chmodSync(join(pkg, target), 0o755);
      symlinkSync(join("..", "openclaw-otel-sidecar", target), join(app, "node_modules", ".bin", name));
    }
  }, 180_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it("holds the built CLI, the plugin, the unit and the docs it points to, and no sources or tests", () => {
    for (const f of ["bin/openclaw-otel.mjs", "bin/require-node.mjs", "dist/src/cli.js", "dist/src/commands/doctor.js", "plugin/index.js", "plugin/secret-rules.js", "plugin/openclaw.plugin.json",
      "deploy/openclaw-otel-sidecar.service", "prometheus/runbook.md", "docs/otel.md", "README.md", "package.json"]) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith("test/") || (f.startsWith("src/") && f.endsWith(".ts")))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string }; bin: Record<string, string>; dependencies: Record<string, string> };
    expect(pkg.bin).toEqual({ "openclaw-otel": "bin/openclaw-otel.mjs", "openclaw-otel-sidecar": "bin/openclaw-otel.mjs" });
    expect(pkg.engines.node).toMatch(/^>=\d+/);
    for (const v of Object.values(pkg.dependencies)) expect(v).toMatch(/^\d+\.\d+\.\d+$/); // exact pins
  });

  it("runs as `npx openclaw-otel-sidecar`: help, and a short replay", () => {
    const exec = (args: string[]) => spawnSync("npm", ["exec", "--offline", "--no", "--", ...args], { cwd: app, encoding: "utf8", timeout: 60_000 });
    const help = exec(["openclaw-otel-sidecar", "help"]);
    expect(help.status, help.stderr).toBe(0);
    // The version is package.json's, read by the packed CLI (src/sidecar/version.ts).
    expect(help.stdout).toContain(`openclaw-otel ${JSON.parse(readFileSync(at("package.json"), "utf8")).version}`);
    expect(help.stdout).toMatch(/doctor \[options\]/);
    const replay = exec(["openclaw-otel", "replay", "--format", "prometheus", at("test", "fixtures", "real", "openclaw-2026-11-21.log")]);
    expect(replay.status, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^# TYPE openclaw_model_all_failed_total counter$/m);
  }, 120_000);
});

// CI installs systemd (scripts/apt-packages.txt): there a missing systemd-analyze fails by name.
describe.skipIf(!canRun("systemd user unit", existsSync("/usr/bin/systemd-analyze") ? undefined : "needs /usr/bin/systemd-analyze (Debian's systemd)"))("systemd user unit", () => {
  it("passes systemd-analyze verify and keeps /tmp/openclaw visible", () => {
    const unit = at("deploy", "openclaw-otel-sidecar.service");
    const r = spawnSync("systemd-analyze", ["--man=no", "verify", unit], { encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(unit, "utf8");
    expect(text).toMatch(/^ExecStart=\/usr\/bin\/env openclaw-otel run$/m);
    expect(text).toMatch(/^StateDirectory=openclaw-otel-sidecar$/m);
    expect(text).not.toMatch(/^PrivateTmp=/m); // the gateway log is in /tmp/openclaw
    expect(text).toMatch(/^WantedBy=default\.target$/m);
  });
});
