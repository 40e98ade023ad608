/**
 * What `doctor` says about OpenClaw's session store (issue 23): where it looked, which layout
 * each agent has (JSONL transcripts up to 2026.7.x, SQLite from 2026.8.1 with its schema version
 * and journal mode), whether this user can read it, and how to grant access. Reads nothing but
 * names, sizes and the SQLite header tables; no transcript row.
 */
import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { findAgentStores } from "./store-paths.ts";
import { classifyTranscript } from "./jsonl-transcripts.ts";

export interface StoreFinding { verdict: "ok" | "warn" | "fail"; what: string; detail: string }

/** Short, so the screen's column stays as wide as before. */
const WHAT = "store";
const GRANT = "grant read access to this user (run as the gateway's user, or group read: chmod -R g+rX on the state directory;"
  + " in compose mount it read-only, :ro)";

/** The findings for `stateDir` (null: the store is off). Never throws. */
export function inspectStore(stateDir: string | null): StoreFinding[] {
  if (stateDir === null) return [{ verdict: "ok", what: WHAT, detail: "session store off (--openclaw-state off): tokens and cost only from the companion plugin" }];
  if (!existsSync(stateDir)) {
    // Not a warning: the plugin may be the source, and the store is followed once it appears.
    return [{ verdict: "ok", what: WHAT, detail: `session store ${stateDir} not found: no tokens or cost without the plugin; set OPENCLAW_STATE_DIR or --openclaw-state `
      + "to OpenClaw's state directory (it is followed once it appears)" }];
  }
  try {
    accessSync(stateDir, constants.R_OK | constants.X_OK);
  } catch {
    return [{ verdict: "warn", what: WHAT, detail: `session store ${stateDir} is not readable by this user: ${GRANT}` }];
  }
  const agents = findAgentStores(stateDir);
  if (agents.length === 0) return [{ verdict: "ok", what: WHAT, detail: `session store ${stateDir}: no agent has a transcript yet (agents/*/sessions or agents/*/agent/openclaw-agent.sqlite)` }];
  const out: StoreFinding[] = [];
  for (const a of agents) {
    const sqlite = a.sqlitePath === undefined ? undefined : inspectSqlite(a.agentId, a.sqlitePath);
    if (sqlite !== undefined) out.push(sqlite.finding);
    if (a.sessionsDir !== undefined) out.push(inspectJsonl(a.agentId, a.sessionsDir, sqlite?.transcripts === true));
  }
  return out;
}

/** `transcripts`: the database holds transcript_events (2026.8.1+); a 7.x agent database at the same path holds only auth and memory. */
function inspectSqlite(agentId: string, file: string): { finding: StoreFinding; transcripts: boolean } {
  const what = WHAT;
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const version = db.prepare("SELECT max(schema_version) AS v FROM schema_meta").get() as { v: number | null } | undefined;
    const mode = (db.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode;
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'transcript_events'").get() === undefined) {
      return { transcripts: false, finding: { verdict: "ok", what, detail: `agent ${agentId}: SQLite agent database of schema ${version?.v ?? "unknown"} without transcripts `
        + `(OpenClaw up to 2026.7.x keeps auth and memory there, transcripts in JSONL): ${file}; read once \`openclaw doctor --fix\` moves transcripts in` } };
    }
    db.prepare("SELECT rowid FROM transcript_events ORDER BY rowid DESC LIMIT 1").get();
    return { transcripts: true, finding: { verdict: "ok", what, detail: `agent ${agentId}: SQLite (OpenClaw 2026.8.1+), schema ${version?.v ?? "unknown"}, journal ${mode}: ${file} readable` } };
  } catch (err) {
    const msg = (err as Error).message;
    const hint = /readonly|read-only|unable to open|permission|access/i.test(msg)
      ? `${GRANT}; a WAL database also needs its -wal and -shm files readable (they are created by the gateway)` : "is it an OpenClaw agent database?";
    return { transcripts: false, finding: { verdict: "warn", what, detail: `agent ${agentId}: SQLite ${file}: cannot read (${msg}): ${hint}` } };
  } finally {
    try { db?.close(); } catch { /* already closed */ }
  }
}

function inspectJsonl(agentId: string, dir: string, alsoSqlite: boolean): StoreFinding {
  const what = WHAT;
  let names: string[];
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
    names = readdirSync(dir).filter((n) => classifyTranscript(n) !== undefined);
  } catch {
    return { verdict: "warn", what, detail: `agent ${agentId}: JSONL ${dir} is not readable: ${GRANT}` };
  }
  const unreadable = names.filter((n) => { try { accessSync(path.join(dir, n), constants.R_OK); return false; } catch { return true; } });
  const archives = names.filter((n) => /\.jsonl\.(?:reset|deleted)\./.test(n)).length;
  const both = alsoSqlite ? "; beside the SQLite store (left from before `openclaw doctor --fix` migrated it; each message counts once)" : "";
  if (unreadable.length > 0) {
    return { verdict: "warn", what, detail: `agent ${agentId}: JSONL ${dir}: ${unreadable.length} of ${names.length} transcript(s) not readable, e.g. ${unreadable[0]}: ${GRANT}` };
  }
  return { verdict: "ok", what,
    detail: `agent ${agentId}: JSONL transcripts (OpenClaw up to 2026.7.x): ${names.length} in ${dir} (${archives} reset/deleted archive(s)), readable${both}` };
}
