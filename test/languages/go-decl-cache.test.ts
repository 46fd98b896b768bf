/**
 * Go's declarations are read back from the spill when a resolution looks
 * inside one, and kept within a budget (src/languages/go/decl-cache.ts).
 * The cache must let go of files by the clock rule, read them again when
 * asked, and — whatever the budget — give the graph an index with every
 * declaration in memory gives.
 */
import { writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain JavaScript module of the benchmark scripts
import { generateGoRepository } from '../../bench/generate-go.js';
import { openHub } from '../../src/hub/hub.js';
import { indexRepository } from '../../src/indexer/index-repository.js';
import type { FactsMemo } from '../../src/indexer/read-files.js';
import { openDirectorySource, openGitSource } from '../../src/indexer/source.js';
import { DECL_BUDGET, DeclCache, declCount, setDeclBudget } from '../../src/languages/go/decl-cache.js';
import type { GoDecl, GoFileFacts } from '../../src/languages/go/facts.js';
import { buildPackageIndex, type PackageIndex } from '../../src/languages/go/packages.js';
import type { ResolveFile } from '../../src/languages/language.js';
import { languageById } from '../../src/languages/registry.js';
import { TestRepo } from '../helpers/git-repo.js';
import { renderGraph } from '../helpers/render-graph.js';
import { tempDir } from '../helpers/temp.js';

function decls(n: number, name: string): GoDecl[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'function' as const,
    name: `${name}${i}`,
    range: { startLine: i + 1, startCol: 1, endLine: i + 1, endCol: 2 },
    nameLine: i + 1,
    nameCol: 6,
    start: 0,
    end: 1,
    signature: '()',
    results: [],
  }));
}

/** A reader of one file's declarations through `cache`, as FileInfo.decls looks in its slot before it asks the cache to fill it. */
function reader<T>(cache: DeclCache, load: () => T, weight: (value: T) => number): (scan?: boolean) => T {
  const slot = cache.slot();
  return (scan = false) => {
    if (slot.value !== undefined) {
      slot.used = true;
      return slot.value as T;
    }
    return cache.fill(slot, load, weight, scan);
  };
}

