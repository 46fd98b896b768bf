/**
 * The embedded graph store: one SQLite file through better-sqlite3.
 *
 * WAL mode lets `graphhub serve` read while `graphhub index` writes; a
 * graph's rows are written in chunks while it is `building` and published
 * by one short transaction (see graph-store.ts).
 */
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
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
import { possibleTargetOf } from '../../model/graph.js';
import {
  extractionKey,
  type BeginGraphOptions,
  type CachedExtraction,
  type CompactGraph,
  type EdgeView,
  type ExtractionKey,
  type GraphStore,
  type GraphWriter,
  type RepositorySummary,
  type SymbolHit,
  type SymbolSearch,
  type WildCount,
  type WildSiteRow,
  type WildTarget,
} from '../graph-store.js';
import { enterWal } from '../../cas/sqlite-wal.js';
import { GRAPH_TABLES, MIGRATIONS, sqlFor } from '../schema.js';
import {
  SYMBOL_COLUMNS,
  edgeStreamQuery,
  diagnosticFromRow,
  extractionFromRow,
  externalRefFromRow,
  localAtText,
  fileFromRow,
  graphFromRow,
  sitesFromText,
  symbolColumns,
  streamedEdgeFromRow,
  symbolFromRow,
  unresolvedFromRow,
  type DiagnosticRow,
  type ExtractionRow,
  type ExternalRefRow,
  type FileRow,
  type GraphRow,
  type SymbolRow,
  type UnresolvedRow,
} from '../rows.js';
import { rankHits, SHORT_SUBSTRING } from '../search.js';
import { GRAPH_SELECT } from './graph-select.js';
import { ThreadRows } from './row-sink.js';
import { SqliteGraphWriter } from './sqlite-graph-writer.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof BetterSqlite3;

type Db = BetterSqlite3.Database;

/**
 * Cache rows with their facts cut before the first local fact (getExtractions' `heads`): an incremental index of
 * runc reads 2.8 MB of facts text instead of 20 MB (local facts are the rest; the few files it resolves read theirs
 * back through readExtraction).
 */
const HEAD_SELECT = `SELECT blob, extractor, diagnostics, local_at, CUT AS cut, CASE WHEN CUT THEN substr(facts, 1, json_extract(local_at, '$[0]')) ELSE facts END AS facts
  FROM extractions WHERE blob = ? AND extractor = ?`.replaceAll('CUT', "(json_valid(local_at) AND json_type(local_at, '$[0]') = 'integer')");
const EXTRACTION_SELECT = 'SELECT blob, extractor, facts, diagnostics, local_at FROM extractions WHERE blob = ? AND extractor = ?';

