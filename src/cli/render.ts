/**
 * Terminal renderings of the shared answer shapes (query/views.ts). The
 * `--json` output is the shapes themselves; these are for people.
 */
import { kindLabel } from '../model/graph.js';
import type { IndexResult } from '../indexer/index-repository.js';
import type { VerifyReport } from '../cas/content-store.js';
import type { RepositorySummary, SymbolHit } from '../store/graph-store.js';
import type { SymbolPage } from '../query/symbol-page.js';
import type { EdgeItem, GraphRef } from '../query/views.js';
import type { TestsAnswer } from '../query/tests.js';
import type { ImpactAnswer } from '../query/impact.js';
import type { WildAnswer } from '../query/wild.js';

const short = (commit: string): string => commit.slice(0, 12);

export function renderEdges(title: string, edges: EdgeItem[]): string[] {
  const lines = [`${title} ${edges.length}`];
  for (const edge of edges) {
    const name = edge.kind === 'file' ? edge.file : edge.qualifiedName;
    const sites = edge.sites.map((site) => `${site.file}:${site.line}`).join(', ');
    lines.push(`  ${edge.confidence.toFixed(2)}  ${kindLabel(edge.kind).padEnd(9)} ${name}  [${edge.strategy}]  ${sites}`);
  }
  return lines;
}

/**
 * The callers section. Never a silent zero: when the graph could not tie
 * some call sites to a target, the count of those that could be calls of
 * this symbol is shown, most of all when no caller was resolved.
 */
export function renderCallers(callers: EdgeItem[], possibleCallersUnresolved: number): string[] {
  const lines = renderEdges('Callers', callers);
  if (possibleCallersUnresolved > 0) {
    const plural = possibleCallersUnresolved === 1 ? 'caller' : 'callers';
    lines.push(`  ${possibleCallersUnresolved} possible ${plural} unresolved (calls of this name whose receiver's type is unknown)`);
  } else if (callers.length === 0) {
    lines.push('  no callers found');
  }
  return lines;
}

export function renderTests(tests: TestsAnswer): string[] {
  const lines = ['Tested by'];
  if (tests.coverage) {
    lines.push(`  runtime coverage: ${tests.coverage.covered}/${tests.coverage.total} lines (${tests.coverage.report.format}, ${tests.coverage.report.source})`);
  }
  if (tests.status === 'none') return [...lines, '  no test coverage detected'];
  if (tests.status === 'unknown') return [...lines, '  unknown: no test reaches it, but unresolved calls of its name could'];
  for (const reach of tests.tests) {
    const confirmed = reach.confirmedByCoverage ? '  ✓ confirmed by coverage' : '';
    lines.push(`  ${reach.confidence.toFixed(2)}  ${reach.test.name}  (${reach.path.map((step) => step.name).join(' → ')})${confirmed}`);
  }
  if (tests.more > 0) lines.push(`  and ${tests.more} more`);
  return lines;
}

export function renderSymbolPage(page: SymbolPage): string {
  const { symbol } = page;
  const lines: string[] = [];
  lines.push(`${kindLabel(symbol.kind)} ${symbol.name}   ${symbol.qualifiedName}`);
  lines.push(`${symbol.file}:${symbol.startLine}–${symbol.endLine}   ${page.repository}@${short(page.commit)}`);
  if (symbol.signature) lines.push(symbol.signature);
  lines.push(`id: ${symbol.id}`);
  if (symbol.doc) lines.push('', ...symbol.doc.split('\n').map((line) => `  // ${line}`));
  if (page.source) {
    lines.push('');
    if (page.source.verified) {
      lines.push(`Source from the content-addressed store, hash-verified (blob ${page.source.blob})`);
      const width = String(page.source.endLine).length;
      page.source.lines.forEach((text, offset) => {
        lines.push(`${String(page.source!.startLine + offset).padStart(width)}  ${text}`);
      });
    } else {
      lines.push(`Source unavailable: ${page.source.error ?? 'unknown error'}`);
    }
  }
  lines.push('', ...renderCallers(page.callers, page.possibleCallersUnresolved));
  lines.push('', ...renderEdges('Calls', page.callees));
  if (page.unresolvedCalls.length > 0) lines.push(`  ${page.unresolvedCalls.length} unresolved call sites`);
  lines.push('', ...renderTests(page.tests));
  return lines.join('\n');
}

