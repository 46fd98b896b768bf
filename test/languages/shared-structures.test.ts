/**
 * Structures that keep the resolvers' memory small must still answer as
 * the plain ones did: bindings that share a scope array, a FuncTable
 * that keeps a name's one function without a list, and MethodOwners'
 * (type, method) pairs in one array.
 */
import { describe, expect, it } from 'vitest';
import type { GoFileFacts } from '../../src/languages/go/facts.js';
import { DeclNumbers, FileInfo, FuncInfo, FuncTable, MethodOwners, type PackageInfo } from '../../src/languages/go/packages.js';
import { shareScopes } from '../../src/languages/syntax-helpers.js';

describe('shareScopes', () => {
  it('gives bindings of one scope one array, with the same numbers, and leaves other scopes apart', () => {
    // As facts come back from JSON: an array per binding.
    const bindings = JSON.parse(
      JSON.stringify([
        { name: 'a', scope: [10, 90] },
        { name: 'b', scope: [10, 90] },
        { name: 'c', scope: [10, 40] },
        { name: 'd', scope: [0, Number.MAX_SAFE_INTEGER] },
        { name: 'e', scope: [10, 90] },
        { name: 'f', scope: [0, Number.MAX_SAFE_INTEGER] },
      ]),
    ) as Array<{ name: string; scope: [number, number] }>;
    const before = bindings.map((binding) => [...binding.scope]);
    shareScopes(bindings);
    expect(bindings.map((binding) => [...binding.scope])).toEqual(before);
    expect(bindings[1]!.scope).toBe(bindings[0]!.scope);
    expect(bindings[4]!.scope).toBe(bindings[0]!.scope);
    expect(bindings[5]!.scope).toBe(bindings[3]!.scope);
    expect(bindings[2]!.scope).not.toBe(bindings[0]!.scope);
    expect(bindings[3]!.scope).not.toBe(bindings[0]!.scope);
  });
});

/** A file of the index declaring functions of these names. */
function goFile(path: string, pkg: PackageInfo, names: string[]): FileInfo {
  const facts = { heads: names.map((name) => ({ kind: 'function', name })), subtests: [], imports: [], vars: [] } as unknown as GoFileFacts;
  return new FileInfo(path, facts, pkg, false, new Set(), () => undefined);
}

describe('FuncTable', () => {
  // Three files, the middle one without declarations: numbers 0-1 are a.go's, 2-3 c.go's.
  const pkg = { name: 'p' } as PackageInfo;
  const file = (path: string, names: string[]): FileInfo => goFile(path, pkg, names);
  const files = [file('a.go', ['a', 'b']), file('b.go', []), file('c.go', ['b', 'c'])];
  const numbers = new DeclNumbers();
  numbers.seal(files);
  const fn = (at: number, index: number): number => files[at]!.firstDecl + index;

  const where = (fns: readonly FuncInfo[] | undefined): Array<[string, number]> | undefined => fns?.map((f) => [f.file.path, f.index]);

  it('answers one function or several by name, in the order added, and says which add was the first', () => {
    const table = new FuncTable(numbers);
    const [a, b1, b2, c] = [fn(0, 0), fn(0, 1), fn(2, 0), fn(2, 1)];
    expect(table.add('a', a)).toBe(true);
    expect(table.add('b', b1)).toBe(true);
    expect(table.add('b', b2)).toBe(false);
    expect(table.add('c', c)).toBe(true);
    expect(where(table.get('a'))).toEqual([['a.go', 0]]);
    expect(where(table.get('b'))).toEqual([
      ['a.go', 1],
      ['c.go', 0],
    ]);
    expect(where(table.get('c'))).toEqual([['c.go', 1]]);
    expect(table.get('d')).toBeUndefined();
    expect(table.has('b')).toBe(true);
    expect(table.has('d')).toBe(false);
    expect([...table.entries()].map(([name, fns]) => [name, fns.map((f) => f.id)])).toEqual([
      ['a', ['go:a.go:p.a']],
      ['b', ['go:a.go:p.b', 'go:c.go:p.b']],
      ['c', ['go:c.go:p.c']],
    ]);
  });
});

describe('FuncTable with many names', () => {
  it('answers as before once it has more names than it scans, in the order added', () => {
    const pkg = { name: 'p' } as PackageInfo;
    const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
    const file = goFile('m.go', pkg, [...names, 'f3', 'f15']);
    const numbers = new DeclNumbers();
    numbers.seal([file]);
    const table = new FuncTable(numbers);
    const firsts = names.map((name, i) => table.add(name, i));
    // A second f3 (added while the table is a Map, its first while a list) and a second f15.
    expect(table.add('f3', 20)).toBe(false);
    expect(table.add('f15', 21)).toBe(false);
    expect(firsts.every(Boolean)).toBe(true);
    expect(table.get('f3')?.map((fn) => fn.index)).toEqual([3, 20]);
    expect(table.get('f15')?.map((fn) => fn.index)).toEqual([15, 21]);
    expect(table.get('f19')?.map((fn) => fn.index)).toEqual([19]);
    expect(table.has('f20')).toBe(false);
    expect([...table.entries()].map(([name]) => name)).toEqual(names);
  });
});

describe('MethodOwners', () => {
  it('answers the (type, method) pairs of a method name, a type\'s methods of it and their count, in the order added', () => {
    const owners = new MethodOwners();
    // Types 1, 2, 3; type 2 declares Close twice (build-tagged files), after type 3 did.
    owners.add('Close', 1, 10);
    owners.add('Read', 2, 20);
    owners.add('Close', 3, 30);
    owners.add('Close', 2, 21);
    owners.add('Close', 2, 22);
    owners.seal();
    const pairs = (name: string): number[][] => {
      const found: number[][] = [];
      owners.forEach(name, (type, method) => found.push([type, method]));
      return found;
    };
    expect(pairs('Read')).toEqual([[2, 20]]);
    expect(pairs('Close')).toEqual([[1, 10], [3, 30], [2, 21], [2, 22]]);
    expect(owners.methods('Close', 2)).toEqual([21, 22]);
    expect(owners.methods('Close')).toEqual([10, 30, 21, 22]);
    expect(owners.count('Close')).toBe(4);
    expect(owners.count('Read')).toBe(1);
    expect(pairs('Write')).toEqual([]);
    expect(owners.methods('Write')).toEqual([]);
    expect(owners.count('Write')).toBe(0);
  });
});
