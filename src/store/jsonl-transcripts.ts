/**
 * One agent's JSONL transcripts (OpenClaw up to 2026.7.x: `agents/<id>/sessions/`), followed by
 * offset (docs/openclaw-formats.md §11). Names as 2026.7.35 `paths-*.js` classifies them:
 * `<sessionId>.jsonl` is a live transcript; `<sessionId>.jsonl.reset.<stamp>` and
 * `.jsonl.deleted.<stamp>` are archives of reset and deleted sessions (usage counted, as
 * OpenClaw's own usage report does); `<id>.checkpoint.<uuid>.jsonl` (a compaction copy) and
 * `*.trajectory.jsonl` are not transcripts and are never read (they would count usage twice).
 * An archive compressed to `.zst` is decompressed whole (node:zlib).
 *
 * Offsets only save work: a renamed file is a new name read from 0, and what counts is decided
 * by the session marks (session-marks.ts). Only complete lines are read; a line is parsed only
 * when it can hold usage, and only the usage fields are kept from it.
 */
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, constants as fsc } from "node:fs";
import path from "node:path";
import { zstdDecompressSync } from "node:zlib";
import type { UsageFields } from "./usage-record.ts";

const STAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d{3})?Z`;
const TRANSCRIPT = new RegExp(String.raw`^(.+?)\.jsonl(?:\.(?:reset|deleted)\.${STAMP})?(\.zst)?$`);
const CHECKPOINT_COPY = /\.checkpoint\.[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.jsonl$/i;
/** Read at most this much of one file per poll; the rest next poll. */
const MAX_BYTES_PER_POLL = 16 * 1024 * 1024;
/**
 * A transcript unchanged for this long is "cold": stat'ed only every COLD_EVERY polls, so an idle
 * store of thousands of old sessions costs a listing, not thousands of stats, per poll. A cold
 * file written again is seen within COLD_EVERY polls; a deleted session is renamed, not lost.
 */
const COLD_MS = 5 * 60_000;
const COLD_EVERY = 30;

/** The session id a transcript name belongs to, whether it is compressed; undefined for other names. */
export function classifyTranscript(name: string): { sessionId: string; zst: boolean } | undefined {
  if (name.endsWith(".trajectory.jsonl") || CHECKPOINT_COPY.test(name)) return undefined;
  const m = TRANSCRIPT.exec(name);
  if (m === null) return undefined;
  const zst = m[2] !== undefined;
  // A live transcript is never compressed: `<id>.jsonl.zst` is no name OpenClaw writes.
  if (zst && !/\.(?:reset|deleted)\./.test(name)) return undefined;
  return { sessionId: m[1]!, zst };
}

export interface FilePosition { offset: number; size: number; mtimeMs: number }

/** Projects the usage fields of one transcript line, or undefined when it cannot hold usage. */
export function lineUsage(line: string): UsageFields | undefined {
  // Cheap test first: most lines (user turns, tool results) hold no usage.
  if (!line.includes('"usage"') || !line.includes('"assistant"')) return undefined;
  let e: unknown;
  try { e = JSON.parse(line); } catch { return undefined; }
  if (typeof e !== "object" || e === null) return undefined;
  const entry = e as Record<string, unknown>;
  const msg = entry.message as Record<string, unknown> | undefined;
  if (typeof msg !== "object" || msg === null) return undefined;
  return { type: entry.type, role: msg.role, provider: msg.provider, model: msg.model, usage: msg.usage, messageTs: msg.timestamp, entryTs: entry.timestamp };
}

export class JsonlTranscripts {
  readonly dir: string;
  private readonly positions: Map<string, FilePosition>;
  private polls = 0;
  private listed: { stamp: string; names: string[] } | undefined;

  constructor(dir: string, saved: Record<string, FilePosition> = {}) {
    this.dir = dir;
    this.positions = new Map(Object.entries(saved));
  }

  /** First start: every transcript already there starts after its last complete line. */
  placeAtEnd(): void {
    for (const name of this.names()) {
      const file = path.join(this.dir, name);
      try {
        const st = lstatSync(file);
        if (!st.isFile()) continue;
        const offset = classifyTranscript(name)!.zst ? st.size : lastLineEnd(file, st.size);
        this.positions.set(name, { offset, size: st.size, mtimeMs: st.mtimeMs });
      } catch { /* gone since the listing */ }
    }
  }

  /** Reads what is new; hands on each usage-bearing line's fields with its session id. */
  poll(onUsage: (sessionId: string, f: UsageFields) => void, now = Date.now()): void {
    const present = new Set<string>();
    const coldCheck = this.polls++ % COLD_EVERY === 0;
    for (const name of this.names()) {
      present.add(name);
      const known = this.positions.get(name);
      if (known !== undefined && known.size >= 0 && !coldCheck && now - known.mtimeMs > COLD_MS) continue;
      const kind = classifyTranscript(name)!;
      const file = path.join(this.dir, name);
      let fd: number | undefined;
      try {
        // lstat first: an unchanged file costs one call, and a link is never opened.
        const seen = lstatSync(file);
        if (!seen.isFile() || (known !== undefined && known.size === seen.size && known.mtimeMs === seen.mtimeMs)) continue;
        // Never through a link (the sidecar may run as root; docs/design.md "Symbolic links").
        fd = openSync(file, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK);
        const st = fstatSync(fd);
        if (!st.isFile()) continue;
        const pos = this.positions.get(name);
        if (pos !== undefined && pos.size === st.size && pos.mtimeMs === st.mtimeMs) continue;
        if (kind.zst) {
          const text = zstdDecompressSync(readFileSync(fd)).toString("utf8");
          for (const line of text.split("\n")) emit(line, kind.sessionId, onUsage);
          this.positions.set(name, { offset: st.size, size: st.size, mtimeMs: st.mtimeMs });
          continue;
        }
        // Shorter than what was read: rewritten in place; read again (the marks decide).
        const from = pos === undefined || st.size < pos.offset ? 0 : pos.offset;
        const offset = readLines(fd, from, st.size, (line) => emit(line, kind.sessionId, onUsage));
        this.positions.set(name, { offset, size: offset === st.size ? st.size : -1, mtimeMs: st.mtimeMs });
      } catch {
        // Vanished, unreadable or a link: skipped this poll; doctor says why.
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
    for (const name of this.positions.keys()) if (!present.has(name)) this.positions.delete(name);
  }

  snapshot(): Record<string, FilePosition> {
    return Object.fromEntries(this.positions);
  }

  /** The transcript names, listed again only when the directory changed (a name added, renamed or removed). */
  private names(): string[] {
    try {
      const st = lstatSync(this.dir);
      const stamp = `${st.ino}:${st.mtimeMs}:${st.ctimeMs}`;
      if (stamp !== this.listed?.stamp) this.listed = { stamp, names: readdirSync(this.dir).filter((n) => classifyTranscript(n) !== undefined).sort() };
      return this.listed.names;
    } catch {
      this.listed = undefined;
      return [];
    }
  }
}

function emit(line: string, sessionId: string, onUsage: (sessionId: string, f: UsageFields) => void): void {
  const f = lineUsage(line);
  if (f !== undefined) onUsage(sessionId, f);
}

/** Reads complete lines from `from` (at most MAX_BYTES_PER_POLL); returns the offset after the last one. */
function readLines(fd: number, from: number, size: number, onLine: (line: string) => void): number {
  const len = Math.min(size - from, MAX_BYTES_PER_POLL);
  if (len <= 0) return from;
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, from + got);
    if (n === 0) break;
    got += n;
  }
  const end = buf.lastIndexOf(0x0a, got - 1);
  if (end < 0) return from;
  for (const line of buf.toString("utf8", 0, end).split("\n")) onLine(line);
  return from + end + 1;
}

/** The offset just after the last "\n" of the file (a line being written at start-up is read whole later). */
function lastLineEnd(file: string, size: number): number {
  const fd = openSync(file, fsc.O_RDONLY | fsc.O_NOFOLLOW | fsc.O_NONBLOCK);
  try {
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.allocUnsafe(len);
    const n = readSync(fd, buf, 0, len, size - len);
    const i = buf.lastIndexOf(0x0a, n - 1);
    return i < 0 ? (len === size ? 0 : size) : size - len + i + 1;
  } finally {
    closeSync(fd);
  }
}
