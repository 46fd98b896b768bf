/**
 * Search ranking shared by every backend: exact name, then name prefix, then
 * qualified-name matches; exported before unexported; shorter names first.
 */
import { compareText } from '../model/graph.js';
import type { SymbolHit } from './graph-store.js';

/**
 * Search texts shorter than this match as substrings of symbol names only;
 * longer ones anywhere in qualified names. Why: substrings are found through
 * trigram indexes, which need three characters; a shorter text is looked for
 * by a scan, and names are what a scan of one or two characters can afford
 * (and what such a text is usually the start or part of).
 */
export const SHORT_SUBSTRING = 3;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function score(hit: SymbolHit, text: string): number {
  const name = hit.symbol.name.toLowerCase();
  const qualified = hit.symbol.qualifiedName.toLowerCase();
  let value: number;
  if (name === text) value = 0;
  else if (name.startsWith(text)) value = 1;
  else if (qualified.endsWith(text)) value = 2;
  else if (name.includes(text)) value = 3;
  else value = 4;
  if (hit.symbol.kind === 'file' || hit.symbol.kind === 'package') value += 0.5;
  if (!hit.symbol.exported) value += 0.25;
  return value;
}

export function rankHits(hits: SymbolHit[], text: string, limit: number): SymbolHit[] {
  const unique = new Map<string, SymbolHit>();
  for (const hit of hits) unique.set(`${hit.graphId}\u0000${hit.symbol.id}`, hit);
  return [...unique.values()]
    .map((hit) => ({ hit, score: score(hit, text) }))
    .sort(
      (a, b) =>
        a.score - b.score ||
        a.hit.symbol.name.length - b.hit.symbol.name.length ||
        compareText(a.hit.symbol.qualifiedName, b.hit.symbol.qualifiedName) ||
        compareText(a.hit.repository, b.hit.repository),
    )
    .slice(0, limit)
    .map(({ hit }) => hit);
}
