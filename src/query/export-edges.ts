/**
 * `graphhub export edges`: one JSON object per caller→callee pair, in a
 * stable order, in the format comparison tools read:
 * {"caller":{"file","name","line"},"callee":{…},"sites":[{"file","line","col"}],"confidence","strategy"}
 */
import type { GraphInfo, SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';

export interface ExportedEnd {
  file: string;
  name: string;
  line: number;
}

export interface ExportedEdge {
  caller: ExportedEnd;
  callee: ExportedEnd;
  sites: Array<{ file: string; line: number; col: number }>;
  confidence: number;
  strategy: string;
}

/** Methods as `Recv.Method` (no pointer star), File symbols by their path. */
export function exportedEnd(symbol: SymbolRecord): ExportedEnd {
  if (symbol.kind === 'file') return { file: symbol.file, name: symbol.file, line: 1 };
  const name = symbol.receiver ? `${symbol.receiver}.${symbol.name}` : symbol.name;
  return { file: symbol.file, name, line: symbol.nameLine };
}

export async function* exportEdges(store: GraphStore, graph: GraphInfo): AsyncIterable<ExportedEdge> {
  for await (const { caller, callee, edge } of store.allEdges(graph.id)) {
    yield {
      caller: exportedEnd(caller),
      callee: exportedEnd(callee),
      sites: edge.sites.map((site) => ({ file: site.file, line: site.line, col: site.col })),
      confidence: edge.confidence,
      strategy: edge.strategy,
    };
  }
}
