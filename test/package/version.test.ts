/**
 * One version: package.json's. The CLI and the page read it from there (src/sidecar/version.ts);
 * the companion plugin's manifests must carry the same, and no source file may spell it again.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/sidecar/version.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const versionOf = (...p: string[]) => (JSON.parse(readFileSync(join(ROOT, ...p), "utf8")) as { version: string }).version;

describe("the version", () => {
  const version = versionOf("package.json");
  it("is package.json's in the CLI and the page", () => {
    expect(VERSION).toBe(version);
  });
  it("is the same in the companion plugin's manifests", () => {
    expect(versionOf("plugin", "package.json")).toBe(version);
    expect(versionOf("plugin", "openclaw.plugin.json")).toBe(version);
  });
  it("is spelled in no source file", () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
    const spelled = files(join(ROOT, "src")).filter((f) => readFileSync(f, "utf8").includes(`"${version}"`));
    expect(spelled).toEqual([]);
  });
});
