/**
 * The indexing pipeline: read a repository at a commit → store every file in
 * the CAS → extract facts per blob (or take them from the cache) → resolve
 * per language → write the graph and publish it.
 *
 * Architecture invariant: the indexer produces values and hands them to the
 * GraphStore interface; it never sees SQL. A failure anywhere aborts the
 * writer, so the repository's previous graph stays as it was.
 */
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import type { ContentStore } from '../cas/content-store.js';
import type { FileRecord, GraphInfo, GraphStats, RepositoryInfo, SymbolRecord } from '../model/graph.js';
import type { CallBatch, Resolution, ResolveFile } from '../languages/language.js';
import { LANGUAGES } from '../languages/registry.js';
import type { GraphStore, GraphWriter } from '../store/graph-store.js';
import { DEFAULT_LIMITS, type Limits } from './classify.js';
import { findChanges } from './changes.js';
import { bytesToParse, INLINE_BYTES, readFiles, type FactsMemo, type ParsedFile } from './read-files.js';
import { cachedRowOf, localLoader, localReader, Spill, StoredFileFacts, type FactsPlace } from './spill.js';
import type { RepositorySource } from './source.js';

/** Bumped when the shape of what the indexer writes changes. */
export const INDEXER_VERSION = '0.1.0';

export interface Progress {
  phase: 'reading' | 'resolving' | 'writing' | 'done';
  done: number;
  total: number;
}

export interface IndexOptions {
  source: RepositorySource;
  repository: RepositoryInfo;
  store: GraphStore;
  cas: ContentStore;
  limits?: Partial<Limits>;
  onProgress?: (progress: Progress) => void;
  /** Extraction threads (0: in this thread); default one per core for large repositories. */
  threads?: number;
  /** Reuse the repository's previous graph for what did not change (default true). */
  incremental?: boolean;
  /**
   * Stops the index between steps (a worker that is shutting down or lost its
   * job); the writer is aborted, so nothing is published.
   */
  signal?: AbortSignal;
  /**
   * The source is a working tree that moves: its graph (commit `worktree`)
   * is updated in place, replacing only the rows of files a change affects.
   */
  worktree?: boolean;
  /** Facts kept in memory across indexes by a long-running process (see read-files.ts). */
  memo?: FactsMemo;
  /** Where a full index keeps local facts until resolution (spill.ts); the system's temporary directory by default. */
  scratchDir?: string;
}

/** The commit name of a working tree's graph. */
export const WORKTREE = 'worktree';

export interface PhaseTimings {
  /** Listing, reading, storing and extracting files. */
  readMs: number;
  /** The resolvers' eager part (Go: its package index). */
  resolveMs: number;
  /** Writing, including the symbols and calls a resolver makes lazily as they are written (Resolution.symbolBatches, callBatches). */
  writeMs: number;
}

export interface IndexResult {
  graph: GraphInfo;
  stats: GraphStats;
  /** Files whose facts came from the extraction cache rather than a parse. */
  cachedFiles: number;
  timings: PhaseTimings;
  /** Bytes of local facts kept on disk until resolution (spill.ts); 0 when they stayed in memory. */
  spilledBytes: number;
  /** Present when the previous graph of the repository was reused. */
  incremental?: { previousCommit: string; changedFiles: number; resolvedFiles: number; reusedFiles: number };
  /**
   * The commit's graph, written by this indexer version, was already the
   * repository's newest: it is the answer, and nothing was written (`graph`
   * and `stats` are that graph's). For a commit nothing was read either
   * (the timings are zero); a plain directory's files were listed and
   * hashed to find that they are the same (readMs).
   */
  upToDate?: true;
}

/*
 * Process-wide V8 settings for indexing, set once at the first index (they
 * also hold for the extraction workers started after).
 *
 * V8 grows a heap that keeps growing by up to 4× its live size after each
 * full collection; an index allocates for tens of seconds with most of what
 * it allocates short-lived (facts parsed, rows built and written), so that
 * slack became most of the peak: on a generated 1M-line repository, 731 MB
 * RSS for about 400 MB live. Growing by half as much (1.5×) at a time gave
 * 568 MB at the same speed (20% gave 495 MB but took 20% longer).
 */
