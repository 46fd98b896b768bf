/**
 * The graph store: the one interface every backend (SQLite, PostgreSQL)
 * implements and the contract suite (test/store-contract.ts) checks.
 *
 * Architecture invariant: a graph becomes visible to readers only when its
 * writer publishes it, in one transaction. Until then (and forever, if the
 * writer aborts or its process dies) readers see the repository's previous
 * graph, untouched.
 */
import type {
  CallSite,
  CoverageBlock,
  CoverageReportInfo,
  DependencyRecord,
  Diagnostic,
  EdgeRecord,
  ExternalRef,
  FileRecord,
  GraphInfo,
  GraphStats,
  ModuleRecord,
  RepositoryInfo,
  SymbolKind,
  SymbolRecord,
  UnresolvedCall,
} from '../model/graph.js';

export interface RepositorySummary extends RepositoryInfo {
  /** The newest published graph; undefined for a repository whose every index failed. */
  newest?: GraphInfo;
  graphCount: number;
}

/** An edge as a reader sees it: the symbol at the other end is included. */
export interface EdgeView {
  symbol: SymbolRecord;
  strategy: EdgeRecord['strategy'];
  confidence: number;
  sites: CallSite[];
}

export interface SymbolSearch {
  /** Free text; matched against names and qualified names, case-insensitively. */
  text: string;
  /** Restrict to these graphs; default every repository's newest graph. */
  graphIds?: number[];
  kinds?: SymbolKind[];
  limit: number;
}

export interface SymbolHit {
  graphId: number;
  repository: string;
  commit: string;
  symbol: SymbolRecord;
}

/** What a call into another module names: the key of the used-in-the-wild index. */
export interface WildTarget {
  module: string;
  /** Package / export path; undefined matches any path of the module. */
  packagePath?: string;
  /** `Func`, or `Type.Method` for methods. */
  symbol: string;
}

/** How often one graph calls a target. */
export interface WildCount {
  graphId: number;
  repository: string;
  commit: string;
  count: number;
  /**
   * Identifies the set of call sites (files, their blobs, positions): two
   * graphs with equal fingerprints call the target from identical code — a
   * fork or a copy.
   */
  fingerprint: string;
}

export interface WildSiteRow {
  caller: SymbolRecord;
  site: CallSite;
  /** The calling file's blob, for excerpts and for recognising copies. */
  blob: string;
}

/**
 * A graph's call edges in compact form, for walks (tests, impact) done in
 * memory: symbol number i is `ids[i]`; edge j goes from `callers[j]` to
 * `callees[j]`.
 */
export interface CompactGraph {
  ids: string[];
  kinds: SymbolKind[];
  names: string[];
  callers: Int32Array;
  callees: Int32Array;
  confidences: Float64Array;
}

export interface ExtractionKey {
  blob: string;
  extractor: string;
}

/** How getExtractions' answer is keyed (and how callers remember extractions). */
export function extractionKey(key: ExtractionKey): string {
  return `${key.extractor}\u0000${key.blob}`;
}

export interface CachedExtraction extends ExtractionKey {
  /** JSON text of the facts (or undefined when the file yielded none). */
  facts: string | undefined;
  /** JSON text of the extraction diagnostics. */
  diagnostics: string;
  /**
   * For a language with local facts: where each starts in `facts` (see
   * ExtractOutcome.localAt), so that an index can leave them unparsed until
   * a file is resolved. Absent for rows written before it was kept.
   */
  localAt?: number[];
  /**
   * `facts` is only the text before the first local fact (localAt[0]):
   * what getExtractions with `heads` answers, never what is stored.
   */
  head?: true;
}

export interface BeginGraphOptions {
  /**
   * Many rows will come (a full index of a large repository): the backend
   * may write them on another thread while the caller resolves the next
   * ones (the embedded SQLite store does; see sqlite/row-sink.ts).
   */
  bulk?: boolean;
}

/** A symbol a graph writer did not store: its id repeats one the graph already has. */
export interface DroppedSymbol {
  id: string;
  file: string;
  line: number;
}

