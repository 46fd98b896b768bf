/**
 * Writing one graph into SQLite: rows are added in chunks while the graph is
 * `building` (invisible), then published by one short transaction. In
 * update mode the writer instead replaces the rows of some files of a
 * published graph (a working tree's) inside one transaction.
 */
import type BetterSqlite3 from 'better-sqlite3';
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
import { graphFromRow, SYMBOL_INSERT_COLUMNS, symbolValues, type GraphRow } from '../rows.js';
import { LAYERED_COUNTS } from '../layer-counts.js';
import { GRAPH_SELECT } from './graph-select.js';
import { InlineRows, type RowSink } from './row-sink.js';
import { SymbolNumbers } from '../symbol-numbers.js';

type Db = BetterSqlite3.Database;

/** Where a symbol row's id, file and line are (its values in SYMBOL_INSERT_COLUMNS' order), to name a dropped one. */
const SYMBOL_COLUMNS = SYMBOL_INSERT_COLUMNS.split(', ');
const [SID_AT, FILE_AT, LINE_AT] = ['sid', 'file_path', 'name_line'].map((column) => SYMBOL_COLUMNS.indexOf(column)) as [number, number, number];

export class SqliteGraphWriter implements GraphWriter {
  /**
   * Numbers of the symbols this writer added, and of kept or reused ones it
   * has looked up. A graph built on another (reuseSymbols, beginUpdate) does
   * not load every symbol's number: on runc, reading 21k ids twice cost a
   * one-file watch re-index ~70 ms. A kept symbol is looked up by id when
   * an edge names it (`lookUp`), and so is one the table has no room for.
   */
  private readonly symbolIndex = SymbolNumbers.bounded();
  /**
   * Looks a symbol of this graph up by id in the store (symbols_by_sid):
   * set once the graph holds one whose number the table lacks — kept or
   * reused rows, or a symbol past the table's limit (storeLookUp).
   */
  private lookUp: ((sid: string) => number | undefined) | undefined;
  /** Rows this writer did not add are in the graph (kept or reused): a new symbol's id is looked for among them. */
  private keptRows = false;
  /** Symbols not kept were handed to the row sink since it last settled: they are not yet there to look up. */
  private unsettled = false;
  /** Symbols not stored, their ids repeating one the graph had (addSymbols). */
  private readonly dropped: DroppedSymbol[] = [];
  private finished = false;
  /** A symbol's number in the graph symbols are reused from: a symbol keeps its number across graphs. */
  private previousNumber: ((sid: string) => number | undefined) | undefined;
  private nextIdx = 0;
  /** The graph symbols were copied from, and the temporary table of its symbols that were not (reuseSymbols). */
  private reused: { from: number; replaced: string } | undefined;
  /** The graph this one was built on by sharing rows with its base (shareRows). */
  private shared: { from: number; base: number } | undefined;
  /** Numbers of the symbols copied from `from`'s own layer (a shared graph built on a layered one). */
  private carried: number[] = [];

  /** Update mode: the open transaction that replaces some files' rows of a published graph. */
  private updating = false;
  /** Numbers of the symbols added in update mode, for the search index. */
  private readonly added: number[] = [];

  constructor(
    private readonly db: Db,
    readonly graphId: number,
    private readonly repositoryId: number,
    private readonly deleteRows: (graphId: number) => void,
    /** Where added rows go (row-sink.ts); statements of this writer's own run on `db` once they are written (settle). */
    private readonly rows: RowSink = new InlineRows(db),
  ) {}

  get rowsPerWrite(): number | undefined {
    return this.rows.rowsPerWrite;
  }

