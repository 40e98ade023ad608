/**
 * One agent's SQLite transcript store (OpenClaw 2026.8.1+: `agents/<id>/agent/openclaw-agent.sqlite`,
 * table `transcript_events`; docs/openclaw-formats.md §11), followed by rowid, read-only.
 *
 * - Opened with `readOnly: true` through the built-in node:sqlite. The gateway's database is in
 *   WAL mode, where a reader never blocks the writer (test/store/sqlite-concurrency.test.ts).
 *   Nothing is written; a poll is at most three short read statements (pragma, cursor check, rows).
 * - Only the usage fields leave SQLite: the SELECT projects provider, model, usage, timestamps
 *   and the session's channel with json_extract, so message content is never returned. A row
 *   stored compressed (`event_zstd`, 9.6 compresses events over 1 KiB) is decoded inside the
 *   statement by a function registered on this connection (node:zlib zstd), as the gateway does
 *   itself, and the same json_extract projects it.
 * - Idle cost: `PRAGMA data_version` changes only when another connection committed; while it
 *   stays the same, nothing else is asked.
 * - Rowids are not AUTOINCREMENT: once the newest rows are deleted (a sub-agent session removed, a
 *   transcript suffix rewritten) SQLite hands their rowids out again. The cursor therefore keeps
 *   the (session_id, seq) of the row at its rowid; when that row is gone or another, the table is
 *   read again from the start and the session marks (session-marks.ts) keep what was counted.
 */
import { lstatSync } from "node:fs";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { zstdDecompressSync } from "node:zlib";
import type { UsageFields } from "./usage-record.ts";

/** Where the reader stands: the last rowid read and the row that held it. */
export interface RowCursor { rowid: number; sessionId: string; seq: number }

/** Rows read per statement; a catch-up goes on in the next poll (each poll is short). */
const BATCH = 2000;
/** OpenClaw's own bound on a stored event (transcript_events CHECK). */
const MAX_EVENT_BYTES = 4 * 1024 * 1024;

export interface SqliteRow extends UsageFields { sessionId: string }

/**
 * The database has no `transcript_events` yet: 2026.7.x already keeps an agent database at the
 * same path (schema 1: auth profiles and the memory index; transcripts are still JSONL), and 9.6
 * adds the table in place when it migrates it. Not an error: looked at again now and then.
 */
export class NoTranscriptTable extends Error {}

/**
 * `transcript_events` is there but lacks a column the reader needs: 9.6 migrating a 7.x database
 * in place creates the table and adds columns step by step (a live CI run read it between two
 * steps: "no such column: event_zstd"). Retried; said only if it lasts (store-follower.ts).
 */
export class SchemaNotReady extends Error {}

/** The columns readSql() reads. */
const NEEDED = ["session_id", "seq", "created_at", "event_json", "event_zstd", "event_utf8_bytes"];

export class SqliteTranscripts {
  readonly file: string;
  private db: DatabaseSync | undefined;
  private read: StatementSync | undefined;
  private anchor: StatementSync | undefined;
  private version: unknown;
  private cursor: RowCursor;
  /** Rescans done because the row at the cursor went away (rowid reuse), for stats and tests. */
  rescans = 0;
  /** The inode opened: a database deleted and created again (agent removed and added) is another file. */
  private ino: number | undefined;

  constructor(file: string, saved?: RowCursor) {
    this.file = file;
    this.cursor = saved ?? { rowid: 0, sessionId: "", seq: -1 };
  }

  /** First start: rows already there are not read (the log is read from its end too). */
  placeAtEnd(): void {
    const db = this.open();
    const last = db.prepare("SELECT rowid AS r, session_id AS s, seq AS q FROM transcript_events ORDER BY rowid DESC LIMIT 1").get() as
      { r: number; s: string; q: number } | undefined;
    this.cursor = last === undefined ? { rowid: 0, sessionId: "", seq: -1 } : { rowid: Number(last.r), sessionId: last.s, seq: Number(last.q) };
  }

  /** Opens the database now (throws NoTranscriptTable for an agent database that has no transcripts yet). */
  openNow(): void {
    this.open();
  }

