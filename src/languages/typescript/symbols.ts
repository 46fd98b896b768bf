/**
 * TypeScript/JavaScript declarations → SymbolRecords: files, functions,
 * classes and their members, interfaces, types, enums, namespaces, bound
 * object literals (as variables) and tests.
 */
import { fileSymbol, type SymbolKind, type SymbolRecord } from '../../model/graph.js';
import { rangeFromFacts } from '../syntax-helpers.js';
import { localFactReader, type ResolveFile } from '../language.js';
import type { TsDecl, TsFileFacts } from './facts.js';
import type { TsFile } from './project.js';

const KINDS: Record<TsDecl['kind'], SymbolKind> = {
  function: 'function',
  method: 'method',
  class: 'class',
  interface: 'interface',
  type: 'type',
  enum: 'enum',
  namespace: 'namespace',
  object: 'variable',
  test: 'test',
};

/**
 * A file's symbols at a time, made as the writer asks for them
 * (Resolution.symbolBatches): a 1M-line TypeScript repository's records
 * were ~20 MB when all were made before any was written.
 */
export function* tsSymbolBatches(files: Iterable<TsFile>, inputs: ReadonlyArray<ResolveFile<TsFileFacts>>): Generator<SymbolRecord[]> {
  const local = localFactReader(inputs);
  for (const file of files) {
    const symbols: SymbolRecord[] = [];
    // Declarations' details are a local fact: read back for this file's records only.
    const details = local(file, 'details');
    const base: Pick<SymbolRecord, 'language' | 'file'> & { module?: string; packagePath?: string } = { language: 'ts', file: file.path };
    if (file.pkg?.name) {
      base.module = file.pkg.name;
      base.packagePath = file.pkg.name;
    }
    symbols.push(fileSymbol(base, file.fileId, file.facts.lines));
    const exported = exportedDecls(file);
    file.facts.decls.forEach((decl, index) => {
      const id = file.declIds[index];
      if (!id) return;
      const parent = decl.parent >= 0 ? file.facts.decls[decl.parent] : undefined;
      const detail = details[index]!;
      const symbol: SymbolRecord = {
        id,
        kind: KINDS[decl.kind],
        name: decl.name,
        qualifiedName: file.qualifiedNames[index]!,
        range: rangeFromFacts(detail.range),
        nameLine: detail.nameLine,
        nameCol: detail.nameCol,
        signature: detail.signature,
        exported: exported.has(index),
        doc: detail.doc,
        ...base,
      };
      if (decl.kind === 'method' && parent) symbol.receiver = parent.name;
      symbols.push(symbol);
    });
    yield symbols;
  }
}

/**
 * Declarations visible from outside the file: exported by name, by
 * `export default`, by CommonJS exports, and the public members of exported
 * classes, interfaces, namespaces and objects.
 */
function exportedDecls(file: TsFile): Set<number> {
  const exported = new Set<number>();
  const decls = file.facts.decls;
  const topLevel = file.members.get(-1);
  for (const entry of file.facts.exports) {
    if (entry.decl !== undefined) exported.add(entry.decl);
    else if (entry.local !== undefined && entry.source === undefined) {
      for (const index of topLevel?.get(entry.local) ?? []) exported.add(index);
    }
  }
  decls.forEach((decl, index) => {
    if (decl.kind === 'test') return;
    if (decl.parent < 0) {
      if (decl.exported) exported.add(index);
      return;
    }
    const parent = decls[decl.parent]!;
    const parentExported = exported.has(decl.parent);
    if (!parentExported || decl.hidden) return;
    if (parent.kind === 'namespace' ? decl.exported : parent.kind !== 'function' && parent.kind !== 'method') exported.add(index);
  });
  return exported;
}
