/**
 * Damaging an embedded hub's blobs behind its back (cas.sqlite), as a bad
 * disk or a hand edit would: for the tests of the integrity check.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

function withCas<T>(dataDir: string, action: (db: BetterSqlite3.Database) => T): T {
  const db = new Database(join(dataDir, 'cas.sqlite'));
  try {
    db.pragma('busy_timeout = 10000');
    return action(db);
  } finally {
    db.close();
  }
}

/** Replaces the stored bytes of `address` with what `change` makes of them. */
export function tamperBlob(dataDir: string, address: string, change: (bytes: Buffer) => Buffer): void {
  withCas(dataDir, (db) => {
    const bytes = db.prepare('SELECT bytes FROM blobs WHERE address = ?').pluck().get(address) as Buffer | undefined;
    if (!bytes) throw new Error(`no blob ${address} in ${dataDir}`);
    db.prepare('UPDATE blobs SET bytes = ? WHERE address = ?').run(change(Buffer.from(bytes)), address);
  });
}

/** Deletes the stored bytes of `address`. */
export function removeBlob(dataDir: string, address: string): void {
  withCas(dataDir, (db) => db.prepare('DELETE FROM blobs WHERE address = ?').run(address));
}