describe('DeclCache', () => {
  afterEach(() => {
    setDeclBudget(DECL_BUDGET);
  });

  it('reads a file once while it fits, lets the file not used since the hand passed go first, and reads it again when asked', () => {
    const cache = new DeclCache(10);
    const loads = new Map<string, number>();
    const fileReader = (name: string): (() => GoDecl[]) =>
      reader(cache, () => {
        loads.set(name, (loads.get(name) ?? 0) + 1);
        return decls(3, name);
      }, declCount);
    // Each file weighs 4 (3 decls and the file): two fit in 10, a third needs room.
    const a = fileReader('a');
    const b = fileReader('b');
    const c = fileReader('c');
    expect(a()[0]!.name).toBe('a0');
    expect(b()[2]!.name).toBe('b2');
    expect(a()).toBe(a());
    expect(cache.loads).toBe(2);
    // Both were used since they came in: the hand clears their marks, then lets the first go.
    expect(c()[1]!.name).toBe('c1');
    expect(cache.loads).toBe(3);
    // b is still held; a was let go and is read again (its content the same, a new copy).
    expect(b()[0]!.name).toBe('b0');
    expect(loads.get('b')).toBe(1);
    expect(a()[0]!.name).toBe('a0');
    expect(loads.get('a')).toBe(2);
    // a came back in place of b, the one not used since the hand last passed.
    expect(cache.held).toBe(8);
    b();
    expect(loads.get('b')).toBe(2);
    expect(cache.held).toBeLessThanOrEqual(10);
  });

  it('keeps what a scan reads only while there is room, letting nothing go for it', () => {
    const cache = new DeclCache(10);
    const readers = ['a', 'b', 'c'].map((name) => reader(cache, () => decls(3, name), declCount));
    for (const read of readers) expect(read(true)).toHaveLength(3);
    // a and b came in while there was room; c was read and not kept.
    expect(cache.loads).toBe(3);
    expect(cache.held).toBe(8);
    readers[0]!();
    readers[1]!();
    expect(cache.loads).toBe(3);
    readers[2]!();
    expect(cache.loads).toBe(4);
  });

  it('still answers for a file larger than the whole budget', () => {
    const cache = new DeclCache(2);
    const big = reader(cache, () => decls(5, 'big'), declCount);
    const small = reader(cache, () => decls(1, 'small'), declCount);
    expect(big()).toHaveLength(5);
    expect(small()).toHaveLength(1);
    expect(big()[4]!.name).toBe('big4');
    expect(cache.loads).toBe(3);
  });

  it('counts a file heavier than half the budget as half, so that it and the files used with it stay', () => {
    const cache = new DeclCache(40);
    const big = reader(cache, () => decls(100, 'big'), declCount);
    const small = ['a', 'b', 'c'].map((name) => reader(cache, () => decls(3, name), declCount));
    for (let round = 0; round < 5; round++) {
      for (const read of small) {
        expect(big()[99]!.name).toBe('big99');
        expect(read()).toHaveLength(3);
      }
    }
    // Each read once: the big file weighs 20 + 1, the small ones 4 each.
    expect(cache.loads).toBe(4);
    expect(cache.held).toBe(33);
  });

  it('gives a full index the graph it gives with every declaration in memory, however small the budget', async () => {
    const root = tempDir();
    generateGoRepository(root, 20000);
    // An interface, its methods and an implementation in another file: heads name them, decls type them.
    writeFileSync(
      join(root, 'pkg0', 'shapes.go'),
      'package pkg0\n\ntype Shape interface {\n\tArea() int\n\tName() string\n}\n\ntype Square struct{ side int }\n\nfunc (s *Square) Area() int { return s.side * s.side }\n\nfunc (s *Square) Name() string { return "square" }\n',
    );
    writeFileSync(
      join(root, 'pkg0', 'use_shapes.go'),
      'package pkg0\n\nfunc Total(shapes []Shape) int {\n\tn := 0\n\tfor _, s := range shapes {\n\t\tn += s.Area()\n\t}\n\treturn n\n}\n\nfunc Make() *Square {\n\tsq := &Square{side: 2}\n\tsq.Name()\n\treturn sq\n}\n',
    );
    // Package variables and an aliased import, typed through facts the index reads back when it let them go.
    writeFileSync(
      join(root, 'pkg1', 'vars.go'),
      'package pkg1\n\nimport shapes "example.com/synthetic/pkg0"\n\nvar unit = &shapes.Square{}\n\nvar all []shapes.Shape\n\nfunc Unit() int {\n\tfor _, s := range all {\n\t\ts.Name()\n\t}\n\treturn unit.Area() + shapes.Total(all)\n}\n',
    );
    // Another package's implementation of the interface, its methods in a file apart from the type, a method
    // expression, a package variable holding a function, and a call on a receiver of no known type: package tables
    // the resolver builds again once they were let go, and interface dispatch across packages.
    // Signatures compared through named types of the repository: a method taking a Key matches, one taking a string does not.
    writeFileSync(
      join(root, 'pkg2', 'store.go'),
      'package pkg2\n\ntype Key struct{ s string }\n\ntype Store interface {\n\tGet(k Key) *Circle\n}\n\ntype mem struct{}\n\nfunc (m *mem) Get(k Key) *Circle { return nil }\n\ntype other struct{}\n\nfunc (o *other) Get(k string) *Circle { return nil }\n\nfunc Lookup(s Store) *Circle {\n\treturn s.Get(Key{})\n}\n',
    );
    writeFileSync(join(root, 'pkg2', 'circle.go'), 'package pkg2\n\ntype Circle struct{ r int }\n\nvar Hook = NewCircle\n\nfunc NewCircle() *Circle { return &Circle{r: 1} }\n');
    writeFileSync(
      join(root, 'pkg2', 'circle_methods.go'),
      'package pkg2\n\nimport shapes "example.com/synthetic/pkg0"\n\nfunc (c *Circle) Area() int { return 3 * c.r * c.r }\n\nfunc (c *Circle) Name() string { return "circle" }\n\nfunc Use(s shapes.Shape, f func() *Circle) int {\n\tarea := (*Circle).Area\n\t_ = area\n\tHook().Name()\n\tunknown().Name()\n\treturn s.Area() + f().Area()\n}\n',
    );
    const render = async (options: { memo?: FactsMemo; budget?: number }): Promise<{ text: string; edges: number }> => {
      const previous = options.budget === undefined ? undefined : setDeclBudget(options.budget);
      const hub = await openHub({ dataDir: tempDir() });
      try {
        const source = await openDirectorySource(root);
        const result = await indexRepository({
          source,
          repository: { name: 'example.com/synthetic' },
          store: hub.store,
          cas: hub.cas,
          threads: 0,
          ...(options.memo ? { memo: options.memo } : {}),
        });
        source.close();
        return { text: await renderGraph(hub.store, result.graph), edges: result.stats.edges };
      } finally {
        if (previous !== undefined) setDeclBudget(previous);
        await hub.close();
      }
    };
    const inMemory = await render({ memo: new Map() });
    expect(inMemory.edges).toBeGreaterThan(2000);
    expect(inMemory.text).toContain('pkg0.(*Square).Area');
    // The variables' types came through: the calls on them resolved to the methods, not left unresolved.
    expect(inMemory.text).toMatch(/pkg1\.Unit → pkg0\.\(\*Square\)\.Area /);
    expect(inMemory.text).toMatch(/pkg1\.Unit → pkg0\.Shape\.Name /);
    // Interface dispatch reaches the implementation in another package; the method expression and the
    // function value resolve through pkg2's tables.
    expect(inMemory.text).toMatch(/pkg2\.Use → pkg2\.\(\*Circle\)\.Area /);
    expect(inMemory.text).toMatch(/pkg0\.Total → pkg2\.\(\*Circle\)\.Area /);
    expect(inMemory.text).toMatch(/pkg2\.Use → pkg2\.NewCircle /);
    expect(inMemory.text).toMatch(/pkg2\.Lookup → pkg2\.\(\*mem\)\.Get /);
    expect(inMemory.text).not.toMatch(/pkg2\.Lookup → pkg2\.\(\*other\)\.Get /);
    for (const budget of [1, 40, DECL_BUDGET]) {
      const spilled = await render({ budget });
      expect(spilled.text, `budget ${budget}`).toBe(inMemory.text);
    }
  });
});

