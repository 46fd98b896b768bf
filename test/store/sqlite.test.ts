import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/store/graph-store.js';
import { MIGRATIONS, sqlFor } from '../../src/store/schema.js';
import { SqliteGraphStore } from '../../src/store/sqlite/sqlite-store.js';
import { setKeptNumbers } from '../../src/store/symbol-numbers.js';
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
  keptNumbers: setKeptNumbers,
  rowsOf: async (store, table) => {
    const db = new Database(paths.get(store)!, { readonly: true });
    try {
      const column = table === 'graphs' ? 'id' : 'graph_id';
      const rows = db.prepare(`SELECT ${column} AS id, COUNT(*) AS n FROM ${table} GROUP BY ${column}`).all() as Array<{ id: number; n: number }>;
      return new Map(rows.map((row) => [row.id, row.n]));
    } finally {
      db.close();
    }
  },
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

describe('sqlite migration to layered graphs (12)', () => {
  it("keeps a data folder's graphs written before it readable, and a new commit's graph shares their rows", async () => {
    const path = join(tempDir(), 'graph.sqlite');
    // A data folder as the previous version left it: migrations 1-11 and a graph written into the tables of then.
    const db = new Database(path);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const migration of MIGRATIONS.filter((m) => m.version < 12)) {
      for (const statement of migration.statements) db.exec(sqlFor('sqlite', statement));
      for (const statement of migration.dialect?.sqlite ?? []) db.exec(statement);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(migration.version, migration.name, 'then');
    }
    db.exec(`INSERT INTO repositories (id, name) VALUES (1, 'example.com/m');
      INSERT INTO graphs (id, repository_id, commit_sha, status, indexer_version, started_at, indexed_at, stats)
        VALUES (1, 1, 'c1', 'ready', 'test', 'then', 'then', '{}');
      UPDATE repositories SET current_graph_id = 1;
      INSERT INTO files (graph_id, path, blob, size) VALUES (1, 'a.go', 'aa', 1), (1, 'b.go', 'bb', 1);`);
    const insert = db.prepare(
      `INSERT INTO symbols (graph_id, idx, sid, kind, name, search_name, qualified_name, language, file_path, start_line, start_col,
         end_line, end_col, name_line, name_col, signature, exported, doc) VALUES (1, ?, ?, 'function', ?, ?, ?, 'go', ?, 1, 1, 2, 1, 1, 6, '()', 0, '')`,
    );
    insert.run(0, 'go:a.go:main.a', 'a', 'a', 'main.a', 'a.go');
    insert.run(1, 'go:b.go:main.b', 'b', 'b', 'main.b', 'b.go');
    db.exec(`INSERT INTO edges (graph_id, caller, callee, strategy, confidence, sites) VALUES (1, 0, 1, 'go.same-package', 0.85, '[]');
      INSERT INTO edges (graph_id, caller, callee, strategy, confidence, sites) VALUES (1, 1, 0, 'go.same-package', 0.85, '[]');`);
    db.close();

    const store = new SqliteGraphStore(path);
    try {
      expect((await store.callees(1, 'go:a.go:main.a')).map((edge) => edge.symbol.name)).toEqual(['b']);
      // b.go changes in the next commit, which shares a.go's rows with the graph of before.
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c2', 'test');
      await writer.reuseSymbols(1, ['a.go'], { share: true });
      await writer.addSymbols([{ ...(await store.getSymbol(1, 'go:b.go:main.b'))!, nameLine: 7 }]);
      await writer.reuseCalls();
      const next = await writer.publish({ files: 2, skipped: 0, symbols: 2, edges: 1, unresolved: 0, externalRefs: 0, diagnostics: 0, lines: 2, bytes: 2, durationMs: 1 });
      expect((await store.callees(next.id, 'go:a.go:main.a')).map((edge) => edge.symbol.name)).toEqual(['b']);
      expect((await store.callees(next.id, 'go:b.go:main.b')).map((edge) => edge.symbol.name)).toEqual([]);
      expect((await store.getSymbol(next.id, 'go:b.go:main.b'))?.nameLine).toBe(7);
      expect((await store.callees(1, 'go:b.go:main.b')).map((edge) => edge.symbol.name)).toEqual(['a']);
    } finally {
      await store.close();
    }
    const after = new Database(path, { readonly: true });
    expect(after.prepare('SELECT graph_id, COUNT(*) AS n FROM symbol_rows GROUP BY graph_id').all()).toEqual([{ graph_id: 1, n: 2 }, { graph_id: 2, n: 1 }]);
    after.close();
  });
});
