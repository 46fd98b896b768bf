/**
 * How pages and answers name a symbol in a link: its qualified name when
 * that names exactly one symbol of the graph (`main.startContainer`), else
 * its id (`go:utils_linux.go:main.startContainer`), which always does. Both
 * resolve through findOneSymbol, so every link lands on its symbol.
 */
import type { GraphInfo } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { memoizedForGraph } from './graph-cache.js';

interface Linkable {
  id: string;
  kind: string;
  qualifiedName: string;
}

/** For each symbol id, the text to put in its link. */
export async function linkNames(store: GraphStore, graph: GraphInfo, symbols: Iterable<Linkable>): Promise<Map<string, string>> {
  const unique = await memoizedForGraph(store, graph, 'unique-qualified-names', async () => new Map<string, boolean>());
  const names = new Map<string, string>();
  for (const symbol of symbols) {
    if (names.has(symbol.id)) continue;
    let isUnique = unique.get(symbol.qualifiedName);
    if (isUnique === undefined) {
      const matches = await store.symbolsQualified(graph.id, symbol.qualifiedName, 2);
      isUnique = matches.length === 1 && matches[0]!.id === symbol.id;
      if (unique.size > 100_000) unique.clear();
      unique.set(symbol.qualifiedName, isUnique);
    }
    names.set(symbol.id, isUnique && symbol.kind !== 'file' ? symbol.qualifiedName : symbol.id);
  }
  return names;
}
