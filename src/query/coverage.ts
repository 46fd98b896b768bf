/**
 * A symbol's runtime coverage from the graph's imported report: how many of
 * its instrumented lines ran.
 */
import type { CoverageReportInfo, GraphInfo, SymbolRecord } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';

export interface SymbolCoverage {
  /** Lines of the symbol that ran at least once. */
  covered: number;
  /** Lines of the symbol the report instruments. */
  total: number;
  report: CoverageReportInfo;
}

export async function symbolCoverage(store: GraphStore, graph: GraphInfo, symbol: SymbolRecord): Promise<SymbolCoverage | undefined> {
  const report = await store.coverageReport(graph.id);
  if (!report || symbol.kind === 'package') return undefined;
  const { startLine, endLine } = symbol.range;
  const blocks = await store.coverageIn(graph.id, symbol.file, startLine, endLine);
  const lines = new Map<number, boolean>();
  for (const block of blocks) {
    for (let line = Math.max(block.startLine, startLine); line <= Math.min(block.endLine, endLine); line++) {
      lines.set(line, (lines.get(line) ?? false) || block.hits > 0);
    }
  }
  let covered = 0;
  for (const ran of lines.values()) if (ran) covered++;
  return { covered, total: lines.size, report };
}
