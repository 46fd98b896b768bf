/**
 * Writing one graph to PostgreSQL. The writer holds one connection and one
 * transaction from `beginGraph` to `publish` (COMMIT) or `abort` (ROLLBACK):
 *
 * - Nothing is visible before the commit, to anyone, so readers never see a
 *   half-written graph, and nothing needs cleaning after a crash: a killed
 *   process's transaction is rolled back by the server when its connection
 *   drops (the keepalives in connection.ts bound how long that takes when a
 *   whole machine vanishes).
 * - The transaction holds an advisory lock on (schema, repository, commit),
 *   taken with try-lock at the start: a second writer of the same commit —
 *   another worker, a `graphhub index` on another machine — is refused with a
 *   `conflict` error instead of indexing it twice. The lock ends with the
 *   transaction, so it can never outlive a dead writer.
 */
import type pg from 'pg';
import type {
  DependencyRecord,
  Diagnostic,
  EdgeRecord,
  ExternalRef,
  FileRecord,
  GraphInfo,
  GraphStats,
  ModuleRecord,
  SymbolRecord,
  UnresolvedCall,
} from '../../model/graph.js';
import { GraphhubError } from '../../model/errors.js';
import { SHARED_ROWS_LIMIT, type DroppedSymbol, type GraphWriter } from '../graph-store.js';
import { graphFromRow, symbolValues, type GraphRow } from '../rows.js';
import { LAYERED_COUNTS } from '../layer-counts.js';
import { SymbolNumbers } from '../symbol-numbers.js';
import { insertRows, type Column } from './bulk-insert.js';
import { GRAPH_SELECT } from './graph-select.js';
import { refreshStatistics, removeRetiredGraphs } from './housekeeping.js';


/** A writer that goes quiet this long (a hung process) loses its transaction and its lock. */
const IDLE_WRITER_TIMEOUT = '300s';

const SYMBOL_COLUMNS: Column[] = [
  ['graph_id', 'bigint'], ['idx', 'int'], ['sid', 'text'], ['kind', 'text'], ['name', 'text'], ['search_name', 'text'],
  ['qualified_name', 'text'], ['language', 'text'], ['file_path', 'text'], ['start_line', 'int'], ['start_col', 'int'],
  ['end_line', 'int'], ['end_col', 'int'], ['name_line', 'int'], ['name_col', 'int'], ['signature', 'text'],
  ['exported', 'int'], ['doc', 'text'], ['receiver', 'text'], ['package_path', 'text'], ['module', 'text'], ['decorators', 'text'],
];

export async function beginPostgresGraph(
  pool: pg.Pool,
  repositoryId: number,
  repositoryName: string,
  commit: string,
  indexerVersion: string,
): Promise<GraphWriter> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${IDLE_WRITER_TIMEOUT}'`);
    const lock = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_xact_lock(hashtextextended('graphhub:graph:' || current_schema() || ':' || $1, 0)) AS locked",
      [`${repositoryName}@${commit}`],
    );
    if (!lock.rows[0]?.locked) {
      throw new GraphhubError('conflict', `${repositoryName}@${commit} is being indexed by another process right now`, {
        repository: repositoryName,
        commit,
      });
    }
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO graphs (repository_id, commit_sha, status, indexer_version, started_at)
       VALUES ($1, $2, 'building', $3, $4) RETURNING id`,
      [repositoryId, commit, indexerVersion, new Date().toISOString()],
    );
    const graphId = inserted.rows[0]!.id;
    await client.query('INSERT INTO graph_layers (graph_id, layer_id) VALUES ($1, $1)', [graphId]);
    const writer = new PostgresGraphWriter(pool, client, graphId, repositoryId, false);
    writer.count('graph_layers', 1);
    return writer;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw error;
  }
}

/**
 * Update mode (a working tree's graph, which moves with the files): one
 * transaction deletes the rows of `files` (and the package symbols, file
 * records, diagnostics, modules and coverage, which are always written
 * again) and the writer adds their new rows; readers see the graph before
 * or after, never between. The graph's row stays locked meanwhile, so two
 * updates of one graph take turns and nobody deletes it under the update.
 */
export async function beginPostgresUpdate(pool: pg.Pool, graphId: number, files: string[]): Promise<GraphWriter> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${IDLE_WRITER_TIMEOUT}'`);
    const { rows } = await client.query<{ repository_id: number }>(
      "SELECT repository_id FROM graphs WHERE id = $1 AND status = 'ready' FOR UPDATE",
      [graphId],
    );
    if (rows.length === 0) throw new GraphhubError('not-found', `no published graph ${graphId} to update`);
    const writer = new PostgresGraphWriter(pool, client, graphId, rows[0]!.repository_id, true);
    await writer.clearFiles(files);
    return writer;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    throw error;
  }
}

