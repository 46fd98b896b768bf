/**
 * The embedded CAS: blobs in a SQLite file of their own (`cas.sqlite` in the
 * data folder), one row per blob, as the PostgreSQL store keeps them in a
 * table.
 *
 * Why not a file per blob: an index of runc stores 1,419 blobs, and each
 * cost an open, a write, an fsync, a close, a rename, and a share of
 * mkdirs and directory fsyncs — about 1.3 s of system time and 1.5 s of
 * its 6 s. Here a batch is one transaction: the bytes are copied into
 * pages and the write-ahead log is fsynced once at commit.
 *
 * Durability: batches are committed with `synchronous = NORMAL` (no fsync;
 * a crash may lose the last ones, never corrupts the file), and `sync`
 * commits one more transaction with `synchronous = FULL`, whose fsync of
 * the write-ahead log covers every batch before it (batches already
 * checkpointed into the main file were synced by the checkpoint). An index
 * syncs once before publishing, so no graph names a blob a crash could
 * lose; syncing each of runc's 12 batches instead cost ~13 ms of the main
 * thread apiece. A separate file, not a table of graph.sqlite: the CAS is
 * its own layer, and storing blobs never waits on a graph being published.
 *
 * A data folder made by an earlier version keeps its blobs as files under
 * `cas/`; they are read from there (`legacy`) and never moved.
 */
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { notFound } from '../model/errors.js';
import { assertAddress, sha256Hex, verifyContent, type ContentStore } from './content-store.js';
import { enterWal } from './sqlite-wal.js';

/** Addresses asked per statement by hasMany. */
const HAS_MANY_CHUNK = 1000;

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

export class SqliteContentStore implements ContentStore {
  private readonly db: BetterSqlite3.Database;
  private readonly insert: BetterSqlite3.Statement;
  private readonly select: BetterSqlite3.Statement;
  private readonly exists: BetterSqlite3.Statement;
  private readonly existing: BetterSqlite3.Statement;
  private closed = false;
  /** A batch was committed since the last sync. */
  private unsynced = false;

  /**
   * @param path the SQLite file (made if missing)
   * @param legacy an older store whose blobs are still read (never written)
   */
  constructor(
    path: string,
    private readonly legacy?: ContentStore,
  ) {
    this.db = new Database(path);
    // As the graph store: the wait first, since switching a new file to WAL takes a lock.
    this.db.pragma('busy_timeout = 10000');
    // Pages of 16 KiB: a source file of a few kilobytes fits one page or two instead of a chain of 4 KiB overflow pages.
    // Only takes effect on a new file (before the first table), which is when it matters.
    this.db.pragma('page_size = 16384');
    enterWal(this.db);
    this.db.pragma('synchronous = NORMAL');
    // A small page cache (256 KiB, not 2 MiB): an index writes blobs once and a page reads one or two, so
    // cached pages are rarely read again; runc's index peaked ~8 MB lower.
    this.db.pragma('cache_size = -256');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS blobs (
         id INTEGER PRIMARY KEY,
         address TEXT NOT NULL UNIQUE,
         size INTEGER NOT NULL,
         bytes BLOB NOT NULL
       )`,
    );
    // One row, rewritten by sync: a commit needs something to write for its fsync to happen.
    this.db.exec('CREATE TABLE IF NOT EXISTS synced (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL)');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO blobs (address, size, bytes) VALUES (?, ?, ?)');
    this.select = this.db.prepare('SELECT bytes FROM blobs WHERE address = ?').pluck();
    this.exists = this.db.prepare('SELECT 1 FROM blobs WHERE address = ?').pluck();
    this.existing = this.db.prepare('SELECT address FROM blobs WHERE address IN (SELECT value FROM json_each(?))').pluck();
  }

  async put(bytes: Uint8Array): Promise<string> {
    const [address] = await this.putMany([bytes]);
    await this.sync();
    return address!;
  }

  /** One IMMEDIATE transaction for the batch; blobs already present (here or in the legacy store) are not written again. */
  async putMany(items: Uint8Array[]): Promise<string[]> {
    this.assertOpen();
    const addresses = items.map((bytes) => sha256Hex(bytes));
    const fresh = new Map<string, Uint8Array>();
    addresses.forEach((address, index) => fresh.set(address, items[index]!));
    if (this.legacy) {
      for (const address of [...fresh.keys()]) if (await this.legacy.has(address)) fresh.delete(address);
    }
    if (fresh.size === 0) return addresses;
    this.db
      .transaction(() => {
        for (const [address, bytes] of fresh) {
          this.insert.run(address, bytes.length, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        }
      })
      .immediate();
    this.unsynced = true;
    return addresses;
  }

  async sync(): Promise<void> {
    this.assertOpen();
    if (!this.unsynced) return;
    this.db.pragma('synchronous = FULL');
    try {
      this.db.prepare('INSERT OR REPLACE INTO synced (id, at) VALUES (1, ?)').run(new Date().toISOString());
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
    this.unsynced = false;
  }

  async get(address: string): Promise<Buffer> {
    this.assertOpen();
    assertAddress(address);
    const bytes = this.select.get(address) as Buffer | undefined;
    if (bytes !== undefined) return verifyContent(address, bytes);
    if (this.legacy) return this.legacy.get(address);
    throw notFound(`no blob ${address} in the content store`, { address });
  }

  async has(address: string): Promise<boolean> {
    this.assertOpen();
    assertAddress(address);
    if (this.exists.get(address) !== undefined) return true;
    return this.legacy ? this.legacy.has(address) : false;
  }

  async hasMany(addresses: readonly string[]): Promise<Set<string>> {
    this.assertOpen();
    for (const address of addresses) assertAddress(address);
    const found = new Set<string>();
    for (let start = 0; start < addresses.length; start += HAS_MANY_CHUNK) {
      const chunk = JSON.stringify(addresses.slice(start, start + HAS_MANY_CHUNK));
      for (const address of this.existing.all(chunk) as string[]) found.add(address);
    }
    const elsewhere = this.legacy ? addresses.filter((address) => !found.has(address)) : [];
    if (elsewhere.length > 0) for (const address of await this.legacy!.hasMany(elsewhere)) found.add(address);
    return found;
  }

  /** The addresses in this file by rowid pages (no long read transaction), then the legacy store's that are not here. */
  async *addresses(): AsyncIterable<string> {
    this.assertOpen();
    const page = this.db.prepare('SELECT id, address FROM blobs WHERE id > ? ORDER BY id LIMIT 1000').raw();
    let after = 0;
    for (;;) {
      const rows = page.all(after) as Array<[number, string]>;
      for (const [, address] of rows) yield address;
      if (rows.length < 1000) break;
      after = rows[rows.length - 1]![0];
    }
    if (!this.legacy) return;
    for await (const address of this.legacy.addresses()) {
      if (this.exists.get(address) === undefined) yield address;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    await this.legacy?.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('content store used after close');
  }
}