export class SqliteGraphStore implements GraphStore {
  readonly backend = 'sqlite' as const;
  private readonly db: Db;
  /** The thread expectGraph started for the next bulk write. */
  private expected: ThreadRows | undefined;
  /** Prepared statements by SQL text: preparing costs more than most of our queries. */
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  private prepare(sql: string): BetterSqlite3.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      // SQL built with a variable number of placeholders is not worth keeping forever.
      if (this.statements.size < 256) this.statements.set(sql, statement);
    }
    return statement;
  }

  constructor(private readonly path: string) {
    this.db = new Database(path);
    // The wait first: switching a new file to WAL takes a lock another process opening it may hold.
    this.db.pragma('busy_timeout = 10000');
    enterWal(this.db);
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set(
      (this.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((row) => row.version),
    );
    const isApplied = this.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      // IMMEDIATE, and asked again inside: another process opening the same file may have applied it meanwhile.
      this.db.transaction(() => {
        if (isApplied.get(migration.version) !== undefined) return;
        for (const statement of migration.statements) this.db.exec(sqlFor('sqlite', statement));
        for (const statement of migration.dialect?.sqlite ?? []) this.db.exec(statement);
        this.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.name, new Date().toISOString());
      }).immediate();
    }
  }

  async getExtractions(keys: ExtractionKey[], options: { heads?: boolean } = {}): Promise<Map<string, CachedExtraction>> {
    // Rows put through a bulk write's thread (putExtractions) are read back like any others once there.
    await this.expected?.settle();
    const result = new Map<string, CachedExtraction>();
    const statement = this.prepare(options.heads ? HEAD_SELECT : EXTRACTION_SELECT);
    for (const key of keys) {
      const row = statement.get(key.blob, key.extractor) as (ExtractionRow & { cut?: number }) | undefined;
      if (!row) continue;
      const extraction = extractionFromRow(row);
      if (row.cut) {
        // SQL cut where its first offset looked like one; JavaScript decides. substr counts characters, localAt
        // UTF-16 units: they agree unless the head holds a character beyond U+FFFF (then the whole text is cut here).
        // Offsets it does not take (localAt undefined) or that do not fit the text: the whole row, as without heads.
        const at = extraction.localAt?.[0];
        if (at === undefined || extraction.facts?.length !== at) {
          const whole = this.readExtraction(key)?.facts;
          extraction.facts = at !== undefined && whole !== undefined && whole.length >= at ? whole.slice(0, at) : whole;
        }
        if (at !== undefined && extraction.facts?.length === at) extraction.head = true;
      }
      result.set(extractionKey(row), extraction);
    }
    return result;
  }

  readExtraction(key: ExtractionKey): { facts: string; localAt?: number[] } | undefined {
    const row = this.prepare(EXTRACTION_SELECT).get(key.blob, key.extractor) as ExtractionRow | undefined;
    if (!row || row.facts === null) return undefined;
    const { facts, localAt } = extractionFromRow(row);
    return localAt ? { facts: facts!, localAt } : { facts: facts! };
  }

  async putExtractions(rows: CachedExtraction[]): Promise<void> {
    const sql = 'INSERT OR IGNORE INTO extractions (blob, extractor, facts, diagnostics, local_at) VALUES (?, ?, ?, ?, ?)';
    const toRow = (row: CachedExtraction): unknown[] => [row.blob, row.extractor, row.facts ?? null, row.diagnostics, localAtText(row)];
    if (this.expected) {
      // A bulk write is coming: its thread, idle until then, stores the cache rows (one batch at a time: each is up to 4 MB).
      await this.expected.settle();
      await this.expected.insert(sql, rows, toRow);
      return;
    }
    const statement = this.prepare(sql);
    this.db.transaction(() => {
      for (const row of rows) statement.run(...toRow(row));
    })();
  }

  async beginGraph(repository: RepositoryInfo, commit: string, indexerVersion: string, options: BeginGraphOptions = {}): Promise<GraphWriter> {
    const repositoryId = this.db.transaction(() => {
      this.prepare('INSERT INTO repositories (name, url) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET url = COALESCE(excluded.url, repositories.url)')
        .run(repository.name, repository.url ?? null);
      return (this.prepare('SELECT id FROM repositories WHERE name = ?').get(repository.name) as { id: number }).id;
    })();
    this.removeAbandonedGraphs(repositoryId);
    const owner = JSON.stringify({ host: hostname(), pid: process.pid });
    // Check and insert in one immediate transaction: of two processes starting
    // the same commit at once, exactly one gets to write it.
    const graphId = this.db.transaction(() => {
      const building = this.prepare("SELECT id FROM graphs WHERE repository_id = ? AND commit_sha = ? AND status = 'building'")
        .get(repositoryId, commit);
      if (building) {
        throw new GraphhubError('conflict', `${repository.name}@${commit} is being indexed by another process right now`, {
          repository: repository.name,
          commit,
        });
      }
      const info = this.prepare(
          "INSERT INTO graphs (repository_id, commit_sha, status, indexer_version, started_at, stats) VALUES (?, ?, 'building', ?, ?, ?)",
        )
        .run(repositoryId, commit, indexerVersion, new Date().toISOString(), owner);
      const graphId = Number(info.lastInsertRowid);
      this.prepare('INSERT INTO graph_layers (graph_id, layer_id) VALUES (?, ?)').run(graphId, graphId);
      return graphId;
    }).immediate();
    return new SqliteGraphWriter(this.db, graphId, repositoryId, (id) => this.deleteGraphRows(id), this.bulkRows(options));
  }

  /** A bulk write's thread, started by expectGraph (or now), or none. */
  private bulkRows(options: BeginGraphOptions): ThreadRows | undefined {
    const started = this.expected;
    this.expected = undefined;
    if (!options.bulk) {
      void started?.close();
      return undefined;
    }
    return started ?? this.threadRows();
  }

  /** A database in memory is this connection's alone: no other thread can write it. */
  private threadRows(): ThreadRows | undefined {
    return this.db.memory ? undefined : new ThreadRows(this.path);
  }

  expectGraph(options: BeginGraphOptions): void {
    if (options.bulk && !this.expected) this.expected = this.threadRows();
  }

  async beginUpdate(graphId: number, files: string[]): Promise<GraphWriter> {
    const row = this.prepare("SELECT repository_id FROM graphs WHERE id = ? AND status = 'ready'").get(graphId) as
      | { repository_id: number }
      | undefined;
    if (!row) throw new GraphhubError('not-found', `no published graph ${graphId} to update`);
    const writer = new SqliteGraphWriter(this.db, graphId, row.repository_id, (id) => this.deleteGraphRows(id));
    writer.beginUpdate(files);
    return writer;
  }

  /** Graphs left `building` by a process of this host that no longer runs: a crashed or killed index. */
  private removeAbandonedGraphs(repositoryId: number): void {
    const rows = this.prepare("SELECT id, stats FROM graphs WHERE repository_id = ? AND status = 'building'")
      .all(repositoryId) as Array<{ id: number; stats: string | null }>;
    for (const row of rows) {
      let owner: { host?: string; pid?: number } = {};
      try {
        owner = JSON.parse(row.stats ?? '{}') as typeof owner;
      } catch {
        // An unreadable owner is treated as abandoned.
      }
      if (owner.host === hostname() && owner.pid !== undefined && processAlive(owner.pid)) continue;
      this.deleteGraphRows(row.id);
    }
  }

  /**
   * Deletes a graph and its rows — unless other graphs share its rows (it is
   * their base): then it stays, invisible as `replaced`, until the last of
   * them goes, which deletes it too.
   */
  private deleteGraphRows(graphId: number): void {
    this.db.transaction(() => {
      let next: number | undefined = graphId;
      while (next !== undefined) {
        const id: number = next;
        next = undefined;
        if (this.prepare('SELECT 1 FROM graph_layers WHERE layer_id = ? AND graph_id <> ?').get(id, id)) {
          this.prepare("UPDATE graphs SET status = 'replaced' WHERE id = ?").run(id);
          return;
        }
        const base = this.prepare('SELECT layer_id FROM graph_layers WHERE graph_id = ? AND layer_id <> ?').pluck().get(id, id) as number | undefined;
        // The search index keeps the graph's names (others may share them); with no symbol left they match nothing.
        for (const table of GRAPH_TABLES) this.prepare(`DELETE FROM ${table} WHERE graph_id = ?`).run(id);
        this.prepare('DELETE FROM graphs WHERE id = ?').run(id);
        // A replaced base kept for this graph alone goes with it.
        if (base !== undefined && this.prepare("SELECT 1 FROM graphs WHERE id = ? AND status = 'replaced'").get(base)) next = base;
      }
    })();
  }

  async listRepositories(): Promise<RepositorySummary[]> {
    const rows = this.prepare(
        `SELECT r.name, r.url, r.current_graph_id, (SELECT COUNT(*) FROM graphs g WHERE g.repository_id = r.id AND g.status = 'ready') AS graph_count
         FROM repositories r ORDER BY r.name`,
      )
      .all() as Array<{ name: string; url: string | null; current_graph_id: number | null; graph_count: number }>;
    const summaries: RepositorySummary[] = [];
    for (const row of rows) {
      const summary: RepositorySummary = { name: row.name, graphCount: row.graph_count };
      if (row.url) summary.url = row.url;
      if (row.current_graph_id !== null) {
        const newest = await this.getGraph(row.current_graph_id);
        if (newest) summary.newest = newest;
      }
      summaries.push(summary);
    }
    return summaries;
  }

  async listGraphs(repository: string): Promise<GraphInfo[]> {
    const rows = this.prepare(`${GRAPH_SELECT} WHERE r.name = ? AND g.status = 'ready' ORDER BY g.id DESC`)
      .all(repository) as GraphRow[];
    return rows.map(graphFromRow);
  }

  async findGraph(repository: string, commit?: string): Promise<GraphInfo | undefined> {
    if (commit === undefined) {
      const row = this.prepare(`${GRAPH_SELECT} WHERE r.name = ? AND g.id = r.current_graph_id`)
        .get(repository) as GraphRow | undefined;
      return row ? graphFromRow(row) : undefined;
    }
    const rows = this.prepare(`${GRAPH_SELECT} WHERE r.name = ? AND g.status = 'ready' AND substr(g.commit_sha, 1, ?) = ? ORDER BY g.id DESC`)
      .all(repository, commit.length, commit) as GraphRow[];
    const commits = new Set(rows.map((row) => row.commit_sha));
    if (commits.size > 1) {
      throw new GraphhubError('ambiguous', `commit prefix ${commit} matches ${commits.size} graphs of ${repository}`, {
        choices: [...commits],
      });
    }
    return rows[0] ? graphFromRow(rows[0]) : undefined;
  }

  async getGraph(graphId: number): Promise<GraphInfo | undefined> {
    const row = this.prepare(`${GRAPH_SELECT} WHERE g.id = ? AND g.status = 'ready'`).get(graphId) as GraphRow | undefined;
    return row ? graphFromRow(row) : undefined;
  }

  async getSymbol(graphId: number, symbolId: string): Promise<SymbolRecord | undefined> {
    const row = this.prepare(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = ? AND sid = ?`)
      .get(graphId, symbolId) as SymbolRow | undefined;
    return row ? symbolFromRow(row) : undefined;
  }

  async getSymbols(graphId: number, symbolIds: string[]): Promise<SymbolRecord[]> {
    const out: SymbolRecord[] = [];
    for (let start = 0; start < symbolIds.length; start += 500) {
      const chunk = symbolIds.slice(start, start + 500);
      const rows = this.db
        .prepare(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = ? AND sid IN (${chunk.map(() => '?').join(', ')})`)
        .all(graphId, ...chunk) as SymbolRow[];
      out.push(...rows.map(symbolFromRow));
    }
    return out;
  }

  async symbolsNamed(graphId: number, name: string, limit: number): Promise<SymbolRecord[]> {
    // `+file_path`: without ANALYZE statistics SQLite would otherwise walk the whole graph
    // through the file index to avoid a sort, instead of using the name index.
    const rows = this.prepare(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = ? AND name = ? ORDER BY +file_path, start_line LIMIT ?`)
      .all(graphId, name, limit) as SymbolRow[];
    return rows.map(symbolFromRow);
  }

  async symbolsQualified(graphId: number, qualifiedName: string, limit: number): Promise<SymbolRecord[]> {
    const rows = this.prepare(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = ? AND qualified_name = ? ORDER BY +file_path, start_line LIMIT ?`)
      .all(graphId, qualifiedName, limit) as SymbolRow[];
    return rows.map(symbolFromRow);
  }

  async symbolNames(graphId: number): Promise<string[]> {
    const rows = this.prepare('SELECT DISTINCT name FROM symbols WHERE graph_id = ?').all(graphId) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  }

  async searchSymbols(search: SymbolSearch): Promise<SymbolHit[]> {
    const text = search.text.trim().toLowerCase();
    if (text === '') return [];
    const graphIds = search.graphIds ?? this.currentGraphIds();
    if (graphIds.length === 0) return [];
    const kinds = search.kinds && search.kinds.length > 0 ? search.kinds : undefined;
    const kindFilter = kinds ? `AND s.kind IN (${kinds.map(() => '?').join(', ')})` : '';
    const graphIn = (column: string): string => `${column} IN (${graphIds.map(() => '?').join(', ')})`;
    const graphFilter = graphIn('s.graph_id');
    const select = `SELECT ${symbolColumns('s')}, s.graph_id, r.name AS repository, g.commit_sha
      FROM symbols s JOIN graphs g ON g.id = s.graph_id JOIN repositories r ON r.id = g.repository_id`;
    // Prefix matches use the search_name index; substring matches fill up what is left.
    const prefixRows = this.db
      .prepare(`${select} WHERE ${graphFilter} AND s.search_name >= ? AND s.search_name < ? ${kindFilter} LIMIT ?`)
      .all(...graphIds, text, `${text}\uffff`, ...(kinds ?? []), search.limit * 4) as Array<SymbolRow & { graph_id: number; repository: string; commit_sha: string }>;
    let rows = prefixRows;
    if (prefixRows.length < search.limit * 4) {
      // Substrings of three characters or more come from the trigram index. Shorter ones are looked for in
      // names alone (SHORT_SUBSTRING), in the name index's entries, each row read only once it matches:
      // scanning the rows' qualified names took 30-150 ms for a rare pair of characters among 89k symbols
      // (the Go standard library), the index 8-15 ms.
      const substringRows = (
        text.length >= SHORT_SUBSTRING
          ? this.prepare(
              `${select} WHERE ${graphFilter} AND s.qualified_name IN
               (SELECT qualified_name FROM search_names_fts WHERE search_names_fts MATCH ?) ${kindFilter} LIMIT ?`,
            ).all(...graphIds, `"${text.replace(/"/g, '""')}"`, ...(kinds ?? []), search.limit * 4)
          : this.prepare(
              // The symbols view spelt out: an index can be named only on a table.
              `SELECT ${symbolColumns('s')}, l.graph_id, r.name AS repository, g.commit_sha
               FROM graph_layers l JOIN symbol_rows s INDEXED BY symbols_by_search_name ON s.graph_id = l.layer_id
               JOIN graphs g ON g.id = l.graph_id JOIN repositories r ON r.id = g.repository_id
               WHERE ${graphIn('l.graph_id')} AND instr(s.search_name, ?) > 0 ${kindFilter}
               AND (l.layer_id = l.graph_id OR NOT EXISTS (SELECT 1 FROM layer_masks m WHERE m.graph_id = l.graph_id AND m.idx = s.idx))
               LIMIT ?`,
            ).all(...graphIds, text, ...(kinds ?? []), search.limit * 4)
      ) as typeof prefixRows;
      rows = prefixRows.concat(substringRows);
    }
    const hits = rows.map((row) => ({
      graphId: row.graph_id,
      repository: row.repository,
      commit: row.commit_sha,
      symbol: symbolFromRow(row),
    }));
    return rankHits(hits, text, search.limit);
  }

  private currentGraphIds(): number[] {
    return (
      this.prepare('SELECT current_graph_id FROM repositories WHERE current_graph_id IS NOT NULL').all() as Array<{
        current_graph_id: number;
      }>
    ).map((row) => row.current_graph_id);
  }

  async symbolsInFile(graphId: number, path: string): Promise<SymbolRecord[]> {
    const rows = this.prepare(`SELECT ${SYMBOL_COLUMNS} FROM symbols WHERE graph_id = ? AND file_path = ? ORDER BY start_line, start_col`)
      .all(graphId, path) as SymbolRow[];
    return rows.map(symbolFromRow);
  }

  async mostCalled(graphId: number, limit: number): Promise<Array<{ symbol: SymbolRecord; callers: number }>> {
    const rows = this.prepare(
        `SELECT ${symbolColumns('s')}, c.callers FROM (SELECT callee, COUNT(*) AS callers FROM edges WHERE graph_id = ? GROUP BY callee ORDER BY callers DESC LIMIT ?) c
         JOIN symbols s ON s.graph_id = ? AND s.idx = c.callee ORDER BY c.callers DESC, s.qualified_name`,
      )
      .all(graphId, limit, graphId) as Array<SymbolRow & { callers: number }>;
    return rows.map((row) => ({ symbol: symbolFromRow(row), callers: row.callers }));
  }

  private idxOf(graphId: number, symbolId: string): number | undefined {
    const row = this.prepare('SELECT idx FROM symbols WHERE graph_id = ? AND sid = ?').get(graphId, symbolId) as
      | { idx: number }
      | undefined;
    return row?.idx;
  }

  private edgeViews(graphId: number, idx: number, direction: 'callers' | 'callees', limit?: number): EdgeView[] {
    const [match, other] = direction === 'callers' ? ['callee', 'caller'] : ['caller', 'callee'];
    const rows = this.prepare(
        `SELECT ${symbolColumns('s')}, e.strategy, e.confidence, e.sites FROM edges e
         JOIN symbols s ON s.graph_id = e.graph_id AND s.idx = e.${other}
         WHERE e.graph_id = ? AND e.${match} = ? ORDER BY e.confidence DESC, s.qualified_name, s.file_path LIMIT ?`,
      )
      // LIMIT -1 is no limit.
      .all(graphId, idx, limit ?? -1) as Array<SymbolRow & { strategy: string; confidence: number; sites: string }>;
    return rows.map((row) => ({
      symbol: symbolFromRow(row),
      strategy: row.strategy as EdgeView['strategy'],
      confidence: row.confidence,
      sites: sitesFromText(row.sites),
    }));
  }

  async callers(graphId: number, symbolId: string, limit?: number): Promise<EdgeView[]> {
    const idx = this.idxOf(graphId, symbolId);
    return idx === undefined ? [] : this.edgeViews(graphId, idx, 'callers', limit);
  }

  async callees(graphId: number, symbolId: string, limit?: number): Promise<EdgeView[]> {
    const idx = this.idxOf(graphId, symbolId);
    return idx === undefined ? [] : this.edgeViews(graphId, idx, 'callees', limit);
  }

  async edgeCounts(graphId: number, symbolId: string): Promise<{ callers: number; callees: number }> {
    const idx = this.idxOf(graphId, symbolId);
    if (idx === undefined) return { callers: 0, callees: 0 };
    // Each count is answered from an index (edges_by_callee, and the primary key for callers).
    return this.prepare(
      `SELECT (SELECT COUNT(*) FROM edges WHERE graph_id = ? AND callee = ?) AS callers,
              (SELECT COUNT(*) FROM edges WHERE graph_id = ? AND caller = ?) AS callees`,
    ).get(graphId, idx, graphId, idx) as { callers: number; callees: number };
  }

  async callersOfMany(graphId: number, symbolIds: string[]): Promise<Map<string, EdgeView[]>> {
    const result = new Map<string, EdgeView[]>();
    for (const symbolId of symbolIds) result.set(symbolId, await this.callers(graphId, symbolId));
    return result;
  }

  async unresolvedFrom(graphId: number, symbolId: string): Promise<UnresolvedCall[]> {
    const idx = this.idxOf(graphId, symbolId);
    if (idx === undefined) return [];
    const rows = this.prepare(
        `SELECT ? AS caller_sid, name, receiver, reason, file_path, line, col, could_be FROM unresolved_calls
         WHERE graph_id = ? AND caller = ? ORDER BY line, col`,
      )
      .all(symbolId, graphId, idx) as UnresolvedRow[];
    return rows.map(unresolvedFromRow);
  }

  async countPossibleCallers(graphId: number, symbol: { name: string; kind: SymbolKind }): Promise<number> {
    const target = possibleTargetOf(symbol.kind);
    if (!target) return 0;
    const row = this.prepare(
      `SELECT COUNT(*) AS n FROM unresolved_calls WHERE graph_id = ? AND name = ? AND could_be IN (?, 'any')`,
    ).get(graphId, symbol.name, target) as {
      n: number;
    };
    return row.n;
  }

  async externalRefsFrom(graphId: number, symbolId: string): Promise<ExternalRef[]> {
    const idx = this.idxOf(graphId, symbolId);
    if (idx === undefined) return [];
    const rows = this.prepare(
        `SELECT ? AS caller_sid, module, package_path, symbol, strategy, confidence, file_path, line, col FROM external_refs
         WHERE graph_id = ? AND caller = ? ORDER BY line, col`,
      )
      .all(symbolId, graphId, idx) as ExternalRefRow[];
    return rows.map(externalRefFromRow);
  }

  async wildCounts(target: WildTarget, excludeRepository: string): Promise<WildCount[]> {
    const pathFilter = target.packagePath === undefined ? '' : 'AND x.package_path = ?';
    const rows = this.prepare(
        `SELECT x.graph_id, r.name AS repository, g.commit_sha, COUNT(*) AS n,
           group_concat(x.file_path || char(0) || COALESCE(f.blob, '') || char(0) || x.line || char(0) || x.col, char(10)
             ORDER BY x.file_path, x.line, x.col) AS sites
         FROM external_refs x
         JOIN graphs g ON g.id = x.graph_id
         JOIN repositories r ON r.id = g.repository_id AND r.current_graph_id = g.id
         LEFT JOIN files f ON f.graph_id = x.graph_id AND f.path = x.file_path
         WHERE x.module = ? ${pathFilter} AND x.symbol = ? AND r.name <> ?
         GROUP BY x.graph_id, r.name, g.commit_sha
         ORDER BY n DESC, r.name`,
      )
      .all(
        ...[target.module, ...(target.packagePath === undefined ? [] : [target.packagePath]), target.symbol, excludeRepository],
      ) as Array<{ graph_id: number; repository: string; commit_sha: string; n: number; sites: string }>;
    return rows.map((row) => ({
      graphId: row.graph_id,
      repository: row.repository,
      commit: row.commit_sha,
      count: row.n,
      fingerprint: createHash('sha256').update(row.sites).digest('hex'),
    }));
  }

  async wildSites(graphId: number, target: WildTarget, limit: number): Promise<WildSiteRow[]> {
    const pathFilter = target.packagePath === undefined ? '' : 'AND x.package_path = ?';
    const rows = this.prepare(
        `SELECT ${symbolColumns('s')}, x.file_path AS site_file, x.line AS site_line, x.col AS site_col, f.blob AS site_blob
         FROM external_refs x
         JOIN symbols s ON s.graph_id = x.graph_id AND s.idx = x.caller
         LEFT JOIN files f ON f.graph_id = x.graph_id AND f.path = x.file_path
         WHERE x.graph_id = ? AND x.module = ? ${pathFilter} AND x.symbol = ?
         ORDER BY x.file_path, x.line, x.col LIMIT ?`,
      )
      .all(
        ...[graphId, target.module, ...(target.packagePath === undefined ? [] : [target.packagePath]), target.symbol, limit],
      ) as Array<SymbolRow & { site_file: string; site_line: number; site_col: number; site_blob: string | null }>;
    return rows.map((row) => ({
      caller: symbolFromRow(row),
      site: { file: row.site_file, line: row.site_line, col: row.site_col },
      blob: row.site_blob ?? '',
    }));
  }

  async compactGraph(graphId: number): Promise<CompactGraph> {
    const symbols = this.prepare('SELECT idx, sid, kind, name FROM symbols WHERE graph_id = ? ORDER BY idx').raw().all(graphId) as Array<
      [number, string, SymbolKind, string]
    >;
    const ids: string[] = new Array(symbols.length);
    const kinds: SymbolKind[] = new Array(symbols.length);
    const names: string[] = new Array(symbols.length);
    // Rows are numbered densely here: a graph's idx values need not be.
    const position = new Map<number, number>();
    symbols.forEach(([idx, sid, kind, name], i) => {
      position.set(idx, i);
      ids[i] = sid;
      kinds[i] = kind;
      names[i] = name;
    });
    const edges = this.prepare('SELECT caller, callee, confidence FROM edges WHERE graph_id = ?').raw().all(graphId) as Array<
      [number, number, number]
    >;
    const callers = new Int32Array(edges.length);
    const callees = new Int32Array(edges.length);
    const confidences = new Float64Array(edges.length);
    edges.forEach(([caller, callee, confidence], i) => {
      callers[i] = position.get(caller)!;
      callees[i] = position.get(callee)!;
      confidences[i] = confidence;
    });
    return { ids, kinds, names, callers, callees, confidences };
  }

  async *allEdges(graphId: number): AsyncIterable<{ caller: SymbolRecord; callee: SymbolRecord; edge: EdgeRecord }> {
    // A statement of its own: a cached one is busy while this generator is suspended, and two exports may overlap.
    const statement = this.db.prepare(edgeStreamQuery('?'));
    for (const raw of statement.iterate(graphId) as Iterable<Record<string, unknown>>) yield streamedEdgeFromRow(raw);
  }

  async getFile(graphId: number, path: string): Promise<FileRecord | undefined> {
    const row = this.prepare('SELECT path, blob, size, language, skip_reason, skip_detail, line_count, module, fingerprint FROM files WHERE graph_id = ? AND path = ?')
      .get(graphId, path) as FileRow | undefined;
    return row ? fileFromRow(row) : undefined;
  }

  async listFiles(graphId: number): Promise<FileRecord[]> {
    const rows = this.prepare('SELECT path, blob, size, language, skip_reason, skip_detail, line_count, module, fingerprint FROM files WHERE graph_id = ? ORDER BY path')
      .all(graphId) as FileRow[];
    return rows.map(fileFromRow);
  }

  async diagnostics(graphId: number, limit: number): Promise<Diagnostic[]> {
    const rows = this.prepare('SELECT file_path, severity, message, line, col FROM diagnostics WHERE graph_id = ? ORDER BY file_path, line LIMIT ?')
      .all(graphId, limit) as DiagnosticRow[];
    return rows.map(diagnosticFromRow);
  }

  async modules(graphId: number): Promise<{ modules: ModuleRecord[]; dependencies: DependencyRecord[] }> {
    const modules = this.prepare('SELECT ecosystem, name, manifest, directory FROM modules WHERE graph_id = ? ORDER BY name')
      .all(graphId) as ModuleRecord[];
    const rows = this.prepare(
        'SELECT ecosystem, from_module, name, version, kind, replacement, manifest FROM dependencies WHERE graph_id = ? ORDER BY name, kind',
      )
      .all(graphId) as Array<{
      ecosystem: string;
      from_module: string;
      name: string;
      version: string;
      kind: string;
      replacement: string | null;
      manifest: string;
    }>;
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
    return { modules, dependencies };
  }

  async replaceCoverage(graphId: number, info: CoverageReportInfo, blocks: CoverageBlock[]): Promise<void> {
    const insert = this.prepare('INSERT INTO coverage_blocks (graph_id, file_path, start_line, end_line, hits) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.prepare('DELETE FROM coverage_blocks WHERE graph_id = ?').run(graphId);
      this.prepare('DELETE FROM coverage_reports WHERE graph_id = ?').run(graphId);
      this.prepare('INSERT INTO coverage_reports (graph_id, format, source, imported_at, blocks) VALUES (?, ?, ?, ?, ?)')
        .run(graphId, info.format, info.source, info.importedAt, info.blocks);
      for (const block of blocks) insert.run(graphId, block.file, block.startLine, block.endLine, block.hits);
    })();
  }

  async coverageReport(graphId: number): Promise<CoverageReportInfo | undefined> {
    const row = this.prepare('SELECT format, source, imported_at, blocks FROM coverage_reports WHERE graph_id = ?').get(graphId) as
      | { format: CoverageReportInfo['format']; source: string; imported_at: string; blocks: number }
      | undefined;
    return row ? { format: row.format, source: row.source, importedAt: row.imported_at, blocks: row.blocks } : undefined;
  }

  async coverageIn(graphId: number, file: string, startLine: number, endLine: number): Promise<CoverageBlock[]> {
    const rows = this.prepare(
        `SELECT file_path, start_line, end_line, hits FROM coverage_blocks
         WHERE graph_id = ? AND file_path = ? AND start_line <= ? AND end_line >= ? ORDER BY start_line, end_line`,
      )
      .all(graphId, file, endLine, startLine) as Array<{ file_path: string; start_line: number; end_line: number; hits: number }>;
    return rows.map((row) => ({ file: row.file_path, startLine: row.start_line, endLine: row.end_line, hits: row.hits }));
  }

  async referencedBlobs(): Promise<string[]> {
    const rows = this.prepare("SELECT DISTINCT blob FROM files WHERE blob <> ''").all() as Array<{ blob: string }>;
    return rows.map((row) => row.blob);
  }

  async close(): Promise<void> {
    await this.expected?.close();
    this.expected = undefined;
    if (this.db.open) this.db.close();
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
