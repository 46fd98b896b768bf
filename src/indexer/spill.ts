/**
 * Scratch space for facts an index does not need until late: the local
 * facts of each file (LanguageSupport.localFacts — Go's call sites and
 * local bindings, about 60% of its facts) are appended here as JSON while
 * files are read and read back one file at a time while its calls are
 * resolved. A full index of a large repository then holds only the facts
 * every file's resolution can consult (declarations, imports).
 *
 * The file is unlinked as soon as it is opened: nothing is left behind
 * when the process dies, and nothing outside the scratch directory is
 * touched. Reads and writes are synchronous — small, to the page cache, and
 * the reader is a synchronous resolver.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredFacts } from '../languages/language.js';
import type { ExtractionKey } from '../store/graph-store.js';

export interface SpillRef {
  offset: number;
  length: number;
}

/** A local fact left in the extraction cache: the field `field` of the row's facts, found by its localAt when read. */
export interface CachedRef {
  cached: ExtractionKey;
  field: string;
}

/** A cache row as read back for its local facts (GraphStore.readExtraction). */
export type CachedRow = { facts: string; localAt?: number[] };

/** Where one local fact of a file waits: in the spill, or in the extraction cache. */
export type LocalRef = SpillRef | CachedRef;

/** Appends are gathered up to this many bytes before one write. */
const BLOCK = 1 << 20;
/**
 * Reads take a window of this many bytes, and the last two windows are
 * kept: a resolver reads one file's fields in the order they were appended
 * (one window serves many files) while it also reads other files'
 * declarations out of order (go/decl-cache.ts), which must neither cost a
 * large read each nor throw the first window away.
 */
const READ_BLOCK = 64 << 10;

interface Window {
  start: number;
  bytes: Buffer;
}

/** The local fields of a file whose local facts lie at `local` (field → where), read by `read` (StoredFileFacts.loadLocal). */
export function localLoader(read: (ref: LocalRef) => string, local: ReadonlyMap<string, LocalRef>): (fields: readonly string[]) => Record<string, unknown> {
  const stored = new StoredFileFacts({ read, spill: undefined, row: undefined, localFacts: [] }, local, undefined);
  return (fields) => stored.loadLocal(fields);
}

/** What reads the stored facts of one language's files back in one index (shared by their StoredFileFacts). */
export interface FactsPlace {
  /** Reads one local fact (localReader). */
  read: (ref: LocalRef) => string;
  spill: Spill | undefined;
  /** Reads a row of the extraction cache, when the store can at once (GraphStore.readExtraction). */
  row: ((key: ExtractionKey) => CachedRow | undefined) | undefined;
  /** The language's local fields (LanguageSupport.localFacts): empty arrays in facts read back. */
  localFacts: readonly string[];
}

/**
 * A file's facts kept out of memory (ResolveFile.stored): its local fields
 * where `local` says, and the rest in the spill (`at`, a fresh extraction)
 * or in an extraction-cache row (`at`, a row key: an incremental index's
 * unchanged file; read from the text before its local fields, or whole
 * when the row's offsets do not fit — what the reading phase made of the
 * row's head). One object a file, its methods shared, which Go's FileInfo
 * keeps: the closures it replaced (two here, two in Go's declaration
 * cache) with their contexts, and a map of references, were ~600 bytes a
 * file.
 */
export class StoredFileFacts implements StoredFacts<Record<string, unknown>> {
  /**
   * Where the local fields are: in the spill, offset and length a field in
   * `place.localFacts`' order (-1: the file has none); or the cache row
   * whose fields they are; or, for anything else, the map read made. Not
   * the map itself, for most files: with its references it was ~250 bytes.
   */
  private readonly local: number[] | ExtractionKey | ReadonlyMap<string, LocalRef>;

  constructor(
    private readonly place: FactsPlace,
    local: ReadonlyMap<string, LocalRef>,
    private readonly at: SpillRef | ExtractionKey | undefined,
  ) {
    this.local = compactLocal(place.localFacts, local);
  }

  get factsReadBack(): boolean {
    return this.at !== undefined;
  }

