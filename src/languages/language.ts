/**
 * What a language brings to graphhub: how to pull facts out of one file
 * (extraction, cached by blob) and how to turn the facts of a whole
 * repository into symbols and edges (resolution).
 *
 * API boundary: extraction sees only a file's text — never its path or its
 * neighbours — so the facts of a blob are the same wherever the blob appears
 * and can be cached by its address. Everything that depends on paths,
 * packages and imports happens in `resolve`.
 */
import type {
  DependencyRecord,
  Diagnostic,
  EdgeRecord,
  ExternalRef,
  ModuleRecord,
  SymbolRecord,
  UnresolvedCall,
} from '../model/graph.js';
import type { CompactOptions } from './compact-tree.js';
import type { Grammar } from './tree-sitter.js';

export interface ExtractDiagnostic {
  severity: Diagnostic['severity'];
  message: string;
  line?: number;
  col?: number;
}

export interface Extraction<Facts> {
  /** JSON-serialisable facts; undefined when the file could not be read at all. */
  facts: Facts | undefined;
  diagnostics: ExtractDiagnostic[];
}

export interface ResolveFile<Facts> {
  path: string;
  blob: string;
  facts: Facts;
  /**
   * Present when the index keeps this file's local facts (`localFacts`) out
   * of memory: `facts` then holds each of those fields as an empty array,
   * and this reads them back (StoredFacts). A resolver may keep this object
   * (one a file; it holds no facts) and let `facts` go.
   */
  stored?: StoredFacts<Facts>;
}

/** Reads a file's facts back from where the index keeps them (ResolveFile.stored). */
export interface StoredFacts<Facts> {
  /**
   * The local fields named, read back: a resolver calls it when it needs
   * them for this file and lets go of the result afterwards.
   */
  loadLocal(fields: readonly string[]): Partial<Facts>;
  /**
   * Whether loadFacts can read the facts themselves back (for a language
   * with `factsReadBack`): a resolver may then let them go once it has read
   * what it keeps of them.
   */
  readonly factsReadBack: boolean;
  /** The facts, local fields as empty arrays (as `facts` has them), parsed afresh at each call; throws unless factsReadBack. */
  loadFacts(): Facts;
}

/**
 * Reads one local fact of a file: back from where the index keeps it
 * (ResolveFile.stored), or from its facts when they are all in memory.
 * Made once per resolution from its input files, for resolved files that
 * carry the same facts.
 */
export function localFactReader<Facts>(
  inputs: ReadonlyArray<ResolveFile<Facts>>,
): <K extends keyof Facts & string>(file: { path: string; facts: Facts }, field: K) => Facts[K] {
  const stores = new Map(inputs.map((input) => [input.path, input.stored]));
  return (file, field) => {
    const stored = stores.get(file.path);
    // A field the file had none of is not in the spill: its facts hold it as an empty array.
    return (stored ? stored.loadLocal([field])[field] : undefined) ?? file.facts[field];
  };
}

/** A file that differs from the previous graph of the repository: added, removed or modified. */
export interface FileChange<Facts> {
  path: string;
  /** Facts of the previous version; undefined when the file is new (or had none). */
  before?: Facts;
  /** Facts of the new version; undefined when the file was removed. */
  after?: Facts;
}

export interface ResolveInput<Facts> {
  /** Canonical repository name, e.g. github.com/opencontainers/runc. */
  repository: string;
  files: ResolveFile<Facts>[];
  /** Text of the repository's manifest files this language asked for (see `isManifest`). */
  manifests: Map<string, string>;
  /**
   * Present when the repository's previous graph can be reused: what changed
   * since. A language that supports incremental resolution resolves only the
   * files the changes can affect and says which in `resolvedFiles`; one that
   * does not ignores this and resolves everything.
   */
  changes?: FileChange<Facts>[];
}

/** Resolved calls: of one file, or of several. */
export interface CallBatch {
  edges: EdgeRecord[];
  unresolved: UnresolvedCall[];
  externalRefs: ExternalRef[];
}

export interface Resolution extends CallBatch {
  symbols: SymbolRecord[];
  /**
   * Symbols made lazily, a batch at a time, as the writer stores them; in
   * addition to `symbols`. Every symbol is written before any call.
   */
  symbolBatches?: Iterable<SymbolRecord[]>;
  /**
   * Calls resolved lazily, a file at a time, while the writer stores them
   * (after every symbol is written): the repository's edges are then never
   * all in memory at once. Iterated once, in addition to the arrays above.
   */
  callBatches?: Iterable<CallBatch>;
  diagnostics: Diagnostic[];
  modules: ModuleRecord[];
  dependencies: DependencyRecord[];
  /** Files that belong to a module other than the repository's own (vendored code): path → module. */
  fileModules: Map<string, string>;
  /**
   * Set by an incremental resolution: the files whose symbols and calls this
   * resolution holds. Every other file of the language keeps its symbols and
   * calls from the previous graph. Package-level symbols (kind `package`) are
   * always resolved in full. Undefined means every file was resolved.
   */
  resolvedFiles?: Set<string>;
}

/** How a language's extractor parses a file of one dialect: the grammar and what of the tree it copies. */
export interface ParseSpec {
  grammar: Grammar;
  options: CompactOptions;
}

export interface LanguageSupport<Facts = unknown> {
  /** Short id used in symbol ids and stored records: `go`, `ts`, `py`. */
  id: string;
  /** Human name: `Go`. */
  name: string;
  /** Does this language own the file at `path`? Decided by name only. */
  handles(path: string): boolean;
  /**
   * The parse variant of a file (`tsx` parses differently from `ts`); part of
   * the extraction cache key together with `extractorVersion`.
   */
  dialectOf(path: string): string;
  /** Bumped whenever extraction output changes, to invalidate cached facts. */
  extractorVersion: string;
  /** Never throws: a broken file yields diagnostics and whatever facts could be had. */
  extract(text: string, dialect: string): Extraction<Facts>;
  /**
   * How `extract` parses a file of `dialect` (its one parseCompact call):
   * another thread can make that parse and `extract` take it (native-tree.ts
   * usingExport), so the extraction pool splits a file's work between a
   * thread that parses and one that extracts.
   */
  parseSpec?(dialect: string): ParseSpec;
  /**
   * Fields of the facts (arrays) that `resolve` reads only while resolving
   * the file's own calls, never another file's: a full index may keep them
   * on disk until then (ResolveFile.stored).
   */
  localFacts?: readonly string[];
  /**
   * The resolver lets files' facts go and reads them back when it needs
   * them (StoredFacts.loadFacts), so the index writes them to its spill too.
   */
  factsReadBack?: boolean;
  /** Manifest files (go.mod, package.json, …) whose text `resolve` needs. */
  isManifest(path: string): boolean;
  resolve(input: ResolveInput<Facts>): Resolution;
}

export function emptyResolution(): Resolution {
  return {
    symbols: [],
    edges: [],
    unresolved: [],
    externalRefs: [],
    diagnostics: [],
    modules: [],
    dependencies: [],
    fileModules: new Map(),
  };
}
