/**
 * The scale-out graph store: PostgreSQL through a `pg` pool. Any number of
 * hub servers and workers on any number of machines share one database; a
 * process keeps nothing but its pool, so servers are interchangeable.
 *
 * Writing differs from SQLite in one way that matters (see postgres-writer.ts):
 * a graph is written inside ONE transaction on one connection, so a writer
 * that dies — SIGKILL, a lost machine — leaves nothing behind: the server
 * rolls the transaction back and no reader ever saw a row of it.
 */
import type pg from 'pg';
import type {
  CoverageBlock,
  CoverageReportInfo,
  DependencyRecord,
  Diagnostic,
  EdgeRecord,
  ExternalRef,
  FileRecord,
  GraphInfo,
  ModuleRecord,
  RepositoryInfo,
  SymbolRecord,
  UnresolvedCall,
} from '../../model/graph.js';
import { GraphhubError } from '../../model/errors.js';
import { possibleTargetOf, type SymbolKind } from '../../model/graph.js';
import type {
  CachedExtraction,
  CompactGraph,
  EdgeView,
  ExtractionKey,
  GraphStore,
  GraphWriter,
  RepositorySummary,
  SymbolHit,
  SymbolSearch,
  WildCount,
  WildSiteRow,
  WildTarget,
} from '../graph-store.js';
import {
  SYMBOL_COLUMNS,
  diagnosticFromRow,
  fileFromRow,
  graphFromRow,
  symbolColumns,
  symbolFromRow,
  type DiagnosticRow,
  type FileRow,
  type GraphRow,
  type SymbolRow,
} from '../rows.js';
import { withoutNul } from './bulk-insert.js';
import { getExtractions, putExtractions } from './extraction-cache.js';
import { GRAPH_SELECT } from './graph-select.js';
import { removeRetiredGraphs } from './housekeeping.js';
import { allEdges, compactGraph, edgeCounts, edgeViews, externalRefsFrom, unresolvedFrom } from './postgres-calls.js';
import { coverageIn, coverageReport, replaceCoverage, wildCounts, wildSites } from './postgres-extras.js';
import { searchSymbols } from './postgres-search.js';
import { beginPostgresGraph, beginPostgresUpdate } from './postgres-writer.js';
import { rowsQuery, type Query } from './query-rows.js';

export class PostgresGraphStore implements GraphStore {
  readonly backend = 'postgres' as const;