  loadLocal(fields: readonly string[]): Record<string, unknown> {
    const loaded: Record<string, unknown> = {};
    for (const field of fields) {
      const ref = this.refOf(field);
      if (ref) Object.assign(loaded, JSON.parse(this.place.read(ref)) as Record<string, unknown>);
    }
    return loaded;
  }

  private refOf(field: string): LocalRef | undefined {
    const local = this.local;
    if (Array.isArray(local)) {
      const at = this.place.localFacts.indexOf(field);
      return at < 0 || local[2 * at]! < 0 ? undefined : { offset: local[2 * at]!, length: local[2 * at + 1]! };
    }
    // A field the row lacks reads as nothing (localReader).
    if ('blob' in local) return { cached: local as ExtractionKey, field };
    return (local as ReadonlyMap<string, LocalRef>).get(field);
  }

  loadFacts(): Record<string, unknown> {
    const at = this.at;
    if (at === undefined) throw new Error('no facts of this file to read back');
    let facts: Record<string, unknown>;
    if ('offset' in at) {
      if (!this.place.spill) throw new Error('facts left in the spill, and no spill');
      facts = JSON.parse(this.place.spill.read(at)) as Record<string, unknown>;
    } else {
      const row = this.place.row?.(at);
      if (row === undefined) throw new Error(`the extraction cache no longer holds the facts of blob ${at.blob}`);
      facts = cutApart(row.facts, row.localAt ?? [])?.facts ?? (JSON.parse(row.facts) as Record<string, unknown>);
    }
    for (const field of this.place.localFacts) facts[field] = [];
    return facts;
  }
}

/** StoredFileFacts' form of a file's local fields (see there). */
function compactLocal(localFacts: readonly string[], local: ReadonlyMap<string, LocalRef>): number[] | ExtractionKey | ReadonlyMap<string, LocalRef> {
  let row: ExtractionKey | undefined;
  let spilled = 0;
  for (const [field, ref] of local) {
    if ('cached' in ref) {
      if (ref.field !== field || (row && (row.blob !== ref.cached.blob || row.extractor !== ref.cached.extractor))) return local;
      row = ref.cached;
    } else if (localFacts.includes(field)) spilled++;
    else return local;
  }
  if (row) return spilled === 0 ? row : local;
  const places = new Array<number>(2 * localFacts.length).fill(-1);
  localFacts.forEach((field, i) => {
    const ref = local.get(field) as SpillRef | undefined;
    if (ref) {
      places[2 * i] = ref.offset;
      places[2 * i + 1] = ref.length;
    }
  });
  return places;
}

/** The extraction-cache row a file's local facts point into, when they do. */
export function cachedRowOf(local: ReadonlyMap<string, LocalRef>): ExtractionKey | undefined {
  for (const ref of local.values()) if ('cached' in ref) return ref.cached;
  return undefined;
}

/**
 * Reads a local fact from the spill or from the extraction cache (`cache`,
 * a synchronous read of a row). The last row read is kept, cut at its
 * offsets: a file's fields are read together. A field the row lacks reads
 * as nothing; a row whose offsets do not fit its text is parsed whole; a
 * row the cache no longer holds fails the index (rows are never changed or
 * removed while one runs).
 */
export function localReader(spill: Spill, cache?: (key: ExtractionKey) => CachedRow | undefined): (ref: LocalRef) => string {
  let last: { key: ExtractionKey; text: string; parts: Map<string, [number, number]> | undefined; whole?: Record<string, unknown> } | undefined;
  return (ref) => {
    if (!('cached' in ref)) return spill.read(ref);
    if (!cache) throw new Error('local facts left in the extraction cache, and no way to read it');
    if (!last || last.key.blob !== ref.cached.blob || last.key.extractor !== ref.cached.extractor) {
      const row = cache(ref.cached);
      if (row === undefined) throw new Error(`the extraction cache no longer holds the facts of blob ${ref.cached.blob}`);
      last = { key: ref.cached, text: row.facts, parts: partsAt(row.facts, row.localAt ?? []) };
    }
    const part = last.parts?.get(ref.field);
    if (part) return `{${last.text.slice(part[0], part[1])}}`;
    if (last.parts) return '{}';
    last.whole ??= JSON.parse(last.text) as Record<string, unknown>;
    return ref.field in last.whole ? JSON.stringify({ [ref.field]: last.whole[ref.field] }) : '{}';
  };
}

