/**
 * A small per-store, per-graph memo for values derived from a whole graph
 * (its folder tree, its packages). A published commit graph never changes;
 * a worktree graph updated in place is published again with a new
 * `indexedAt`, which is part of the key, so an entry is never stale. The
 * bound keeps memory flat however many graphs are browsed.
 */
import type { GraphInfo } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';

const MAX_GRAPHS_PER_STORE = 16;

const caches = new WeakMap<GraphStore, Map<string, Promise<unknown>>>();

/** The value `compute` yields for this graph, computed once per store, graph and name. */
export function memoizedForGraph<T>(store: GraphStore, graph: GraphInfo, name: string, compute: () => Promise<T>): Promise<T> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  // Commit and publication time are part of the key: a reused graph id or an in-place update never hits an old entry.
  const key = `${name}\u0000${graph.id}\u0000${graph.commit}\u0000${graph.indexedAt}`;
  const known = cache.get(key);
  if (known) {
    // Re-insert: the Map's order is then least recently used first.
    cache.delete(key);
    cache.set(key, known);
    return known as Promise<T>;
  }
  const value = compute();
  cache.set(key, value);
  // A failed computation is not remembered.
  value.catch(() => cache.delete(key));
  while (cache.size > MAX_GRAPHS_PER_STORE * 4) cache.delete(cache.keys().next().value as string);
  return value;
}
