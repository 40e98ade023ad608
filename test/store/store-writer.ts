/**
 * A stand-in for the gateway's SQLite writer (test/store/sqlite-concurrency.test.ts): inserts the
 * calls of `makeCalls(N, ...)` one transaction per call into a WAL database, with busy_timeout 0,
 * so any lock a reader held against it would fail a write at once. Prints {written, busy, ms}.
 * Usage: node test/store/store-writer.ts DB N
 */
import { makeCalls, openAgentDb, writeCalls } from "./store-fixtures.ts";

const [file, n] = [process.argv[2]!, Number(process.argv[3])];
const db = openAgentDb(file);
db.exec("PRAGMA busy_timeout = 0");
const calls = makeCalls(n, ["w1", "w2", "w3", "w4"]);
let written = 0, busy = 0;
const t0 = performance.now();
for (const c of calls) {
  for (;;) {
    try {
      db.exec("BEGIN IMMEDIATE");
      writeCalls(db, [c]);
      db.exec("COMMIT");
      written++;
      break;
    } catch (err) {
      busy++;
      try { db.exec("ROLLBACK"); } catch { /* not in a transaction */ }
      if (!/busy|locked/i.test((err as Error).message)) throw err;
    }
  }
}
db.close();
process.stdout.write(JSON.stringify({ written, busy, ms: Math.round(performance.now() - t0) }) + "\n");
