import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sha256Hex, verifyStore, type ContentStore } from '../../src/cas/content-store.js';
import { FsContentStore } from '../../src/cas/fs-content-store.js';
import { SqliteContentStore } from '../../src/cas/sqlite-content-store.js';
import { removeBlob, tamperBlob } from '../helpers/blobs.js';
import { runScript } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp.js';
import { contentStoreContract } from './contract.js';

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
const STORE = new URL('../../dist/cas/sqlite-content-store.js', import.meta.url).href;

/** A child process storing 40 batches into the file: blobs of its own, and one both children store in every batch. */
function storer(path: string, name: string): Promise<{ code: number | null; stderr: string }> {
  const script = `
    const { SqliteContentStore } = await import(${JSON.stringify(STORE)});
    const cas = new SqliteContentStore(${JSON.stringify(path)});
    for (let batch = 0; batch < 40; batch++) {
      const blobs = [Buffer.from('shared ' + batch)];
      for (let i = 0; i < 25; i++) blobs.push(Buffer.from(${JSON.stringify(name)} + ' ' + batch + ' ' + i + ' ' + 'x'.repeat(i * 500)));
      await cas.putMany(blobs);
    }
    await cas.sync();
    await cas.close();`;
  return runScript(script);
}
const folders = new WeakMap<ContentStore, string>();

contentStoreContract('SQLite', {
  open: async () => {
    const folder = tempDir();
    const cas = new SqliteContentStore(join(folder, 'cas.sqlite'));
    folders.set(cas, folder);
    return cas;
  },
  tamper: async (cas, address, bytes) => tamperBlob(folders.get(cas)!, address, () => bytes),
  remove: async (cas, address) => removeBlob(folders.get(cas)!, address),
});

function rowsIn(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT address FROM blobs ORDER BY address').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('SQLite content store', () => {
  it('reads the blob files of an older data folder, and writes new blobs only to its own file', async () => {
    const folder = tempDir();
    const files = new FsContentStore(join(folder, 'cas'));
    const old = await files.put(Buffer.from('package old\n'));
    const damaged = await files.put(Buffer.from('package damaged\n'));
    writeFileSync(files.pathOf(damaged), 'package tampered\n');

    const cas = new SqliteContentStore(join(folder, 'cas.sqlite'), new FsContentStore(join(folder, 'cas')));
    const fresh = sha256Hex(Buffer.from('package fresh\n'));
    try {
      expect((await cas.get(old)).toString()).toBe('package old\n');
      expect(await cas.has(old)).toBe(true);
      await expect(cas.get(damaged)).rejects.toMatchObject({ code: 'integrity' });
      expect(await cas.putMany([Buffer.from('package old\n'), Buffer.from('package fresh\n')])).toEqual([old, fresh]);
      expect((await cas.get(fresh)).toString()).toBe('package fresh\n');
      // Asked at once: this file's blobs and the older folder's alike.
      expect(await cas.hasMany([old, fresh, '0'.repeat(64), damaged])).toEqual(new Set([old, fresh, damaged]));
      const listed: string[] = [];
      for await (const address of cas.addresses()) listed.push(address);
      expect(listed.sort()).toEqual([old, damaged, fresh].sort());
    } finally {
      await cas.close();
    }
    // The old blob was not copied; the new one is not a file.
    expect(rowsIn(join(folder, 'cas.sqlite'))).toEqual([fresh]);
    expect(existsSync(files.pathOf(fresh))).toBe(false);
  });

  it('is shared by two handles on one file, as the indexer and the server share it', async () => {
    const path = join(tempDir(), 'cas.sqlite');
    const writer = new SqliteContentStore(path);
    const reader = new SqliteContentStore(path);
    try {
      const address = await writer.put(Buffer.from('seen by both'));
      expect((await reader.get(address)).toString()).toBe('seen by both');
      expect(await reader.put(Buffer.from('seen by both'))).toBe(address);
    } finally {
      await writer.close();
      await reader.close();
    }
    expect(rowsIn(path)).toHaveLength(1);
  });

  it('takes batches from two processes at once into a new file, each blob once and whole', async () => {
    const path = join(tempDir(), 'cas.sqlite');
    const results = await Promise.all([storer(path, 'alpha'), storer(path, 'bravo')]);
    for (const result of results) expect(result.stderr).toBe('');
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    expect(rowsIn(path)).toHaveLength(40 + 2 * 40 * 25);
    const cas = new SqliteContentStore(path);
    try {
      const report = await verifyStore(cas, [sha256Hex(Buffer.from('shared 39')), sha256Hex(Buffer.from(`bravo 39 24 ${'x'.repeat(24 * 500)}`))]);
      expect(report).toEqual({ checked: 40 + 2 * 40 * 25, corrupt: [], missing: [] });
    } finally {
      await cas.close();
    }
  });

  it('refuses to be used after close', async () => {
    const cas = new SqliteContentStore(join(tempDir(), 'cas.sqlite'));
    const address = await cas.put(Buffer.from('x'));
    await cas.close();
    await expect(cas.get(address)).rejects.toThrow(/after close/);
  });
});
