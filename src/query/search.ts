/**
 * Symbol search as an answer: the home page's search box, `/api/-/search`,
 * the MCP `search` tool and `graphhub search --json` return this shape.
 */
import { invalidInput } from '../model/errors.js';
import type { SymbolKind } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { findGraph } from './find-symbol.js';
import { summarize, type SymbolSummary } from './views.js';

export interface SearchHit {
  repository: string;
  commit: string;
  symbol: SymbolSummary;
}

export interface SearchAnswer {
  query: string;
  hits: SearchHit[];
}

export interface SearchRequest {
  text: string;
  /** Only this repository (full name or unique suffix); default every repository's newest graph. */
  repository?: string;
  /** With `repository`: this commit. */
  commit?: string;
  kinds?: SymbolKind[];
  limit?: number;
}

export const MAX_SEARCH_TEXT = 200;
export const MAX_SEARCH_LIMIT = 100;

export async function searchSymbols(store: GraphStore, request: SearchRequest): Promise<SearchAnswer> {
  const text = request.text.trim();
  if (text.length > MAX_SEARCH_TEXT) throw invalidInput(`search text longer than ${MAX_SEARCH_TEXT} characters`);
  if (request.commit !== undefined && request.repository === undefined) throw invalidInput('a commit needs a repository');
  const limit = Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(request.limit ?? 20)));
  if (text === '') return { query: text, hits: [] };
  const graphIds =
    request.repository !== undefined
      ? [(await findGraph(store, { repository: request.repository, ...(request.commit ? { commit: request.commit } : {}) })).id]
      : undefined;
  const hits = await store.searchSymbols({
    text,
    limit,
    ...(graphIds ? { graphIds } : {}),
    ...(request.kinds && request.kinds.length > 0 ? { kinds: request.kinds } : {}),
  });
  return { query: text, hits: hits.map((hit) => ({ repository: hit.repository, commit: hit.commit, symbol: summarize(hit.symbol) })) };
}
