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
import type { ContentStore } from '../cas/content-store.js';
import type { Diagnostic, FileRecord, GraphInfo, GraphStats, RepositoryInfo } from '../model/graph.js';
import type { ExtractDiagnostic, LanguageSupport, Resolution, ResolveFile } from '../languages/language.js';
import { LANGUAGES } from '../languages/registry.js';
import type { CachedExtraction, GraphStore } from '../store/graph-store.js';
import { classifyContent, classifyEntry, countLines, DEFAULT_LIMITS, type Limits } from './classify.js';
import type { RepositorySource, SourceEntry } from './source.js';

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
  /**
   * Stops the index between steps (a worker that is shutting down or lost its
   * job); the writer is aborted, so nothing is published.
   */
  signal?: AbortSignal;
}

export interface IndexResult {
  graph: GraphInfo;
  stats: GraphStats;
  /** Files whose facts came from the extraction cache rather than a parse. */
  cachedFiles: number;
}

/** Files are read, stored and extracted this many at a time. */
const CHUNK = 128;

interface ParsedFile {
  path: string;
  blob: string;
  language: LanguageSupport;
  facts: unknown;
}

export function extractorKey(language: LanguageSupport, dialect: string): string {
  return `${language.id}/${dialect}@${language.extractorVersion}`;
}

