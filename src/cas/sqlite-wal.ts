/**
 * Switching a SQLite file to WAL, for both of the embedded hub's files
 * (cas.sqlite and graph.sqlite). Of two processes opening a new file at
 * once, one can be refused the switch at once (SQLITE_BUSY) without the busy
 * timeout's wait — 1 run in ~10 of test/store/sqlite-concurrent.test.ts, and
 * seen in test/cas/sqlite.test.ts's two storing processes — so it is asked
 * again, for as long as that timeout.
 */
import type BetterSqlite3 from 'better-sqlite3';

export function enterWal(db: BetterSqlite3.Database, timeoutMs = 10_000): void {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > until) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}
