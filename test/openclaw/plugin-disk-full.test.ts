/**
 * plugin_disk_full: the companion plugin's real writer on a real, tiny tmpfs (own mount
 * namespace, root) that fills up while it writes (plugin-disk-full.child.ts). A write cut
 * short must not glue the loss marker to the cut line: every line after a fragment starts
 * fresh, the markers add up to exactly the events missing, and the sidecar's `run` turns
 * those markers into openclaw_log_dropped_total on /metrics. Before the fix, 2,538 of 10,000
 * events vanished with no readable marker and a failed marker batch lost its count.
 * CI runs as root: there a missing tmpfs fails instead of skipping.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startCli } from "../sidecar/helpers.ts";
import { canMountTmpfs, withTmpfs } from "../tail/tmpfs.ts";

const CHILD = join(import.meta.dirname, "plugin-disk-full.child.ts");
const REQUIRED = process.env.CI === "true" || process.env.OPENCLAW_STACK_REQUIRED === "1";
const CAN = canMountTmpfs();

interface Outcome { pushed: number; stats: Record<string, number>; flushes: Array<{ written: number; dropped: number; torn: number }>; files: Record<string, string> }

function runChild(which: string, sizeKiB: number): Outcome {
  if (!CAN) throw new Error("needs root and unshare to mount a tmpfs (required in CI)");
  const dir = mkdtempSync(join(tmpdir(), "plugin-full-"));
  try {
    const [file, args] = withTmpfs(dir, sizeKiB, [process.execPath, CHILD, dir, which]);
    return JSON.parse(execFileSync(file, args, { encoding: "utf8", maxBuffer: 64 << 20 })) as Outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each line of a file as the sidecar's reader splits it: parsed JSON, or the raw text of a fragment. */
function split(text: string): Array<{ json?: Record<string, unknown>; raw: string }> {
  expect(text.endsWith("\n")).toBe(true);
  return text.slice(0, -1).split("\n").map((raw) => {
    try { return { json: JSON.parse(raw) as Record<string, unknown>, raw }; } catch { return { raw }; }
  });
}

async function scrapeUntil(url: string, done: (text: string) => boolean): Promise<string> {
  let text = "";
  for (let i = 0; i < 400; i++) {
    text = await (await fetch(`${url}/metrics`)).text();
    if (done(text)) return text;
    await new Promise((r) => setTimeout(r, 25));
  }
  return text;
}
const sample = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? 0);

describe.skipIf(!CAN && !REQUIRED)("companion plugin on a full disk", () => {
  it("plugin_disk_full: every later line starts fresh, markers count exactly the missing events, and reach /metrics", async () => {
    const out = runChild("torn", 4096);
    const names = Object.keys(out.files);
    expect(names).toEqual(["diagnostics-2026-09-06.jsonl"]);
    const lines = split(out.files[names[0]!]!);
    const events = lines.filter((l) => l.json?.type === "queue.lane.enqueue");
    const markers = lines.filter((l) => l.json?.type === "sidecar.dropped");
    const fragments = lines.filter((l) => l.json === undefined);
    // The case did what it says: a line was cut, a whole flush failed (its marker with it).
    expect(fragments.length).toBeGreaterThanOrEqual(1);
    expect(out.flushes[1]!.written).toBe(out.flushes[0]!.written);
    // Every line is an event, a marker or a fragment; a fragment never swallows a marker.
    expect(events.length + markers.length + fragments.length).toBe(lines.length);
    for (const f of fragments) expect(f.raw).not.toContain("sidecar.dropped");
    const seqs = events.map((e) => e.json!.seq as number);
    expect(new Set(seqs).size).toBe(seqs.length);
    const missing = 10_000 - seqs.length;
    expect(missing).toBeGreaterThan(0);
    expect(markers.reduce((n, m) => n + (m.json!.dropped as number), 0)).toBe(missing);
    expect(out.stats).toMatchObject({ written: seqs.length, dropped: missing, queued: 0 });
    // The events that are there are the first ones and the last ones, in order.
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBe(9_999);

    // The sidecar reads the same file: the markers' total is openclaw_log_dropped_total.
    const logs = mkdtempSync(join(tmpdir(), "plugin-full-logs-"));
    const state = mkdtempSync(join(tmpdir(), "plugin-full-state-"));
    writeFileSync(join(logs, names[0]!), out.files[names[0]!]!);
    const child = startCli(["run", "--logs", logs, "--state-dir", state, "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "50"]);
    try {
      const url = await child.url;
      const ENQ = /^openclaw_queue_lane_enqueue_total\{[^}]*\} (\d+)$/gm;
      const enqueued = (t: string) => [...t.matchAll(ENQ)].reduce((n, m) => n + Number(m[1]), 0);
      const text = await scrapeUntil(url, (t) => enqueued(t) === seqs.length);
      expect(enqueued(text)).toBe(seqs.length);
      expect(sample(text, /^openclaw_log_dropped_total\{[^}]*openclaw_kind="plugin_queue_overflow"[^}]*\} (\d+)$/m)).toBe(missing);
      expect(sample(text, /^openclaw_log_loss_total\{[^}]*openclaw_kind="plugin_queue_overflow"[^}]*\} (\d+)$/m)).toBe(markers.length);
      expect(sample(text, /^openclaw_sidecar_lines_rejected_total\{[^}]*reason="invalid_json"[^}]*\} (\d+)$/m)).toBe(fragments.length);
    } finally {
      child.proc.kill("SIGTERM");
      await child.exited;
      rmSync(logs, { recursive: true, force: true });
      rmSync(state, { recursive: true, force: true });
    }
  }, 60_000);

  it("a line cut just before its newline is whole again once the next write supplies it", () => {
    const out = runChild("whole-but-newline", 256);
    const lines = split(out.files["diagnostics-2026-09-06.jsonl"]!);
    expect(lines.map((l) => l.json?.seq)).toEqual([0, 1, 2]);
    expect(out.stats).toMatchObject({ written: 3, dropped: 0, torn: 1 });
  });
});