class PostgresGraphWriter implements GraphWriter {
  /** Numbers of the graph's symbols, as many as the table keeps (SymbolNumbers.bounded); the rest are asked of the store (storedNumbers). */
  private readonly symbolIndex = SymbolNumbers.bounded();
  /** Some symbol of the graph has a number the table did not keep: an id it lacks may still be in the graph. */
  private unlisted = false;
  /** Symbols not stored, their ids repeating one the graph had (addSymbols). */
  private readonly dropped: DroppedSymbol[] = [];
  /** Rows written per table, to decide after publishing whether the planner's statistics need a refresh. */
  private readonly written = new Map<string, number>();
  private finished = false;
  /** Numbering of the graph symbols are reused from: a symbol keeps its number across graphs. */
  private previousIndex: SymbolNumbers | undefined;
  private nextIdx = 0;
  /** The graph rows were taken from; with `base`, shared with that graph rather than copied (see shareRows). */
  private reused: { from: number; files: string[]; base?: number; carried?: number[] } | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly client: pg.PoolClient,
    readonly graphId: number,
    private readonly repositoryId: number,
    /** Update mode: replacing some files' rows of a published graph (see beginPostgresUpdate). */
    private readonly updating: boolean,
  ) {}

  /** Update mode's first step: removes what is about to be written again, keeping symbol numbers for what stays. */
  async clearFiles(files: string[]): Promise<void> {
    // Rows of a layer others see, or a graph that sees another's, are never changed in place (reuseSymbols' share).
    const layered = await this.client.query('SELECT 1 FROM graph_layers WHERE (graph_id = $1 OR layer_id = $1) AND graph_id <> layer_id', [this.graphId]);
    if (layered.rowCount) throw new Error(`graph ${this.graphId} shares rows with another graph and cannot be updated in place`);
    const all = await this.client.query<[string, number]>({ text: 'SELECT sid, idx FROM symbols WHERE graph_id = $1', values: [this.graphId], rowMode: 'array' });
    this.previousIndex = SymbolNumbers.of(all.rows);
    this.nextIdx = all.rows.reduce((max, [, idx]) => Math.max(max, idx + 1), 0);
    const replaced = await this.client.query<[number]>({
      text: "SELECT idx FROM symbols WHERE graph_id = $1 AND (kind = 'package' OR file_path = ANY($2::text[]))",
      values: [this.graphId, files],
      rowMode: 'array',
    });
    const gone = replaced.rows.map(([idx]) => idx);
    // Edges from kept callers stay: a replaced callee that comes back keeps its number (previousIndex);
    // reuseCalls drops the edges whose callee did not come back, as a new graph's reuse does.
    await this.client.query('DELETE FROM edge_rows WHERE graph_id = $1 AND caller = ANY($2::int[])', [this.graphId, gone]);
    await this.client.query('DELETE FROM unresolved_call_rows WHERE graph_id = $1 AND caller = ANY($2::int[])', [this.graphId, gone]);
    await this.client.query('DELETE FROM external_ref_rows WHERE graph_id = $1 AND caller = ANY($2::int[])', [this.graphId, gone]);
    await this.client.query('DELETE FROM symbol_rows WHERE graph_id = $1 AND idx = ANY($2::int[])', [this.graphId, gone]);
    for (const table of ['files', 'diagnostics', 'modules', 'dependencies', 'coverage_blocks', 'coverage_reports']) {
      await this.client.query(`DELETE FROM ${table} WHERE graph_id = $1`, [this.graphId]);
    }
    const kept = await this.client.query<[string, number]>({ text: 'SELECT sid, idx FROM symbols WHERE graph_id = $1', values: [this.graphId], rowMode: 'array' });
    for (const [sid, idx] of kept.rows) if (!this.symbolIndex.set(sid, idx)) this.unlisted = true;
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('graph writer used after publish or abort');
  }

  /** `symbolId`'s number: in the table, or among those `stored` found. */
  private idx(symbolId: string, stored: ReadonlyMap<string, number> | undefined): number {
    const idx = this.symbolIndex.get(symbolId) ?? stored?.get(symbolId);
    if (idx === undefined) throw new Error(`edge names a symbol that was not added: ${symbolId}`);
    return idx;
  }

  /** The numbers of the ids the table lacks, asked of the store in one query, once the table has not kept every number. */
  private async storedNumbers(ids: Iterable<string>): Promise<Map<string, number> | undefined> {
    if (!this.unlisted) return undefined;
    const missing = [...new Set(ids)].filter((id) => !this.symbolIndex.has(id));
    if (missing.length === 0) return undefined;
    const { rows } = await this.client.query<[string, number]>({
      text: 'SELECT sid, idx FROM symbols WHERE graph_id = $1 AND sid = ANY($2::text[])',
      values: [this.graphId, missing],
      rowMode: 'array',
    });
    return new Map(rows);
  }

  private async insert(table: string, columns: Column[], rows: unknown[][]): Promise<void> {
    this.assertOpen();
    await insertRows(this.client, table, columns, rows);
    this.count(table, rows.length);
  }

  async addFiles(files: FileRecord[]): Promise<void> {
    await this.insert(
      'files',
      [['graph_id', 'bigint'], ['path', 'text'], ['blob', 'text'], ['size', 'bigint'], ['language', 'text'], ['skip_reason', 'text'],
        ['skip_detail', 'text'], ['line_count', 'int'], ['module', 'text'], ['fingerprint', 'text']],
      files.map((file) => [
        this.graphId, file.path, file.blob, file.size, file.language ?? null, file.skipReason ?? null,
        file.skipDetail ?? null, file.lines ?? null, file.module ?? null, file.fingerprint ?? null,
      ]),
    );
  }

  count(table: string, rows: number | null): void {
    this.written.set(table, (this.written.get(table) ?? 0) + (rows ?? 0));
  }

  async reuseSymbols(from: number, files: string[], options: { share?: boolean } = {}): Promise<void> {
    this.assertOpen();
    if (this.symbolIndex.size > 0 || this.reused) throw new Error('reuseSymbols must come first, and once');
    // A key-share lock keeps the source graph's rows (and its base's) from being deleted (retired)
    // while they are copied or shared, without stopping its status from changing.
    const locked = await this.client.query('SELECT id FROM graphs WHERE id IN (SELECT layer_id FROM graph_layers WHERE graph_id = $1) FOR KEY SHARE', [from]);
    if (!locked.rows.some((row: { id: string | number }) => Number(row.id) === from)) {
      throw new GraphhubError('conflict', `graph ${from} was removed while a graph was being built on it`);
    }
    const previous = await this.client.query<[string, number]>({ text: 'SELECT sid, idx FROM symbols WHERE graph_id = $1', values: [from], rowMode: 'array' });
    this.previousIndex = SymbolNumbers.of(previous.rows);
    this.nextIdx = previous.rows.reduce((max, [, idx]) => Math.max(max, idx + 1), 0);
    const base = options.share ? await this.sharableBase(from) : undefined;
    this.reused = { from, files, ...(base !== undefined ? { base, carried: [] } : {}) };
    const columns = SYMBOL_COLUMNS.map(([name]) => name);
    if (base !== undefined) {
      await this.shareRows(from, base, files);
    } else {
      const copied = await this.client.query(
        `INSERT INTO symbol_rows (${columns.join(', ')}) SELECT $1, ${columns.slice(1).join(', ')} FROM symbols
         WHERE graph_id = $2 AND kind <> 'package' AND file_path = ANY($3::text[])`,
        [this.graphId, from, files],
      );
      this.count('symbol_rows', copied.rowCount);
    }
    const own = await this.client.query<[string, number]>({ text: 'SELECT sid, idx FROM symbols WHERE graph_id = $1', values: [this.graphId], rowMode: 'array' });
    for (const [sid, idx] of own.rows) if (!this.symbolIndex.set(sid, idx)) this.unlisted = true;
  }

  /** See SqliteGraphWriter.sharableBase. */
  private async sharableBase(from: number): Promise<number | undefined> {
    const { rows } = await this.client.query<{ base: number | null; own: number; based: number }>(
      `SELECT l.layer_id AS base, (SELECT COUNT(*)::int FROM symbol_rows WHERE graph_id = $1) AS own,
         (SELECT COUNT(*)::int FROM symbol_rows WHERE graph_id = l.layer_id) AS based
       FROM (SELECT $1::bigint AS id) g LEFT JOIN graph_layers l ON l.graph_id = g.id AND l.layer_id <> g.id`,
      [from],
    );
    const row = rows[0]!;
    if (row.base === null) return from;
    return row.own > SHARED_ROWS_LIMIT * row.based ? undefined : Number(row.base);
  }

  /** See SqliteGraphWriter.shareRows. */
  private async shareRows(from: number, base: number, files: string[]): Promise<void> {
    await this.client.query('INSERT INTO graph_layers (graph_id, layer_id) VALUES ($1, $2)', [this.graphId, base]);
    // Counted (with beginPostgresGraph's row) for refreshStatistics: without statistics on the layer tables, the
    // planner guessed a few rows where a graph has one or two and read every graph's edges of a callee (200 ms, not 7).
    this.count('graph_layers', 1);
    if (from !== base) {
      const columns = SYMBOL_COLUMNS.map(([name]) => name);
      const carried = await this.client.query<[number]>({
        text: `INSERT INTO symbol_rows (${columns.join(', ')}) SELECT $1, ${columns.slice(1).join(', ')} FROM symbol_rows
           WHERE graph_id = $2 AND kind <> 'package' AND file_path = ANY($3::text[]) RETURNING idx`,
        values: [this.graphId, from, files],
        rowMode: 'array',
      });
      this.reused!.carried = carried.rows.map(([idx]) => idx);
      this.count('symbol_rows', carried.rowCount);
    }
    const masks = await this.client.query(
      `INSERT INTO layer_masks (graph_id, idx, gone) SELECT $1, k.idx, 0 FROM symbol_rows k
       WHERE k.graph_id = $2 AND (k.kind = 'package' OR NOT (k.file_path = ANY($3::text[]))
         OR EXISTS (SELECT 1 FROM layer_masks f WHERE f.graph_id = $4 AND f.idx = k.idx))`,
      [this.graphId, base, files, from],
    );
    this.count('layer_masks', masks.rowCount);
    // Above every number of both layers: a new symbol must never take a number the base's calls name.
    const { rows } = await this.client.query<{ highest: number | null }>('SELECT MAX(idx) AS highest FROM symbol_rows WHERE graph_id = ANY($1::bigint[])', [
      [from, base],
    ]);
    this.nextIdx = (rows[0]?.highest ?? -1) + 1;
  }

  /**
   * Copies into this graph the calls of the callers `filter` picks among the
   * rows (x) of `tables` — an edge only when its callee is in this graph.
   * $1 is this graph; the filter's own parameters follow.
   */
  private async copyCalls(tables: { edges: string; unresolved: string; refs: string }, filter: string, parameters: unknown[]): Promise<void> {
    const edges = await this.client.query(
      `INSERT INTO edge_rows (graph_id, caller, callee, strategy, confidence, sites)
       SELECT $1, x.caller, x.callee, x.strategy, x.confidence, x.sites FROM ${tables.edges} x ${filter}
       AND EXISTS (SELECT 1 FROM symbols t WHERE t.graph_id = $1 AND t.idx = x.callee)`,
      parameters,
    );
    this.count('edge_rows', edges.rowCount);
    const unresolved = await this.client.query(
      `INSERT INTO unresolved_call_rows (graph_id, caller, name, receiver, reason, file_path, line, col, could_be)
       SELECT $1, x.caller, x.name, x.receiver, x.reason, x.file_path, x.line, x.col, x.could_be FROM ${tables.unresolved} x ${filter}`,
      parameters,
    );
    this.count('unresolved_call_rows', unresolved.rowCount);
    const refs = await this.client.query(
      `INSERT INTO external_ref_rows (graph_id, caller, module, package_path, symbol, strategy, confidence, file_path, line, col)
       SELECT $1, x.caller, x.module, x.package_path, x.symbol, x.strategy, x.confidence, x.file_path, x.line, x.col
       FROM ${tables.refs} x ${filter}`,
      parameters,
    );
    this.count('external_ref_rows', refs.rowCount);
  }

  async reuseCalls(): Promise<void> {
    this.assertOpen();
    if (this.updating) {
      await this.client.query(
        'DELETE FROM edge_rows e WHERE e.graph_id = $1 AND NOT EXISTS (SELECT 1 FROM symbol_rows t WHERE t.graph_id = $1 AND t.idx = e.callee)',
        [this.graphId],
      );
      return;
    }
    if (!this.reused) return;
    const { from, files, base, carried } = this.reused;
    if (base !== undefined) {
      // Shared (see SqliteGraphWriter.reuseSharedCalls): the calls of the symbols carried from `from`'s own layer
      // are copied; the base's are seen through the mask, where a number no symbol took again is gone.
      await this.copyCalls(
        { edges: 'edge_rows', unresolved: 'unresolved_call_rows', refs: 'external_ref_rows' },
        'WHERE x.graph_id = $2 AND x.caller = ANY($3::int[])',
        [this.graphId, from, carried ?? []],
      );
      await this.client.query(
        'UPDATE layer_masks m SET gone = 1 WHERE m.graph_id = $1 AND NOT EXISTS (SELECT 1 FROM symbol_rows s WHERE s.graph_id = $1 AND s.idx = m.idx)',
        [this.graphId],
      );
      return;
    }
    await this.copyCalls(
      { edges: 'edges', unresolved: 'unresolved_calls', refs: 'external_refs' },
      `JOIN symbols c ON c.graph_id = x.graph_id AND c.idx = x.caller
       WHERE x.graph_id = $2 AND c.kind <> 'package' AND c.file_path = ANY($3::text[])`,
      [this.graphId, from, files],
    );
  }

  async counts(): Promise<{ symbols: number; edges: number; unresolved: number; externalRefs: number }> {
    this.assertOpen();
    if (this.reused?.base !== undefined) {
      const { rows } = await this.client.query<{ symbols: number; edges: number; unresolved: number; external_refs: number }>(
        LAYERED_COUNTS.replace(/@graph/g, '$1').replace(/@base/g, '$2'),
        [this.graphId, this.reused.base],
      );
      const row = rows[0]!;
      return { symbols: row.symbols, edges: row.edges, unresolved: row.unresolved, externalRefs: row.external_refs };
    }
    const { rows } = await this.client.query<{ symbols: number; edges: number; unresolved: number; external_refs: number }>(
      // A graph of one layer: its stored rows are all it has.
      `SELECT (SELECT COUNT(*) FROM symbol_rows WHERE graph_id = $1) AS symbols, (SELECT COUNT(*) FROM edge_rows WHERE graph_id = $1) AS edges,
         (SELECT COUNT(*) FROM unresolved_call_rows WHERE graph_id = $1) AS unresolved,
         (SELECT COUNT(*) FROM external_ref_rows WHERE graph_id = $1) AS external_refs`,
      [this.graphId],
    );
    const row = rows[0]!;
    return { symbols: row.symbols, edges: row.edges, unresolved: row.unresolved, externalRefs: row.external_refs };
  }

  async addSymbols(symbols: SymbolRecord[]): Promise<void> {
    const rows: unknown[][] = [];
    // Ids already in the graph whose numbers the table did not keep, and this batch's own not kept.
    const stored = (await this.storedNumbers(symbols.map((symbol) => symbol.id))) ?? new Map<string, number>();
    for (const symbol of symbols) {
      if (this.symbolIndex.has(symbol.id) || stored.has(symbol.id)) {
        this.dropped.push({ id: symbol.id, file: symbol.file, line: symbol.nameLine });
        continue;
      }
      const idx = this.previousIndex?.get(symbol.id) ?? this.nextIdx++;
      if (!this.symbolIndex.set(symbol.id, idx)) {
        this.unlisted = true;
        stored.set(symbol.id, idx);
      }
      rows.push(symbolValues(this.graphId, idx, symbol));
    }
    await this.insert('symbol_rows', SYMBOL_COLUMNS, rows);
  }

  async droppedSymbols(): Promise<DroppedSymbol[]> {
    return this.dropped;
  }

  async addEdges(edges: EdgeRecord[]): Promise<void> {
    const stored = await this.storedNumbers(edges.flatMap((edge) => [edge.caller, edge.callee]));
    const rows = edges.map((edge) => [
      this.graphId, this.idx(edge.caller, stored), this.idx(edge.callee, stored), edge.strategy, edge.confidence, JSON.stringify(edge.sites),
    ]);
    await this.insert(
      'edge_rows',
      [['graph_id', 'bigint'], ['caller', 'int'], ['callee', 'int'], ['strategy', 'text'], ['confidence', 'float8'], ['sites', 'text']],
      rows,
    );
  }

  async addUnresolved(calls: UnresolvedCall[]): Promise<void> {
    const stored = await this.storedNumbers(calls.map((call) => call.caller));
    const rows = calls.map((call) => [
      this.graphId, this.idx(call.caller, stored), call.name, call.receiver ?? null, call.reason, call.site.file, call.site.line, call.site.col,
      call.couldBe ?? null,
    ]);
    await this.insert(
      'unresolved_call_rows',
      [['graph_id', 'bigint'], ['caller', 'int'], ['name', 'text'], ['receiver', 'text'], ['reason', 'text'], ['file_path', 'text'],
        ['line', 'int'], ['col', 'int'], ['could_be', 'text']],
      rows,
    );
  }

  async addExternalRefs(refs: ExternalRef[]): Promise<void> {
    const stored = await this.storedNumbers(refs.map((ref) => ref.caller));
    const rows = refs.map((ref) => [
      this.graphId, this.idx(ref.caller, stored), ref.module, ref.packagePath, ref.symbol, ref.strategy, ref.confidence,
      ref.site.file, ref.site.line, ref.site.col,
    ]);
    await this.insert(
      'external_ref_rows',
      [['graph_id', 'bigint'], ['caller', 'int'], ['module', 'text'], ['package_path', 'text'], ['symbol', 'text'], ['strategy', 'text'],
        ['confidence', 'float8'], ['file_path', 'text'], ['line', 'int'], ['col', 'int']],
      rows,
    );
  }

  async addDiagnostics(diagnostics: Diagnostic[]): Promise<void> {
    await this.insert(
      'diagnostics',
      [['graph_id', 'bigint'], ['file_path', 'text'], ['severity', 'text'], ['message', 'text'], ['line', 'int'], ['col', 'int']],
      diagnostics.map((d) => [this.graphId, d.file, d.severity, d.message, d.line ?? null, d.col ?? null]),
    );
  }

  async addModules(modules: ModuleRecord[], dependencies: DependencyRecord[]): Promise<void> {
    await this.insert(
      'modules',
      [['graph_id', 'bigint'], ['ecosystem', 'text'], ['name', 'text'], ['manifest', 'text'], ['directory', 'text']],
      modules.map((m) => [this.graphId, m.ecosystem, m.name, m.manifest, m.directory]),
    );
    await this.insert(
      'dependencies',
      [['graph_id', 'bigint'], ['ecosystem', 'text'], ['from_module', 'text'], ['name', 'text'], ['version', 'text'], ['kind', 'text'],
        ['replacement', 'text'], ['manifest', 'text']],
      dependencies.map((d) => [this.graphId, d.ecosystem, d.from, d.name, d.version, d.kind, d.replacement ?? null, d.manifest]),
    );
  }

  async publish(stats: GraphStats): Promise<GraphInfo> {
    this.assertOpen();
    if (this.updating) {
      return this.commit(async () => {
        await this.client.query('UPDATE graphs SET indexed_at = $1, stats = $2 WHERE id = $3', [new Date().toISOString(), JSON.stringify(stats), this.graphId]);
        await this.client.query('UPDATE repositories SET current_graph_id = $1 WHERE id = $2', [this.graphId, this.repositoryId]);
      });
    }
    const info = await this.commit(async () => {
      // The repository row lock orders concurrent publishes of one repository
      // (other commits), so `current_graph_id` ends as the last one published.
      await this.client.query('SELECT id FROM repositories WHERE id = $1 FOR UPDATE', [this.repositoryId]);
      await this.client.query(
        `UPDATE graphs SET status = 'replaced' WHERE repository_id = $1 AND status = 'ready' AND id <> $2
           AND commit_sha = (SELECT commit_sha FROM graphs WHERE id = $2)`,
        [this.repositoryId, this.graphId],
      );
      await this.client.query("UPDATE graphs SET status = 'ready', indexed_at = $1, stats = $2 WHERE id = $3", [
        new Date().toISOString(),
        JSON.stringify(stats),
        this.graphId,
      ]);
      await this.client.query('UPDATE repositories SET current_graph_id = $1 WHERE id = $2', [this.graphId, this.repositoryId]);
    });
    // The replaced graphs are already invisible. Removing their rows is
    // housekeeping: if it fails here, the next beginGraph of this repository
    // does it, so the publish still succeeds.
    await removeRetiredGraphs(this.pool, this.repositoryId).catch(() => undefined);
    await refreshStatistics(this.pool, this.written).catch(() => undefined);
    return info;
  }

  /** Runs the publishing statements, reads the graph as published and commits; any failure rolls everything back. */
  private async commit(statements: () => Promise<void>): Promise<GraphInfo> {
    let info: GraphInfo;
    try {
      await statements();
      const { rows } = await this.client.query<GraphRow>(`${GRAPH_SELECT} WHERE g.id = $1`, [this.graphId]);
      info = graphFromRow(rows[0]!);
      await this.client.query('COMMIT');
    } catch (error) {
      await this.abort();
      throw error;
    }
    this.finished = true;
    this.client.release();
    return info;
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    try {
      await this.client.query('ROLLBACK');
      this.client.release();
    } catch (error) {
      // A broken connection (the server ended it) is destroyed, not returned to the pool.
      this.client.release(error as Error);
    }
  }
}