  /**
   * Starts replacing, in one transaction, the rows of `files` of the
   * published graph (and its package symbols, file records, diagnostics,
   * modules and coverage, which are always written again).
   */
  beginUpdate(files: string[]): void {
    this.db.exec('BEGIN IMMEDIATE');
    this.updating = true;
    try {
      // Rows of a layer others see, or a graph that sees another's, are never changed in place (reuseSymbols' share).
      const layered = this.db.prepare('SELECT 1 FROM graph_layers WHERE (graph_id = ? OR layer_id = ?) AND graph_id <> layer_id').get(this.graphId, this.graphId);
      if (layered) throw new Error(`graph ${this.graphId} shares rows with another graph and cannot be updated in place`);
      const list = JSON.stringify(files);
      this.nextIdx = this.maxIdx(this.graphId) + 1;
      this.db.exec('CREATE TEMP TABLE IF NOT EXISTS replaced_symbols (idx INTEGER PRIMARY KEY)');
      this.db.exec('DELETE FROM replaced_symbols');
      this.db
        .prepare(
          `INSERT OR IGNORE INTO replaced_symbols (idx)
           SELECT idx FROM symbol_rows WHERE graph_id = ? AND file_path IN (SELECT value FROM json_each(?))
           UNION ALL SELECT idx FROM symbol_rows WHERE graph_id = ? AND kind = 'package'`,
        )
        .run(this.graphId, list, this.graphId);
      const replaced = 'IN (SELECT idx FROM replaced_symbols)';
      // The replaced symbols' numbers, for those that come back (a few hundred; the kept ones are looked up as needed).
      const returning = new Map(
        this.db.prepare(`SELECT sid, idx FROM symbol_rows WHERE graph_id = ? AND idx ${replaced}`).raw().all(this.graphId) as Array<[string, number]>,
      );
      this.previousNumber = (sid) => returning.get(sid);
      // Edges from kept callers stay: a replaced callee that comes back keeps its number (previousNumber);
      // reuseCalls drops the edges whose callee did not come back, as a new graph's reuse does.
      this.db.prepare(`DELETE FROM edge_rows WHERE graph_id = ? AND caller ${replaced}`).run(this.graphId);
      this.db.prepare(`DELETE FROM unresolved_call_rows WHERE graph_id = ? AND caller ${replaced}`).run(this.graphId);
      this.db.prepare(`DELETE FROM external_ref_rows WHERE graph_id = ? AND caller ${replaced}`).run(this.graphId);
      this.db.prepare(`DELETE FROM symbol_rows WHERE graph_id = ? AND idx ${replaced}`).run(this.graphId);
      for (const table of ['files', 'diagnostics', 'modules', 'dependencies', 'coverage_blocks', 'coverage_reports']) {
        this.db.prepare(`DELETE FROM ${table} WHERE graph_id = ?`).run(this.graphId);
      }
      this.keptRows = true;
      this.storeLookUp();
    } catch (error) {
      this.db.exec('ROLLBACK');
      this.updating = false;
      throw error;
    }
  }

  private async insertMany<T>(sql: string, items: readonly T[], toRow: (item: T) => unknown[], skipped?: (row: unknown[]) => void): Promise<void> {
    this.assertOpen();
    await this.rows.insert(sql, items, toRow, skipped);
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('graph writer used after publish or abort');
  }

  private idx(symbolId: string): number {
    let idx = this.symbolIndex.get(symbolId);
    if (idx === undefined && this.lookUp) {
      idx = this.lookUp(symbolId);
      if (idx !== undefined && !this.symbolIndex.set(symbolId, idx)) this.symbolIndex.note(symbolId, idx);
    }
    if (idx === undefined) throw new Error(`edge names a symbol that was not added: ${symbolId}`);
    return idx;
  }

  async addFiles(files: FileRecord[]): Promise<void> {
    await this.insertMany(
      'INSERT INTO files (graph_id, path, blob, size, language, skip_reason, skip_detail, line_count, module, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      files,
      (file) => [
        this.graphId,
        file.path,
        file.blob,
        file.size,
        file.language ?? null,
        file.skipReason ?? null,
        file.skipDetail ?? null,
        file.lines ?? null,
        file.module ?? null,
        file.fingerprint ?? null,
      ],
    );
  }

  async reuseSymbols(from: number, files: string[], options: { share?: boolean } = {}): Promise<void> {
    this.assertOpen();
    if (this.symbolIndex.size > 0 || this.reused || this.shared) throw new Error('reuseSymbols must come first, and once');
    await this.rows.settle();
    this.previousNumber = this.numberIn(from);
    const fileList = JSON.stringify(files);
    const base = options.share ? this.sharableBase(from) : undefined;
    if (base !== undefined) {
      this.shareRows(from, base, fileList);
      return;
    }
    this.nextIdx = this.maxIdx(from) + 1;
    // A table of this writer's own: writers of other graphs may share the connection.
    const replaced = `temp.replaced_by_${this.graphId}`;
    this.reused = { from, replaced };
    const columns = SYMBOL_INSERT_COLUMNS.replace(/^graph_id, /, '');
    this.db
      .prepare(
        `INSERT INTO symbol_rows (${SYMBOL_INSERT_COLUMNS}) SELECT ?, ${columns} FROM symbols
         WHERE graph_id = ? AND kind <> 'package' AND file_path IN (SELECT value FROM json_each(?))`,
      )
      .run(this.graphId, from, fileList);
    // The symbols not copied, which are made again or gone: reuseCalls copies the calls of every other caller
    // (a set of a few hundred to look callers up in, rather than each caller's symbol row).
    this.db.exec(`DROP TABLE IF EXISTS ${replaced}; CREATE TABLE ${replaced} (idx INTEGER PRIMARY KEY)`);
    this.db
      .prepare(
        `INSERT INTO ${replaced} (idx) SELECT idx FROM symbols
         WHERE graph_id = ? AND (kind = 'package' OR file_path NOT IN (SELECT value FROM json_each(?)))`,
      )
      .run(from, fileList);
    this.keptRows = true;
    this.storeLookUp();
  }

