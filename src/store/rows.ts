/**
 * Row ↔ record mapping shared by every backend, so SQLite and PostgreSQL
 * return identical records for identical rows.
 */
import type {
  CallSite,
  Diagnostic,
  EdgeRecord,
  FileRecord,
  GraphInfo,
  GraphStats,
  SkipReason,
  SymbolKind,
  SymbolRecord,
  UnresolvedCall,
  ExternalRef,
} from '../model/graph.js';
import type { Strategy } from '../model/confidence.js';
import type { CachedExtraction } from './graph-store.js';

export interface ExtractionRow {
  blob: string;
  extractor: string;
  facts: string | null;
  diagnostics: string;
  local_at: string | null;
}

export function extractionFromRow(row: ExtractionRow): CachedExtraction {
  const extraction: CachedExtraction = { blob: row.blob, extractor: row.extractor, facts: row.facts ?? undefined, diagnostics: row.diagnostics };
  if (row.local_at !== null) {
    const localAt = offsetsIn(row.local_at);
    // A damaged value is read as no offsets: the facts are then parsed whole (read-files.ts splitFacts).
    if (localAt) extraction.localAt = localAt;
  }
  return extraction;
}

/** A list of offsets as stored (`[12,340]`), or undefined when the text is anything else. */
function offsetsIn(text: string): number[] | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((offset) => Number.isInteger(offset) && offset >= 0) ? (value as number[]) : undefined;
  } catch {
    return undefined;
  }
}

export function localAtText(extraction: CachedExtraction): string | null {
  return extraction.localAt && extraction.localAt.length > 0 ? JSON.stringify(extraction.localAt) : null;
}

export interface SymbolRow {
  idx: number;
  sid: string;
  kind: string;
  name: string;
  qualified_name: string;
  language: string;
  file_path: string;
  start_line: number;
  start_col: number;
  end_line: number;
  end_col: number;
  name_line: number;
  name_col: number;
  signature: string;
  exported: number | boolean;
  doc: string;
  receiver: string | null;
  package_path: string | null;
  module: string | null;
  decorators: string | null;
}

export const SYMBOL_COLUMNS =
  'idx, sid, kind, name, qualified_name, language, file_path, start_line, start_col, end_line, end_col, name_line, name_col, signature, exported, doc, receiver, package_path, module, decorators';

/** The columns above prefixed with a table alias: `s.idx, s.sid, …`. */
export function symbolColumns(alias: string): string {
  return SYMBOL_COLUMNS.split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}

export function symbolFromRow(row: SymbolRow): SymbolRecord {
  const symbol: SymbolRecord = {
    id: row.sid,
    kind: row.kind as SymbolKind,
    name: row.name,
    qualifiedName: row.qualified_name,
    language: row.language,
    file: row.file_path,
    range: { startLine: row.start_line, startCol: row.start_col, endLine: row.end_line, endCol: row.end_col },
    nameLine: row.name_line,
    nameCol: row.name_col,
    signature: row.signature,
    exported: row.exported === 1 || row.exported === true,
    doc: row.doc,
  };
  if (row.receiver !== null) symbol.receiver = row.receiver;
  if (row.package_path !== null) symbol.packagePath = row.package_path;
  if (row.module !== null) symbol.module = row.module;
  if (row.decorators !== null) symbol.decorators = JSON.parse(row.decorators) as string[];
  return symbol;
}

/** Values in the order of the symbols INSERT (graph_id first, search_name after name). */
export function symbolValues(graphId: number, idx: number, symbol: SymbolRecord): unknown[] {
  return [
    graphId,
    idx,
    symbol.id,
    symbol.kind,
    symbol.name,
    symbol.name.toLowerCase(),
    symbol.qualifiedName,
    symbol.language,
    symbol.file,
    symbol.range.startLine,
    symbol.range.startCol,
    symbol.range.endLine,
    symbol.range.endCol,
    symbol.nameLine,
    symbol.nameCol,
    symbol.signature,
    symbol.exported ? 1 : 0,
    symbol.doc,
    symbol.receiver ?? null,
    symbol.packagePath ?? null,
    symbol.module ?? null,
    symbol.decorators ? JSON.stringify(symbol.decorators) : null,
  ];
}

export const SYMBOL_INSERT_COLUMNS =
  'graph_id, idx, sid, kind, name, search_name, qualified_name, language, file_path, start_line, start_col, end_line, end_col, name_line, name_col, signature, exported, doc, receiver, package_path, module, decorators';

export interface FileRow {
  path: string;
  blob: string;
  size: number | string;
  language: string | null;
  skip_reason: string | null;
  skip_detail: string | null;
  line_count: number | null;
  module: string | null;
  fingerprint: string | null;
}

