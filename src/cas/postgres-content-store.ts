/**
 * The content store for many machines: blobs in a PostgreSQL table, so every
 * hub server and worker reads and writes the same store without a shared
 * file system. Large values are compressed and kept out of line by the
 * server (TOAST); source text compresses well.
 *
 * The invariant is the embedded store's: `get` re-hashes what the database
 * returned and throws an `integrity` error on a mismatch, so a bad disk,
 * a bad restore or a hand-edited row is reported, never served.
 */
import type pg from 'pg';
import { notFound } from '../model/errors.js';
import { assertAddress, sha256Hex, verifyContent, type ContentStore } from './content-store.js';

/** Addresses asked per query by hasMany. */
const HAS_MANY_CHUNK = 10_000;

/** Above this size `put` asks whether the blob exists before sending its bytes again. */
const CHECK_FIRST_BYTES = 64 * 1024;
/** Addresses listed per round trip by `addresses`. */
const PAGE = 1000;

export class PostgresContentStore implements ContentStore {
  /** The pool is shared with the graph store; whoever opened it closes it, unless `onClose` hands that over. */
  constructor(
    private readonly pool: pg.Pool,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  async put(bytes: Uint8Array): Promise<string> {
    const address = sha256Hex(bytes);
    if (bytes.length > CHECK_FIRST_BYTES && (await this.has(address))) return address;
    // Two machines storing the same bytes at once: the first row wins, and both rows would be equal.
    await this.pool.query(
      'INSERT INTO blobs (address, size, bytes, stored_at) VALUES ($1, $2, $3, $4) ON CONFLICT (address) DO NOTHING',
      [address, bytes.length, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), new Date().toISOString()],
    );
    return address;
  }

  /** Puts side by side: each is one statement the pool runs on a free connection. */
  async putMany(items: Uint8Array[]): Promise<string[]> {
    return Promise.all(items.map((bytes) => this.put(bytes)));
  }

  /** Nothing to do: every put is a committed statement. */
  async sync(): Promise<void> {}

  async get(address: string): Promise<Buffer> {
    assertAddress(address);
    const { rows } = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM blobs WHERE address = $1', [address]);
    if (rows.length === 0) throw notFound(`no blob ${address} in the content store`, { address });
    return verifyContent(address, rows[0]!.bytes);
  }

  async has(address: string): Promise<boolean> {
    assertAddress(address);
    const { rowCount } = await this.pool.query('SELECT 1 FROM blobs WHERE address = $1', [address]);
    return rowCount === 1;
  }

  async hasMany(addresses: readonly string[]): Promise<Set<string>> {
    for (const address of addresses) assertAddress(address);
    const found = new Set<string>();
    for (let start = 0; start < addresses.length; start += HAS_MANY_CHUNK) {
      const { rows } = await this.pool.query<{ address: string }>('SELECT address FROM blobs WHERE address = ANY($1::text[])', [
        addresses.slice(start, start + HAS_MANY_CHUNK),
      ]);
      for (const row of rows) found.add(row.address);
    }
    return found;
  }

  /** Pages through the primary key, so listing millions of blobs holds no cursor and no transaction open. */
  async *addresses(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const { rows } = await this.pool.query<{ address: string }>(
        'SELECT address FROM blobs WHERE address > $1 ORDER BY address LIMIT $2',
        [after, PAGE],
      );
      for (const row of rows) yield row.address;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.address;
    }
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
