/**
 * The graph model: what one repository at one commit is made of. These are
 * plain values; the indexer produces them, the stores persist them, the query
 * layer reads them back. Nothing here does I/O.
 *
 * Positions: lines and columns are 1-based; columns count UTF-16 code units
 * (plus one), as tree-sitter's Node binding reports them over JavaScript
 * strings: a character outside the Basic Multilingual Plane counts two.
 */
import type { Strategy } from './confidence.js';

export type SymbolKind =
  | 'package'
  | 'module'
  | 'file'
  | 'function'
  | 'method'
  | 'struct'
  | 'interface'
  | 'class'
  | 'type'
  | 'enum'
  | 'namespace'
  | 'variable'
  | 'test';

export const SYMBOL_KINDS: readonly SymbolKind[] = [
  'package', 'module', 'file', 'function', 'method', 'struct', 'interface',
  'class', 'type', 'enum', 'namespace', 'variable', 'test',
];

/** `Function`, `Method`, `File`…: how a kind is shown to people. */
export function kindLabel(kind: SymbolKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** Kinds that contain code that can make calls, and so can be callers. */
export function isCallable(kind: SymbolKind): boolean {
  return kind === 'function' || kind === 'method' || kind === 'test' || kind === 'file';
}

export interface Range {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

export interface SymbolRecord {
  /** See symbol-id.ts for the grammar. */
  id: string;
  kind: SymbolKind;
  name: string;
  /** Language-conventional qualified name: `main.startContainer`, `libcontainer.(*Container).Run`. */
  qualifiedName: string;
  language: string;
  /** File path relative to the repository root (the directory for a package). */
  file: string;
  range: Range;
  /** Line and column of the name itself (the "selection range"). */
  nameLine: number;
  nameCol: number;
  /** Parameters and results as written in the source, e.g. `(ctx *cli.Context) (int, error)`. */
  signature: string;
  exported: boolean;
  doc: string;
  /** For a method, the receiver or class type name without pointer: `Container`. */
  receiver?: string;
  /** Import path / module-relative package the symbol lives in (`github.com/x/y/pkg`). */
  packagePath?: string;
  /** The module the symbol belongs to: the repository's own, or a vendored module's path. */
  module?: string;
  /** Decorators (Python), attributes or annotations kept as written. */
  decorators?: string[];
}

/**
 * The File symbol of a source file: module-level code's caller, spanning the
 * whole file. `base` carries the language, path and (when known) package and
 * module the file's other symbols share.
 */
export function fileSymbol(
  base: Pick<SymbolRecord, 'language' | 'file'> & Partial<Pick<SymbolRecord, 'packagePath' | 'module'>>,
  id: string,
  lines: number,
): SymbolRecord {
  return {
    id,
    kind: 'file',
    name: base.file.split('/').pop() ?? base.file,
    qualifiedName: base.file,
    range: { startLine: 1, startCol: 1, endLine: lines, endCol: 1 },
    nameLine: 1,
    nameCol: 1,
    signature: '',
    exported: false,
    doc: '',
    // Last: a record that starts as a spread copy and then gains a dozen fields
    // becomes a slow dictionary object (runc's 21k Go symbol records: 240 ms).
    ...base,
  };
}

export interface CallSite {
  file: string;
  line: number;
  col: number;
}

export interface EdgeRecord {
  caller: string;
  callee: string;
  strategy: Strategy;
  confidence: number;
  sites: CallSite[];
}

/**
 * Which symbols an unresolved call could reach by its name: any method so
 * named (`x.name()` where x's type is unknown), any function so named, or
 * either.
 */
export type PossibleTarget = 'method' | 'function' | 'any';

/**
 * A call the resolver could not tie to a symbol. Kept so that no function ever
 * shows zero callers while possible callers went unresolved.
 */
export interface UnresolvedCall {
  caller: string;
  /** The called name: `bindSocket`, `String`. */
  name: string;
  /** The receiver or qualifier expression as written, if any: `notifySocket`, `r.container`. */
  receiver?: string;
  reason: string;
  site: CallSite;
  /**
   * Set when nothing rules out that the call reaches a repository symbol of
   * this name: each such symbol (of the kind named here) counts it among its
   * "possible callers unresolved". Absent when the call is known to go
   * elsewhere (a value of another module, a local function value, a field).
   */
  couldBe?: PossibleTarget;
}

/** Which unresolved calls could be calls of a symbol of this kind: methods and functions are called by name, nothing else is. */
export function possibleTargetOf(kind: SymbolKind): Exclude<PossibleTarget, 'any'> | undefined {
  if (kind === 'method') return 'method';
  if (kind === 'function' || kind === 'test') return 'function';
  return undefined;
}

/**
 * A call into code outside the graph, named so the dependency's own graph can
 * find it: module `github.com/urfave/cli`, package `github.com/urfave/cli`,
 * symbol `(*Context).String`.
 */
export interface ExternalRef {
  caller: string;
  module: string;
  packagePath: string;
  symbol: string;
  strategy: Strategy;
  confidence: number;
  site: CallSite;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  file: string;
  severity: Severity;
  message: string;
  line?: number;
  col?: number;
}

export type SkipReason = 'binary' | 'too-large' | 'unsupported-language' | 'symlink' | 'generated' | 'unreadable';

export interface FileRecord {
  path: string;
  /** SHA-256 hex of the bytes: the file's address in the content-addressed store. Empty for symlinks. */
  blob: string;
  size: number;
  language?: string;
  skipReason?: SkipReason;
  /** Free text for the skip (symlink target, size limit, …). */
  skipDetail?: string;
  lines?: number;
  /** The module the file belongs to, when it is not the repository's own (vendored code). */
  module?: string;
  /** How the source identified the content (git object id, or size and mtime on disk); lets a re-index skip unchanged files. */
  fingerprint?: string;
}

export type DependencyKind = 'require' | 'replace' | 'vendored' | 'dev' | 'peer' | 'optional';

export interface ModuleRecord {
  /** Ecosystem: `go`, `npm`, `pypi`, `cargo`. */
  ecosystem: string;
  /** Module path / package name this graph provides. */
  name: string;
  /** Manifest path relative to the repository root: `go.mod`, `packages/a/package.json`. */
  manifest: string;
  /** Directory of the module inside the repository ('' for the root). */
  directory: string;
}

export interface DependencyRecord {
  ecosystem: string;
  /** The module that declares the dependency (its name), or '' when not known. */
  from: string;
  name: string;
  version: string;
  kind: DependencyKind;
  /** For a replace: the replacement (path or module@version). */
  replacement?: string;
  manifest: string;
}

/** Everything the indexer produces for one graph. */
export interface GraphContent {
  files: FileRecord[];
  symbols: SymbolRecord[];
  edges: EdgeRecord[];
  unresolved: UnresolvedCall[];
  externalRefs: ExternalRef[];
  diagnostics: Diagnostic[];
  modules: ModuleRecord[];
  dependencies: DependencyRecord[];
}

export interface GraphStats {
  files: number;
  skipped: number;
  symbols: number;
  edges: number;
  unresolved: number;
  externalRefs: number;
  diagnostics: number;
  lines: number;
  bytes: number;
  durationMs: number;
}

/** Lines [startLine, endLine] of a file ran `hits` times in a runtime coverage report. */
export interface CoverageBlock {
  file: string;
  startLine: number;
  endLine: number;
  hits: number;
}

export interface CoverageReportInfo {
  format: 'go-coverprofile' | 'lcov';
  /** The report's file name as given. */
  source: string;
  importedAt: string;
  blocks: number;
}

export interface RepositoryInfo {
  name: string;
  url?: string;
}

export interface GraphInfo {
  id: number;
  repository: string;
  commit: string;
  /** ISO-8601 time the graph was published. */
  indexedAt: string;
  indexerVersion: string;
  stats: GraphStats;
  /** Module paths this graph provides. */
  modules: string[];
}

/** Byte-wise string order, the same as the stores' "C" collation; never locale-dependent. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
