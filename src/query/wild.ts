/**
 * "Used in the wild": the call sites of a symbol in OTHER indexed
 * repositories that depend on (or vendor) its module. Answered from the
 * external-reference index keyed by target, so the cost does not grow with
 * the number of graphs that never call it.
 *
 * Forks and copies of one repository are collapsed: repositories whose call
 * sites are identical (same files, same blobs, same positions) are one entry
 * that names the others.
 */
import type { ContentStore } from '../cas/content-store.js';
import type { GraphInfo, SymbolKind, SymbolRecord } from '../model/graph.js';
import type { GraphStore, WildCount, WildTarget } from '../store/graph-store.js';
import { excerptFromBlob, type BlobLines, type SourceExcerpt } from './source.js';
import { graphRef, summarize, type GraphRef, type SymbolSummary } from './views.js';

export interface WildSite {
  file: string;
  line: number;
  col: number;
  caller: { id: string; name: string; qualifiedName: string; kind: SymbolKind };
  excerpt?: SourceExcerpt;
}

export interface WildRepository {
  repository: string;
  commit: string;
  graphId: number;
  relation: 'depends' | 'vendors';
  /** The version of the module this repository uses, from its manifests. */
  version?: string;
  /** Other repositories with identical call sites (forks, copies), collapsed into this entry. */
  forks: string[];
  count: number;
  sites: WildSite[];
}

export interface WildAnswer extends GraphRef {
  symbol: SymbolSummary;
  status: 'ok' | 'not-exported' | 'no-module';
  message?: string;
  target?: { module: string; packagePath: string; symbol: string };
  totalRepositories: number;
  totalSites: number;
  repositories: WildRepository[];
  page: { offset: number; limit: number; nextOffset?: number };
}

export interface WildOptions {
  offset?: number;
  limit?: number;
  /** Sites shown per repository. */
  sitesPerRepository?: number;
  contextLines?: number;
}

const CALLABLE: ReadonlySet<SymbolKind> = new Set(['function', 'method', 'class', 'type', 'struct']);

/** How calls into this symbol are named by the graphs that make them. */
export function wildTarget(symbol: SymbolRecord): WildTarget | undefined {
  if (!symbol.module) return undefined;
  const name = symbol.receiver ? `${symbol.receiver}.${symbol.name}` : symbol.name;
  // Go names a call by its package's import path; other languages reach one
  // export through several paths, so any path of the module matches.
  const target: WildTarget = { module: symbol.module, symbol: name };
  if (symbol.language === 'go' && symbol.packagePath) target.packagePath = symbol.packagePath;
  return target;
}

export async function usedInTheWild(
  store: GraphStore,
  cas: ContentStore,
  graph: GraphInfo,
  symbol: SymbolRecord,
  options: WildOptions = {},
): Promise<WildAnswer> {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const limit = Math.min(50, Math.max(1, Math.floor(options.limit ?? 10)));
  const sitesPerRepository = Math.min(50, Math.max(1, options.sitesPerRepository ?? 5));
  const context = options.contextLines ?? 1;
  const base: WildAnswer = {
    ...graphRef(graph),
    symbol: summarize(symbol),
    status: 'ok',
    totalRepositories: 0,
    totalSites: 0,
    repositories: [],
    page: { offset, limit },
  };
  const target = wildTarget(symbol);
  if (!target) return { ...base, status: 'no-module', message: 'this symbol belongs to no known module, so no other graph can depend on it' };
  base.target = { module: target.module, packagePath: target.packagePath ?? '', symbol: target.symbol };
  if (!symbol.exported || !CALLABLE.has(symbol.kind)) {
    return { ...base, status: 'not-exported', message: 'only exported functions, methods and types can be used in other repositories' };
  }

  const counts = await store.wildCounts(target, graph.repository);
  const groups = collapseCopies(counts);
  base.totalRepositories = groups.length;
  base.totalSites = groups.reduce((sum, group) => sum + group.main.count, 0);
  const page = groups.slice(offset, offset + limit);
  if (offset + limit < groups.length) base.page.nextOffset = offset + limit;

  const blobLines: BlobLines = new Map();
  for (const group of page) {
    const rows = await store.wildSites(group.main.graphId, target, sitesPerRepository);
    const sites: WildSite[] = [];
    for (const row of rows) {
      const site: WildSite = {
        file: row.site.file,
        line: row.site.line,
        col: row.site.col,
        caller: { id: row.caller.id, name: row.caller.name, qualifiedName: row.caller.qualifiedName, kind: row.caller.kind },
      };
      if (row.blob) {
        site.excerpt = await excerptFromBlob(cas, row.blob, row.site.file, Math.max(1, row.site.line - context), row.site.line + context, blobLines);
      }
      sites.push(site);
    }
    const { dependencies } = await store.modules(group.main.graphId);
    const declared = dependencies.filter((dependency) => dependency.name === target.module);
    const vendored = declared.find((dependency) => dependency.kind === 'vendored');
    const chosen = vendored ?? declared.find((dependency) => dependency.kind === 'require') ?? declared[0];
    const entry: WildRepository = {
      repository: group.main.repository,
      commit: group.main.commit,
      graphId: group.main.graphId,
      relation: vendored ? 'vendors' : 'depends',
      forks: group.copies.map((copy) => copy.repository),
      count: group.main.count,
      sites,
    };
    const version = chosen?.version || chosen?.replacement;
    if (version) entry.version = version;
    base.repositories.push(entry);
  }
  return base;
}

interface CopyGroup {
  main: WildCount;
  copies: WildCount[];
}

/** Groups graphs whose call sites are identical (equal fingerprints): forks and copies. */
function collapseCopies(counts: WildCount[]): CopyGroup[] {
  const groups: CopyGroup[] = [];
  const byFingerprint = new Map<string, CopyGroup>();
  for (const count of counts) {
    const existing = byFingerprint.get(count.fingerprint);
    if (existing) {
      existing.copies.push(count);
      continue;
    }
    const group: CopyGroup = { main: count, copies: [] };
    groups.push(group);
    byFingerprint.set(count.fingerprint, group);
  }
  return groups;
}
