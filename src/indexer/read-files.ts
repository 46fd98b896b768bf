/**
 * The reading phase: every entry of a source → a FileRecord (its bytes in
 * the CAS), manifests as text, and facts per parsed file — from the
 * extraction cache when the blob was seen before, else from the extractor
 * (a pool of worker threads for large repositories).
 *
 * Files are streamed in chunks; a bounded number of extractions is in
 * flight, so memory holds facts, not the repository's bytes.
 */
import { availableParallelism } from 'node:os';
import { sha256Hex, type ContentStore } from '../cas/content-store.js';
import type { Diagnostic, FileRecord } from '../model/graph.js';
import type { ExtractDiagnostic, LanguageSupport } from '../languages/language.js';
import { LANGUAGES, languageById, languageFor } from '../languages/registry.js';
import { extractionKey, type CachedExtraction, type ExtractionKey, type GraphStore } from '../store/graph-store.js';
import { classifyContent, classifyEntry, countLines, type Limits } from './classify.js';
import { extractionPool, inlineExtractor, lazyExtractor, type ExtractOutcome, type Extractor } from './extract-pool.js';
import type { Progress } from './index-repository.js';
import { cutApart, headFacts, type LocalRef, type Spill, type SpillRef } from './spill.js';
import type { RepositorySource, SourceEntry } from './source.js';

export interface ParsedFile {
  path: string;
  blob: string;
  language: LanguageSupport;
  facts: unknown;
  /** Where each of the file's local facts waits (ReadOptions.spill, or the extraction cache); `facts` then holds them as empty arrays. */
  local?: Map<string, LocalRef>;
  /** Where the facts themselves wait in the spill, local fields left out (LanguageSupport.factsReadBack). */
  factsAt?: SpillRef;
}

export interface ReadResult {
  files: FileRecord[];
  parsed: ParsedFile[];
  manifests: Map<string, string>;
  diagnostics: Diagnostic[];
  bytes: number;
  lines: number;
  cachedFiles: number;
}

export interface ReadOptions {
  source: RepositorySource;
  store: GraphStore;
  cas: ContentStore;
  limits: Limits;
  progress: (progress: Progress) => void;
  /** Extraction threads (this one and workers, see extractionPool): 0 extracts in this thread alone; by default one per core when there are more than INLINE_BYTES to parse. */
  threads?: number;
  /** Checked between chunks: an aborted index stops reading. */
  signal?: AbortSignal;
  /**
   * Files of the repository's previous graph: an entry whose fingerprint is
   * unchanged takes the previous record without being read or hashed.
   */
  previous?: { files: Map<string, FileRecord>; indexedAt: number };
  /**
   * Facts kept in memory between indexes by a long-running process (watch),
   * keyed like the extraction cache; spares reading and parsing them again.
   * Resolvers never change what facts say (shareScopes only swaps arrays
   * for equal ones), so sharing them across runs is safe. With
   * `memoInCache`, a file's local facts are not kept: its entry points at
   * them in the extraction cache, as an incremental index's files do.
   */
  memo?: FactsMemo;
  /** Where to keep the local facts of languages that declare some (LanguageSupport.localFacts) until resolution. */
  spill?: Spill;
  /**
   * Leave the local facts of files whose facts come from the extraction
   * cache there (ParsedFile.local then points into the cache's rows) rather
   * than copying them to the spill: for an index that reads back few of
   * them (one on a previous graph) from a store that reads rows
   * synchronously (GraphStore.readExtraction).
   */
  cachedLocal?: boolean;
  /**
   * The memo keeps files' local facts in the extraction cache, not in
   * memory (the store reads rows synchronously, and there is a spill for
   * this index's own): watch's memory is then the repository's heads.
   */
  memoInCache?: boolean;
}

export type FactsMemo = Map<string, FactsMemoEntry>;

export interface FactsMemoEntry {
  facts: unknown;
  diagnostics: ExtractDiagnostic[];
  /** Where the local facts are in the extraction cache (never the spill, which lasts one index); `facts` then holds them as empty arrays. */
  local?: Map<string, LocalRef>;
}

