/**
 * "Did you mean": the names nearest to a mistyped one, by edit distance with
 * a case-insensitive comparison and a cutoff that grows with the length.
 */
import { compareText } from '../model/graph.js';

export function editDistance(a: string, b: string, cutoff = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > cutoff) return cutoff + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (current[j]! < rowMinimum) rowMinimum = current[j]!;
    }
    if (rowMinimum > cutoff) return cutoff + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

export function nearestNames(query: string, names: Iterable<string>, limit = 5): string[] {
  const wanted = query.toLowerCase();
  const cutoff = Math.max(2, Math.floor(wanted.length / 3));
  const scored: Array<{ name: string; distance: number }> = [];
  for (const name of names) {
    const lower = name.toLowerCase();
    let distance = editDistance(wanted, lower, cutoff);
    // A name that contains the query (or the reverse) is a good suggestion even when long.
    if (distance > cutoff && wanted.length >= 4 && (lower.includes(wanted) || wanted.includes(lower))) distance = cutoff;
    if (distance <= cutoff) scored.push({ name, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.name.length - b.name.length || compareText(a.name, b.name));
  return [...new Set(scored.map((entry) => entry.name))].slice(0, limit);
}