const HEAP_GROWING = '--heap-growing-percent=50';
/**
 * V8's optimising compiler inlines callees into a hot function up to 920
 * bytes of bytecode in all by default. An index is a few seconds of code
 * that is hot once: the extractors, compiled again in every worker (and
 * again after each deoptimisation), and the resolvers. Compiling cost more
 * than the inlining saved: `perf` put TurboFan at ~1.0 s of CPU of a
 * one-thread runc index and ~1.6 s of a parallel one, and at a quarter of
 * zod's CPU. Three runs each, interleaved: runc 920 → 300 took 5.38 →
 * 5.02 s (median); 300 → 100: runc 4.43–4.61 → 4.39–4.47 s, zod 2.85–3.06
 * → 2.73–2.94 s, a generated 1M-line repository 10.59–11.04 →
 * 10.57–10.71 s. (No inlining at all was faster again on runc but slower on
 * the 1M-line repository, whose resolver runs long enough to profit.)
 */
const INLINING_BUDGET = '--max-inlined-bytecode-size-cumulative=100';
let v8FlagsSet = false;

export async function indexRepository(options: IndexOptions): Promise<IndexResult> {
  if (!v8FlagsSet) {
    setFlagsFromString(HEAP_GROWING);
    setFlagsFromString(INLINING_BUDGET);
    v8FlagsSet = true;
  }
  const scratch: { spill?: Spill } = {};
  try {
    return await indexOnce(options, scratch);
  } finally {
    scratch.spill?.close();
  }
}