const CHUNK = 128;
const MAX_IN_FLIGHT = 512;
/**
 * Blobs and extraction-cache rows are written in batches of about this many
 * bytes or rows, one transaction each. Why not one per chunk of files: each
 * commit rewrites every page its inserts touched, and keys are hashes, so a
 * batch touches pages all over the key index. With 30,000 small files a
 * commit per 128 files (and per 256 cache rows) made ~350 commits that took
 * ~2.8 s; few large batches touch each page once.
 */
const BATCH_BYTES = 4 << 20;
const BATCH_ROWS = 4096;
/**
 * Below this many bytes of source to parse, extraction stays in this
 * thread. Each worker costs a start (loading the extractors and grammars)
 * and compiles the extractors again, and its facts come back as JSON to
 * parse; on this machine's two cores, extraction in this thread was faster
 * up to a few megabytes (`npm run bench`, medians of three: runc without
 * vendor/ 0.9 MB 1.28 s against 1.54 s in workers, a generated 1.6 MB
 * 2.01 s against 2.15 s, zod 3.6 MB 3.14 s against 3.52 s; pygments 4.1 MB
 * 2.36 s against 2.10 s, Debian's Go 6.9 MB even, runc 12.9 MB 6.97 s
 * against 5.69 s).
 */
export const INLINE_BYTES = 4_000_000;

export function extractorKey(language: LanguageSupport, dialect: string): string {
  return `${language.id}/${dialect}@${language.extractorVersion}`;
}

/** Bytes of the files a full index would parse: what decides whether it is large (INLINE_BYTES). */
export function bytesToParse(entries: readonly SourceEntry[], limits: Limits): number {
  let toParse = 0;
  for (const entry of entries) {
    if (entry.symlinkTarget === undefined && entry.size <= limits.maxParseBytes && languageFor(entry.path)) toParse += entry.size;
  }
  return toParse;
}

