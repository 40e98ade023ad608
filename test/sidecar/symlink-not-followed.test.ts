/**
 * Issue 20, item 4: links named like a log are never followed. Run as root (as the compose
 * stack does), a link `openclaw-DATE.log -> /root/secret.json` used to put the root-only
 * file's field values on /metrics, the page, /status.json and the checkpoint. The real CLI
 * here reads a directory holding one real JSONL and two such links to a 0600 file outside it;
 * nothing of that file may leave the process, and each link is warned about once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkpointLinesRead, linesReadIn, startCli, waitFor, type Child } from "./helpers.ts";

const children: Child[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) { c.proc.kill("SIGKILL"); await c.exited; }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A companion-plugin usage line whose provider and model carry `key`. */
const usageLine = (key: string, i: number) => JSON.stringify({
  type: "model.usage", sessionKey: `agent:main:telegram:direct:${i}`, channel: "telegram", agentId: "main",
  provider: `prov-${key}`, model: `model-${key}`, usage: { input: 100 + i, output: 20, total: 120 + i }, costUsd: 0.001,
  durationMs: 100, ts: Date.now() - 3_600_000 + i, seq: i,
});

describe("symbolic links in the log directory", () => {
  it("are skipped with one warning each: nothing of their target reaches /metrics, /status.json, /healthz or the checkpoint", async () => {
    const root = mkdtempSync(join(tmpdir(), "oc-symlink-"));
    dirs.push(root);
    const logs = join(root, "logs");
    const state = join(root, "state");
    const secretDir = join(root, "root-only");
    for (const d of [logs, secretDir]) mkdirSync(d);
    const secret = join(secretDir, "secret.json");
    writeFileSync(secret, Array.from({ length: 40 }, (_, i) => `${usageLine("s3cr3tvalue", i)}\n`).join(""), { mode: 0o600 });
    const real = Array.from({ length: 7 }, (_, i) => usageLine("real", i));
    writeFileSync(join(logs, "diagnostics-2026-12-06.jsonl"), real.map((l) => `${l}\n`).join(""));
    const links = ["openclaw-2026-12-07.log", "diagnostics-2026-12-07.jsonl"];
    for (const l of links) symlinkSync(secret, join(logs, l));

    const c = startCli(["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50", "--checkpoint-interval", "100"]);
    children.push(c);
    const url = await c.url;
    const metrics = async () => (await fetch(`${url}/metrics`)).text();
    expect(await waitFor(async () => linesReadIn(await metrics()) >= real.length, 20_000), `real lines never counted:\n${c.stderr()}`).toBe(true);
    expect(await waitFor(() => { const n = checkpointLinesRead(state); return typeof n === "number" && n >= real.length; }, 20_000), `no checkpoint with the real lines:\n${c.stderr()}`).toBe(true);
    expect(checkpointLinesRead(state)).toBe(real.length);
    // Several more polls, so a link read late would show.
    await new Promise((r) => setTimeout(r, 300));

    const text = await metrics();
    expect(linesReadIn(text)).toBe(real.length);
    expect(text).toContain("model-real");
    const status = await (await fetch(`${url}/status.json`)).text();
    const health = (await (await fetch(`${url}/healthz`)).json()) as { linksSkipped: number };
    const checkpoint = readFileSync(join(state, "checkpoint.json"), "utf8");
    for (const [where, body] of [["/metrics", text], ["/status.json", status], ["checkpoint", checkpoint]] as const) {
      expect(body, `${where} shows the link's target`).not.toContain("s3cr3tvalue");
      for (const l of links) expect(body, `${where} names ${l}`).not.toContain(l);
    }
    expect(health.linksSkipped).toBe(2);
    for (const l of links) {
      const warnings = c.stderr().split("\n").filter((line) => line.includes(`${join(logs, l)}: skipped: a symbolic link`));
      expect(warnings, `one warning for ${l}:\n${c.stderr()}`).toHaveLength(1);
    }
    c.proc.kill("SIGTERM");
    expect(await c.exited).toBe(0);
    expect(readFileSync(join(state, "checkpoint.json"), "utf8")).not.toContain("s3cr3tvalue");
  }, 60_000);
});