  /** Reads rows added since the last poll; true when a batch was full (more to read at once). */
  poll(onUsage: (row: SqliteRow) => void): boolean {
    const db = this.open();
    const version = (db.prepare("PRAGMA data_version").get() as { data_version: unknown }).data_version;
    if (version === this.version) return false;
    if (this.cursor.rowid > 0) {
      const at = this.anchor!.get(this.cursor.rowid) as { s: string; q: number } | undefined;
      if (at === undefined || at.s !== this.cursor.sessionId || Number(at.q) !== this.cursor.seq) {
        this.rescans++;
        this.cursor = { rowid: 0, sessionId: "", seq: -1 };
      }
    }
    const rows = this.read!.all(this.cursor.rowid, BATCH) as Record<string, unknown>[];
    for (const r of rows) {
      if (r.type === "message" && r.role === "assistant") {
        const usage = typeof r.usage === "string" ? safeJson(r.usage) : undefined;
        onUsage({
          sessionId: String(r.s), type: r.type, role: r.role, provider: r.provider, model: r.model, usage,
          messageTs: r.mts, entryTs: r.ets, createdAt: r.created === null ? undefined : Number(r.created), channel: r.channel,
        });
      }
    }
    const last = rows.at(-1);
    if (last !== undefined) this.cursor = { rowid: Number(last.rid), sessionId: String(last.s), seq: Number(last.q) };
    const more = rows.length === BATCH;
    // Only when caught up: a full batch leaves rows this version already holds.
    if (!more) this.version = version;
    return more;
  }

  /** True when the path now names another file than the one open (or none): the caller starts it afresh. */
  replaced(): boolean {
    if (this.db === undefined || this.ino === undefined) return false;
    try { return lstatSync(this.file).ino !== this.ino; } catch { return true; }
  }

  snapshot(): RowCursor {
    return { ...this.cursor };
  }

  close(): void {
    try { this.db?.close(); } catch { /* already closed */ }
    this.db = undefined;
  }

  private open(): DatabaseSync {
    if (this.db !== undefined) return this.db;
    const ino = lstatSync(this.file).ino;
    const db = new DatabaseSync(this.file, { readOnly: true });
    this.ino = ino;
    try {
      if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcript_events'").get() === undefined) {
        throw new NoTranscriptTable(`${this.file}: no transcript_events table (an agent database from before OpenClaw 2026.8.1)`);
      }
      const have = new Set((db.prepare("SELECT name FROM pragma_table_info('transcript_events')").all() as Array<{ name: string }>).map((r) => r.name));
      const missing = NEEDED.filter((c) => !have.has(c));
      if (missing.length > 0) throw new SchemaNotReady(`${this.file}: transcript_events has no ${missing.join(", ")} column (a migration under way, or a schema this sidecar does not know)`);
      // The gateway's own decoder has the same checks: a bounded, length-checked zstd frame.
      db.function("oc_store_decode", { deterministic: true }, (bytes: unknown, n: unknown) => {
        if (!(bytes instanceof Uint8Array) || typeof n !== "number" || n < 1 || n > MAX_EVENT_BYTES) return null;
        try { return zstdDecompressSync(bytes, { maxOutputLength: n }).toString("utf8"); } catch { return null; }
      });
      const windows = db.prepare("SELECT 1 FROM pragma_table_info('session_windows') WHERE name = 'channel'").get() !== undefined;
      this.read = db.prepare(readSql(windows));
      this.anchor = db.prepare("SELECT session_id AS s, seq AS q FROM transcript_events WHERE rowid = ?");
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    return db;
  }
}

/**
 * The one statement that reads rows: usage fields only, content stays in SQLite. The CTE is
 * MATERIALIZED so each row is decoded once (a flattened subquery would call the decoder once
 * per json_extract).
 */
function readSql(withChannel: boolean): string {
  const j = "e.j", assistant = `json_extract(${j}, '$.message.role') = 'assistant'`;
  const u = (k: string) => `'${k}', json_extract(${j}, '$.message.usage.${k}')`;
  return `WITH raw AS MATERIALIZED (
      SELECT rowid AS rid, session_id AS s, seq AS q, created_at AS created,
        coalesce(event_json, oc_store_decode(event_zstd, event_utf8_bytes)) AS t
      FROM transcript_events WHERE rowid > ? ORDER BY rowid LIMIT ?),
    e AS MATERIALIZED (SELECT rid, s, q, created, CASE WHEN json_valid(t) THEN t END AS j FROM raw)
    SELECT rid, s, q, created, json_extract(${j}, '$.type') AS type, json_extract(${j}, '$.message.role') AS role,
      CASE WHEN ${assistant} THEN json_extract(${j}, '$.message.provider') END AS provider,
      CASE WHEN ${assistant} THEN json_extract(${j}, '$.message.model') END AS model,
      CASE WHEN ${assistant} AND json_type(${j}, '$.message.usage') = 'object'
        THEN json_object(${u("input")}, ${u("output")}, ${u("cacheRead")}, ${u("cacheWrite")}, ${u("totalTokens")},
          'cost', json_object('total', json_extract(${j}, '$.message.usage.cost.total'))) END AS usage,
      json_extract(${j}, '$.message.timestamp') AS mts, json_extract(${j}, '$.timestamp') AS ets,
      ${withChannel ? "(SELECT w.channel FROM session_windows w WHERE w.session_id = e.s)" : "NULL"} AS channel
    FROM e ORDER BY rid`;
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