export interface GraphWriter {
  readonly graphId: number;
  /**
   * Rows the writer would like per call of addSymbols and the call rows
   * (edges, unresolved calls, external references) together: a writer that
   * writes on another thread wants small batches, early, so that it never
   * waits for the caller to gather a large one.
   */
  readonly rowsPerWrite?: number;
  addFiles(files: FileRecord[]): Promise<void>;
  /**
   * Incremental indexing: takes from graph `from` the symbols (other than
   * packages) of `files`, whose facts and resolution did not change. Must come
   * before addSymbols, so that symbols keep their numbering across graphs.
   *
   * With `share`, the new graph may share those rows with the graph `from`
   * is built on (migration 12's layers) instead of copying them: only for a
   * `from` that is never updated in place (a commit's graph), since a
   * layer's rows must not change under the graphs that see them. A store
   * copies anyway when `from`'s own rows have grown large
   * (SHARED_ROWS_LIMIT): the new graph then starts a layer of its own.
   */
  reuseSymbols(from: number, files: string[], options?: { share?: boolean }): Promise<void>;
  /**
   * Symbols must be added before the edges, calls and references that name
   * them. A symbol whose id repeats one the graph already has is not stored
   * (the first stays, and calls naming the id are its): a resolver bug
   * costs that symbol, not the index. droppedSymbols names them.
   */
  addSymbols(symbols: SymbolRecord[]): Promise<void>;
  /** The symbols addSymbols did not store, their ids repeating one the graph had (every one, once the rows handed over are written). */
  droppedSymbols(): Promise<DroppedSymbol[]>;
  /**
   * Copies the edges, unresolved calls and external references made by the
   * symbols reuseSymbols copied (an edge only when its callee exists in the
   * new graph). In an update (beginUpdate), drops the kept callers' edges
   * whose callee was replaced and not added again. Call after every new
   * symbol is added.
   */
  reuseCalls(): Promise<void>;
  addEdges(edges: EdgeRecord[]): Promise<void>;
  addUnresolved(calls: UnresolvedCall[]): Promise<void>;
  addExternalRefs(refs: ExternalRef[]): Promise<void>;
  addDiagnostics(diagnostics: Diagnostic[]): Promise<void>;
  addModules(modules: ModuleRecord[], dependencies: DependencyRecord[]): Promise<void>;
  /** Rows written so far (new and reused), for the graph's stats. */
  counts(): Promise<{ symbols: number; edges: number; unresolved: number; externalRefs: number }>;
  /** Makes the graph the repository's newest, atomically, replacing an older graph of the same commit. */
  publish(stats: GraphStats): Promise<GraphInfo>;
  /** Removes everything written; the repository's previous graph stays as it was. */
  abort(): Promise<void>;
}

export interface GraphStore {
  readonly backend: 'sqlite' | 'postgres';

  // Extraction cache, keyed by blob address and extractor version.
  /**
   * Cached extractions by key. With `heads`, a backend may answer a row
   * that has `localAt` with its facts text cut before the first local fact
   * (marked `head`; see readExtraction for the rest).
   */
  getExtractions(keys: ExtractionKey[], options?: { heads?: boolean }): Promise<Map<string, CachedExtraction>>;
  putExtractions(rows: CachedExtraction[]): Promise<void>;
  /**
   * One cached extraction's facts text and local offsets, read
   * synchronously, where the backend can (the embedded SQLite store): an
   * incremental index then leaves the cached files' local facts in the
   * cache, reading back the few it resolves, instead of copying every one
   * to its spill.
   */
  readExtraction?(key: ExtractionKey): { facts: string; localAt?: number[] } | undefined;

  /**
   * An index will soon begin a graph with these options: the store may get
   * ready for it meanwhile (the SQLite store starts a bulk write's thread,
   * which takes ~0.1 s to start, while the files are read).
   */
  expectGraph?(options: BeginGraphOptions): void;
  beginGraph(repository: RepositoryInfo, commit: string, indexerVersion: string, options?: BeginGraphOptions): Promise<GraphWriter>;
  /**
   * Updates a published graph in place — a working tree's graph, which moves
   * with the files — replacing the rows of `files` (and its package symbols,
   * file records, diagnostics, modules and coverage) with what the writer
   * adds. The other files' calls stay, into replaced symbols too when they
   * are added again (see reuseCalls). Readers see the graph before the
   * update or after it, never between.
   */
  beginUpdate(graphId: number, files: string[]): Promise<GraphWriter>;

  listRepositories(): Promise<RepositorySummary[]>;
  listGraphs(repository: string): Promise<GraphInfo[]>;
  /** The newest graph of a repository, or the one at `commit` (a full hash or a unique prefix of at least 4). */
  findGraph(repository: string, commit?: string): Promise<GraphInfo | undefined>;
  getGraph(graphId: number): Promise<GraphInfo | undefined>;