export async function readFiles(options: ReadOptions): Promise<ReadResult> {
  const { source, store, cas, limits } = options;
  const entries = source.entries;
  const toParse = bytesToParse(entries, limits);
  const threads = options.threads ?? (toParse > INLINE_BYTES ? availableParallelism() : 0);
  // A fresh index parses every file: the workers start now. One that builds on a previous graph or on
  // facts kept in memory usually parses a few: they start only if many turn out to need parsing.
  const fewToParse = options.threads === undefined && (options.previous !== undefined || (options.memo?.size ?? 0) > 0);
  const extractor: Extractor = threads === 0 ? inlineExtractor() : fewToParse ? lazyExtractor(threads, INLINE_BYTES) : extractionPool(threads);

  const result: ReadResult = { files: [], parsed: [], manifests: new Map(), diagnostics: [], bytes: 0, lines: 0, cachedFiles: 0 };
  // Slots keep parsed files in entry order whatever order extractions finish in.
  const slots: Array<ParsedFile | undefined> = [];
  const diagnosticSlots: Array<Diagnostic[] | undefined> = [];
  const inFlight: Array<Promise<void>> = [];
  let fresh: CachedExtraction[] = [];
  let freshBytes = 0;
  /** Memo entries whose local facts are rows not yet stored (memoInCache): remembered once they are. */
  const remembering: Array<[string, FactsMemoEntry]> = [];
  /**
   * The previous batch of blobs being stored while more are read and
   * extracted (a store that writes asynchronously, PostgreSQL's, overlaps
   * the two; at most two batches' bytes are held, plus a chunk: a file
   * larger than a batch is a batch of its own). Everything is stored, and
   * synced (ContentStore.sync), before readFiles returns, so before any
   * graph naming these blobs can be published.
   */
  let storing: Promise<unknown> = Promise.resolve();
  /** Bytes read and not yet handed to the CAS: a batch of about BATCH_BYTES (or BATCH_ROWS blobs). */
  let toStore: Buffer[] = [];
  let toStoreBytes = 0;

  try {
    for (let start = 0; start < entries.length; start += CHUNK) {
      options.signal?.throwIfAborted();
      const chunk = entries.slice(start, start + CHUNK);
      // Whether the CAS still holds the blobs of the chunk's unchanged files, asked at once (one round trip to PostgreSQL).
      const knownBlobs = chunk.flatMap((entry) => unchanged(entry, options.previous)?.blob ?? []);
      const stored = knownBlobs.length > 0 ? await cas.hasMany(knownBlobs) : NONE_STORED;
      const read = await Promise.all(chunk.map((entry) => readEntry(entry, source, stored, limits, result.diagnostics, options.previous)));
      for (const item of read) {
        if (!item.store) continue;
        toStore.push(item.store);
        toStoreBytes += item.store.length;
      }
      if (toStoreBytes >= BATCH_BYTES || toStore.length >= BATCH_ROWS) {
        await storing;
        storing = cas.putMany(toStore);
        // Awaited later; a failure must not go unhandled meanwhile (the await still throws it).
        storing.catch(() => undefined);
        toStore = [];
        toStoreBytes = 0;
      }
      const tasks: Array<{ slot: number; file: FileRecord; language: LanguageSupport; dialect: string; key: string; bytes: () => Promise<Buffer> }> = [];
      for (const item of read) {
        result.files.push(item.file);
        if (!item.bytes) continue;
        result.bytes += item.file.size;
        if (item.file.lines !== undefined) result.lines += item.file.lines;
        // Manifests (go.mod, package.json, …) reach their language's resolver as text.
        if (item.file.skipReason !== 'binary' && LANGUAGES.some((language) => language.isManifest(item.file.path))) {
          result.manifests.set(item.file.path, (await item.bytes()).toString('utf8'));
        }
        if (item.language) {
          const dialect = item.language.dialectOf(item.file.path);
          tasks.push({
            slot: slots.push(undefined) - 1,
            file: item.file,
            language: item.language,
            dialect,
            key: extractorKey(item.language, dialect),
            bytes: item.bytes,
          });
          diagnosticSlots.push(undefined);
        }
      }
      const memo = options.memo;
      const unknown = memo ? tasks.filter((task) => !memo.has(extractionKey({ extractor: task.key, blob: task.file.blob }))) : tasks;
      // Left in the cache, local facts need not be read now: the rows' heads are enough (GraphStore.getExtractions).
      const cached = await store.getExtractions(
        unknown.map((task) => ({ blob: task.file.blob, extractor: task.key })),
        options.cachedLocal ? { heads: true } : {},
      );
      for (const task of tasks) {
        const memoKey = extractionKey({ extractor: task.key, blob: task.file.blob });
        const remembered = memo?.get(memoKey);
        if (remembered) {
          result.cachedFiles++;
          diagnosticSlots[task.slot] = remembered.diagnostics.map((diagnostic) => ({ ...diagnostic, file: task.file.path }));
          if (remembered.facts !== undefined) {
            slots[task.slot] = { path: task.file.path, blob: task.file.blob, language: task.language, facts: remembered.facts, ...(remembered.local ? { local: remembered.local } : {}) };
          }
          continue;
        }
        const hit = cached.get(memoKey);
        const settle = (outcome: ExtractOutcome, fromCache = false): void => {
          diagnosticSlots[task.slot] = outcome.diagnostics.map((diagnostic) => ({ ...diagnostic, file: task.file.path }));
          const localFacts = task.language.localFacts;
          if (options.spill && localFacts && outcome.factsJson !== undefined) {
            const cut = fromCache && options.cachedLocal ? cutApart(outcome.factsJson, outcome.localAt ?? []) : undefined;
            const cachedKey = { blob: task.file.blob, extractor: task.key };
            if (cut) {
              const refs = inCache(cachedKey, cut.parts.keys());
              for (const key of localFacts) cut.facts[key] = [];
              slots[task.slot] = { path: task.file.path, blob: task.file.blob, language: task.language, facts: cut.facts, local: refs };
              memo?.set(memoKey, { facts: cut.facts, diagnostics: outcome.diagnostics, local: refs });
              return;
            }
            const { facts, local, head } = splitFacts(outcome, localFacts);
            const spill = options.spill;
            const refs = new Map([...local].map(([key, json]) => [key, spill.append(json)] as const));
            slots[task.slot] = { path: task.file.path, blob: task.file.blob, language: task.language, facts, local: refs };
            if (task.language.factsReadBack) slots[task.slot]!.factsAt = spill.append(head ?? JSON.stringify(facts));
            // Remembered once the row is in the cache (the end of reading): the spill lasts this index only.
            if (memo && options.memoInCache) {
              remembering.push([memoKey, { facts, diagnostics: outcome.diagnostics, local: inCache(cachedKey, local.keys()) }]);
            }
            return;
          }
          const facts = outcome.factsJson === undefined ? undefined : (JSON.parse(outcome.factsJson) as unknown);
          if (facts !== undefined) slots[task.slot] = { path: task.file.path, blob: task.file.blob, language: task.language, facts };
          memo?.set(memoKey, { facts, diagnostics: outcome.diagnostics });
        };
        if (hit?.head) {
          // Only the facts before the local ones were read; those stay in the cache, each field read back by name
          // if the file is resolved (a field the row lacks reads as nothing). A head that does not parse: extracted again.
          const localFacts = task.language.localFacts;
          let facts: Record<string, unknown> | undefined;
          try {
            facts = localFacts ? headFacts(hit.facts!, hit.localAt!) : undefined;
          } catch {
            facts = undefined;
          }
          if (localFacts && facts) {
            result.cachedFiles++;
            const diagnostics = JSON.parse(hit.diagnostics) as ExtractDiagnostic[];
            diagnosticSlots[task.slot] = diagnostics.map((diagnostic) => ({ ...diagnostic, file: task.file.path }));
            for (const key of localFacts) facts[key] = [];
            const refs = inCache({ blob: task.file.blob, extractor: task.key }, localFacts);
            slots[task.slot] = { path: task.file.path, blob: task.file.blob, language: task.language, facts, local: refs };
            memo?.set(memoKey, { facts, diagnostics, local: refs });
            continue;
          }
        } else if (hit) {
          result.cachedFiles++;
          const outcome: ExtractOutcome = { factsJson: hit.facts, diagnostics: JSON.parse(hit.diagnostics) as ExtractDiagnostic[] };
          if (hit.localAt) outcome.localAt = hit.localAt;
          settle(outcome, true);
          continue;
        }
        const extracted = task.bytes().then((bytes) => extractor.extract({ languageId: task.language.id, dialect: task.dialect, bytes }));
        const extraction = extracted.then((outcome) => {
          settle(outcome);
          const row: CachedExtraction = {
            blob: task.file.blob,
            extractor: task.key,
            facts: outcome.factsJson,
            diagnostics: JSON.stringify(outcome.diagnostics),
          };
          if (outcome.localAt) row.localAt = outcome.localAt;
          fresh.push(row);
          freshBytes += outcome.factsJson?.length ?? 0;
        });
        // Awaited below; a failure must not go unhandled meanwhile.
        extraction.catch(() => undefined);
        inFlight.push(extraction);
      }
      // Room for the next chunk: the oldest extractions are waited for, not all of them, so that the
      // threads have work while this one reads on (waiting for all left them idle at each wait's end).
      if (inFlight.length >= MAX_IN_FLIGHT) await Promise.all(inFlight.splice(0, inFlight.length - (MAX_IN_FLIGHT - CHUNK)));
      if (freshBytes >= BATCH_BYTES || fresh.length >= BATCH_ROWS) {
        await store.putExtractions(fresh);
        fresh = [];
        freshBytes = 0;
      }
      options.progress({ phase: 'reading', done: Math.min(start + CHUNK, entries.length), total: entries.length });
    }
    await Promise.all(inFlight);
    if (fresh.length > 0) await store.putExtractions(fresh);
    for (const [key, entry] of remembering) options.memo!.set(key, entry);
    await storing;
    if (toStore.length > 0) await cas.putMany(toStore);
    // Durable before any graph naming these blobs can be published.
    await cas.sync();
  } finally {
    await storing.catch(() => undefined);
    await extractor.close();
  }
  for (const slot of slots) if (slot) result.parsed.push(slot);
  for (const list of diagnosticSlots) if (list) result.diagnostics.push(...list);
  return result;
}

