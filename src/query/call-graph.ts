/**
 * Walks over a graph's call edges (tests that reach a symbol, impact) run in
 * memory on a compact reverse adjacency, loaded once per graph and kept in a
 * small LRU cache. Published graphs never change, so an entry never goes
 * stale; the cache key includes the publish time for graphs that are
 * re-published in place.
 */
import type { GraphInfo, SymbolKind } from '../model/graph.js';
import type { CompactGraph, GraphStore } from '../store/graph-store.js';

export interface CallGraph {
  ids: string[];
  kinds: SymbolKind[];
  names: string[];
  indexOf: Map<string, number>;
  /** Callers of symbol i: edges callerEdges[callerStart[i] .. callerStart[i+1]). */
  callerStart: Int32Array;
  callerOf: Int32Array;
  callerConfidence: Float64Array;
}

export function buildCallGraph(compact: CompactGraph): CallGraph {
  const count = compact.ids.length;
  const callerStart = new Int32Array(count + 1);
  for (const callee of compact.callees) callerStart[callee + 1]!++;
  for (let i = 0; i < count; i++) callerStart[i + 1]! += callerStart[i]!;
  const fill = callerStart.slice(0, count);
  const callerOf = new Int32Array(compact.callees.length);
  const callerConfidence = new Float64Array(compact.callees.length);
  for (let edge = 0; edge < compact.callees.length; edge++) {
    const slot = fill[compact.callees[edge]!]!++;
    callerOf[slot] = compact.callers[edge]!;
    callerConfidence[slot] = compact.confidences[edge]!;
  }
  const indexOf = new Map<string, number>();
  compact.ids.forEach((id, i) => indexOf.set(id, i));
  return { ids: compact.ids, kinds: compact.kinds, names: compact.names, indexOf, callerStart, callerOf, callerConfidence };
}

const MAX_CACHED_GRAPHS = 16;
const caches = new WeakMap<GraphStore, Map<string, Promise<CallGraph>>>();

export function callGraphOf(store: GraphStore, graph: GraphInfo): Promise<CallGraph> {
  let cache = caches.get(store);
  if (!cache) {
    cache = new Map();
    caches.set(store, cache);
  }
  const key = `${graph.id}@${graph.indexedAt}`;
  let entry = cache.get(key);
  if (entry) {
    // Refresh its place in the LRU order.
    cache.delete(key);
    cache.set(key, entry);
    return entry;
  }
  entry = store.compactGraph(graph.id).then(buildCallGraph);
  entry.catch(() => cache!.delete(key));
  cache.set(key, entry);
  while (cache.size > MAX_CACHED_GRAPHS) cache.delete(cache.keys().next().value!);
  return entry;
}

export interface Reached {
  depth: number;
  confidence: number;
  /** The next symbol towards the start, -1 for the start itself. */
  next: number;
}

/**
 * Breadth-first up the callers from `start`: each reached symbol with its
 * shortest depth and the best confidence (product of edge confidences) among
 * the shortest paths. `stopAt` symbols are reached but not walked past.
 */
export function walkCallers(
  graph: CallGraph,
  start: number,
  options: { maxDepth: number; limit?: number; stopAt?: (index: number) => boolean },
): { reached: Map<number, Reached>; truncated: boolean } {
  const reached = new Map<number, Reached>([[start, { depth: 0, confidence: 1, next: -1 }]]);
  let frontier = [start];
  let truncated = false;
  for (let depth = 1; depth <= options.maxDepth && frontier.length > 0; depth++) {
    const nextFrontier: number[] = [];
    for (const callee of frontier) {
      const base = reached.get(callee)!.confidence;
      for (let slot = graph.callerStart[callee]!; slot < graph.callerStart[callee + 1]!; slot++) {
        const caller = graph.callerOf[slot]!;
        const confidence = base * graph.callerConfidence[slot]!;
        const known = reached.get(caller);
        if (!known) {
          if (options.limit !== undefined && reached.size > options.limit) {
            truncated = true;
            continue;
          }
          reached.set(caller, { depth, confidence, next: callee });
          if (!options.stopAt?.(caller)) nextFrontier.push(caller);
        } else if (known.depth === depth && confidence > known.confidence) {
          known.confidence = confidence;
          known.next = callee;
        }
      }
    }
    frontier = nextFrontier;
  }
  return { reached, truncated };
}
