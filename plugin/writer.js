// The JSONL writer: a bounded in-memory queue drained asynchronously in batches.
//
// Why this shape: the diagnostic listener runs inside the gateway's event emitter, so push()
// must only serialise and enqueue; the disk work happens later, off that path, and never
// throws back into the gateway. The queue is bounded: when the disk is slow or failing, the
// oldest lines are dropped and the next batch starts with one marker line
// {"type":"sidecar.dropped","ts":...,"dropped":N} so the reader knows how many are missing.
// Files are named like the gateway log (local date, optional profile segment) and files of our
// own name older than the retention are deleted, as OpenClaw does with its own logs.
import { appendFileSync, mkdirSync } from "node:fs";
import { appendFile, mkdir, readdir, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { eventToLine } from "./event-line.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** @param {number} ms */
export function formatLocalDate(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
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
  let dropped = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<void>} */
  let chain = Promise.resolve();
  let lastFile = "";
  let closed = false;
  const stats = { written: 0, dropped: 0, skipped: 0, errors: 0, pruned: 0 };

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
      const line = eventToLine(event);
      if (line === null) { stats.skipped++; return; }
      const ts = /** @type {{ts?: unknown}} */ (event).ts;
      const file = fileFor(typeof ts === "number" && Number.isFinite(ts) ? ts : now());
      queue.push({ file, line });
      queuedBytes += line.length + 1;
      while (queue.length > maxQueue) {
        const old = queue.shift();
        if (old) queuedBytes -= old.line.length + 1;
        dropped++;
        stats.dropped++;
      }
      if (queuedBytes >= maxBatchBytes && timer !== undefined) { clearTimeout(timer); timer = undefined; }
      schedule();
    } catch (err) {
      report(err);
    }
  };

  /** Takes the queue and groups it into appends of at most maxBatchBytes per file. */
  const takeBatches = () => {
    const items = queue;
    queue = [];
    queuedBytes = 0;
    /** @type {{file: string, text: string}[]} */
    const batches = [];
    if (dropped > 0 && items.length > 0) {
      const first = /** @type {{file: string, line: string}} */ (items[0]);
      items.unshift({ file: first.file, line: JSON.stringify({ type: "sidecar.dropped", ts: now(), dropped }) });
      dropped = 0;
    }
    for (const { file, line } of items) {
      const last = batches[batches.length - 1];
      if (last && last.file === file && last.text.length + line.length + 1 <= maxBatchBytes) last.text += `${line}\n`;
      else batches.push({ file, text: `${line}\n` });
    }
    return batches;
  };

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
    const batches = takeBatches();
    for (const b of batches) {
      try {
        if (b.file !== lastFile) {
          await mkdir(dir, { recursive: true });
          lastFile = b.file;
          await prune(); // a new file (start or midnight) is the moment old ones expire
        }
        await appendFile(b.file, b.text, { mode: 0o600 });
        stats.written += countLines(b.text);
      } catch (err) {
        const lost = countLines(b.text);
        dropped += lost;
        stats.dropped += lost;
        lastFile = "";
        report(err);
      }
    }
  };

  /** Drains everything queued so far; resolves when it is on disk (or counted as dropped). */
  const flush = () => {
    if (timer !== undefined) { clearTimeout(timer); timer = undefined; }
    chain = chain.then(drainOnce, drainOnce);
    return chain;
  };

  const close = async () => {
    await flush();
    closed = true;
  };

  /** Last-chance synchronous drain for process exit, when no async work can run any more. */
  const flushSync = () => {
    try {
      for (const b of takeBatches()) {
        mkdirSync(dir, { recursive: true });
        appendFileSync(b.file, b.text, { mode: 0o600 });
        stats.written += countLines(b.text);
      }
    } catch (err) {
      report(err);
    }
  };

  return { push, flush, close, flushSync, prune, stats: () => ({ ...stats, queued: queue.length }) };
}

/** @param {string} text */
function countLines(text) {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