/**
 * A file's facts without its local fields (each left as an empty array),
 * and each of those fields as its own JSON object text, `{"calls":[…]}`:
 * a resolver reads back only the fields it needs at the time. Facts
 * extracted with `localAt` are cut apart as text: only the part kept in
 * memory is parsed.
 */
function splitFacts(
  outcome: ExtractOutcome,
  localFacts: readonly string[],
): { facts: Record<string, unknown>; local: Map<string, string>; head?: string } {
  const json = outcome.factsJson!;
  const local = new Map<string, string>();
  let facts: Record<string, unknown>;
  let head: string | undefined;
  const cut = outcome.localAt !== undefined ? cutApart(json, outcome.localAt) : undefined;
  if (cut) {
    facts = cut.facts;
    head = cut.head;
    for (const [key, [start, end]] of cut.parts) local.set(key, `{${json.slice(start, end)}}`);
  } else {
    // Facts without both parts, or a cache row without offsets (or with offsets that do not fit its
    // text): parsed whole, the local fields written back as text.
    facts = JSON.parse(json) as Record<string, unknown>;
    for (const key of localFacts) if (key in facts) local.set(key, JSON.stringify({ [key]: facts[key] }));
  }
  for (const key of localFacts) facts[key] = [];
  return head === undefined ? { facts, local } : { facts, local, head };
}

