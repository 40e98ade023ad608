/**
 * plugin-disk-full: the companion plugin's real writer on a small tmpfs (own mount namespace,
 * root) that is filled and freed at random while seeded chunks of events, short and long,
 * arrive across local midnight (test/openclaw/plugin-disk-full.child.ts, "cycles"). Truth is
 * what was pushed (seq 0..N-1): every event is either in a file, once, or counted in a
 * `sidecar.dropped` marker that is a line of its own; `run` over the files shows the same on
 * /metrics (events, openclaw_log_dropped_total, one invalid_json per torn fragment).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../sidecar/helpers.ts";
import { canMountTmpfs, withTmpfs } from "../tail/tmpfs.ts";
import { cannotRun, measured, measuredRun, replayUsage, started, stop, tempDir, type Ctx, type Row } from "./lib.ts";

const CHILD = join(import.meta.dirname, "../openclaw/plugin-disk-full.child.ts");
const ENQUEUED = /^openclaw_queue_lane_enqueue_total\{[^}]*\} (\d+)$/gm;
const DROPPED = /^openclaw_log_dropped_total\{[^}]*openclaw_kind="plugin_queue_overflow"[^}]*\} (\d+)$/m;
const INVALID = /^openclaw_sidecar_lines_rejected_total\{[^}]*reason="invalid_json"[^}]*\} (\d+)$/m;

interface Tally { events: number; unique: number; markers: number; markerSum: number; fragments: number; unterminated: number }

/** What the files hold, read with plain JSON.parse (not the sidecar's parser). */
function tally(files: Record<string, string>): Tally {
  const t: Tally = { events: 0, unique: 0, markers: 0, markerSum: 0, fragments: 0, unterminated: 0 };
  const seqs = new Set<number>();
  for (const text of Object.values(files)) {
    if (!text.endsWith("\n")) t.unterminated++;
    for (const raw of text.slice(0, -1).split("\n")) {
      let j: { type?: string; seq?: number; dropped?: number };
      try { j = JSON.parse(raw) as typeof j; } catch { t.fragments++; continue; }
      if (j.type === "sidecar.dropped") { t.markers++; t.markerSum += j.dropped ?? 0; } else { t.events++; seqs.add(j.seq ?? -1); }
    }
  }
  t.unique = seqs.size;
  return t;
}

export async function pluginDiskFullScenario(ctx: Ctx): Promise<Row> {
  const scenario = "plugin disk full (writer on tmpfs)";
  // CI runs as root: there a scenario that cannot run fails instead of passing as skipped.
  if (!canMountTmpfs()) return cannotRun(scenario, "needs root + unshare", "cannot mount a tmpfs");
  const count = ctx.quick ? 10_000 : 50_000;
  const mnt = tempDir(ctx, "plugin-full");
  const [file, args] = withTmpfs(mnt, ctx.quick ? 8192 : 32768, [process.execPath, CHILD, mnt, "cycles", String(Math.floor(ctx.rand() * 1e9)), String(count)]);
  const out = JSON.parse(execFileSync(file, args, { encoding: "utf8", maxBuffer: 1 << 30 })) as { pushed: number; stats: Record<string, number>; files: Record<string, string> };
  const t = tally(out.files);
  const missing = count - t.unique;

  const logs = tempDir(ctx, "plugin-full-logs");
  const paths = Object.entries(out.files).map(([name, text]) => { writeFileSync(join(logs, name), text); return join(logs, name); });
  const { child, out: usage } = measuredRun(ctx, ["run", "--logs", logs, "--state-dir", tempDir(ctx, "plugin-full-state"), "--from-beginning", "--listen", "127.0.0.1:0", "--poll-interval", "20"]);
  const url = await started(child, child.url);
  let text = "";
  const enqueued = () => [...text.matchAll(ENQUEUED)].reduce((n, m) => n + Number(m[1]), 0);
  await waitFor(async () => { text = await (await fetch(`${url}/metrics`)).text(); return enqueued() >= t.events; });
  const seen = { events: enqueued(), dropped: Number(DROPPED.exec(text)?.[1] ?? 0), invalid: Number(INVALID.exec(text)?.[1] ?? 0) };
  const code = await stop(child);

  const pass = out.pushed === count && t.unterminated === 0 && t.events === t.unique && t.markerSum === missing
    && t.fragments > 0 && out.stats.dropped === missing && out.stats.written === t.unique
    && seen.events === t.unique && seen.dropped === missing && seen.invalid === t.fragments && code === 0;
  return {
    scenario, trials: 1,
    expected: `${count} = in files + in markers; /metrics the same`,
    observed: `${t.unique} in ${paths.length} files + ${t.markerSum} in ${t.markers} markers (${t.fragments} torn, ${t.unterminated} unterminated); /metrics ${seen.events} + ${seen.dropped} dropped, ${seen.invalid} invalid_json`,
    pass, usage: measured(usage), baseline: replayUsage(ctx, paths), bound: { rss: 2.5, cpu: 8 },
  };
}