export function fileFromRow(row: FileRow): FileRecord {
  const file: FileRecord = { path: row.path, blob: row.blob, size: Number(row.size) };
  if (row.language !== null) file.language = row.language;
  if (row.skip_reason !== null) file.skipReason = row.skip_reason as SkipReason;
  if (row.skip_detail !== null) file.skipDetail = row.skip_detail;
  if (row.line_count !== null) file.lines = row.line_count;
  if (row.module !== null) file.module = row.module;
  if (row.fingerprint !== null && row.fingerprint !== undefined) file.fingerprint = row.fingerprint;
  return file;
}

export interface GraphRow {
  id: number | string;
  repository: string;
  commit_sha: string;
  indexed_at: string | null;
  indexer_version: string;
  stats: string | null;
  modules: string | null;
}

const EMPTY_STATS: GraphStats = {
  files: 0, skipped: 0, symbols: 0, edges: 0, unresolved: 0, externalRefs: 0, diagnostics: 0, lines: 0, bytes: 0, durationMs: 0,
};

export function graphFromRow(row: GraphRow): GraphInfo {
  return {
    id: Number(row.id),
    repository: row.repository,
    commit: row.commit_sha,
    indexedAt: row.indexed_at ?? '',
    indexerVersion: row.indexer_version,
    stats: row.stats ? { ...EMPTY_STATS, ...(JSON.parse(row.stats) as Partial<GraphStats>) } : { ...EMPTY_STATS },
    modules: row.modules ? row.modules.split('\n').filter(Boolean) : [],
  };
}

export function sitesFromText(text: string): CallSite[] {
  return JSON.parse(text) as CallSite[];
}

export interface UnresolvedRow {
  caller_sid: string;
  name: string;
  receiver: string | null;
  reason: string;
  file_path: string;
  line: number;
  col: number;
  could_be: string | null;
}

export function unresolvedFromRow(row: UnresolvedRow): UnresolvedCall {
  const call: UnresolvedCall = {
    caller: row.caller_sid,
    name: row.name,
    reason: row.reason,
    site: { file: row.file_path, line: row.line, col: row.col },
  };
  if (row.receiver !== null) call.receiver = row.receiver;
  if (row.could_be === 'method' || row.could_be === 'function' || row.could_be === 'any') call.couldBe = row.could_be;
  return call;
}

export interface ExternalRefRow {
  caller_sid: string;
  module: string;
  package_path: string;
  symbol: string;
  strategy: string;
  confidence: number;
  file_path: string;
  line: number;
  col: number;
}

export function externalRefFromRow(row: ExternalRefRow): ExternalRef {
  return {
    caller: row.caller_sid,
    module: row.module,
    packagePath: row.package_path,
    symbol: row.symbol,
    strategy: row.strategy as Strategy,
    confidence: Number(row.confidence),
    site: { file: row.file_path, line: row.line, col: row.col },
  };
}

export interface DiagnosticRow {
  file_path: string;
  severity: string;
  message: string;
  line: number | null;
  col: number | null;
}

export function diagnosticFromRow(row: DiagnosticRow): Diagnostic {
  const diagnostic: Diagnostic = { file: row.file_path, severity: row.severity as Diagnostic['severity'], message: row.message };
  if (row.line !== null) diagnostic.line = row.line;
  if (row.col !== null) diagnostic.col = row.col;
  return diagnostic;
}

/** Every edge of a graph with both ends, in a stable order; `graph` is the dialect's placeholder for the graph id. */
export function edgeStreamQuery(graph: string): string {
  return `SELECT ${symbolColumns('a')}, ${symbolColumns('b').replace(/b\.(\w+)/g, 'b.$1 AS b_$1')}, e.strategy, e.confidence, e.sites
       FROM edges e JOIN symbols a ON a.graph_id = e.graph_id AND a.idx = e.caller
       JOIN symbols b ON b.graph_id = e.graph_id AND b.idx = e.callee
       WHERE e.graph_id = ${graph} ORDER BY a.file_path, a.start_line, a.sid, b.file_path, b.start_line, b.sid`;
}

/**
 * A row of the edge stream (`allEdges`): the caller's symbol columns as they
 * are, the callee's prefixed `b_`, and the edge's own columns.
 */
export function streamedEdgeFromRow(raw: Record<string, unknown>): { caller: SymbolRecord; callee: SymbolRecord; edge: EdgeRecord } {
  const calleeRow: Record<string, unknown> = {};
  for (const column of SYMBOL_COLUMNS.split(', ')) calleeRow[column] = raw[`b_${column}`];
  const caller = symbolFromRow(raw as unknown as SymbolRow);
  const callee = symbolFromRow(calleeRow as unknown as SymbolRow);
  return {
    caller,
    callee,
    edge: {
      caller: caller.id,
      callee: callee.id,
      strategy: raw.strategy as EdgeRecord['strategy'],
      confidence: raw.confidence as number,
      sites: sitesFromText(raw.sites as string),
    },
  };
}
