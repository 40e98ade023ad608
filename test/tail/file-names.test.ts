import { describe, expect, it } from "vitest";
import { classifyFileName, compareFileNames } from "../../src/tail/file-names.ts";

describe("classifyFileName", () => {
  it("reads the default-profile live log with an empty profile", () => {
    expect(classifyFileName("openclaw-2026-11-21.log")).toEqual({ source: "log", profile: "", date: "2026-11-21", rotation: 0 });
  });
  it("reads a profile-qualified log name", () => {
    expect(classifyFileName("openclaw-dev-2026-11-21.log")).toEqual({ source: "log", profile: "dev", date: "2026-11-21", rotation: 0 });
    expect(classifyFileName("openclaw-my--bot-1x-2026-11-21.log")?.profile).toBe("my--bot-1x");
  });
  it("reads size-rotated names with their rotation number", () => {
    expect(classifyFileName("openclaw-2026-11-21.1.log")).toEqual({ source: "log", profile: "", date: "2026-11-21", rotation: 1 });
    expect(classifyFileName("openclaw-dev-2026-11-21.5.log")?.rotation).toBe(5);
  });
  it("reads diagnostics JSONL names, with or without profile", () => {
    expect(classifyFileName("diagnostics-2026-11-21.jsonl")).toEqual({ source: "diagnostics", profile: "", date: "2026-11-21", rotation: 0 });
    expect(classifyFileName("diagnostics-dev-2026-11-21.jsonl")?.profile).toBe("dev");
  });
  it("ignores everything else", () => {
    for (const name of [
      "openclaw.log",
      "openclaw-2026-11-21.log.gz",
      "openclaw-2026-11-21.0.log",
      "openclaw-Dev-2026-11-21.log",
      "clawdbot-2026-11-21.log",
      "diagnostics-2026-11-21.json",
      "openclaw-2026-11-21.jsonl",
      "checkpoint.json",
      ".openclaw-2026-11-21.log.swp",
    ]) {
      expect(classifyFileName(name), name).toBeUndefined();
    }
  });
});

describe("compareFileNames", () => {
  it("orders the oldest rotation first and the live file last within one day", () => {
    const names = ["openclaw-2026-11-21.log", "openclaw-2026-11-21.1.log", "openclaw-2026-11-20.log", "openclaw-2026-11-21.2.log"];
    const sorted = names.map((n) => ({ n, i: classifyFileName(n)! })).sort((a, b) => compareFileNames(a.i, b.i)).map((x) => x.n);
    expect(sorted).toEqual(["openclaw-2026-11-20.log", "openclaw-2026-11-21.2.log", "openclaw-2026-11-21.1.log", "openclaw-2026-11-21.log"]);
  });
});