  getSymbol(graphId: number, symbolId: string): Promise<SymbolRecord | undefined>;
  /** Several symbols at once, in no particular order; unknown ids are left out. */
  getSymbols(graphId: number, symbolIds: string[]): Promise<SymbolRecord[]>;
  /** Symbols whose name is exactly `name`. */
  symbolsNamed(graphId: number, name: string, limit: number): Promise<SymbolRecord[]>;
  /** Symbols whose qualified name is exactly `qualifiedName`. */
  symbolsQualified(graphId: number, qualifiedName: string, limit: number): Promise<SymbolRecord[]>;
  /** Every distinct symbol name of a graph, for "did you mean" suggestions. */
  symbolNames(graphId: number): Promise<string[]>;
  searchSymbols(search: SymbolSearch): Promise<SymbolHit[]>;
  symbolsInFile(graphId: number, path: string): Promise<SymbolRecord[]>;
  /** Most-called symbols of a graph with their caller counts. */
  mostCalled(graphId: number, limit: number): Promise<Array<{ symbol: SymbolRecord; callers: number }>>;

  /** A symbol's callers, highest confidence first; the first `limit` of them when given (see edgeCounts). */
  callers(graphId: number, symbolId: string, limit?: number): Promise<EdgeView[]>;
  callees(graphId: number, symbolId: string, limit?: number): Promise<EdgeView[]>;
  /** How many callers and callees a symbol has, counted without reading them (a symbol may have tens of thousands). */
  edgeCounts(graphId: number, symbolId: string): Promise<{ callers: number; callees: number }>;
  /** Callers of many symbols at once, for walks over the graph (impact, tests). */
  callersOfMany(graphId: number, symbolIds: string[]): Promise<Map<string, EdgeView[]>>;
  unresolvedFrom(graphId: number, symbolId: string): Promise<UnresolvedCall[]>;
  /**
   * Unresolved call sites that could be calls of this symbol: the same name,
   * and nothing (such as a receiver of a known other type) rules it out —
   * `UnresolvedCall.couldBe` matching the symbol's kind. 0 for kinds that
   * are not called by name.
   */
  countPossibleCallers(graphId: number, symbol: { name: string; kind: SymbolKind }): Promise<number>;
  externalRefsFrom(graphId: number, symbolId: string): Promise<ExternalRef[]>;
  /**
   * Graphs that call `target`, among every repository's newest graph except
   * `excludeRepository`'s; answered from the index on the target, never by
   * scanning graphs. Sorted by count, descending, then repository name.
   */
  wildCounts(target: WildTarget, excludeRepository: string): Promise<WildCount[]>;
  /** The call sites of `target` in one graph, in file and line order. */
  wildSites(graphId: number, target: WildTarget, limit: number): Promise<WildSiteRow[]>;
  /** Every symbol and edge of a graph, compactly (see CompactGraph). */
  compactGraph(graphId: number): Promise<CompactGraph>;
  /** Every edge of a graph with both ends, in a stable order. */
  allEdges(graphId: number): AsyncIterable<{ caller: SymbolRecord; callee: SymbolRecord; edge: EdgeRecord }>;

  getFile(graphId: number, path: string): Promise<FileRecord | undefined>;
  listFiles(graphId: number): Promise<FileRecord[]>;
  diagnostics(graphId: number, limit: number): Promise<Diagnostic[]>;
  modules(graphId: number): Promise<{ modules: ModuleRecord[]; dependencies: DependencyRecord[] }>;
  /** Replaces a graph's runtime coverage, atomically: readers see the old report or the new one. */
  replaceCoverage(graphId: number, info: CoverageReportInfo, blocks: CoverageBlock[]): Promise<void>;
  coverageReport(graphId: number): Promise<CoverageReportInfo | undefined>;
  /** Coverage blocks of a file that overlap lines [startLine, endLine]. */
  coverageIn(graphId: number, file: string, startLine: number, endLine: number): Promise<CoverageBlock[]>;
  /** Every blob address referenced by any graph, for `verify`. */
  referencedBlobs(): Promise<string[]>;

  close(): Promise<void>;
}

/**
 * How large a layered graph's own symbols may grow, as a fraction of its
 * base's, before the next graph built on it copies every row and becomes a
 * base itself: each commit's own layer carries every file changed since the
 * base, so without a bound a long history would copy more each commit.
 */
export const SHARED_ROWS_LIMIT = 0.25;