async function indexOnce(options: IndexOptions, scratch: { spill?: Spill }): Promise<IndexResult> {
  const started = performance.now();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source, store } = options;
  const progress = options.onProgress ?? (() => undefined);
  const timings: PhaseTimings = { readMs: 0, resolveMs: 0, writeMs: 0 };

  // The repository's newest graph, when written by this indexer version, is what an incremental index builds on;
  // a working tree's graph builds on itself, and the first one on the repository's newest (its commit's, usually).
  const newest =
    options.incremental === false
      ? undefined
      : options.worktree
        ? ((await store.findGraph(options.repository.name, WORKTREE)) ?? (await store.findGraph(options.repository.name)))
        : await store.findGraph(options.repository.name);
  const previous = newest && newest.indexerVersion === INDEXER_VERSION ? newest : undefined;
  // A commit never changes: if its graph is already the newest, indexing it again would write the same graph.
  // (Not for custom limits, which may classify files differently from the run that wrote it.)
  const upToDate = (commit: string | undefined): IndexResult | undefined => {
    if (!previous || options.worktree || commit === undefined || previous.commit !== commit || options.limits !== undefined) return undefined;
    progress({ phase: 'done', done: 1, total: 1 });
    return { graph: previous, stats: previous.stats, cachedFiles: 0, timings, spilledBytes: 0, upToDate: true };
  };
  const known = upToDate(source.commit);
  if (known) return known;
  const previousFiles = previous ? new Map((await store.listFiles(previous.id)).map((file) => [file.path, file])) : undefined;

  /**
   * Local facts wait on disk until their file is resolved: in a full index
   * every file's; in an incremental one few are read (the affected files',
   * and those of the files Go's rule asks what names they mention), the
   * rest are never parsed (the extraction cache keeps where each starts),
   * and cached files' stay in the cache rather than being copied here
   * (ReadOptions.cachedLocal: runc, one file changed, ~17 MB not written).
   * A long-running process's memo (watch) keeps heads in memory and points
   * at local facts in the cache when the store reads rows synchronously
   * (`memoInCache`); on a store that does not, it keeps whole facts and
   * there is no spill.
   */
  const memoInCache = options.memo !== undefined && store.readExtraction !== undefined;
  const spill = !options.memo || memoInCache ? (scratch.spill = new Spill(options.scratchDir)) : undefined;
  // A new graph of a large repository (its calls' rows are many): the store may write it on another thread, started now.
  const bulk = !previous && options.threads !== 0 && bytesToParse(source.entries, limits) > INLINE_BYTES;
  if (bulk) store.expectGraph?.({ bulk });
  const read = await readFiles({
    source,
    store,
    cas: options.cas,
    limits,
    progress,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(previous && previousFiles ? { previous: { files: previousFiles, indexedAt: Date.parse(previous.indexedAt) } } : {}),
    ...(options.memo ? { memo: options.memo, memoInCache } : {}),
    ...(spill ? { spill } : {}),
    // On a previous graph few files are resolved: their cached local facts are read back from the cache itself.
    ...(spill && previous && store.readExtraction ? { cachedLocal: true } : {}),
  });
  const { files, parsed, manifests, diagnostics, bytes, lines, cachedFiles } = read;
  timings.readMs = Math.round(performance.now() - started);

  const commit = options.worktree ? WORKTREE : (source.commit ?? directoryIdentity(files));
  // A plain directory's identity is known once its files are: the same files, the same graph.
  const sameFiles = source.commit === undefined ? upToDate(commit) : undefined;
  if (sameFiles) {
    timings.readMs = Math.round(performance.now() - started);
    return { ...sameFiles, cachedFiles };
  }
  const readRow = store.readExtraction?.bind(store);
  const readLocal = spill ? localReader(spill, readRow) : undefined;
  const localOf = (file: ParsedFile): Record<string, unknown> => (readLocal && file.local ? localLoader(readLocal, file.local)([...file.local.keys()]) : {});
  const changes = previous && previousFiles ? await findChanges(store, previous, previousFiles, files, parsed, localOf) : undefined;

  progress({ phase: 'resolving', done: 0, total: LANGUAGES.length });
  const resolutions: Resolution[] = [];
  const reusedFiles: string[] = [];
  let resolvedFiles = 0;
  for (const language of LANGUAGES) {
    const place: FactsPlace | undefined = readLocal ? { read: readLocal, spill, row: readRow, localFacts: language.localFacts ?? [] } : undefined;
    const languageFiles: ResolveFile<unknown>[] = parsed
      .filter((file) => file.language === language)
      .map((file): ResolveFile<unknown> => {
        const local = file.local;
        if (!local || !place) return { path: file.path, blob: file.blob, facts: file.facts };
        // Facts from the extraction cache (an incremental index's unchanged files) are read back from their row.
        const at = file.factsAt ?? (language.factsReadBack && readRow ? cachedRowOf(local) : undefined);
        return { path: file.path, blob: file.blob, facts: file.facts, stored: new StoredFileFacts(place, local, at) };
      });
    const languageManifests = new Map([...manifests].filter(([path]) => language.isManifest(path)));
    // A language with manifests but no sources (Cargo.toml alone) still records module identity.
    if (languageFiles.length === 0 && languageManifests.size === 0) continue;
    const resolution = language.resolve({
      repository: options.repository.name,
      files: languageFiles,
      manifests: languageManifests,
      ...(changes ? { changes: changes.byLanguage.get(language.id) ?? [] } : {}),
    });
    resolutions.push(resolution);
    const resolved = resolution.resolvedFiles;
    resolvedFiles += resolved ? resolved.size : languageFiles.length;
    if (resolved) for (const file of languageFiles) if (!resolved.has(file.path)) reusedFiles.push(file.path);
  }

  for (const resolution of resolutions) {
    for (const file of files) {
      const module = resolution.fileModules.get(file.path);
      if (module) file.module = module;
    }
  }
  // The facts (a third of the heap on runc) are not needed to write: let them go before the writing phase, its peak.
  parsed.length = 0;
  for (const list of changes?.byLanguage.values() ?? []) {
    for (const change of list) {
      delete change.before;
      delete change.after;
    }
  }

  timings.resolveMs = Math.round(performance.now() - started) - timings.readMs;
  options.signal?.throwIfAborted();
  progress({ phase: 'writing', done: 0, total: 1 });
  // A working tree's graph is updated in place; any other index writes a new graph.
  const inPlace = options.worktree && changes !== undefined && changes.previous.commit === WORKTREE;
  const writer = inPlace
    ? await store.beginUpdate(changes.previous.id, replacedFiles(previousFiles!, files, new Set(reusedFiles)))
    : await store.beginGraph(options.repository, commit, INDEXER_VERSION, { bulk });
  try {
    await writer.addFiles(files);
    // A commit's graph never changes, so a new commit's may share its rows. A working tree's graph is updated in
    // place: it neither shares another's rows (a working tree's first graph copies them) nor lends its own.
    if (!inPlace && changes && reusedFiles.length > 0) {
      await writer.reuseSymbols(changes.previous.id, reusedFiles, { share: !options.worktree && changes.previous.commit !== WORKTREE });
    }
    const stats: GraphStats = {
      files: files.length,
      skipped: files.filter((file) => file.skipReason !== undefined).length,
      symbols: 0,
      edges: 0,
      unresolved: 0,
      externalRefs: 0,
      diagnostics: diagnostics.length,
      lines,
      bytes,
      durationMs: 0,
    };
    // Written and counted: the file records (~250 bytes a file) need not stay for the symbols' and calls' write.
    files.length = 0;
    let pending: SymbolRecord[] = [];
    const flush = async (): Promise<void> => {
      await writer.addSymbols(pending);
      pending = [];
    };
    for (const resolution of resolutions) {
      for (const batch of symbolsOf(resolution)) {
        for (const symbol of batch) pending.push(symbol);
        if (pending.length >= (writer.rowsPerWrite ?? SYMBOLS_PER_WRITE)) await flush();
      }
      // Written: the records need not stay for the calls' long write (the writer keeps ids → numbers).
      resolution.symbols = [];
    }
    await flush();
    for (const resolution of resolutions) {
      await writeCalls(writer, resolution, options.signal);
      await writer.addDiagnostics(resolution.diagnostics);
      await writer.addModules(resolution.modules, resolution.dependencies);
      stats.diagnostics += resolution.diagnostics.length;
    }
    await writer.reuseCalls();
    // A resolver bug that repeats an id costs that symbol, not the index (the writer keeps the first).
    for (const symbol of await writer.droppedSymbols()) {
      diagnostics.push({ file: symbol.file, severity: 'error', line: symbol.line, message: `indexer bug: duplicate symbol id ${symbol.id} dropped` });
      stats.diagnostics++;
    }
    await writer.addDiagnostics(diagnostics);
    Object.assign(stats, await writer.counts());
    stats.durationMs = Math.round(performance.now() - started);
    options.signal?.throwIfAborted();
    const graph = await writer.publish(stats);
    timings.writeMs = Math.round(performance.now() - started) - timings.readMs - timings.resolveMs;
    progress({ phase: 'done', done: 1, total: 1 });
    const result: IndexResult = { graph, stats, cachedFiles, timings, spilledBytes: spill?.bytes ?? 0 };
    if (changes) {
      result.incremental = {
        previousCommit: changes.previous.commit,
        changedFiles: changes.changedFiles,
        resolvedFiles,
        reusedFiles: reusedFiles.length,
      };
    }
    return result;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/** A resolution's symbols: its array, then its lazy batches, made one by one as they are written. */
function* symbolsOf(resolution: Resolution): Generator<SymbolRecord[]> {
  yield resolution.symbols;
  if (resolution.symbolBatches) yield* resolution.symbolBatches;
}

/** Symbols gathered from a lazy resolution's batches before they are handed to the writer. */
const SYMBOLS_PER_WRITE = 10000;

/** Rows gathered from a lazy resolution's batches before they are handed to the writer (one transaction each). */
const CALL_ROWS_PER_WRITE = 20000;

/** A resolution's calls: its arrays, then its lazy batches, resolved as they are written (Resolution.callBatches). */
async function writeCalls(writer: GraphWriter, resolution: Resolution, signal: AbortSignal | undefined): Promise<void> {
  let pending: CallBatch = { edges: resolution.edges, unresolved: resolution.unresolved, externalRefs: resolution.externalRefs };
  const flush = async (): Promise<void> => {
    await writer.addEdges(pending.edges);
    await writer.addUnresolved(pending.unresolved);
    await writer.addExternalRefs(pending.externalRefs);
    pending = { edges: [], unresolved: [], externalRefs: [] };
  };
  for (const batch of resolution.callBatches ?? []) {
    for (const edge of batch.edges) pending.edges.push(edge);
    for (const call of batch.unresolved) pending.unresolved.push(call);
    for (const ref of batch.externalRefs) pending.externalRefs.push(ref);
    if (pending.edges.length + pending.unresolved.length + pending.externalRefs.length >= (writer.rowsPerWrite ?? CALL_ROWS_PER_WRITE)) {
      signal?.throwIfAborted();
      await flush();
    }
  }
  await flush();
}

/** Every file of the previous and the new version, except those whose rows are kept. */
function replacedFiles(previous: Map<string, FileRecord>, files: FileRecord[], kept: Set<string>): string[] {
  const all = new Set([...previous.keys(), ...files.map((file) => file.path)]);
  return [...all].filter((path) => !kept.has(path));
}

/** A plain directory's stand-in for a commit: a hash of its paths and contents. */
function directoryIdentity(files: FileRecord[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\0${file.blob}\n`);
  return `dir-${hash.digest('hex').slice(0, 36)}`;
}
