/**
 * Callers and callees of one symbol as answers, with paging: the symbol
 * page shows the first items, the list pages, the JSON API and MCP page
 * through the rest. The first fields are those of `graphhub callers --json`
 * and `graphhub callees --json`.
 */
import type { ExternalRef, GraphInfo, SymbolRecord, UnresolvedCall } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { edgeItem, graphRef, summarize, type EdgeItem, type GraphRef, type SymbolSummary } from './views.js';

export interface ListPage {
  offset: number;
  limit: number;
  total: number;
  /** Where the next page starts; absent on the last page. */
  nextOffset?: number;
}

export interface PageOptions {
  offset?: number;
  limit?: number;
}

export interface CallersAnswer extends GraphRef {
  symbol: SymbolSummary;
  /** Sorted by confidence, highest first. */
  callers: EdgeItem[];
  /** Unresolved call sites anywhere in the graph that call a name like this one. */
  possibleCallersUnresolved: number;
  page: ListPage;
}

export interface CalleesAnswer extends GraphRef {
  symbol: SymbolSummary;
  /** Sorted by confidence, highest first. */
  callees: EdgeItem[];
  unresolvedCalls: UnresolvedCall[];
  externalCalls: ExternalRef[];
  page: ListPage;
}

export const MAX_PAGE_LIMIT = 500;

/** Applies offset and limit (clamped to 1..MAX_PAGE_LIMIT) to a list. */
export function pageOf<T>(items: T[], options: PageOptions, defaultLimit = 100): { items: T[]; page: ListPage } {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.floor(options.limit ?? defaultLimit)));
  const page: ListPage = { offset, limit, total: items.length };
  if (offset + limit < items.length) page.nextOffset = offset + limit;
  return { items: items.slice(offset, offset + limit), page };
}

/** Confidence first; the store's order (name, file) breaks ties. */
function byConfidence(a: EdgeItem, b: EdgeItem): number {
  return b.confidence - a.confidence;
}

export async function callersOf(store: GraphStore, graph: GraphInfo, symbol: SymbolRecord, options: PageOptions = {}): Promise<CallersAnswer> {
  const [edges, possibleCallersUnresolved] = await Promise.all([
    store.callers(graph.id, symbol.id),
    store.countUnresolvedNamed(graph.id, symbol.name),
  ]);
  const { items, page } = pageOf(edges.map(edgeItem).sort(byConfidence), options);
  return { ...graphRef(graph), symbol: summarize(symbol), callers: items, possibleCallersUnresolved, page };
}

export async function calleesOf(store: GraphStore, graph: GraphInfo, symbol: SymbolRecord, options: PageOptions = {}): Promise<CalleesAnswer> {
  const [edges, unresolvedCalls, externalCalls] = await Promise.all([
    store.callees(graph.id, symbol.id),
    store.unresolvedFrom(graph.id, symbol.id),
    store.externalRefsFrom(graph.id, symbol.id),
  ]);
  const { items, page } = pageOf(edges.map(edgeItem).sort(byConfidence), options);
  return { ...graphRef(graph), symbol: summarize(symbol), callees: items, unresolvedCalls, externalCalls, page };
}
