/**
 * The content-addressed store (CAS): bytes are stored under the SHA-256 hex of
 * their content, once, whatever number of commits or repositories hold them.
 *
 * Architecture invariant: `get` never returns bytes whose hash differs from
 * the address asked for; it throws an `integrity` GraphhubError instead. A
 * flipped bit on disk is reported, never served.
 */
import { createHash } from 'node:crypto';
import { GraphhubError, invalidInput } from '../model/errors.js';

export interface ContentStore {
  /** Stores the bytes (idempotent) and returns their address; durable when it resolves. */
  put(bytes: Uint8Array): Promise<string>;
  /**
   * Stores many blobs at once (idempotent), returning their addresses in
   * order. They can be read at once, but are only certain to survive a
   * crash once `sync` resolves: an index stores a repository in batches and
   * syncs once, before it publishes a graph that names them.
   */
  putMany(items: Uint8Array[]): Promise<string[]>;
  /** Makes every blob stored through this handle durable. */
  sync(): Promise<void>;
  /** The bytes at the address, verified; `not-found` or `integrity` errors otherwise. */
  get(address: string): Promise<Buffer>;
  has(address: string): Promise<boolean>;
  /**
   * Those of `addresses` the store holds, asked at once: an incremental
   * index checks every unchanged file's blob, one round trip each to
   * PostgreSQL otherwise. Malformed addresses are rejected as `has` does.
   */
  hasMany(addresses: readonly string[]): Promise<Set<string>>;
  /** Every stored address, in no particular order. */
  addresses(): AsyncIterable<string>;
  /** Releases handles; the store is unusable afterwards. */
  close(): Promise<void>;
}

const ADDRESS = /^[0-9a-f]{64}$/;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Addresses come from URLs and MCP arguments too: anything but 64 lower-case hex digits is refused. */
export function assertAddress(address: string): void {
  if (typeof address !== 'string' || !ADDRESS.test(address)) {
    throw invalidInput(`not a content address (64 lower-case hex digits): ${JSON.stringify(String(address).slice(0, 80))}`);
  }
}

export function verifyContent(address: string, bytes: Buffer): Buffer {
  const actual = sha256Hex(bytes);
  if (actual !== address) {
    throw new GraphhubError('integrity', `integrity error: blob ${address} hashes to ${actual}`, {
      address,
      actual,
    });
  }
  return bytes;
}

export interface VerifyReport {
  checked: number;
  corrupt: string[];
  missing: string[];
}

/**
 * Checks every blob in the store, and that every address in `expected` is
 * present. Reading goes through `get`, so the check is the same one every
 * read makes.
 */
export async function verifyStore(store: ContentStore, expected: Iterable<string> = []): Promise<VerifyReport> {
  const report: VerifyReport = { checked: 0, corrupt: [], missing: [] };
  const seen = new Set<string>();
  for await (const address of store.addresses()) {
    seen.add(address);
    report.checked++;
    try {
      await store.get(address);
    } catch (error) {
      if (error instanceof GraphhubError && error.code === 'integrity') report.corrupt.push(address);
      else throw error;
    }
  }
  for (const address of expected) {
    if (!seen.has(address) && !(await store.has(address))) report.missing.push(address);
  }
  report.corrupt.sort();
  report.missing.sort();
  return report;
}
