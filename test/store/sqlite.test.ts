import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/store/graph-store.js';
import { SqliteGraphStore } from '../../src/store/sqlite/sqlite-store.js';
import { tempDir } from '../helpers/temp.js';
import { storeContract } from './contract.js';

const paths = new WeakMap<GraphStore, string>();

storeContract('sqlite', {
  open: async () => {
    const path = join(tempDir(), 'graph.sqlite');
    const store = new SqliteGraphStore(path);
    paths.set(store, path);
    return store;
  },
  // Another connection on the same file, as another process would have.
  reopen: async (store) => new SqliteGraphStore(paths.get(store)!),
});

describe('sqlite search index', () => {
  it('stays consistent through publish, replace, in-place update, abort and abandoned graphs', async () => {
    const path = join(tempDir(), 'graph.sqlite');
    const store = new SqliteGraphStore(path);
    const stats = { files: 0, skipped: 0, symbols: 0, edges: 0, unresolved: 0, externalRefs: 0, diagnostics: 0, lines: 0, bytes: 0, durationMs: 0 };
    const symbol = (name: string, file = 'a.go') => ({
      id: `go:${file}:main.${name}`,
      kind: 'function' as const,
      name,
      qualifiedName: `main.${name}`,
      language: 'go',
      file,
      range: { startLine: 1, startCol: 1, endLine: 2, endCol: 1 },
      nameLine: 1,
      nameCol: 1,
      signature: '()',
      exported: false,
      doc: '',
    });
    const names = async (text: string) => (await store.searchSymbols({ text, limit: 10 })).map((hit) => hit.symbol.name).sort();
    try {
      let writer = await store.beginGraph({ name: 'r' }, 'c1', 'test');
      await writer.addSymbols([symbol('alphaOne'), symbol('betaOne', 'b.go')]);
      const first = await writer.publish(stats);
      expect(await names('phaon')).toEqual(['alphaOne']);

      // Same commit again: the old graph's symbols leave the index with it.
      writer = await store.beginGraph({ name: 'r' }, 'c1', 'test');
      await writer.addSymbols([symbol('alphaTwo'), symbol('betaOne', 'b.go')]);
      const second = await writer.publish(stats);
      expect(second.id).not.toBe(first.id);
      expect(await names('phaon')).toEqual([]);
      expect(await names('phatw')).toEqual(['alphaTwo']);

      // In place: a.go's symbols are replaced, b.go's kept.
      writer = await store.beginUpdate(second.id, ['a.go']);
      await writer.addSymbols([symbol('alphaThree')]);
      await writer.publish(stats);
      expect(await names('phat')).toEqual(['alphaThree']);
      expect(await names('etaon')).toEqual(['betaOne']);

      // An aborted update and an aborted graph leave no trace.
      writer = await store.beginUpdate(second.id, ['a.go']);
      await writer.addSymbols([symbol('gammaGone')]);
      await writer.abort();
      writer = await store.beginGraph({ name: 'r' }, 'c2', 'test');
      await writer.addSymbols([symbol('deltaGone')]);
      await writer.abort();
      expect(await names('gone')).toEqual([]);
      expect(await names('phat')).toEqual(['alphaThree']);

      // A name is indexed once for every graph that has it: another repository's symbol of the same
      // name is found with it, and still after the first repository's graph of it is replaced.
      writer = await store.beginGraph({ name: 'other' }, 'c1', 'test');
      await writer.addSymbols([symbol('alphaThree'), symbol('betaOne', 'b.go')]);
      await writer.publish(stats);
      const repositoriesOf = async (text: string) => (await store.searchSymbols({ text, limit: 10 })).map((hit) => hit.repository).sort();
      expect(await repositoriesOf('phathr')).toEqual(['other', 'r']);
      writer = await store.beginGraph({ name: 'r' }, 'c1', 'test');
      await writer.addSymbols([symbol('omegaSolo')]);
      await writer.publish(stats);
      expect(await repositoriesOf('phathr')).toEqual(['other']);
      expect(await repositoriesOf('etaon')).toEqual(['other']);
      expect(await names('egaso')).toEqual(['omegaSolo']);
      const reader = new Database(path, { readonly: true });
      expect(reader.prepare("SELECT COUNT(*) FROM search_names WHERE qualified_name = 'main.alphaThree'").pluck().get()).toBe(1);
      reader.close();
    } finally {
      await store.close();
    }
    // FTS5's own check: the index matches its content table exactly.
    const db = new Database(path);
    try {
      expect(() => db.prepare("INSERT INTO search_names_fts (search_names_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    } finally {
      db.close();
    }
  });
});
