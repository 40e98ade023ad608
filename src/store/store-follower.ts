/**
 * The third source (issue 23): OpenClaw's own session store, followed read-only and
 * incrementally, every agent's JSONL transcripts and SQLite database under the state directory,
 * handing on one `model.usage` event (origin "store") per assistant message that carries usage.
 *
 * Exactly once: what was counted is the session marks (session-marks.ts); where each file and
 * database was read to is the read positions. Both are `snapshot()`, saved by `run` in the same
 * checkpoint write as the metric counters, so a SIGKILL rewinds both to the same instant. Against
 * the plugin's JSONL, the pipeline's deduper decides by coverage (docs/design.md).
 */
import type { ModelUsage } from "../events/types.ts";
import { findAgentStores, type AgentStore } from "./store-paths.ts";
import { JsonlTranscripts, type FilePosition } from "./jsonl-transcripts.ts";
import { NoTranscriptTable, SchemaNotReady, SqliteTranscripts, type RowCursor } from "./sqlite-transcripts.ts";
import { SessionMarks } from "./session-marks.ts";
import { usageEvent, type UsageFields } from "./usage-record.ts";

/** What the checkpoint's `store` field holds. */
export interface StoreState {
  version: 1;
  stateDir: string;
  marks: unknown;
  jsonl: Record<string, Record<string, FilePosition>>;
  sqlite: Record<string, RowCursor>;
}

export interface StoreFollowerOptions {
  stateDir: string;
  /** The profile the events carry ("" = the sidecar's default profile). */
  profile: string;
  /** The saved state (checkpoint `store`); undefined on a first start. */
  saved?: unknown;
  /** With no saved state: read what is already there instead of starting at its end. */
  fromBeginning?: boolean;
  /** Clock for the first start's floor (tests). */
  now?: () => number;
  onError?: (message: string) => void;
  /** One line per store when it is first followed (the sidecar's info log). */
  onFollow?: (message: string) => void;
}

/** How often the agents are listed again (in polls): a new agent is found within this many. */
const RESCAN_EVERY = 8;
/**
 * On a first start the store is read from its end; a message whose model call began before the
 * start but was written after it still counts when it began at most this long before.
 */
const FIRST_START_GRACE_MS = 60_000;
/** A schema change under way (SchemaNotReady) is said only once it lasted this long. */
const SCHEMA_PATIENCE_MS = 60_000;

export class StoreFollower {
  readonly stateDir: string;
  private readonly profile: string;
  private readonly marks: SessionMarks;
  private readonly jsonl = new Map<string, JsonlTranscripts>();
  private readonly sqlite = new Map<string, SqliteTranscripts>();
  private readonly agentOf = new Map<string, string>();
  private readonly savedJsonl: StoreState["jsonl"];
  private readonly savedSqlite: StoreState["sqlite"];
  /** First start: stores found now start at their end; stores found later, at their start. */
  private placeAtEnd: boolean;
  private polls = 0;
  private readonly onError: (message: string) => void;
  private readonly onFollow: (message: string) => void;
  private readonly reported = new Map<string, string>();
  private readonly notReadySince = new Map<string, number>();

  constructor(opts: StoreFollowerOptions) {
    this.stateDir = opts.stateDir;
    this.profile = opts.profile;
    this.onError = opts.onError ?? (() => {});
    this.onFollow = opts.onFollow ?? (() => {});
    const s = opts.saved as Partial<StoreState> | undefined;
    const usable = s !== undefined && s !== null && s.version === 1 && s.stateDir === opts.stateDir;
    if (s !== undefined && !usable) this.onError(`saved store state is for ${String(s?.stateDir)} or unreadable; starting ${opts.stateDir} at its end`);
    this.marks = usable ? SessionMarks.restore(s.marks) : new SessionMarks(opts.fromBeginning ? 0 : (opts.now ?? Date.now)() - FIRST_START_GRACE_MS);
    this.savedJsonl = usable && typeof s.jsonl === "object" && s.jsonl !== null ? s.jsonl : {};
    this.savedSqlite = usable && typeof s.sqlite === "object" && s.sqlite !== null ? s.sqlite : {};
    this.placeAtEnd = !usable && !opts.fromBeginning;
  }

