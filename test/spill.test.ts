/**
 * A full index keeps local facts (Go's call sites, local bindings, docs and
 * declarations; TypeScript's and Python's calls) on disk until each file's
 * calls are resolved (src/indexer/spill.ts). The graph
 * must be the same as with every fact in memory (watch's memo on a store
 * that cannot read a cache row synchronously: PostgreSQL), whether
 * extraction runs in workers or inline (and whether the SQLite writer keeps
 * every symbol's number or looks most up), and the scratch file must never
 * outlive the index. On SQLite, watch's memo keeps heads only and points at
 * local facts in the extraction cache.
 * Facts from the extraction cache are cut at the offsets stored with them,
 * and parsed whole when those offsets do not fit.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
// @ts-expect-error — a plain JavaScript module of the benchmark scripts
import { generateGoRepository } from '../bench/generate-go.js';
import { openHub } from '../src/hub/hub.js';
import { indexRepository } from '../src/indexer/index-repository.js';
import type { FactsMemo } from '../src/indexer/read-files.js';
import { openDirectorySource } from '../src/indexer/source.js';
import { localLoader, localReader, Spill, type CachedRow, type LocalRef } from '../src/indexer/spill.js';
import { setKeptNumbers } from '../src/store/symbol-numbers.js';
import { freshStoreUrl } from './helpers/postgres.js';
import { renderGraph } from './helpers/render-graph.js';
import { tempDir } from './helpers/temp.js';

describe('spill', () => {
  it('reads back what was appended, leaves no file behind and refuses use after close', () => {
    const scratch = tempDir();
    const spill = new Spill(scratch);
    expect(readdirSync(scratch)).toEqual([]);
    const first = spill.append('{"calls":[1,2,3]}');
    const second = spill.append('{"name":"ünï 漢字 🎉"}');
    expect(spill.read(second)).toBe('{"name":"ünï 漢字 🎉"}');
    expect(spill.read(first)).toBe('{"calls":[1,2,3]}');
    expect(spill.bytes).toBe(first.length + second.length);
    spill.close();
    expect(() => spill.read(first)).toThrow(/after close/);
    expect(readdirSync(scratch)).toEqual([]);
  });

  it('reads local facts from the spill or from extraction-cache rows, each row once for a file, and fails on a row that is gone', () => {
    const spill = new Spill(tempDir());
    try {
      const text = '{"package":"p","calls":[1,2],"bindings":["x"]}';
      const at = (field: string): number => text.indexOf(`"${field}"`);
      const rows = new Map<string, CachedRow>([
        ['a', { facts: text, localAt: [at('calls'), at('bindings')] }],
        // Offsets that do not fit the text: the row is parsed whole.
        ['c', { facts: text, localAt: [3, 9] }],
      ]);
      const reads: string[] = [];
      const read = localReader(spill, (key) => {
        reads.push(key.blob);
        return rows.get(key.blob);
      });
      const cached = { blob: 'a', extractor: 'go@1' };
      const local = new Map<string, LocalRef>([
        ['calls', { cached, field: 'calls' }],
        ['bindings', { cached, field: 'bindings' }],
        // A field the row does not hold reads as nothing.
        ['scopes', { cached, field: 'scopes' }],
        ['docs', spill.append('{"docs":["d"]}')],
      ]);
      expect(localLoader(read, local)(['calls', 'bindings', 'scopes', 'docs'])).toEqual({ calls: [1, 2], bindings: ['x'], docs: ['d'] });
      expect(reads).toEqual(['a']);
      const damaged = { blob: 'c', extractor: 'go@1' };
      const whole = new Map<string, LocalRef>([
        ['calls', { cached: damaged, field: 'calls' }],
        ['scopes', { cached: damaged, field: 'scopes' }],
      ]);
      expect(localLoader(read, whole)(['calls', 'scopes'])).toEqual({ calls: [1, 2] });
      const gone = new Map([['calls', { cached: { blob: 'b', extractor: 'go@1' }, field: 'calls' }]]);
      expect(() => localLoader(read, gone)(['calls'])).toThrow(/no longer holds the facts of blob b/);
      expect(() => localLoader(localReader(spill), gone)(['calls'])).toThrow(/extraction cache/);
    } finally {
      spill.close();
    }
  });

  it('reads back pieces written in blocks, still pending or long written, larger than a block or not, in any order', () => {
    const spill = new Spill(tempDir());
    const pieces: Array<{ text: string; ref: ReturnType<Spill['append']> }> = [];
    let seed = 7;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    // ~3 MB in pieces of up to 40 KB, one of 1.5 MB (larger than a block), multi-byte characters throughout.
    for (let i = 0; i < 150; i++) {
      const size = i === 75 ? 1_500_000 : Math.floor(random() * 40_000);
      const text = `{"n":${i},"s":"${'é漢a'.repeat(Math.ceil(size / 3)).slice(0, size)}"}`;
      pieces.push({ text, ref: spill.append(text) });
      // Reading the newest piece while it is still only in memory.
      if (i % 50 === 49) expect(spill.read(pieces[i]!.ref)).toBe(text);
    }
    const order = pieces.map((_, i) => i).sort(() => random() - 0.5);
    for (const i of order) expect(spill.read(pieces[i]!.ref)).toBe(pieces[i]!.text);
    expect(() => spill.read({ offset: spill.bytes - 2, length: 10 })).toThrow(/out of range/);
    spill.close();
  });
});

describe('a full index with local facts on disk', () => {
  it('gives the graph an index with every fact in memory gives, in workers and inline', async () => {
    const root = tempDir();
    // 100 files: more than the inline limit, so the default extracts in workers.
    generateGoRepository(root, 40000);
    // Doc comments are a local fact too, read back for the symbol records.
    writeFileSync(join(root, 'pkg0', 'documented.go'), 'package pkg0\n\n// Documented says what it does.\nfunc Documented() {}\n');
    const repository = { name: 'example.com/synthetic' };
    const render = async (options: { threads?: number; memo?: FactsMemo }, store?: string): Promise<{ text: string; spilled: number; edges: number; doc: string | undefined }> => {
      const hub = await openHub({ dataDir: tempDir(), ...(store ? { store } : {}) });
      const scratch = tempDir();
      try {
        const source = await openDirectorySource(root);
        const result = await indexRepository({ source, repository, store: hub.store, cas: hub.cas, scratchDir: scratch, ...options });
        source.close();
        expect(readdirSync(scratch)).toEqual([]);
        const documented = (await hub.store.symbolsInFile(result.graph.id, 'pkg0/documented.go')).find((symbol) => symbol.name === 'Documented');
        return { text: await renderGraph(hub.store, result.graph), spilled: result.spilledBytes, edges: result.stats.edges, doc: documented?.doc };
      } finally {
        await hub.close();
      }
    };
    const inMemory = await render({ memo: new Map() }, freshStoreUrl().url);
    // The SQLite writer keeps the numbers of 500 of the ~3,900 symbols and looks the rest up in the store.
    const kept = setKeptNumbers(500);
    let workers, inline;
    try {
      workers = await render({});
      inline = await render({ threads: 0 });
    } finally {
      setKeptNumbers(kept);
    }
    expect(inMemory.spilled).toBe(0);
    expect(workers.spilled).toBeGreaterThan(100_000);
    expect(inline.spilled).toBe(workers.spilled);
    expect(inMemory.edges).toBeGreaterThan(5000);
    expect(workers.text).toBe(inMemory.text);
    expect(inline.text).toBe(inMemory.text);
    expect(inMemory.doc).toBe('Documented says what it does.');
    expect(workers.doc).toBe(inMemory.doc);
    expect(inline.doc).toBe(inMemory.doc);
  });

  it('cuts cached facts at their stored offsets, and parses them whole when the offsets do not fit', async () => {
    const root = tempDir();
    generateGoRepository(root, 20000);
    const repository = { name: 'example.com/synthetic' };
    const data = tempDir();
    const hub = await openHub({ dataDir: data });
    const index = async (): Promise<{ text: string; cached: number }> => {
      const source = await openDirectorySource(root);
      // From scratch each time: every file's facts come from the extraction cache after the first.
      const result = await indexRepository({ source, repository, store: hub.store, cas: hub.cas, incremental: false });
      source.close();
      return { text: await renderGraph(hub.store, result.graph), cached: result.cachedFiles };
    };
    try {
      const parsed = await index();
      const cut = await index();
      expect(parsed.cached).toBe(0);
      expect(cut.cached).toBeGreaterThan(40);
      expect(cut.text).toBe(parsed.text);
      // Damaged cache rows must not cost the index: offsets that point into the middle of the text, and
      // values that are not a list of numbers at all (read as no offsets, the facts parsed whole).
      for (const damage of ["'[7, 9]'", "CASE WHEN rowid % 2 = 0 THEN '[7, 9' ELSE '{\"a\":1}' END"]) {
        const db = new Database(join(data, 'graph.sqlite'));
        const damaged = db.prepare(`UPDATE extractions SET local_at = ${damage} WHERE local_at IS NOT NULL`).run().changes;
        db.close();
        expect(damaged).toBeGreaterThan(40);
        const recovered = await index();
        expect(recovered.cached).toBe(cut.cached);
        expect(recovered.text).toBe(parsed.text);
      }
    } finally {
      await hub.close();
    }
  });

  it("keeps watch's memo to heads on SQLite: local facts stay in the extraction cache, and runs after an edit give a full index's graph", async () => {
    const root = tempDir();
    generateGoRepository(root, 20000);
    const repository = { name: 'example.com/synthetic' };
    const hub = await openHub({ dataDir: tempDir() });
    const fullHub = await openHub({ dataDir: tempDir() });
    const memo: FactsMemo = new Map();
    const index = async (into: typeof hub, withMemo: boolean) => {
      const source = await openDirectorySource(root);
      try {
        return await indexRepository({ source, repository, store: into.store, cas: into.cas, ...(withMemo ? { memo } : {}) });
      } finally {
        source.close();
      }
    };
    try {
      const first = await index(hub, true);
      expect(first.spilledBytes).toBeGreaterThan(100_000);
      const goFiles = first.stats.files - first.stats.skipped;
      expect(memo.size).toBe(goFiles);
      for (const entry of memo.values()) {
        const facts = entry.facts as { calls: unknown[]; heads: unknown[] };
        expect(facts.heads.length).toBeGreaterThan(0);
        expect(facts.calls).toEqual([]);
        expect([...entry.local!.values()].every((ref) => 'cached' in ref)).toBe(true);
        expect([...entry.local!.keys()]).toContain('calls');
      }
      // An edit: a call added to one file (its facts new), the rest from the memo, their calls read from the cache.
      const edited = join(root, 'pkg1', 'file1.go');
      writeFileSync(edited, `${readFileSync(edited, 'utf8')}\nfunc Added() int { return F1_0(1) }\n`);
      const second = await index(hub, true);
      expect(second.cachedFiles).toBe(goFiles - 1);
      const full = await index(fullHub, false);
      expect(await renderGraph(hub.store, second.graph)).toBe(await renderGraph(fullHub.store, full.graph));
      expect(second.stats.edges).toBe(first.stats.edges + 1);
    } finally {
      await hub.close();
      await fullHub.close();
    }
  });

  it('keeps TypeScript and Python calls on disk too, with the graph of an index that holds them in memory', async () => {
    for (const fixture of ['typescript/fixtures/ts-classes', 'typescript/fixtures/js-commonjs', 'python/fixtures/py-classes']) {
      const root = join(fileURLToPath(new URL('../src/languages/', import.meta.url)), fixture);
      const render = async (memo?: FactsMemo): Promise<{ text: string; spilled: number; edges: number }> => {
        // The facts in memory: watch's memo on PostgreSQL.
        const hub = await openHub({ dataDir: tempDir(), ...(memo ? { store: freshStoreUrl().url } : {}) });
        try {
          const source = await openDirectorySource(root);
          const result = await indexRepository({ source, repository: { name: `example.com/${fixture}` }, store: hub.store, cas: hub.cas, ...(memo ? { memo } : {}) });
          source.close();
          return { text: await renderGraph(hub.store, result.graph), spilled: result.spilledBytes, edges: result.stats.edges };
        } finally {
          await hub.close();
        }
      };
      const inMemory = await render(new Map());
      const spilled = await render();
      expect(inMemory.spilled, fixture).toBe(0);
      expect(spilled.spilled, fixture).toBeGreaterThan(500);
      expect(inMemory.edges, fixture).toBeGreaterThan(5);
      expect(spilled.text, fixture).toBe(inMemory.text);
    }
  });
});
