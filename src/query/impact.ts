/**
 * Impact: what could break if a symbol changes — its transitive callers to a
 * depth, each with the confidence of its best shortest path, and the tests
 * among them.
 */
import { compareText } from '../model/graph.js';
import type { GraphInfo, SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
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
  const reached = new Map<string, { symbol: SymbolRecord; depth: number; confidence: number; via: string }>();
  const confidenceOf = new Map<string, number>([[symbol.id, 1]]);
  let frontier = [symbol.id];
  let truncated = false;
  for (let level = 1; level <= depth && frontier.length > 0 && !truncated; level++) {
    const callers = await store.callersOfMany(graph.id, frontier);
    const next: string[] = [];
    for (const calleeId of frontier) {
      const calleeConfidence = confidenceOf.get(calleeId) ?? 1;
      for (const edge of callers.get(calleeId) ?? []) {
        if (edge.symbol.id === symbol.id) continue;
        const confidence = calleeConfidence * edge.confidence;
        const known = reached.get(edge.symbol.id);
        if (!known) {
          if (reached.size >= limit) {
            truncated = true;
            break;
          }
          reached.set(edge.symbol.id, { symbol: edge.symbol, depth: level, confidence, via: calleeId });
          confidenceOf.set(edge.symbol.id, confidence);
          next.push(edge.symbol.id);
        } else if (known.depth === level && confidence > known.confidence) {
          known.confidence = confidence;
          known.via = calleeId;
          confidenceOf.set(edge.symbol.id, confidence);
        }
      }
    }
    frontier = next;
  }
  const entries = [...reached.values()].sort(
    (a, b) => a.depth - b.depth || b.confidence - a.confidence || compareText(a.symbol.qualifiedName, b.symbol.qualifiedName),
  );
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return {
    ...graphRef(graph),
    symbol: summarize(symbol),
    depth,
    callers: entries.map((entry) => ({ symbol: summarize(entry.symbol), depth: entry.depth, confidence: round(entry.confidence), via: entry.via })),
    tests: entries
      .filter((entry) => entry.symbol.kind === 'test')
      .map((entry) => ({ symbol: summarize(entry.symbol), depth: entry.depth, confidence: round(entry.confidence) })),
    truncated,
  };
}
