/**
 * A graph rendered as reviewable text for golden files: symbols, edges,
 * unresolved calls, external references, diagnostics, modules. Everything is
 * read back through the GraphStore, so a golden test covers the whole
 * pipeline from files to stored graph.
 */
import type { GraphInfo, SymbolRecord } from '../../src/model/graph.js';
import type { GraphStore } from '../../src/store/graph-store.js';

const where = (symbol: SymbolRecord): string => `${symbol.file}:${symbol.nameLine}`;

export async function renderGraph(store: GraphStore, graph: GraphInfo): Promise<string> {
  const files = await store.listFiles(graph.id);
  const symbols: SymbolRecord[] = [];
  for (const file of files) symbols.push(...(await store.symbolsInFile(graph.id, file.path)));
  const out: string[] = [];

  out.push('# files');
  for (const file of files) {
    const facts = [file.language ?? '-', file.skipReason ? `skipped:${file.skipReason}` : '', file.module ? `module:${file.module}` : '']
      .filter(Boolean)
      .join(' ');
    out.push(`${file.path}  ${facts}`);
  }

  out.push('', '# symbols');
  for (const symbol of symbols) {
    const flags = [
      symbol.exported ? 'exported' : '',
      symbol.receiver ? `receiver:${symbol.receiver}` : '',
      symbol.decorators ? `decorators:${symbol.decorators.join(',')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    out.push(`${symbol.kind.padEnd(9)} ${symbol.qualifiedName}  ${where(symbol)}  ${symbol.signature}  ${flags}`.trimEnd());
  }

  out.push('', '# edges');
  for (const symbol of symbols) {
    for (const edge of await store.callees(graph.id, symbol.id)) {
      const sites = edge.sites.map((site) => `${site.file}:${site.line}:${site.col}`).join(' ');
      out.push(`${symbol.qualifiedName} → ${edge.symbol.qualifiedName} (${where(edge.symbol)})  ${edge.strategy} ${edge.confidence}  @${sites}`);
    }
  }

  out.push('', '# unresolved');
  for (const symbol of symbols) {
    for (const call of await store.unresolvedFrom(graph.id, symbol.id)) {
      const name = call.receiver ? `${call.receiver}.${call.name}` : call.name;
      const possible = call.couldBe ? `  could be any ${call.couldBe} so named` : '';
      out.push(`${symbol.qualifiedName}: ${name}  (${call.reason})${possible}  @${call.site.file}:${call.site.line}:${call.site.col}`);
    }
  }

  out.push('', '# external');
  for (const symbol of symbols) {
    for (const ref of await store.externalRefsFrom(graph.id, symbol.id)) {
      out.push(`${symbol.qualifiedName} → [${ref.module}] ${ref.packagePath} ${ref.symbol}  ${ref.strategy}  @${ref.site.file}:${ref.site.line}`);
    }
  }

  out.push('', '# diagnostics');
  for (const diagnostic of await store.diagnostics(graph.id, 1000)) {
    out.push(`${diagnostic.file}:${diagnostic.line ?? '-'}:${diagnostic.col ?? '-'} ${diagnostic.severity} ${diagnostic.message}`);
  }

  const { modules, dependencies } = await store.modules(graph.id);
  out.push('', '# modules');
  for (const module of modules) out.push(`${module.ecosystem} ${module.name}  (${module.manifest})`);
  for (const dependency of dependencies) {
    out.push(`${dependency.kind} ${dependency.name} ${dependency.version}${dependency.replacement ? ` => ${dependency.replacement}` : ''}  (${dependency.manifest})`);
  }
  return `${out.join('\n')}\n`;
}