export function renderGraphHeader(graph: GraphRef): string {
  return `${graph.repository}@${short(graph.commit)}`;
}

export function renderHits(hits: SymbolHit[]): string {
  if (hits.length === 0) return 'no symbols found';
  return hits
    .map((hit) => `${kindLabel(hit.symbol.kind).padEnd(9)} ${hit.symbol.qualifiedName}  ${hit.symbol.file}:${hit.symbol.nameLine}  ${hit.repository}`)
    .join('\n');
}

export function renderRepositories(repositories: RepositorySummary[]): string {
  if (repositories.length === 0) return 'no repositories indexed yet';
  return repositories
    .map((repository) => {
      const newest = repository.newest;
      if (!newest) return `${repository.name}  (no published graph)`;
      const s = newest.stats;
      return `${repository.name}  ${short(newest.commit)}  ${newest.indexedAt}  ${s.files} files, ${s.symbols} symbols, ${s.edges} edges  (${repository.graphCount} graph${repository.graphCount === 1 ? '' : 's'})`;
    })
    .join('\n');
}

export function renderIndexSummary(result: IndexResult): string {
  const { stats, graph } = result;
  const lines = [
    result.upToDate
      ? `${graph.repository}@${short(graph.commit)} is already indexed (${graph.indexedAt}); nothing to do (--force indexes it again)`
      : `indexed ${graph.repository}@${short(graph.commit)} in ${(stats.durationMs / 1000).toFixed(2)} s`,
    `  files ${stats.files} (skipped ${stats.skipped}, from cache ${result.cachedFiles}), lines ${stats.lines}`,
    `  symbols ${stats.symbols}, edges ${stats.edges}, unresolved ${stats.unresolved}, external refs ${stats.externalRefs}, diagnostics ${stats.diagnostics}`,
  ];
  if (result.incremental) {
    const { previousCommit, changedFiles, resolvedFiles, reusedFiles } = result.incremental;
    lines.push(`  incremental from ${short(previousCommit)}: ${changedFiles} files changed, ${resolvedFiles} resolved again, ${reusedFiles} reused`);
  }
  return lines.join('\n');
}

export function renderVerify(report: VerifyReport): string {
  const lines = [`checked ${report.checked} blobs: ${report.corrupt.length} corrupt, ${report.missing.length} missing`];
  for (const address of report.corrupt) lines.push(`  corrupt ${address}`);
  for (const address of report.missing) lines.push(`  missing ${address}`);
  return lines.join('\n');
}

export function renderImpact(impact: ImpactAnswer): string {
  const lines = [`${impact.symbol.qualifiedName}  ${renderGraphHeader(impact)}`, `Impact to depth ${impact.depth}: ${impact.callers.length} callers${impact.truncated ? ' (truncated)' : ''}`];
  for (const caller of impact.callers) {
    lines.push(`  ${caller.depth}  ${caller.confidence.toFixed(2)}  ${kindLabel(caller.symbol.kind).padEnd(9)} ${caller.symbol.kind === 'file' ? caller.symbol.file : caller.symbol.qualifiedName}`);
  }
  lines.push(`Affected tests ${impact.tests.length}`);
  for (const test of impact.tests) lines.push(`  ${test.depth}  ${test.confidence.toFixed(2)}  ${test.symbol.qualifiedName}`);
  return lines.join('\n');
}

export function renderWild(answer: WildAnswer): string {
  const lines = [`${answer.symbol.qualifiedName}  ${renderGraphHeader(answer)}`];
  if (answer.status !== 'ok') return [...lines, `  ${answer.message ?? answer.status}`].join('\n');
  lines.push(`Used in the wild: ${answer.totalSites} call sites in ${answer.totalRepositories} repositories`);
  for (const repository of answer.repositories) {
    const forks = repository.forks.length > 0 ? ` (and copies: ${repository.forks.join(', ')})` : '';
    lines.push(`  ${repository.repository}@${short(repository.commit)}  ${repository.relation}${repository.version ? ` ${repository.version}` : ''}  ${repository.count} sites${forks}`);
    for (const site of repository.sites) lines.push(`    ${site.file}:${site.line}  in ${site.caller.qualifiedName}`);
  }
  if (answer.page.nextOffset !== undefined) lines.push(`  more: --offset ${answer.page.nextOffset}`);
  return lines.join('\n');
}
