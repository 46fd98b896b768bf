/**
 * The short text that accompanies each structured answer, for clients and
 * models that read text: a few lines naming the graph, then the gist.
 */
import { kindLabel } from '../model/graph.js';
import type { CalleesAnswer, CallersAnswer } from '../query/edges.js';
import type { ImpactAnswer } from '../query/impact.js';
import type { SearchAnswer } from '../query/search.js';
import type { SourceRange } from '../query/source-range.js';
import type { SymbolTests } from '../query/tests-answer.js';
import type { TestsAnswer } from '../query/tests.js';
import type { EdgeItem, GraphRef, SymbolSummary } from '../query/views.js';
import type { WildAnswer } from '../query/wild.js';
import type { RepositoriesAnswer, SymbolToolAnswer } from './output-schemas.js';

const short = (commit: string): string => commit.slice(0, 12);
const at = (ref: GraphRef): string => `${ref.repository}@${short(ref.commit)}`;
const symbolLine = (symbol: SymbolSummary): string =>
  `${kindLabel(symbol.kind)} ${symbol.qualifiedName}  ${symbol.file}:${symbol.startLine}–${symbol.endLine}`;
const edgeLine = (edge: EdgeItem): string =>
  `  ${edge.confidence.toFixed(2)} ${kindLabel(edge.kind)} ${edge.kind === 'file' ? edge.file : edge.qualifiedName} (${edge.sites.map((site) => `${site.file}:${site.line}`).join(', ')})`;
const more = (shown: number, total: number): string[] => (total > shown ? [`  … ${total - shown} more`] : []);

function testsLines(tests: TestsAnswer): string[] {
  if (tests.status === 'none') return ['Tested by: no test coverage detected'];
  if (tests.status === 'unknown') return ['Tested by: no test reaches it, but unresolved calls of its name could'];
  return [
    `Tested by ${tests.tests.length + tests.more}:`,
    ...tests.tests.map((reach) => `  ${reach.confidence.toFixed(2)} ${reach.test.name} (${reach.path.map((step) => step.name).join(' → ')})`),
    ...more(tests.tests.length, tests.tests.length + tests.more),
  ];
}

export function repositoriesText(answer: RepositoriesAnswer): string {
  if (answer.repositories.length === 0) return 'No repository is indexed.';
  return answer.repositories
    .map((entry) =>
      entry.newest
        ? `${entry.repository}@${short(entry.newest.commit)}  ${entry.newest.stats.files} files, ${entry.newest.stats.symbols} symbols, ${entry.newest.stats.edges} edges (indexed ${entry.newest.indexedAt})`
        : `${entry.repository}  (no published graph)`,
    )
    .join('\n');
}

export function searchText(answer: SearchAnswer): string {
  if (answer.hits.length === 0) return `No symbol matches "${answer.query}".`;
  return answer.hits
    .map((hit) => `${kindLabel(hit.symbol.kind)} ${hit.symbol.qualifiedName}  ${hit.symbol.file}:${hit.symbol.line}  ${hit.repository}@${short(hit.commit)}  id=${hit.symbol.id}`)
    .join('\n');
}

export function symbolText(answer: SymbolToolAnswer): string {
  const lines = [symbolLine(answer.symbol), `in ${at(answer)}`];
  if (answer.symbol.signature) lines.push(answer.symbol.signature);
  if (answer.source && !answer.source.verified) lines.push(`Source withheld: ${answer.source.error ?? 'verification failed'}`);
  else if (answer.source) lines.push(`Source: ${answer.source.lines.length} lines, hash-verified (blob ${answer.source.blob})`);
  lines.push(`Callers ${answer.callerCount}:`, ...answer.callers.map(edgeLine), ...more(answer.callers.length, answer.callerCount));
  lines.push(`Calls ${answer.calleeCount}:`, ...answer.callees.map(edgeLine), ...more(answer.callees.length, answer.calleeCount));
  if (answer.unresolvedCalls.length > 0) lines.push(`${answer.unresolvedCalls.length} unresolved call sites`);
  lines.push(...testsLines(answer.tests));
  return lines.join('\n');
}

export function callersText(answer: CallersAnswer): string {
  return [
    `Callers of ${answer.symbol.qualifiedName} in ${at(answer)}: ${answer.page.total}`,
    ...answer.callers.map(edgeLine),
    ...(answer.page.nextOffset !== undefined ? [`  more: offset ${answer.page.nextOffset}`] : []),
    ...(answer.possibleCallersUnresolved > 0 ? [`${answer.possibleCallersUnresolved} unresolved call sites call a name like this one`] : []),
  ].join('\n');
}

export function calleesText(answer: CalleesAnswer): string {
  return [
    `Calls of ${answer.symbol.qualifiedName} in ${at(answer)}: ${answer.page.total}`,
    ...answer.callees.map(edgeLine),
    ...(answer.page.nextOffset !== undefined ? [`  more: offset ${answer.page.nextOffset}`] : []),
    ...(answer.unresolvedCalls.length > 0 ? [`${answer.unresolvedCalls.length} unresolved call sites`] : []),
    ...(answer.externalCalls.length > 0 ? [`${answer.externalCalls.length} calls into other modules`] : []),
  ].join('\n');
}

export function impactText(answer: ImpactAnswer): string {
  return [
    `Impact of ${answer.symbol.qualifiedName} in ${at(answer)} to depth ${answer.depth}: ${answer.callers.length} callers${answer.truncated ? ' (truncated)' : ''}`,
    ...answer.callers.slice(0, 30).map((caller) => `  ${caller.depth} ${caller.confidence.toFixed(2)} ${caller.symbol.kind === 'file' ? caller.symbol.file : caller.symbol.qualifiedName}`),
    ...more(Math.min(30, answer.callers.length), answer.callers.length),
    `Affected tests ${answer.tests.length}${answer.tests.length > 0 ? ':' : ''}`,
    ...answer.tests.slice(0, 30).map((test) => `  ${test.depth} ${test.confidence.toFixed(2)} ${test.symbol.qualifiedName}`),
  ].join('\n');
}

export function testsText(answer: SymbolTests): string {
  return [`${answer.symbol.qualifiedName} in ${at(answer)}`, ...testsLines(answer.tests)].join('\n');
}

export function wildText(answer: WildAnswer): string {
  const head = `${answer.symbol.qualifiedName} (${at(answer)}) used in the wild`;
  if (answer.status !== 'ok') return `${head}: ${answer.message ?? answer.status}`;
  return [
    `${head}: ${answer.totalSites} call sites in ${answer.totalRepositories} repositories`,
    ...answer.repositories.flatMap((entry) => [
      `  ${entry.repository}@${short(entry.commit)} ${entry.relation}${entry.version ? ` ${entry.version}` : ''}: ${entry.count} sites`,
      ...entry.sites.map((site) => `    ${site.file}:${site.line} in ${site.caller.qualifiedName}`),
    ]),
    ...(answer.page.nextOffset !== undefined ? [`  more: offset ${answer.page.nextOffset}`] : []),
  ].join('\n');
}

export function sourceText(answer: SourceRange): string {
  const { source } = answer;
  const width = String(source.endLine).length;
  return [
    `${source.file}:${source.startLine}–${source.endLine} in ${at(answer)} (blob ${source.blob}, hash-verified)`,
    ...source.lines.map((line, index) => `${String(source.startLine + index).padStart(width)}  ${line}`),
  ].join('\n');
}
