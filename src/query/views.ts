/**
 * The answer shapes every surface shares: `graphhub symbol --json`, the JSON
 * API and MCP's structured content are these objects, so a field means the
 * same thing everywhere.
 */
import type { CallSite, GraphInfo, SymbolKind, SymbolRecord } from '../model/graph.js';
import type { EdgeView } from '../store/graph-store.js';
import { strategyInfo, type Strategy } from '../model/confidence.js';

export interface SymbolSummary {
  id: string;
  kind: SymbolKind;
  name: string;
  qualifiedName: string;
  file: string;
  startLine: number;
  endLine: number;
  /** Line of the name itself. */
  line: number;
  signature: string;
  exported: boolean;
  receiver?: string;
  packagePath?: string;
  module?: string;
  doc?: string;
}

export interface EdgeItem {
  id: string;
  name: string;
  qualifiedName: string;
  kind: SymbolKind;
  file: string;
  line: number;
  confidence: number;
  strategy: Strategy;
  /** What the strategy means, for a tooltip. */
  strategyDescription: string;
  /** Lines of the call sites (in the caller's file). */
  sites: CallSite[];
}

export interface GraphRef {
  repository: string;
  commit: string;
  graphId: number;
  indexedAt: string;
}

export function graphRef(graph: GraphInfo): GraphRef {
  return { repository: graph.repository, commit: graph.commit, graphId: graph.id, indexedAt: graph.indexedAt };
}

export function summarize(symbol: SymbolRecord): SymbolSummary {
  const summary: SymbolSummary = {
    id: symbol.id,
    kind: symbol.kind,
    name: symbol.name,
    qualifiedName: symbol.qualifiedName,
    file: symbol.file,
    startLine: symbol.range.startLine,
    endLine: symbol.range.endLine,
    line: symbol.nameLine,
    signature: symbol.signature,
    exported: symbol.exported,
  };
  if (symbol.receiver) summary.receiver = symbol.receiver;
  if (symbol.packagePath) summary.packagePath = symbol.packagePath;
  if (symbol.module) summary.module = symbol.module;
  if (symbol.doc) summary.doc = symbol.doc;
  return summary;
}

export function edgeItem(edge: EdgeView): EdgeItem {
  return {
    id: edge.symbol.id,
    name: edge.symbol.name,
    qualifiedName: edge.symbol.qualifiedName,
    kind: edge.symbol.kind,
    file: edge.symbol.file,
    line: edge.symbol.nameLine,
    confidence: edge.confidence,
    strategy: edge.strategy,
    strategyDescription: strategyInfo(edge.strategy)?.description ?? edge.strategy,
    sites: edge.sites,
  };
}
