/**
 * The npm package as a user gets it: `npm pack` (prepack builds dist/), the tarball unpacked as
 * node_modules/openclaw-otel-sidecar of a clean directory, and its bins run through `npm exec`
 * (what `npx openclaw-otel-sidecar` does): `help`, and a short `replay` of a real log.
 * Offline: the production dependencies (`npm ls --omit=dev`) are linked from this checkout, so a
 * runtime import of a devDependency or a file missing from `files` fails here. (`npm install
 * --offline` of the tarball needs every packument in the npm cache, which a checkout installed
 * with `npm ci` does not have: ENOTCACHED.)
 * From the packed CLI: `stack init` writes a stack that promtool and docker-compose accept, and
 * `install-service` writes a user unit with absolute paths that `systemd-analyze verify` passes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, stackBin } from "../stack/stack-helpers.ts";
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
      "deploy/openclaw-otel-sidecar.service", "prometheus/runbook.md", "docs/otel.md", "docs/stack.md", "README.md", "package.json",
      "docker-compose.yml", "otel-collector/config.yaml", "prometheus/prometheus.yml", "alertmanager/alertmanager.yml", "grafana/entrypoint.sh"]) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith("prometheus/tests/") || f.startsWith("grafana/build/"))).toEqual([]); // the stack's tests and builder stay in the repo
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

  const PROMTOOL = stackBin("promtool");
  const stackTools = canRun("stack init from the package", existsSync(PROMTOOL) ? (existsSync("/usr/bin/docker-compose") ? undefined : "docker-compose is absent") : `${PROMTOOL} is absent`);
  it.runIf(stackTools)("writes the stack with `stack init`: promtool check rules and docker-compose config -q accept it", () => {
    const out = join(dir, "stack");
    const init = spawnSync("npm", ["exec", "--offline", "--no", "--", "openclaw-otel", "stack", "init", out], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(init.status, init.stderr).toBe(0);
    // Every rule file and dashboard of this checkout, written out of the package.
    const rules = readdirSync(at("prometheus", "rules")).filter((f) => f.endsWith(".yml")).sort();
    expect(readdirSync(join(out, "prometheus", "rules")).sort()).toEqual(rules);
    expect(readdirSync(join(out, "grafana", "dashboards")).sort()).toEqual(readdirSync(at("grafana", "dashboards")).filter((f) => f.endsWith(".json")).sort());
    for (const f of [".env.example", "otel-collector/config.yaml", "prometheus/prometheus.yml", "alertmanager/alertmanager.yml", "grafana/entrypoint.sh",
      "grafana/provisioning/datasources/openclaw.yml", "sidecar/Dockerfile", "sidecar/app/bin/openclaw-otel.mjs", "sidecar/app/dist/src/cli.js"]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const check = spawnSync(PROMTOOL, ["check", "rules", ...rules.map((f) => join(out, "prometheus", "rules", f))], { encoding: "utf8", timeout: 60_000 });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout.match(/SUCCESS: \d+ rules found/g)).toHaveLength(rules.length);
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp" };
    const config = spawnSync("docker-compose", ["-f", join(out, "docker-compose.yml"), "config", "-q"], { cwd: out, env, encoding: "utf8", timeout: 60_000 });
    expect(config.stderr).toBe("");
    expect(config.status).toBe(0);
    // The sidecar builds from what was written, not from a checkout that is not there.
    const resolved = spawnSync("docker-compose", ["-f", join(out, "docker-compose.yml"), "config"], { cwd: out, env, encoding: "utf8", timeout: 60_000 });
    expect(resolved.stdout).toContain(`context: ${join(out, "sidecar")}`);
    // A second init leaves an edited stack alone.
    const again = spawnSync("npm", ["exec", "--offline", "--no", "--", "openclaw-otel", "stack", "init", out], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds .*--force overwrites them/);
  }, 120_000);

  const analyze = canRun("install-service unit", existsSync("/usr/bin/systemd-analyze") ? undefined : "needs /usr/bin/systemd-analyze (Debian's systemd)");
  it.runIf(analyze)("writes the user unit with `install-service`: absolute node and CLI paths, and systemd-analyze verify passes it", () => {
    const units = join(dir, "units");
    const r = spawnSync("npm", ["exec", "--offline", "--no", "--", "openclaw-otel", "install-service", "--unit-dir", units], { cwd: app, encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const unit = join(units, "openclaw-otel-sidecar.service");
    const text = readFileSync(unit, "utf8");
    // npm exec runs the bin with the node first on PATH: this test's own.
    const pkg = join(app, "node_modules", "openclaw-otel-sidecar");
    expect(text).toMatch(new RegExp(`^ExecStart=${process.execPath.replace(/[.+]/g, "\\$&")} ${pkg.replace(/[.+]/g, "\\$&")}/bin/openclaw-otel\\.mjs run$`, "m"));
    expect(text).toContain(`Documentation=file://${pkg}/README.md`);
    expect(existsSync(join(pkg, "README.md"))).toBe(true);
    expect(text).not.toMatch(/^(After|Wants|Requires)=.*network-online/m);
    const v = spawnSync("systemd-analyze", ["--man=no", "verify", unit], { encoding: "utf8", timeout: 30_000 });
    expect(v.status, v.stderr).toBe(0);
    expect(v.stderr).toBe("");
  }, 60_000);
});

// CI installs systemd (scripts/apt-packages.txt): there a missing systemd-analyze fails by name.
describe.skipIf(!canRun("systemd user unit", existsSync("/usr/bin/systemd-analyze") ? undefined : "needs /usr/bin/systemd-analyze (Debian's systemd)"))("systemd user unit", () => {
  it("passes systemd-analyze verify and keeps /tmp/openclaw visible", () => {
    const unit = at("deploy", "openclaw-otel-sidecar.service");
    const r = spawnSync("systemd-analyze", ["--man=no", "verify", unit], { encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(unit, "utf8");
    // Absolute paths: a user manager's PATH rarely holds Node 22+ (issue 24).
    expect(text).toMatch(/^ExecStart=\/\S+\/node \/\S+\/bin\/openclaw-otel\.mjs run$/m);
    expect(text).not.toMatch(/^(After|Wants|Requires)=.*network-online/m); // a user unit cannot wait for it
    // This project's README, beside the CLI that ExecStart= names (not systemd's man page).
    const cli = /^ExecStart=\S+ (\S+)\/bin\/openclaw-otel\.mjs run$/m.exec(text)?.[1];
    expect(text).toContain(`Documentation=file://${cli}/README.md`);
    expect(text).toMatch(/^StateDirectory=openclaw-otel-sidecar$/m);
    expect(text).not.toMatch(/^PrivateTmp=/m); // the gateway log is in /tmp/openclaw
    expect(text).toMatch(/^WantedBy=default\.target$/m);
  });
});
