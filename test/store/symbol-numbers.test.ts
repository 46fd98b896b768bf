/**
 * The writers' id → number table keeps hashes, not ids: it must still give
 * every id its own number through growth, and none to an id never set.
 */
import { describe, expect, it } from 'vitest';
import { setKeptNumbers, SymbolNumbers } from '../../src/store/symbol-numbers.js';

describe('SymbolNumbers', () => {
  it('answers each of 200k similar ids with its own number through many doublings, and nothing for ids never set', () => {
    const numbers = new SymbolNumbers();
    const id = (i: number): string => `go:pkg${i % 97}/file${i % 13}.go:pkg${i % 97}.(*T${i % 7}).Method${i}`;
    for (let i = 0; i < 200_000; i++) numbers.set(id(i), i);
    expect(numbers.size).toBe(200_000);
    for (let i = 0; i < 200_000; i++) expect(numbers.get(id(i))).toBe(i);
    for (let i = 200_000; i < 220_000; i++) expect(numbers.has(id(i))).toBe(false);
    // Ids one unit apart, the same units in another order, a prefix, and the empty id.
    const close = ['go:a.go:p.f', 'go:a.go:p.g', 'go:a.go:p.F', 'go:a.go:f.p', 'go:a.go:p.f~2', 'go:a.go:p.', '', 'gö:a.go:p.f'];
    const other = new SymbolNumbers();
    close.forEach((each, i) => other.set(each, i));
    expect(close.map((each) => other.get(each))).toEqual(close.map((_, i) => i));
    expect(other.get('go:a.go:p.h')).toBeUndefined();
  });

  it('keeps one entry for an id set again, with the newer number', () => {
    const numbers = SymbolNumbers.of([
      ['go:a.go:p.f', 3],
      ['go:a.go:p.g', 4],
    ]);
    // Looked up first (remembered as looked up lately), then set again.
    expect(numbers.get('go:a.go:p.f')).toBe(3);
    numbers.set('go:a.go:p.f', 9);
    expect(numbers.size).toBe(2);
    expect(numbers.get('go:a.go:p.f')).toBe(9);
    expect(numbers.get('go:a.go:p.g')).toBe(4);
    expect(() => numbers.set('go:a.go:p.h', -1)).toThrow(/out of range/);
  });

  it('keeps no new id past its limit, says so, still sets the ones it has, and answers those found elsewhere once noted', () => {
    const previous = setKeptNumbers(2);
    const numbers = SymbolNumbers.bounded();
    setKeptNumbers(previous);
    expect(numbers.set('go:a.go:p.a', 1)).toBe(true);
    expect(numbers.set('go:a.go:p.b', 2)).toBe(true);
    expect(numbers.set('go:a.go:p.c', 3)).toBe(false);
    expect(numbers.size).toBe(2);
    expect(numbers.get('go:a.go:p.c')).toBeUndefined();
    // Full, an id it has still takes a new number.
    expect(numbers.set('go:a.go:p.a', 7)).toBe(true);
    expect(numbers.get('go:a.go:p.a')).toBe(7);
    // A number the owner found elsewhere is answered from those looked up lately, without a slot.
    numbers.note('go:a.go:p.c', 3);
    expect(numbers.get('go:a.go:p.c')).toBe(3);
    expect(numbers.size).toBe(2);
    // The limit is read when a table is made.
    expect(SymbolNumbers.bounded().set('go:a.go:p.c', 3)).toBe(true);
  });
});
