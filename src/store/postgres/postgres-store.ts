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
import { createHash } from 'node:crypto';
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
  SymbolKind,
  SymbolRecord,
  UnresolvedCall,
} from '../../model/graph.js';
import { GraphhubError } from '../../model/errors.js';
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
  externalRefFromRow,
  fileFromRow,
  graphFromRow,
  sitesFromText,
  symbolColumns,
  symbolFromRow,
  unresolvedFromRow,
  type DiagnosticRow,
  type ExternalRefRow,
  type FileRow,
  type GraphRow,
  type SymbolRow,
  type UnresolvedRow,
} from '../rows.js';
import { escapeLike, rankHits } from '../search.js';
import { insertRows, withoutNul } from './bulk-insert.js';
import { coverageIn, coverageReport, replaceCoverage, wildCounts, wildSites } from './postgres-extras.js';
import { GRAPH_SELECT, beginPostgresGraph, beginPostgresUpdate, removeRetiredGraphs } from './postgres-writer.js';

const statementNames = new Map<string, string>();

/**
 * Reads are named prepared statements (the name is a hash of the text):
 * each connection parses and plans one once instead of on every call, which
 * takes about a third off a symbol page. The store's statements are a fixed
 * set; the cap only guards against a future caller that builds SQL freely.
 */
