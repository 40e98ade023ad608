// What the writer owes the reader: events lost since the last marker that landed, and the file
// that ends in a fragment. Kept apart from the queue and the timers because this is the part
// that must be exact.
//
// A full disk cuts a write short: some lines land whole, one may land in part (a "torn" line,
// no newline). Whole lines count as written; the rest, and a marker that did not land (with
// its count), go into the next marker. The next write to a torn file starts with "\n", so the
// fragment ends as a line of its own (the sidecar rejects it as invalid JSON, counted) and the
// marker and every later event start on a fresh line. A fragment that lacks only its "\n" is
// whole again that way, and counts as written then.
import { NEWLINE } from "./append.js";

/**
 * One append: its lines, and what each stands for if it is lost (an event: 1; a marker: the
 * count it carries, which must be reported again).
 * @typedef {{file: string, lines: string[], events: number[], markers: number[], bytes: number}} Batch
 * @typedef {{written: number, dropped: number, torn: number}} LedgerStats
 */

/** @param {LedgerStats} stats counters the ledger keeps up to date */
export function createLossLedger(stats) {
  /** Events lost since the last marker that landed: the next marker's count. */
  let owed = 0;
  /**
   * The file that ends in a fragment, and what closing it recovers: a whole line short of its
   * "\n" (1 event, or a marker's count) or nothing (a cut line, already counted as lost).
   * @type {{file: string, events: number, marker: number} | undefined}
   */
  let torn;

  /** Lines from `from` on did not land: their events, and any marker's count, are owed. */
  const lose = (/** @type {Batch} */ b, /** @type {number} */ from) => {
    for (let i = from; i < b.lines.length; i++) {
      const events = /** @type {number} */ (b.events[i]);
      owed += events + /** @type {number} */ (b.markers[i]);
      stats.dropped += events;
    }
  };

  /**
   * A new fragment. An older one still open (another file whose "\n" failed too) is given up:
   * what closing it would have recovered is owed.
   * @param {{file: string, events: number, marker: number}} t
   */
  const tear = (t) => {
    if (torn) {
      owed += torn.events + torn.marker;
      stats.dropped += torn.events;
    }
    torn = t;
    stats.torn++;
  };

  /** The "\n" after a fragment landed: a line short of only that is whole now. */
  const closeTorn = () => {
    if (torn) stats.written += torn.events;
    torn = undefined;
  };

  return {
    /** Events dropped before any write (the bounded queue). @param {number} n */
    dropped(n) { owed += n; stats.dropped += n; },
    /** The count for a marker line, now owed by that line instead (see settle). */
    takeOwed() { const n = owed; owed = 0; return n; },
    /** A torn file other than `file` (the day changed): it still needs its "\n". @param {string} file */
    otherTorn(file) { return torn !== undefined && torn.file !== file ? torn.file : undefined; },
    /** The result of appending "\n" to otherTorn(): true when it landed. @param {number} written */
    closedOther(written) { if (written === 1) closeTorn(); return written === 1; },
    /** The bytes for a batch: a leading "\n" when its file is torn. @param {Batch} b */
    encode(b) {
      const encoded = b.lines.map((l) => Buffer.from(`${l}\n`));
      const closing = torn !== undefined && torn.file === b.file;
      return { encoded, closing, buf: Buffer.concat(closing ? [NEWLINE, ...encoded] : encoded) };
    },
    /**
     * Books an append of which `written` bytes landed.
     * @param {Batch} b @param {{encoded: Buffer[], closing: boolean}} e from encode(b) @param {number} written
     */
    settle(b, { encoded, closing }, written) {
      let pos = 0;
      if (closing) {
        if (written < 1) { lose(b, 0); return; }
        closeTorn();
        pos = 1;
      }
      for (let i = 0; i < b.lines.length; i++) {
        const full = /** @type {Buffer} */ (encoded[i]).length;
        const events = /** @type {number} */ (b.events[i]);
        if (written >= pos + full) stats.written += events;
        else if (written === pos + full - 1 && full > 1) {
          // All but the "\n": whole once the next write to this file supplies one.
          tear({ file: b.file, events, marker: /** @type {number} */ (b.markers[i]) });
          lose(b, i + 1);
          return;
        } else {
          if (written > pos) tear({ file: b.file, events: 0, marker: 0 });
          lose(b, i);
          return;
        }
        pos += full;
      }
    },
  };
}
