/**
 * C3 linearisation, the order Python looks methods up in: a class, then
 * its bases such that every class precedes its own bases and the bases'
 * written order is kept.
 */
import type { PyValue } from './values.js';

export function keyOf(value: PyValue): string {
  if (value.v === 'decl') return `${value.file.path}#${value.index}`;
  if (value.v === 'external') return `external:${value.packagePath}:${value.path.join('.')}`;
  return value.v;
}

export function c3Merge(sequences: PyValue[][]): PyValue[] | undefined {
  const lists = sequences.map((sequence) => [...sequence]).filter((sequence) => sequence.length > 0);
  const result: PyValue[] = [];
  while (lists.length > 0) {
    let head: PyValue | undefined;
    for (const list of lists) {
      const candidate = list[0]!;
      const key = keyOf(candidate);
      if (!lists.some((other) => other.slice(1).some((item) => keyOf(item) === key))) {
        head = candidate;
        break;
      }
    }
    if (!head) return undefined;
    const key = keyOf(head);
    result.push(head);
    for (const list of lists) if (keyOf(list[0]!) === key) list.shift();
    for (let index = lists.length - 1; index >= 0; index--) if (lists[index]!.length === 0) lists.splice(index, 1);
  }
  return result;
}

export function dedupe(values: PyValue[]): PyValue[] {
  const seen = new Set<string>();
  return values.filter((value) => {
    const key = keyOf(value);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
