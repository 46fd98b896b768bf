/**
 * The repository page's data: the graph shown (commit, time, counts), its
 * modules and dependencies, the root folder, the packages, the most-called
 * symbols and every indexed graph of the repository.
 */
import type { DependencyRecord, GraphInfo, GraphStats, ModuleRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { folderListing, packagesOf, type FolderListing } from './folders.js';
import { memoizedForGraph } from './graph-cache.js';
import { graphRef, summarize, type GraphRef, type SymbolSummary } from './views.js';

export interface GraphListItem {
  commit: string;
  graphId: number;
  indexedAt: string;
  stats: GraphStats;
}

export interface RepositoryOverview extends GraphRef {
  stats: GraphStats;
  modules: ModuleRecord[];
  dependencies: DependencyRecord[];
  root: Omit<FolderListing, keyof GraphRef>;
  packages: SymbolSummary[];
  mostCalled: Array<{ symbol: SymbolSummary; callers: number }>;
  /** Every published graph of the repository, newest first. */
  graphs: GraphListItem[];
}

export const MOST_CALLED = 25;
/** Packages listed on the overview; the folder pages reach the rest. */
export const MAX_OVERVIEW_PACKAGES = 500;

export async function repositoryOverview(store: GraphStore, graph: GraphInfo): Promise<RepositoryOverview> {
  // Everything but the list of graphs belongs to this published graph and never changes: computed once.
  const [modules, root, packages, mostCalled, graphs] = await Promise.all([
    memoizedForGraph(store, graph, 'modules', () => store.modules(graph.id)),
    folderListing(store, graph, ''),
    packagesOf(store, graph),
    memoizedForGraph(store, graph, 'most-called', () => store.mostCalled(graph.id, MOST_CALLED)),
    store.listGraphs(graph.repository),
  ]);
  const { repository: _repository, commit: _commit, graphId: _graphId, indexedAt: _indexedAt, ...rootListing } = root;
  return {
    ...graphRef(graph),
    stats: graph.stats,
    modules: modules.modules,
    dependencies: modules.dependencies,
    root: rootListing,
    packages: packages.slice(0, MAX_OVERVIEW_PACKAGES),
    mostCalled: mostCalled.map((entry) => ({ symbol: summarize(entry.symbol), callers: entry.callers })),
    graphs: graphs.map((item) => ({ commit: item.commit, graphId: item.id, indexedAt: item.indexedAt, stats: item.stats })),
  };
}
