import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CheckpointStore, defaultStateDir, type Checkpoint } from "../../src/tail/checkpoint.ts";

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "cp-test-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sample: Checkpoint = {
  version: 1,
  savedAt: 1763719200000,
  files: [{ path: "/tmp/openclaw/openclaw-2026-11-21.log", source: "log", profile: "", fingerprint: "ab".repeat(32), fingerprintBytes: 1024, offset: 4096 }],
  telemetry: { counters: { "openclaw.tokens": 12 } },
};

describe("CheckpointStore", () => {
  it("returns undefined when nothing was saved yet", () => {
    expect(new CheckpointStore(tempDir()).load()).toBeUndefined();
  });

  it("creates the state directory and round-trips the checkpoint, telemetry included", () => {
    const dir = join(tempDir(), "nested", "state");
    new CheckpointStore(dir).save(sample);
    expect(new CheckpointStore(dir).load()).toEqual(sample);
    expect(readdirSync(dir)).toEqual(["checkpoint.json"]); // no temp file left behind
  });

  it("replaces the previous checkpoint whole", () => {
    const dir = tempDir();
    const store = new CheckpointStore(dir);
    store.save(sample);
    store.save({ ...sample, files: [] });
    expect(JSON.parse(readFileSync(join(dir, "checkpoint.json"), "utf8")).files).toEqual([]);
  });

  it("refuses a corrupt file with a message naming it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "checkpoint.json"), '{"version":1,"files":[');
    const store = new CheckpointStore(dir);
    expect(() => store.load()).toThrow(`checkpoint file ${store.path} is corrupt`);
  });

  it("refuses another version with a message naming it", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "checkpoint.json"), JSON.stringify({ ...sample, version: 2 }));
    expect(() => new CheckpointStore(dir).load()).toThrow(/checkpoint\.json is unusable: unsupported version 2/);
  });

  it("refuses a file entry with a bad offset", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "checkpoint.json"), JSON.stringify({ ...sample, files: [{ ...sample.files[0], offset: -1 }] }));
    expect(() => new CheckpointStore(dir).load()).toThrow(/files\[0\]: offset/);
  });
});

describe("defaultStateDir", () => {
  it("uses XDG_STATE_HOME when it is absolute", () => {
    expect(defaultStateDir({ XDG_STATE_HOME: "/x/state", HOME: "/home/u" })).toBe("/x/state/openclaw-otel-sidecar");
  });
  it("falls back to ~/.local/state, ignoring a relative XDG_STATE_HOME", () => {
    expect(defaultStateDir({ HOME: "/home/u" })).toBe("/home/u/.local/state/openclaw-otel-sidecar");
    expect(defaultStateDir({ XDG_STATE_HOME: "rel", HOME: "/home/u" })).toBe("/home/u/.local/state/openclaw-otel-sidecar");
  });
});
