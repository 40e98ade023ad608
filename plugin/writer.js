// The JSONL writer: a bounded in-memory queue drained asynchronously in batches.
//
// Why this shape: the diagnostic listener runs inside the gateway's event emitter, so push()
// must only serialise and enqueue; the disk work happens later, off that path, and never
// throws back into the gateway. The queue is bounded: when the disk is slow or failing, the
// oldest lines are dropped and the next batch starts with one marker line
// {"type":"sidecar.dropped","ts":...,"dropped":N} so the reader knows how many are missing.
// Files are named like the gateway log (local date, optional profile segment) and files of our
// own name older than the retention are deleted, as OpenClaw does with its own logs.
//
// What landed, what is lost and which file ends mid-line is booked in loss-ledger.js.
import { mkdirSync } from "node:fs";
import { mkdir, readdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { appendAsync, appendSync, NEWLINE } from "./append.js";
import { eventToLine } from "./event-line.js";
import { createLossLedger } from "./loss-ledger.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** @param {number} ms */
export function formatLocalDate(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/**
 * A time the sidecar can file: a whole date of a 4-digit year from 1970 on (`ts: 1e20` would
 * name a file diagnostics-NaN-NaN-NaN.jsonl, which no reader looks at).
 * @param {unknown} ts
 * @returns {ts is number}
 */
export function isFileableTs(ts) {
  return typeof ts === "number" && Number.isFinite(ts) && ts >= 0 && /^\d{4}-/.test(formatLocalDate(ts));
}

/**
 * The file-name prefix for a profile segment (already encoded like OpenClaw's log names).
 * @param {string} [profile]
 */
export function filePrefix(profile) {
  return profile ? `diagnostics-${profile}` : "diagnostics";
}

/**
 * @param {import("./writer.d.ts").WriterOptions} options
 * @returns {import("./writer.d.ts").DiagnosticsWriter}
 */
export function createDiagnosticsWriter(options) {
  const dir = options.dir;
  const prefix = filePrefix(options.profile);
  const ownFile = new RegExp(`^${prefix.replace(/[-]/g, "\\-")}-\\d{4}-\\d{2}-\\d{2}\\.jsonl$`);
  const flushIntervalMs = options.flushIntervalMs ?? 250;
  const maxBatchBytes = options.maxBatchBytes ?? 64 * 1024;
  const maxQueue = options.maxQueue ?? 10_000;
  const retentionMs = options.retentionMs ?? DAY_MS;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});

  /** @type {{file: string, line: string}[]} */
  let queue = [];
  let queuedBytes = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<void>} */
  let chain = Promise.resolve();
  let lastFile = "";
  let closed = false;
  const stats = { written: 0, dropped: 0, skipped: 0, errors: 0, pruned: 0, torn: 0, badTs: 0 };
  const ledger = createLossLedger(stats);

  /** @param {unknown} err */
  const report = (err) => {
    stats.errors++;
    try { onError(err); } catch { /* a failing logger must not break the writer */ }
  };

  /** @param {number} ts */
  const fileFor = (ts) => path.join(dir, `${prefix}-${formatLocalDate(ts)}.jsonl`);

  const schedule = () => {
    if (timer !== undefined || closed) return;
    timer = setTimeout(() => { timer = undefined; void flush(); }, queuedBytes >= maxBatchBytes ? 0 : flushIntervalMs);
    timer.unref?.();
  };

  /** @param {unknown} event */
  const push = (event) => {
    try {
      if (closed) return;
      const ts = event !== null && typeof event === "object" ? /** @type {{ts?: unknown}} */ (event).ts : undefined;
      const fileable = isFileableTs(ts);
      const when = fileable ? ts : now();
      // An unusable time is replaced by now and the line says so (tsInvalid), so it is read.
      const line = eventToLine(event, fileable ? undefined : when);
      if (line === null) { stats.skipped++; return; }
      if (!fileable) stats.badTs++;
      queue.push({ file: fileFor(when), line });
      queuedBytes += line.length + 1;
      while (queue.length > maxQueue) {
        const old = queue.shift();
        if (old) queuedBytes -= old.line.length + 1;
        ledger.dropped(1);
      }
      if (queuedBytes >= maxBatchBytes && timer !== undefined) { clearTimeout(timer); timer = undefined; }
      schedule();
    } catch (err) {
      report(err);
    }
  };

  /** Takes the queue (and a marker for what was lost) as appends of at most maxBatchBytes per file. */
  const takeBatches = () => {
    const items = queue.map((q) => ({ ...q, marker: 0 }));
    queue = [];
    queuedBytes = 0;
    const dropped = ledger.takeOwed();
    if (dropped > 0) {
      const line = JSON.stringify({ type: "sidecar.dropped", ts: now(), dropped });
      items.unshift({ file: items[0]?.file ?? fileFor(now()), line, marker: dropped });
    }
    /** @type {import("./loss-ledger.js").Batch[]} */
    const batches = [];
    for (const { file, line, marker } of items) {
      let last = batches[batches.length - 1];
      if (!last || last.file !== file || last.bytes + line.length + 1 > maxBatchBytes) {
        last = { file, lines: [], events: [], markers: [], bytes: 0 };
        batches.push(last);
      }
      last.lines.push(line);
      last.events.push(marker > 0 ? 0 : 1);
      last.markers.push(marker);
      last.bytes += line.length + 1;
    }
    return batches;
  };

  /** @param {{written: number, err?: unknown}} r */
  const closedOther = (r) => { if (!ledger.closedOther(r.written)) report(r.err); };

  const prune = async () => {
    try {
      const cutoff = now() - retentionMs;
      for (const name of await readdir(dir)) {
        if (!ownFile.test(name)) continue;
        const full = path.join(dir, name);
        try {
          if ((await stat(full)).mtimeMs < cutoff) { await unlink(full); stats.pruned++; }
        } catch { /* raced with another pruner: fine */ }
      }
    } catch (err) {
      if (/** @type {{code?: string}} */ (err).code !== "ENOENT") report(err);
    }
  };

  const drainOnce = async () => {
    for (const b of takeBatches()) {
      try {
        if (b.file !== lastFile) {
          await mkdir(dir, { recursive: true });
          lastFile = b.file;
          await prune(); // a new file (start or midnight) is the moment old ones expire
        }
      } catch (err) {
        lastFile = "";
        report(err); // the append below fails too, and books the loss
      }
      const other = ledger.otherTorn(b.file);
      if (other !== undefined) closedOther(await appendAsync(other, NEWLINE));
      const e = ledger.encode(b);
      const r = await appendAsync(b.file, e.buf);
      ledger.settle(b, e, r.written);
      if (r.err !== undefined) { lastFile = ""; report(r.err); }
    }
  };

  /** Drains everything queued so far; resolves when it is on disk (or counted as dropped). */
  const flush = () => {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    chain = chain.then(drainOnce, drainOnce);
    return chain;
  };

  /** Stops accepting events at once (a late push cannot slip in), then drains what is queued. */
  const close = async () => {
    closed = true;
    await flush();
  };

  /** Accepts events again after close(): an in-process gateway restart stops and starts the same plugin. */
  const open = () => {
    closed = false;
  };

  /** Last-chance synchronous drain for process exit, when no async work can run any more. */
  const flushSync = () => {
    try { mkdirSync(dir, { recursive: true }); } catch (err) { report(err); }
    for (const b of takeBatches()) {
      const other = ledger.otherTorn(b.file);
      if (other !== undefined) closedOther(appendSync(other, NEWLINE));
      const e = ledger.encode(b);
      const r = appendSync(b.file, e.buf);
      ledger.settle(b, e, r.written);
      if (r.err !== undefined) report(r.err);
    }
  };

  return { push, flush, close, open, flushSync, prune, stats: () => ({ ...stats, queued: queue.length }) };
}