  /**
   * The graph a new graph built on `from` can share rows with: `from`'s base
   * if it has one, else `from` itself; none (copy instead) when `from`'s own
   * rows have outgrown SHARED_ROWS_LIMIT.
   */
  private sharableBase(from: number): number | undefined {
    const base = this.db.prepare('SELECT layer_id FROM graph_layers WHERE graph_id = ? AND layer_id <> graph_id').pluck().get(from) as number | undefined;
    if (base === undefined) return from;
    const count = this.db.prepare('SELECT COUNT(*) FROM symbol_rows WHERE graph_id = ?').pluck();
    return (count.get(from) as number) > SHARED_ROWS_LIMIT * (count.get(base) as number) ? undefined : base;
  }

  /**
   * Makes this graph a layer over `base` (`from` or its base): `from`'s own
   * rows of the kept files are copied (when `from` is itself layered), and
   * every symbol of `base` that is not kept as `from` sees it is masked —
   * packages, the files not kept, and what `from` itself masked.
   */
  private shareRows(from: number, base: number, fileList: string): void {
    this.db.transaction(() => {
      const present = this.db.prepare("SELECT 1 FROM graphs WHERE id = ? AND status IN ('ready', 'replaced')").get(base);
      if (!present) throw new GraphhubError('conflict', `graph ${base} was removed while a graph was being built on it`);
      this.db.prepare('INSERT INTO graph_layers (graph_id, layer_id) VALUES (?, ?)').run(this.graphId, base);
      const columns = SYMBOL_INSERT_COLUMNS.replace(/^graph_id, /, '');
      if (from !== base) {
        this.carried = this.db
          .prepare(
            `INSERT INTO symbol_rows (${SYMBOL_INSERT_COLUMNS}) SELECT ?, ${columns} FROM symbol_rows
             WHERE graph_id = ? AND kind <> 'package' AND file_path IN (SELECT value FROM json_each(?)) RETURNING idx`,
          )
          .pluck()
          .all(this.graphId, from, fileList) as number[];
      }
      this.db
        .prepare(
          `INSERT INTO layer_masks (graph_id, idx, gone) SELECT ?, k.idx, 0 FROM symbol_rows k
           WHERE k.graph_id = ? AND (k.kind = 'package' OR k.file_path NOT IN (SELECT value FROM json_each(?))
             OR EXISTS (SELECT 1 FROM layer_masks f WHERE f.graph_id = ? AND f.idx = k.idx))`,
        )
        .run(this.graphId, base, fileList, from);
    })();
    this.shared = { from, base };
    // Above every number of both layers: a new symbol must never take a number the base's calls name.
    const highest = this.db.prepare('SELECT MAX(idx) FROM symbol_rows WHERE graph_id IN (?, ?)').pluck().get(from, base) as number | null;
    this.nextIdx = (highest ?? -1) + 1;
    this.keptRows = true;
    this.storeLookUp();
  }

  /** Sets lookUp, once. */
  private storeLookUp(): void {
    this.lookUp ??= this.numberIn(this.graphId);
  }

  /** A symbol's number in a graph, by id (the symbols_by_sid index). */
  private numberIn(graphId: number): (sid: string) => number | undefined {
    const statement = this.db.prepare('SELECT idx FROM symbols WHERE graph_id = ? AND sid = ?').pluck();
    return (sid) => statement.get(graphId, sid) as number | undefined;
  }

  private maxIdx(graphId: number): number {
    return (this.db.prepare('SELECT MAX(idx) FROM symbols WHERE graph_id = ?').pluck().get(graphId) as number | null) ?? -1;
  }

