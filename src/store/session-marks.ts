/**
 * What the store reader has counted, per session: the time of the last usage counted. It is what
 * makes counting exact; the read positions (JSONL offsets, SQLite rowids) only save work.
 *
 * Within one session OpenClaw writes assistant messages one after another, each stamped when its
 * model call started (`message.timestamp`, ms), so "counted up to t" is a total order: a message
 * counts when its time is after its session's mark. That holds whoever wrote or moved the
 * message: a JSONL renamed to `.deleted.<ts>` or `.reset.<ts>` and read again from its start, a
 * SQLite transcript suffix the gateway rewrote (deleted and inserted again with new rowids), rows
 * re-read after a rowid was reused, or JSONL migrated into SQLite by `doctor --fix` (same session
 * id, same message times). Marks are keyed by agent and session id.
 *
 * Bounded: at most MAX_SESSIONS marks; the oldest is forgotten and the floor rises to it. A
 * session without a mark counts only messages after the floor, so a forgotten (old) session is
 * never counted again, and on a first start the floor is the start time, as the log is read
 * from its end.
 */

export const MAX_SESSIONS = 4096;

export interface MarksState { floor: number; marks: Record<string, number> }

export class SessionMarks {
  private floor: number;
  private readonly marks = new Map<string, number>();

  constructor(floor: number) {
    this.floor = floor;
  }

  /** True when a usage at `ts` of this session was not counted yet; records it as counted. */
  take(agentId: string, sessionId: string, ts: number): boolean {
    const key = `${agentId}/${sessionId}`;
    const mark = this.marks.get(key) ?? this.floor;
    if (!(ts > mark)) return false;
    // Re-inserted last: the Map's order is then oldest-updated first, for eviction.
    this.marks.delete(key);
    this.marks.set(key, ts);
    if (this.marks.size > MAX_SESSIONS) this.evictOldest();
    return true;
  }

  /** The mark of a session (or the floor), for tests and doctor. */
  markOf(agentId: string, sessionId: string): number {
    return this.marks.get(`${agentId}/${sessionId}`) ?? this.floor;
  }

  get size(): number { return this.marks.size; }

  snapshot(): MarksState {
    return { floor: this.floor, marks: Object.fromEntries(this.marks) };
  }

  /** Throws when the saved value is not a MarksState. */
  static restore(saved: unknown): SessionMarks {
    const s = saved as Partial<MarksState> | null;
    if (typeof s !== "object" || s === null || typeof s.floor !== "number" || typeof s.marks !== "object" || s.marks === null) {
      throw new Error("saved session marks are not {floor, marks}");
    }
    const m = new SessionMarks(s.floor);
    const entries = Object.entries(s.marks).filter(([, t]) => typeof t === "number" && Number.isFinite(t)) as [string, number][];
    for (const [k, t] of entries.sort((a, b) => a[1] - b[1])) m.marks.set(k, t);
    while (m.marks.size > MAX_SESSIONS) m.evictOldest();
    return m;
  }

  private evictOldest(): void {
    // The least recently advanced session; the floor rises to its mark (never falls).
    let oldestKey: string | undefined, oldest = Infinity;
    for (const [k, t] of this.marks) if (t < oldest) { oldest = t; oldestKey = k; }
    if (oldestKey === undefined) return;
    this.marks.delete(oldestKey);
    if (oldest > this.floor) this.floor = oldest;
  }
}
