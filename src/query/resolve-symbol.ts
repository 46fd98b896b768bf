/**
 * One symbol of one graph from what an agent or a URL names: a symbol query
 * and, optionally, a repository and commit. Without a repository every
 * repository's newest graph is searched, so an agent that knows only a
 * function's name still gets an answer, or the list to choose from.
 */
import { GraphhubError, notFound } from '../model/errors.js';
import type { GraphInfo, SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { findGraph, findOneSymbol, type GraphSelector, type SymbolChoice } from './find-symbol.js';

export interface ResolvedSymbol {
  graph: GraphInfo;
  symbol: SymbolRecord;
}

export async function resolveSymbol(store: GraphStore, selector: GraphSelector, query: string): Promise<ResolvedSymbol> {
  if (selector.repository !== undefined) {
    const graph = await findGraph(store, selector);
    return { graph, symbol: await findOneSymbol(store, graph, query) };
  }
  if (selector.commit !== undefined) throw new GraphhubError('invalid-input', 'a commit needs a repository');
  const graphs = (await store.listRepositories()).flatMap((repository) => (repository.newest ? [repository.newest] : []));
  if (graphs.length === 0) throw notFound('no repository has been indexed yet');
  if (graphs.length === 1) return { graph: graphs[0]!, symbol: await findOneSymbol(store, graphs[0]!, query) };

  const found: ResolvedSymbol[] = [];
  const choices: SymbolChoice[] = [];
  const suggestions = new Set<string>();
  for (const graph of graphs) {
    try {
      found.push({ graph, symbol: await findOneSymbol(store, graph, query) });
    } catch (error) {
      if (!(error instanceof GraphhubError)) throw error;
      if (error.code === 'ambiguous' && Array.isArray(error.details?.choices)) choices.push(...(error.details.choices as SymbolChoice[]));
      else if (error.code === 'not-found' && Array.isArray(error.details?.suggestions)) {
        for (const name of error.details.suggestions as string[]) suggestions.add(name);
      } else if (error.code !== 'not-found') throw error;
    }
  }
  if (found.length === 1 && choices.length === 0) return found[0]!;
  for (const { graph, symbol } of found) {
    choices.push({ id: symbol.id, kind: symbol.kind, qualifiedName: symbol.qualifiedName, file: symbol.file, line: symbol.nameLine, repository: graph.repository });
  }
  if (choices.length > 0) {
    const repositories = [...new Set(choices.map((choice) => choice.repository))];
    throw new GraphhubError(
      'ambiguous',
      `${choices.length} symbols match ${query} in ${repositories.length} repositor${repositories.length === 1 ? 'y' : 'ies'}; name the repository and use a qualified name or a symbol id`,
      { choices },
    );
  }
  const nearest = [...suggestions].slice(0, 5);
  const hint = nearest.length > 0 ? ` Did you mean ${nearest.map((name) => `\`${name}\``).join(', ')}?` : '';
  throw notFound(`No symbol \`${query}\` in any indexed repository.${hint}`, { suggestions: nearest });
}