describe("packages' tables", () => {
  afterEach(() => {
    setDeclBudget(DECL_BUDGET);
  });

  it('are let go past the budget and built again, equal, when asked for; types stay', () => {
    setDeclBudget(12);
    // 30 packages, each a type with a method, a function and a variable in one file, and the method again in a second.
    const files: Array<ResolveFile<GoFileFacts>> = [];
    for (let i = 0; i < 30; i++) {
      const base = { imports: [], decls: [], docs: [], bindings: [], calls: [], selectors: [], subtests: [], lines: 5 };
      files.push({
        path: `p${i}/a.go`,
        blob: `a${i}`,
        facts: {
          ...base,
          package: `p${i}`,
          heads: [
            { kind: 'struct', name: `T${i}` },
            { kind: 'method', name: 'Close', receiver: `T${i}`, pointer: true },
            { kind: 'function', name: `F${i}` },
          ],
          vars: [{ name: `v${i}`, type: { k: 'named', name: 'int' } }],
        },
      });
      files.push({ path: `p${i}/b.go`, blob: `b${i}`, facts: { ...base, package: `p${i}`, heads: [{ kind: 'method', name: 'Open', receiver: `T${i}` }], vars: [] } });
    }
    const index = buildPackageIndex({ repository: 'example.com/m', files, modules: [], vendored: [] });
    const tables = index.tables;
    // Each package weighs 5 (four declarations and a variable) and one more: two fit in 12.
    expect(tables.held).toBeLessThanOrEqual(12);
    const built = tables.loads;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 30; i++) {
        const pkg = index.byImportPath.get(`example.com/m/p${i}`)!;
        expect(pkg.funcs.get(`F${i}`)?.map((fn) => fn.id)).toEqual([`go:p${i}/a.go:p${i}.F${i}`]);
        expect(pkg.vars.get(`v${i}`)?.variable.name).toBe(`v${i}`);
        const type = pkg.types.get(`T${i}`)!;
        expect(type.is(pkg.types.get(`T${i}`)!)).toBe(true);
        expect(type.is(index.byImportPath.get(`example.com/m/p${(i + 1) % 30}`)!.types.get(`T${(i + 1) % 30}`)!)).toBe(false);
        expect(type.methods.get('Close')?.map((fn) => fn.id)).toEqual([`go:p${i}/a.go:p${i}.(*T${i}).Close`]);
        expect(type.methods.get('Open')?.map((fn) => fn.id)).toEqual([`go:p${i}/b.go:p${i}.T${i}.Open`]);
        expect(tables.held).toBeLessThanOrEqual(12);
      }
    }
    // Let go and built again: more than once a package.
    expect(tables.loads - built).toBeGreaterThan(30);
    // Every type owns its methods' names without any package's tables.
    expect(index.methodOwners.count('Close')).toBe(30);
    const openers: string[] = [];
    index.methodOwners.forEach('Open', (type, method) => openers.push(`${index.numbers.head(type).name}.${index.numbers.head(method).name}`));
    expect(openers).toEqual(Array.from({ length: 30 }, (_, i) => `T${i}.Open`));
  });
});