/**
 * The facts text cut at the offsets where its local fields start: the rest
 * parsed (`facts`, from the text `head`), and where each local field's
 * `"name":value` lies; undefined when there are no offsets or they do not
 * fit the text.
 */
export function cutApart(
  json: string,
  at: readonly number[],
): { facts: Record<string, unknown>; head: string; parts: Map<string, [number, number]> } | undefined {
  const parts = partsAt(json, at);
  if (!parts) return undefined;
  try {
    const head = headText(json, at);
    return { facts: parseHead(head), head, parts };
  } catch {
    return undefined;
  }
}

/** Where each local field's `"name":value` lies in the facts text (its head left unparsed); undefined when the offsets do not fit. */
function partsAt(json: string, at: readonly number[]): Map<string, [number, number]> | undefined {
  if (at.length === 0) return undefined;
  const parts = new Map<string, [number, number]>();
  for (let i = 0; i < at.length; i++) {
    const start = at[i]!;
    const end = i + 1 < at.length ? at[i + 1]! - 1 : json.length - 1;
    const part = json.slice(start, end);
    let key: unknown;
    try {
      key = JSON.parse(part.slice(0, part.indexOf(':')));
    } catch {
      return undefined;
    }
    if (typeof key !== 'string') return undefined;
    parts.set(key, [start, end]);
  }
  return parts;
}

/** The facts before the first local field (`json` may end there: a cache row's head); throws when they are not an object's fields. */
export function headFacts(json: string, at: readonly number[]): Record<string, unknown> {
  return parseHead(headText(json, at));
}

/** The facts before the first local field, as the text of an object. */
function headText(json: string, at: readonly number[]): string {
  return `${json.slice(0, at[0]! - 1)}}`;
}

function parseHead(head: string): Record<string, unknown> {
  const facts: unknown = JSON.parse(head);
  if (facts === null || typeof facts !== 'object' || Array.isArray(facts)) throw new Error('not an object');
  return facts as Record<string, unknown>;
}

export class Spill {
  private readonly fd: number;
  private size = 0;
  private closed = false;
  /** Appended and not yet written: what lies past `written`. */
  private pending: Buffer[] = [];
  private written = 0;
  /** The last two blocks read, the most recently used first. */
  private windows: Window[] = [];

  constructor(scratchDir: string = tmpdir()) {
    const directory = mkdtempSync(join(scratchDir, 'graphhub-spill-'));
    try {
      this.fd = openSync(join(directory, 'facts'), 'w+', 0o600);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  /**
   * Why in blocks: a write per call cost a repository of 30,000 small files
   * ~90,000 system calls (several local fields per file), and as many reads.
   */
  append(text: string): SpillRef {
    if (this.closed) throw new Error('spill used after close');
    const bytes = Buffer.from(text, 'utf8');
    const ref = { offset: this.size, length: bytes.length };
    this.pending.push(bytes);
    this.size += bytes.length;
    if (this.size - this.written >= BLOCK) this.flush();
    return ref;
  }

  read(ref: SpillRef): string {
    if (this.closed) throw new Error('spill used after close');
    if (ref.offset < 0 || ref.length < 0 || ref.offset + ref.length > this.size) throw new Error('spill reference out of range');
    if (ref.offset + ref.length > this.written) this.flush();
    for (let i = 0; i < this.windows.length; i++) {
      const window = this.windows[i]!;
      if (ref.offset >= window.start && ref.offset + ref.length <= window.start + window.bytes.length) {
        if (i > 0) this.windows = [window, this.windows[0]!];
        return window.bytes.toString('utf8', ref.offset - window.start, ref.offset - window.start + ref.length);
      }
    }
    const length = Math.max(ref.length, Math.min(READ_BLOCK, this.written - ref.offset));
    const bytes = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const got = readSync(this.fd, bytes, read, length - read, ref.offset + read);
      if (got === 0) throw new Error('spill file ended early');
      read += got;
    }
    this.windows = [{ start: ref.offset, bytes }, ...this.windows.slice(0, 1)];
    return bytes.toString('utf8', 0, ref.length);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.windows = [];
    closeSync(this.fd);
  }

  private flush(): void {
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    this.written += bytes.length;
    this.pending = [];
  }
}
