/**
 * Where OpenClaw keeps its session store (docs/openclaw-formats.md §11), found the way OpenClaw
 * finds it: `OPENCLAW_STATE_DIR`, else `~/.openclaw` (2026.9.6 `resolveStateDir`). Every agent is
 * a directory under `agents/`: up to 2026.7.x its transcripts are `agents/<id>/sessions/*.jsonl`,
 * from 2026.8.1 one SQLite database `agents/<id>/agent/openclaw-agent.sqlite`. The global
 * registry (`state/openclaw.sqlite`, table `agent_databases`) can list a database kept elsewhere;
 * it is read too, but the directory listing alone finds every agent of a default install,
 * including agents added while the sidecar runs (the listing is taken again every few polls).
 */
import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

export const AGENT_DB = path.join("agent", "openclaw-agent.sqlite");
export const REGISTRY_DB = path.join("state", "openclaw.sqlite");

/** One agent's store: its SQLite database and/or its JSONL sessions directory (either may be absent). */
export interface AgentStore {
  agentId: string;
  sqlitePath?: string | undefined;
  sessionsDir?: string | undefined;
}

// lstat: a database or sessions directory that is a symbolic link is not followed (docs/design.md,
// "Symbolic links": the sidecar may run as root, the link could name anything).
const isDir = (p: string): boolean => { try { return lstatSync(p).isDirectory(); } catch { return false; } };
const isFile = (p: string): boolean => { try { return lstatSync(p).isFile(); } catch { return false; } };

/** Agent ids OpenClaw writes are normalised to `[a-z0-9_-]`; anything else is not an agent directory. */
const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * Every agent store under `stateDir`, by listing `agents/*` and reading the registry. Never
 * throws: a missing or unreadable directory is an empty list (the caller reports it once).
 */
export function findAgentStores(stateDir: string): AgentStore[] {
  const found = new Map<string, AgentStore>();
  let names: string[] = [];
  try { names = readdirSync(path.join(stateDir, "agents")); } catch { names = []; }
  for (const agentId of names.sort()) {
    if (!AGENT_ID.test(agentId)) continue;
    const dir = path.join(stateDir, "agents", agentId);
    const sqlite = path.join(dir, AGENT_DB), sessions = path.join(dir, "sessions");
    const store: AgentStore = { agentId };
    if (isFile(sqlite)) store.sqlitePath = sqlite;
    if (isDir(sessions)) store.sessionsDir = sessions;
    if (store.sqlitePath !== undefined || store.sessionsDir !== undefined) found.set(sqlite, store);
  }
  for (const { agentId, dbPath } of registryAgents(stateDir)) {
    if (!found.has(dbPath) && AGENT_ID.test(agentId) && isFile(dbPath)) found.set(dbPath, { agentId, sqlitePath: dbPath });
  }
  return [...found.values()];
}

/** The registry's `agent_databases` rows; nothing when it is absent, unreadable or of another shape. */
export function registryAgents(stateDir: string): { agentId: string; dbPath: string }[] {
  const file = path.join(stateDir, REGISTRY_DB);
  if (!isFile(file)) return [];
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file, { readOnly: true });
    const rows = db.prepare("SELECT agent_id AS a, path AS p FROM agent_databases").all() as { a: unknown; p: unknown }[];
    return rows.filter((r) => typeof r.a === "string" && typeof r.p === "string")
      .map((r) => ({ agentId: r.a as string, dbPath: path.resolve(stateDir, r.p as string) }));
  } catch {
    return [];
  } finally {
    try { db?.close(); } catch { /* already closed */ }
  }
}
