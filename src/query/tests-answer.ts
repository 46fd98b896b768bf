/** "Tested by" as an answer of its own: the shape of `graphhub tests --json`, `/api/…/-/tests/…` and the MCP `tests` tool. */
import type { GraphInfo, SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { testsReaching, type TestsAnswer } from './tests.js';
import { graphRef, summarize, type GraphRef, type SymbolSummary } from './views.js';

export interface SymbolTests extends GraphRef {
  symbol: SymbolSummary;
  tests: TestsAnswer;
}

export async function testsOf(
  store: GraphStore,
  graph: GraphInfo,
  symbol: SymbolRecord,
  options: { maxDepth?: number; limit?: number } = {},
): Promise<SymbolTests> {
  return { ...graphRef(graph), symbol: summarize(symbol), tests: await testsReaching(store, graph, symbol, options) };
}