  async reuseCalls(): Promise<void> {
    this.assertOpen();
    await this.rows.settle();
    if (this.updating) {
      // Only a replaced symbol can have gone: the edges to those that did not come back (through edges_by_callee, not a scan of every edge).
      this.db
        .prepare(
          `DELETE FROM edge_rows WHERE graph_id = ? AND callee IN
           (SELECT r.idx FROM replaced_symbols r WHERE NOT EXISTS (SELECT 1 FROM symbol_rows s WHERE s.graph_id = ? AND s.idx = r.idx))`,
        )
        .run(this.graphId, this.graphId);
      return;
    }
    if (this.shared) {
      this.reuseSharedCalls(this.shared.from);
      return;
    }
    if (!this.reused) return;
    const { from, replaced } = this.reused;
    // Calls of the copied symbols, without those to a symbol that did not come back (only a replaced one can be missing).
    this.copyCalls(
      { edges: 'edges', unresolved: 'unresolved_calls', refs: 'external_refs' },
      `WHERE x.graph_id = @from AND x.caller NOT IN (SELECT idx FROM ${replaced})`,
      `x.callee NOT IN (SELECT r.idx FROM ${replaced} r WHERE NOT EXISTS (SELECT 1 FROM symbols t WHERE t.graph_id = @graph AND t.idx = r.idx))`,
      { graph: this.graphId, from },
    );
  }

  /**
   * A shared graph's calls: those of the symbols carried from `from`'s own
   * layer are copied (an edge only when its callee is in this graph); the
   * base's are seen through the mask, and a masked number no symbol of this
   * graph took again is marked gone, which hides the base's calls into it.
   */
  private reuseSharedCalls(from: number): void {
    this.copyCalls(
      { edges: 'edge_rows', unresolved: 'unresolved_call_rows', refs: 'external_ref_rows' },
      'WHERE x.graph_id = @from AND x.caller IN (SELECT value FROM json_each(@carried))',
      'EXISTS (SELECT 1 FROM symbols t WHERE t.graph_id = @graph AND t.idx = x.callee)',
      { graph: this.graphId, from, carried: JSON.stringify(this.carried) },
    );
    this.db
      .prepare('UPDATE layer_masks SET gone = 1 WHERE graph_id = ? AND NOT EXISTS (SELECT 1 FROM symbol_rows s WHERE s.graph_id = ? AND s.idx = layer_masks.idx)')
      .run(this.graphId, this.graphId);
  }

