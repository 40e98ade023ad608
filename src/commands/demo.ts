/**
 * `openclaw-otel demo`: replays the bundled real captures (a 2026.9.6 gateway log and the
 * plugin's JSONL, recorded by `npm run test:openclaw`) into a temporary log directory at their
 * original pace sped up by --speed, with a live sidecar following it: the status page and
 * /metrics on 127.0.0.1 come alive in one command, before any gateway is wired. State lives in
 * a temporary directory removed on Ctrl-C.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseConfig } from "../config/config.ts";
import { createLogger } from "../sidecar/log.ts";
import { Sidecar } from "../sidecar/sidecar.ts";
import { UsageError } from "./usage-error.ts";

export const DEMO_HELP = `openclaw-otel demo [--speed N] [--listen HOST:PORT] [--from DIR]

Replays real OpenClaw 2026.9.6 captures (about 2 minutes: healthy turns, 401s on both keys of a
provider, a 429 storm with cooldowns, fallbacks, timeouts, a 402 and every model failing) into
a live sidecar, N times faster than recorded, and serves the status page and /metrics.

  --speed N           replay speed (default 4: the capture then takes about 30 s)
  --listen HOST:PORT  where the page and /metrics are served (default 127.0.0.1:9464)
  --from DIR          another directory of captures (openclaw-*.log, diagnostics-*.jsonl)

The captures ship with the source repository (test/fixtures/real/); an installed package
needs --from. Ctrl-C stops the sidecar and removes the temporary directory.
`;

interface Line { file: string; ts: number; text: string }

/** The captures: `demo/` beside the sidecar when present, else the repository's fixture. */
export function captureDir(): string | undefined {
  const root = join(import.meta.dirname, "..", "..");
  for (const d of [join(root, "demo"), join(root, "test", "fixtures", "real"), join(root, "..", "test", "fixtures", "real")]) {
    if (existsSync(d) && readdirSync(d).some((f) => /^openclaw-.*\.log$/.test(f))) return d;
  }
  return undefined;
}

/** Every line of the captures with its time, in time order (a line with no time keeps the previous one's). */
export function captureLines(dir: string): Line[] {
  const out: Line[] = [];
  for (const file of readdirSync(dir).filter((f) => /^(openclaw-.*\.log|diagnostics-.*\.jsonl)$/.test(f)).sort()) {
    let last = 0;
    for (const text of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (text === "") continue;
      const iso = /"time":"([^"]+)"/.exec(text)?.[1];
      const ms = /"ts":(\d{12,14})[,}]/.exec(text)?.[1];
      const ts = iso !== undefined ? Date.parse(iso) : ms !== undefined ? Number(ms) : NaN;
      if (Number.isFinite(ts)) last = ts;
      out.push({ file, ts: last, text });
    }
  }
  // Stable: lines of one file with equal times keep their order.
  return out.sort((a, b) => a.ts - b.ts);
}

function parseDemoArgs(argv: string[]): { speed: number; listen: string; from?: string } {
  let speed = 4, listen = "127.0.0.1:9464", from: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, v = argv[i + 1];
    if (a === "--speed" || a === "--listen" || a === "--from") {
      if (v === undefined) throw new UsageError(`${a} needs a value\n\n${DEMO_HELP}`);
      i++;
      if (a === "--speed") {
        speed = Number(v);
        if (!Number.isFinite(speed) || speed <= 0 || speed > 1_000_000) throw new UsageError(`--speed must be a number above 0, got "${v}"`);
      } else if (a === "--listen") listen = v;
      else from = v;
    } else throw new UsageError(`unknown argument "${a}"\n\n${DEMO_HELP}`);
  }
  return { speed, listen, ...(from === undefined ? {} : { from }) };
}

/** Runs until `stop` resolves (Ctrl-C in the CLI); returns after cleaning up. */
export async function demo(argv: string[], stop: Promise<unknown>, err: (s: string) => void = (s) => process.stderr.write(s)): Promise<void> {
  const args = parseDemoArgs(argv);
  const dir = args.from ?? captureDir();
  if (dir === undefined) throw new UsageError("no bundled captures found (they ship with the source repository, test/fixtures/real/); pass --from DIR");
  const lines = captureLines(dir);
  if (lines.length === 0) throw new UsageError(`no openclaw-*.log or diagnostics-*.jsonl lines in ${dir}`);
  const tmp = mkdtempSync(join(tmpdir(), "openclaw-otel-demo-"));
  const logs = join(tmp, "logs");
  mkdirSync(logs);
  for (const f of new Set(lines.map((l) => l.file))) writeFileSync(join(logs, basename(f)), "");
  const cfg = parseConfig(["--logs", logs, "--state-dir", join(tmp, "state"), "--from-beginning", "--listen", args.listen, "--poll-interval", "100"], {});
  const sidecar = new Sidecar(cfg, createLogger("warn"));
  let stopped = false;
  try {
    await sidecar.start();
    const span = lines[lines.length - 1]!.ts - lines[0]!.ts;
    err(`demo: replaying ${lines.length} lines from ${dir} (${Math.round(span / 1000)} s recorded) at ${args.speed}x into ${logs}\n`);
    err(`demo: status page ${sidecar.http?.url}/  metrics ${sidecar.http?.url}/metrics  (Ctrl-C to stop)\n`);
    const t0 = lines[0]!.ts, start = Date.now();
    let next = 0;
    void stop.then(() => { stopped = true; });
    while (!stopped && next < lines.length) {
      const due = t0 + (Date.now() - start) * args.speed;
      const batch = new Map<string, string[]>();
      while (next < lines.length && lines[next]!.ts <= due) {
        const l = lines[next++]!;
        const b = batch.get(l.file) ?? [];
        b.push(l.text);
        batch.set(l.file, b);
      }
      for (const [f, b] of batch) appendFileSync(join(logs, f), b.join("\n") + "\n");
      if (next < lines.length) await Promise.race([new Promise((r) => setTimeout(r, 50)), stop]);
    }
    if (!stopped) err("demo: replay finished; the page keeps serving (Ctrl-C to stop)\n");
    await stop;
  } finally {
    await sidecar.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