interface ReadEntry {
  file: FileRecord;
  /** The file's bytes, read now or (for an unchanged file) on demand; absent for files that were not stored. */
  bytes?: () => Promise<Buffer>;
  language?: LanguageSupport;
  /** Bytes the CAS does not have yet: stored with the rest of the chunk. */
  store?: Buffer;
}

const NONE_STORED: ReadonlySet<string> = new Set();

/** Where each of `fields` waits in the extraction cache's row `key`. */
function inCache(key: ExtractionKey, fields: Iterable<string>): Map<string, LocalRef> {
  return new Map([...fields].map((field): [string, LocalRef] => [field, { cached: key, field }]));
}

/** Timestamps on disk within this margin of the previous index are not trusted (a write in the same tick). */
const RACY_MARGIN_MS = 2000;

function unchanged(entry: SourceEntry, previous: ReadOptions['previous']): FileRecord | undefined {
  const record = previous?.files.get(entry.path);
  if (!record || !record.blob || !entry.fingerprint || record.fingerprint !== entry.fingerprint) return undefined;
  if (entry.fingerprint.startsWith('stat:')) {
    const mtime = Number(entry.fingerprint.split(':')[2]);
    if (!(mtime < previous!.indexedAt - RACY_MARGIN_MS)) return undefined;
  }
  return record;
}

async function readEntry(
  entry: SourceEntry,
  source: RepositorySource,
  /** The blobs of unchanged files the CAS holds (ContentStore.hasMany). */
  stored: ReadonlySet<string>,
  limits: Limits,
  diagnostics: Diagnostic[],
  previous: ReadOptions['previous'],
): Promise<ReadEntry> {
  const early = classifyEntry(entry.size, entry.symlinkTarget, limits);
  if (early) {
    return { file: { path: entry.path, blob: '', size: entry.size, skipReason: early.skipReason, skipDetail: early.detail } };
  }
  const known = unchanged(entry, previous);
  if (known && stored.has(known.blob)) {
    // The module is the resolver's to decide again.
    const { module: _module, ...file } = known;
    let loaded: Promise<Buffer> | undefined;
    const bytes = (): Promise<Buffer> => (loaded ??= source.read(entry));
    const language = file.language !== undefined && !file.skipReason ? languageById(file.language) : undefined;
    return language ? { file, bytes, language } : { file, bytes };
  }
  let bytes: Buffer;
  try {
    bytes = await source.read(entry);
  } catch (error) {
    diagnostics.push({ file: entry.path, severity: 'error', message: `unreadable: ${(error as Error).message}` });
    return { file: { path: entry.path, blob: '', size: entry.size, skipReason: 'unreadable' } };
  }
  // Stored by the caller with the rest of its chunk (ReadEntry.store); the address is known now.
  const blob = sha256Hex(bytes);
  const classification = classifyContent(entry.path, bytes, limits);
  const file: FileRecord = { path: entry.path, blob, size: bytes.length };
  if (entry.fingerprint) file.fingerprint = entry.fingerprint;
  const read = async (): Promise<Buffer> => bytes;
  if (classification.action === 'parse') {
    file.language = classification.language.id;
    file.lines = countLines(bytes);
    return { file, bytes: read, language: classification.language, store: bytes };
  }
  file.skipReason = classification.skipReason;
  if (classification.detail) file.skipDetail = classification.detail;
  if (classification.skipReason !== 'binary') file.lines = countLines(bytes);
  return { file, bytes: read, store: bytes };
}