describe('facts read back from the extraction cache', () => {
  it("gives an index of the next commit, its unchanged files' facts read back from their cache rows, a full index's graph, however small the budget", async () => {
    const repo = TestRepo.create();
    generateGoRepository(repo.path, 20000);
    repo.write({
      'pkg0/shapes.go': 'package pkg0\n\ntype Shape interface {\n\tArea() int\n}\n\ntype Square struct{ side int }\n\nfunc (s *Square) Area() int { return s.side * s.side }\n',
      'pkg1/vars.go': 'package pkg1\n\nimport shapes "example.com/synthetic/pkg0"\n\nvar unit = &shapes.Square{}\n\nvar all []shapes.Shape\n\nfunc Unit() int {\n\tfor _, s := range all {\n\t\ts.Area()\n\t}\n\treturn unit.Area()\n}\n',
    });
    const first = repo.commit('first');
    // A method added to the type the unchanged pkg1/vars.go uses through a package variable: that file is resolved again.
    repo.write({ 'pkg0/shapes.go': 'package pkg0\n\ntype Shape interface {\n\tArea() int\n}\n\ntype Square struct{ side int }\n\nfunc (s *Square) Area() int { return s.side * s.side }\n\nfunc (s *Square) Grow() {}\n' });
    const second = repo.commit('second');
    const repository = { name: 'example.com/synthetic' };
    const index = async (hub: Awaited<ReturnType<typeof openHub>>, commit: string, incremental = true) => {
      const source = await openGitSource(repo.path, commit);
      try {
        return await indexRepository({ source, repository, store: hub.store, cas: hub.cas, threads: 0, incremental });
      } finally {
        source.close();
      }
    };
    const fullHub = await openHub({ dataDir: tempDir() });
    const full = await renderGraph(fullHub.store, (await index(fullHub, second, false)).graph);
    await fullHub.close();
    expect(full).toMatch(/pkg1\.Unit → pkg0\.\(\*Square\)\.Area /);
    const go = languageById('go')!;
    const resolve = go.resolve.bind(go);
    try {
      for (const budget of [1, 40, DECL_BUDGET]) {
        const hub = await openHub({ dataDir: tempDir() });
        try {
          await index(hub, first);
          // What the resolver is given: every file's facts, with a way to read them back.
          let given: ResolveFile<unknown>[] = [];
          let readBack: unknown[] = [];
          (go as { resolve: typeof go.resolve }).resolve = (input) => {
            given = input.files;
            readBack = input.files.map((file) => (file.stored?.factsReadBack ? file.stored.loadFacts() : undefined));
            return resolve(input);
          };
          const previous = setDeclBudget(budget);
          let result;
          try {
            result = await index(hub, second);
          } finally {
            setDeclBudget(previous);
          }
          // The unchanged files' facts came from the extraction cache, and come back from it, equal.
          expect(result.cachedFiles, `budget ${budget}`).toBeGreaterThan(40);
          expect(given.length).toBe(result.stats.files - 1);
          given.forEach((file, i) => expect(readBack[i], file.path).toEqual(file.facts));
          expect(await renderGraph(hub.store, result.graph), `budget ${budget}`).toBe(full);
        } finally {
          await hub.close();
        }
      }
    } finally {
      (go as { resolve: typeof go.resolve }).resolve = resolve;
    }
  });
});

describe('facts read back', () => {
  afterEach(() => {
    setDeclBudget(DECL_BUDGET);
  });

  /** A file declaring one function and one package variable, as the extractor gives them (local fields empty). */
  function facts(i: number): GoFileFacts {
    return {
      package: 'p',
      imports: [{ path: 'fmt', line: 3 }],
      heads: [{ kind: 'function', name: `F${i}` }],
      decls: [],
      docs: [],
      vars: [{ name: `v${i}`, type: { k: 'named', name: 'int' } }],
      bindings: [],
      calls: [],
      selectors: [],
      subtests: [],
      lines: 10,
    };
  }

  it('lets go of the facts it was given once the package index is built, and answers from facts read back', async () => {
    // Collected for real: a closure kept by the index that held its input would keep every file's facts alive.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    setDeclBudget(8);
    let reads = 0;
    const given: Array<WeakRef<GoFileFacts>> = [];
    const build = (): PackageIndex => {
      const files: Array<ResolveFile<GoFileFacts>> = Array.from({ length: 200 }, (_, i) => {
        const file = facts(i);
        given.push(new WeakRef(file));
        return {
          path: `p/f${i}.go`,
          blob: String(i),
          facts: file,
          stored: {
            loadLocal: () => ({}),
            factsReadBack: true,
            loadFacts: () => {
              reads++;
              return facts(i);
            },
          },
        };
      });
      return buildPackageIndex({ repository: 'example.com/m', files, modules: [], vendored: [] });
    };
    const index = build();
    // WeakRefs made in this turn hold their targets until it ends.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const alive = given.filter((ref) => ref.deref() !== undefined).length;
    // What the cache keeps of them (a budget of 8 declarations, a file weighing 2) may stay; the rest must go.
    expect(alive).toBeLessThanOrEqual(4);
    const pkg = index.byImportPath.get('example.com/m/p')!;
    expect(pkg.funcs.get('F150')?.map((fn) => fn.head.name)).toEqual(['F150']);
    expect(pkg.vars.get('v199')?.variable.name).toBe('v199');
    expect(index.files[42]!.imports.get('fmt')).toBe('fmt');
    expect(reads).toBeGreaterThan(0);
  });
});