function statementName(sql: string): string | undefined {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= 500) return undefined;
    name = `gh_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function cleanParameter(value: unknown): unknown {
  if (typeof value === 'string') return withoutNul(value);
  if (Array.isArray(value)) return value.map(cleanParameter);
  return value;
}

type EdgeRow = SymbolRow & { strategy: string; confidence: number; sites: string };

/** Rows of an edge stream fetched per round trip. */
const EDGE_BATCH = 2000;

export class PostgresGraphStore implements GraphStore {
  readonly backend = 'postgres' as const;

  /**
   * The pool is shared with the content store and the job queue; whoever
   * opened it closes it (the hub), unless `onClose` hands that to the store.
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  /**
   * Every read goes through here. A U+0000 in an argument (a hostile URL)
   * cannot be sent as PostgreSQL text; it becomes U+FFFD, as it does when
   * stored, so such a lookup simply finds what was stored under that name.
   */
  private async rows<T extends pg.QueryResultRow>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const name = statementName(sql);
    const values = parameters.map(cleanParameter);
    return (await this.pool.query<T>(name === undefined ? { text: sql, values } : { name, text: sql, values })).rows;
  }

  async getExtractions(keys: ExtractionKey[]): Promise<Map<string, CachedExtraction>> {
    const result = new Map<string, CachedExtraction>();
    if (keys.length === 0) return result;
    const rows = await this.rows<{ blob: string; extractor: string; facts: string | null; diagnostics: string }>(
      `SELECT x.blob, x.extractor, x.facts, x.diagnostics FROM extractions x
       JOIN unnest($1::text[], $2::text[]) AS k(blob, extractor) ON x.blob = k.blob AND x.extractor = k.extractor`,
      [keys.map((key) => key.blob), keys.map((key) => key.extractor)],
    );
    for (const row of rows) {
      result.set(`${row.extractor}\u0000${row.blob}`, {
        blob: row.blob,
        extractor: row.extractor,
        facts: row.facts ?? undefined,
        diagnostics: row.diagnostics,
      });
    }
    return result;
  }

  async putExtractions(rows: CachedExtraction[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await insertRows(
        client,
        'extractions',
        [['blob', 'text'], ['extractor', 'text'], ['facts', 'text'], ['diagnostics', 'text']],
        rows.map((row) => [row.blob, row.extractor, row.facts ?? null, row.diagnostics]),
        // Two workers may extract the same blob at once; the first row wins, both are equal.
        'ON CONFLICT (blob, extractor) DO NOTHING',
      );
    } finally {
      client.release();
    }
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
    const text = search.text.trim().toLowerCase();
    if (text === '') return [];
    const graphIds = search.graphIds ?? (await this.currentGraphIds());
    if (graphIds.length === 0) return [];
    const kinds = search.kinds && search.kinds.length > 0 ? search.kinds : null;
    const select = `SELECT ${symbolColumns('s')}, s.graph_id, r.name AS repository, g.commit_sha
      FROM symbols s JOIN graphs g ON g.id = s.graph_id JOIN repositories r ON r.id = g.repository_id
      WHERE s.graph_id = ANY($1::bigint[]) AND ($2::text[] IS NULL OR s.kind = ANY($2::text[]))`;
    type HitRow = SymbolRow & { graph_id: number; repository: string; commit_sha: string };
    // Prefix matches use the search_name index (byte order, see schema.ts); substring matches fill up what is left.
    const prefixRows = await this.rows<HitRow>(`${select} AND s.search_name >= $3 AND s.search_name < $4 LIMIT $5`, [
      graphIds,
      kinds,
      text,
      `${text}\uffff`,
      search.limit * 4,
    ]);
    let rows = prefixRows;
    if (prefixRows.length < search.limit * 4) {
      const pattern = `%${escapeLike(text)}%`;
      const substringRows = await this.rows<HitRow>(
        `${select} AND (s.search_name LIKE $3 ESCAPE '\\' OR lower(s.qualified_name) LIKE $3 ESCAPE '\\') LIMIT $4`,
        [graphIds, kinds, pattern, search.limit * 4],
      );
      rows = prefixRows.concat(substringRows);
    }
    const hits = rows.map((row) => ({ graphId: row.graph_id, repository: row.repository, commit: row.commit_sha, symbol: symbolFromRow(row) }));
    return rankHits(hits, text, search.limit);
  }

  private async currentGraphIds(): Promise<number[]> {
    const rows = await this.rows<{ current_graph_id: number }>('SELECT current_graph_id FROM repositories WHERE current_graph_id IS NOT NULL');
    return rows.map((row) => row.current_graph_id);
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

  /** Edges touching any of `symbolIds`, in the one order every backend gives: confidence, then names by bytes. */
  private async edgeViews(graphId: number, symbolIds: string[], direction: 'callers' | 'callees'): Promise<Map<string, EdgeView[]>> {
    const [match, other] = direction === 'callers' ? ['callee', 'caller'] : ['caller', 'callee'];
    const rows = await this.rows<EdgeRow & { target_sid: string }>(
      `SELECT t.sid AS target_sid, ${symbolColumns('s')}, e.strategy, e.confidence, e.sites
       FROM symbols t JOIN edges e ON e.graph_id = t.graph_id AND e.${match} = t.idx
       JOIN symbols s ON s.graph_id = e.graph_id AND s.idx = e.${other}
       WHERE t.graph_id = $1 AND t.sid = ANY($2::text[])
       ORDER BY t.sid, e.confidence DESC, s.qualified_name, s.file_path`,
      [graphId, symbolIds],
    );
    const result = new Map<string, EdgeView[]>(symbolIds.map((id) => [withoutNul(id), []]));
    for (const row of rows) {
      result.get(row.target_sid)?.push({
        symbol: symbolFromRow(row),
        strategy: row.strategy as EdgeView['strategy'],
        confidence: row.confidence,
        sites: sitesFromText(row.sites),
      });
    }
    return result;
  }

  async callers(graphId: number, symbolId: string): Promise<EdgeView[]> {
    return (await this.edgeViews(graphId, [symbolId], 'callers')).get(withoutNul(symbolId)) ?? [];
  }

  async callees(graphId: number, symbolId: string): Promise<EdgeView[]> {
    return (await this.edgeViews(graphId, [symbolId], 'callees')).get(withoutNul(symbolId)) ?? [];
  }

  async callersOfMany(graphId: number, symbolIds: string[]): Promise<Map<string, EdgeView[]>> {
    const byClean = await this.edgeViews(graphId, symbolIds, 'callers');
    return new Map(symbolIds.map((id) => [id, byClean.get(withoutNul(id)) ?? []]));
  }

  async unresolvedFrom(graphId: number, symbolId: string): Promise<UnresolvedCall[]> {
    const rows = await this.rows<UnresolvedRow>(
      `SELECT s.sid AS caller_sid, u.name, u.receiver, u.reason, u.file_path, u.line, u.col
       FROM symbols s JOIN unresolved_calls u ON u.graph_id = s.graph_id AND u.caller = s.idx
       WHERE s.graph_id = $1 AND s.sid = $2 ORDER BY u.line, u.col`,
      [graphId, symbolId],
    );
    return rows.map(unresolvedFromRow);
  }

  async countUnresolvedNamed(graphId: number, name: string): Promise<number> {
    const [row] = await this.rows<{ n: number }>('SELECT COUNT(*) AS n FROM unresolved_calls WHERE graph_id = $1 AND name = $2', [graphId, name]);
    return row!.n;
  }

  async externalRefsFrom(graphId: number, symbolId: string): Promise<ExternalRef[]> {
    const rows = await this.rows<ExternalRefRow>(
      `SELECT s.sid AS caller_sid, x.module, x.package_path, x.symbol, x.strategy, x.confidence, x.file_path, x.line, x.col
       FROM symbols s JOIN external_refs x ON x.graph_id = s.graph_id AND x.caller = s.idx
       WHERE s.graph_id = $1 AND s.sid = $2 ORDER BY x.line, x.col`,
      [graphId, symbolId],
    );
    return rows.map(externalRefFromRow);
  }

  async wildCounts(target: WildTarget, excludeRepository: string): Promise<WildCount[]> {
    return wildCounts((sql, parameters) => this.rows(sql, parameters), target, excludeRepository);
  }

  async wildSites(graphId: number, target: WildTarget, limit: number): Promise<WildSiteRow[]> {
    return wildSites((sql, parameters) => this.rows(sql, parameters), graphId, target, limit);
  }

  async compactGraph(graphId: number): Promise<CompactGraph> {
    const symbols = await this.pool.query<[number, string, SymbolKind, string]>({
      text: 'SELECT idx, sid, kind, name FROM symbols WHERE graph_id = $1 ORDER BY idx',
      values: [graphId],
      rowMode: 'array',
    });
    const count = symbols.rows.length;
    const ids: string[] = new Array(count);
    const kinds: SymbolKind[] = new Array(count);
    const names: string[] = new Array(count);
    // Rows are numbered densely here: a graph's idx values need not be (incremental graphs keep old numbers).
    const position = new Map<number, number>();
    symbols.rows.forEach(([idx, sid, kind, name], i) => {
      position.set(idx, i);
      ids[i] = sid;
      kinds[i] = kind;
      names[i] = name;
    });
    const edges = await this.pool.query<[number, number, number]>({
      text: 'SELECT caller, callee, confidence FROM edges WHERE graph_id = $1',
      values: [graphId],
      rowMode: 'array',
    });
    const callers = new Int32Array(edges.rows.length);
    const callees = new Int32Array(edges.rows.length);
    const confidences = new Float64Array(edges.rows.length);
    edges.rows.forEach(([caller, callee, confidence], i) => {
      callers[i] = position.get(caller)!;
      callees[i] = position.get(callee)!;
      confidences[i] = confidence;
    });
    return { ids, kinds, names, callers, callees, confidences };
  }

  /** Streams through a server-side cursor, so a graph of millions of edges never sits in memory at once. */
  async *allEdges(graphId: number): AsyncIterable<{ caller: SymbolRecord; callee: SymbolRecord; edge: EdgeRecord }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN READ ONLY');
      // Every row will be read: plan for the whole result, not for the first rows fast.
      await client.query('SET LOCAL cursor_tuple_fraction = 1.0');
      await client.query(
        `DECLARE edge_stream NO SCROLL CURSOR FOR
         SELECT ${symbolColumns('a')}, ${symbolColumns('b').replace(/b\.(\w+)/g, 'b.$1 AS b_$1')}, e.strategy, e.confidence, e.sites
         FROM edges e JOIN symbols a ON a.graph_id = e.graph_id AND a.idx = e.caller
         JOIN symbols b ON b.graph_id = e.graph_id AND b.idx = e.callee
         WHERE e.graph_id = $1 ORDER BY a.file_path, a.start_line, a.sid, b.file_path, b.start_line, b.sid`,
        [graphId],
      );
      for (;;) {
        const { rows } = await client.query<Record<string, unknown>>(`FETCH ${EDGE_BATCH} FROM edge_stream`);
        for (const raw of rows) {
          const calleeRow: Record<string, unknown> = {};
          for (const column of SYMBOL_COLUMNS.split(', ')) calleeRow[column] = raw[`b_${column}`];
          const caller = symbolFromRow(raw as unknown as SymbolRow);
          const callee = symbolFromRow(calleeRow as unknown as SymbolRow);
          yield {
            caller,
            callee,
            edge: {
              caller: caller.id,
              callee: callee.id,
              strategy: raw.strategy as EdgeRecord['strategy'],
              confidence: raw.confidence as number,
              sites: sitesFromText(raw.sites as string),
            },
          };
        }
        if (rows.length < EDGE_BATCH) break;
      }
      await client.query('COMMIT');
    } finally {
      // A consumer that stops early leaves the transaction open; ROLLBACK closes it and the cursor.
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
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
    return coverageReport((sql, parameters) => this.rows(sql, parameters), graphId);
  }

  async coverageIn(graphId: number, file: string, startLine: number, endLine: number): Promise<CoverageBlock[]> {
    return coverageIn((sql, parameters) => this.rows(sql, parameters), graphId, file, startLine, endLine);
  }

  async referencedBlobs(): Promise<string[]> {
    const rows = await this.rows<{ blob: string }>("SELECT DISTINCT blob FROM files WHERE blob <> ''");
    return rows.map((row) => row.blob);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
