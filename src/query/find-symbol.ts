/**
 * From what a person or an agent types to one symbol of one graph: a symbol
 * id, a qualified name (`main.startContainer`, `libcontainer.(*Container).Run`,
 * `Container.Run`) or a bare name. Ambiguity and misses are answers too:
 * `ambiguous` lists the choices, `not-found` the nearest names.
 */
import { GraphhubError, notFound } from '../model/errors.js';
import type { GraphInfo, SymbolRecord } from '../model/graph.js';
import { looksLikeSymbolId } from '../model/symbol-id.js';
import type { GraphStore } from '../store/graph-store.js';
import { nearestNames } from './suggest.js';

export interface GraphSelector {
  repository?: string;
  commit?: string;
}

export interface SymbolChoice {
  id: string;
  kind: SymbolRecord['kind'];
  qualifiedName: string;
  file: string;
  line: number;
  repository: string;
}

const MAX_CANDIDATES = 200;

/** The graph a selector names: a repository (full name or unique suffix) and optional commit. */
export async function findGraph(store: GraphStore, selector: GraphSelector): Promise<GraphInfo> {
  if (!selector.repository) {
    const repositories = (await store.listRepositories()).filter((repository) => repository.newest);
    if (repositories.length === 1) {
      if (!selector.commit) return repositories[0]!.newest!;
      return findGraph(store, { repository: repositories[0]!.name, commit: selector.commit });
    }
    if (repositories.length === 0) throw notFound('no repository has been indexed yet; run `graphhub index PATH` first');
    throw new GraphhubError('invalid-input', 'several repositories are indexed: say which one with --repo', {
      choices: repositories.map((repository) => repository.name),
    });
  }
  const name = await repositoryName(store, selector.repository);
  const graph = await store.findGraph(name, selector.commit);
  if (!graph) {
    throw notFound(selector.commit ? `no graph of ${name} at commit ${selector.commit}` : `no published graph of ${name}`);
  }
  return graph;
}

/** Accepts the full name or an unambiguous suffix (`runc` for github.com/opencontainers/runc). */
export async function repositoryName(store: GraphStore, given: string): Promise<string> {
  const names = (await store.listRepositories()).map((repository) => repository.name);
  if (names.includes(given)) return given;
  const matches = names.filter((name) => name.endsWith(`/${given}`));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new GraphhubError('ambiguous', `repository ${given} is ambiguous`, { choices: matches });
  const suggestions = nearestNames(given, names);
  throw notFound(`no repository ${given}${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : ''}`, {
    suggestions,
  });
}

/** Strips Go's pointer-receiver punctuation so `(*T).M` and `T.M` compare equal. */
export function normalizeQualifiedName(name: string): string {
  return name.replace(/\(\*([^)]*)\)/g, '$1').replace(/[()]/g, '');
}

export async function findSymbols(store: GraphStore, graph: GraphInfo, query: string): Promise<SymbolRecord[]> {
  const text = query.trim();
  if (text === '') throw new GraphhubError('invalid-input', 'empty symbol query');
  if (text.length > 512) throw new GraphhubError('invalid-input', 'symbol query longer than 512 characters');
  if (looksLikeSymbolId(text)) {
    const symbol = await store.getSymbol(graph.id, text);
    if (symbol) return [symbol];
  }
  const exact = await store.symbolsQualified(graph.id, text, MAX_CANDIDATES);
  if (exact.length > 0) return exact;
  const normalized = normalizeQualifiedName(text);
  const lastDot = normalized.lastIndexOf('.');
  const name = lastDot >= 0 ? normalized.slice(lastDot + 1) : normalized;
  const named = await store.symbolsNamed(graph.id, name, MAX_CANDIDATES);
  if (lastDot < 0) return named;
  return named.filter((symbol) => {
    const candidate = normalizeQualifiedName(symbol.qualifiedName);
    return candidate === normalized || candidate.endsWith(`.${normalized}`) || candidate.endsWith(`/${normalized}`);
  });
}

/** Exactly one symbol, or a GraphhubError that says what to do instead. */
export async function findOneSymbol(store: GraphStore, graph: GraphInfo, query: string): Promise<SymbolRecord> {
  const matches = await findSymbols(store, graph, query);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    // A callable definition beats the File or package of the same name.
    const callable = matches.filter((symbol) => symbol.kind !== 'file' && symbol.kind !== 'package');
    if (callable.length === 1) return callable[0]!;
    const choices: SymbolChoice[] = matches.map((symbol) => ({
      id: symbol.id,
      kind: symbol.kind,
      qualifiedName: symbol.qualifiedName,
      file: symbol.file,
      line: symbol.nameLine,
      repository: graph.repository,
    }));
    throw new GraphhubError('ambiguous', `${matches.length} symbols match ${query}; use a qualified name or a symbol id`, { choices });
  }
  const lastSegment = normalizeQualifiedName(query).split('.').pop() ?? query;
  const suggestions = nearestNames(lastSegment, await store.symbolNames(graph.id));
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?` : '';
  throw notFound(`No symbol \`${query}\` in ${graph.repository}.${hint}`, { suggestions });
}