export async function indexRepository(options: IndexOptions): Promise<IndexResult> {
  const started = performance.now();
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source, store, cas } = options;
  const progress = options.onProgress ?? (() => undefined);

  const files: FileRecord[] = [];
  const parsed: ParsedFile[] = [];
  const manifests = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  let bytes = 0;
  let lines = 0;
  let cachedFiles = 0;

  const entries = source.entries;
  for (let start = 0; start < entries.length; start += CHUNK) {
    options.signal?.throwIfAborted();
    const chunk = entries.slice(start, start + CHUNK);
    const read = await Promise.all(chunk.map((entry) => readEntry(entry, source, cas, limits, diagnostics)));
    const toExtract: Array<{ file: FileRecord; language: LanguageSupport; dialect: string; key: string; bytes: Buffer }> = [];
    for (const item of read) {
      files.push(item.file);
      if (!item.bytes) continue;
      bytes += item.bytes.length;
      if (item.file.lines !== undefined) lines += item.file.lines;
      // Manifests (go.mod, package.json, …) reach their language's resolver as text.
      if (item.file.skipReason !== 'binary' && LANGUAGES.some((language) => language.isManifest(item.file.path))) {
        manifests.set(item.file.path, item.bytes.toString('utf8'));
      }
      if (item.language) {
        const dialect = item.language.dialectOf(item.file.path);
        toExtract.push({ file: item.file, language: item.language, dialect, key: extractorKey(item.language, dialect), bytes: item.bytes });
      }
    }
    const cached = await store.getExtractions(toExtract.map((task) => ({ blob: task.file.blob, extractor: task.key })));
    const fresh: CachedExtraction[] = [];
    for (const task of toExtract) {
      const hit = cached.get(`${task.key}\u0000${task.file.blob}`);
      let facts: unknown;
      let extractDiagnostics: ExtractDiagnostic[];
      if (hit) {
        cachedFiles++;
        facts = hit.facts === undefined ? undefined : JSON.parse(hit.facts);
        extractDiagnostics = JSON.parse(hit.diagnostics) as ExtractDiagnostic[];
      } else {
        // Parsing is synchronous; yielding between files lets timers run
        // meanwhile (a queue worker's lease renewals, a server's requests).
        await yieldToEventLoop();
        const result = task.language.extract(task.bytes.toString('utf8'), task.dialect);
        facts = result.facts;
        extractDiagnostics = result.diagnostics;
        fresh.push({
          blob: task.file.blob,
          extractor: task.key,
          facts: facts === undefined ? undefined : JSON.stringify(facts),
          diagnostics: JSON.stringify(extractDiagnostics),
        });
      }
      for (const diagnostic of extractDiagnostics) diagnostics.push({ ...diagnostic, file: task.file.path });
      if (facts !== undefined) parsed.push({ path: task.file.path, blob: task.file.blob, language: task.language, facts });
    }
    if (fresh.length > 0) await store.putExtractions(fresh);
    progress({ phase: 'reading', done: Math.min(start + CHUNK, entries.length), total: entries.length });
  }

  const commit = source.commit ?? directoryIdentity(files);

  progress({ phase: 'resolving', done: 0, total: LANGUAGES.length });
  const resolutions: Resolution[] = [];
  for (const language of LANGUAGES) {
    const languageFiles: ResolveFile<unknown>[] = parsed
      .filter((file) => file.language === language)
      .map((file) => ({ path: file.path, blob: file.blob, facts: file.facts }));
    if (languageFiles.length === 0) continue;
    const languageManifests = new Map([...manifests].filter(([path]) => language.isManifest(path)));
    resolutions.push(language.resolve({ repository: options.repository.name, files: languageFiles, manifests: languageManifests }));
  }

  for (const resolution of resolutions) {
    for (const file of files) {
      const module = resolution.fileModules.get(file.path);
      if (module) file.module = module;
    }
  }

  options.signal?.throwIfAborted();
  progress({ phase: 'writing', done: 0, total: 1 });
  const writer = await store.beginGraph(options.repository, commit, INDEXER_VERSION);
  try {
    await writer.addFiles(files);
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
    for (const resolution of resolutions) {
      await writer.addSymbols(resolution.symbols);
      stats.symbols += resolution.symbols.length;
    }
    for (const resolution of resolutions) {
      await writer.addEdges(resolution.edges);
      await writer.addUnresolved(resolution.unresolved);
      await writer.addExternalRefs(resolution.externalRefs);
      await writer.addDiagnostics(resolution.diagnostics);
      await writer.addModules(resolution.modules, resolution.dependencies);
      stats.edges += resolution.edges.length;
      stats.unresolved += resolution.unresolved.length;
      stats.externalRefs += resolution.externalRefs.length;
      stats.diagnostics += resolution.diagnostics.length;
    }
    await writer.addDiagnostics(diagnostics);
    stats.durationMs = Math.round(performance.now() - started);
    options.signal?.throwIfAborted();
    const graph = await writer.publish(stats);
    progress({ phase: 'done', done: 1, total: 1 });
    return { graph, stats, cachedFiles };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

interface ReadEntry {
  file: FileRecord;
  bytes?: Buffer;
  language?: LanguageSupport;
}

async function readEntry(
  entry: SourceEntry,
  source: RepositorySource,
  cas: ContentStore,
  limits: Limits,
  diagnostics: Diagnostic[],
): Promise<ReadEntry> {
  const early = classifyEntry(entry.size, entry.symlinkTarget, limits);
  if (early) {
    return { file: { path: entry.path, blob: '', size: entry.size, skipReason: early.skipReason, skipDetail: early.detail } };
  }
  let bytes: Buffer;
  try {
    bytes = await source.read(entry);
  } catch (error) {
    diagnostics.push({ file: entry.path, severity: 'error', message: `unreadable: ${(error as Error).message}` });
    return { file: { path: entry.path, blob: '', size: entry.size, skipReason: 'unreadable' } };
  }
  const blob = await cas.put(bytes);
  const classification = classifyContent(entry.path, bytes, limits);
  const file: FileRecord = { path: entry.path, blob, size: bytes.length };
  if (classification.action === 'parse') {
    file.language = classification.language.id;
    file.lines = countLines(bytes);
    return { file, bytes, language: classification.language };
  }
  file.skipReason = classification.skipReason;
  if (classification.detail) file.skipDetail = classification.detail;
  if (classification.skipReason !== 'binary') file.lines = countLines(bytes);
  return { file, bytes };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A plain directory's stand-in for a commit: a hash of its paths and contents. */
function directoryIdentity(files: FileRecord[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\0${file.blob}\n`);
  return `dir-${hash.digest('hex').slice(0, 36)}`;
}