  /**
   * Copies into this graph, in one transaction, the calls of the callers
   * `callers` picks among the rows (x) of `tables`, edges only where
   * `callees` holds. Parameters by name: @graph is this graph.
   */
  private copyCalls(tables: { edges: string; unresolved: string; refs: string }, callers: string, callees: string, parameters: Record<string, unknown>): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO edge_rows (graph_id, caller, callee, strategy, confidence, sites)
           SELECT @graph, x.caller, x.callee, x.strategy, x.confidence, x.sites FROM ${tables.edges} x ${callers} AND ${callees}`,
        )
        .run(parameters);
      this.db
        .prepare(
          `INSERT INTO unresolved_call_rows (graph_id, caller, name, receiver, reason, file_path, line, col, could_be)
           SELECT @graph, x.caller, x.name, x.receiver, x.reason, x.file_path, x.line, x.col, x.could_be FROM ${tables.unresolved} x ${callers}`,
        )
        .run(parameters);
      this.db
        .prepare(
          `INSERT INTO external_ref_rows (graph_id, caller, module, package_path, symbol, strategy, confidence, file_path, line, col)
           SELECT @graph, x.caller, x.module, x.package_path, x.symbol, x.strategy, x.confidence, x.file_path, x.line, x.col FROM ${tables.refs} x ${callers}`,
        )
        .run(parameters);
    })();
  }

  async addSymbols(symbols: SymbolRecord[]): Promise<void> {
    const numbered: Array<{ idx: number; symbol: SymbolRecord }> = [];
    for (const symbol of symbols) {
      if (this.symbolIndex.has(symbol.id) || (this.keptRows && this.lookUp!(symbol.id) !== undefined)) {
        this.dropped.push({ id: symbol.id, file: symbol.file, line: symbol.nameLine });
        continue;
      }
      const idx = this.previousNumber?.(symbol.id) ?? this.nextIdx++;
      if (!this.symbolIndex.set(symbol.id, idx)) {
        this.storeLookUp();
        this.unsettled = true;
      }
      if (this.updating) this.added.push(idx);
      numbered.push({ idx, symbol });
    }
    const placeholders = SYMBOL_COLUMNS.map(() => '?').join(', ');
    // A repeat of a symbol whose number the table did not keep is seen by symbols_by_sid, a unique index: its row is skipped.
    await this.insertMany(
      `INSERT INTO symbol_rows (${SYMBOL_INSERT_COLUMNS}) VALUES (${placeholders}) ON CONFLICT (graph_id, sid) DO NOTHING`,
      numbered,
      ({ idx, symbol }) => symbolValues(this.graphId, idx, symbol),
      (row) => this.dropped.push({ id: row[SID_AT] as string, file: row[FILE_AT] as string, line: row[LINE_AT] as number }),
    );
  }

  async droppedSymbols(): Promise<DroppedSymbol[]> {
    await this.rows.settle();
    return this.dropped;
  }

  /** Symbols whose numbers are looked up in the store must be in it: rows still on their way to a thread are waited for. */
  private async settleSymbols(): Promise<void> {
    if (!this.unsettled) return;
    this.unsettled = false;
    await this.rows.settle();
  }

  async addEdges(edges: EdgeRecord[]): Promise<void> {
    await this.settleSymbols();
    await this.insertMany(
      'INSERT INTO edge_rows (graph_id, caller, callee, strategy, confidence, sites) VALUES (?, ?, ?, ?, ?, ?)',
      edges,
      (edge) => [this.graphId, this.idx(edge.caller), this.idx(edge.callee), edge.strategy, edge.confidence, JSON.stringify(edge.sites)],
    );
  }

  async addUnresolved(calls: UnresolvedCall[]): Promise<void> {
    await this.settleSymbols();
    await this.insertMany(
      'INSERT INTO unresolved_call_rows (graph_id, caller, name, receiver, reason, file_path, line, col, could_be) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      calls,
      (call) => [
        this.graphId,
        this.idx(call.caller),
        call.name,
        call.receiver ?? null,
        call.reason,
        call.site.file,
        call.site.line,
        call.site.col,
        call.couldBe ?? null,
      ],
    );
  }

  async addExternalRefs(refs: ExternalRef[]): Promise<void> {
    await this.settleSymbols();
    await this.insertMany(
      'INSERT INTO external_ref_rows (graph_id, caller, module, package_path, symbol, strategy, confidence, file_path, line, col) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      refs,
      (ref) => [
        this.graphId,
        this.idx(ref.caller),
        ref.module,
        ref.packagePath,
        ref.symbol,
        ref.strategy,
        ref.confidence,
        ref.site.file,
        ref.site.line,
        ref.site.col,
      ],
    );
  }

  async addDiagnostics(diagnostics: Diagnostic[]): Promise<void> {
    await this.insertMany(
      'INSERT INTO diagnostics (graph_id, file_path, severity, message, line, col) VALUES (?, ?, ?, ?, ?, ?)',
      diagnostics,
      (d) => [this.graphId, d.file, d.severity, d.message, d.line ?? null, d.col ?? null],
    );
  }

  async addModules(modules: ModuleRecord[], dependencies: DependencyRecord[]): Promise<void> {
    await this.insertMany(
      'INSERT INTO modules (graph_id, ecosystem, name, manifest, directory) VALUES (?, ?, ?, ?, ?)',
      modules,
      (m) => [this.graphId, m.ecosystem, m.name, m.manifest, m.directory],
    );
    await this.insertMany(
      'INSERT INTO dependencies (graph_id, ecosystem, from_module, name, version, kind, replacement, manifest) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      dependencies,
      (d) => [this.graphId, d.ecosystem, d.from, d.name, d.version, d.kind, d.replacement ?? null, d.manifest],
    );
  }

  async counts(): Promise<{ symbols: number; edges: number; unresolved: number; externalRefs: number }> {
    await this.rows.settle();
    if (this.shared) {
      const row = this.db.prepare(LAYERED_COUNTS).get({ graph: this.graphId, base: this.shared.base }) as {
        symbols: number; edges: number; unresolved: number; external_refs: number;
      };
      return { symbols: row.symbols, edges: row.edges, unresolved: row.unresolved, externalRefs: row.external_refs };
    }
    // A graph of one layer: its stored rows are all it has (counted without the views' layer lookups).
    const count = (table: string): number =>
      (this.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE graph_id = ?`).get(this.graphId) as { n: number }).n;
    return { symbols: count('symbol_rows'), edges: count('edge_rows'), unresolved: count('unresolved_call_rows'), externalRefs: count('external_ref_rows') };
  }

  async publish(stats: GraphStats): Promise<GraphInfo> {
    this.assertOpen();
    await this.rows.settle();
    await this.rows.close();
    if (this.updating) {
      // The added symbols looked up by number (CROSS JOIN keeps that order): as `idx IN (…)` the planner walked the
      // whole graph's name index for DISTINCT, 44 ms of a one-file update of the Go standard library (89k symbols), now 2.
      indexNames(
        this.db,
        'SELECT DISTINCT s.qualified_name FROM json_each(?) AS j CROSS JOIN symbol_rows s ON s.graph_id = ? AND s.idx = j.value',
        [JSON.stringify(this.added), this.graphId],
      );
      this.db
        .prepare('UPDATE graphs SET indexed_at = ?, stats = ? WHERE id = ?')
        .run(new Date().toISOString(), JSON.stringify(stats), this.graphId);
      this.db.prepare('UPDATE repositories SET current_graph_id = ? WHERE id = ?').run(this.graphId, this.repositoryId);
      this.db.exec('COMMIT');
      this.updating = false;
      this.finished = true;
      return graphFromRow(this.db.prepare(`${GRAPH_SELECT} WHERE g.id = ?`).get(this.graphId) as GraphRow);
    }
    const replaced = this.db.transaction(() => {
      const graph = this.db.prepare('SELECT commit_sha, status FROM graphs WHERE id = ?').get(this.graphId) as
        | { commit_sha: string; status: string }
        | undefined;
      if (!graph || graph.status !== 'building') throw new GraphhubError('conflict', `graph ${this.graphId} is no longer being built`);
      const older = this.db
        .prepare("SELECT id FROM graphs WHERE repository_id = ? AND commit_sha = ? AND status = 'ready' AND id <> ?")
        .all(this.repositoryId, graph.commit_sha, this.graphId) as Array<{ id: number }>;
      this.db.prepare("UPDATE graphs SET status = 'replaced' WHERE id IN (SELECT value FROM json_each(?))").run(JSON.stringify(older.map((row) => row.id)));
      // The search index learns the graph's new names as the graph becomes visible.
      // A shared graph's names are its own rows' (its base's are indexed already).
      indexNames(this.db, 'SELECT DISTINCT qualified_name FROM symbol_rows WHERE graph_id = ?', [this.graphId]);
      this.db
        .prepare("UPDATE graphs SET status = 'ready', indexed_at = ?, stats = ? WHERE id = ?")
        .run(new Date().toISOString(), JSON.stringify(stats), this.graphId);
      this.db.prepare('UPDATE repositories SET current_graph_id = ? WHERE id = ?').run(this.graphId, this.repositoryId);
      return older.map((row) => row.id);
      // IMMEDIATE: the write lock from the start. A deferred transaction reads first, and another process's
      // commit in between would make its first write fail (SQLITE_BUSY_SNAPSHOT) or let indexNames' largest
      // id go stale.
    }).immediate();
    this.finished = true;
    this.dropReused();
    // The replaced graphs are already invisible; removing their rows can take its time.
    for (const id of replaced) this.deleteRows(id);
    const row = this.db.prepare(`${GRAPH_SELECT} WHERE g.id = ?`).get(this.graphId) as GraphRow;
    return graphFromRow(row);
  }

  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    // Rows still on their way are written before the sink closes: they are deleted below with the rest.
    await this.rows.close();
    if (this.updating) {
      // The published graph was never touched outside the transaction.
      this.db.exec('ROLLBACK');
      this.updating = false;
      return;
    }
    this.dropReused();
    this.deleteRows(this.graphId);
  }

  private dropReused(): void {
    if (this.reused) this.db.exec(`DROP TABLE IF EXISTS ${this.reused.replaced}`);
  }
}

/**
 * Adds the names `names` (a SELECT of qualified names) that the search index
 * has not seen (see migration 11). Names are never deleted, so ids only grow:
 * the ones above the largest before this insert are the new ones. Runs in
 * a transaction that holds the write lock (publish's is IMMEDIATE, an
 * update's is begun so), so no other writer adds names in between.
 */
function indexNames(db: Db, names: string, parameters: unknown[]): void {
  const before = (db.prepare('SELECT COALESCE(MAX(id), 0) FROM search_names').pluck().get() as number) ?? 0;
  db.prepare(`INSERT OR IGNORE INTO search_names (qualified_name) ${names}`).run(...parameters);
  db.prepare('INSERT INTO search_names_fts (rowid, qualified_name) SELECT id, qualified_name FROM search_names WHERE id > ?').run(before);
}
