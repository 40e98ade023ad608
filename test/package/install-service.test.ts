/**
 * install-service's unit for installs in awkward places: a node and a package under paths with
 * spaces, `%` and `$` (systemd splits ExecStart= on spaces and expands both) still verify and
 * name exactly those files; an existing unit is kept unless --force.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unitFor } from "../../src/commands/install-service.ts";
import { canRun } from "../support/required.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "src", "cli.ts");
const analyze = canRun("install-service quoting", existsSync("/usr/bin/systemd-analyze") ? undefined : "needs /usr/bin/systemd-analyze (Debian's systemd)");

describe.runIf(analyze)("install-service", () => {
  it("quotes a node and a package path holding spaces, % and $: systemd-analyze verify finds that node", () => {
    const base = mkdtempSync(join(tmpdir(), "unit-quoting-"));
    const odd = join(base, "my node % $HOME");
    mkdirSync(join(odd, "pkg", "deploy"), { recursive: true });
    mkdirSync(join(odd, "pkg", "bin"));
    cpSync(join(ROOT, "deploy", "openclaw-otel-sidecar.service"), join(odd, "pkg", "deploy", "openclaw-otel-sidecar.service"));
    writeFileSync(join(odd, "pkg", "bin", "openclaw-otel.mjs"), "");
    symlinkSync(process.execPath, join(odd, "node"));
    const unit = join(base, "openclaw-otel-sidecar.service");
    writeFileSync(unit, unitFor(join(odd, "node"), join(odd, "pkg")));
    const v = spawnSync("systemd-analyze", ["--man=no", "verify", unit], { encoding: "utf8", timeout: 30_000 });
    expect(v.stderr).toBe("");
    expect(v.status).toBe(0);
    const exec = /^ExecStart=(.*)$/m.exec(readFileSync(unit, "utf8"))![1]!;
    // % doubled everywhere, $ doubled in the argument only (systemd expands no variable in the command).
    const pct = odd.replace("%", "%%");
    expect(exec).toBe(`"${pct}/node" "${pct.replace("$", "$$$$")}/pkg/bin/openclaw-otel.mjs" run`);
  });

  it("writes into --unit-dir, and keeps an existing unit unless --force", () => {
    const dir = mkdtempSync(join(tmpdir(), "unit-dir-"));
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, "install-service", "--unit-dir", dir, ...args], { encoding: "utf8", timeout: 30_000 });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(`wrote ${join(dir, "openclaw-otel-sidecar.service")}`);
    expect(readFileSync(join(dir, "openclaw-otel-sidecar.service"), "utf8")).toContain(`ExecStart=${process.execPath} ${join(ROOT, "bin", "openclaw-otel.mjs")} run`);
    const again = run();
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; --force replaces it/);
    expect(run("--force").status).toBe(0);
  });
});