  /**
   * The pool is shared with the content store and the job queue; whoever
   * opened it closes it (the hub), unless `onClose` hands that to the store.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {
    this.rows = rowsQuery(pool);
  }

  private readonly rows: Query;

  async getExtractions(keys: ExtractionKey[]): Promise<Map<string, CachedExtraction>> {
    return getExtractions(this.rows, keys);
  }

  async putExtractions(rows: CachedExtraction[]): Promise<void> {
    await putExtractions(this.pool, rows);
  }

  async beginGraph(repository: RepositoryInfo, commit: string, indexerVersion: string): Promise<GraphWriter> {
    // The repository row is committed on its own, before the graph's long
    // transaction, so that writers of other commits never wait on its lock.
    const [row] = await this.rows<{ id: number }>(
      `INSERT INTO repositories (name, url) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET url = COALESCE(excluded.url, repositories.url) RETURNING id`,
      [repository.name, repository.url ?? null],
    );
    const repositoryId = row!.id;
    await removeRetiredGraphs(this.pool, repositoryId);
    return beginPostgresGraph(this.pool, repositoryId, repository.name, commit, indexerVersion);
  }

  async beginUpdate(graphId: number, files: string[]): Promise<GraphWriter> {
    return beginPostgresUpdate(this.pool, graphId, files);
  }

  async listRepositories(): Promise<RepositorySummary[]> {
    const rows = await this.rows<{ name: string; url: string | null; current_graph_id: number | null; graph_count: number }>(
      `SELECT r.name, r.url, r.current_graph_id,
         (SELECT COUNT(*) FROM graphs g WHERE g.repository_id = r.id AND g.status = 'ready') AS graph_count
       FROM repositories r ORDER BY r.name`,
    );
    const newest = new Map<number, GraphInfo>();
    const ids = rows.map((row) => row.current_graph_id).filter((id): id is number => id !== null);
    if (ids.length > 0) {
      for (const graph of await this.rows<GraphRow>(`${GRAPH_SELECT} WHERE g.id = ANY($1::bigint[]) AND g.status = 'ready'`, [ids])) {
        newest.set(Number(graph.id), graphFromRow(graph));
      }
    }
    return rows.map((row) => {
      const summary: RepositorySummary = { name: row.name, graphCount: row.graph_count };
      if (row.url) summary.url = row.url;
      const graph = row.current_graph_id === null ? undefined : newest.get(row.current_graph_id);
      if (graph) summary.newest = graph;
      return summary;
    });
  }

  async listGraphs(repository: string): Promise<GraphInfo[]> {
    const rows = await this.rows<GraphRow>(`${GRAPH_SELECT} WHERE r.name = $1 AND g.status = 'ready' ORDER BY g.id DESC`, [repository]);
    return rows.map(graphFromRow);
  }

  async findGraph(repository: string, commit?: string): Promise<GraphInfo | undefined> {
    if (commit === undefined) {
      const [row] = await this.rows<GraphRow>(`${GRAPH_SELECT} WHERE r.name = $1 AND g.id = r.current_graph_id`, [repository]);
      return row ? graphFromRow(row) : undefined;
    }
    const rows = await this.rows<GraphRow>(
      `${GRAPH_SELECT} WHERE r.name = $1 AND g.status = 'ready' AND substr(g.commit_sha, 1, $2) = $3 ORDER BY g.id DESC`,
      [repository, commit.length, commit],
    );
    const commits = new Set(rows.map((row) => row.commit_sha));
    if (commits.size > 1) {
      throw new GraphhubError('ambiguous', `commit prefix ${commit} matches ${commits.size} graphs of ${repository}`, {
        choices: [...commits],
      });
    }
    return rows[0] ? graphFromRow(rows[0]) : undefined;
  }

  async getGraph(graphId: number): Promise<GraphInfo | undefined> {
    const [row] = await this.rows<GraphRow>(`${GRAPH_SELECT} WHERE g.id = $1 AND g.status = 'ready'`, [graphId]);
    return row ? graphFromRow(row) : undefined;
  }

  async getSymbol(graphId: number, symbolId: string): Promise<SymbolRecord | undefined> {
    const [row] = await this.rows<SymbolRow>(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = $1 AND sid = $2`, [graphId, symbolId]);
    return row ? symbolFromRow(row) : undefined;
  }

  async getSymbols(graphId: number, symbolIds: string[]): Promise<SymbolRecord[]> {
    if (symbolIds.length === 0) return [];
    const rows = await this.rows<SymbolRow>(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = $1 AND sid = ANY($2::text[])`, [
      graphId,
      symbolIds,
    ]);
    return rows.map(symbolFromRow);
  }

  async symbolsNamed(graphId: number, name: string, limit: number): Promise<SymbolRecord[]> {
    const rows = await this.rows<SymbolRow>(
      `SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = $1 AND name = $2 ORDER BY file_path, start_line LIMIT $3`,
      [graphId, name, limit],
    );
    return rows.map(symbolFromRow);
  }

  async symbolsQualified(graphId: number, qualifiedName: string, limit: number): Promise<SymbolRecord[]> {
    const rows = await this.rows<SymbolRow>(
      `SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = $1 AND qualified_name = $2 ORDER BY file_path, start_line LIMIT $3`,
      [graphId, qualifiedName, limit],
    );
    return rows.map(symbolFromRow);
  }

  async symbolNames(graphId: number): Promise<string[]> {
    const rows = await this.rows<{ name: string }>('SELECT DISTINCT name FROM symbols WHERE graph_id = $1', [graphId]);
    return rows.map((row) => row.name);
  }

  async searchSymbols(search: SymbolSearch): Promise<SymbolHit[]> {
    return searchSymbols(this.rows, search);
  }

  async symbolsInFile(graphId: number, path: string): Promise<SymbolRecord[]> {
    const rows = await this.rows<SymbolRow>(
      `SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = $1 AND file_path = $2 ORDER BY start_line, start_col`,
      [graphId, path],
    );
    return rows.map(symbolFromRow);
  }

  async mostCalled(graphId: number, limit: number): Promise<Array<{ symbol: SymbolRecord; callers: number }>> {
    const rows = await this.rows<SymbolRow & { callers: number }>(
      `SELECT ${symbolColumns('s')}, c.callers FROM
         (SELECT callee, COUNT(*) AS callers FROM edges WHERE graph_id = $1 GROUP BY callee ORDER BY callers DESC LIMIT $2) c
       JOIN symbols s ON s.graph_id = $1 AND s.idx = c.callee ORDER BY c.callers DESC, s.qualified_name`,
      [graphId, limit],
    );
    return rows.map((row) => ({ symbol: symbolFromRow(row), callers: row.callers }));
  }

  async callers(graphId: number, symbolId: string, limit?: number): Promise<EdgeView[]> {
    return (await edgeViews(this.rows, graphId, [symbolId], 'callers', limit)).get(withoutNul(symbolId)) ?? [];
  }

  async edgeCounts(graphId: number, symbolId: string): Promise<{ callers: number; callees: number }> {
    return edgeCounts(this.rows, graphId, withoutNul(symbolId));
  }

  async callees(graphId: number, symbolId: string, limit?: number): Promise<EdgeView[]> {
    return (await edgeViews(this.rows, graphId, [symbolId], 'callees', limit)).get(withoutNul(symbolId)) ?? [];
  }

  async callersOfMany(graphId: number, symbolIds: string[]): Promise<Map<string, EdgeView[]>> {
    const byClean = await edgeViews(this.rows, graphId, symbolIds, 'callers');
    return new Map(symbolIds.map((id) => [id, byClean.get(withoutNul(id)) ?? []]));
  }

  async unresolvedFrom(graphId: number, symbolId: string): Promise<UnresolvedCall[]> {
    return unresolvedFrom(this.rows, graphId, symbolId);
  }

  async countPossibleCallers(graphId: number, symbol: { name: string; kind: SymbolKind }): Promise<number> {
    const target = possibleTargetOf(symbol.kind);
    if (!target) return 0;
    const [row] = await this.rows<{ n: number }>(
      `SELECT COUNT(*) AS n FROM unresolved_calls WHERE graph_id = $1 AND name = $2 AND could_be IN ($3, 'any')`,
      [graphId, symbol.name, target],
    );
    return Number(row!.n);
  }

  async externalRefsFrom(graphId: number, symbolId: string): Promise<ExternalRef[]> {
    return externalRefsFrom(this.rows, graphId, symbolId);
  }

  async wildCounts(target: WildTarget, excludeRepository: string): Promise<WildCount[]> {
    return wildCounts(this.rows, target, excludeRepository);
  }

  async wildSites(graphId: number, target: WildTarget, limit: number): Promise<WildSiteRow[]> {
    return wildSites(this.rows, graphId, target, limit);
  }

  async compactGraph(graphId: number): Promise<CompactGraph> {
    return compactGraph(this.pool, graphId);
  }

  allEdges(graphId: number): AsyncIterable<{ caller: SymbolRecord; callee: SymbolRecord; edge: EdgeRecord }> {
    return allEdges(this.pool, graphId);
  }

  async getFile(graphId: number, path: string): Promise<FileRecord | undefined> {
    const [row] = await this.rows<FileRow>(
      'SELECT path, blob, size, language, skip_reason, skip_detail, line_count, module, fingerprint FROM files WHERE graph_id = $1 AND path = $2',
      [graphId, path],
    );
    return row ? fileFromRow(row) : undefined;
  }

  async listFiles(graphId: number): Promise<FileRecord[]> {
    const rows = await this.rows<FileRow>(
      'SELECT path, blob, size, language, skip_reason, skip_detail, line_count, module, fingerprint FROM files WHERE graph_id = $1 ORDER BY path',
      [graphId],
    );
    return rows.map(fileFromRow);
  }

  async diagnostics(graphId: number, limit: number): Promise<Diagnostic[]> {
    const rows = await this.rows<DiagnosticRow>(
      // NULLS FIRST: SQLite sorts NULL lines first, and both backends must give one order.
      'SELECT file_path, severity, message, line, col FROM diagnostics WHERE graph_id = $1 ORDER BY file_path, line NULLS FIRST LIMIT $2',
      [graphId, limit],
    );
    return rows.map(diagnosticFromRow);
  }

  async modules(graphId: number): Promise<{ modules: ModuleRecord[]; dependencies: DependencyRecord[] }> {
    const modules = await this.rows<ModuleRecord & pg.QueryResultRow>(
      'SELECT ecosystem, name, manifest, directory FROM modules WHERE graph_id = $1 ORDER BY name',
      [graphId],
    );
    const rows = await this.rows<{
      ecosystem: string;
      from_module: string;
      name: string;
      version: string;
      kind: string;
      replacement: string | null;
      manifest: string;
    }>('SELECT ecosystem, from_module, name, version, kind, replacement, manifest FROM dependencies WHERE graph_id = $1 ORDER BY name, kind', [
      graphId,
    ]);
    const dependencies = rows.map((row) => {
      const dependency: DependencyRecord = {
        ecosystem: row.ecosystem,
        from: row.from_module,
        name: row.name,
        version: row.version,
        kind: row.kind as DependencyRecord['kind'],
        manifest: row.manifest,
      };
      if (row.replacement !== null) dependency.replacement = row.replacement;
      return dependency;
    });
    return { modules: modules.map((m) => ({ ecosystem: m.ecosystem, name: m.name, manifest: m.manifest, directory: m.directory })), dependencies };
  }

  async replaceCoverage(graphId: number, info: CoverageReportInfo, blocks: CoverageBlock[]): Promise<void> {
    await replaceCoverage(this.pool, graphId, info, blocks);
  }

  async coverageReport(graphId: number): Promise<CoverageReportInfo | undefined> {
    return coverageReport(this.rows, graphId);
  }

  async coverageIn(graphId: number, file: string, startLine: number, endLine: number): Promise<CoverageBlock[]> {
    return coverageIn(this.rows, graphId, file, startLine, endLine);
  }

  async referencedBlobs(): Promise<string[]> {
    const rows = await this.rows<{ blob: string }>("SELECT DISTINCT blob FROM files WHERE blob <> ''");
    return rows.map((row) => row.blob);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
