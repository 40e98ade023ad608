/**
 * A terminal line while `run` catches up on a backlog (a `--from-beginning` backfill, a restart
 * after hours down): bytes behind, read rate, ETA. Shown only when stderr is a terminal and
 * only while more than THRESHOLD bytes are unread, so a service's journal and a pipe stay quiet,
 * and a live gateway's few unread bytes per poll never flash a line.
 */

export const THRESHOLD_BYTES = 4 * 1024 * 1024;
const MB = 1024 * 1024;

export interface ProgressSample { atMs: number; behindBytes: number }

/** Whether to draw at all: a terminal, and not switched off. */
export function progressWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env["CI"] === undefined && env["TERM"] !== "dumb";
}

/**
 * The line for this sample, "" to clear a line shown before, or undefined to leave the terminal
 * alone. The rate is bytes read between the two samples (lines appended meanwhile make it a
 * slight underestimate, which keeps the ETA honest).
 */
export function progressText(prev: ProgressSample | undefined, cur: ProgressSample, shown: boolean): string | undefined {
  if (cur.behindBytes <= THRESHOLD_BYTES) return shown ? "" : undefined;
  const dt = prev === undefined ? 0 : (cur.atMs - prev.atMs) / 1000;
  const rate = prev !== undefined && dt > 0 ? Math.max(0, (prev.behindBytes - cur.behindBytes) / dt) : 0;
  const eta = rate > 0 ? `ETA ${formatSeconds(cur.behindBytes / rate)}` : "ETA -";
  return `catching up: ${(cur.behindBytes / MB).toFixed(0)} MB behind, ${(rate / MB).toFixed(1)} MB/s, ${eta}`;
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/**
 * Samples `behind()` every `everyMs` and redraws one `\r` line on `out`; stop() clears it.
 * Other writes to `out` (the log) first erase the line, so a log line never lands after it.
 */
export function startCatchUpProgress(behind: () => number, out: NodeJS.WritableStream, everyMs = 500): { stop: () => void } {
  let prev: ProgressSample | undefined;
  let shown = false;
  const write = out.write.bind(out) as (chunk: string) => boolean;
  const erase = () => { if (shown) { write("\r\x1b[2K"); shown = false; } };
  const patched = ((...args: Parameters<typeof out.write>) => { erase(); return write.apply(out, args as unknown as [string]); }) as typeof out.write;
  out.write = patched;
  const timer = setInterval(() => {
    const cur = { atMs: Date.now(), behindBytes: behind() };
    const text = progressText(prev, cur, shown);
    prev = cur;
    if (text === undefined) return;
    erase();
    if (text !== "") { write(text); shown = true; }
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      erase();
      if (out.write === patched) out.write = write as typeof out.write;
    },
  };
}