  /** Reads what is new in every agent's store; true when a database has more rows waiting. */
  pollOnce(onEvent: (ev: ModelUsage) => void): boolean {
    if (this.polls++ % RESCAN_EVERY === 0) this.discover();
    this.placeAtEnd = false;
    let more = false;
    for (const [dir, reader] of this.jsonl) {
      const agentId = this.agentOf.get(dir)!;
      reader.poll((sessionId, f) => this.count(agentId, sessionId, f, onEvent));
    }
    for (const [file, reader] of this.sqlite) {
      const agentId = this.agentOf.get(file)!;
      try {
        more = reader.poll((row) => this.count(agentId, row.sessionId, row, onEvent)) || more;
        this.reported.delete(file);
        this.notReadySince.delete(file);
      } catch (err) {
        // Locked for a schema change, replaced, unreadable: closed and opened again next poll.
        reader.close();
        if (err instanceof NoTranscriptTable) this.sqlite.delete(file);
        else this.problem(file, err);
      }
    }
    return more;
  }

  /** For the checkpoint: marks and read positions, taken between polls. */
  snapshot(): StoreState {
    const jsonl: StoreState["jsonl"] = { ...this.savedJsonl }, sqlite: StoreState["sqlite"] = { ...this.savedSqlite };
    for (const [dir, r] of this.jsonl) jsonl[dir] = r.snapshot();
    for (const [file, r] of this.sqlite) sqlite[file] = r.snapshot();
    return { version: 1, stateDir: this.stateDir, marks: this.marks.snapshot(), jsonl, sqlite };
  }

  /** The stores followed now, for doctor and the status page. */
  followed(): { jsonl: string[]; sqlite: string[] } {
    return { jsonl: [...this.jsonl.keys()], sqlite: [...this.sqlite.keys()] };
  }

  /** Stores followed and readable at the last poll (the page says usage comes from the store). */
  followedCount(): number {
    return this.jsonl.size + [...this.sqlite.keys()].filter((k) => !this.reported.has(k)).length;
  }

  close(): void {
    for (const r of this.sqlite.values()) r.close();
  }

  private count(agentId: string, sessionId: string, f: UsageFields, onEvent: (ev: ModelUsage) => void): void {
    const ev = usageEvent(f, { agentId, sessionId, profile: this.profile });
    if (ev !== undefined && this.marks.take(agentId, sessionId, ev.ts)) onEvent(ev);
  }

  private discover(): void {
    for (const agent of findAgentStores(this.stateDir)) this.add(agent);
  }

  private add(agent: AgentStore): void {
    const { sessionsDir, sqlitePath } = agent;
    if (sessionsDir !== undefined && !this.jsonl.has(sessionsDir)) {
      const reader = new JsonlTranscripts(sessionsDir, this.savedJsonl[sessionsDir]);
      if (this.placeAtEnd && this.savedJsonl[sessionsDir] === undefined) reader.placeAtEnd();
      this.jsonl.set(sessionsDir, reader);
      this.agentOf.set(sessionsDir, agent.agentId);
      this.onFollow(`reading usage from OpenClaw's session store: agent ${agent.agentId}, JSONL transcripts in ${sessionsDir}`);
    }
    const open = sqlitePath === undefined ? undefined : this.sqlite.get(sqlitePath);
    if (sqlitePath !== undefined && open?.replaced() === true) {
      // Deleted and created again: read the new file from its start (the marks keep what was counted).
      open.close();
      this.sqlite.set(sqlitePath, new SqliteTranscripts(sqlitePath));
    }
    if (sqlitePath !== undefined && !this.sqlite.has(sqlitePath)) {
      const reader = new SqliteTranscripts(sqlitePath, this.savedSqlite[sqlitePath]);
      try {
        // Opened now, not at the first poll: a 7.x agent database (no transcripts) is left for the next listing.
        if (this.placeAtEnd && this.savedSqlite[sqlitePath] === undefined) reader.placeAtEnd();
        else reader.openNow();
      } catch (err) {
        reader.close();
        if (!(err instanceof NoTranscriptTable)) this.problem(sqlitePath, err);
        return;
      }
      this.sqlite.set(sqlitePath, reader);
      this.agentOf.set(sqlitePath, agent.agentId);
      this.onFollow(`reading usage from OpenClaw's session store: agent ${agent.agentId}, SQLite ${sqlitePath} (read-only)`);
    }
  }

  /** A read that failed: said once per message, except a schema still being migrated, said only once it lasted a minute. */
  private problem(file: string, err: unknown): void {
    const now = Date.now();
    if (err instanceof SchemaNotReady) {
      const since = this.notReadySince.get(file) ?? now;
      this.notReadySince.set(file, since);
      if (now - since < SCHEMA_PATIENCE_MS) return;
    } else this.notReadySince.delete(file);
    this.report(file, `${file}: cannot read the session store: ${(err as Error).message}`);
  }

  private report(key: string, message: string): void {
    if (this.reported.get(key) === message) return;
    this.reported.set(key, message);
    this.onError(message);
  }
}
