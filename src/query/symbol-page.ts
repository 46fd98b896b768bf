/**
 * Everything the symbol page shows (SPEC §1), as one value: the symbol, its
 * hash-verified source with context, callers, callees, unresolved calls and
 * the tests that reach it. `graphhub symbol --json`, `/api/…/symbol/…` and
 * the MCP `symbol` tool all return this.
 */
import type { ContentStore } from '../cas/content-store.js';
import type { ExternalRef, GraphInfo, SymbolRecord, UnresolvedCall } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { readExcerpt, type SourceExcerpt } from './source.js';
import { testsReaching, type TestsAnswer } from './tests.js';
import { edgeItem, graphRef, summarize, type EdgeItem, type GraphRef, type SymbolSummary } from './views.js';

export interface SymbolPage extends GraphRef {
  symbol: SymbolSummary;
  source: SourceExcerpt | undefined;
  /** Highest confidence first; the first `edgeLimit` when one was asked for (callerCount says how many there are). */
  callers: EdgeItem[];
  callees: EdgeItem[];
  callerCount: number;
  calleeCount: number;
  /** Calls this symbol makes that could not be resolved. */
  unresolvedCalls: UnresolvedCall[];
  /** Unresolved call sites anywhere in the graph that call a name like this one: possible callers. */
  possibleCallersUnresolved: number;
  /** Calls into other modules (standard library, dependencies, vendored modules). */
  externalCalls: ExternalRef[];
  tests: TestsAnswer;
}

export const CONTEXT_LINES = 2;

export async function symbolPage(
  store: GraphStore,
  cas: ContentStore,
  graph: GraphInfo,
  symbol: SymbolRecord,
  /**
   * edgeLimit: at most this many callers and callees are read (a symbol may
   * have tens of thousands; a page shows a hundred and links to the rest).
   */
  options: { contextLines?: number; edgeLimit?: number } = {},
): Promise<SymbolPage> {
  const context = options.contextLines ?? CONTEXT_LINES;
  const limit = options.edgeLimit;
  const [callers, callees, counts, unresolvedCalls, possibleCallersUnresolved, externalCalls, tests, source] = await Promise.all([
    store.callers(graph.id, symbol.id, limit),
    store.callees(graph.id, symbol.id, limit),
    limit === undefined ? undefined : store.edgeCounts(graph.id, symbol.id),
    store.unresolvedFrom(graph.id, symbol.id),
    store.countPossibleCallers(graph.id, symbol),
    store.externalRefsFrom(graph.id, symbol.id),
    testsReaching(store, graph, symbol),
    sourceOf(store, cas, graph, symbol, context),
  ]);
  return {
    ...graphRef(graph),
    symbol: summarize(symbol),
    source,
    callers: callers.map(edgeItem),
    callees: callees.map(edgeItem),
    callerCount: counts?.callers ?? callers.length,
    calleeCount: counts?.callees ?? callees.length,
    unresolvedCalls,
    possibleCallersUnresolved,
    externalCalls,
    tests,
  };
}

async function sourceOf(
  store: GraphStore,
  cas: ContentStore,
  graph: GraphInfo,
  symbol: SymbolRecord,
  context: number,
): Promise<SourceExcerpt | undefined> {
  if (symbol.kind === 'package') return undefined;
  const start = Math.max(1, symbol.range.startLine - context);
  const end = symbol.kind === 'file' ? Math.min(symbol.range.endLine, 60) : symbol.range.endLine + context;
  return readExcerpt(store, cas, graph, symbol.file, start, end);
}
