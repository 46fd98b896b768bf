/**
 * The graph-store contract: every backend runs this same suite (SQLite and
 * PostgreSQL). A behaviour one backend cannot offer is listed as a known gap
 * in `gaps`, never silently skipped.
 */
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { EdgeRecord, GraphStats, SymbolRecord } from '../../src/model/graph.js';
import type { GraphStore } from '../../src/store/graph-store.js';

export interface StoreFactory {
  /** A fresh, empty store. */
  open(): Promise<GraphStore>;
  /** A second handle on the same data (another process's view), when the backend can give one. */
  reopen?(store: GraphStore): Promise<GraphStore>;
  /** Known differences of this backend, each checked for what it does instead. */
  gaps?: Gap[];
  /** How many rows of each graph a physical table holds (graph id → rows): what sharing saves is not seen through queries. */
  rowsOf(store: GraphStore, table: 'symbol_rows' | 'edge_rows' | 'graphs'): Promise<Map<number, number>>;
  /** Makes writers begun from now on keep at most `count` symbol numbers in memory, when the backend bounds them; returns the previous bound. */
  keptNumbers?(count: number): number;
}

/**
 * - `nul-in-text`: PostgreSQL text cannot hold U+0000; the backend stores
 *   U+FFFD in its place (a hostile file can put NUL in a comment).
 */
export type Gap = 'nul-in-text';

const STATS: GraphStats = {
  files: 1, skipped: 0, symbols: 3, edges: 2, unresolved: 1, externalRefs: 1, diagnostics: 0, lines: 10, bytes: 100, durationMs: 1,
};

function symbol(id: string, name: string, kind: SymbolRecord['kind'] = 'function', line = 1): SymbolRecord {
  return {
    id,
    kind,
    name,
    qualifiedName: `main.${name}`,
    language: 'go',
    file: 'main.go',
    range: { startLine: line, startCol: 1, endLine: line + 2, endCol: 2 },
    nameLine: line,
    nameCol: 6,
    signature: '()',
    exported: /^[A-Z]/.test(name),
    doc: '',
    packagePath: 'example.com/m',
    module: 'example.com/m',
  };
}

/** Writes a small graph: file → a → b, a → c; returns the published info. */
async function writeGraph(store: GraphStore, repository: string, commit: string, variant = '') {
  const writer = await store.beginGraph({ name: repository }, commit, 'test');
  await writer.addFiles([{ path: 'main.go', blob: 'f'.repeat(64), size: 100, language: 'go', lines: 10 }]);
  const symbols = [
    symbol('go:main.go:', 'main.go', 'file'),
    symbol('go:main.go:main.a', `a${variant}`, 'function', 3),
    symbol('go:main.go:main.b', 'b', 'function', 7),
    symbol('go:main.go:main.TestA', 'TestA', 'test', 9),
  ];
  await writer.addSymbols(symbols);
  const edges: EdgeRecord[] = [
    { caller: 'go:main.go:main.a', callee: 'go:main.go:main.b', strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'main.go', line: 4, col: 2 }] },
    { caller: 'go:main.go:', callee: 'go:main.go:main.a', strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'main.go', line: 1, col: 9 }] },
    { caller: 'go:main.go:main.TestA', callee: 'go:main.go:main.a', strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'main.go', line: 10, col: 2 }] },
  ];
  await writer.addEdges(edges);
  await writer.addUnresolved([
    { caller: 'go:main.go:main.a', name: 'b', receiver: 'x', reason: 'receiver type unknown', site: { file: 'main.go', line: 5, col: 3 }, couldBe: 'method' },
    { caller: 'go:main.go:main.a', name: 'b', reason: 'unknown import', site: { file: 'main.go', line: 5, col: 9 }, couldBe: 'function' },
    { caller: 'go:main.go:main.a', name: 'b', receiver: 'r', reason: 'a value of another module', site: { file: 'main.go', line: 5, col: 20 } },
  ]);
  await writer.addExternalRefs([
    { caller: 'go:main.go:main.a', module: 'std', packagePath: 'fmt', symbol: 'Println', strategy: 'go.import', confidence: 0.92, site: { file: 'main.go', line: 6, col: 6 } },
  ]);
  await writer.addDiagnostics([{ file: 'main.go', severity: 'warning', message: 'hello', line: 2 }]);
  await writer.addModules([{ ecosystem: 'go', name: 'example.com/m', manifest: 'go.mod', directory: '' }], [
    { ecosystem: 'go', from: 'example.com/m', name: 'github.com/x/y', version: 'v1.0.0', kind: 'require', manifest: 'go.mod' },
  ]);
  return writer.publish(STATS);
}

