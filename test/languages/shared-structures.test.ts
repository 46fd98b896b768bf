/**
 * Structures that keep the resolvers' memory small must still answer as
 * the plain ones did: bindings that share a scope array, and a FuncTable
 * that keeps a name's one function without a list.
 */
import { describe, expect, it } from 'vitest';
import { FuncInfo, FuncTable, type FileInfo } from '../../src/languages/go/packages.js';
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

describe('FuncTable', () => {
  const file = {} as FileInfo;
  const fn = (id: string): FuncInfo => new FuncInfo(id, file, 0);

  it('answers one function or several by name, in the order added, and says which add was the first', () => {
    const table = new FuncTable();
    const [a, b1, b2, b3] = [fn('a'), fn('b1'), fn('b2'), fn('b3')];
    expect(table.add('a', a)).toBe(true);
    expect(table.add('b', b1)).toBe(true);
    expect(table.add('b', b2)).toBe(false);
    expect(table.add('b', b3)).toBe(false);
    expect(table.get('a')).toEqual([a]);
    expect(table.get('b')).toEqual([b1, b2, b3]);
    expect(table.get('c')).toBeUndefined();
    expect(table.has('b')).toBe(true);
    expect(table.has('c')).toBe(false);
    expect([...table.entries()].map(([name, fns]) => [name, fns.map((f) => f.id)])).toEqual([
      ['a', ['a']],
      ['b', ['b1', 'b2', 'b3']],
    ]);
  });
});
