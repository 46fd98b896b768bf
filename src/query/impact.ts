/**
 * Impact: what could break if a symbol changes — its transitive callers to a
 * depth, each with the confidence of its best shortest path, and the tests
 * among them. The walk runs in memory (call-graph.ts).
 */
import { compareText, type GraphInfo, type SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { callGraphOf, walkCallers } from './call-graph.js';
import { graphRef, summarize, type GraphRef, type SymbolSummary } from './views.js';

export interface ImpactAnswer extends GraphRef {
  symbol: SymbolSummary;
  depth: number;
  callers: Array<{ symbol: SymbolSummary; depth: number; confidence: number; via: string }>;
  tests: Array<{ symbol: SymbolSummary; depth: number; confidence: number }>;
  truncated: boolean;
}

export const MAX_IMPACT_DEPTH = 10;

export async function impactOf(
  store: GraphStore,
  graph: GraphInfo,
  symbol: SymbolRecord,
  options: { depth?: number; limit?: number } = {},
): Promise<ImpactAnswer> {
  const depth = Math.min(MAX_IMPACT_DEPTH, Math.max(1, Math.floor(options.depth ?? 3)));
  const limit = Math.min(5000, Math.max(1, Math.floor(options.limit ?? 500)));
  const callGraph = await callGraphOf(store, graph);
  const start = callGraph.indexOf.get(symbol.id);
  const entries: Array<{ index: number; depth: number; confidence: number; via: number }> = [];
  let truncated = false;
  if (start !== undefined) {
    const walk = walkCallers(callGraph, start, { maxDepth: depth, limit });
    truncated = walk.truncated;
    for (const [index, entry] of walk.reached) {
      if (index !== start) entries.push({ index, depth: entry.depth, confidence: entry.confidence, via: entry.next });
    }
  }
  const records = new Map((await store.getSymbols(graph.id, entries.map((entry) => callGraph.ids[entry.index]!))).map((s) => [s.id, s]));
  const nameOf = (index: number): string => records.get(callGraph.ids[index]!)?.qualifiedName ?? '';
  entries.sort((a, b) => a.depth - b.depth || b.confidence - a.confidence || compareText(nameOf(a.index), nameOf(b.index)));
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  const callers = entries
    .filter((entry) => records.has(callGraph.ids[entry.index]!))
    .map((entry) => ({
      symbol: summarize(records.get(callGraph.ids[entry.index]!)!),
      depth: entry.depth,
      confidence: round(entry.confidence),
      via: callGraph.ids[entry.via]!,
    }));
  return {
    ...graphRef(graph),
    symbol: summarize(symbol),
    depth,
    callers,
    tests: callers.filter((caller) => caller.symbol.kind === 'test').map(({ symbol: test, depth: d, confidence }) => ({ symbol: test, depth: d, confidence })),
    truncated,
  };
}
