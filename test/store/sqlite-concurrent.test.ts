/**
 * Two processes opening a new SQLite file and publishing graphs into it at
 * once: each migrates or finds it migrated, every publish succeeds (a transaction that read before writing would fail when
 * the other process committed in between), the search index stays whole,
 * and each repository's newest names are found.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteGraphStore } from '../../src/store/sqlite/sqlite-store.js';
import { runScript } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp.js';

const STORE = new URL('../../dist/store/sqlite/sqlite-store.js', import.meta.url).href;
const ROUNDS = 40;

/** A child that publishes ROUNDS graphs of `repository`, each with names of its own plus one shared by both children. */
function publisher(path: string, repository: string): Promise<{ code: number | null; stderr: string }> {
  const script = `
    const { SqliteGraphStore } = await import(${JSON.stringify(STORE)});
    const store = new SqliteGraphStore(${JSON.stringify(path)});
    const stats = { files: 0, skipped: 0, symbols: 0, edges: 0, unresolved: 0, externalRefs: 0, diagnostics: 0, lines: 0, bytes: 0, durationMs: 0 };
    const symbol = (name) => ({ id: 'go:a.go:main.' + name, kind: 'function', name, qualifiedName: 'main.' + name, language: 'go', file: 'a.go',
      range: { startLine: 1, startCol: 1, endLine: 2, endCol: 1 }, nameLine: 1, nameCol: 1, signature: '()', exported: false, doc: '' });
    for (let round = 0; round < ${ROUNDS}; round++) {
      const writer = await store.beginGraph({ name: ${JSON.stringify(repository)} }, 'c' + round, 'test');
      await writer.addSymbols([symbol(${JSON.stringify(repository)} + 'Round' + round), symbol('sharedHelper')]);
      await writer.publish(stats);
    }
    await store.close();`;
  return runScript(script);
}

describe('SQLite with two writing processes', () => {
  it('publishes every graph of both, with a whole search index', async () => {
    // A new file: the two children race to migrate it too.
    const path = join(tempDir(), 'graph.sqlite');
    const results = await Promise.all([publisher(path, 'alpha'), publisher(path, 'bravo')]);
    for (const result of results) expect(result.stderr).toBe('');
    expect(results.map((result) => result.code)).toEqual([0, 0]);

    const store = new SqliteGraphStore(path);
    try {
      const found = async (text: string) => (await store.searchSymbols({ text, limit: 10 })).map((hit) => `${hit.repository}:${hit.symbol.name}`).sort();
      expect(await found(`alphaRound${ROUNDS - 1}`)).toEqual([`alpha:alphaRound${ROUNDS - 1}`]);
      expect(await found(`bravoRound${ROUNDS - 1}`)).toEqual([`bravo:bravoRound${ROUNDS - 1}`]);
      expect(await found('sharedhelp')).toEqual(['alpha:sharedHelper', 'bravo:sharedHelper']);
    } finally {
      await store.close();
    }
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) FROM graphs WHERE status = 'ready'").pluck().get()).toBe(2 * ROUNDS);
      // Each name once, in the table and in the trigram index (FTS5's own check).
      expect(db.prepare('SELECT COUNT(*) FROM search_names').pluck().get()).toBe(2 * ROUNDS + 1);
    } finally {
      db.close();
    }
    const writable = new Database(path);
    try {
      expect(() => writable.prepare("INSERT INTO search_names_fts (search_names_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    } finally {
      writable.close();
    }
  }, 60000);
});