export function storeContract(name: string, factory: StoreFactory): void {
  describe(`graph store contract: ${name}`, () => {
    let store: GraphStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('publishes a graph that readers then see whole', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      expect(graph.repository).toBe('example.com/m');
      expect(graph.commit).toBe('c1');
      expect(graph.stats.symbols).toBe(3);
      expect(graph.modules).toEqual(['example.com/m']);
      const found = await store.findGraph('example.com/m');
      expect(found?.id).toBe(graph.id);
      const repositories = await store.listRepositories();
      expect(repositories.map((r) => [r.name, r.graphCount, r.newest?.commit])).toEqual([['example.com/m', 1, 'c1']]);
    });

    it('answers symbols, callers, callees and unresolved calls', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      const a = await store.getSymbol(graph.id, 'go:main.go:main.a');
      expect(a?.name).toBe('a');
      expect(a?.range).toEqual({ startLine: 3, startCol: 1, endLine: 5, endCol: 2 });
      const callers = await store.callers(graph.id, 'go:main.go:main.a');
      expect(callers.map((edge) => [edge.symbol.id, edge.strategy, edge.confidence])).toEqual([
        // Equal confidence: ordered by qualified name, byte-wise ("C" collation) on every backend.
        ['go:main.go:main.TestA', 'go.same-package', 0.85],
        ['go:main.go:', 'go.same-package', 0.85],
      ]);
      const callees = await store.callees(graph.id, 'go:main.go:main.a');
      expect(callees.map((edge) => edge.symbol.name)).toEqual(['b']);
      expect(callees[0]!.sites).toEqual([{ file: 'main.go', line: 4, col: 2 }]);
      // A page reads the first few of a symbol's callers, in the same order, and counts the rest without reading them.
      expect((await store.callers(graph.id, 'go:main.go:main.a', 1)).map((edge) => edge.symbol.id)).toEqual(['go:main.go:main.TestA']);
      expect((await store.callees(graph.id, 'go:main.go:main.a', 0)).length).toBe(0);
      expect(await store.edgeCounts(graph.id, 'go:main.go:main.a')).toEqual({ callers: 2, callees: 1 });
      expect(await store.edgeCounts(graph.id, 'go:main.go:main.nothing')).toEqual({ callers: 0, callees: 0 });
      expect((await store.unresolvedFrom(graph.id, 'go:main.go:main.a')).map((u) => [u.name, u.receiver, u.site.col, u.couldBe])).toEqual([
        ['b', 'x', 3, 'method'],
        ['b', undefined, 9, 'function'],
        ['b', 'r', 20, undefined],
      ]);
      // Possible callers: the same name and a call that could reach a symbol of that kind; never one known to go elsewhere.
      expect(await store.countPossibleCallers(graph.id, { name: 'b', kind: 'function' })).toBe(1);
      expect(await store.countPossibleCallers(graph.id, { name: 'b', kind: 'method' })).toBe(1);
      expect(await store.countPossibleCallers(graph.id, { name: 'b', kind: 'struct' })).toBe(0);
      expect(await store.countPossibleCallers(graph.id, { name: 'zzz', kind: 'function' })).toBe(0);
      expect((await store.externalRefsFrom(graph.id, 'go:main.go:main.a')).map((r) => `${r.packagePath}.${r.symbol}`)).toEqual(['fmt.Println']);
      const many = await store.callersOfMany(graph.id, ['go:main.go:main.a', 'go:main.go:main.b']);
      expect(many.get('go:main.go:main.b')!.map((edge) => edge.symbol.name)).toEqual(['a']);
      const named = await store.symbolsNamed(graph.id, 'b', 10);
      expect(named.map((s) => s.id)).toEqual(['go:main.go:main.b']);
      expect((await store.symbolsQualified(graph.id, 'main.b', 10)).length).toBe(1);
      expect((await store.symbolNames(graph.id)).sort()).toEqual(['TestA', 'a', 'b', 'main.go']);
      expect((await store.symbolsInFile(graph.id, 'main.go')).map((s) => s.name)).toEqual(['main.go', 'a', 'b', 'TestA']);
      const top = await store.mostCalled(graph.id, 1);
      expect(top.map((entry) => [entry.symbol.name, entry.callers])).toEqual([['a', 2]]);
    });

    it('gives the call graph compactly and symbols in batches', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      const compact = await store.compactGraph(graph.id);
      expect(compact.ids).toHaveLength(4);
      const name = (i: number): string => compact.names[i]!;
      const edges = [...compact.callers].map((caller, j) => `${name(caller)}->${name(compact.callees[j]!)}@${compact.confidences[j]}`).sort();
      expect(edges).toEqual(['TestA->a@0.85', 'a->b@0.85', 'main.go->a@0.85']);
      expect(compact.kinds[compact.ids.indexOf('go:main.go:main.TestA')]).toBe('test');
      const some = await store.getSymbols(graph.id, ['go:main.go:main.b', 'go:nope.go:x', 'go:main.go:main.a']);
      expect(some.map((s) => s.name).sort()).toEqual(['a', 'b']);
      expect(await store.getSymbols(graph.id, [])).toEqual([]);
    });

    it('streams every edge with both ends in a stable order', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      const pairs: string[] = [];
      for await (const { caller, callee } of store.allEdges(graph.id)) pairs.push(`${caller.name}->${callee.name}`);
      expect(pairs).toEqual(['main.go->a', 'a->b', 'TestA->a']);
      // Two streams at once (two exports served together), interleaved step by step.
      const first = store.allEdges(graph.id)[Symbol.asyncIterator]();
      const second = store.allEdges(graph.id)[Symbol.asyncIterator]();
      const interleaved: string[] = [];
      for (;;) {
        const [a, b] = [await first.next(), await second.next()];
        if (a.done && b.done) break;
        for (const step of [a, b]) if (!step.done) interleaved.push(`${step.value.caller.name}->${step.value.callee.name}`);
      }
      expect(interleaved).toEqual(['main.go->a', 'main.go->a', 'a->b', 'a->b', 'TestA->a', 'TestA->a']);
    });

    it('searches names by prefix and substring, ranking exact names first', async () => {
      await writeGraph(store, 'example.com/m', 'c1');
      const hits = await store.searchSymbols({ text: 'A', limit: 10 });
      expect(hits[0]!.symbol.name).toBe('a');
      expect(hits.map((hit) => hit.symbol.name)).toContain('TestA');
      expect(await store.searchSymbols({ text: '%', limit: 10 })).toEqual([]);
      const tests = await store.searchSymbols({ text: 'a', limit: 10, kinds: ['test'] });
      expect(tests.map((hit) => hit.symbol.name)).toEqual(['TestA']);
      // Any part of a qualified name, in any case, through the substring index.
      expect((await store.searchSymbols({ text: 'IN.TES', limit: 10 })).map((hit) => hit.symbol.name)).toEqual(['TestA']);
      expect((await store.searchSymbols({ text: 'ain.b', limit: 10 })).map((hit) => hit.symbol.name)).toEqual(['b']);
      expect(await store.searchSymbols({ text: '"x*', limit: 10 })).toEqual([]);
      // Under three characters, substrings of names alone: every qualified name here holds "in" (main.), one name does.
      expect((await store.searchSymbols({ text: 'in', limit: 10 })).map((hit) => hit.symbol.name)).toEqual(['main.go']);
      expect((await store.searchSymbols({ text: 'Ta', limit: 10 })).map((hit) => hit.symbol.name)).toEqual(['TestA']);
    });

    it('keeps a graph invisible until it is published', async () => {
      const old = await writeGraph(store, 'example.com/m', 'c1');
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c2', 'test');
      await writer.addSymbols([symbol('go:main.go:main.z', 'z')]);
      expect((await store.findGraph('example.com/m'))?.id).toBe(old.id);
      expect(await store.findGraph('example.com/m', 'c2')).toBeUndefined();
      expect(await store.searchSymbols({ text: 'z', limit: 5 })).toEqual([]);
      await writer.abort();
      expect((await store.findGraph('example.com/m'))?.id).toBe(old.id);
      expect((await store.callers(old.id, 'go:main.go:main.b')).length).toBe(1);
    });

    it('replaces an older graph of the same commit and keeps other commits', async () => {
      const first = await writeGraph(store, 'example.com/m', 'c1');
      const second = await writeGraph(store, 'example.com/m', 'c2');
      const again = await writeGraph(store, 'example.com/m', 'c1', 'x');
      const graphs = await store.listGraphs('example.com/m');
      expect(graphs.map((g) => g.commit)).toEqual(['c1', 'c2']);
      expect(graphs[0]!.id).toBe(again.id);
      expect(await store.getGraph(first.id)).toBeUndefined();
      expect((await store.findGraph('example.com/m'))?.id).toBe(again.id);
      expect((await store.findGraph('example.com/m', 'c2'))?.id).toBe(second.id);
      expect((await store.getSymbol(again.id, 'go:main.go:main.a'))?.name).toBe('ax');
    });

    it('finds graphs by commit prefix and refuses an ambiguous prefix', async () => {
      await writeGraph(store, 'example.com/m', 'abcdef1');
      await writeGraph(store, 'example.com/m', 'abcdef2');
      expect((await store.findGraph('example.com/m', 'abcdef1'))?.commit).toBe('abcdef1');
      await expect(store.findGraph('example.com/m', 'abcd')).rejects.toMatchObject({ code: 'ambiguous' });
      expect(await store.findGraph('example.com/m', 'ffff')).toBeUndefined();
      expect(await store.findGraph('nope')).toBeUndefined();
    });

    it('caches extractions by blob and extractor', async () => {
      await store.putExtractions([{ blob: 'b1', extractor: 'go/go@1', facts: '{"x":1}', diagnostics: '[]' }]);
      await store.putExtractions([{ blob: 'b1', extractor: 'go/go@1', facts: '{"x":2}', diagnostics: '[]' }]);
      const hits = await store.getExtractions([
        { blob: 'b1', extractor: 'go/go@1' },
        { blob: 'b1', extractor: 'go/go@2' },
      ]);
      expect([...hits.values()].map((hit) => hit.facts)).toEqual(['{"x":1}']);
      // Where the local facts start comes back with them; a row without any has none.
      await store.putExtractions([{ blob: 'b2', extractor: 'go/go@1', facts: '{"x":1,"calls":[]}', diagnostics: '[]', localAt: [7] }]);
      const local = await store.getExtractions([{ blob: 'b2', extractor: 'go/go@1' }, { blob: 'b1', extractor: 'go/go@1' }]);
      expect([...local.values()].map((hit) => [hit.blob, hit.localAt])).toEqual(
        expect.arrayContaining([
          ['b2', [7]],
          ['b1', undefined],
        ]),
      );
    });

    it('answers heads of cached extractions when asked, or whole rows, never anything else', async () => {
      const plain = '{"x":1,"calls":[1],"bindings":[2]}';
      // A character beyond U+FFFF before the local facts (counted once by SQL, twice in JavaScript), and offsets past the end.
      const astral = '{"x":"\u{1D465}","calls":[1]}';
      const rows = [
        { blob: 'h1', facts: plain, localAt: [plain.indexOf('"calls"'), plain.indexOf('"bindings"')] },
        { blob: 'h2', facts: astral, localAt: [astral.indexOf('"calls"')] },
        { blob: 'h3', facts: plain, localAt: [plain.length + 40] },
        { blob: 'h4', facts: plain },
      ];
      await store.putExtractions(rows.map((row) => ({ ...row, extractor: 'go/go@1', diagnostics: '[]' })));
      const answered = await store.getExtractions(rows.map((row) => ({ blob: row.blob, extractor: 'go/go@1' })), { heads: true });
      const heads = new Map([...answered.values()].map((hit) => [hit.blob, hit]));
      expect(heads.size).toBe(4);
      for (const row of rows) {
        const hit = heads.get(row.blob)!;
        expect(hit.facts).toBe(hit.head ? row.facts.slice(0, row.localAt![0]) : row.facts);
        expect(hit.localAt).toEqual(row.localAt);
      }
      // Offsets that are not offsets (a damaged row): the whole text, with no offsets, whatever the backend.
      const damaged = [
        { blob: 'h5', localAt: [5, -1] },
        { blob: 'h6', localAt: [-3] },
      ];
      await store.putExtractions(damaged.map((row) => ({ ...row, extractor: 'go/go@1', facts: plain, diagnostics: '[]' })));
      const whole = await store.getExtractions(damaged.map((row) => ({ blob: row.blob, extractor: 'go/go@1' })), { heads: true });
      expect([...whole.values()].map((hit) => [hit.blob, hit.facts, hit.localAt, hit.head])).toEqual(
        expect.arrayContaining([
          ['h5', plain, undefined, undefined],
          ['h6', plain, undefined, undefined],
        ]),
      );
      expect(whole.size).toBe(2);
      // Where the backend cuts (SQLite), it cuts every row whose offsets fit, the astral one too.
      if (store.readExtraction) {
        expect(rows.map((row) => heads.get(row.blob)!.head)).toEqual([true, true, undefined, undefined]);
        expect(store.readExtraction({ blob: 'h2', extractor: 'go/go@1' })).toEqual({ facts: astral, localAt: rows[1]!.localAt });
        expect(store.readExtraction({ blob: 'h9', extractor: 'go/go@1' })).toBeUndefined();
      }
    });

    it('records files, diagnostics, modules and dependencies', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      expect((await store.getFile(graph.id, 'main.go'))?.lines).toBe(10);
      expect(await store.getFile(graph.id, '../main.go')).toBeUndefined();
      expect((await store.listFiles(graph.id)).map((f) => f.path)).toEqual(['main.go']);
      expect((await store.diagnostics(graph.id, 10)).map((d) => d.message)).toEqual(['hello']);
      const { modules, dependencies } = await store.modules(graph.id);
      expect(modules.map((m) => m.name)).toEqual(['example.com/m']);
      expect(dependencies.map((d) => `${d.name}@${d.version}`)).toEqual(['github.com/x/y@v1.0.0']);
      expect(await store.referencedBlobs()).toEqual(['f'.repeat(64)]);
    });

    it('refuses a second writer of the same repository and commit while the first is writing', async () => {
      const first = await store.beginGraph({ name: 'example.com/m' }, 'c1', 'test');
      await expect(store.beginGraph({ name: 'example.com/m' }, 'c1', 'test')).rejects.toMatchObject({ code: 'conflict' });
      // Another commit of the same repository is no conflict.
      const other = await store.beginGraph({ name: 'example.com/m' }, 'c2', 'test');
      await other.abort();
      await first.abort();
      const again = await writeGraph(store, 'example.com/m', 'c1');
      expect(again.commit).toBe('c1');
    });

    it('gives every requested symbol an entry in callersOfMany, empty when nothing calls it', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      const many = await store.callersOfMany(graph.id, ['go:main.go:main.TestA', 'go:nope.go:x', 'go:main.go:main.a']);
      expect([...many.keys()]).toEqual(['go:main.go:main.TestA', 'go:nope.go:x', 'go:main.go:main.a']);
      expect(many.get('go:main.go:main.TestA')).toEqual([]);
      expect(many.get('go:nope.go:x')).toEqual([]);
      expect(many.get('go:main.go:main.a')!.map((edge) => edge.symbol.id)).toEqual(['go:main.go:main.TestA', 'go:main.go:']);
    });

    it('orders diagnostics by file, then line with line-less ones first', async () => {
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c1', 'test');
      await writer.addDiagnostics([
        { file: 'b.go', severity: 'error', message: 'b7', line: 7 },
        { file: 'a.go', severity: 'error', message: 'a9', line: 9 },
        { file: 'b.go', severity: 'warning', message: 'b-file' },
        { file: 'b.go', severity: 'error', message: 'b2', line: 2 },
      ]);
      const graph = await writer.publish(STATS);
      expect((await store.diagnostics(graph.id, 10)).map((d) => d.message)).toEqual(['a9', 'b-file', 'b2', 'b7']);
    });

    it('keeps text with unusual characters, and answers lookups of names no graph holds', async () => {
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c1', 'test');
      const odd = { ...symbol('go:main.go:main.Ünï', 'Ünï'), doc: 'nul\u0000 and \u{1F600} and <b>' };
      await writer.addSymbols([odd]);
      const graph = await writer.publish(STATS);
      const read = await store.getSymbol(graph.id, 'go:main.go:main.Ünï');
      const nul = factory.gaps?.includes('nul-in-text') ? '\uFFFD' : '\u0000';
      expect(read?.doc).toBe(`nul${nul} and \u{1F600} and <b>`);
      expect(await store.getSymbol(graph.id, 'go:main.go:\u0000')).toBeUndefined();
      expect(await store.symbolsNamed(graph.id, '\u0000', 5)).toEqual([]);
      expect(await store.callers(graph.id, 'x\u0000y')).toEqual([]);
      expect((await store.searchSymbols({ text: 'ünï', limit: 5 })).map((hit) => hit.symbol.name)).toEqual(['Ünï']);
    });

    it('replaces coverage atomically and answers overlapping blocks', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'c1');
      expect(await store.coverageReport(graph.id)).toBeUndefined();
      const info = { format: 'go-coverprofile' as const, source: 'a.out', importedAt: '2026-01-01T00:00:00.000Z', blocks: 2 };
      await store.replaceCoverage(graph.id, info, [
        { file: 'main.go', startLine: 3, endLine: 4, hits: 2 },
        { file: 'main.go', startLine: 8, endLine: 9, hits: 0 },
      ]);
      expect(await store.coverageReport(graph.id)).toEqual(info);
      expect((await store.coverageIn(graph.id, 'main.go', 4, 8)).map((b) => [b.startLine, b.hits])).toEqual([[3, 2], [8, 0]]);
      expect(await store.coverageIn(graph.id, 'main.go', 5, 7)).toEqual([]);
      await store.replaceCoverage(graph.id, { ...info, source: 'b.out', blocks: 1 }, [{ file: 'main.go', startLine: 1, endLine: 1, hits: 1 }]);
      expect((await store.coverageReport(graph.id))?.source).toBe('b.out');
      expect((await store.coverageIn(graph.id, 'main.go', 1, 100)).length).toBe(1);
    });

    it('finds call sites of a target among other repositories\' newest graphs', async () => {
      await writeGraph(store, 'example.com/m', 'c1');
      const other = await writeGraph(store, 'example.com/other', 'c9');
      const target = { module: 'std', packagePath: 'fmt', symbol: 'Println' };
      const counts = await store.wildCounts(target, 'example.com/m');
      expect(counts.map(({ fingerprint: _, ...rest }) => rest)).toEqual([{ graphId: other.id, repository: 'example.com/other', commit: 'c9', count: 1 }]);
      // Identical call sites (same files, blobs and positions) give identical fingerprints.
      const both = await store.wildCounts(target, 'nobody');
      expect(both).toHaveLength(2);
      expect(both[0]!.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
      expect(both[0]!.fingerprint).toBe(both[1]!.fingerprint);
      expect((await store.wildCounts({ module: 'std', symbol: 'Println' }, 'nobody')).map((c) => c.repository)).toEqual([
        'example.com/m',
        'example.com/other',
      ]);
      expect(await store.wildCounts({ ...target, packagePath: 'log' }, 'nobody')).toEqual([]);
      const sites = await store.wildSites(other.id, target, 10);
      expect(sites.map((s) => [s.caller.name, s.site.line, s.blob])).toEqual([['a', 6, 'f'.repeat(64)]]);
      // Only newest graphs count: a newer commit of the other repository replaces it.
      const newer = await writeGraph(store, 'example.com/other', 'c10');
      expect((await store.wildCounts(target, 'example.com/m')).map((c) => c.graphId)).toEqual([newer.id]);
    });

    it('updates a published graph in place: readers see it before or after, never between', async () => {
      const graph = await writeGraph(store, 'example.com/m', 'worktree');
      const other = await store.beginGraph({ name: 'example.com/m' }, 'c2', 'test');
      await other.abort();
      const writer = await store.beginUpdate(graph.id, ['main.go']);
      // Until published, other readers (another process) see the graph as it was.
      const reader = factory.reopen ? await factory.reopen(store) : undefined;
      if (reader) expect((await reader.callers(graph.id, 'go:main.go:main.a')).length).toBe(2);
      await writer.addFiles([{ path: 'main.go', blob: 'e'.repeat(64), size: 50, language: 'go', lines: 5, fingerprint: 'oid:1234' }]);
      await writer.addSymbols([symbol('go:main.go:', 'main.go', 'file'), symbol('go:main.go:main.a', 'a', 'function', 3), symbol('go:main.go:main.c', 'c', 'function', 5)]);
      await writer.addEdges([
        { caller: 'go:main.go:main.a', callee: 'go:main.go:main.c', strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'main.go', line: 4, col: 2 }] },
      ]);
      if (reader) expect(await reader.getSymbol(graph.id, 'go:main.go:main.c')).toBeUndefined();
      const updated = await writer.publish(STATS);
      if (reader) {
        expect((await reader.callees(graph.id, 'go:main.go:main.a')).map((edge) => edge.symbol.name)).toEqual(['c']);
        await reader.close();
      }
      expect(updated.id).toBe(graph.id);
      // The search index learned the added name: a substring of its qualified name alone finds it.
      expect((await store.searchSymbols({ text: 'in.c', limit: 5 })).map((hit) => hit.symbol.name)).toEqual(['c']);
      expect(await store.getSymbol(graph.id, 'go:main.go:main.b')).toBeUndefined();
      expect((await store.callees(graph.id, 'go:main.go:main.a')).map((edge) => edge.symbol.name)).toEqual(['c']);
      expect(await store.callers(graph.id, 'go:main.go:main.a')).toEqual([]);
      expect(await store.getFile(graph.id, 'main.go')).toMatchObject({ blob: 'e'.repeat(64), fingerprint: 'oid:1234' });
      // An update that is abandoned changes nothing.
      const abandoned = await store.beginUpdate(graph.id, ['main.go']);
      await abandoned.abort();
      expect((await store.callees(graph.id, 'go:main.go:main.a')).map((edge) => edge.symbol.name)).toEqual(['c']);
      await expect(store.beginUpdate(999_999, [])).rejects.toMatchObject({ code: 'not-found' });
    });

    it("keeps, in an update, other files' calls into replaced symbols that come back, and only those", async () => {
      const inFile = (file: string, id: string, name: string, line: number): SymbolRecord => ({ ...symbol(id, name, 'function', line), file });
      const first = await store.beginGraph({ name: 'example.com/m' }, 'worktree', 'test');
      await first.addFiles([
        { path: 'a.go', blob: 'a'.repeat(64), size: 10, language: 'go', lines: 5 },
        { path: 'b.go', blob: 'b'.repeat(64), size: 10, language: 'go', lines: 5 },
      ]);
      await first.addSymbols([inFile('a.go', 'go:a.go:main.caller', 'caller', 1), inFile('b.go', 'go:b.go:main.kept', 'kept', 1), inFile('b.go', 'go:b.go:main.gone', 'gone', 3)]);
      const site = { file: 'a.go', line: 2, col: 2 };
      await first.addEdges([
        { caller: 'go:a.go:main.caller', callee: 'go:b.go:main.kept', strategy: 'go.name-only', confidence: 0.4, sites: [site] },
        { caller: 'go:a.go:main.caller', callee: 'go:b.go:main.gone', strategy: 'go.name-only', confidence: 0.4, sites: [site] },
      ]);
      const graph = await first.publish(STATS);
      // b.go is resolved again; a.go keeps its rows.
      const writer = await store.beginUpdate(graph.id, ['b.go']);
      await writer.addFiles([
        { path: 'a.go', blob: 'a'.repeat(64), size: 10, language: 'go', lines: 5 },
        { path: 'b.go', blob: 'c'.repeat(64), size: 10, language: 'go', lines: 5 },
      ]);
      await writer.addSymbols([inFile('b.go', 'go:b.go:main.kept', 'kept', 2)]);
      await writer.reuseCalls();
      await writer.publish(STATS);
      expect((await store.callees(graph.id, 'go:a.go:main.caller')).map((edge) => edge.symbol.name)).toEqual(['kept']);
      expect((await store.callers(graph.id, 'go:b.go:main.kept')).map((edge) => edge.symbol.name)).toEqual(['caller']);
      expect((await store.getSymbol(graph.id, 'go:b.go:main.kept'))?.nameLine).toBe(2);
      // A symbol of a kept file is not added again by an update of another file: the kept one stays, the other is named.
      const repeat = await store.beginUpdate(graph.id, ['b.go']);
      await repeat.addSymbols([inFile('b.go', 'go:a.go:main.caller', 'caller', 4)]);
      expect(await repeat.droppedSymbols()).toEqual([{ id: 'go:a.go:main.caller', file: 'b.go', line: 4 }]);
      await repeat.abort();
      expect((await store.callees(graph.id, 'go:a.go:main.caller')).map((edge) => edge.symbol.name)).toEqual(['kept']);
    });

    for (const share of [false, true]) it(`${share ? 'shares with' : 'copies'}, into a new commit's graph, the reused files' symbols and calls, numbered as before, and no call into a symbol that did not come back`, async () => {
      const inFile = (file: string, id: string, name: string, line: number): SymbolRecord => ({ ...symbol(id, name, 'function', line), file });
      const first = await store.beginGraph({ name: 'example.com/m' }, 'c1', 'test');
      await first.addFiles([
        { path: 'a.go', blob: 'a'.repeat(64), size: 10, language: 'go', lines: 5 },
        { path: 'b.go', blob: 'b'.repeat(64), size: 10, language: 'go', lines: 5 },
      ]);
      await first.addSymbols([
        symbol('go:main', 'main', 'package'),
        inFile('a.go', 'go:a.go:main.caller', 'caller', 1),
        inFile('b.go', 'go:b.go:main.kept', 'kept', 1),
        inFile('b.go', 'go:b.go:main.gone', 'gone', 3),
      ]);
      const site = { file: 'a.go', line: 2, col: 2 };
      await first.addEdges([
        { caller: 'go:a.go:main.caller', callee: 'go:b.go:main.kept', strategy: 'go.name-only', confidence: 0.4, sites: [site] },
        { caller: 'go:a.go:main.caller', callee: 'go:b.go:main.gone', strategy: 'go.name-only', confidence: 0.4, sites: [site] },
        { caller: 'go:b.go:main.gone', callee: 'go:a.go:main.caller', strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'b.go', line: 4, col: 2 }] },
      ]);
      await first.addUnresolved([
        { caller: 'go:a.go:main.caller', name: 'x', reason: 'unknown', site: { file: 'a.go', line: 3, col: 2 } },
        { caller: 'go:b.go:main.gone', name: 'y', reason: 'unknown', site: { file: 'b.go', line: 4, col: 2 } },
      ]);
      const old = await first.publish(STATS);
      // The next commit changes b.go: a.go's rows are copied, b.go's made again (without `gone`).
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c2', 'test');
      await writer.addFiles([
        { path: 'a.go', blob: 'a'.repeat(64), size: 10, language: 'go', lines: 5 },
        { path: 'b.go', blob: 'c'.repeat(64), size: 10, language: 'go', lines: 5 },
      ]);
      await writer.reuseSymbols(old.id, ['a.go'], { share });
      await writer.addSymbols([symbol('go:main', 'main', 'package'), inFile('b.go', 'go:b.go:main.kept', 'kept', 2)]);
      await writer.reuseCalls();
      expect(await writer.counts()).toEqual({ symbols: 3, edges: 1, unresolved: 1, externalRefs: 0 });
      const graph = await writer.publish(STATS);
      expect((await store.callees(graph.id, 'go:a.go:main.caller')).map((edge) => edge.symbol.name)).toEqual(['kept']);
      expect((await store.callers(graph.id, 'go:a.go:main.caller')).map((edge) => edge.symbol.name)).toEqual([]);
      expect(await store.getSymbol(graph.id, 'go:b.go:main.gone')).toBeUndefined();
      expect((await store.getSymbol(graph.id, 'go:b.go:main.kept'))?.nameLine).toBe(2);
      expect((await store.unresolvedFrom(graph.id, 'go:a.go:main.caller')).map((call) => call.name)).toEqual(['x']);
      // The previous commit's graph is as it was.
      expect((await store.callees(old.id, 'go:a.go:main.caller')).map((edge) => edge.symbol.name).sort()).toEqual(['gone', 'kept']);
    });

    // Also with 4 symbol numbers kept in memory, the rest looked up in the store: the reused and shared rows' too.
    for (const kept of [undefined, 4]) it(`${kept ? 'keeping 4 symbol numbers in memory, ' : ''}answers a chain of graphs that share rows (each built on the last) as the same graphs written whole, and leaves each earlier one as it was`, async () => {
      if (kept !== undefined && factory.keptNumbers) {
        const previous = factory.keptNumbers(kept);
        onTestFinished(() => void factory.keptNumbers!(previous));
      }
      // Each commit: its files' symbols and calls, the files unchanged since the previous commit, and the previous graph.
      interface Commit { files: Record<string, string>; symbols: SymbolRecord[]; edges: Array<[string, string]>; unresolved: Array<[string, string]>; refs: Array<[string, string]> }
      const sym = (file: string, name: string, line = 1): SymbolRecord => ({ ...symbol(`go:${file}:main.${name}`, name, 'function', line), file });
      const id = (file: string, name: string): string => `go:${file}:main.${name}`;
      // d.go never changes: enough rows that the layers stay within SHARED_ROWS_LIMIT, so each graph shares.
      const filler = Array.from({ length: 20 }, (_, n) => sym('d.go', `D${n}`, n + 1));
      const commits: Commit[] = [
        {
          // Bgone is added last (the highest number) and called from a kept file: the next commits must hide that call.
          files: { 'a.go': 'a1', 'b.go': 'b1', 'c.go': 'c1', 'd.go': 'd1' },
          symbols: [symbol('go:main', 'main', 'package'), sym('a.go', 'A'), sym('b.go', 'B'), sym('c.go', 'C'), ...filler, sym('b.go', 'Bgone', 5)],
          edges: [[id('a.go', 'A'), id('b.go', 'B')], [id('a.go', 'A'), id('c.go', 'C')], [id('a.go', 'A'), id('b.go', 'Bgone')], [id('b.go', 'B'), id('c.go', 'C')], [id('c.go', 'C'), id('a.go', 'A')], [id('d.go', 'D3'), id('b.go', 'B')]],
          unresolved: [[id('b.go', 'B'), 'fromB'], [id('a.go', 'A'), 'fromA']],
          refs: [[id('c.go', 'C'), 'Println'], [id('a.go', 'A'), 'Printf']],
        },
        {
          // b.go changes: B moves and now calls A too, Bgone goes, and nothing new takes a number.
          files: { 'a.go': 'a1', 'b.go': 'b2', 'c.go': 'c1', 'd.go': 'd1' },
          symbols: [symbol('go:main', 'main', 'package'), sym('b.go', 'B', 2)],
          edges: [[id('b.go', 'B'), id('c.go', 'C')], [id('b.go', 'B'), id('a.go', 'A')]],
          unresolved: [[id('b.go', 'B'), 'fromB2']],
          refs: [[id('b.go', 'B'), 'Sprintf']],
        },
        {
          // c.go changes (C now calls B, and a new function takes the next number); b.go's rows come from the last layer.
          files: { 'a.go': 'a1', 'b.go': 'b2', 'c.go': 'c3', 'd.go': 'd1' },
          symbols: [symbol('go:main', 'main', 'package'), sym('c.go', 'C', 3), sym('c.go', 'Cnew', 8)],
          edges: [[id('c.go', 'C'), id('b.go', 'B')], [id('c.go', 'Cnew'), id('c.go', 'C')]],
          unresolved: [],
          refs: [[id('c.go', 'Cnew'), 'Errorf']],
        },
        {
          // a.go is deleted: its symbols and every call into A go.
          files: { 'b.go': 'b2', 'c.go': 'c3', 'd.go': 'd1' },
          symbols: [symbol('go:main', 'main', 'package')],
          edges: [],
          unresolved: [],
          refs: [],
        },
      ];
      // What each graph holds in full: the previous graph's rows of unchanged files, then this commit's.
      const wholes: Commit[] = [];
      for (const [n, commit] of commits.entries()) {
        const previous = wholes[n - 1];
        const changed = (file: string): boolean => previous === undefined || !(file in commit.files) || previous.files[file] !== commit.files[file];
        const fileOf = (sid: string): string => previous!.symbols.find((s) => s.id === sid)?.file ?? '';
        const keptSymbols = previous ? previous.symbols.filter((s) => s.kind !== 'package' && !changed(s.file)) : [];
        const ids = new Set([...keptSymbols, ...commit.symbols].map((s) => s.id));
        const keptCall = <T extends [string, string]>(row: T): boolean => !changed(fileOf(row[0]));
        wholes.push({
          files: commit.files,
          symbols: [...keptSymbols, ...commit.symbols],
          edges: [...(previous?.edges.filter(keptCall) ?? []), ...commit.edges].filter(([, callee]) => ids.has(callee)),
          unresolved: [...(previous?.unresolved.filter(keptCall) ?? []), ...commit.unresolved],
          refs: [...(previous?.refs.filter(keptCall) ?? []), ...commit.refs],
        });
      }
      const write = async (repository: string, commitName: string, rows: Commit, from?: { id: number; keep: string[] }) => {
        const writer = await store.beginGraph({ name: repository }, commitName, 'test');
        await writer.addFiles(Object.entries(rows.files).map(([path, blob]) => ({ path, blob: blob.repeat(32), size: 10, language: 'go', lines: 9 })));
        if (from) await writer.reuseSymbols(from.id, from.keep, { share: true });
        await writer.addSymbols(rows.symbols);
        const site = { file: 'x.go', line: 1, col: 1 };
        await writer.addEdges(rows.edges.map(([caller, callee]) => ({ caller, callee, strategy: 'go.same-package', confidence: 0.85, sites: [site] })));
        await writer.addUnresolved(rows.unresolved.map(([caller, name]) => ({ caller, name, reason: 'unknown', site })));
        await writer.addExternalRefs(rows.refs.map(([caller, name]) => ({ caller, module: 'std', packagePath: 'fmt', symbol: name, strategy: 'go.import', confidence: 0.92, site })));
        await writer.reuseCalls();
        const counts = await writer.counts();
        return { graph: await writer.publish({ ...STATS, ...counts }), counts };
      };
      const render = async (graphId: number) => {
        const compact = await store.compactGraph(graphId);
        const lines: string[] = [];
        for (const sid of [...compact.ids].filter((x) => x !== undefined).sort()) {
          const found = await store.getSymbol(graphId, sid);
          if (!found) continue;
          const callees = (await store.callees(graphId, sid)).map((edge) => edge.symbol.id).sort();
          const callers = (await store.callers(graphId, sid)).map((edge) => edge.symbol.id).sort();
          const unresolved = (await store.unresolvedFrom(graphId, sid)).map((call) => call.name).sort();
          const refs = (await store.externalRefsFrom(graphId, sid)).map((ref) => ref.symbol).sort();
          lines.push(`${sid} @${found.nameLine} -> [${callees}] <- [${callers}] ? [${unresolved}] ext [${refs}]`);
        }
        // Search by prefix, by substring (trigrams) and by a substring too short for them (the name index scanned).
        for (const text of ['bg', 'bgone', 'gon', 'ne', 'cnew', 'd1']) {
          const hits = await store.searchSymbols({ text, graphIds: [graphId], limit: 50 });
          lines.push(`search ${text}: [${hits.map((hit) => hit.symbol.id).sort()}]`);
        }
        return lines.join('\n');
      };
      const layered: Array<{ id: number; text: string }> = [];
      let previousFiles: Record<string, string> | undefined;
      for (const [n, commit] of commits.entries()) {
        const from = layered[n - 1];
        const keep = previousFiles ? Object.keys(commit.files).filter((file) => previousFiles![file] === commit.files[file]) : [];
        const shared = await write('example.com/chain', `c${n}`, commit, from ? { id: from.id, keep } : undefined);
        const whole = await write(`example.com/whole${n}`, `c${n}`, wholes[n]!);
        expect(shared.counts).toEqual(whole.counts);
        const text = await render(shared.graph.id);
        expect(text).toBe(await render(whole.graph.id));
        layered.push({ id: shared.graph.id, text });
        previousFiles = commit.files;
      }
      // The calls into symbols that went are hidden, and no new symbol took a number an older graph's calls name.
      expect(layered[1]!.text).not.toMatch(/Bgone/);
      expect((await store.callees(layered[2]!.id, id('a.go', 'A'))).map((edge) => edge.symbol.name).sort()).toEqual(['B', 'C']);
      expect(layered[3]!.text).not.toMatch(/main\.A\b/);
      // Every earlier graph answers as it did when it was published.
      for (const graph of layered) expect(await render(graph.id)).toBe(graph.text);
      expect(layered[0]!.text).toMatch(/Bgone/);
    });

    it("shares a new commit's unchanged rows instead of copying them, copies once its own rows outgrow the limit, and keeps a replaced graph while another shares it", async () => {
      const sym = (file: string, name: string): SymbolRecord => ({ ...symbol(`go:${file}:main.${name}`, name), file });
      const big = Array.from({ length: 40 }, (_, n) => sym('big.go', `Big${n}`));
      const write = async (commit: string, changed: string[], from?: number) => {
        const writer = await store.beginGraph({ name: 'example.com/m' }, commit, 'test');
        await writer.addFiles(['big.go', ...changed].map((path) => ({ path, blob: 'b'.repeat(64), size: 1, language: 'go', lines: 1 })));
        if (from !== undefined) await writer.reuseSymbols(from, ['big.go'], { share: true });
        await writer.addSymbols([...(from === undefined ? big : []), ...changed.map((file) => sym(file, `F${file.length}`))]);
        await writer.addEdges(changed.map((file) => ({ caller: `go:${file}:main.F${file.length}`, callee: 'go:big.go:main.Big1', strategy: 'go.same-package', confidence: 0.85, sites: [] })));
        await writer.reuseCalls();
        return writer.publish(STATS);
      };
      const first = await write('c1', []);
      // Each commit changes one more file; files since the base are all in the newest layer (4 symbols a layer at most: 10% of 40).
      const chain = [first];
      for (const [n, changed] of [['a.go'], ['a.go', 'bb.go'], ['a.go', 'bb.go', 'ccc.go'], ['a.go', 'bb.go', 'ccc.go', 'dddd.go']].entries()) {
        chain.push(await write(`c${n + 2}`, changed, chain[chain.length - 1]!.id));
      }
      let symbols = await factory.rowsOf(store, 'symbol_rows');
      expect(chain.map((graph) => symbols.get(graph.id) ?? 0)).toEqual([40, 1, 2, 3, 4]);
      // A layer over the limit (11 own symbols > 25% of 40): the next graph built on it copies all it keeps and is a
      // base itself, which the one after shares again.
      const many = Array.from({ length: 11 }, (_, n) => `${'m'.repeat(n + 1)}.go`);
      const large = await write('c6', many, chain[4]!.id);
      const copied = await write('c7', ['z.go'], large.id);
      const next = await write('c8', ['z.go'], copied.id);
      symbols = await factory.rowsOf(store, 'symbol_rows');
      expect([symbols.get(large.id), symbols.get(copied.id), symbols.get(next.id)]).toEqual([11, 40 + 1, 1]);
      expect((await store.callers(next.id, 'go:big.go:main.Big1')).map((edge) => edge.symbol.name).sort()).toEqual(['F4']);
      expect((await store.callers(chain[4]!.id, 'go:big.go:main.Big1')).map((edge) => edge.symbol.name).sort()).toEqual(['F4', 'F5', 'F6', 'F7']);
      // c1 indexed again: the old c1 is replaced, yet its rows stay while c2…c5 share them.
      const again = await write('c1', []);
      expect((await store.findGraph('example.com/m', 'c1'))?.id).toBe(again.id);
      expect((await factory.rowsOf(store, 'symbol_rows')).get(first.id)).toBe(40);
      expect((await store.callers(chain[2]!.id, 'go:big.go:main.Big1')).map((edge) => edge.symbol.name).sort()).toEqual(['F4', 'F5']);
      expect(await store.getSymbol(chain[2]!.id, 'go:big.go:main.Big39')).toBeDefined();
      // Once every graph on it is gone (each replaced by a graph of its own), the old c1 goes with the last (c6 too is on it).
      const onFirst = [...chain.slice(1), large];
      for (const [n, graph] of onFirst.entries()) {
        await write(`c${n + 2}`, []);
        const graphs = await factory.rowsOf(store, 'graphs');
        expect(graphs.has(graph.id)).toBe(false);
        expect(graphs.has(first.id)).toBe(n < onFirst.length - 1);
      }
      expect((await factory.rowsOf(store, 'symbol_rows')).has(first.id)).toBe(false);
    });

    it('refuses an edge naming a symbol that was never added', async () => {
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c1', 'test');
      await writer.addSymbols([symbol('go:main.go:main.a', 'a')]);
      await expect(
        writer.addEdges([{ caller: 'go:main.go:main.a', callee: 'go:nope.go:x', strategy: 'go.same-package', confidence: 0.85, sites: [] }]),
      ).rejects.toThrow(/not added/);
      await writer.abort();
      expect(await store.findGraph('example.com/m')).toBeUndefined();
    });

    it('writes a bulk graph (rows maybe written by another thread) the same as any other, in batches across many rows', async () => {
      const many = async (repository: string, bulk: boolean) => {
        const writer = await store.beginGraph({ name: repository }, 'c1', 'test', { bulk });
        await writer.addFiles([{ path: 'main.go', blob: 'f'.repeat(64), size: 100, language: 'go', lines: 10 }]);
        const symbols = Array.from({ length: 4500 }, (_, i) => symbol(`go:main.go:main.f${i}`, `f${i}`, 'function', i + 1));
        // In the batch sizes the writer asks for, as the indexer hands them over.
        const step = writer.rowsPerWrite ?? symbols.length;
        for (let i = 0; i < symbols.length; i += step) await writer.addSymbols(symbols.slice(i, i + step));
        const edges: EdgeRecord[] = symbols.slice(1).map((callee, i) => ({
          caller: symbols[i]!.id, callee: callee.id, strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'main.go', line: i + 1, col: 2 }],
        }));
        for (let i = 0; i < edges.length; i += step) await writer.addEdges(edges.slice(i, i + step));
        await writer.addExternalRefs(symbols.map((caller, i) => ({
          caller: caller.id, module: 'std', packagePath: 'fmt', symbol: `P${i % 7}`, strategy: 'go.import', confidence: 0.92, site: { file: 'main.go', line: i + 1, col: 6 },
        })));
        expect(await writer.counts()).toEqual({ symbols: 4500, edges: 4499, unresolved: 0, externalRefs: 4500 });
        return writer.publish(STATS);
      };
      const plain = await many('example.com/plain', false);
      const bulk = await many('example.com/bulk', true);
      for (const id of ['go:main.go:main.f0', 'go:main.go:main.f2222', 'go:main.go:main.f4499']) {
        const read = async (graphId: number) => ({
          symbol: await store.getSymbol(graphId, id),
          callers: (await store.callers(graphId, id)).map((edge) => [edge.symbol.id, edge.sites]),
          callees: (await store.callees(graphId, id)).map((edge) => [edge.symbol.id, edge.sites]),
          refs: (await store.externalRefsFrom(graphId, id)).map((ref) => [ref.symbol, ref.site]),
        });
        expect(await read(bulk.id)).toEqual(await read(plain.id));
      }
      expect((await store.symbolNames(bulk.id)).length).toBe(4500);
      expect((await store.searchSymbols({ text: 'f4499', limit: 5 })).map((hit) => hit.symbol.id)).toContain('go:main.go:main.f4499');
    });

    for (const bulk of [false, true]) it(`${bulk ? 'bulk: ' : ''}looks up the symbols past those whose numbers a writer keeps, and drops a symbol whose id repeats one, keeping the first and naming it`, async () => {
      const previous = factory.keptNumbers?.(3);
      try {
        const writer = await store.beginGraph({ name: 'example.com/m' }, 'c1', 'test', { bulk });
        await writer.addFiles([{ path: 'main.go', blob: 'f'.repeat(64), size: 100, language: 'go', lines: 10 }]);
        const symbols = Array.from({ length: 10 }, (_, i) => symbol(`go:main.go:main.f${i}`, `f${i}`, 'function', 10 * i + 1));
        // Repeats: of a symbol whose number is kept (f1), and of one past them (f8), in a later batch than its first.
        const batches = [symbols.slice(0, 4), [...symbols.slice(4, 7), symbol('go:main.go:main.f1', 'again1', 'function', 500)], [...symbols.slice(7), symbol('go:main.go:main.f8', 'again8', 'function', 800)]];
        for (const batch of batches) await writer.addSymbols(batch);
        await writer.addEdges(symbols.slice(1).map((callee, i) => ({
          caller: symbols[i]!.id, callee: callee.id, strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'main.go', line: 10 * i + 2, col: 2 }],
        })));
        await writer.addUnresolved([{ caller: 'go:main.go:main.f9', name: 'gone', reason: 'not found', site: { file: 'main.go', line: 92, col: 3 } }]);
        await writer.addExternalRefs([{ caller: 'go:main.go:main.f8', module: 'std', packagePath: 'fmt', symbol: 'Println', strategy: 'go.import', confidence: 0.92, site: { file: 'main.go', line: 82, col: 4 } }]);
        expect(await writer.counts()).toEqual({ symbols: 10, edges: 9, unresolved: 1, externalRefs: 1 });
        expect((await writer.droppedSymbols()).sort((a, b) => a.line - b.line)).toEqual([
          { id: 'go:main.go:main.f1', file: 'main.go', line: 500 },
          { id: 'go:main.go:main.f8', file: 'main.go', line: 800 },
        ]);
        const graph = await writer.publish(STATS);
        expect((await store.getSymbol(graph.id, 'go:main.go:main.f8'))?.name).toBe('f8');
        expect((await store.getSymbol(graph.id, 'go:main.go:main.f1'))?.name).toBe('f1');
        for (let i = 0; i < 9; i++) {
          const callees = await store.callees(graph.id, `go:main.go:main.f${i}`);
          expect(callees.map((edge) => [edge.symbol.name, edge.sites[0]?.line])).toEqual([[`f${i + 1}`, 10 * i + 2]]);
        }
        expect((await store.callers(graph.id, 'go:main.go:main.f9')).map((edge) => edge.symbol.name)).toEqual(['f8']);
        expect((await store.unresolvedFrom(graph.id, 'go:main.go:main.f9')).map((call) => call.name)).toEqual(['gone']);
        expect((await store.externalRefsFrom(graph.id, 'go:main.go:main.f8')).map((ref) => ref.site.line)).toEqual([82]);
      } finally {
        if (previous !== undefined) factory.keptNumbers?.(previous);
      }
    });

    it('publishes no bulk graph whose rows failed, and keeps the previous one', async () => {
      const previous = await writeGraph(store, 'example.com/m', 'c1');
      const writer = await store.beginGraph({ name: 'example.com/m' }, 'c2', 'test', { bulk: true });
      const failing = async () => {
        await writer.addSymbols([symbol('go:main.go:main.a', 'a'), symbol('go:main.go:main.b', 'b')]);
        // A NOT NULL column left empty: the database refuses the row, wherever it is written.
        await writer.addEdges([{ caller: 'go:main.go:main.a', callee: 'go:main.go:main.b', strategy: null as unknown as EdgeRecord['strategy'], confidence: 0.85, sites: [] }]);
        await writer.publish(STATS);
      };
      await expect(failing()).rejects.toThrow(/NOT NULL|null value/i);
      await writer.abort();
      const found = await store.findGraph('example.com/m');
      expect(found?.id).toBe(previous.id);
      expect((await store.callees(previous.id, 'go:main.go:main.a')).map((edge) => edge.symbol.name)).toEqual(['b']);
      // Nothing of the failed graph is left to be found, and the commit can be indexed again.
      expect(await store.findGraph('example.com/m', 'c2')).toBeUndefined();
      const again = await writeGraph(store, 'example.com/m', 'c2');
      expect(again.commit).toBe('c2');
    });

    it('caches extractions while a bulk write is expected as at any other time, read back at once and kept after', async () => {
      store.expectGraph?.({ bulk: true });
      const rows = Array.from({ length: 2500 }, (_, i) => ({ blob: `b${i}`, extractor: 'go/go@1', facts: `{"n":${i}}`, diagnostics: '[]', ...(i % 2 ? { localAt: [3] } : {}) }));
      await store.putExtractions(rows.slice(0, 1200));
      await store.putExtractions([{ blob: 'b7', extractor: 'go/go@1', facts: '{"n":-1}', diagnostics: '[]' }]); // the first stays
      await store.putExtractions(rows.slice(1200));
      const keys = [0, 7, 1199, 1200, 2499].map((i) => ({ blob: `b${i}`, extractor: 'go/go@1' }));
      const read = async () => [...(await store.getExtractions(keys)).values()].map((hit) => [hit.blob, hit.facts, hit.localAt]).sort();
      const expected = [
        ['b0', '{"n":0}', undefined], ['b1199', '{"n":1199}', [3]], ['b1200', '{"n":1200}', undefined], ['b2499', '{"n":2499}', [3]], ['b7', '{"n":7}', [3]],
      ];
      expect(await read()).toEqual(expected);
      // The bulk write that was expected comes and goes; the rows stay.
      await writeGraph(store, 'example.com/m', 'c1');
      expect(await read()).toEqual(expected);
    });

    it('lets a store close with a bulk write expected and never begun', async () => {
      store.expectGraph?.({ bulk: true });
      await store.close();
      store = await factory.open();
    });
  });
}

